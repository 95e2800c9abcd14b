// Scaling out (docs/decisions/007-scaling-out.md): two app processes on one database and one
// search engine, as behind a load balancer. A session made on one is valid on the other and a
// log-out on one ends it on both; the log-in rate limit counts attempts across both; every job is
// run by exactly one of the two workers, and every queued mail reaches the SMTP server once.
// Instance B runs as on a multi-core machine (WEB_CONCURRENCY=2): two web processes sharing its
// port, one of them running its job worker; a web process that dies is replaced.
import { readFileSync } from "node:fs";
import http from "node:http";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { SESSION_COOKIE_NAME } from "~/auth/lucia.server";
import { hashPassword } from "~/auth/password.server";
import { SEARCH_SYNC_QUEUE, SEARCH_SYNC_TASK } from "~/jobs/search-sync-payload";
import { prepareDatabase } from "~/utils/prepare-database.server";
import { cookieFrom, ensureBuild, startAppProcess, type AppProcess } from "../setup/app-process";
import { createScratchDatabase, type ScratchDatabase } from "../setup/database";
import { findFreePort, repositoryRoot } from "../setup/services";
import { startSmtpServer, type TestSmtpServer } from "./mail-helpers";
import { waitFor } from "./search-helpers";

const PASSWORD = "correct horse battery staple";
const MAILS = 40;
const OFFERS = 30;

let scratch: ScratchDatabase;
let smtp: TestSmtpServer;
let dataDir: string;
let a: AppProcess | undefined;
let b: AppProcess | undefined;
let organizationId: string;
const indexPrefix = `test_${randomBytes(4).toString("hex")}_two_`;
const meili = { url: process.env.MEILI_URL ?? "", key: process.env.MEILI_MASTER_KEY ?? "" };

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function createActiveMember(email: string): Promise<void> {
  await sql(`insert into "user" (email, name, password_hash, status, role, organization_id) values ($1, 'Two Instances', $2, 'active', 'member', $3)`, [
    email,
    await hashPassword(PASSWORD),
    organizationId,
  ]);
}

function logIn(app: AppProcess, email: string, password: string): Promise<Response> {
  return fetch(`${app.url}/login`, {
    method: "POST",
    body: new URLSearchParams({ email, password, redirectTo: "/dashboard" }),
    redirect: "manual",
  });
}

function dashboard(app: AppProcess, cookie: string): Promise<Response> {
  return fetch(`${app.url}/dashboard`, { headers: { Cookie: cookie }, redirect: "manual" });
}

beforeAll(async () => {
  const [database, mailServer, portA, portB] = await Promise.all([createScratchDatabase(), startSmtpServer(), findFreePort(), findFreePort(), ensureBuild()]);
  scratch = database;
  smtp = mailServer;
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "enlace-two-instances-"));
  await prepareDatabase({ databaseUrl: scratch.url, migrationsDir: path.join(repositoryRoot, "prisma", "migrations") });
  const [organization] = await sql<{ id: string }>(
    `insert into organization (key, name, country_code, type, verification_status) values ('two-instances-org', 'Two Instances Agency', 'CL', 'agency', 'verified') returning id`,
  );
  organizationId = organization.id;

  const env = {
    NODE_ENV: "production",
    DATABASE_URL: scratch.url,
    MEILI_URL: meili.url,
    MEILI_MASTER_KEY: meili.key,
    MEILI_INDEX_PREFIX: indexPrefix,
    SESSION_SECRET: randomBytes(32).toString("hex"),
    SMTP_URL: smtp.url,
    SEED: "none",
    DATA_DIR: dataDir,
  };
  // Both boot at once: migrations and the job queue's schema are applied under their locks.
  [a, b] = await Promise.all([
    startAppProcess({ port: portA, env, name: "A" }),
    startAppProcess({ port: portB, env: { ...env, WEB_CONCURRENCY: "2" }, name: "B" }),
  ]);
}, 180_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await smtp?.stop();
  await scratch?.drop();
  await fs.rm(dataDir, { recursive: true, force: true });
  for (const name of ["offers", "requests"]) {
    await fetch(`${meili.url}/indexes/${indexPrefix}${name}`, { method: "DELETE", headers: { Authorization: `Bearer ${meili.key}` } }).catch(() => {});
  }
});

