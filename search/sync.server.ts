/**
 * Brings the index in line with the database for the records a sync job names. It always reads
 * the records' CURRENT rows: a record that is searchable now is (re)written whole, anything else
 * (a draft, an archived offer, a closed request, a deleted row) is removed. A late or repeated job
 * therefore converges on the database instead of replaying an old state.
 */
import type { EnqueuedTaskPromise, Meilisearch } from "meilisearch";
import type { SearchSyncPayload } from "~/jobs/search-sync-payload";
import {
  findOffersForSearch,
  findRecordIdsOfOrganizations,
  findRequestsForSearch,
} from "~/models/search-documents.server";
import { getSearchClient, indexUid } from "./client.server";
import {
  buildOfferDocument,
  buildRequestDocument,
  isSearchableOffer,
  isSearchableRequest,
  type SearchKind,
} from "./documents";
import { waitForSucceededTask } from "./tasks.server";

const DOCUMENTS_PER_TASK = 1000;

export type SyncResult = { upserted: number; deleted: number };

export async function syncSearchChanges(
  payload: SearchSyncPayload,
  options: { client?: Meilisearch; indexUids?: Record<SearchKind, string> } = {},
): Promise<SyncResult> {
  const client = options.client ?? getSearchClient();
  const uids = options.indexUids ?? { offers: indexUid("offers"), requests: indexUid("requests") };

  const related = await findRecordIdsOfOrganizations({
    organizationIds: payload.organizationIds,
    countryCodes: payload.countryCodes,
  });
  const offerIds = unique([...(payload.offerIds ?? []), ...related.offerIds]);
  const requestIds = unique([...(payload.requestIds ?? []), ...related.requestIds]);

  const [offers, requests] = await Promise.all([
    findOffersForSearch({ ids: offerIds }),
    findRequestsForSearch({ ids: requestIds }),
  ]);
  const offerDocuments = offers.filter(isSearchableOffer).map(buildOfferDocument);
  const requestDocuments = requests.filter(isSearchableRequest).map(buildRequestDocument);
  const offersToDelete = withoutIds(offerIds, offerDocuments);
  const requestsToDelete = withoutIds(requestIds, requestDocuments);

  const tasks: EnqueuedTaskPromise[] = [];
  const offersIndex = client.index(uids.offers);
  const requestsIndex = client.index(uids.requests);
  for (const chunk of chunks(offerDocuments)) tasks.push(offersIndex.addDocuments(chunk, { primaryKey: "id" }));
  for (const chunk of chunks(requestDocuments)) tasks.push(requestsIndex.addDocuments(chunk, { primaryKey: "id" }));
  for (const chunk of chunks(offersToDelete)) tasks.push(offersIndex.deleteDocuments(chunk));
  for (const chunk of chunks(requestsToDelete)) tasks.push(requestsIndex.deleteDocuments(chunk));

  // Settle every request first: an abandoned rejected promise would crash the process.
  const settled = await Promise.allSettled(tasks);
  const rejected = settled.find((result) => result.status === "rejected");
  if (rejected) throw rejected.reason;
  // Every task must have succeeded before the job may complete; otherwise the job fails and retries.
  for (const result of settled) {
    if (result.status === "fulfilled") await waitForSucceededTask(client, result.value);
  }
  return {
    upserted: offerDocuments.length + requestDocuments.length,
    deleted: offersToDelete.length + requestsToDelete.length,
  };
}

function withoutIds(ids: string[], documents: Array<{ id: string }>): string[] {
  const kept = new Set(documents.map((document) => document.id));
  return ids.filter((id) => !kept.has(id));
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function chunks<T>(items: T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += DOCUMENTS_PER_TASK) {
    result.push(items.slice(start, start + DOCUMENTS_PER_TASK));
  }
  return result;
}
