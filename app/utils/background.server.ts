/**
 * Work that runs beside the web server in the same process: the job queue worker (search sync,
 * mail, matching). Returns the function that stops it.
 */
import { installJobQueue, startWorker } from "~/jobs/queue.server";
import { getEnv } from "~/utils/env.server";
import { rebuildEmptyIndexes } from "~search/reindex";
import { applySearchSettings } from "~search/settings";

export async function startBackgroundWork(): Promise<() => Promise<void>> {
  const { DATABASE_URL, RUN_WORKER } = getEnv();
  if (!DATABASE_URL) throw new Error("DATABASE_URL is not set: the boot sequence must start or name a database first");
  await installJobQueue(DATABASE_URL);
  // A web-only instance (docs/decisions/007-scaling-out.md) still queues jobs in its transactions.
  if (!RUN_WORKER) return async () => {};
  // The site serves without Meilisearch (degraded mode); the worker applies the settings as soon
  // as the engine answers (app/jobs/search-recovery.server.ts).
  const searchReady = await applySearchSettings().then(
    () => true,
    (error: unknown) => {
      console.warn(`[search] index settings not applied at boot, Meilisearch unavailable: ${String(error)}`);
      return false;
    },
  );
  const stopWorker = await startWorker({ connectionString: DATABASE_URL, concurrency: 2 });
  // In the background, so the site serves meanwhile; searches see the full index once the rebuild
  // swaps it in.
  const rebuilding = searchReady
    ? rebuildEmptyIndexes({ log: (line) => console.log(`[search] ${line}`) }).catch((error: unknown) =>
        console.warn(`[search] rebuilding the empty indexes failed: ${String(error)}`),
      )
    : Promise.resolve();
  return async () => {
    await rebuilding;
    await stopWorker();
  };
}
