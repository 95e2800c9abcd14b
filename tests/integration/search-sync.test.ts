// The outbox: jobs are queued in the writing transaction, the worker pushes the current rows,
// and neither retries nor reordering can bring back a deleted or unpublished record.
import { afterAll, beforeAll, expect, test } from "vitest";
import { makeWorkerUtils } from "graphile-worker";
import { enqueueSearchSync } from "~/jobs/enqueue.server";
import { completeFoldedJobs, foldQueuedSyncJobs } from "~/jobs/search-batch.server";
import { getPrisma } from "~/utils/db.server";
import { getSearchClient, indexUid } from "~search/client.server";
import { applySearchSettings } from "~search/settings";
import { syncSearchChanges } from "~search/sync.server";
import { SearchTaskFailedError, waitForSucceededTask } from "~search/tasks.server";
import { insertOffer, searchJobsFor } from "../factories/catalogue";
import { createOrganization, uniqueSuffix } from "../factories/users";
import { databaseUrl, offerKeysFound, startTestWorker, waitFor } from "./search-helpers";

let stopWorker: (() => Promise<void>) | undefined;

beforeAll(async () => {
  await applySearchSettings();
  stopWorker = await startTestWorker();
});

afterAll(async () => {
  await stopWorker?.();
});

async function indexedOffer(id: string): Promise<Record<string, unknown> | null> {
  return getSearchClient()
    .index(indexUid("offers"))
    .getDocument(id)
    .catch(() => null);
}

test("a write and its search job commit together: a rolled-back transaction leaves no job", async () => {
  const organization = await createOrganization();
  const offer = await insertOffer({ organizationId: organization.id, status: "draft" });
  await expect(
    getPrisma().$transaction(async (tx) => {
      await tx.offer.update({ where: { id: offer.id }, data: { status: "published", publishedAt: new Date() } });
      await enqueueSearchSync(tx, { offerIds: [offer.id] });
      throw new Error("rolled back on purpose");
    }),
  ).rejects.toThrow("rolled back on purpose");
  expect(await searchJobsFor({ offerId: offer.id })).toBe(0);
  expect((await getPrisma().offer.findUniqueOrThrow({ where: { id: offer.id } })).status).toBe("draft");
});

test("the worker makes a committed publication searchable without anyone calling the index", async () => {
  const organization = await createOrganization();
  const token = `zorblat${uniqueSuffix()}`;
  const offer = await insertOffer({ organizationId: organization.id, status: "draft", title: `Programa ${token}` });
  await getPrisma().$transaction(async (tx) => {
    await tx.offer.update({ where: { id: offer.id }, data: { status: "published", publishedAt: new Date() } });
    await enqueueSearchSync(tx, { offerIds: [offer.id] });
  });
  const found = await waitFor(() => offerKeysFound(token, [organization.id]), (keys) => keys.length === 1, { what: "the offer to be searchable" });
  expect(found).toEqual([offer.key]);
});

test("unpublishing removes the offer, and a late or repeated job for its old state cannot bring it back", async () => {
  const organization = await createOrganization();
  const offer = await insertOffer({ organizationId: organization.id, status: "published" });
  await syncSearchChanges({ offerIds: [offer.id] });
  expect(await indexedOffer(offer.id)).not.toBeNull();

  await getPrisma().offer.update({ where: { id: offer.id }, data: { status: "draft" } });
  await syncSearchChanges({ offerIds: [offer.id] });
  expect(await indexedOffer(offer.id)).toBeNull();

  // The job queued by the publication, retried after the unpublication: it reads the row as it is now.
  await syncSearchChanges({ offerIds: [offer.id] });
  expect(await indexedOffer(offer.id)).toBeNull();

  await getPrisma().offer.delete({ where: { id: offer.id } });
  await syncSearchChanges({ offerIds: [offer.id] });
  expect(await indexedOffer(offer.id)).toBeNull();
});

test("renaming an organization re-indexes its offers under the new name", async () => {
  const organization = await createOrganization({ name: `Agencia Antigua ${uniqueSuffix()}` });
  const offer = await insertOffer({ organizationId: organization.id, status: "published" });
  await syncSearchChanges({ offerIds: [offer.id] });
  const newName = `Agencia Renovada ${uniqueSuffix()}`;
  await getPrisma().$transaction(async (tx) => {
    await tx.organization.update({ where: { id: organization.id }, data: { name: newName } });
    await enqueueSearchSync(tx, { organizationIds: [organization.id] });
  });
  const document = await waitFor(
    () => indexedOffer(offer.id),
    (current) => current?.organizationName === newName,
    { what: "the new organization name in the index" },
  );
  expect(document?.organizationName).toBe(newName);
});

test("a task Meilisearch refuses fails the sync instead of passing for done", async () => {
  const client = getSearchClient();
  const uid = `${indexUid("offers")}_refusal_${uniqueSuffix()}`;
  await waitForSucceededTask(client, client.createIndex(uid, { primaryKey: "id" }));
  try {
    // A document without its primary key is accepted into the queue and fails when processed.
    await expect(waitForSucceededTask(client, client.index(uid).addDocuments([{ title: "no id" }]))).rejects.toBeInstanceOf(
      SearchTaskFailedError,
    );
  } finally {
    await waitForSucceededTask(client, client.index(uid).delete());
  }
});

test("a queued job folded into a running one is deleted only if no newer save replaced it meanwhile", async () => {
  await stopWorker?.();
  stopWorker = undefined;
  const workerUtils = await makeWorkerUtils({ connectionString: databaseUrl() });
  try {
    const organization = await createOrganization();
    const [first, second] = await Promise.all([
      insertOffer({ organizationId: organization.id }),
      insertOffer({ organizationId: organization.id }),
    ]);
    const enqueue = (offerId: string) => getPrisma().$transaction((tx) => enqueueSearchSync(tx, { offerIds: [offerId] }));
    await enqueue(first.id);
    await enqueue(second.id);
    const helpers = { withPgClient: workerUtils.withPgClient, job: { id: "0" } };
    const { payload, folded } = await foldQueuedSyncJobs(helpers, {});
    expect(payload.offerIds).toEqual(expect.arrayContaining([first.id, second.id]));

    await syncSearchChanges(payload);
    await enqueue(second.id); // a newer save of the second offer, after the sync read its row
    await completeFoldedJobs(helpers, folded);
    expect(await searchJobsFor({ offerId: first.id })).toBe(0);
    expect(await searchJobsFor({ offerId: second.id })).toBe(1);
  } finally {
    await workerUtils.release();
    stopWorker = await startTestWorker();
  }
});