function instances(): [AppProcess, AppProcess] {
  if (!a || !b) throw new Error("the app instances did not start");
  return [a, b];
}

test("a session made on instance A is valid on B, and logging out on A ends it on B", async () => {
  const [first, second] = instances();
  const email = `two-session-${randomBytes(4).toString("hex")}@example.test`;
  await createActiveMember(email);

  const login = await logIn(first, email, PASSWORD);
  expect(login.status).toBe(302);
  const cookie = cookieFrom(login, SESSION_COOKIE_NAME);
  expect(cookie).toBeDefined();
  if (!cookie) return;

  const onB = await dashboard(second, cookie);
  expect(onB.status).toBe(200);
  expect(await onB.text()).toContain("Two Instances");

  const logout = await fetch(`${first.url}/logout`, { method: "POST", headers: { Cookie: cookie }, redirect: "manual" });
  expect(logout.status).toBe(302);

  const afterLogout = await dashboard(second, cookie);
  expect(afterLogout.status).toBe(302);
  expect(afterLogout.headers.get("location")).toMatch(/^\/login/);
  expect((await dashboard(first, cookie)).status).toBe(302);
});

test("the log-in rate limit counts the attempts made on both instances together", async () => {
  const [first, second] = instances();
  const email = `two-throttle-${randomBytes(4).toString("hex")}@example.test`;
  await createActiveMember(email);

  // Five wrong guesses are allowed per account, spread over A, B, A, B, A...
  const statuses: number[] = [];
  for (const app of [first, second, first, second, first]) statuses.push((await logIn(app, email, "wrong password, again")).status);
  expect(statuses).toEqual([400, 400, 400, 400, 400]);
  // ...and the sixth is refused on B, which saw only two of them, even with the right password.
  const refused = await logIn(second, email, PASSWORD);
  expect(refused.status).toBe(429);
  expect((await logIn(first, email, PASSWORD)).status).toBe(429);
});

