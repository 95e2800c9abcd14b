/**
 * Catch-up after a Meilisearch outage. While the engine is down, sync jobs fail and graphile-worker
 * pushes each retry further out (exp(attempt) seconds, up to about 6 hours). As soon as the engine
 * answers again, the sync jobs that failed for want of it (not those that failed for another
 * reason, which keep their backoff) are rescheduled to run now with a fresh attempt count, so
 * the index catches up within seconds of the engine's return, without anyone stepping in. The
 * index settings are applied again first, for an engine that was down at boot or lost its data.
 */
import type { WorkerUtils } from "graphile-worker";
import { checkSearchHealth } from "~search/client.server";
import { applySearchSettings } from "~search/settings";
import { SEARCH_SYNC_TASK } from "./search-sync-payload";

/** Starts the last_error of a sync job that failed because Meilisearch could not be used. */
export const SEARCH_UNAVAILABLE_PREFIX = "Meilisearch unavailable: ";

let failureNoticed = false;

/** Called by the sync task when the engine failed it, so the next healthy check counts as a recovery. */
export function noteSearchUnavailable() {
  failureNoticed = true;
}

export function startSearchRecovery({
  workerUtils,
  intervalMs,
}: {
  workerUtils: WorkerUtils;
  intervalMs: number;
}): () => Promise<void> {
  // Unknown at start: jobs left failing by a previous run are picked up on the first healthy check.
  let wasHealthy = false;
  let running: Promise<void> | undefined;
  let stopped = false;

  async function tick() {
    const health = await checkSearchHealth();
    if (!health.ok) {
      wasHealthy = false;
      return;
    }
    if (wasHealthy && !failureNoticed) return;
    failureNoticed = false;
    // An engine that was down at boot, or came back empty, needs its indexes and settings first.
    if (!wasHealthy) await applySearchSettings();
    await rescheduleWaitingSyncJobs(workerUtils);
    wasHealthy = true;
  }

  const timer = setInterval(() => {
    if (running || stopped) return;
    running = tick()
      .catch((error: unknown) => console.warn(`[jobs] search recovery check failed: ${String(error)}`))
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();

  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}

async function rescheduleWaitingSyncJobs(workerUtils: WorkerUtils): Promise<number> {
  const ids = await workerUtils.withPgClient(async (client) => {
    const result = await client.query<{ id: string }>(
      `select id::text as id from graphile_worker.jobs
       where task_identifier = $1 and attempts > 0 and locked_at is null and starts_with(last_error, $2)`,
      [SEARCH_SYNC_TASK, SEARCH_UNAVAILABLE_PREFIX],
    );
    return result.rows.map((row) => row.id);
  });
  if (ids.length === 0) return 0;
  // Not workerUtils.rescheduleJobs: graphile-worker 0.16 passes `attempts || null`, so an
  // attempts of 0 is dropped and every outage would use up more of the job's 200 attempts.
  const rescheduled = await workerUtils.withPgClient(async (client) => {
    const result = await client.query<{ id: string }>(
      `select id::text as id from graphile_worker.reschedule_jobs($1::bigint[], run_at := now(), attempts := 0)`,
      [ids],
    );
    return result.rows;
  });
  console.warn(`[jobs] Meilisearch is reachable again: ${rescheduled.length} waiting search sync job(s) rescheduled now`);
  return rescheduled.length;
}
