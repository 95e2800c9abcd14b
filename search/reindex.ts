/**
 * `npm run search:reindex`: rebuilds both indexes from the database without downtime. Each index
 * is built fresh as `<prefix><kind>_<timestamp>` with the current settings, then swapped with the
 * live one in a single Meilisearch task (searches see either the old or the new index, never a
 * half-built one), and the old one is deleted.
 *
 * Writes that land while the fresh index is being built go to the old index through the outbox;
 * after the swap, the records changed since the start (and any the fresh index holds that are no
 * longer searchable) are queued for sync, so the worker brings them up to date in queue order.
 */
import type { Meilisearch } from "meilisearch";
import {
  countSearchableRecords,
  enqueueSearchSyncNow,
  findSearchableOfferIds,
  findSearchableRequestIds,
  findSearchChangesSince,
  searchableOfferPages,
  searchableRequestPages,
} from "~/models/search-documents.server";
import { getSearchClient, indexUid } from "./client.server";
import { buildOfferDocument, buildRequestDocument, SEARCH_KINDS, type SearchKind } from "./documents";
import { applyIndexSettings, ensureIndex } from "./settings";
import { waitForSucceededTask } from "./tasks.server";

const PAGE_SIZE = 1000;
// Clocks of the app servers and of the database differ a little; re-syncing a few records too
// many costs nothing.
const CLOCK_MARGIN_MS = 60_000;

export type ReindexResult = Record<SearchKind, number> & { queuedForCatchUp: number };

export async function reindexSearch(options: { log?: (line: string) => void; client?: Meilisearch } = {}): Promise<ReindexResult> {
  const log = options.log ?? (() => {});
  const client = options.client ?? getSearchClient();
  const startedAt = new Date(Date.now() - CLOCK_MARGIN_MS);
  const suffix = `${Date.now()}`;
  const counts: Record<SearchKind, number> = { offers: 0, requests: 0 };
  const catchUp = { offerIds: [] as string[], requestIds: [] as string[] };

  for (const kind of SEARCH_KINDS) {
    const liveUid = indexUid(kind);
    await deleteAbandonedBuilds(client, liveUid);
    const freshUid = `${liveUid}_${suffix}`;
    await applyIndexSettings(client, freshUid, kind);
    counts[kind] = await fillIndex(client, freshUid, kind);
    log(`${kind}: ${counts[kind]} documents indexed into ${freshUid}`);

    // swapIndexes needs both indexes to exist; a first reindex swaps with an empty one.
    await ensureIndex(client, liveUid);
    await waitForSucceededTask(client, client.swapIndexes([{ indexes: [liveUid, freshUid], rename: false }]));
    await waitForSucceededTask(client, client.index(freshUid).delete());
    log(`${kind}: swapped into ${liveUid}; the previous index was deleted`);

    const stale = await idsNoLongerSearchable(client, liveUid, kind);
    catchUp[kind === "offers" ? "offerIds" : "requestIds"].push(...stale);
  }

  const changed = await findSearchChangesSince({ since: startedAt });
  const changes = {
    offerIds: [...new Set([...catchUp.offerIds, ...changed.offerIds])],
    requestIds: [...new Set([...catchUp.requestIds, ...changed.requestIds])],
    organizationIds: changed.organizationIds,
  };
  const queuedForCatchUp = changes.offerIds.length + changes.requestIds.length + changes.organizationIds.length;
  if (queuedForCatchUp > 0) {
    await enqueueSearchSyncNow(changes);
    log(`${queuedForCatchUp} record(s) changed during the rebuild were queued for the sync worker`);
  }
  return { ...counts, queuedForCatchUp };
}

async function fillIndex(client: Meilisearch, uid: string, kind: SearchKind): Promise<number> {
  const index = client.index(uid);
  let count = 0;
  if (kind === "offers") {
    for await (const page of searchableOfferPages({ pageSize: PAGE_SIZE })) {
      await waitForSucceededTask(client, index.addDocuments(page.map(buildOfferDocument), { primaryKey: "id" }), { timeoutMs: 300_000 });
      count += page.length;
    }
  } else {
    for await (const page of searchableRequestPages({ pageSize: PAGE_SIZE })) {
      await waitForSucceededTask(client, index.addDocuments(page.map(buildRequestDocument), { primaryKey: "id" }), { timeoutMs: 300_000 });
      count += page.length;
    }
  }
  return count;
}

// A record read into the fresh index and then unpublished or deleted before the swap.
async function idsNoLongerSearchable(client: Meilisearch, uid: string, kind: SearchKind): Promise<string[]> {
  const index = client.index(uid);
  const stale: string[] = [];
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const page = await index.getDocuments<{ id: string }>({ fields: ["id"], limit: PAGE_SIZE, offset });
    const ids = page.results.map((document) => document.id);
    const searchable = kind === "offers" ? await findSearchableOfferIds({ ids }) : await findSearchableRequestIds({ ids });
    stale.push(...ids.filter((id) => !searchable.has(id)));
    if (ids.length < PAGE_SIZE) return stale;
  }
}

// Builds of a reindex that crashed before its swap.
async function deleteAbandonedBuilds(client: Meilisearch, liveUid: string): Promise<void> {
  const pattern = new RegExp(`^${liveUid.replace(/[-_]/g, "\\$&")}_\\d+$`);
  const { results } = await client.getIndexes({ limit: 1000 });
  for (const index of results) {
    if (pattern.test(index.uid)) await waitForSucceededTask(client, client.index(index.uid).delete());
  }
}

/**
 * Boot check: an index left empty while the database has searchable records (a new or wiped
 * Meilisearch, or records loaded before the worker existed, like the demo seed) is rebuilt.
 * Returns whether a rebuild ran.
 */
export async function rebuildEmptyIndexes(options: { log?: (line: string) => void; client?: Meilisearch } = {}): Promise<boolean> {
  const client = options.client ?? getSearchClient();
  const expected = await countSearchableRecords();
  let empty = false;
  for (const kind of SEARCH_KINDS) {
    const stats = await client.index(indexUid(kind)).getStats();
    if (stats.numberOfDocuments === 0 && expected[kind] > 0) empty = true;
  }
  if (!empty) return false;
  options.log?.("an index is empty while the database has searchable records: rebuilding");
  await reindexSearch(options);
  return true;
}
