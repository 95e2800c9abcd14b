import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFlash } from "~/auth/flash.server";
import { requireUser } from "~/auth/guards.server";
import { CatalogueFilters } from "~/components/catalogue/filters";
import { useCatalogueFormat } from "~/components/catalogue/format";
import { Pagination } from "~/components/catalogue/pagination";
import { RequestCardList } from "~/components/catalogue/record-cards";
import { CsvDownloadLink } from "~/components/exchange/csv-link";
import { FlashMessage } from "~/components/flash";
import { i18nServer } from "~/i18n/i18next.server";
import { listOpenRequests } from "~/models/catalogue.server";
import { listRequestCountries } from "~/models/country.server";
import { isVerified } from "~/models/offer-rules";
import { catalogueFiltersSchema, searchParamsObject } from "~/schemas/offer";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  // Requests are for verified members and staff: visitors log in first.
  const user = await requireUser(request);
  const url = new URL(request.url);
  const parsed = catalogueFiltersSchema.safeParse(searchParamsObject(url.searchParams));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join(".")).join(", ");
    throw new Response(`Invalid filter: ${fields}`, { status: 400 });
  }
  const locale = await i18nServer.getLocale(request);
  const [t, { flash, headers }] = await Promise.all([i18nServer.getFixedT(request, "catalogue"), getFlash(request)]);
  const { page: _page, ...filters } = parsed.data;
  const canPost = Boolean(user.organizationId);
  if (!isVerified(user)) {
    // An account awaiting verification is told why the list is closed to it, with a 403.
    return json({ title: t("requests.title"), verified: false as const, canPost, flash, filters }, { status: 403, headers });
  }
  const [requests, countries] = await Promise.all([
    listOpenRequests({ viewer: user, filters: parsed.data, locale }),
    listRequestCountries({ locale }),
  ]);
  return json({ title: t("requests.title"), verified: true as const, requests, countries, filters, canPost, flash }, { headers });
}

export default function RequestsPage() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("catalogue");
  const format = useCatalogueFormat();
  return (
    <div className="container stack">
      <FlashMessage flash={data.flash} />
      <header className="page-header">
        <div>
          <h1>{t("requests.title")}</h1>
          <p className="muted page-header__lead">{t("requests.lead")}</p>
        </div>
        {data.canPost ? (
          <Link to="/requests/new" className="button button--primary">
            {t("requests.newRequest")}
          </Link>
        ) : null}
      </header>
      {data.verified ? (
        <div className="browse-layout">
          <CatalogueFilters values={data.filters} countries={data.countries} />
          <section aria-labelledby="results-heading" className="browse-layout__results">
            <h2 id="results-heading" className="results-count" aria-live="polite">
              {t("requests.resultCount", { number: format.number(data.requests.total) })}
            </h2>
            <CsvDownloadLink path="/requests.csv" filters={data.filters} />
            <RequestCardList requests={data.requests.items} emptyText={t("requests.empty")} headingLevel={3} />
            <Pagination page={data.requests.page} pageCount={data.requests.pageCount} />
          </section>
        </div>
      ) : (
        <p className="alert alert--warning">{t("requests.pendingNotice")}</p>
      )}
    </div>
  );
}
