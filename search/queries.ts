/**
 * Meilisearch queries for a search page state. Every value that reaches a filter expression is a
 * quoted, escaped string (or a number we computed); attribute names come from the fixed facet
 * list, never from the request.
 */
import type { MultiSearchQuery } from "meilisearch";
import { LANGUAGE_CODES } from "~/schemas/vocabulary";
import { HIGHLIGHT_END, HIGHLIGHT_START, type SearchKind } from "./documents";
import { facetsFor, HITS_PER_PAGE, type Facet, type FacetParam, type SearchState } from "./facets";

/** A Meilisearch filter string literal: double-quoted, with `\` and `"` escaped. */
export function quoteFilterValue(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

const SEARCHABLE_STATUS: Record<SearchKind, string> = { offers: "published", requests: "open" };

function facetExpression(facet: Facet, values: string[]): string | undefined {
  if (values.length === 0) return undefined;
  if (facet.param === "stale") {
    const wantsStale = values.includes("stale");
    const wantsCurrent = values.includes("current");
    if (wantsStale === wantsCurrent) return undefined;
    return `stale = ${String(wantsStale)}`;
  }
  return `${facet.attribute} IN [${values.map(quoteFilterValue).join(", ")}]`;
}

/** Filter expressions (ANDed) for a kind; `except` leaves one facet out for its own counts. */
export function buildFilter(state: Pick<SearchState, "filters">, kind: SearchKind, options: { except?: FacetParam } = {}): string[] {
  // Only searchable records are indexed; the status filter is a second lock on the same door.
  const expressions = [`status = ${quoteFilterValue(SEARCHABLE_STATUS[kind])}`];
  for (const facet of facetsFor(kind)) {
    if (facet.param === options.except) continue;
    const expression = facetExpression(facet, state.filters[facet.param] ?? []);
    if (expression) expressions.push(expression);
  }
  return expressions;
}

function localized(field: string): string[] {
  return LANGUAGE_CODES.map((language) => `${field}_${language}`);
}

export type QueryRole = { role: "hits" } | { role: "facet"; param: FacetParam } | { role: "kind-count"; kind: SearchKind };

export type SearchPlan = { queries: MultiSearchQuery[]; roles: QueryRole[] };

/**
 * One multi-search: the page of hits with the counts of facets nobody selected; for each facet
 * with a selection, its counts computed without its own selection (values of a facet combine with
 * OR, facets with AND, so a selected checkbox must not zero out its siblings); and the other
 * kind's total for the tab (only when `otherKind` is given: requests are visible to members and
 * staff only). The stale facet is the documents' `stale` flag, counted like the others.
 */
export function planSearch({
  state,
  indexUids,
  otherKind,
}: {
  state: SearchState;
  indexUids: Record<SearchKind, string>;
  otherKind?: SearchKind;
}): SearchPlan {
  const kind = state.type;
  const facets = facetsFor(kind);
  const queries: MultiSearchQuery[] = [];
  const roles: QueryRole[] = [];
  const countOnly = { page: 1, hitsPerPage: 0 };

  const unselected = facets.filter((facet) => !state.filters[facet.param]?.length);
  // Without words to rank by, the most recently updated come first.
  const sort =
    state.sort === "updated" || (state.sort === "relevance" && state.q === "")
      ? ["updatedAt:desc"]
      : state.sort === "created"
        ? ["createdAt:desc"]
        : undefined;
  queries.push({
    indexUid: indexUids[kind],
    q: state.q,
    filter: buildFilter(state, kind),
    facets: unselected.map((facet) => facet.attribute),
    page: state.page,
    hitsPerPage: HITS_PER_PAGE,
    sort,
    attributesToRetrieve: [
      "id",
      "key",
      "language",
      "themes",
      "organizationName",
      "country",
      "updatedAt",
      "currentUntil",
      "stale",
      ...localized("title"),
      ...localized("summary"),
    ],
    attributesToHighlight: [...localized("title"), ...localized("summary")],
    attributesToCrop: localized("summary"),
    cropLength: 40,
    highlightPreTag: HIGHLIGHT_START,
    highlightPostTag: HIGHLIGHT_END,
  });
  roles.push({ role: "hits" });

  for (const facet of facets) {
    if (!state.filters[facet.param]?.length) continue;
    queries.push({
      indexUid: indexUids[kind],
      q: state.q,
      filter: buildFilter(state, kind, { except: facet.param }),
      facets: [facet.attribute],
      ...countOnly,
    });
    roles.push({ role: "facet", param: facet.param });
  }

  if (otherKind && otherKind !== kind) {
    queries.push({ indexUid: indexUids[otherKind], q: state.q, filter: buildFilter(state, otherKind), ...countOnly });
    roles.push({ role: "kind-count", kind: otherKind });
  }
  return { queries, roles };
}
