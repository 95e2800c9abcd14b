import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFlash } from "~/auth/flash.server";
import { FlashMessage } from "~/components/flash";
import { INTL_TAG } from "~/i18n/config";
import { i18nServer } from "~/i18n/i18next.server";
import { messageLocale } from "~/mail/messages";
import { monthKey, monthLabel } from "~/models/bulletin-edition";
import { listBulletinIssues } from "~/models/bulletin.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.title} · Enlace` : "Enlace" },
  ...(data
    ? [
        { name: "description", content: data.description },
        { tagName: "link", rel: "alternate", type: "application/rss+xml", title: data.title, href: `/bulletin/rss.xml?lang=${data.locale}` },
      ]
    : []),
];

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = messageLocale(await i18nServer.getLocale(request));
  const [t, { flash, headers }, issues] = await Promise.all([
    i18nServer.getFixedT(request, "bulletin"),
    getFlash(request),
    listBulletinIssues({ publishedOnly: true }),
  ]);
  const dateFormat = new Intl.DateTimeFormat(INTL_TAG[locale], { dateStyle: "long", timeZone: "UTC" });
  return json(
    {
      title: t("archive.title"),
      description: t("archive.intro"),
      locale,
      flash,
      issues: issues.map((issue) => ({
        id: issue.id,
        month: monthKey(issue.month),
        monthLabel: monthLabel(issue.month, locale),
        title: locale === "es" ? issue.titleEs : issue.titleEn,
        publishedLabel: issue.publishedAt ? dateFormat.format(issue.publishedAt) : null,
      })),
    },
    { headers },
  );
}

export default function BulletinArchivePage() {
  const { flash, issues, locale } = useLoaderData<typeof loader>();
  const { t } = useTranslation("bulletin");
  return (
    <div className="container stack">
      <FlashMessage flash={flash} />
      <header className="page-header">
        <div>
          <h1>{t("archive.title")}</h1>
          <p className="muted">{t("archive.intro")}</p>
        </div>
        <div className="cluster">
          <Link to="/bulletin/subscribe" className="button button--primary">
            {t("archive.subscribe")}
          </Link>
          <a href={`/bulletin/rss.xml?lang=${locale}`} className="button button--ghost" type="application/rss+xml">
            {t("archive.rss")}
          </a>
        </div>
      </header>
      <h2>{t("archive.issuesHeading")}</h2>
      {issues.length === 0 ? <p>{t("archive.empty")}</p> : null}
      <ul className="card-list" data-testid="bulletin-archive">
        {issues.map((issue) => (
          <li key={issue.id} className="card">
            <h3 className="card__title">
              <Link to={`/bulletin/${issue.month}`}>{issue.title}</Link>
            </h3>
            <p className="card__meta">
              {issue.monthLabel}
              {issue.publishedLabel ? ` · ${t("archive.publishedOn", { date: issue.publishedLabel })}` : null}
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}
