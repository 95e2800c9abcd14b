// A real SMTP server on a free loopback port for the mail tests, and the send-mail worker run
// once against the test database.
import { once } from "node:events";
import { Logger, runOnce } from "graphile-worker";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { SEND_MAIL_TASK, sendMailTask } from "~/jobs/mail.server";
import { installJobQueue } from "~/jobs/queue.server";
import { getPrisma } from "~/utils/db.server";
import { resetEnvCache } from "~/utils/env.server";

export type TestSmtpServer = {
  url: string;
  /** Every message received, parsed, in order of arrival. */
  messages: ParsedMail[];
  /** Messages received for one address. */
  messagesTo(address: string): ParsedMail[];
  /** The next `count` messages are refused with a temporary error (451), as a busy server does. */
  refuseNext(count: number): void;
  stop(): Promise<void>;
};

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ParsedMail[] = [];
  let refusals = 0;
  const server = new SMTPServer({
    // plain SMTP on loopback: no TLS certificate, no login
    disabledCommands: ["STARTTLS", "AUTH"],
    authOptional: true,
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (refusals > 0) {
        refusals -= 1;
        callback(Object.assign(new Error("Mailbox busy, try again later"), { responseCode: 451 }));
        return;
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          messages.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  // smtp-server reports a client's broken connection (a worker SIGKILLed mid-message, say) as an
  // "error" event on the server: without a listener that is an uncaught exception in the tests.
  server.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "ECONNRESET" && error.code !== "EPIPE") console.warn(`[smtp test server] ${error.message}`);
  });
  server.listen(0, "127.0.0.1");
  await once(server.server, "listening");
  const address = server.server.address();
  if (address === null || typeof address === "string") throw new Error("the SMTP server has no TCP address");
  const { port } = address;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    messagesTo: (address) => messages.filter((mail) => recipientsOf(mail).includes(address.toLowerCase())),
    refuseNext(count) {
      refusals = count;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function recipientsOf(mail: ParsedMail): string[] {
  const to = mail.to ? (Array.isArray(mail.to) ? mail.to : [mail.to]) : [];
  return to.flatMap((group) => group.value.map((entry) => (entry.address ?? "").toLowerCase()));
}

/** Points the mail sender at `url` (or at no server: mail is captured). */
export function useSmtpUrl(url: string | undefined) {
  if (url) process.env.SMTP_URL = url;
  else delete process.env.SMTP_URL;
  resetEnvCache();
}

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  return url;
}

export async function ensureJobQueue() {
  await installJobQueue(databaseUrl());
}

const quietLogger = new Logger(() => () => {});

/** Runs every send-mail job that is due, once, as the worker would (other tasks are left alone). */
export async function runMailJobs(): Promise<void> {
  await runOnce({ connectionString: databaseUrl(), taskList: { [SEND_MAIL_TASK]: sendMailTask }, logger: quietLogger });
}

/**
 * Fails, without sending, every send-mail job other test files left queued in the shared
 * database, so a test that then runs the mail jobs sends only its own mail.
 */
export async function discardQueuedMailJobs(): Promise<void> {
  await getPrisma().$executeRaw`
    select graphile_worker.permanently_fail_jobs(
      array(select jobs.id from graphile_worker._private_jobs as jobs
            join graphile_worker._private_tasks as tasks on tasks.id = jobs.task_id
            where tasks.identifier = 'send-mail' and jobs.locked_at is null),
      'discarded by a test that runs its own mail')`;
}

/** The send-mail jobs waiting for a mail (still to run or to retry). */
export async function mailJobsFor(mailId: string): Promise<number> {
  const rows = await getPrisma().$queryRaw<Array<{ count: bigint }>>`
    select count(*) as count from graphile_worker._private_jobs as jobs
    join graphile_worker._private_tasks as tasks on tasks.id = jobs.task_id
    where tasks.identifier = 'send-mail' and jobs.payload->>'mailId' = ${mailId}`;
  return Number(rows[0]?.count ?? 0);
}

export async function mailRowsTo(recipient: string) {
  return getPrisma().mailMessage.findMany({
    where: { recipient: recipient.toLowerCase() },
    orderBy: { createdAt: "asc" },
    select: { id: true, dedupeKey: true, locale: true, subject: true, text: true, html: true, status: true, attempts: true, template: true, unsubscribeUrl: true, lastError: true },
  });
}
