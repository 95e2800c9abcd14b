import { Form, Link, useLocation, useNavigation, useSubmit } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useCatalogueFormat } from "~/components/catalogue/format";
import { VOCABULARIES } from "~/schemas/vocabulary";
import type { SearchKind } from "~search/documents";
import { countActiveFilters, facetsFor, MAX_QUERY_LENGTH, SORTS, type Facet, type SearchState } from "~search/facets";
import type { FacetCounts } from "~search/search.server";
import { useFacetValueLabel } from "./facet-labels";
import { searchHref, withKind } from "./search-links";

const TYPING_DEBOUNCE_MS = 250;
// The width below which app.css stacks the filters above the results.
const NARROW_SCREEN = "(max-width: 59.99rem)";

export type CountryOption = { value: string; label: string };

/** Form data as a clean query string: no empty fields, no defaults, so URLs stay short. */
function searchParamsFromForm(form: HTMLFormElement): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (typeof value !== "string" || value.trim() === "") continue;
    if ((name === "type" && value === "offers") || (name === "sort" && value === "relevance")) continue;
    params.append(name, value);
  }
  return params;
}

/**
 * The whole search state as one GET form: without JavaScript it submits like any form; with it,
 * typing searches after a short pause and every other change searches at once. Remix cancels a
 * navigation that a newer one overtakes, so a slow answer to an old query never replaces a newer one.
 */
export function SearchForm({
  state,
  facetCounts,
  kindCounts,
  countries,
  canSearchRequests,
  signedIn,
}: {
  state: SearchState;
  facetCounts: FacetCounts | null;
  kindCounts: Partial<Record<SearchKind, number>>;
  countries: readonly CountryOption[];
  canSearchRequests: boolean;
  signedIn: boolean;
}) {
  const { t } = useTranslation("search");
  const format = useCatalogueFormat();
  const submit = useSubmit();
  const navigation = useNavigation();
  const location = useLocation();
  const formRef = useRef<HTMLFormElement>(null);
  const queryRef = useRef<HTMLInputElement>(null);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const searching = navigation.state === "loading" && navigation.location.pathname === "/search";

  const facetsRef = useRef<HTMLDetailsElement>(null);
  const activeCount = countActiveFilters(state.filters);

  useEffect(() => () => clearTimeout(typingTimer.current), []);

  // On a narrow screen the filters would push the results far down: they start folded there.
  // Without JavaScript they stay open, which is the safe default.
  useEffect(() => {
    if (window.matchMedia(NARROW_SCREEN).matches) facetsRef.current?.removeAttribute("open");
  }, []);

  // Back and forward change the URL under a mounted page; the box follows unless someone is typing in it.
  useEffect(() => {
    const input = queryRef.current;
    if (input && document.activeElement !== input) input.value = state.q;
  }, [state.q]);

  function search({ typing }: { typing: boolean }) {
    const form = formRef.current;
    if (!form) return;
    // While refining words, each pause replaces the previous entry: Back goes to the search
    // before the typing, not through every prefix.
    submit(searchParamsFromForm(form), {
      method: "get",
      action: "/search",
      replace: typing && state.q !== "",
      preventScrollReset: true,
    });
  }

  function handleChange(event: React.FormEvent<HTMLFormElement>) {
    clearTimeout(typingTimer.current);
    if (event.target === queryRef.current) {
      typingTimer.current = setTimeout(() => search({ typing: true }), TYPING_DEBOUNCE_MS);
    } else {
      search({ typing: false });
    }
  }

  function handleSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    clearTimeout(typingTimer.current);
    search({ typing: false });
  }

  const countryNames = new Map(countries.map((country) => [country.value, country.label]));

  return (
    <Form
      ref={formRef}
      method="get"
      action="/search"
      role="search"
      className="search-form"
      onChange={handleChange}
      onSubmit={handleSubmit}
      aria-busy={searching}
    >
      <div className="search-form__query">
        <label htmlFor="search-q" className="field__label">
          {t("queryLabel")}
        </label>
        <div className="search-form__query-row">
          <input
            ref={queryRef}
            id="search-q"
            type="search"
            name="q"
            defaultValue={state.q}
            placeholder={t("queryPlaceholder")}
            maxLength={MAX_QUERY_LENGTH}
            autoComplete="off"
            spellCheck={false}
            data-testid="search-query"
          />
          <button type="submit" className="button button--primary">
            {t("submit")}
          </button>
        </div>
        <p className="search-form__status muted" aria-live="polite">
          {searching ? t("searching") : ""}
        </p>
      </div>
      <input type="hidden" name="type" value={state.type} />

      <nav className="search-kinds" aria-label={t("kindsLabel")}>
        {(["offers", "requests"] as const).map((kind) => {
          const count = kindCounts[kind];
          const label = count === undefined ? t(`kinds.${kind}`) : t("kindWithCount", { kind: t(`kinds.${kind}`), number: format.number(count) });
          if (kind === "requests" && !canSearchRequests) return null;
          return kind === state.type ? (
            <span key={kind} className="search-kinds__tab search-kinds__tab--current" aria-current="page">
              {label}
            </span>
          ) : (
            <Link key={kind} to={searchHref(withKind(state, kind))} className="search-kinds__tab" preventScrollReset>
              {label}
            </Link>
          );
        })}
        {!canSearchRequests ? (
          <p className="search-kinds__note muted">
            {t("requestsForMembers")}{" "}
            {!signedIn ? <Link to={`/login?${new URLSearchParams({ redirectTo: "/search?type=requests" })}`}>{t("logInForRequests")}</Link> : null}
          </p>
        ) : null}
      </nav>

      <div className="field search-form__sort">
        <label htmlFor="search-sort" className="field__label">
          {t("sortLabel")}
        </label>
        <select id="search-sort" name="sort" defaultValue={state.sort} key={`sort-${state.sort}`}>
          {SORTS.map((sort) => (
            <option key={sort} value={sort}>
              {t(`sorts.${sort}`)}
            </option>
          ))}
        </select>
      </div>

      <details ref={facetsRef} className="search-facets" open>
        <summary className="search-facets__summary">
          <h2 className="search-facets__heading">
            {t("filtersHeading")}
            {activeCount > 0 ? <span className="search-facets__active"> ({format.number(activeCount)})</span> : null}
          </h2>
        </summary>
        {/* Remounted on every navigation so the boxes show the URL's state, also after Back. */}
        <div className="search-facets__groups" key={location.search}>
          {facetsFor(state.type).map((facet) => (
            <FacetFieldset key={facet.param} facet={facet} state={state} counts={facetCounts} countries={countries} countryNames={countryNames} />
          ))}
          <div className="form-actions">
            <button type="submit" className="button button--secondary">
              {t("applyFilters")}
            </button>
          </div>
        </div>
      </details>
    </Form>
  );
}

