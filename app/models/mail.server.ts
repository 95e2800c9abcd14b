/**
 * The mail outbox (mail_message). Rows are inserted by `enqueueMail` (app/jobs/mail.server.ts) in
 * the transaction that causes them and delivered by the send-mail job; staff read them at
 * /staff/mail.
 */
import type { MailStatus } from "~/generated/prisma/client";
import type { OutgoingMail, SendMail } from "~/mail/transport.server";
import { getPrisma, type TransactionClient } from "~/utils/db.server";

export type NewMailMessage = {
  dedupeKey: string;
  recipient: string;
  locale: string;
  template: string;
  subject: string;
  text: string;
  html: string;
  unsubscribeUrl: string | null;
};

/** Inserts the mails whose dedupe key is new and returns their ids; a repeated key inserts nothing. */
export async function insertMailMessages({ tx, mails }: { tx: TransactionClient; mails: readonly NewMailMessage[] }): Promise<string[]> {
  if (mails.length === 0) return [];
  const rows = await tx.mailMessage.createManyAndReturn({ data: [...mails], skipDuplicates: true, select: { id: true } });
  return rows.map((row) => row.id);
}

export type DeliveryOutcome =
  | { outcome: "sent" | "captured" | "already-delivered" | "missing" }
  | { outcome: "failed"; error: unknown };

// Longer than nodemailer's connection, greeting and socket timeouts together.
const DELIVERY_TRANSACTION_TIMEOUT_MS = 120_000;
const LAST_ERROR_MAX_LENGTH = 2_000;

/**
 * Sends one queued mail, or marks it captured when no SMTP server is configured (`send` null).
 * The row stays locked while it is sent, so a second job for the same mail waits and then finds
 * it delivered: a mail is sent once however often its job runs. A failed attempt is recorded
 * (attempts, lastError) and returned; the caller throws so the job retries.
 */
export async function deliverMail({ mailId, send }: { mailId: string; send: SendMail | null }): Promise<DeliveryOutcome> {
  let handedOver = false;
  try {
    return await lockAndSend({ mailId, send, onHandedOver: () => (handedOver = true) });
  } catch (error) {
    // The SMTP server took the mail but recording it failed (the database restarted or the
    // connection broke before the commit): the row says "queued" and a retry would send it
    // again. The fact is recorded again until the database answers.
    if (!handedOver) throw error;
    await recordSentWithRetries(mailId);
    return { outcome: "sent" };
  }
}

const RECORD_SENT_ATTEMPTS = 60;
const RECORD_SENT_DELAY_MS = 1_000;

async function recordSentWithRetries(mailId: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await getPrisma().mailMessage.updateMany({
        where: { id: mailId, status: { notIn: ["sent", "captured"] } },
        data: { status: "sent", attempts: { increment: 1 }, lastError: null, sentAt: new Date() },
      });
      return;
    } catch (error) {
      if (attempt >= RECORD_SENT_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, RECORD_SENT_DELAY_MS));
    }
  }
}

async function lockAndSend({
  mailId,
  send,
  onHandedOver,
}: {
  mailId: string;
  send: SendMail | null;
  onHandedOver: () => void;
}): Promise<DeliveryOutcome> {
  return getPrisma().$transaction(
    async (tx): Promise<DeliveryOutcome> => {
      const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT "id"::text AS "id" FROM "mail_message" WHERE "id" = ${mailId}::uuid FOR UPDATE`;
      if (locked.length === 0) return { outcome: "missing" };
      const mail = await tx.mailMessage.findUniqueOrThrow({
        where: { id: mailId },
        select: { id: true, recipient: true, locale: true, subject: true, text: true, html: true, unsubscribeUrl: true, status: true },
      });
      if (mail.status === "sent" || mail.status === "captured") return { outcome: "already-delivered" };
      if (!send) {
        await tx.mailMessage.update({ where: { id: mailId }, data: { status: "captured", lastError: null }, select: { id: true } });
        return { outcome: "captured" };
      }
      const outgoing: OutgoingMail = {
        id: mail.id,
        to: mail.recipient,
        locale: mail.locale,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        unsubscribeUrl: mail.unsubscribeUrl,
      };
      try {
        await send(outgoing);
        onHandedOver();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await tx.mailMessage.update({
          where: { id: mailId },
          data: { status: "failed", attempts: { increment: 1 }, lastError: message.slice(0, LAST_ERROR_MAX_LENGTH) },
          select: { id: true },
        });
        return { outcome: "failed", error };
      }
      await tx.mailMessage.update({
        where: { id: mailId },
        data: { status: "sent", attempts: { increment: 1 }, lastError: null, sentAt: new Date() },
        select: { id: true },
      });
      return { outcome: "sent" };
    },
    { timeout: DELIVERY_TRANSACTION_TIMEOUT_MS, maxWait: DELIVERY_TRANSACTION_TIMEOUT_MS },
  );
}

// ---------------------------------------------------------------------------------------
// The staff mail viewer

export async function listMailMessages({
  recipient,
  status,
  skip,
  take,
}: {
  recipient?: string;
  status?: MailStatus;
  skip: number;
  take: number;
}) {
  const where = {
    ...(recipient ? { recipient: { contains: recipient.toLowerCase(), mode: "insensitive" as const } } : {}),
    ...(status ? { status } : {}),
  };
  const prisma = getPrisma();
  const [mails, total] = await Promise.all([
    prisma.mailMessage.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip,
      take,
      select: { id: true, recipient: true, subject: true, template: true, locale: true, status: true, attempts: true, createdAt: true, sentAt: true },
    }),
    prisma.mailMessage.count({ where }),
  ]);
  return { mails, total };
}

export async function getMailMessage({ id }: { id: string }) {
  return getPrisma().mailMessage.findUnique({
    where: { id },
    select: {
      id: true,
      dedupeKey: true,
      recipient: true,
      locale: true,
      template: true,
      subject: true,
      text: true,
      html: true,
      unsubscribeUrl: true,
      status: true,
      attempts: true,
      lastError: true,
      sentAt: true,
      createdAt: true,
    },
  });
}
