import type { LoaderFunctionArgs } from "@remix-run/node";
import { i18nServer } from "~/i18n/i18next.server";
import { messageLocale } from "~/mail/messages";
import { bulletinEdition, isEditionLocale } from "~/models/bulletin-edition";
import { listPublishedBulletinIssues } from "~/models/bulletin.server";
import { getEnv } from "~/utils/env.server";

const FEED_ITEMS = 24;

// RSS 2.0 (https://www.rssboard.org/rss-specification): one feed per language, ?lang=en|es.
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const requested = url.searchParams.get("lang");
  const locale = isEditionLocale(requested) ? requested : messageLocale(await i18nServer.getLocale(request));
  const origin = getEnv().APP_URL ?? url.origin;
  const link = (path: string) => new URL(path, origin).toString();
  const t = await i18nServer.getFixedT(locale, "bulletin");

  const issues = await listPublishedBulletinIssues({ take: FEED_ITEMS });
  const items = issues.flatMap((issue) => {
    if (!issue.publishedAt) return [];
    const edition = bulletinEdition(issue, locale);
    const itemLink = link(`/bulletin/${edition.month}?lang=${locale}`);
    const description = [
      ...edition.intro.map((paragraph) => `<p>${escapeXml(paragraph)}</p>`),
      ...edition.sections.map(
        (section) =>
          `<h2>${escapeXml(t(`sections.${section.key}`))}</h2><ul>${section.items
            .map((item) => `<li><a href="${escapeXml(link(item.path))}">${escapeXml(item.title)}</a> — ${escapeXml(item.meta)}</li>`)
            .join("")}</ul>`,
      ),
    ].join("");
    return [
      [
        "<item>",
        `<title>${escapeXml(edition.title)}</title>`,
        `<link>${escapeXml(itemLink)}</link>`,
        `<guid isPermaLink="true">${escapeXml(itemLink)}</guid>`,
        `<pubDate>${issue.publishedAt.toUTCString()}</pubDate>`,
        `<description>${escapeXml(description)}</description>`,
        "</item>",
      ].join(""),
    ];
  });
  const lastBuild = issues.find((issue) => issue.publishedAt)?.publishedAt ?? null;
  const feedUrl = link(`/bulletin/rss.xml?lang=${locale}`);
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    "<channel>",
    `<title>${escapeXml(t("rss.title"))}</title>`,
    `<link>${escapeXml(link("/bulletin"))}</link>`,
    `<description>${escapeXml(t("rss.description"))}</description>`,
    `<language>${locale}</language>`,
    `<atom:link href="${escapeXml(feedUrl)}" rel="self" type="application/rss+xml"/>`,
    lastBuild ? `<lastBuildDate>${lastBuild.toUTCString()}</lastBuildDate>` : "",
    ...items,
    "</channel>",
    "</rss>",
  ].join("\n");
  return new Response(xml, {
    headers: { "Content-Type": "application/rss+xml; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
}

// XML 1.0 cannot carry most control characters, even escaped.
// eslint-disable-next-line no-control-regex
const NOT_XML_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function escapeXml(value: string): string {
  return value
    .replace(NOT_XML_CHARACTERS, "")
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}
