import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/auth/guards.server";
import { toCsv } from "~/components/insights/csv";
import {
  countriesDataset,
  flowsDataset,
  funnelDataset,
  organizationsDataset,
  supplyDemandDataset,
  womenShareDataset,
  type Dataset,
} from "~/components/insights/datasets";
import { insightChartSchema, parseFlowFilter, STAFF_ONLY_CHARTS, type InsightChart } from "~/components/insights/filters";
import { i18nServer } from "~/i18n/i18next.server";
import { messageLocale } from "~/mail/messages";
import {
  getCountryActivity,
  getCountryFlows,
  getFunnel,
  getOrganizationActivity,
  getThemeShare,
  getThemeSupplyDemand,
  WOMEN_ECONOMIC_EMPOWERMENT,
} from "~/models/insights.server";

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

// /insights/<chart>.csv: each chart's data, in the reader's language for names and labels.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const file = params.file ?? "";
  const chart = insightChartSchema.safeParse(file.endsWith(".csv") ? file.slice(0, -".csv".length) : "");
  if (!chart.success) {
    const t = await i18nServer.getFixedT(request, "insights");
    return textResponse(404, t("csv.invalidChart", { chart: file }));
  }
  if (STAFF_ONLY_CHARTS.includes(chart.data)) await requireStaff(request);

  const searchParams = new URL(request.url).searchParams;
  const { filter, problems } = parseFlowFilter(searchParams);
  if (chart.data === "flows" && problems.length > 0) {
    const names = problems.map((problem) => `"${problem.param}"`).join(", ");
    return textResponse(400, `Invalid parameter ${names}: ${problems.map((problem) => `${problem.param}=${JSON.stringify(problem.value)}`).join(", ")} is not a theme code or a year.`);
  }
  const locale = messageLocale(await i18nServer.getLocale(request));
  const dataset = await datasetOf(chart.data, { locale, filter });
  const suffix = chart.data === "flows" ? [filter.theme, filter.year].filter((part) => part !== null).join("-") : "";
  const filename = `enlace-${chart.data}${suffix ? `-${suffix}` : ""}.csv`;
  return new Response(toCsv(dataset.header, dataset.rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": STAFF_ONLY_CHARTS.includes(chart.data) ? "private, no-store" : "private, max-age=60",
    },
  });
}

async function datasetOf(
  chart: InsightChart,
  { locale, filter }: { locale: "en" | "es"; filter: ReturnType<typeof parseFlowFilter>["filter"] },
): Promise<Dataset> {
  switch (chart) {
    case "supply-demand":
      return supplyDemandDataset(await getThemeSupplyDemand(), locale);
    case "flows":
      return flowsDataset(await getCountryFlows({ filter, locale }));
    case "funnel":
      return funnelDataset(await getFunnel());
    case "women-share":
      return womenShareDataset(await getThemeShare({ theme: WOMEN_ECONOMIC_EMPOWERMENT }));
    case "countries":
      return countriesDataset(await getCountryActivity({ locale }));
    case "organizations":
      return organizationsDataset(await getOrganizationActivity({ locale }));
  }
}
