// The flow chart's filters, read from the address (GET parameters) by the page and by the CSV
// route alike. Isomorphic: zod and the vocabulary only.
import { z } from "zod";
import { themeSchema, type ThemeCode } from "~/schemas/vocabulary";

export const INSIGHT_CHARTS = ["supply-demand", "flows", "funnel", "women-share", "countries", "organizations"] as const;
export type InsightChart = (typeof INSIGHT_CHARTS)[number];
export const insightChartSchema = z.enum(INSIGHT_CHARTS);

/** Charts only staff may see or download: they name organizations. */
export const STAFF_ONLY_CHARTS: readonly InsightChart[] = ["organizations"];

const emptyAsMissing = (value: unknown) => (value === "" || value === null ? undefined : value);

const flowParamsSchema = {
  theme: z.preprocess(emptyAsMissing, themeSchema.optional()),
  year: z.preprocess(emptyAsMissing, z.coerce.number().int().min(1900).max(2999).optional()),
};

export type FlowFilterParam = keyof typeof flowParamsSchema;
export type FlowFilterValues = { theme: ThemeCode | null; year: number | null };
export type FlowFilterProblem = { param: FlowFilterParam; value: string };

/**
 * The theme and year of the address. A value that is not valid is reported (the caller answers
 * 400 or shows the unfiltered chart with a message) and left out of the filter.
 */
export function parseFlowFilter(params: URLSearchParams): { filter: FlowFilterValues; problems: FlowFilterProblem[] } {
  const problems: FlowFilterProblem[] = [];
  const theme = flowParamsSchema.theme.safeParse(params.get("theme"));
  if (!theme.success) problems.push({ param: "theme", value: params.get("theme") ?? "" });
  const year = flowParamsSchema.year.safeParse(params.get("year"));
  if (!year.success) problems.push({ param: "year", value: params.get("year") ?? "" });
  return {
    filter: { theme: theme.success ? (theme.data ?? null) : null, year: year.success ? (year.data ?? null) : null },
    problems,
  };
}

/** The query string that reproduces a filter ("" when unfiltered). */
export function flowFilterQuery(filter: FlowFilterValues): string {
  const params = new URLSearchParams();
  if (filter.theme) params.set("theme", filter.theme);
  if (filter.year !== null) params.set("year", String(filter.year));
  const query = params.toString();
  return query ? `?${query}` : "";
}
