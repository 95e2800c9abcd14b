import { Meilisearch } from "meilisearch";
import { getEnv } from "~/utils/env.server";

// A search page waits at most this long before falling back to PostgreSQL; the sync worker's
// requests fail just as fast and retry later.
const REQUEST_TIMEOUT_MS = 3_000;

let client: Meilisearch | undefined;

export function getSearchClient(): Meilisearch {
  if (!client) {
    const env = getEnv();
    if (!env.MEILI_URL) throw new Error("MEILI_URL is not set: the boot sequence must start or name Meilisearch first");
    client = new Meilisearch({ host: env.MEILI_URL, apiKey: env.MEILI_MASTER_KEY, timeout: REQUEST_TIMEOUT_MS });
  }
  return client;
}

/** Forget the client, so the next call reads MEILI_URL again (tests that start their own engine). */
export function resetSearchClient() {
  client = undefined;
}

/** Index uids carry the configured prefix so several instances (or test runs) can share one server. */
export function indexUid(name: "offers" | "requests"): string {
  return `${getEnv().MEILI_INDEX_PREFIX}${name}`;
}

export async function checkSearchHealth(): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
  const started = performance.now();
  try {
    const health = await getSearchClient().health();
    return { ok: health.status === "available", latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: String(error) };
  }
}
