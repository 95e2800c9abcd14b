// The thesaurus is data (search/thesaurus.json); these checks keep it usable as it grows.
import { beforeAll, expect, test } from "vitest";
import { THEME_CODES } from "~/schemas/vocabulary";
import { getSearchClient, indexUid } from "~search/client.server";
import { applySearchSettings } from "~search/settings";
import { buildSynonyms, loadThesaurus } from "~search/synonyms";

beforeAll(async () => {
  await applySearchSettings();
});

test("the thesaurus has at least 60 groups in all four languages and covers every theme", () => {
  const thesaurus = loadThesaurus();
  expect(thesaurus.groups.length).toBeGreaterThanOrEqual(60);
  expect(new Set(thesaurus.groups.map((group) => group.id)).size).toBe(thesaurus.groups.length);
  const covered = new Set(thesaurus.groups.map((group) => group.theme));
  expect(THEME_CODES.filter((code) => !covered.has(code))).toEqual([]);
});

test("synonyms are mutual: every word of a group leads to every other", () => {
  const synonyms = buildSynonyms();
  for (const [term, others] of Object.entries(synonyms)) {
    for (const other of others) expect({ other, leadsBackTo: synonyms[other]?.includes(term) }).toEqual({ other, leadsBackTo: true });
  }
  expect(synonyms["small business"]).toEqual(expect.arrayContaining(["pequeña empresa", "pequena empresa", "petite entreprise"]));
  expect(synonyms["cash transfer"]).toEqual(
    expect.arrayContaining(["transferencia monetaria", "transferência de renda", "transfert monétaire"]),
  );
  expect(synonyms.entrepreneurship).toEqual(expect.arrayContaining(["emprendimiento", "empreendedorismo", "entrepreneuriat"]));
});

test("both indexes hold the thesaurus as their synonyms", async () => {
  const expected = buildSynonyms();
  for (const kind of ["offers", "requests"] as const) {
    const applied = await getSearchClient().index(indexUid(kind)).getSynonyms();
    expect(Object.keys(applied).length).toBe(Object.keys(expected).length);
    expect(applied["transferência de renda"]).toEqual(expect.arrayContaining(expected["transferência de renda"]));
  }
});
