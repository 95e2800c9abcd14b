/**
 * The search page's state as it lives in the URL: `q`, `type`, `sort`, `page` and one parameter
 * per facet (repeated for several values). Isomorphic: the page builds links with it, the loader
 * parses requests with it. Parsing never fails: unknown parameters are ignored and values outside
 * a facet's vocabulary are dropped (and reported, so the page can say so).
 */
import { VOCABULARIES, type VocabularyName } from "~/schemas/vocabulary";
import { EVIDENCE_LEVELS, SEARCH_KINDS, type SearchKind } from "./documents";

export const SORTS = ["relevance", "updated", "created"] as const;
export type SearchSort = (typeof SORTS)[number];

export const STALE_VALUES = ["current", "stale"] as const;

// Meilisearch reads only the first 10 words of a query; this keeps a pasted essay from costing
// anything while leaving room for long phrases.
export const MAX_QUERY_LENGTH = 200;
export const HITS_PER_PAGE = 20;
// Meilisearch's pagination.maxTotalHits (search/settings.ts) caps what can be paged through.
export const MAX_PAGE = 250;
const MAX_VALUES_PER_FACET = 50;
const MAX_IGNORED_REPORTED = 10;

type FacetValues =
  | { source: "vocabulary"; vocabulary: VocabularyName }
  | { source: "list"; values: readonly string[] }
  | { source: "country" };

export type FacetDefinition = {
  /** URL parameter. */
  param: string;
  /** Index attribute (the stale facet's values "stale"/"current" are the boolean `stale`). */
  attribute: string;
  values: FacetValues;
  kinds: readonly SearchKind[];
};

const BOTH: readonly SearchKind[] = SEARCH_KINDS;

export const FACETS = [
  { param: "theme", attribute: "themes", values: { source: "vocabulary", vocabulary: "theme" }, kinds: BOTH },
  { param: "modality", attribute: "modalities", values: { source: "vocabulary", vocabulary: "modality" }, kinds: BOTH },
  { param: "country", attribute: "country", values: { source: "country" }, kinds: BOTH },
  { param: "subregion", attribute: "subregion", values: { source: "vocabulary", vocabulary: "subregion" }, kinds: BOTH },
  { param: "organizationType", attribute: "organizationType", values: { source: "vocabulary", vocabulary: "organizationType" }, kinds: BOTH },
  { param: "workingLanguage", attribute: "workingLanguages", values: { source: "vocabulary", vocabulary: "language" }, kinds: BOTH },
  { param: "language", attribute: "language", values: { source: "vocabulary", vocabulary: "language" }, kinds: BOTH },
  { param: "costSharing", attribute: "costSharing", values: { source: "vocabulary", vocabulary: "costSharing" }, kinds: ["offers"] },
  { param: "evidence", attribute: "evidence", values: { source: "list", values: EVIDENCE_LEVELS }, kinds: ["offers"] },
  { param: "stale", attribute: "stale", values: { source: "list", values: STALE_VALUES }, kinds: BOTH },
] as const satisfies readonly FacetDefinition[];

export type Facet = (typeof FACETS)[number];
export type FacetParam = Facet["param"];
export type SearchFilters = Partial<Record<FacetParam, string[]>>;

export type SearchState = {
  q: string;
  type: SearchKind;
  sort: SearchSort;
  page: number;
  filters: SearchFilters;
};

export type ParsedSearchState = SearchState & {
  /** `param=value` pairs that were dropped because the value is not one the facet knows. */
  ignored: string[];
};

export function facetsFor(kind: SearchKind): Facet[] {
  return FACETS.filter((facet) => facet.kinds.some((facetKind) => facetKind === kind));
}

export function isValidFacetValue(facet: FacetDefinition, value: string): boolean {
  switch (facet.values.source) {
    case "vocabulary":
      return VOCABULARIES[facet.values.vocabulary].codes.some((code) => code === value);
    case "list":
      return facet.values.values.includes(value);
    case "country":
      return /^[A-Z]{2}$/.test(value);
  }
}

function isOneOf<T extends string>(values: readonly T[], value: string | null): value is T {
  return value !== null && values.some((candidate) => candidate === value);
}

export function parseSearchState(params: URLSearchParams): ParsedSearchState {
  const rawType = params.get("type");
  const type: SearchKind = isOneOf(SEARCH_KINDS, rawType) ? rawType : "offers";
  const rawSort = params.get("sort");
  const sort: SearchSort = isOneOf(SORTS, rawSort) ? rawSort : "relevance";
  const page = Number.parseInt(params.get("page") ?? "", 10);
  const ignored: string[] = [];
  const filters: SearchFilters = {};
  for (const facet of facetsFor(type)) {
    const values: string[] = [];
    for (const raw of params.getAll(facet.param)) {
      const value = facet.values.source === "country" ? raw.trim().toUpperCase() : raw.trim();
      if (value === "") continue;
      if (!isValidFacetValue(facet, value)) {
        if (ignored.length < MAX_IGNORED_REPORTED) ignored.push(`${facet.param}=${raw.slice(0, 60)}`);
        continue;
      }
      if (!values.includes(value) && values.length < MAX_VALUES_PER_FACET) values.push(value);
    }
    if (values.length > 0) filters[facet.param] = values;
  }
  return {
    q: normalizeQuery(params.get("q") ?? ""),
    type,
    sort,
    page: Number.isInteger(page) && page >= 1 ? Math.min(page, MAX_PAGE) : 1,
    filters,
    ignored,
  };
}

export function normalizeQuery(query: string): string {
  // Control characters (and the private-use highlight markers) have no business in a query.
  const cleaned = query.replace(/[\p{Cc}\p{Co}]/gu, " ").replace(/\s+/g, " ").trim();
  return Array.from(cleaned).slice(0, MAX_QUERY_LENGTH).join("").trim();
}

/** The URL search string for a state; omits defaults so shared links stay short. */
export function searchStateToParams(state: SearchState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  if (state.type !== "offers") params.set("type", state.type);
  for (const facet of facetsFor(state.type)) {
    for (const value of state.filters[facet.param] ?? []) params.append(facet.param, value);
  }
  if (state.sort !== "relevance") params.set("sort", state.sort);
  if (state.page > 1) params.set("page", String(state.page));
  return params;
}

export function withFilterToggled(state: SearchState, param: FacetParam, value: string): SearchState {
  const current = state.filters[param] ?? [];
  const next = current.includes(value) ? current.filter((existing) => existing !== value) : [...current, value];
  return { ...state, page: 1, filters: { ...state.filters, [param]: next } };
}

export function countActiveFilters(filters: SearchFilters): number {
  return Object.values(filters).reduce((total, values) => total + (values?.length ?? 0), 0);
}
