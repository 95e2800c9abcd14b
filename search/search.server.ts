/**
 * The search service behind /search: Meilisearch when it answers, PostgreSQL full-text search
 * (degraded mode, flagged in the result) when it does not. Never throws for a bad query: the state
 * it receives was already reduced to known parameters and values by parseSearchState.
 */
import type { MultiSearchResult, RecordAny } from "meilisearch";
import { z } from "zod";
import { searchCatalogueInDatabase, type FallbackFilters } from "~/models/search-fallback.server";
import { languageSchema } from "~/schemas/vocabulary";
import { getSearchClient, indexUid } from "./client.server";
import type { SearchKind } from "./documents";
import { isSearchUnavailable } from "./errors.server";
import { FACETS, HITS_PER_PAGE, MAX_PAGE, type FacetParam, type SearchState } from "./facets";
import { plainSegments, toSegments, type TextSegment } from "./highlight";
import { planSearch } from "./queries";
import { cachedSearch } from "./results-cache.server";

export type SearchHit = {
  id: string;
  key: string;
  kind: SearchKind;
  language: string;
  title: TextSegment[];
  summary: TextSegment[];
  organizationName: string;
  country: string;
  themes: string[];
  /** ISO 8601. */
  updatedAt: string;
  stale: boolean;
};

export type FacetCounts = Partial<Record<FacetParam, Record<string, number>>>;

export type SearchResults = {
  kind: SearchKind;
  total: number;
  page: number;
  totalPages: number;
  hits: SearchHit[];
  /** null in degraded mode, which counts nothing. */
  facetCounts: FacetCounts | null;
  /** Totals per kind for the tabs; a kind the visitor may not search is absent. */
  kindCounts: Partial<Record<SearchKind, number>>;
  /** Meilisearch was unreachable and PostgreSQL answered. */
  degraded: boolean;
  /** Answered from this process's memory: the same search on unchanged indexes (results-cache.server.ts). */
  fromCache: boolean;
};

export type SearchRequest = {
  state: SearchState;
  /** Requests are for members and staff only; the caller decides from the session. */
  canSearchRequests: boolean;
  now?: Date;
};

// After Meilisearch failed to answer, searches go straight to PostgreSQL for a moment instead of
// each waiting for the same failure (a hung engine costs the client's full timeout).
const SKIP_ENGINE_AFTER_FAILURE_MS = 3_000;
let engineSkippedUntil = 0;

// The PostgreSQL fallback costs far more per search than the engine. When the engine is only
// overloaded (answers late rather than not at all), sending every search to the database would
// slow every other page as well, so each process runs a few fallback searches at a time and
// tells the rest to retry (the load benchmark showed the cascade without this bound).
export const MAX_CONCURRENT_FALLBACK_SEARCHES = 2;
let fallbackSearchesRunning = 0;

/** Search is overloaded: the caller answers 503 with Retry-After rather than queueing more work. */
export class SearchBusyError extends Error {
  constructor() {
    super("search is busy: the engine is not answering and the database fallback is at its limit");
    this.name = "SearchBusyError";
  }
}

/** For loaders: a busy search becomes a 503 page asking to retry shortly; other errors pass on. */
export function rethrowSearchBusyAsResponse(error: unknown): never {
  if (error instanceof SearchBusyError) throw new Response("Search is busy", { status: 503, headers: { "Retry-After": "5" } });
  throw error;
}

async function searchWithDatabaseBounded(state: SearchState): Promise<SearchResults> {
  if (fallbackSearchesRunning >= MAX_CONCURRENT_FALLBACK_SEARCHES) throw new SearchBusyError();
  fallbackSearchesRunning += 1;
  try {
    return await searchWithDatabase(state);
  } finally {
    fallbackSearchesRunning -= 1;
  }
}

export async function searchCatalogue({ state, canSearchRequests, now = new Date() }: SearchRequest): Promise<SearchResults> {
  const effective: SearchState = state.type === "requests" && !canSearchRequests ? { ...state, type: "offers", filters: {} } : state;
  if (Date.now() < engineSkippedUntil) return searchWithDatabaseBounded(effective);
  try {
    return await searchWithMeilisearch(effective, canSearchRequests, now);
  } catch (error) {
    if (isSearchUnavailable(error)) {
      if (engineSkippedUntil === 0 || Date.now() >= engineSkippedUntil) {
        console.warn(`[search] Meilisearch unavailable, answering from PostgreSQL: ${String(error)}`);
      }
      engineSkippedUntil = Date.now() + SKIP_ENGINE_AFTER_FAILURE_MS;
    } else {
      // The engine answered but refused the query: a bug in how we build queries, not an outage.
      console.error("[search] Meilisearch failed a query; answering from PostgreSQL:", error);
    }
    return searchWithDatabaseBounded(effective);
  }
}

const hitSchema = z.object({
  id: z.string(),
  key: z.string(),
  language: languageSchema,
  themes: z.array(z.string()),
  organizationName: z.string(),
  country: z.string(),
  updatedAt: z.number(),
  currentUntil: z.number(),
  // Absent from documents indexed before the flag existed, until the stale refresh builds them again.
  stale: z.boolean().optional(),
  _formatted: z.record(z.string(), z.unknown()).optional(),
});

