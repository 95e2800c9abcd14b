import { Meilisearch } from "meilisearch";
import { getEnv } from "~/utils/env.server";

// A search page waits at most this long before falling back to PostgreSQL; the sync worker's
// requests fail just as fast and retry later.
const REQUEST_TIMEOUT_MS = 3_000;

// Node's fetch asks for compressed responses. Meilisearch then writes the headers and the
// compressed body as two packets without TCP_NODELAY, and the second waits for the client's
// delayed ACK: about 40 ms on every request with a body over a few kB (decision record 017).
// Uncompressed, the whole answer leaves at once and neither side spends CPU on gzip.
const UNCOMPRESSED = { headers: { "Accept-Encoding": "identity" } };

let client: Meilisearch | undefined;

/** A client with the app's request settings (timeout, uncompressed answers). */
export function createSearchClient({ host, apiKey }: { host: string; apiKey?: string }): Meilisearch {
  return new Meilisearch({ host, apiKey, timeout: REQUEST_TIMEOUT_MS, requestInit: UNCOMPRESSED });
}

export function getSearchClient(): Meilisearch {
  if (!client) {
    const env = getEnv();
    if (!env.MEILI_URL) throw new Error("MEILI_URL is not set: the boot sequence must start or name Meilisearch first");
    client = createSearchClient({ host: env.MEILI_URL, apiKey: env.MEILI_MASTER_KEY });
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
