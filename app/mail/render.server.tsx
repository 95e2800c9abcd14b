/**
 * Every e-mail the application sends, rendered in the recipient's language: a subject, a plain
 * text part and an HTML part (inline styles only: mail clients drop style sheets). Rendering
 * happens when the mail is queued, so the outbox row holds exactly what was sent.
 */
import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { i18nServer } from "~/i18n/i18next.server";
import type { UiLocale } from "~/i18n/config";
import { absoluteUrl } from "~/mail/urls.server";
import { findMessage, messageLocale, type MessageParams } from "~/mail/messages";
import type { BulletinEdition } from "~/models/bulletin-edition";

export type NotificationMailParams = { kind: string; params: MessageParams; link: string | null };
export type BulletinConfirmMailParams = { confirmUrl: string };
export type BulletinIssueMailParams = { edition: BulletinEdition; unsubscribeUrl: string };

/** A template and its parameters; `enqueueMail` adds who receives it and in which language. */
export type MailTemplateInput =
  | { template: "notification"; params: NotificationMailParams }
  | { template: "bulletin-confirm"; params: BulletinConfirmMailParams }
  | { template: "bulletin-issue"; params: BulletinIssueMailParams };

export type MailTemplate = MailTemplateInput["template"];

export type RenderedMail = {
  locale: UiLocale;
  subject: string;
  text: string;
  html: string;
  /** Mail a reader subscribed to carries a one-click unsubscribe link (RFC 8058). */
  unsubscribeUrl: string | null;
};

export async function renderMail(input: MailTemplateInput & { locale: string }): Promise<RenderedMail> {
  const locale = messageLocale(input.locale);
  switch (input.template) {
    case "notification":
      return renderNotification(locale, input.params);
    case "bulletin-confirm":
      return renderBulletinConfirm(locale, input.params);
    case "bulletin-issue":
      return renderBulletinIssue(locale, input.params);
  }
}

// ---------------------------------------------------------------------------------------

async function renderNotification(locale: UiLocale, { kind, params, link }: NotificationMailParams): Promise<RenderedMail> {
  const t = await i18nServer.getFixedT(locale, "mail");
  const subject = findMessage(locale, `${kind}.title`, params) ?? kind;
  const body = findMessage(locale, `${kind}.body`, params);
  const url = link ? absoluteUrl(link) : null;
  const text = joinText([subject, body, url ? `${t("layout.openInEnlace")}: ${url}` : null, t("notification.footer")]);
  const html = renderHtml(
    <MailLayout locale={locale} title={subject} footer={t("notification.footer")} brand={t("layout.brand")}>
      <h1 style={styles.h1}>{subject}</h1>
      {body ? <p style={styles.p}>{body}</p> : null}
      {url ? <ButtonLink href={url}>{t("layout.openInEnlace")}</ButtonLink> : null}
    </MailLayout>,
  );
  return { locale, subject, text, html, unsubscribeUrl: null };
}

async function renderBulletinConfirm(locale: UiLocale, { confirmUrl }: BulletinConfirmMailParams): Promise<RenderedMail> {
  const t = await i18nServer.getFixedT(locale, "mail");
  const subject = t("confirm.subject");
  const text = joinText([t("confirm.heading"), t("confirm.body"), `${t("confirm.button")}: ${confirmUrl}`, t("confirm.ignore")]);
  const html = renderHtml(
    <MailLayout locale={locale} title={subject} footer={t("confirm.ignore")} brand={t("layout.brand")}>
      <h1 style={styles.h1}>{t("confirm.heading")}</h1>
      <p style={styles.p}>{t("confirm.body")}</p>
      <ButtonLink href={confirmUrl}>{t("confirm.button")}</ButtonLink>
      <p style={styles.small}>{confirmUrl}</p>
    </MailLayout>,
  );
  return { locale, subject, text, html, unsubscribeUrl: null };
}

