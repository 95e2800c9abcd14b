// The mail outbox: a mail and its job are written in the transaction that causes them, the job
// delivers it once over a real SMTP server (or captures it without one), in the recipient's
// language, and a failure is recorded and retried.
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { enqueueMail } from "~/jobs/mail.server";
import { configuredMailSender } from "~/mail/transport.server";
import { deliverMail } from "~/models/mail.server";
import { notify } from "~/models/notification.server";
import { getPrisma } from "~/utils/db.server";
import { createUser, uniqueEmail, uniqueSuffix } from "../factories/users";
import { ensureJobQueue, mailJobsFor, mailRowsTo, runMailJobs, startSmtpServer, useSmtpUrl, type TestSmtpServer } from "./mail-helpers";

let smtp: TestSmtpServer;

beforeAll(async () => {
  await ensureJobQueue();
  smtp = await startSmtpServer();
});

afterEach(() => {
  useSmtpUrl(undefined);
});

afterAll(async () => {
  await smtp?.stop();
});

async function queueNotificationMail(userId: string, title: string) {
  await getPrisma().$transaction((tx) =>
    notify(tx, {
      userIds: [userId],
      kind: "meetings:notifications.registered",
      params: { title, when: "2031-03-10 15:00 UTC" },
      link: "/meetings",
      mail: true,
    }),
  );
}

test("a queued mail is delivered once over SMTP, in the recipient's language, with its link", async () => {
  useSmtpUrl(smtp.url);
  const user = await createUser({ preferredLanguage: "es" });
  const title = `Diálogo ${uniqueSuffix()}`;
  await queueNotificationMail(user.id, title);

  await runMailJobs();
  await runMailJobs();

  const received = smtp.messagesTo(user.email);
  expect(received).toHaveLength(1);
  expect(received[0].subject).toBe(`Está inscrito en «${title}»`);
  expect(received[0].text).toContain("La reunión comienza el 2031-03-10 15:00 UTC");
  expect(received[0].text).toContain("http://localhost:3000/meetings");
  expect(received[0].headers.get("content-language")).toBe("es");
  expect(received[0].html).toContain('lang="es"');
  const [row] = await mailRowsTo(user.email);
  expect(row).toMatchObject({ status: "sent", attempts: 1, locale: "es", template: "notification" });
  expect(received[0].messageId).toBe(`<${row.id}@enlace.local>`);
  expect(await mailJobsFor(row.id)).toBe(0);
});

test("an English reader and one preferring Portuguese (not a UI language yet) both get English", async () => {
  useSmtpUrl(smtp.url);
  const english = await createUser({ preferredLanguage: "en" });
  const portuguese = await createUser({ preferredLanguage: "pt" });
  const title = `Dialogue ${uniqueSuffix()}`;
  await getPrisma().$transaction((tx) =>
    notify(tx, { userIds: [english.id, portuguese.id], kind: "meetings:notifications.registered", params: { title, when: "soon" }, link: "/meetings", mail: true }),
  );

  await runMailJobs();

  for (const user of [english, portuguese]) {
    const received = smtp.messagesTo(user.email);
    expect(received.map((mail) => mail.subject)).toEqual([`You are registered for “${title}”`]);
  }
  expect((await mailRowsTo(portuguese.email))[0].locale).toBe("en");
});

test("the same dedupe key queues one mail and one job, however often it is asked for", async () => {
  const to = uniqueEmail("dedupe");
  const dedupeKey = `test:${uniqueSuffix()}`;
  const request = { template: "bulletin-confirm" as const, params: { confirmUrl: "http://localhost:3000/bulletin/confirm?token=x" }, to, locale: "en", dedupeKey };

  const first = await getPrisma().$transaction((tx) => enqueueMail(tx, request));
  const second = await getPrisma().$transaction((tx) => enqueueMail(tx, request));

  expect([first.queued, second.queued]).toEqual([true, false]);
  const rows = await mailRowsTo(to);
  expect(rows).toHaveLength(1);
  expect(await mailJobsFor(rows[0].id)).toBe(1);
});

async function sendMailJobCount(): Promise<number> {
  const rows = await getPrisma().$queryRaw<Array<{ count: bigint }>>`
    select count(*) as count from graphile_worker._private_jobs as jobs
    join graphile_worker._private_tasks as tasks on tasks.id = jobs.task_id
    where tasks.identifier = 'send-mail'`;
  return Number(rows[0]?.count ?? 0);
}

test("a rolled-back transaction leaves neither the mail nor its job", async () => {
  const to = uniqueEmail("rollback");
  const jobsBefore = await sendMailJobCount();
  await expect(
    getPrisma().$transaction(async (tx) => {
      const { queued } = await enqueueMail(tx, {
        template: "bulletin-confirm",
        params: { confirmUrl: "http://localhost/x" },
        to,
        locale: "en",
        dedupeKey: `test:${uniqueSuffix()}`,
      });
      expect(queued).toBe(true);
      throw new Error("rolled back on purpose");
    }),
  ).rejects.toThrow("rolled back on purpose");

  expect(await mailRowsTo(to)).toEqual([]);
  expect(await sendMailJobCount()).toBe(jobsBefore);
});

test("without SMTP_URL the mail is captured in the outbox and nothing is sent", async () => {
  useSmtpUrl(undefined);
  const user = await createUser({ preferredLanguage: "en" });
  await queueNotificationMail(user.id, `Captured ${uniqueSuffix()}`);
  const before = smtp.messages.length;

  await runMailJobs();

  expect(smtp.messages.length).toBe(before);
  const [row] = await mailRowsTo(user.email);
  expect(row).toMatchObject({ status: "captured", attempts: 0 });
  expect(row.subject).toContain("You are registered for");
});

test("a refused delivery is recorded as failed, its job stays to retry, and the retry sends it once", async () => {
  useSmtpUrl(smtp.url);
  const user = await createUser({ preferredLanguage: "en" });
  await queueNotificationMail(user.id, `Retried ${uniqueSuffix()}`);
  const [queued] = await mailRowsTo(user.email);
  smtp.refuseNext(1);

  await runMailJobs();

  const [failed] = await mailRowsTo(user.email);
  expect(failed).toMatchObject({ status: "failed", attempts: 1 });
  expect(failed.lastError).toMatch(/451|busy/i);
  expect(await mailJobsFor(queued.id)).toBe(1);
  expect(smtp.messagesTo(user.email)).toHaveLength(0);

  // The job waits out its backoff; the retry runs the same delivery.
  const retry = await deliverMail({ mailId: queued.id, send: configuredMailSender() });

  expect(retry.outcome).toBe("sent");
  expect(smtp.messagesTo(user.email)).toHaveLength(1);
  const [sent] = await mailRowsTo(user.email);
  expect(sent).toMatchObject({ status: "sent", attempts: 2, lastError: null });
});

test("two deliveries of the same mail at once send it once", async () => {
  useSmtpUrl(smtp.url);
  const user = await createUser({ preferredLanguage: "en" });
  await queueNotificationMail(user.id, `Raced ${uniqueSuffix()}`);
  const [queued] = await mailRowsTo(user.email);

  const outcomes = await Promise.all([
    deliverMail({ mailId: queued.id, send: configuredMailSender() }),
    deliverMail({ mailId: queued.id, send: configuredMailSender() }),
  ]);

  expect(outcomes.map((outcome) => outcome.outcome).sort()).toEqual(["already-delivered", "sent"]);
  expect(smtp.messagesTo(user.email)).toHaveLength(1);
  expect((await mailRowsTo(user.email))[0]).toMatchObject({ status: "sent", attempts: 1 });
});
