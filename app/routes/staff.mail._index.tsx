import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireStaff } from "~/auth/guards.server";
import { MailStatusBadge } from "~/components/mail-status-badge";
import { INTL_TAG, isUiLocale } from "~/i18n/config";
import { i18nServer } from "~/i18n/i18next.server";
import { listMailMessages } from "~/models/mail.server";
import { isStorableText } from "~/schemas/text";
import { getEnv } from "~/utils/env.server";

const PAGE_SIZE = 50;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

const querySchema = z.object({
  to: z.string().trim().max(254).refine(isStorableText).catch(""),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const url = new URL(request.url);
  const query = querySchema.parse({ to: url.searchParams.get("to") ?? "", page: url.searchParams.get("page") ?? 1 });
  const [t, locale, { mails, total }] = await Promise.all([
    i18nServer.getFixedT(request, "mail"),
    i18nServer.getLocale(request),
    listMailMessages({ recipient: query.to || undefined, skip: (query.page - 1) * PAGE_SIZE, take: PAGE_SIZE }),
  ]);
  const format = new Intl.DateTimeFormat(isUiLocale(locale) ? INTL_TAG[locale] : "en-US", { dateStyle: "short", timeStyle: "medium", timeZone: "UTC" });
  return json({
    title: t("viewer.title"),
    smtpConfigured: Boolean(getEnv().SMTP_URL),
    to: query.to,
    page: query.page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    total,
    mails: mails.map((mail) => ({ ...mail, createdLabel: `${format.format(mail.createdAt)} UTC`, createdAt: mail.createdAt.toISOString() })),
  });
}

export default function MailViewerPage() {
  const { smtpConfigured, to, mails, total, page, pages } = useLoaderData<typeof loader>();
  const { t } = useTranslation("mail");
  const pageLink = (target: number) => `/staff/mail?${new URLSearchParams({ ...(to ? { to } : {}), page: String(target) })}`;
  return (
    <div className="container stack">
      <h1>{t("viewer.title")}</h1>
      <p className="muted">{t("viewer.intro")}</p>
      <p className={smtpConfigured ? "alert" : "alert alert--warning"}>{smtpConfigured ? t("viewer.smtpOn") : t("viewer.smtpOff")}</p>
      <Form method="get" className="cluster" role="search">
        <div className="field">
          <label htmlFor="mail-to" className="field__label">
            {t("viewer.filterLabel")}
          </label>
          <input id="mail-to" type="search" name="to" defaultValue={to} />
        </div>
        <button type="submit" className="button button--secondary">
          {t("viewer.filter")}
        </button>
        {to ? (
          <Link to="/staff/mail" className="button button--ghost">
            {t("viewer.clear")}
          </Link>
        ) : null}
      </Form>
      <p>{t("viewer.shownOf", { shown: mails.length, total })}</p>
      {mails.length === 0 ? <p>{t("viewer.empty")}</p> : null}
      {mails.length > 0 ? (
        <div className="table-wrap">
          <table className="table" data-testid="mail-table">
            <thead>
              <tr>
                <th scope="col">{t("viewer.created")}</th>
                <th scope="col">{t("viewer.recipient")}</th>
                <th scope="col">{t("viewer.subject")}</th>
                <th scope="col">{t("viewer.language")}</th>
                <th scope="col">{t("viewer.status")}</th>
              </tr>
            </thead>
            <tbody>
              {mails.map((mail) => (
                <tr key={mail.id} data-testid="mail-row">
                  <td>
                    <time dateTime={mail.createdAt}>{mail.createdLabel}</time>
                  </td>
                  <td>{mail.recipient}</td>
                  <td>
                    <Link to={`/staff/mail/${mail.id}`}>{mail.subject}</Link>
                  </td>
                  <td>
                    <span className="lang-tag">{mail.locale}</span>
                  </td>
                  <td>
                    <MailStatusBadge status={mail.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {pages > 1 ? (
        <nav className="pagination" aria-label={t("viewer.title")}>
          {page > 1 ? <Link to={pageLink(page - 1)}>{t("viewer.previous")}</Link> : null}
          <span>
            {page} / {pages}
          </span>
          {page < pages ? <Link to={pageLink(page + 1)}>{t("viewer.next")}</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}