test("jobs queued while both workers run are each run once, and every outbox mail is sent once", async () => {
  const [first, second] = instances();
  const recipients = Array.from({ length: MAILS }, (_, index) => `two-mail-${index}-${randomBytes(3).toString("hex")}@example.test`);
  // The outbox as enqueueMail writes it: the row and its keyed job in one transaction; half of
  // the mails also get a second, unkeyed job, as a retried enqueue or a replayed job would.
  await sql(
    `with mails as (
       insert into mail_message (dedupe_key, recipient, locale, template, subject, text, html)
       select 'two-instances:' || r, r, 'en', 'notification', 'Hello ' || r, 'Text for ' || r, '<p>Text</p>'
         from unnest($1::text[]) as r
       returning id, recipient
     )
     select graphile_worker.add_job('send-mail', json_build_object('mailId', id), job_key => 'send-mail:' || id),
            case when substring(recipient from 'two-mail-([0-9]+)-')::int % 2 = 0 then graphile_worker.add_job('send-mail', json_build_object('mailId', id)) end
       from mails`,
    [recipients],
  );
  const offers = await sql<{ id: string; key: string }>(
    `insert into offer (key, organization_id, title, summary, language, themes, modalities, working_languages, status, published_at)
     select 'two-offer-' || n, $1, 'Scaled program ' || n, 'Indexed by one of two workers', 'en', array['entrepreneurship'], array['study-visit'], array['en'], 'published', now()
       from generate_series(1, $2::int) as n
     returning id, key`,
    [organizationId, OFFERS],
  );
  for (const offer of offers) {
    await sql(`select graphile_worker.add_job($1, json_build_object('offerIds', json_build_array($2::text)), queue_name => $3)`, [
      SEARCH_SYNC_TASK,
      offer.id,
      SEARCH_SYNC_QUEUE,
    ]);
  }

  const received = await waitFor(
    async () => recipients.filter((recipient) => smtp.messagesTo(recipient).length > 0).length,
    (count) => count === MAILS,
    { what: "every mail to arrive", timeoutMs: 30_000, intervalMs: 200 },
  );
  expect(received).toBe(MAILS);
  await waitFor(
    () => sql<{ count: string }>(`select count(*)::text as count from graphile_worker.jobs`).then((rows) => Number(rows[0].count)),
    (count) => count === 0,
    { what: "the job queue to empty", timeoutMs: 30_000, intervalMs: 200 },
  );
  // Settle: a duplicate sent late would show up now.
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const recipient of recipients) expect(smtp.messagesTo(recipient), recipient).toHaveLength(1);
  const statuses = await sql<{ status: string; attempts: number }>(`select status::text, attempts from mail_message where dedupe_key like 'two-instances:%'`);
  expect(statuses).toHaveLength(MAILS);
  expect(statuses.every((row) => row.status === "sent" && row.attempts === 1)).toBe(true);

  const indexed = await fetch(`${meili.url}/indexes/${indexPrefix}offers/documents/fetch`, {
    method: "POST",
    headers: { Authorization: `Bearer ${meili.key}`, "Content-Type": "application/json" },
    body: JSON.stringify({ filter: `organizationId = '${organizationId}'`, fields: ["key"], limit: 1000 }),
  }).then((response) => response.json() as Promise<{ results: Array<{ key: string }> }>);
  expect(indexed.results.map((document) => document.key).sort()).toEqual(offers.map((offer) => offer.key).sort());

  // Each completed job was logged by one worker only, and both workers took part.
  const completed = (app: AppProcess) =>
    app.output.flatMap((line) => {
      const match = /Completed task (\d+) \((send-mail|search-sync)/.exec(line);
      return match ? [match[1]] : [];
    });
  const [byA, byB] = [completed(first), completed(second)];
  expect(byA.filter((id) => byB.includes(id))).toEqual([]);
  expect(new Set([...byA, ...byB]).size).toBe(byA.length + byB.length);
  expect(byA.length).toBeGreaterThan(0);
  expect(byB.length).toBeGreaterThan(0);
}, 90_000);

function statusOnNewConnection(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false, timeout: 10_000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("timeout", () => request.destroy(new Error(`no answer from ${url} within 10 s`)));
    request.on("error", reject);
  });
}

function childPids(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
}

test("instance B serves from two web processes; one killed is replaced while the other keeps answering", async () => {
  const [, second] = instances();
  const serving = () => second.output.filter((line) => /\[server\] web process \d+ serving/.test(line)).length;
  await waitFor(async () => serving(), (count) => count >= 2, { timeoutMs: 60_000, what: "both web processes of B serving" });
  const before = childPids(second.pid);
  expect(before).toHaveLength(2);

  process.kill(before[0], "SIGKILL");
  // A connection handed to the process in the instant it died is lost (node:cluster's round
  // robin; a load balancer retries it): requests are made once the primary has seen the death.
  await waitFor(async () => second.output.some((line) => line.includes(`web process ${before[0]} exited`)), Boolean, {
    timeoutMs: 10_000,
    what: "the primary noticing the death",
  });
  // New connections: one kept alive from earlier tests may have belonged to the killed process.
  for (let attempt = 0; attempt < 10; attempt += 1) expect(await statusOnNewConnection(`${second.url}/healthz`)).toBe(200);

  const after = await waitFor(async () => childPids(second.pid), (pids) => pids.length === 2 && !pids.includes(before[0]), {
    timeoutMs: 30_000,
    what: "a replacement web process",
  });
  expect(after).toContain(before[1]);
  await waitFor(async () => serving(), (count) => count >= 3, { timeoutMs: 60_000, what: "the replacement serving" });
  expect(await statusOnNewConnection(`${second.url}/offers`)).toBe(200);
}, 150_000);