function facetOptions(facet: Facet, countries: readonly CountryOption[], selected: readonly string[]): string[] {
  const values: string[] =
    facet.values.source === "vocabulary"
      ? [...VOCABULARIES[facet.values.vocabulary].codes]
      : facet.values.source === "country"
        ? countries.map((country) => country.value)
        : [...facet.values.values];
  for (const value of selected) if (!values.includes(value)) values.push(value);
  return values;
}

function FacetFieldset({
  facet,
  state,
  counts,
  countries,
  countryNames,
}: {
  facet: Facet;
  state: SearchState;
  counts: FacetCounts | null;
  countries: readonly CountryOption[];
  countryNames: ReadonlyMap<string, string>;
}) {
  const { t } = useTranslation("search");
  const format = useCatalogueFormat();
  const valueLabel = useFacetValueLabel(countryNames);
  const selected = state.filters[facet.param] ?? [];
  const facetCounts = counts?.[facet.param];
  // With counts, a value nothing matches is left out (unless selected): it could only empty the list.
  const options = facetOptions(facet, countries, selected).filter(
    (value) => !facetCounts || selected.includes(value) || (facetCounts[value] ?? 0) > 0,
  );
  if (options.length === 0) return null;
  return (
    <fieldset className="search-facet" data-facet={facet.param}>
      <legend className="search-facet__legend">{t(`facets.${facet.param}`)}</legend>
      <ul className="search-facet__options">
        {options.map((value) => {
          const id = `facet-${facet.param}-${value}`;
          const count = facetCounts ? (facetCounts[value] ?? 0) : undefined;
          return (
            <li key={value} className="checkbox">
              <input type="checkbox" id={id} name={facet.param} value={value} defaultChecked={selected.includes(value)} />
              <label htmlFor={id}>
                {valueLabel(facet, value)}
                {count !== undefined ? <span className="search-facet__count"> ({format.number(count)})</span> : null}
              </label>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}
