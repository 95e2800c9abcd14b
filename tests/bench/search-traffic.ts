/**
 * The load benchmark's search traffic: what visitors type, drawn from a Zipf distribution (the
 * query of rank r is asked in proportion to 1/r), as site-search logs show: a head of common
 * words and phrases in the four languages and a long tail asked once or twice ("program 4711").
 * Some searches add a theme filter or ask for the second page.
 *
 * The app keeps recent search results in memory (search/results-cache.server.ts), so the hit rate,
 * and with it the page's cost, depends on this distribution; the benchmark reports the hit rate
 * it got, and drives a second search row where every query is new (no hit possible).
 */
import type { createRandom } from "./catalogue-generator";
import { zipfSampler } from "./zipf";

type Random = ReturnType<typeof createRandom>;

// The head, most asked first: words and phrases of the generated catalogue and of the thesaurus.
const COMMON_QUERIES = [
  "",
  "small business",
  "development",
  "micro",
  "finance",
  "enterprises",
  "pequeñas empresas",
  "coaching",
  "universities",
  "empleo juvenil",
  "centers",
  "access to finance",
  "diagnosis",
  "local governments",
  "emprendimiento",
  "sales",
  "network",
  "pequenas empresas",
  "microempresas",
  "formación",
  "desarrollo empresarial",
  "entreprises",
  "capacitación",
  "technical assistance",
  "program",
  "innovación",
  "universidades",
  "finanzas",
  "petites entreprises",
  "crédito",
];
const POPULAR_THEMES = ["entrepreneurship", "employment", "education"];

export const ZIPF_EXPONENT = 1;
export const DISTINCT_SEARCHES = 2_000;

/**
 * Paths of /search: `distinctQueries` ranked queries (the common head, then "program N" and
 * "need N" for the tail), each with its filter and page fixed by its rank so that a repeated
 * query is the same URL, as when people follow the same links.
 */
export function zipfSearchPaths(random: Random, { distinctQueries = DISTINCT_SEARCHES }: { distinctQueries?: number } = {}): () => string {
  const paths = Array.from({ length: distinctQueries }, (_, rank) => {
    const query = rank < COMMON_QUERIES.length ? COMMON_QUERIES[rank] : `${rank % 2 === 0 ? "program" : "need"} ${rank * 7}`;
    const withTheme = rank % 4 === 3;
    const secondPage = rank % 10 === 9;
    return `/search?q=${encodeURIComponent(query)}${withTheme ? `&theme=${POPULAR_THEMES[rank % POPULAR_THEMES.length]}` : ""}${secondPage ? "&page=2" : ""}`;
  });
  const rank = zipfSampler(distinctQueries, () => random.integer(0, 999_999_999) / 1_000_000_000, ZIPF_EXPONENT);
  return () => paths[rank()];
}

/** Paths of /search that were never asked before: every one misses the results cache. */
export function uniqueSearchPaths(): () => string {
  let next = 0;
  return () => {
    next += 1;
    const query = ["program", "development", "enterprises", "finance"][next % 4];
    return `/search?q=${encodeURIComponent(`${query} ${next}`)}${next % 4 === 3 ? "&theme=entrepreneurship" : ""}`;
  };
}
