import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { OfferCardList } from "~/components/catalogue/record-cards";
import { MeetingTime, useViewerTimeZone } from "~/components/meetings/time";
import { i18nServer } from "~/i18n/i18next.server";
import { listPublishedOffers } from "~/models/catalogue.server";
import { findNextMeeting } from "~/models/meeting.server";
import { countPublishedOffersByTheme, getCatalogueStats } from "~/models/stats.server";
import { readTimeZoneChoice } from "~/utils/time-zone-cookie.server";
import { messageLocale } from "~/mail/messages";
import { numberFormat } from "~/utils/intl";
import { CATALOGUE_FIGURES_TTL_MS, cachedFor } from "~/utils/short-cache.server";

export const meta: MetaFunction = () => [
  { title: "Enlace · South-South cooperation in the Americas" },
  { name: "description", content: "Programs that worked, shared across the Americas." },
];

const LATEST_OFFERS = 3;
const THEMES_SHOWN = 8;

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = await i18nServer.getLocale(request);
  const [stats, latest, themes, upcoming, chosenZone] = await Promise.all([
    // Catalogue-wide aggregates, the same for every visitor: computed once per few seconds.
    cachedFor("home-stats", CATALOGUE_FIGURES_TTL_MS, getCatalogueStats),
    listPublishedOffers({ filters: { page: 1 }, locale, pageSize: LATEST_OFFERS }),
    cachedFor(`home-themes-${locale}`, CATALOGUE_FIGURES_TTL_MS, () => countPublishedOffersByTheme({ locale })),
    findNextMeeting({ now: new Date() }),
    readTimeZoneChoice(request),
  ]);
  const nextMeeting = upcoming ? { id: upcoming.id, title: upcoming.title, startsAt: upcoming.startsAt.toISOString() } : null;
  return json({
    locale: messageLocale(locale),
    chosenZone,
    stats,
    latestOffers: latest.items,
    themes: themes.slice(0, THEMES_SHOWN),
    nextMeeting,
  });
}

export default function HomePage() {
  const { locale, chosenZone, stats, latestOffers, themes, nextMeeting } = useLoaderData<typeof loader>();
  const zone = useViewerTimeZone(chosenZone);
  const { t, i18n } = useTranslation();
  const format = numberFormat(i18n.language);
  return (
    <div className="container stack">
      <section className="hero">
        <h1>{t("home.title")}</h1>
        <p className="hero__lead">{t("home.lead")}</p>
        <p className="hero__stats" data-testid="home-stats">
          {t("home.stats", {
            offers: format.format(stats.offers),
            requests: format.format(stats.requests),
            countries: format.format(stats.countries),
          })}
        </p>
        <div className="hero__actions">
          <Link to="/offers" className="button button--primary">
            {t("home.browseOffers")}
          </Link>
          <Link to="/requests/new" className="button button--secondary">
            {t("home.postRequest")}
          </Link>
          <Link to="/insights" className="button button--ghost">
            {t("home.seeInsights")}
          </Link>
        </div>
      </section>

      <section aria-labelledby="how-title" className="home-section">
        <h2 id="how-title">{t("home.howTitle")}</h2>
        <ol className="home-steps">
          {(["post", "match", "broker", "cooperate"] as const).map((step) => (
            <li key={step} className="card home-steps__step">
              <h3 className="card__title">{t(`home.steps.${step}.title`)}</h3>
              <p>{t(`home.steps.${step}.body`)}</p>
            </li>
          ))}
        </ol>
      </section>

      {themes.length > 0 ? (
        <section aria-labelledby="themes-title" className="home-section">
          <h2 id="themes-title">{t("home.themesTitle")}</h2>
          <ul className="home-themes">
            {themes.map((theme) => (
              <li key={theme.theme}>
                <Link to={`/offers?theme=${theme.theme}`} className="home-themes__link">
                  <span>{theme.label}</span>
                  <span className="home-themes__count">{t("home.themeOffers", { count: theme.offers })}</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="latest-title" className="home-section">
        <h2 id="latest-title">{t("home.latestTitle")}</h2>
        <OfferCardList offers={latestOffers} emptyText={t("home.noOffers")} headingLevel={3} />
        <p>
          <Link to="/offers">{t("home.allOffers")}</Link>
        </p>
      </section>

      {nextMeeting ? (
        <section aria-labelledby="meeting-title" className="card home-section">
          <h2 id="meeting-title" className="card__title">
            {t("home.nextMeeting")}
          </h2>
          <p>
            <Link to={`/meetings/${nextMeeting.id}`}>{nextMeeting.title}</Link>
          </p>
          <p className="muted">
            <MeetingTime iso={nextMeeting.startsAt} timeZone={zone} locale={locale} />
          </p>
        </section>
      ) : null}
    </div>
  );
}
