import { json, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getOptionalUser } from "~/auth/session.server";
import { useCatalogueFormat } from "~/components/catalogue/format";
import { OfferCardList, RequestCardList } from "~/components/catalogue/record-cards";
import { i18nServer } from "~/i18n/i18next.server";
import { CooperationList } from "~/components/brokering/cooperation-list";
import { getCountryCatalogue } from "~/models/catalogue.server";
import { listCountryCooperations } from "~/models/cooperation.server";
import { findCountryCode } from "~/models/country.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.country.name} · Enlace` : "Enlace" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const code = await findCountryCode({ code: params.code ?? "" });
  if (!code) throw new Response("Not found", { status: 404 });
  // One URL per country: /countries/sv and /countries/Sv lead to /countries/SV.
  if (params.code !== code) throw redirect(`/countries/${code}`, { status: 301 });
  const [user, locale] = await Promise.all([getOptionalUser(request), i18nServer.getLocale(request)]);
  const page = await getCountryCatalogue({ code, viewer: user, locale });
  if (!page) throw new Response("Not found", { status: 404 });
  const cooperations = await listCountryCooperations({ code, locale });
  return json({ ...page, cooperations });
}

export default function CountryPage() {
  const { country, organizations, offers, offerCount, requests, requestCount, canSeeRequests, cooperations } = useLoaderData<typeof loader>();
  const { t } = useTranslation("catalogue");
  const format = useCatalogueFormat();
  return (
    <div className="container stack">
      <header className="record-header">
        <div className="record-card__badges">
          {country.oasMember ? <span className="badge badge--primary">{t("country.oasMember")}</span> : null}
          {country.subregion ? <span className="badge">{format.label("subregion", country.subregion)}</span> : null}
        </div>
        <h1>{country.name}</h1>
      </header>
      <section aria-labelledby="country-organizations" className="stack">
        <h2 id="country-organizations">{t("country.organizations")}</h2>
        {organizations.length === 0 ? (
          <p className="empty-state">{t("country.noOrganizations")}</p>
        ) : (
          <ul className="link-list">
            {organizations.map((organization) => (
              <li key={organization.id}>
                <Link to={`/organizations/${organization.id}`}>{organization.name}</Link>{" "}
                <span className="muted">
                  · {format.label("organizationType", organization.type)} ·{" "}
                  {t("country.publishedOffers", { number: format.number(organization.publishedOffers) })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="country-offers" className="stack">
        <h2 id="country-offers">
          {t("country.offers", { country: country.name })} <span className="muted">({format.number(offerCount)})</span>
        </h2>
        <OfferCardList offers={offers} emptyText={t("organization.noOffers")} headingLevel={3} />
      </section>
      {canSeeRequests ? (
        <section aria-labelledby="country-requests" className="stack">
          <h2 id="country-requests">
            {t("country.requests", { country: country.name })} <span className="muted">({format.number(requestCount)})</span>
          </h2>
          <RequestCardList requests={requests} emptyText={t("organization.noRequests")} headingLevel={3} />
        </section>
      ) : null}
      <CooperationList cooperations={cooperations} headingId="country-cooperations" />
    </div>
  );
}
