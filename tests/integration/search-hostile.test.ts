// Whatever arrives in the URL, /search answers 200 with a page (never a 500), and nothing in it
// can widen the filter sent to Meilisearch: values are escaped, unknown names are ignored.
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { loader as searchLoader } from "~/routes/search";
import { getSearchClient, indexUid } from "~search/client.server";
import { quoteFilterValue } from "~search/queries";
import { applySearchSettings } from "~search/settings";
import { syncSearchChanges } from "~search/sync.server";
import { waitForSucceededTask } from "~search/tasks.server";
import { getRequest, insertOffer, respond } from "../factories/catalogue";
import { createOrganization, uniqueSuffix } from "../factories/users";

const token = `hostilx${uniqueSuffix()}`;
const scratchIndex = `${process.env.MEILI_INDEX_PREFIX ?? ""}escaping_${uniqueSuffix()}`;

beforeAll(async () => {
  await applySearchSettings();
  const organization = await createOrganization();
  const published = await insertOffer({ organizationId: organization.id, title: `Publicada ${token}`, themes: ["entrepreneurship"] });
  const draft = await insertOffer({ organizationId: organization.id, title: `Borrador ${token}`, status: "draft", themes: ["entrepreneurship"] });
  await syncSearchChanges({ offerIds: [published.id, draft.id] });
});

afterAll(async () => {
  const client = getSearchClient();
  await client
    .index(scratchIndex)
    .delete()
    .catch(() => undefined);
});

const hostileQueries: Array<[string, string]> = [
  ["a quoted OR in the words", `q=${encodeURIComponent(`"${token}" OR status = "draft"`)}`],
  ["brackets, quotes and comment markers", `q=${encodeURIComponent(`${token} ] [ ( ) { } \\ " ' ; -- /* */`)}`],
  ["5,000 characters of quotes and brackets", `q=${encodeURIComponent(`${token} ${"\"'[](){}<>".repeat(500)}`)}`],
  ["5,000 letters", `q=${encodeURIComponent("x".repeat(5000))}`],
  ["control characters, highlight markers and a script tag", `q=${encodeURIComponent(`${token}\u0000\u0007\uE000\uE001<script>alert(1)</script>`)}`],
  ["a theme value that tries to OR in drafts", `q=${token}&theme=${encodeURIComponent('entrepreneurship" OR status = "draft')}`],
  ["a theme value with OR and EXISTS", `q=${token}&theme=${encodeURIComponent("entrepreneurship OR themes EXISTS")}`],
  ["a country value that closes its quote", `q=${token}&country=${encodeURIComponent('CL" OR country EXISTS OR country = "')}`],
  ["a backslash and a lone quote as countries", `q=${token}&country=${encodeURIComponent("C\\")}&country=${encodeURIComponent('"')}`],
  ["filter names that do not exist or are not facets", `q=${token}&status=draft&organizationId=${encodeURIComponent('" OR 1=1')}&filter=${encodeURIComponent("status = draft")}`],
  ["prototype names", `q=${token}&__proto__=x&constructor=prototype&theme[]=x&theme=toString`],
  ["a negative page, a sort expression and an OR type", `q=${token}&page=-3&sort=${encodeURIComponent("updatedAt:asc, status:desc")}&type=${encodeURIComponent("offers OR requests")}`],
  ["a huge page and an AND in a value", `q=${token}&page=99999999999999999999&stale=${encodeURIComponent("stale AND current")}`],
  ["requests for a visitor, with a 10,000-character value", `q=${token}&type=requests&theme=${encodeURIComponent("a".repeat(10_000))}`],
];

test.each(hostileQueries)("answers 200 without the draft for %s", async (_label, query) => {
  const response = await respond(searchLoader, getRequest(`/search?${query}`));
  expect(response.status).toBe(200);
  const data = await response.json();
  expect(data.results.degraded).toBe(false);
  const titles = data.results.hits.map((hit: { title: Array<{ text: string }> }) => hit.title.map((segment) => segment.text).join(""));
  expect(titles.filter((title: string) => title.startsWith("Borrador"))).toEqual([]);
});

test("values outside a facet's vocabulary are dropped and reported, and the query runs without them", async () => {
  const response = await respond(
    searchLoader,
    getRequest(`/search?q=${token}&theme=${encodeURIComponent('entrepreneurship" OR "1')}&theme=entrepreneurship&madeUp=1`),
  );
  const data = await response.json();
  expect(data.state.filters).toEqual({ theme: ["entrepreneurship"] });
  expect(data.ignored).toEqual(['theme=entrepreneurship" OR "1']);
  expect(data.results.total).toBe(1);
});

test("an escaped value matches exactly itself in Meilisearch, whatever characters it holds", async () => {
  const client = getSearchClient();
  await waitForSucceededTask(client, client.createIndex(scratchIndex, { primaryKey: "id" }));
  await waitForSucceededTask(client, client.index(scratchIndex).updateSettings({ filterableAttributes: ["tag"] }));
  // Meilisearch compares filter strings case-insensitively and does not index blank values.
  const characters = fc.constantFrom(..."abcXYZ019 \"'\\[](){},;:=<>!-_*/%&|".split(""), "AND", "OR", "NOT", "EXISTS", "TO", "IN");
  const tags = fc.sample(
    fc.oneof(
      fc.array(characters, { minLength: 1, maxLength: 24 }).map((parts) => parts.join("").trim()),
      fc.constantFrom('"', "\\", '\\"', '" OR tag EXISTS OR tag = "', "a AND b", "x OR y", "[1, 2]", "'", "\\\\\"", 'NOT tag = ""'),
    ).filter((tag) => tag !== ""),
    { numRuns: 80, seed: 424242 },
  );
  const documents = tags.map((tag, position) => ({ id: `doc-${position}`, tag }));
  await waitForSucceededTask(client, client.index(scratchIndex).addDocuments(documents));
  for (const [position, tag] of tags.entries()) {
    const result = await client.index(scratchIndex).search("", { filter: `tag = ${quoteFilterValue(tag)}`, limit: 100 });
    const expected = documents.filter((document) => document.tag.toLowerCase() === tag.toLowerCase()).map((document) => document.id);
    expect({ position, tag, ids: result.hits.map((hit) => hit.id).sort() }).toEqual({ position, tag, ids: expected.sort() });
  }
  expect(indexUid("offers")).not.toBe(scratchIndex);
});
