// Each chart's data as a CSV table: stable English column names (so scripts can rely on them),
// codes next to labels in the reader's language.
import type { UiLocale } from "~/i18n/config";
import type { CountryActivity, CountryFlow, Funnel, OrganizationActivity, ThemeShare, ThemeSupplyDemand } from "~/models/insights.server";
import { vocabularyLabel } from "~/schemas/vocabulary";
import { funnelRows, shareOf, supplyDemandRows } from "./analysis";
import type { CsvValue } from "./csv";
import { roundDays } from "./format";

export type Dataset = { header: string[]; rows: CsvValue[][] };

function ratio(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10_000) / 10_000;
}

export function supplyDemandDataset(themes: readonly ThemeSupplyDemand[], locale: UiLocale): Dataset {
  return {
    header: ["theme", "theme_label", "published_offers", "open_requests", "supply_status"],
    rows: supplyDemandRows(themes).map((row) => [row.theme, vocabularyLabel("theme", row.theme, locale), row.offers, row.requests, row.status]),
  };
}

export function flowsDataset(flows: readonly CountryFlow[]): Dataset {
  return {
    header: ["provider_country", "provider_name", "beneficiary_country", "beneficiary_name", "cooperations"],
    rows: flows.map((flow) => [flow.providerCode, flow.provider, flow.beneficiaryCode, flow.beneficiary, flow.cooperations]),
  };
}

export function funnelDataset(funnel: Pick<Funnel, "stages">): Dataset {
  return {
    header: ["step", "requests", "share_of_published", "median_days_since_previous_step"],
    rows: funnelRows(funnel).map((row) => [row.step, row.requests, ratio(row.share), roundDays(row.medianDays)]),
  };
}

export function womenShareDataset(share: { requests: ThemeShare; cooperations: ThemeShare }): Dataset {
  return {
    header: ["subject", "targeting_theme", "total", "share"],
    rows: (["requests", "cooperations"] as const).map((subject) => [
      subject,
      share[subject].targeting,
      share[subject].total,
      ratio(shareOf(share[subject].targeting, share[subject].total)),
    ]),
  };
}

export function countriesDataset(countries: readonly CountryActivity[]): Dataset {
  return {
    header: ["country", "country_name", "published_offers", "open_requests", "cooperations_as_provider", "cooperations_as_beneficiary"],
    rows: countries.map((row) => [row.code, row.name, row.offered, row.requested, row.asProvider, row.asBeneficiary]),
  };
}

export function organizationsDataset(organizations: readonly OrganizationActivity[]): Dataset {
  return {
    header: ["organization", "country", "country_name", "published_offers", "open_requests", "cooperations_as_provider", "cooperations_as_beneficiary"],
    rows: organizations.map((row) => [row.name, row.countryCode, row.country, row.offered, row.requested, row.asProvider, row.asBeneficiary]),
  };
}
