// Meilisearch goes down: the search page answers from PostgreSQL with a notice, writes keep
// queueing their sync jobs, and once the engine is back every one of them is indexed by itself.
// This file runs its own Meilisearch (same binary, own port and data) so it can kill it.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { enqueueSearchSync } from "~/jobs/enqueue.server";
import { loader as healthLoader } from "~/routes/healthz";
import { loader as searchLoader } from "~/routes/search";
import { getPrisma } from "~/utils/db.server";
import { resetEnvCache } from "~/utils/env.server";
import { resetSearchClient } from "~search/client.server";
import { parseSearchState } from "~search/facets";
import { startMeilisearch, type MeilisearchProcess } from "~search/meili-process.server";
import { MAX_CONCURRENT_FALLBACK_SEARCHES, rethrowSearchBusyAsResponse, SearchBusyError, searchCatalogue } from "~search/search.server";
import { applySearchSettings } from "~search/settings";
import { syncSearchChanges } from "~search/sync.server";
import { getRequest, insertOffer, respond } from "../factories/catalogue";
import { createOrganization, uniqueSuffix } from "../factories/users";
import { findFreePort } from "../setup/services";
import { offerKeysFound, startTestWorker, waitFor } from "./search-helpers";

const OFFERS_WRITTEN_DURING_OUTAGE = 50;

let dataDir: string;
let port: number;
let meili: MeilisearchProcess | undefined;
let stopWorker: (() => Promise<void>) | undefined;
const sharedEngine = { url: process.env.MEILI_URL, key: process.env.MEILI_MASTER_KEY };

function useEngine(url: string | undefined, key: string | undefined) {
  process.env.MEILI_URL = url;
  process.env.MEILI_MASTER_KEY = key;
  resetEnvCache();
  resetSearchClient();
}

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "enlace-search-outage-"));
  port = await findFreePort();
  meili = await startMeilisearch({ dataDir, port });
  useEngine(meili.url, meili.masterKey);
  await applySearchSettings();
  stopWorker = await startTestWorker();
});

afterAll(async () => {
  await stopWorker?.();
  await meili?.stop();
  useEngine(sharedEngine.url, sharedEngine.key);
  await fs.rm(dataDir, { recursive: true, force: true });
});

test("with Meilisearch killed, 50 offers written, and the engine restarted, all 50 become searchable by themselves", async () => {
  const organization = await createOrganization({ countryCode: "UY" });
  const token = `ondavel${uniqueSuffix()}`;
  const before = await insertOffer({ organizationId: organization.id, title: `Anterior ${token}`, themes: ["cash-transfers"] });
  await syncSearchChanges({ offerIds: [before.id] });

  await meili?.stop();

  const health = await (await healthLoader()).json();
  expect(health.status).toBe("degraded");
  expect(health.search.ok).toBe(false);

  // The page still answers, from PostgreSQL, and says so.
  const degraded = await (await respond(searchLoader, getRequest(`/search?q=${token}&theme=cash-transfers`))).json();
  expect(degraded.results.degraded).toBe(true);
  expect(degraded.results.facetCounts).toBeNull();
  expect(degraded.results.hits.map((hit: { key: string }) => hit.key)).toEqual([before.key]);

  // Many searches at once while the engine is out: a few run on PostgreSQL, the rest are told
  // to retry rather than piling work on the database every other page needs. (Called in one
  // tick within the pause after the failure above, so none of them tries the engine first.)
  const state = parseSearchState(new URLSearchParams({ q: token }));
  const burst = await Promise.allSettled(Array.from({ length: 6 }, () => searchCatalogue({ state, canSearchRequests: false })));
  const answered = burst.filter((outcome) => outcome.status === "fulfilled");
  const refused = burst.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason] : []));
  expect(answered).toHaveLength(MAX_CONCURRENT_FALLBACK_SEARCHES);
  expect(refused).toHaveLength(6 - MAX_CONCURRENT_FALLBACK_SEARCHES);
  for (const reason of refused) expect(reason).toBeInstanceOf(SearchBusyError);
  const busyPage = (() => {
    try {
      rethrowSearchBusyAsResponse(refused[0]);
    } catch (thrown) {
      return thrown;
    }
  })();
  expect(busyPage).toBeInstanceOf(Response);
  expect((busyPage as Response).status).toBe(503);
  expect((busyPage as Response).headers.get("Retry-After")).toBe("5");
  // Once those finish, the next search is answered again.
  expect((await searchCatalogue({ state, canSearchRequests: false })).degraded).toBe(true);

  const written: string[] = [];
  for (let number = 1; number <= OFFERS_WRITTEN_DURING_OUTAGE; number += 1) {
    const offer = await getPrisma().$transaction(async (tx) => {
      const created = await tx.offer.create({
        data: {
          key: `outage-${number}-${uniqueSuffix()}`,
          organizationId: organization.id,
          title: `Programa ${number} ${token}`,
          summary: "Escrito mientras el motor de búsqueda estaba caído.",
          language: "es",
          themes: ["formalization"],
          modalities: ["workshop"],
          workingLanguages: ["es"],
          status: "published",
          publishedAt: new Date(),
        },
        select: { key: true, id: true },
      });
      await enqueueSearchSync(tx, { offerIds: [created.id] });
      return created;
    });
    written.push(offer.key);
  }

  // The worker tried and failed while the engine was down: the jobs wait with a backoff.
  await waitFor(
    async () => {
      const [row] = await getPrisma().$queryRaw<Array<{ failed: bigint }>>`
        select count(*) as failed from graphile_worker.jobs where task_identifier = 'search-sync' and attempts > 0`;
      return Number(row?.failed ?? 0);
    },
    (failed) => failed > 0,
    { what: "a failed sync attempt" },
  );

  meili = await startMeilisearch({ dataDir, port });

  const found = await waitFor(
    () => offerKeysFound(token, [organization.id]),
    (keys) => keys.length === OFFERS_WRITTEN_DURING_OUTAGE + 1,
    { what: "every offer written during the outage to be searchable", timeoutMs: 90_000, intervalMs: 250 },
  );
  expect(found).toEqual([before.key, ...written].sort());

  // The page uses the engine again (after its short pause following the failure).
  const recovered = await waitFor(
    async () => (await respond(searchLoader, getRequest(`/search?q=${token}`))).json(),
    (data) => data.results.degraded === false,
    { what: "the search page to use Meilisearch again", timeoutMs: 10_000, intervalMs: 500 },
  );
  expect(recovered.results.total).toBe(OFFERS_WRITTEN_DURING_OUTAGE + 1);
}, 180_000);
