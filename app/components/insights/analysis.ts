// The shape of each chart's data, derived from the figures of app/models/insights.server.ts:
// pure functions shared by the page (charts and tables) and the CSV route, so both always show
// the same numbers.
import { max, rollups, sum } from "d3-array";
import type { CountryFlow, Funnel, ThemeSupplyDemand } from "~/models/insights.server";

// ---------------------------------------------------------------------------------------
// Supply and demand

export type SupplyStatus = "unmet" | "short" | "covered" | "none";

/** Unmet: requests and no offer at all; short: fewer offers than requests. */
export function supplyStatus({ offers, requests }: { offers: number; requests: number }): SupplyStatus {
  if (requests === 0) return "none";
  if (offers === 0) return "unmet";
  if (offers < requests) return "short";
  return "covered";
}

export type SupplyDemandRow = ThemeSupplyDemand & { status: SupplyStatus; gap: number };

/** Every theme, largest unmet demand first (then most requested, then vocabulary order). */
export function supplyDemandRows(themes: readonly ThemeSupplyDemand[]): SupplyDemandRow[] {
  return themes
    .map((row, index) => ({ row: { ...row, status: supplyStatus(row), gap: row.requests - row.offers }, index }))
    .sort((a, b) => b.row.gap - a.row.gap || b.row.requests - a.row.requests || a.index - b.index)
    .map(({ row }) => row);
}

export function supplyDemandSummary(rows: readonly SupplyDemandRow[]) {
  const demanded = rows.filter((row) => row.requests > 0);
  const largestGap = rows.find((row) => row.gap > 0) ?? null;
  return {
    themesWithDemand: demanded.length,
    unmet: rows.filter((row) => row.status === "unmet").length,
    short: rows.filter((row) => row.status === "short").length,
    largestGap,
    empty: rows.every((row) => row.offers === 0 && row.requests === 0),
  };
}

// ---------------------------------------------------------------------------------------
// Flows between countries

/** The key of the row or column folding every country beyond the largest ones. */
export const OTHER_COUNTRIES = "*";

export type FlowMatrix = {
  providers: Array<{ code: string; name: string; total: number }>;
  beneficiaries: Array<{ code: string; name: string; total: number }>;
  /** cooperations by `${providerCode}>${beneficiaryCode}` */
  cells: Map<string, number>;
  max: number;
  total: number;
};

export function cellKey(providerCode: string, beneficiaryCode: string): string {
  return `${providerCode}>${beneficiaryCode}`;
}

/**
 * The heat map's matrix: the `limit` largest providers as rows and beneficiaries as columns; the
 * others are folded into one "other countries" row or column so the chart stays legible on a phone.
 */
export function flowMatrix(flows: readonly CountryFlow[], { limit, otherLabel }: { limit: number; otherLabel: string }): FlowMatrix {
  const side = (code: (flow: CountryFlow) => string, name: (flow: CountryFlow) => string) => {
    const totals = rollups(
      flows,
      (group) => ({ name: name(group[0]), total: sum(group, (flow) => flow.cooperations) }),
      code,
    )
      .map(([key, value]) => ({ code: key, ...value }))
      .sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
    if (totals.length <= limit + 1) return { kept: totals, keptCodes: new Set(totals.map((entry) => entry.code)) };
    const kept = totals.slice(0, limit);
    const rest = sum(totals.slice(limit), (entry) => entry.total);
    return {
      kept: [...kept, { code: OTHER_COUNTRIES, name: otherLabel, total: rest }],
      keptCodes: new Set(kept.map((entry) => entry.code)),
    };
  };
  const providers = side((flow) => flow.providerCode, (flow) => flow.provider);
  const beneficiaries = side((flow) => flow.beneficiaryCode, (flow) => flow.beneficiary);
  const cells = new Map<string, number>();
  for (const flow of flows) {
    const row = providers.keptCodes.has(flow.providerCode) ? flow.providerCode : OTHER_COUNTRIES;
    const column = beneficiaries.keptCodes.has(flow.beneficiaryCode) ? flow.beneficiaryCode : OTHER_COUNTRIES;
    const key = cellKey(row, column);
    cells.set(key, (cells.get(key) ?? 0) + flow.cooperations);
  }
  return {
    providers: providers.kept,
    beneficiaries: beneficiaries.kept,
    cells,
    max: max(cells.values()) ?? 0,
    total: sum(flows, (flow) => flow.cooperations),
  };
}

// ---------------------------------------------------------------------------------------
// Funnel and shares

export function shareOf(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

export function funnelRows(funnel: Pick<Funnel, "stages">) {
  const published = funnel.stages[0]?.requests ?? 0;
  return funnel.stages.map((stage) => ({ ...stage, share: shareOf(stage.requests, published) }));
}
