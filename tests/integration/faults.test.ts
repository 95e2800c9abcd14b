// Faults in the middle of a stream of catalogue writes and mails: Meilisearch is SIGKILLed and
// restarted, PostgreSQL is restarted, and the job worker (a process of its own) is SIGKILLed while
// it is sending a mail. Afterwards every committed write is in the index within 60 s, every mail
// reached the SMTP server exactly once, and no job is left behind; while Meilisearch was down the
// pages that do not search kept answering.
// This file runs its own PostgreSQL and Meilisearch (own ports and data) so that it can stop
// them without disturbing the other test files.
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { enqueueMail } from "~/jobs/mail.server";
import { changeOfferStatus, createOffer } from "~/models/offer.server";
import { loader as healthLoader } from "~/routes/healthz";
import { loader as homeLoader } from "~/routes/_index";
import { loader as offerLoader } from "~/routes/offers.$id";
import { loader as offersLoader } from "~/routes/offers._index";
import { offerFormSchema } from "~/schemas/offer";
import { disconnectPrisma, getPrisma } from "~/utils/db.server";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "~/utils/embedded-postgres.server";
import { resetEnvCache } from "~/utils/env.server";
import { prepareDatabase } from "~/utils/prepare-database.server";
import { getSearchClient, indexUid, resetSearchClient } from "~search/client.server";
import { startMeilisearch, type MeilisearchProcess } from "~search/meili-process.server";
import { applySearchSettings } from "~search/settings";
import { getRequest, respond } from "../factories/catalogue";
import { createUser, type TestUser } from "../factories/users";
import { meilisearchPid, startAcceptingSmtpServer, startWorkerProcess, type AcceptingSmtpServer, type WorkerProcess } from "../setup/fault-helpers";
import { copyPostgresTemplate, findFreePort, repositoryRoot } from "../setup/services";
import { waitFor } from "./search-helpers";

const RECOVERY_LIMIT_MS = 60_000;

const shared = {
  DATABASE_URL: process.env.DATABASE_URL,
  MEILI_URL: process.env.MEILI_URL,
  MEILI_MASTER_KEY: process.env.MEILI_MASTER_KEY,
  SMTP_URL: process.env.SMTP_URL,
};

let tempDir: string;
let postgres: EmbeddedPostgres | undefined;
let postgresPort: number;
let meili: MeilisearchProcess | undefined;
let meiliPort: number;
let smtp: AcceptingSmtpServer;
let worker: WorkerProcess | undefined;
let workerEnv: Record<string, string>;
let member: TestUser;

function useEnvironment(values: Record<string, string | undefined>) {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvCache();
  resetSearchClient();
}

function startDatabase(): Promise<EmbeddedPostgres> {
  return startEmbeddedPostgres({ dataDir: path.join(tempDir, "postgres"), port: postgresPort, databaseName: "enlace_faults" });
}

function startSearch(): Promise<MeilisearchProcess> {
  return startMeilisearch({ dataDir: path.join(tempDir, "meili"), port: meiliPort });
}

beforeAll(async () => {
  tempDir = await fs.mkdtemp(path.join(os.tmpdir(), "enlace-faults-"));
  await fs.chmod(tempDir, 0o755);
  [postgresPort, meiliPort] = await Promise.all([findFreePort(), findFreePort()]);
  await copyPostgresTemplate(path.join(tempDir, "postgres"), () => {});
  [postgres, meili, smtp] = await Promise.all([startDatabase(), startSearch(), startAcceptingSmtpServer({ replyDelayMs: 150 })]);
  await prepareDatabase({ databaseUrl: postgres.url, migrationsDir: path.join(repositoryRoot, "prisma", "migrations") });

  await disconnectPrisma();
  useEnvironment({ DATABASE_URL: postgres.url, MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.masterKey, SMTP_URL: smtp.url });
  await applySearchSettings();
  member = await createUser();
  workerEnv = {
    NODE_ENV: "test",
    DATABASE_URL: postgres.url,
    MEILI_URL: meili.url,
    MEILI_MASTER_KEY: meili.masterKey,
    MEILI_INDEX_PREFIX: process.env.MEILI_INDEX_PREFIX ?? "",
    SMTP_URL: smtp.url,
  };
  worker = await startWorkerProcess(workerEnv);
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await disconnectPrisma();
  await meili?.stop();
  await postgres?.stop();
  await smtp?.stop();
  useEnvironment(shared);
  await fs.rm(tempDir, { recursive: true, force: true });
});

type Stream = { committed: string[]; failed: number; mails: number; stop(): Promise<void> };

