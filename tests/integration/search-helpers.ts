// Shared setup of the search integration tests: the index settings, a sync worker on the test
// database, and queries straight to the test run's Meilisearch indexes.
import { installJobQueue, startWorker } from "~/jobs/queue.server";
import { getPrisma } from "~/utils/db.server";
import { getSearchClient, indexUid } from "~search/client.server";
import { quoteFilterValue } from "~search/queries";

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  return url;
}

/** The job queue's schema and a worker polling fast, as the server runs it (stopped by the caller). */
export async function startTestWorker(): Promise<() => Promise<void>> {
  await installJobQueue(databaseUrl());
  return startWorker({ connectionString: databaseUrl(), concurrency: 2, pollIntervalMs: 200, recoveryIntervalMs: 250 });
}

export async function waitFor<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 20_000, intervalMs = 100, what = "condition" }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    last = await probe();
  }
  return last;
}

/** Keys of the offers a query finds among the given organizations' offers: sorted, or in rank order. */
export async function offerKeysFound(query: string, organizationIds: string[], { ranked = false } = {}): Promise<string[]> {
  const result = await getSearchClient()
    .index(indexUid("offers"))
    .search(query, {
      filter: [`organizationId IN [${organizationIds.map(quoteFilterValue).join(", ")}]`],
      attributesToRetrieve: ["key"],
      limit: 1000,
    });
  const keys = result.hits.map((hit) => String(hit.key));
  return ranked ? keys : keys.sort();
}

/** Search-sync jobs still waiting to run successfully. */
export async function pendingSearchJobs(): Promise<number> {
  const [row] = await getPrisma().$queryRaw<Array<{ count: bigint }>>`
    select count(*) as count from graphile_worker.jobs
    where task_identifier = 'search-sync' and attempts < max_attempts`;
  return Number(row?.count ?? 0);
}
