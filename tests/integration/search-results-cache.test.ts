// Repeated searches are answered from memory only while the indexes are unchanged: every change
// the app makes to an index (a new record, an edit, a removal) is seen by the very next search.
import { beforeAll, expect, test } from "vitest";
import { getPrisma } from "~/utils/db.server";
import { parseSearchState } from "~search/facets";
import { searchCatalogue } from "~search/search.server";
import { syncSearchChanges } from "~search/sync.server";
import { applySearchSettings } from "~search/settings";
import { insertOffer, insertRequest } from "../factories/catalogue";
import { createOrganization } from "../factories/users";

// A word no other test file indexes, so the totals below are this file's own records.
const WORD = `quokkacache${Date.now().toString(36)}`;

const search = (canSearchRequests = false, q = WORD) => searchCatalogue({ state: parseSearchState(new URLSearchParams({ q })), canSearchRequests });

let organizationId: string;

beforeAll(async () => {
  await applySearchSettings();
  organizationId = (await createOrganization({ countryCode: "PE" })).id;
  const first = await insertOffer({ organizationId, title: `Mentoring ${WORD} network` });
  await syncSearchChanges({ offerIds: [first.id] });
});

test("the same search again is answered from memory with the same results", async () => {
  const first = await search();
  const again = await search();
  expect(first.degraded).toBe(false);
  expect(first.total).toBe(1);
  expect(again.fromCache).toBe(true);
  expect({ ...again, fromCache: false }).toEqual(first);
});

test("a new record, an edit and a removal are each seen by the next search, not a kept answer", async () => {
  await search();
  expect((await search()).fromCache).toBe(true);

  const second = await insertOffer({ organizationId, title: `Second ${WORD} program` });
  await syncSearchChanges({ offerIds: [second.id] });
  const afterInsert = await search();
  expect(afterInsert.fromCache).toBe(false);
  expect(afterInsert.total).toBe(2);

  await getPrisma().offer.update({ where: { id: second.id }, data: { title: `Renamed ${WORD} initiative` } });
  await syncSearchChanges({ offerIds: [second.id] });
  const afterEdit = await search();
  expect(afterEdit.fromCache).toBe(false);
  expect(afterEdit.hits.map((hit) => hit.title.map((segment) => segment.text).join(""))).toContain(`Renamed ${WORD} initiative`);

  await getPrisma().offer.update({ where: { id: second.id }, data: { status: "archived" } });
  await syncSearchChanges({ offerIds: [second.id] });
  const afterRemoval = await search();
  expect(afterRemoval.fromCache).toBe(false);
  expect(afterRemoval.total).toBe(1);
});

test("a change to the requests index is seen too, and who may search requests is part of the search", async () => {
  const asMember = await search(true);
  const asVisitor = await search(false);
  // The visitor's answer is not the member's kept one: members also get the requests' count.
  expect(asVisitor.kindCounts.requests).toBeUndefined();
  expect(asMember.kindCounts.requests).toBe(0);

  const request = await insertRequest({ organizationId, title: `Need for ${WORD} advice` });
  await syncSearchChanges({ requestIds: [request.id] });
  const afterRequest = await search(true);
  expect(afterRequest.fromCache).toBe(false);
  expect(afterRequest.kindCounts.requests).toBe(1);
});
