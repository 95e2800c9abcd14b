// The search channel of candidate retrieval: Meilisearch over published offers with the
// request's own words; the index's thesaurus synonyms carry them across languages. Other
// channels (themes, concepts) work without it, so when the engine is down or slow the matcher
// goes on without this one and says so (request_matching.used_search = false).
import { LANGUAGE_CODES } from "~/schemas/vocabulary";
import { getSearchClient, indexUid } from "~search/client.server";
import { queryWords } from "./text";

export type SearchHit = { id: string; rankingScore: number };

const MULTI_SEARCH_BATCH = 10;

// Descriptions are left out: they make a query several times slower on a large index and
// mostly repeat the summary's subject.
const ATTRIBUTES = (["title", "summary", "themeLabels"] as const).flatMap((field) =>
  LANGUAGE_CODES.map((language) => `${field}_${language}`)
);
// Meilisearch refuses to search on an attribute no document has yet (e.g. French titles), so
// the list is narrowed to the fields the index holds, read now and then.
const FIELDS_TTL_MS = 10 * 60_000;
let knownFields: { uid: string; fields: string[]; at: number } | undefined;

async function attributesToSearchOn(uid: string): Promise<string[] | undefined> {
  if (knownFields?.uid === uid && Date.now() - knownFields.at < FIELDS_TTL_MS) return knownFields.fields;
  const stats = await getSearchClient().index(uid).getStats();
  const fields = ATTRIBUTES.filter((attribute) => (stats.fieldDistribution[attribute] ?? 0) > 0);
  knownFields = { uid, fields, at: Date.now() };
  return fields;
}

type SearchableRequest = { title: string; summary: string; countryCode: string };

/** The title's words, then the summary's, at most `maxWords` (retrieval.searchQueryWords). */
export function searchQuery(request: Pick<SearchableRequest, "title" | "summary">, maxWords: number): string {
  const words = queryWords(request.title, maxWords);
  if (words.length < maxWords) {
    const lower = new Set(words.map((word) => word.toLocaleLowerCase()));
    for (const word of queryWords(request.summary, maxWords)) {
      if (words.length >= maxWords) break;
      if (!lower.has(word.toLocaleLowerCase())) words.push(word);
    }
  }
  return words.join(" ");
}

function searchParameters(request: SearchableRequest, limit: number, maxWords: number, attributes: string[] | undefined) {
  // Country codes come from our own table; anything else is not put in a filter at all.
  const filter = /^[A-Z]{2}$/.test(request.countryCode) ? `country != "${request.countryCode}"` : undefined;
  return {
    q: searchQuery(request, maxWords),
    limit,
    filter,
    showRankingScore: true,
    attributesToRetrieve: ["id"],
    // an empty list would search nothing: then every searchable attribute
    attributesToSearchOn: attributes && attributes.length > 0 ? attributes : undefined,
    matchingStrategy: "frequency" as const,
  };
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Meilisearch did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function toHits(hits: ReadonlyArray<Record<string, unknown>>): SearchHit[] {
  return hits.flatMap((hit) =>
    typeof hit.id === "string" ? [{ id: hit.id, rankingScore: typeof hit._rankingScore === "number" ? hit._rankingScore : 0 }] : []
  );
}

/** Offers for one request, or null when the engine could not answer in time. */
export async function searchOffersForRequest({
  request,
  limit,
  maxWords,
  timeoutMs,
}: {
  request: SearchableRequest;
  limit: number;
  maxWords: number;
  timeoutMs: number;
}): Promise<SearchHit[] | null> {
  if (searchQuery(request, maxWords) === "") return [];
  try {
    const uid = indexUid("offers");
    const { q, ...options } = searchParameters(request, limit, maxWords, await withTimeout(attributesToSearchOn(uid), timeoutMs));
    const response = await withTimeout(getSearchClient().index(uid).search(q, options), timeoutMs);
    return toHits(response.hits);
  } catch (error) {
    console.warn(
      `[matching] search channel unavailable, using themes and concepts only: ${error instanceof Error ? error.message : String(error)}`
    );
    return null;
  }
}

/**
 * Offers for many requests, in batches of multi-search queries; null for the whole lot when the
 * engine fails, so that a recomputation is consistent (every request with, or every without).
 */
export async function searchOffersForRequests({
  requests,
  limit,
  maxWords,
  timeoutMs,
}: {
  requests: ReadonlyArray<SearchableRequest & { id: string }>;
  limit: number;
  maxWords: number;
  timeoutMs: number;
}): Promise<Map<string, SearchHit[]> | null> {
  const result = new Map<string, SearchHit[]>();
  try {
    const client = getSearchClient();
    const uid = indexUid("offers");
    const attributes = await withTimeout(attributesToSearchOn(uid), timeoutMs);
    for (let start = 0; start < requests.length; start += MULTI_SEARCH_BATCH) {
      const batch = requests.slice(start, start + MULTI_SEARCH_BATCH).filter((request) => searchQuery(request, maxWords) !== "");
      if (batch.length === 0) continue;
      const response = await withTimeout(
        client.multiSearch({ queries: batch.map((request) => ({ indexUid: uid, ...searchParameters(request, limit, maxWords, attributes) })) }),
        timeoutMs * batch.length
      );
      response.results.forEach((answer, index) => result.set(batch[index].id, toHits(answer.hits)));
    }
    return result;
  } catch (error) {
    console.warn(
      `[matching] search channel unavailable, using themes and concepts only: ${error instanceof Error ? error.message : String(error)}`
    );
    return null;
  }
}
