/**
 * The search outbox. Writers call `enqueueSearchSync` inside the transaction that changes the
 * catalogue, so the job exists exactly when the change is committed (and never when it rolls
 * back). The job carries ids only: the worker reads the CURRENT rows when it runs, so a retry, a
 * reordering or a duplicate can never resurrect a deleted record or push stale text.
 *
 * Callable before the worker runs: `graphile_worker.add_job` only needs the schema that
 * `installJobQueue` creates at boot (and the test setup creates).
 */
import type { TransactionClient } from "~/utils/db.server";
import { SEARCH_SYNC_MAX_ATTEMPTS, SEARCH_SYNC_QUEUE, SEARCH_SYNC_TASK, type SearchSyncPayload } from "~/jobs/search-sync-payload";

export type SearchChanges = {
  offerIds?: string[];
  requestIds?: string[];
  organizationIds?: string[];
  /** Country label or subregion changes re-sync every record of the country's organizations. */
  countryCodes?: string[];
};

// One job per chunk keeps payloads small and lets a bulk import be indexed in batches.
const IDS_PER_JOB = 500;

export async function enqueueSearchSync(tx: TransactionClient, changes: SearchChanges): Promise<void> {
  const payloads = chunkChanges(changes);
  for (const payload of payloads) {
    // A change to one record gets a job key: a burst of saves of the same record collapses into
    // one pending job, and a save while its job runs starts a new job behind it in the queue.
    const jobKey = singleRecordKey(payload);
    await tx.$executeRaw`SELECT graphile_worker.add_job(
      identifier => ${SEARCH_SYNC_TASK}::text,
      payload => ${JSON.stringify(payload)}::json,
      queue_name => ${SEARCH_SYNC_QUEUE}::text,
      max_attempts => ${SEARCH_SYNC_MAX_ATTEMPTS}::int,
      job_key => ${jobKey}::text
    )`;
  }
}

function chunkChanges(changes: SearchChanges): SearchSyncPayload[] {
  const payloads: SearchSyncPayload[] = [];
  const groups = [
    ["offerIds", unique(changes.offerIds)],
    ["requestIds", unique(changes.requestIds)],
    ["organizationIds", unique(changes.organizationIds)],
    ["countryCodes", unique(changes.countryCodes)],
  ] as const;
  for (const [field, ids] of groups) {
    for (let start = 0; start < ids.length; start += IDS_PER_JOB) {
      payloads.push({ [field]: ids.slice(start, start + IDS_PER_JOB) });
    }
  }
  return payloads;
}

function singleRecordKey(payload: SearchSyncPayload): string | null {
  const entries = Object.entries(payload).filter(([, ids]) => ids && ids.length > 0);
  if (entries.length !== 1) return null;
  const [field, ids] = entries[0];
  if (!ids || ids.length !== 1) return null;
  return `${SEARCH_SYNC_TASK}:${field}:${ids[0]}`;
}

function unique(values: string[] | undefined): string[] {
  return values ? [...new Set(values)] : [];
}
