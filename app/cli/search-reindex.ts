/**
 * `npm run search:reindex`: rebuilds the Meilisearch indexes from the database and swaps them in
 * without downtime (search/reindex.ts). Starts the embedded services when no URLs are configured.
 */
import { installJobQueue } from "~/jobs/queue.server";
import { disconnectPrisma } from "~/utils/db.server";
import { EnvError } from "~/utils/env.server";
import { ensureServices } from "~/utils/services.server";
import { reindexSearch } from "~search/reindex";

async function main() {
  const services = await ensureServices();
  try {
    await installJobQueue(services.databaseUrl);
    const started = performance.now();
    const result = await reindexSearch({ log: (line) => console.log(`[reindex] ${line}`) });
    console.log(
      `[reindex] done in ${Math.round(performance.now() - started)} ms: ${result.offers} offers, ${result.requests} requests` +
        (result.queuedForCatchUp ? `; ${result.queuedForCatchUp} queued for the worker` : ""),
    );
  } finally {
    await disconnectPrisma();
    await services.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
