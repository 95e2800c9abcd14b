import { facetsFor, searchStateToParams, type FacetParam, type SearchState } from "~search/facets";

export function searchHref(state: SearchState): string {
  const query = searchStateToParams(state).toString();
  return query ? `/search?${query}` : "/search";
}

export function withoutFilterValue(state: SearchState, param: FacetParam, value: string): SearchState {
  const remaining = (state.filters[param] ?? []).filter((existing) => existing !== value);
  return { ...state, page: 1, filters: { ...state.filters, [param]: remaining } };
}

export function withoutFilters(state: SearchState): SearchState {
  return { ...state, page: 1, filters: {} };
}

export function withPage(state: SearchState, page: number): SearchState {
  return { ...state, page };
}

/** Switching between offers and requests keeps the words and the filters both kinds have. */
export function withKind(state: SearchState, kind: SearchState["type"]): SearchState {
  const filters: SearchState["filters"] = {};
  for (const facet of facetsFor(kind)) {
    const values = state.filters[facet.param];
    if (values?.length) filters[facet.param] = values;
  }
  return { ...state, type: kind, page: 1, filters };
}

/** Every selected value as a removable chip, in the order of the facets. */
export function activeFilterValues(state: SearchState): Array<{ param: FacetParam; value: string }> {
  return facetsFor(state.type).flatMap((facet) => (state.filters[facet.param] ?? []).map((value) => ({ param: facet.param, value })));
}
