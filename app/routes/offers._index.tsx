import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFlash } from "~/auth/flash.server";
import { getOptionalUser } from "~/auth/session.server";
import { CatalogueFilters } from "~/components/catalogue/filters";
import { useCatalogueFormat } from "~/components/catalogue/format";
import { Pagination } from "~/components/catalogue/pagination";
import { OfferCardList } from "~/components/catalogue/record-cards";
import { CsvDownloadLink } from "~/components/exchange/csv-link";
import { FlashMessage } from "~/components/flash";
import { i18nServer } from "~/i18n/i18next.server";
import { listPublishedOffers } from "~/models/catalogue.server";
import { listOfferCountries } from "~/models/country.server";
import { catalogueFiltersSchema, searchParamsObject } from "~/schemas/offer";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const parsed = catalogueFiltersSchema.safeParse(searchParamsObject(url.searchParams));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join(".")).join(", ");
    throw new Response(`Invalid filter: ${fields}`, { status: 400 });
  }
  const locale = await i18nServer.getLocale(request);
  const [t, user, offers, countries, { flash, headers }] = await Promise.all([
    i18nServer.getFixedT(request, "catalogue"),
    getOptionalUser(request),
    listPublishedOffers({ filters: parsed.data, locale }),
    listOfferCountries({ locale }),
    getFlash(request),
  ]);
  const { page: _page, ...filters } = parsed.data;
  return json(
    { title: t("offers.title"), offers, countries, filters, canPost: Boolean(user?.organizationId), flash },
    { headers },
  );
}

export default function OffersPage() {
  const { offers, countries, filters, canPost, flash } = useLoaderData<typeof loader>();
  const { t } = useTranslation("catalogue");
  const format = useCatalogueFormat();
  return (
    <div className="container stack">
      <FlashMessage flash={flash} />
      <header className="page-header">
        <div>
          <h1>{t("offers.title")}</h1>
          <p className="muted page-header__lead">{t("offers.lead")}</p>
        </div>
        {canPost ? (
          <Link to="/offers/new" className="button button--primary">
            {t("offers.newOffer")}
          </Link>
        ) : null}
      </header>
      <div className="browse-layout">
        <CatalogueFilters values={filters} countries={countries} />
        <section aria-labelledby="results-heading" className="browse-layout__results">
          <h2 id="results-heading" className="results-count" aria-live="polite">
            {t("offers.resultCount", { number: format.number(offers.total) })}
          </h2>
          <CsvDownloadLink path="/offers.csv" filters={filters} />
          <OfferCardList offers={offers.items} emptyText={t("offers.empty")} headingLevel={3} />
          <Pagination page={offers.page} pageCount={offers.pageCount} />
        </section>
      </div>
    </div>
  );
}