async function searchWithMeilisearch(state: SearchState, canSearchRequests: boolean, now: Date): Promise<SearchResults> {
  const { result, cache } = await cachedSearch({
    indexUids: [indexUid("offers"), indexUid("requests")],
    search: { state, canSearchRequests },
    now,
    compute: () => searchWithMeilisearchUncached(state, canSearchRequests, now),
  });
  // A shallow copy: the cached object itself is shared by every search that hits it.
  return cache === "hit" ? { ...result, fromCache: true } : result;
}

async function searchWithMeilisearchUncached(state: SearchState, canSearchRequests: boolean, now: Date): Promise<SearchResults> {
  const otherKind: SearchKind | undefined = canSearchRequests ? (state.type === "offers" ? "requests" : "offers") : undefined;
  const plan = planSearch({
    state,
    indexUids: { offers: indexUid("offers"), requests: indexUid("requests") },
    otherKind,
  });
  const { results } = await getSearchClient().multiSearch({ queries: plan.queries });

  let main: MultiSearchResult<RecordAny> | undefined;
  const facetCounts: FacetCounts = {};
  const kindCounts: Partial<Record<SearchKind, number>> = {};
  results.forEach((result, position) => {
    const role = plan.roles[position];
    if (role.role === "hits") main = result;
    else if (role.role === "facet") {
      const facet = FACETS.find((candidate) => candidate.param === role.param);
      if (facet) facetCounts[role.param] = result.facetDistribution?.[facet.attribute] ?? {};
    } else kindCounts[role.kind] = result.totalHits ?? 0;
  });
  if (!main) throw new Error("Meilisearch returned no hits result");
  for (const facet of FACETS) {
    const distribution = main.facetDistribution?.[facet.attribute];
    if (distribution && !facetCounts[facet.param]) facetCounts[facet.param] = distribution;
  }
  const total = main.totalHits ?? 0;
  // The index counts the boolean `stale` as "true"/"false"; the page's values are stale/current.
  const staleFlags = facetCounts.stale ?? {};
  facetCounts.stale = { stale: staleFlags.true ?? 0, current: staleFlags.false ?? 0 };

  kindCounts[state.type] = total;
  const hits = main.hits.flatMap((raw) => {
    const parsed = hitSchema.safeParse(raw);
    if (!parsed.success) return [];
    const hit = parsed.data;
    const formatted = hit._formatted ?? {};
    const title = formatted[`title_${hit.language}`] ?? raw[`title_${hit.language}`];
    const summary = formatted[`summary_${hit.language}`] ?? raw[`summary_${hit.language}`];
    return [
      {
        id: hit.id,
        key: hit.key,
        kind: state.type,
        language: hit.language,
        title: typeof title === "string" ? toSegments(title) : [],
        summary: typeof summary === "string" ? toSegments(summary) : [],
        organizationName: hit.organizationName,
        country: hit.country,
        themes: hit.themes,
        updatedAt: new Date(hit.updatedAt * 1000).toISOString(),
        stale: hit.stale ?? hit.currentUntil < Math.floor(now.getTime() / 1000),
      },
    ];
  });
  return {
    kind: state.type,
    total,
    page: state.page,
    totalPages: Math.min(main.totalPages ?? 0, MAX_PAGE),
    hits,
    facetCounts,
    kindCounts,
    degraded: false,
    fromCache: false,
  };
}

async function searchWithDatabase(state: SearchState): Promise<SearchResults> {
  const { filters } = state;
  const fallbackFilters: FallbackFilters = {
    themes: filters.theme,
    modalities: filters.modality,
    workingLanguages: filters.workingLanguage,
    languages: filters.language,
    countries: filters.country,
    subregions: filters.subregion,
    organizationTypes: filters.organizationType,
    costSharing: filters.costSharing,
    evidence: filters.evidence,
    stale: filters.stale,
  };
  const { total, rows } = await searchCatalogueInDatabase({
    kind: state.type,
    query: state.q,
    filters: fallbackFilters,
    sort: state.sort,
    page: state.page,
    hitsPerPage: HITS_PER_PAGE,
  });
  return {
    kind: state.type,
    total,
    page: state.page,
    totalPages: Math.min(Math.ceil(total / HITS_PER_PAGE), MAX_PAGE),
    hits: rows.map((row) => ({
      id: row.id,
      key: row.key,
      kind: state.type,
      language: row.language,
      title: plainSegments(row.title),
      summary: plainSegments(truncateWords(row.summary, 40)),
      organizationName: row.organizationName,
      country: row.countryCode,
      themes: row.themes,
      updatedAt: row.updatedAt.toISOString(),
      stale: row.stale,
    })),
    facetCounts: null,
    kindCounts: { [state.type]: total },
    degraded: true,
    fromCache: false,
  };
}

function truncateWords(text: string, words: number): string {
  const parts = text.split(/\s+/);
  return parts.length <= words ? text : `${parts.slice(0, words).join(" ")}…`;
}
