/**
 * The mail outbox's queue side. `enqueueMail` renders a mail in the recipient's language and
 * inserts its outbox row and its send-mail job in the caller's transaction: the mail exists
 * exactly when the change that caused it is committed. The dedupe key is unique, so a retried
 * action or a double click queues nothing more. The job (`sendMailTask`, registered in
 * tasks.server.ts as "send-mail") sends with nodemailer when SMTP_URL is set, skips a mail
 * already delivered, and retries failures with graphile-worker's exponential backoff.
 */
import type { Task } from "graphile-worker";
import { z } from "zod";
import { renderMail, type MailTemplateInput } from "~/mail/render.server";
import { configuredMailSender } from "~/mail/transport.server";
import { deliverMail, insertMailMessages, type NewMailMessage } from "~/models/mail.server";
import type { TransactionClient } from "~/utils/db.server";

export const SEND_MAIL_TASK = "send-mail";
// exp(min(attempt, 10)) seconds between attempts: 12 attempts keep trying for about a day.
export const SEND_MAIL_MAX_ATTEMPTS = 12;

export type MailRequest = MailTemplateInput & {
  /** The recipient's address. */
  to: string;
  /** The recipient's language (a user's preferredLanguage); pt and fr read English for now. */
  locale: string;
  /** Unique per mail that should exist once, e.g. `bulletin:<issueId>:<subscriberId>`. */
  dedupeKey: string;
};

const sendMailPayloadSchema = z.object({ mailId: z.guid() });

/** Queues one mail; `queued` is false when a mail with the same dedupe key already exists. */
export async function enqueueMail(tx: TransactionClient, mail: MailRequest): Promise<{ queued: boolean }> {
  const { queued } = await enqueueMails(tx, [mail]);
  return { queued: queued === 1 };
}

/** Queues many mails in one round trip each for the rows and the jobs; returns how many were new. */
export async function enqueueMails(tx: TransactionClient, mails: readonly MailRequest[]): Promise<{ queued: number }> {
  if (mails.length === 0) return { queued: 0 };
  const rows: NewMailMessage[] = [];
  for (const mail of mails) {
    const rendered = await renderMail(mail);
    rows.push({
      dedupeKey: mail.dedupeKey,
      recipient: mail.to.trim().toLowerCase(),
      locale: rendered.locale,
      template: mail.template,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      unsubscribeUrl: rendered.unsubscribeUrl,
    });
  }
  const ids = await insertMailMessages({ tx, mails: rows });
  if (ids.length === 0) return { queued: 0 };
  const specs = ids.map((mailId) => ({
    identifier: SEND_MAIL_TASK,
    payload: { mailId },
    max_attempts: SEND_MAIL_MAX_ATTEMPTS,
    job_key: `${SEND_MAIL_TASK}:${mailId}`,
  }));
  await tx.$executeRaw`SELECT graphile_worker.add_jobs(
    ARRAY(SELECT spec FROM json_populate_recordset(NULL::graphile_worker.job_spec, ${JSON.stringify(specs)}::json) AS spec)
  )`;
  return { queued: ids.length };
}

export const sendMailTask: Task = async (payload, helpers) => {
  const { mailId } = sendMailPayloadSchema.parse(payload);
  const result = await deliverMail({ mailId, send: configuredMailSender() });
  if (result.outcome === "failed") throw result.error;
  if (result.outcome === "missing") helpers.logger.warn(`send-mail: mail ${mailId} no longer exists`);
};
