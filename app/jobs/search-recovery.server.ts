/**
 * Catch-up after a Meilisearch outage. While the engine is down, sync jobs fail and graphile-worker
 * pushes each retry further out (exp(attempt) seconds, up to about 6 hours). As soon as the engine
 * answers again, the waiting sync jobs are rescheduled to run now with a fresh attempt count, so
 * the index catches up within seconds of the engine's return, without anyone stepping in.
 */
import type { WorkerUtils } from "graphile-worker";
import { checkSearchHealth } from "~search/client.server";
import { SEARCH_SYNC_TASK } from "./search-sync-payload";

let failureNoticed = false;

/** Called by the sync task when it fails, so the next healthy check counts as a recovery. */
export function noteSearchFailure(_error: unknown) {
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
    await rescheduleWaitingSyncJobs(workerUtils);
    wasHealthy = true;
  }

  const timer = setInterval(() => {
    if (running || stopped) return;
    running = tick()
      .catch((error: unknown) => console.warn("[jobs] search recovery check failed:", error))
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
       where task_identifier = $1 and attempts > 0 and locked_at is null`,
      [SEARCH_SYNC_TASK],
    );
    return result.rows.map((row) => row.id);
  });
  if (ids.length === 0) return 0;
  const rescheduled = await workerUtils.rescheduleJobs(ids, { runAt: new Date(), attempts: 0 });
  console.warn(`[jobs] Meilisearch is reachable again: ${rescheduled.length} waiting search sync job(s) rescheduled now`);
  return rescheduled.length;
}
