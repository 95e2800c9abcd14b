// The search page counts the documents' `stale` flag like any other facet. The flag is set when a
// document is built; the stale refresh finds the documents the clock has overtaken since (and
// those built before the flag existed) and queues their sync, after which search shows them stale.
import { beforeAll, expect, test } from "vitest";
import { queueOutdatedStaleFlags } from "~/jobs/search-stale-refresh.server";
import { getSearchClient, indexUid } from "~search/client.server";
import { parseSearchState } from "~search/facets";
import { searchCatalogue } from "~search/search.server";
import { applySearchSettings } from "~search/settings";
import { findOutdatedStaleFlags } from "~search/stale-flags.server";
import { syncSearchChanges } from "~search/sync.server";
import { waitForSucceededTask } from "~search/tasks.server";
import { backdate, ensureJobQueue, insertOffer, monthsAgo, searchJobsFor } from "../factories/catalogue";
import { createOrganization } from "../factories/users";

const WORD = `wombatstale${Date.now().toString(36)}`;
const search = (query: string) => searchCatalogue({ state: parseSearchState(new URLSearchParams(query)), canSearchRequests: false });

beforeAll(async () => {
  await ensureJobQueue();
  await applySearchSettings();
});

test("a record indexed as current shows as stale once its twelve months pass and the refresh has run", async () => {
  const organization = await createOrganization({ countryCode: "UY" });
  const offer = await insertOffer({ organizationId: organization.id, title: `Clinics ${WORD}` });
  // Its twelve months since the last confirmation end a few seconds from now: long enough for
  // the steps before to run on a slow machine.
  const turnsStale = new Date(Date.now() + 5_000);
  await backdate({ table: "offer", id: offer.id, to: monthsAgo(12, turnsStale) });
  await syncSearchChanges({ offerIds: [offer.id] });

  const before = await search(`q=${WORD}`);
  expect(before.facetCounts?.stale).toEqual({ stale: 0, current: 1 });
  expect(before.hits.map((hit) => hit.stale)).toEqual([false]);
  expect((await findOutdatedStaleFlags({ now: new Date(turnsStale.getTime() - 1_000) })).offers).not.toContain(offer.id);

  await new Promise((resolve) => setTimeout(resolve, Math.max(0, turnsStale.getTime() - Date.now()) + 500));
  expect((await findOutdatedStaleFlags()).offers).toContain(offer.id);
  const jobsBefore = await searchJobsFor({ offerId: offer.id });
  expect(await queueOutdatedStaleFlags()).toBeGreaterThanOrEqual(1);
  expect(await searchJobsFor({ offerId: offer.id })).toBe(jobsBefore + 1);

  // What the queued job does when the worker runs it.
  await syncSearchChanges({ offerIds: [offer.id] });
  const after = await search(`q=${WORD}`);
  expect(after.facetCounts?.stale).toEqual({ stale: 1, current: 0 });
  expect(after.hits.map((hit) => hit.stale)).toEqual([true]);
  expect((await search(`q=${WORD}&stale=stale`)).total).toBe(1);
  expect((await search(`q=${WORD}&stale=current`)).total).toBe(0);
  expect((await findOutdatedStaleFlags()).offers).not.toContain(offer.id);
});

test("a document indexed before the flag existed is found, and its hit still says whether it is stale", async () => {
  const organization = await createOrganization({ countryCode: "UY" });
  const offer = await insertOffer({ organizationId: organization.id, title: `Archives ${WORD}` });
  await backdate({ table: "offer", id: offer.id, to: monthsAgo(13) });
  await syncSearchChanges({ offerIds: [offer.id] });
  const index = getSearchClient().index(indexUid("offers"));
  const { stale: _flag, ...withoutFlag } = await index.getDocument(offer.id);
  // addDocuments replaces the document whole (updateDocuments would merge and keep the flag).
  await waitForSucceededTask(getSearchClient(), index.addDocuments([withoutFlag], { primaryKey: "id" }));
  expect(await index.getDocument(offer.id)).not.toHaveProperty("stale");

  expect((await findOutdatedStaleFlags()).offers).toContain(offer.id);
  const found = await search(`q=${encodeURIComponent(`Archives ${WORD}`)}`);
  expect(found.hits.find((hit) => hit.id === offer.id)?.stale).toBe(true);
});