async function renderBulletinIssue(locale: UiLocale, { edition, unsubscribeUrl }: BulletinIssueMailParams): Promise<RenderedMail> {
  const [t, tb] = await Promise.all([i18nServer.getFixedT(locale, "mail"), i18nServer.getFixedT(locale, "bulletin")]);
  const webUrl = absoluteUrl(`/bulletin/${edition.month}?lang=${locale}`);
  const footer = `${t("bulletin.why")} ${t("bulletin.unsubscribe")}: ${unsubscribeUrl}`;
  const text = joinText([
    edition.title,
    ...edition.intro,
    ...edition.sections.map((section) =>
      [
        tb(`sections.${section.key}`).toUpperCase(),
        ...section.items.map((item) => joinLines([`* ${item.title}`, `  ${item.meta}`, `  ${absoluteUrl(item.path)}`])),
      ].join("\n\n"),
    ),
    `${t("bulletin.readOnline")}: ${webUrl}`,
    footer,
  ]);
  const html = renderHtml(
    <MailLayout
      locale={locale}
      title={edition.title}
      brand={t("layout.brand")}
      footer={
        <>
          {t("bulletin.why")}{" "}
          <a href={unsubscribeUrl} style={styles.footerLink}>
            {t("bulletin.unsubscribe")}
          </a>
        </>
      }
    >
      <p style={styles.small}>
        <a href={webUrl} style={styles.link}>
          {t("bulletin.readOnline")}
        </a>
      </p>
      <h1 style={styles.h1}>{edition.title}</h1>
      {edition.intro.map((paragraph, index) => (
        <p key={index} style={styles.p}>
          {paragraph}
        </p>
      ))}
      {edition.sections.map((section) => (
        <div key={section.key}>
          <h2 style={styles.h2}>{tb(`sections.${section.key}`)}</h2>
          {section.items.map((item) => (
            <div key={item.id} style={styles.item}>
              <a href={absoluteUrl(item.path)} style={styles.itemTitle} lang={item.language === locale ? undefined : item.language}>
                {item.title}
              </a>
              <div style={styles.meta}>{item.meta}</div>
              {item.summary ? (
                <div style={styles.p} lang={item.language === locale ? undefined : item.language}>
                  {truncate(item.summary, 280)}
                </div>
              ) : null}
            </div>
          ))}
        </div>
      ))}
    </MailLayout>,
  );
  return { locale, subject: edition.title, text, html, unsubscribeUrl };
}

// ---------------------------------------------------------------------------------------

const styles = {
  body: { margin: 0, padding: "24px 12px", background: "#f4f6fa", color: "#14213d", fontFamily: "Arial, Helvetica, sans-serif", lineHeight: 1.5 },
  card: { maxWidth: "600px", margin: "0 auto", background: "#ffffff", border: "1px solid #d5dbe6", borderRadius: "8px", padding: "24px" },
  brand: { fontWeight: 700, fontSize: "18px", color: "#0b4f8a", margin: "0 0 16px" },
  h1: { fontSize: "22px", lineHeight: 1.25, margin: "0 0 16px" },
  h2: { fontSize: "17px", margin: "24px 0 8px", borderBottom: "1px solid #d5dbe6", paddingBottom: "4px" },
  p: { margin: "0 0 12px", fontSize: "15px" },
  small: { margin: "0 0 12px", fontSize: "13px", color: "#4a5568", wordBreak: "break-all" },
  link: { color: "#0b4f8a" },
  button: { display: "inline-block", background: "#0b4f8a", color: "#ffffff", padding: "10px 18px", borderRadius: "8px", fontWeight: 700, textDecoration: "none", margin: "4px 0 16px" },
  item: { margin: "0 0 14px" },
  itemTitle: { color: "#0b4f8a", fontWeight: 700, fontSize: "15px" },
  meta: { color: "#4a5568", fontSize: "13px" },
  footer: { maxWidth: "600px", margin: "16px auto 0", fontSize: "12px", color: "#4a5568" },
  footerLink: { color: "#4a5568" },
} as const;

function MailLayout({
  locale,
  title,
  brand,
  footer,
  children,
}: {
  locale: UiLocale;
  title: string;
  brand: string;
  footer: ReactNode;
  children: ReactNode;
}) {
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
      </head>
      <body style={styles.body}>
        <div style={styles.card}>
          <p style={styles.brand}>{brand}</p>
          {children}
        </div>
        <p style={styles.footer}>{footer}</p>
      </body>
    </html>
  );
}

function ButtonLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <p style={styles.p}>
      <a href={href} style={styles.button}>
        {children}
      </a>
    </p>
  );
}

function renderHtml(element: ReactNode): string {
  return `<!DOCTYPE html>${renderToStaticMarkup(element)}`;
}

function joinText(blocks: ReadonlyArray<string | null | undefined>): string {
  return `${blocks.filter((block): block is string => Boolean(block)).join("\n\n")}\n`;
}

function joinLines(lines: readonly string[]): string {
  return lines.filter((line) => line.trim() !== "").join("\n");
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1).trimEnd()}…`;
}
