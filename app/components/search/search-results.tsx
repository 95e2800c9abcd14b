import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LanguageTag } from "~/components/catalogue/badges";
import { useCatalogueFormat } from "~/components/catalogue/format";
import { VocabularyChips } from "~/components/catalogue/vocabulary-chips";
import { FACETS, type SearchState } from "~search/facets";
import type { SearchHit, SearchResults } from "~search/search.server";
import { useFacetValueLabel } from "./facet-labels";
import { HighlightedText } from "./highlighted-text";
import { activeFilterValues, searchHref, withoutFilters, withoutFilterValue, withPage } from "./search-links";

export function ActiveFilters({ state, countryNames }: { state: SearchState; countryNames: ReadonlyMap<string, string> }) {
  const { t } = useTranslation("search");
  const valueLabel = useFacetValueLabel(countryNames);
  const active = activeFilterValues(state);
  if (active.length === 0) return null;
  return (
    <div className="search-chips" data-testid="active-filters">
      <h2 className="visually-hidden">{t("activeFilters")}</h2>
      <ul className="search-chips__list">
        {active.map(({ param, value }) => {
          const facet = FACETS.find((candidate) => candidate.param === param);
          if (!facet) return null;
          const label = valueLabel(facet, value);
          return (
            <li key={`${param}=${value}`}>
              <Link
                to={searchHref(withoutFilterValue(state, param, value))}
                className="search-chip"
                aria-label={t("removeFilter", { facet: t(`facets.${param}`), value: label })}
                preventScrollReset
              >
                {label} <span aria-hidden="true">×</span>
              </Link>
            </li>
          );
        })}
      </ul>
      <Link to={searchHref(withoutFilters(state))} className="button button--ghost button--small" preventScrollReset>
        {t("clearAll")}
      </Link>
    </div>
  );
}

export function ResultList({ results, countryNames }: { results: SearchResults; countryNames: ReadonlyMap<string, string> }) {
  return (
    <ol className="search-results" data-testid="search-results">
      {results.hits.map((hit) => (
        <li key={hit.id}>
          <ResultCard hit={hit} countryName={countryNames.get(hit.country) ?? hit.country} />
        </li>
      ))}
    </ol>
  );
}

function ResultCard({ hit, countryName }: { hit: SearchHit; countryName: string }) {
  const { t } = useTranslation("search");
  const { t: tCatalogue } = useTranslation("catalogue");
  const format = useCatalogueFormat();
  const href = hit.kind === "offers" ? `/offers/${hit.id}` : `/requests/${hit.id}`;
  return (
    <article className="card search-result" data-testid="search-result">
      <h3 className="search-result__title">
        <Link to={href}>
          <HighlightedText segments={hit.title} />
        </Link>{" "}
        <LanguageTag language={hit.language} />
      </h3>
      <p className="search-result__meta muted">
        {hit.organizationName} · {countryName} · {t("updated", { date: format.date(hit.updatedAt) })}
        {hit.stale ? (
          <>
            {" "}
            <span className="badge badge--warning">{t("staleBadge")}</span>
          </>
        ) : null}
      </p>
      <p className="search-result__summary">
        <HighlightedText segments={hit.summary} />
      </p>
      <VocabularyChips vocabulary="theme" codes={hit.themes} label={tCatalogue("fields.themes")} />
    </article>
  );
}

export function EmptyResults({ state, countryNames }: { state: SearchState; countryNames: ReadonlyMap<string, string> }) {
  const { t } = useTranslation("search");
  const valueLabel = useFacetValueLabel(countryNames);
  const active = activeFilterValues(state);
  return (
    <div className="card search-empty" data-testid="search-empty">
      <h3>{t("emptyTitle")}</h3>
      {active.length > 0 ? (
        <>
          <p>{t("emptyWithFilters")}</p>
          <ul className="search-empty__suggestions">
            {active.map(({ param, value }) => {
              const facet = FACETS.find((candidate) => candidate.param === param);
              if (!facet) return null;
              return (
                <li key={`${param}=${value}`}>
                  <Link to={searchHref(withoutFilterValue(state, param, value))} preventScrollReset>
                    {t("dropFilter", { value: valueLabel(facet, value) })}
                  </Link>
                </li>
              );
            })}
          </ul>
        </>
      ) : state.q ? (
        <p>
          {t("emptyWithQuery")} <Link to={searchHref({ ...state, q: "", page: 1 })}>{t("clearQuery")}</Link>
        </p>
      ) : (
        <p>{t("emptyCatalogue")}</p>
      )}
    </div>
  );
}

export function SearchPagination({ state, totalPages }: { state: SearchState; totalPages: number }) {
  const { t } = useTranslation("search");
  const format = useCatalogueFormat();
  if (totalPages <= 1) return null;
  return (
    <nav className="pagination" aria-label={t("pagination.label")}>
      {state.page > 1 ? (
        <Link to={searchHref(withPage(state, state.page - 1))} className="button button--ghost" rel="prev">
          ← {t("pagination.previous")}
        </Link>
      ) : null}
      <span className="pagination__status" aria-current="page">
        {t("pagination.pageOf", { page: format.number(state.page), pageCount: format.number(totalPages) })}
      </span>
      {state.page < totalPages ? (
        <Link to={searchHref(withPage(state, state.page + 1))} className="button button--ghost" rel="next">
          {t("pagination.next")} →
        </Link>
      ) : null}
    </nav>
  );
}