// Offers created and published through the models, and now and then a mail, one after the
// other until stopped. A write that throws (the database is restarting) counts as failed; the
// assertions read what the database committed, so a write whose commit was lost is no problem.
function startWriteStream(): Stream {
  const stream: Stream = { committed: [], failed: 0, mails: 0, stop: async () => {} };
  let running = true;
  const actor = { id: member.id, role: member.role, status: member.status, organizationId: member.organizationId };
  const done = (async () => {
    for (let number = 1; running; number += 1) {
      try {
        const data = offerFormSchema.parse({
          title: `Fault stream program ${number}`,
          summary: "Written while the services fail one after the other.",
          language: "en",
          themes: ["entrepreneurship"],
          modalities: ["study-visit"],
          workingLanguages: ["en"],
        });
        const offer = await createOffer({ actor, organizationId: member.organizationId ?? "", data });
        const published = await changeOfferStatus({ id: offer.id, actor, intent: "publish" });
        if (published.ok) stream.committed.push(offer.id);
        if (number % 3 === 0) {
          await getPrisma().$transaction((tx) =>
            enqueueMail(tx, {
              to: member.email,
              locale: "en",
              dedupeKey: `faults:${number}:${randomBytes(3).toString("hex")}`,
              template: "notification",
              params: { kind: "meetings:notifications.registered", params: { title: `Stream ${number}`, when: "soon" }, link: "/meetings" },
            }),
          );
          stream.mails += 1;
        }
      } catch {
        stream.failed += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  })();
  stream.stop = async () => {
    running = false;
    await done;
  };
  return stream;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

async function indexedOfferIds(): Promise<Set<string>> {
  const result = await getSearchClient()
    .index(indexUid("offers"))
    .search("", { filter: [`organizationId = "${member.organizationId}"`], attributesToRetrieve: ["id"], limit: 10_000 });
  return new Set(result.hits.map((hit) => String(hit.id)));
}

test("Meilisearch killed, PostgreSQL restarted and the worker killed mid-job during a stream of writes: nothing is lost or sent twice", async () => {
  const stream = startWriteStream();
  await sleep(1_500);

  // (a) Meilisearch dies (SIGKILL); the pages that do not search keep answering meanwhile.
  const pid = await meilisearchPid(path.join(tempDir, "meili"));
  process.kill(pid, "SIGKILL");
  await meili?.stop();
  meili = undefined;
  await sleep(500);
  const someOffer = stream.committed[0];
  expect(someOffer).toBeDefined();
  const pages = await Promise.all([
    respond(homeLoader, getRequest("/")),
    respond(offersLoader, getRequest("/offers")),
    respond(offerLoader, getRequest(`/offers/${someOffer}`), { id: someOffer }),
    healthLoader(),
  ]);
  expect(pages.map((response) => response.status)).toEqual([200, 200, 200, 200]);
  expect((await pages[3].json()).status).toBe("degraded");
  await sleep(1_500);
  meili = await startSearch();

  // (b) PostgreSQL restarts (a fast shutdown: open transactions roll back, clients are cut off).
  await sleep(1_000);
  await postgres?.stop();
  await sleep(1_000);
  postgres = await startDatabase();
  await sleep(1_500);

  // (c) The worker is SIGKILLed while it is sending a mail (the SMTP server has the message but
  // has not answered yet); a new worker process takes over.
  const killed = new Promise<void>((resolve) => {
    smtp.beforeNextReply(async () => {
      worker?.kill("SIGKILL");
      // Dead, and its socket closed, before the server would have answered.
      await worker?.exited;
      await sleep(50);
      resolve();
    });
  });
  await waitFor(async () => stream.mails, (mails) => mails > 0, { what: "a mail to be queued", timeoutMs: 20_000 });
  const killTimeout = new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error(`the worker sent no mail within 20 s; its output:\n${worker?.output.join("\n")}`)), 20_000));
  await Promise.race([killed, killTimeout]);
  await worker?.exited;
  const lockedByDeadWorker = await waitFor(
    () => getPrisma().$queryRaw<Array<{ count: bigint }>>`select count(*) as count from graphile_worker._private_jobs where locked_by is not null`,
    () => true,
  );
  worker = await startWorkerProcess(workerEnv);
  await sleep(1_000);
  await stream.stop();
  const recoveryStarted = Date.now();

  // Every committed, published offer is indexed; read from the database, so a write whose commit
  // was cut off by the restart counts exactly when it did commit.
  const published = await getPrisma().offer.findMany({
    where: { organizationId: member.organizationId ?? "", status: "published" },
    select: { id: true },
  });
  const expected = new Set(published.map((offer) => offer.id));
  for (const id of stream.committed) expect(expected.has(id), `committed offer ${id} is in the database`).toBe(true);
  expect(expected.size).toBeGreaterThan(20);
  await waitFor(
    indexedOfferIds,
    (indexed) => [...expected].every((id) => indexed.has(id)),
    { what: "every committed offer to be searchable", timeoutMs: RECOVERY_LIMIT_MS, intervalMs: 250 },
  );

  // Every queued mail is delivered, each exactly once, and no job is left (none waiting, none failed for good).
  const mails = await getPrisma().mailMessage.findMany({ where: { recipient: member.email.toLowerCase() }, select: { id: true } });
  expect(mails.length).toBeGreaterThan(2);
  await waitFor(
    async () => getPrisma().mailMessage.count({ where: { recipient: member.email.toLowerCase(), status: "sent" } }),
    (sent) => sent === mails.length,
    { what: "every mail to be sent", timeoutMs: RECOVERY_LIMIT_MS - (Date.now() - recoveryStarted), intervalMs: 250 },
  );
  await waitFor(
    () =>
      getPrisma().$queryRaw<Array<{ task: string; attempts: number; last_error: string | null; run_at: Date; locked_by: string | null }>>`
        select task_identifier as task, attempts, last_error, run_at, locked_by from graphile_worker.jobs`,
    (left) => left.length === 0,
    { what: "the job queue to empty", timeoutMs: 20_000, intervalMs: 250 },
  );
  const expectedIds = mails.map((mail) => `<${mail.id}@enlace.local>`).sort();
  expect([...smtp.accepted].sort()).toEqual(expectedIds);
  expect(Date.now() - recoveryStarted).toBeLessThan(RECOVERY_LIMIT_MS);
  expect(Number(lockedByDeadWorker[0]?.count ?? 0)).toBeGreaterThan(0);
  expect(stream.failed).toBeGreaterThan(0);
}, 180_000);
