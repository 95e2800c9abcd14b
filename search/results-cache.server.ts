/**
 * Repeated searches are answered from memory while the indexes they read are unchanged.
 *
 * A search page costs Meilisearch one multi-search of up to a dozen queries (hits with the facet
 * counts, the counts of each selected facet, the other kind's total): about 10 ms of the engine's
 * CPU on 10,000 offers, 25-50 ms for some queries. The same few searches make most of a
 * site's traffic, and the catalogue changes a few times an hour, so each web process keeps the
 * results it computed, keyed by the search and by the version of every index it read: the
 * index's `createdAt` and `updatedAt`, which Meilisearch moves with every task that changes the
 * index (documents added, updated or deleted, settings, a swap by search:reindex). Reading those
 * versions is one small request per index, shared by the searches in flight at the same moment.
 * A version is read before the search it keys, so an entry never holds older data than its key
 * says (decision record 018).
 */
import { LRUCache } from "lru-cache";
import { getEnv } from "~/utils/env.server";
import { getSearchClient } from "./client.server";

// Stale flags are computed against the clock: an entry serves one minute of it at most.
const CLOCK_BUCKET_MS = 60_000;
// A safety net beyond the versions: nothing is served from memory for longer than this.
const MAX_AGE_MS = 10 * 60_000;

export type CacheOutcome = "hit" | "miss" | "off";

let cache: LRUCache<string, object> | undefined;
const versionsInFlight = new Map<string, Promise<string>>();

function resultsCache(): LRUCache<string, object> | undefined {
  const max = getEnv().SEARCH_CACHE_ENTRIES;
  if (max === 0) return undefined;
  cache ??= new LRUCache<string, object>({ max, ttl: MAX_AGE_MS });
  return cache;
}

/** The index's version: concurrent callers share one request to Meilisearch. */
function indexVersion(uid: string): Promise<string> {
  const inFlight = versionsInFlight.get(uid);
  if (inFlight) return inFlight;
  const version = getSearchClient()
    .index(uid)
    .getRawInfo()
    .then((info) => `${uid}@${String(info.createdAt)}/${String(info.updatedAt)}`)
    .finally(() => versionsInFlight.delete(uid));
  versionsInFlight.set(uid, version);
  return version;
}

/** The versions of these indexes, as one string: it changes whenever any of them changes. */
export async function indexesVersion(indexUids: string[]): Promise<string> {
  const versions = await Promise.all([...new Set(indexUids)].sort().map(indexVersion));
  return versions.join(" ");
}

/**
 * The cached result of `compute` for this search, or a fresh one that is then kept. `search`
 * must hold everything the result depends on besides the indexes and the clock (the query
 * state, whether requests may be searched).
 */
export async function cachedSearch<Result extends object>({
  indexUids,
  search,
  now,
  compute,
}: {
  indexUids: string[];
  search: unknown;
  now: Date;
  compute: () => Promise<Result>;
}): Promise<{ result: Result; cache: CacheOutcome }> {
  const entries = resultsCache();
  if (!entries) return { result: await compute(), cache: "off" };
  const key = JSON.stringify([await indexesVersion(indexUids), Math.floor(now.getTime() / CLOCK_BUCKET_MS), search]);
  const cached = entries.get(key);
  if (cached) return { result: cached as Result, cache: "hit" };
  const result = await compute();
  entries.set(key, result);
  return { result, cache: "miss" };
}
