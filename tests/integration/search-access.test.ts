// Who finds what: only published offers and open requests are indexed, and requests are searched
// for verified members and staff only, decided on the server from the session.
import { afterAll, beforeAll, expect, test } from "vitest";
import { enqueueSearchSync } from "~/jobs/enqueue.server";
import { action as offerAction } from "~/routes/offers.$id";
import { action as newOfferAction } from "~/routes/offers.new";
import { loader as searchLoader } from "~/routes/search";
import { getPrisma } from "~/utils/db.server";
import { getSearchClient, indexUid } from "~search/client.server";
import { applySearchSettings } from "~search/settings";
import { ensureJobQueue, getRequest, idFromLocation, insertRequest, postRequest, respond } from "../factories/catalogue";
import { createLoggedInUser, createOrganization, uniqueSuffix } from "../factories/users";
import { pendingSearchJobs, startTestWorker, waitFor } from "./search-helpers";

let stopWorker: (() => Promise<void>) | undefined;

beforeAll(async () => {
  await ensureJobQueue();
  await applySearchSettings();
  stopWorker = await startTestWorker();
});

afterAll(async () => {
  await stopWorker?.();
});

type SearchData = {
  state: { type: string };
  results: { kind: string; total: number; hits: Array<{ id: string; key: string }>; kindCounts: Record<string, number> };
  canSearchRequests: boolean;
};

async function searchPage(query: string, cookie?: string): Promise<SearchData> {
  const response = await respond(searchLoader, getRequest(`/search?${query}`, { cookie }));
  expect(response.status).toBe(200);
  return response.json();
}

async function isIndexed(kind: "offers" | "requests", id: string): Promise<boolean> {
  return getSearchClient()
    .index(indexUid(kind))
    .getDocument(id)
    .then(() => true)
    .catch(() => false);
}

async function queueDrained() {
  await waitFor(pendingSearchJobs, (count) => count === 0, { what: "the search queue to drain", timeoutMs: 30_000 });
}

test("a member's draft never appears to another organization, and appears once published", async () => {
  const owner = await createLoggedInUser();
  const other = await createLoggedInUser();
  const token = `quimbel${uniqueSuffix()}`;
  const created = await respond(
    newOfferAction,
    postRequest(
      "/offers/new",
      {
        title: `Programa ${token} de centros empresariales`,
        summary: `Resumen del programa ${token}.`,
        language: "es",
        themes: ["business-development-centers"],
        modalities: ["study-visit"],
        workingLanguages: ["es"],
        costSharing: "shared",
        capacityPerYear: "2",
      },
      { cookie: owner.cookie },
    ),
  );
  expect(created.status).toBe(302);
  const id = idFromLocation(created, "/offers/");
  await queueDrained();

  expect(await isIndexed("offers", id)).toBe(false);
  for (const cookie of [other.cookie, undefined, owner.cookie]) {
    const data = await searchPage(`q=${token}`, cookie);
    expect(data.results.hits.map((hit) => hit.id)).not.toContain(id);
  }

  const published = await respond(offerAction, postRequest(`/offers/${id}`, { intent: "publish" }, { cookie: owner.cookie }), { id });
  expect(published.status).toBe(302);
  await queueDrained();
  const afterPublication = await searchPage(`q=${token}`, other.cookie);
  expect(afterPublication.results.hits.map((hit) => hit.id)).toEqual([id]);

  const unpublished = await respond(offerAction, postRequest(`/offers/${id}`, { intent: "unpublish" }, { cookie: owner.cookie }), { id });
  expect(unpublished.status).toBe(302);
  await queueDrained();
  expect(await isIndexed("offers", id)).toBe(false);
  expect((await searchPage(`q=${token}`, other.cookie)).results.total).toBe(0);
});

test("requests are searched by active members and staff; visitors and pending members get offers", async () => {
  const organization = await createOrganization();
  const token = `trevandu${uniqueSuffix()}`;
  const open = await insertRequest({ organizationId: organization.id, title: `Necesidad ${token}` });
  const draft = await insertRequest({ organizationId: organization.id, title: `Borrador ${token}`, status: "draft" });
  await getPrisma().$transaction(async (tx) => {
    await enqueueSearchSync(tx, { requestIds: [open.id, draft.id] });
  });
  await queueDrained();

  const member = await createLoggedInUser();
  const staff = await createLoggedInUser({ role: "staff" });
  const pending = await createLoggedInUser({ status: "pending" });

  for (const cookie of [member.cookie, staff.cookie]) {
    const data = await searchPage(`q=${token}&type=requests`, cookie);
    expect(data.canSearchRequests).toBe(true);
    expect(data.results.kind).toBe("requests");
    expect(data.results.hits.map((hit) => hit.id)).toEqual([open.id]);
  }
  for (const cookie of [pending.cookie, undefined]) {
    const data = await searchPage(`q=${token}&type=requests`, cookie);
    expect(data.canSearchRequests).toBe(false);
    expect(data.results.kind).toBe("offers");
    expect(data.state.type).toBe("offers");
    expect(data.results.hits).toEqual([]);
    expect(data.results.kindCounts).not.toHaveProperty("requests");
  }
});
