/**
 * Documents whose `stale` flag the clock has overtaken: built as current, their twelve months
 * have since passed without an edit or a confirmation (or built before the flag existed). Nothing
 * writes those records, so nothing else would index them again; the worker's stale refresh
 * (app/jobs/search-stale-refresh.server.ts) finds them here and queues their sync.
 */
import type { Meilisearch } from "meilisearch";
import { getSearchClient, indexUid } from "./client.server";
import { SEARCH_KINDS, type SearchKind } from "./documents";

const PAGE_SIZE = 1000;

export async function findOutdatedStaleFlags(
  options: { now?: Date; client?: Meilisearch; indexUids?: Record<SearchKind, string> } = {},
): Promise<Record<SearchKind, string[]>> {
  const client = options.client ?? getSearchClient();
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const found: Record<SearchKind, string[]> = { offers: [], requests: [] };
  for (const kind of SEARCH_KINDS) {
    const index = client.index(options.indexUids?.[kind] ?? indexUid(kind));
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const page = await index.getDocuments<{ id: string }>({
        filter: `stale NOT EXISTS OR (stale = false AND currentUntil <= ${nowSeconds})`,
        fields: ["id"],
        limit: PAGE_SIZE,
        offset,
      });
      found[kind].push(...page.results.map((document) => document.id));
      if (page.results.length < PAGE_SIZE) break;
    }
  }
  return found;
}
