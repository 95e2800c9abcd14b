import { json, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getCatalogueStats } from "~/models/stats.server";

export const meta: MetaFunction = () => [
  { title: "Enlace · South-South cooperation in the Americas" },
  { name: "description", content: "Programs that worked, shared across the Americas." },
];

export async function loader() {
  return json({ stats: await getCatalogueStats() });
}

export default function HomePage() {
  const { stats } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const format = new Intl.NumberFormat(i18n.language);
  return (
    <div className="container">
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
        </div>
      </section>
    </div>
  );
}
