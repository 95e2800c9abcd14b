import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireStaff } from "~/auth/guards.server";
import { MailStatusBadge } from "~/components/mail-status-badge";
import { getMailMessage } from "~/models/mail.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.mail.subject} · Enlace` : "Enlace" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const id = z.guid().safeParse(params.id);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const mail = await getMailMessage({ id: id.data });
  if (!mail) throw new Response("Not found", { status: 404 });
  // Links listed apart, so a developer can follow a confirmation link from the captured mail.
  const links = [...new Set(mail.text.match(/https?:\/\/[^\s<>"]+/g) ?? [])];
  return json({
    mail: {
      ...mail,
      createdAt: mail.createdAt.toISOString(),
      sentAt: mail.sentAt?.toISOString() ?? null,
    },
    links,
  });
}

export default function MailMessagePage() {
  const { mail, links } = useLoaderData<typeof loader>();
  const { t } = useTranslation("mail");
  return (
    <div className="container stack">
      <p>
        <Link to="/staff/mail">← {t("viewer.back")}</Link>
      </p>
      <h1 data-testid="mail-subject">{mail.subject}</h1>
      <div className="table-wrap">
        <table className="table">
          <tbody>
            <tr>
              <th scope="row">{t("viewer.recipient")}</th>
              <td data-testid="mail-recipient">{mail.recipient}</td>
            </tr>
            <tr>
              <th scope="row">{t("viewer.status")}</th>
              <td>
                <MailStatusBadge status={mail.status} />
              </td>
            </tr>
            <tr>
              <th scope="row">{t("viewer.language")}</th>
              <td>
                <span className="lang-tag">{mail.locale}</span>
              </td>
            </tr>
            <tr>
              <th scope="row">{t("viewer.template")}</th>
              <td>{mail.template}</td>
            </tr>
            <tr>
              <th scope="row">{t("viewer.created")}</th>
              <td>
                <time dateTime={mail.createdAt}>{mail.createdAt}</time>
              </td>
            </tr>
            <tr>
              <th scope="row">{t("viewer.sent")}</th>
              <td>{mail.sentAt ? <time dateTime={mail.sentAt}>{mail.sentAt}</time> : "—"}</td>
            </tr>
            <tr>
              <th scope="row">{t("viewer.attempts")}</th>
              <td>{mail.attempts}</td>
            </tr>
            {mail.lastError ? (
              <tr>
                <th scope="row">{t("viewer.lastError")}</th>
                <td>{mail.lastError}</td>
              </tr>
            ) : null}
            <tr>
              <th scope="row">{t("viewer.dedupeKey")}</th>
              <td>
                <code>{mail.dedupeKey}</code>
              </td>
            </tr>
            {mail.unsubscribeUrl ? (
              <tr>
                <th scope="row">{t("viewer.unsubscribeUrl")}</th>
                <td>
                  <code>{mail.unsubscribeUrl}</code>
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {links.length > 0 ? (
        <section aria-labelledby="mail-links">
          <h2 id="mail-links">{t("viewer.links")}</h2>
          <ul data-testid="mail-links">
            {links.map((link) => (
              <li key={link}>
                <a href={link}>{link}</a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="mail-text">
        <h2 id="mail-text">{t("viewer.textPart")}</h2>
        <pre className="mail-text" data-testid="mail-text">
          {mail.text}
        </pre>
      </section>
      <section aria-labelledby="mail-html">
        <h2 id="mail-html">{t("viewer.htmlPart")}</h2>
        {/* sandboxed: the mail's HTML runs no script and cannot reach this page */}
        <iframe className="mail-frame" title={t("viewer.htmlFrameTitle")} sandbox="" srcDoc={mail.html} data-testid="mail-html" />
      </section>
    </div>
  );
}
