// Facet counts come from Meilisearch; they must equal what the database holds. The index is
// rebuilt from the database by the reindex command first (which swaps a fresh index in).
import { beforeAll, expect, test } from "vitest";
import { evidenceLevel, isStale } from "~/models/offer-rules";
import { getPrisma } from "~/utils/db.server";
import { getSearchClient, indexUid } from "~search/client.server";
import { FACETS, parseSearchState, type FacetParam } from "~search/facets";
import { reindexSearch } from "~search/reindex";
import { searchCatalogue } from "~search/search.server";
import { ensureJobQueue, backdate, insertOffer, monthsAgo } from "../factories/catalogue";
import { createOrganization } from "../factories/users";

type Counts = Record<string, number>;

beforeAll(async () => {
  await ensureJobQueue();
  const organizations = await Promise.all([
    createOrganization({ countryCode: "BO", type: "ministry" }),
    createOrganization({ countryCode: "JM", type: "ngo" }),
    createOrganization({ countryCode: "CA", type: "development-bank" }),
  ]);
  const [bolivia, jamaica, canada] = organizations;
  await insertOffer({ organizationId: bolivia.id, themes: ["entrepreneurship", "youth-employment"], modalities: ["workshop"], language: "es" });
  await insertOffer({ organizationId: bolivia.id, themes: ["cash-transfers"], modalities: ["study-visit", "advisory"], evidence: "Evaluación de impacto con grupo de control." });
  await insertOffer({ organizationId: jamaica.id, themes: ["entrepreneurship"], modalities: ["workshop"], language: "en", evidence: "Sales grew." });
  await insertOffer({ organizationId: jamaica.id, themes: ["green-economy"], status: "draft" });
  await insertOffer({ organizationId: canada.id, themes: ["youth-employment"], status: "archived" });
  const old = await insertOffer({ organizationId: canada.id, themes: ["formalization"], language: "fr" });
  await backdate({ table: "offer", id: old.id, to: monthsAgo(14) });
  const result = await reindexSearch();
  expect(result.offers).toBeGreaterThanOrEqual(4);
});

function tally(values: string[]): Counts {
  const counts: Counts = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

async function databaseCounts(where: { themes?: { has: string } } = {}) {
  const offers = await getPrisma().offer.findMany({
    where: { status: "published", ...where },
    select: {
      status: true,
      themes: true,
      modalities: true,
      workingLanguages: true,
      language: true,
      costSharing: true,
      evidence: true,
      description: true,
      updatedAt: true,
      confirmedCurrentAt: true,
      organization: { select: { countryCode: true, type: true, country: { select: { subregion: true } } } },
    },
  });
  const facets: Record<FacetParam, Counts> = {
    theme: tally(offers.flatMap((offer) => offer.themes)),
    modality: tally(offers.flatMap((offer) => offer.modalities)),
    workingLanguage: tally(offers.flatMap((offer) => offer.workingLanguages)),
    language: tally(offers.map((offer) => offer.language)),
    country: tally(offers.map((offer) => offer.organization.countryCode)),
    subregion: tally(offers.flatMap((offer) => (offer.organization.country.subregion ? [offer.organization.country.subregion] : []))),
    organizationType: tally(offers.map((offer) => offer.organization.type)),
    costSharing: tally(offers.map((offer) => offer.costSharing)),
    evidence: tally(offers.map((offer) => evidenceLevel(offer))),
    stale: tally(offers.map((offer) => (isStale({ kind: "offer", ...offer }) ? "stale" : "current"))),
  };
  return { total: offers.length, facets };
}

function withoutZeros(counts: Counts | undefined): Counts {
  return Object.fromEntries(Object.entries(counts ?? {}).filter(([, count]) => count > 0));
}

test("with no filter, every facet's counts and the total equal the database's published offers", async () => {
  const expected = await databaseCounts();
  const results = await searchCatalogue({ state: parseSearchState(new URLSearchParams()), canSearchRequests: false });
  expect(results.degraded).toBe(false);
  expect(results.total).toBe(expected.total);
  for (const { param } of FACETS) {
    expect({ param, counts: withoutZeros(results.facetCounts?.[param]) }).toEqual({ param, counts: expected.facets[param] });
  }
});

test("with a theme selected, the other facets count within it, and the theme facet still counts every theme", async () => {
  const all = await databaseCounts();
  const withinTheme = await databaseCounts({ themes: { has: "entrepreneurship" } });
  const results = await searchCatalogue({
    state: parseSearchState(new URLSearchParams("theme=entrepreneurship")),
    canSearchRequests: false,
  });
  expect(results.total).toBe(withinTheme.total);
  expect(withoutZeros(results.facetCounts?.theme)).toEqual(all.facets.theme);
  for (const { param } of FACETS) {
    if (param === "theme") continue;
    expect({ param, counts: withoutZeros(results.facetCounts?.[param]) }).toEqual({ param, counts: withinTheme.facets[param] });
  }
});

test("the reindex swapped a fresh index in and left no build index behind", async () => {
  const { results } = await getSearchClient().getIndexes({ limit: 1000 });
  const uids = results.map((index) => index.uid);
  expect(uids).toContain(indexUid("offers"));
  expect(uids).toContain(indexUid("requests"));
  expect(uids.filter((uid) => /_\d+$/.test(uid) && uid.startsWith(indexUid("offers")))).toEqual([]);
});
