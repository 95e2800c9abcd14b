/**
 * Folding queued sync jobs into the one that runs. The search-sync queue runs one job at a time
 * (ordering safety, docs/decisions/003-job-queue.md), so after an outage or a burst of saves the
 * queue holds many small jobs, each costing a Meilisearch task and its wait. While a sync job runs,
 * the others of its queue cannot start; so it takes their ids along, and on success deletes exactly
 * the jobs it covered. A job replaced in the meantime (a newer save of the same record bumps its
 * revision) or locked is left alone and runs on its own.
 *
 * This reads graphile-worker's `_private_jobs` table (0.16 schema): its public `jobs` view leaves
 * the payload out. Upgrading graphile-worker means checking these two queries.
 */
import type { JobHelpers } from "graphile-worker";
import { SEARCH_SYNC_QUEUE, SEARCH_SYNC_TASK, searchSyncPayloadSchema, type SearchSyncPayload } from "./search-sync-payload";

const MAX_JOBS_FOLDED = 200;

export type FoldedJob = { id: string; revision: number };

/** What folding needs of a running job's helpers. */
export type FoldingHelpers = Pick<JobHelpers, "withPgClient"> & { job: { id: string } };

export async function foldQueuedSyncJobs(
  helpers: FoldingHelpers,
  own: SearchSyncPayload,
): Promise<{ payload: SearchSyncPayload; folded: FoldedJob[] }> {
  const rows = await helpers.withPgClient((client) =>
    client.query<{ id: string; revision: number; payload: unknown }>(
      `select jobs.id::text as id, jobs.revision, jobs.payload
         from graphile_worker._private_jobs as jobs
         join graphile_worker._private_tasks as tasks on tasks.id = jobs.task_id
         join graphile_worker._private_job_queues as queues on queues.id = jobs.job_queue_id
        where tasks.identifier = $1 and queues.queue_name = $2 and jobs.id <> $3::bigint
          and jobs.locked_at is null and jobs.run_at <= now() and jobs.attempts < jobs.max_attempts
        order by jobs.id
        limit $4`,
      [SEARCH_SYNC_TASK, SEARCH_SYNC_QUEUE, helpers.job.id, MAX_JOBS_FOLDED],
    ),
  );
  const merged = {
    offerIds: new Set(own.offerIds),
    requestIds: new Set(own.requestIds),
    organizationIds: new Set(own.organizationIds),
    countryCodes: new Set(own.countryCodes),
  };
  const folded: FoldedJob[] = [];
  for (const row of rows.rows) {
    const parsed = searchSyncPayloadSchema.safeParse(row.payload);
    if (!parsed.success) continue;
    for (const id of parsed.data.offerIds ?? []) merged.offerIds.add(id);
    for (const id of parsed.data.requestIds ?? []) merged.requestIds.add(id);
    for (const id of parsed.data.organizationIds ?? []) merged.organizationIds.add(id);
    for (const code of parsed.data.countryCodes ?? []) merged.countryCodes.add(code);
    folded.push({ id: row.id, revision: row.revision });
  }
  return {
    payload: {
      offerIds: [...merged.offerIds],
      requestIds: [...merged.requestIds],
      organizationIds: [...merged.organizationIds],
      countryCodes: [...merged.countryCodes],
    },
    folded,
  };
}

/** Deletes the folded jobs that are still as they were read (same revision, not locked). */
export async function completeFoldedJobs(helpers: Pick<JobHelpers, "withPgClient">, folded: FoldedJob[]): Promise<void> {
  if (folded.length === 0) return;
  await helpers.withPgClient((client) =>
    client.query(
      `delete from graphile_worker._private_jobs as jobs
        using unnest($1::bigint[], $2::int[]) as covered(id, revision)
        where jobs.id = covered.id and jobs.revision = covered.revision and jobs.locked_at is null`,
      [folded.map((job) => job.id), folded.map((job) => job.revision)],
    ),
  );
}
