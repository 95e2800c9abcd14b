import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BulletinContent } from "~/components/bulletin/bulletin-content";
import { INTL_TAG } from "~/i18n/config";
import { i18nServer } from "~/i18n/i18next.server";
import { messageLocale } from "~/mail/messages";
import { bulletinEdition, isEditionLocale, parseMonthKey } from "~/models/bulletin-edition";
import { getPublishedBulletinIssue } from "~/models/bulletin.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.edition.title} · Enlace` : "Enlace" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const month = parseMonthKey(params.month);
  if (!month) throw new Response("Not found", { status: 404 });
  const issue = await getPublishedBulletinIssue({ month });
  if (!issue) throw new Response("Not found", { status: 404 });
  // ?lang= names the edition (links from the mail and the feed); otherwise the interface's language.
  const requested = new URL(request.url).searchParams.get("lang");
  const locale = isEditionLocale(requested) ? requested : messageLocale(await i18nServer.getLocale(request));
  const edition = bulletinEdition(issue, locale);
  const otherLocale = locale === "es" ? "en" : "es";
  return json({
    edition,
    otherLocale,
    publishedLabel: issue.publishedAt
      ? new Intl.DateTimeFormat(INTL_TAG[locale], { dateStyle: "long", timeZone: "UTC" }).format(issue.publishedAt)
      : null,
  });
}

export default function BulletinIssuePage() {
  const { edition, otherLocale, publishedLabel } = useLoaderData<typeof loader>();
  const { i18n } = useTranslation();
  const t = i18n.getFixedT(edition.locale, "bulletin");
  return (
    <article className="container stack" lang={edition.locale} data-testid="bulletin-issue">
      <p className="cluster">
        <Link to="/bulletin">← {t("issue.backToArchive")}</Link>
        <Link to={`/bulletin/${edition.month}?lang=${otherLocale}`} hrefLang={otherLocale} lang={otherLocale}>
          {t("issue.otherLanguage")}
        </Link>
      </p>
      <header>
        <h1>{edition.title}</h1>
        <p className="muted">
          {edition.monthLabel}
          {publishedLabel ? ` · ${t("issue.publishedOn", { date: publishedLabel })}` : null}
        </p>
      </header>
      <BulletinContent edition={edition} />
    </article>
  );
}
