/**
 * The job queue: graphile-worker on the application's own PostgreSQL
 * (docs/decisions/003-job-queue.md). Jobs are added inside the transactions that cause them
 * (app/jobs/enqueue.server.ts), so the queue doubles as the transactional outbox.
 */
import { makeWorkerUtils, run } from "graphile-worker";
import { jobLogger as logger } from "./queue-schema.server";
import { MAINTENANCE_CRONTAB } from "./maintenance.server";
import { SEARCH_STALE_REFRESH_CRONTAB, SEARCH_STALE_REFRESH_TASK } from "./search-stale-refresh.server";
import { startSearchRecovery } from "./search-recovery.server";
import { startWorkerLiveness } from "./worker-liveness.server";
import { taskList } from "./tasks.server";

export { installJobQueue } from "./queue-schema.server";

export type WorkerOptions = {
  connectionString: string;
  /** Jobs run at once across queues; the search-sync queue itself always runs one job at a time. */
  concurrency?: number;
  /** How often the worker looks for due jobs besides being woken by LISTEN/NOTIFY. */
  pollIntervalMs?: number;
  /** How often Meilisearch's health is checked to catch up after an outage. */
  recoveryIntervalMs?: number;
  /** How often the jobs of workers that died without shutting down are looked for and freed. */
  livenessSweepIntervalMs?: number;
};

/** Starts processing jobs; resolves to the function that stops the worker gracefully. */
export async function startWorker(options: WorkerOptions): Promise<() => Promise<void>> {
  const workerUtils = await makeWorkerUtils({ connectionString: options.connectionString, logger });
  const liveness = startWorkerLiveness({
    connectionString: options.connectionString,
    workerUtils,
    sweepIntervalMs: options.livenessSweepIntervalMs ?? 15_000,
  });
  const runner = await run({
    connectionString: options.connectionString,
    concurrency: options.concurrency ?? 2,
    pollInterval: options.pollIntervalMs ?? 1000,
    noHandleSignals: true,
    taskList,
    crontab: [MAINTENANCE_CRONTAB, SEARCH_STALE_REFRESH_CRONTAB].join("\n"),
    logger,
    events: liveness.events,
  });
  // Once at start as well as every quarter of an hour: documents indexed before the stale flag
  // existed get it now rather than at the next slot. The job key makes it one job across instances.
  await workerUtils.addJob(SEARCH_STALE_REFRESH_TASK, {}, { jobKey: SEARCH_STALE_REFRESH_TASK, maxAttempts: 3 });
  const stopRecovery = startSearchRecovery({ workerUtils, intervalMs: options.recoveryIntervalMs ?? 2000 });
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      await stopRecovery();
      await runner.stop();
      await liveness.stop();
      await workerUtils.release();
    })();
    return stopping;
  };
}
