/**
 * Delivery over SMTP with nodemailer, when SMTP_URL is set (smtp:// or smtps://, credentials in
 * the URL). Without it nothing leaves the machine: mail stays "captured" in the outbox, readable
 * by staff at /staff/mail.
 */
import nodemailer, { type Transporter } from "nodemailer";
import { getEnv } from "~/utils/env.server";

export type OutgoingMail = {
  id: string;
  to: string;
  locale: string;
  subject: string;
  text: string;
  html: string;
  unsubscribeUrl: string | null;
};

export type SendMail = (mail: OutgoingMail) => Promise<void>;

// A stuck server must fail the attempt (and let the job retry) rather than hold the worker.
const SMTP_TIMEOUT_MS = 30_000;

let cached: { url: string; transporter: Transporter } | undefined;

function transporterFor(url: string): Transporter {
  if (cached?.url !== url) {
    cached?.transporter.close();
    cached = {
      url,
      transporter: nodemailer.createTransport({
        url,
        connectionTimeout: SMTP_TIMEOUT_MS,
        greetingTimeout: SMTP_TIMEOUT_MS,
        socketTimeout: SMTP_TIMEOUT_MS,
      }),
    };
  }
  return cached.transporter;
}

/** The sender for the configured SMTP server, or null when mail is only captured. */
export function configuredMailSender(): SendMail | null {
  const env = getEnv();
  const smtpUrl = env.SMTP_URL;
  if (!smtpUrl) return null;
  const from = env.MAIL_FROM;
  return async (mail) => {
    await transporterFor(smtpUrl).sendMail({
      from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      // The same Message-ID on every attempt lets receiving systems drop a copy resent after a
      // crash between the SMTP answer and our bookkeeping.
      messageId: `<${mail.id}@${senderDomain(from)}>`,
      headers: {
        "Content-Language": mail.locale,
        ...(mail.unsubscribeUrl
          ? { "List-Unsubscribe": `<${mail.unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" }
          : {}),
      },
    });
  };
}

function senderDomain(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  const domain = address.split("@")[1]?.trim();
  return domain && /^[a-z0-9.-]+$/i.test(domain) ? domain : "enlace.local";
}
