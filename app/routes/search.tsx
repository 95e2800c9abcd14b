import { json, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useCatalogueFormat } from "~/components/catalogue/format";
import { SearchForm } from "~/components/search/search-form";
import { ActiveFilters, EmptyResults, ResultList, SearchPagination } from "~/components/search/search-results";
import { getOptionalUser } from "~/auth/session.server";
import { i18nServer } from "~/i18n/i18next.server";
import { listOfferCountries, listRequestCountries } from "~/models/country.server";
import { canSearchRequests } from "~search/access.server";
import { parseSearchState } from "~search/facets";
import { rethrowSearchBusyAsResponse, searchCatalogue } from "~search/search.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

// The document gets the loader's headers too (Remix applies them to data requests only).
export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const { ignored, ...requested } = parseSearchState(new URL(request.url).searchParams);
  const [user, locale, t] = await Promise.all([
    getOptionalUser(request),
    i18nServer.getLocale(request),
    i18nServer.getFixedT(request, "search"),
  ]);
  const allowRequests = canSearchRequests(user);
  const results = await searchCatalogue({ state: requested, canSearchRequests: allowRequests }).catch(rethrowSearchBusyAsResponse);
  // The service may have answered another kind than asked (requests are for members only).
  const state = results.kind === requested.type ? requested : { ...requested, type: results.kind, filters: {} };
  const countries = results.kind === "offers" ? await listOfferCountries({ locale }) : await listRequestCountries({ locale });
  return json(
    {
      title: state.q ? `${state.q} · ${t("title")}` : t("title"),
      state,
      results,
      countries,
      ignored,
      canSearchRequests: allowRequests,
      signedIn: Boolean(user),
    },
    {
      headers: {
        // What a visitor may see depends on who they are.
        "Cache-Control": "private, no-store",
        Vary: "Cookie",
        // Which part answered: for operators, and for the load benchmark's cache hit rate.
        "Server-Timing": `search;desc="${results.degraded ? "database" : results.fromCache ? "cache" : "engine"}"`,
      },
    },
  );
}

export default function SearchPage() {
  const { state, results, countries, ignored, canSearchRequests, signedIn } = useLoaderData<typeof loader>();
  const { t } = useTranslation("search");
  const format = useCatalogueFormat();
  const countryNames = new Map(countries.map((country) => [country.value, country.label]));
  return (
    <div className="container search-page">
      <header className="page-header">
        <div>
          <h1>{t("title")}</h1>
          <p className="muted">{t("lead")}</p>
        </div>
      </header>
      {results.degraded ? (
        <div className="alert alert--warning" role="status" data-testid="search-degraded">
          <strong>{t("degradedTitle")}.</strong> {t("degraded")}
        </div>
      ) : null}
      {ignored.length > 0 ? (
        <div className="alert alert--warning" role="status" data-testid="search-ignored">
          {t("ignoredFilters", { filters: ignored.join(", ") })}
        </div>
      ) : null}
      <div className="search-layout">
        <SearchForm
          state={state}
          facetCounts={results.facetCounts}
          kindCounts={results.kindCounts}
          countries={countries}
          canSearchRequests={canSearchRequests}
          signedIn={signedIn}
        />
        <section className="search-layout__results" aria-labelledby="search-results-heading">
          <h2 id="search-results-heading" className="results-count" aria-live="polite" data-testid="search-total">
            {state.q
              ? t("resultCountFor", { query: state.q, number: format.number(results.total) })
              : t("resultCount", { number: format.number(results.total) })}
          </h2>
          <ActiveFilters state={state} countryNames={countryNames} />
          {results.total === 0 ? (
            <EmptyResults state={state} countryNames={countryNames} />
          ) : (
            <ResultList results={results} countryNames={countryNames} />
          )}
          <SearchPagination state={state} totalPages={results.totalPages} />
        </section>
      </div>
    </div>
  );
}
