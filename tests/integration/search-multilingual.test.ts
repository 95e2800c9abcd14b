// A query in one language finds offers written in another: typo tolerance, theme labels in all
// four languages, and the thesaurus loaded as Meilisearch synonyms.
import { beforeAll, expect, test } from "vitest";
import { loader as searchLoader } from "~/routes/search";
import { getPrisma } from "~/utils/db.server";
import { applySearchSettings } from "~search/settings";
import { syncSearchChanges } from "~search/sync.server";
import { getRequest, respond } from "../factories/catalogue";
import { createOrganization, uniqueSuffix } from "../factories/users";
import { offerKeysFound } from "./search-helpers";

type OfferSeed = { label: string; title: string; summary: string; language: string; themes: string[] };

const seeds: OfferSeed[] = [
  {
    label: "micro-en",
    title: "Growth coaching for micro-enterprises",
    summary: "Street vendors and home-based micro-enterprise owners get coaching, bookkeeping and a peer group.",
    language: "en",
    themes: ["skills-training"],
  },
  {
    label: "cash-es",
    title: "Programa de transferencias monetarias condicionadas",
    summary: "Los hogares reciben un apoyo mensual si los niños asisten a la escuela y a los controles de salud.",
    language: "es",
    themes: ["social-protection"],
  },
  {
    label: "startup-en",
    title: "Seed capital and mentoring for start-ups",
    summary: "Young founders get seed capital, a mentor and a place in a co-working space.",
    language: "en",
    themes: ["entrepreneurship"],
  },
  {
    label: "startup-pt",
    title: "Rede de incubadoras universitárias",
    summary: "Incubadoras ligadas a universidades apoiam novos negócios de base tecnológica.",
    language: "pt",
    themes: ["entrepreneurship", "innovation-technology"],
  },
  {
    label: "green-fr",
    title: "Audits énergétiques pour les ateliers textiles",
    summary: "Des ingénieurs visitent les ateliers et proposent des économies d'eau et d'électricité.",
    language: "fr",
    themes: ["green-economy"],
  },
];

const keys = new Map<string, string>();
let organizationId: string;

beforeAll(async () => {
  await applySearchSettings();
  const organization = await createOrganization({ countryCode: "PY" });
  organizationId = organization.id;
  const ids: string[] = [];
  for (const seed of seeds) {
    const offer = await getPrisma().offer.create({
      data: {
        key: `multilingual-${seed.label}-${uniqueSuffix()}`,
        organizationId,
        title: seed.title,
        summary: seed.summary,
        language: seed.language,
        themes: seed.themes,
        modalities: ["study-visit"],
        workingLanguages: [seed.language],
        status: "published",
        publishedAt: new Date(),
      },
      select: { id: true, key: true },
    });
    keys.set(seed.label, offer.key);
    ids.push(offer.id);
  }
  await syncSearchChanges({ offerIds: ids });
});

function key(label: string): string {
  const value = keys.get(label);
  if (!value) throw new Error(`no offer ${label}`);
  return value;
}

test("a typo (“emprendimeinto”) finds the entrepreneurship offers, in English and Portuguese, and nothing else", async () => {
  const found = await offerKeysFound("emprendimeinto", [organizationId]);
  expect(found).toEqual([key("startup-en"), key("startup-pt")].sort());
});

test("“microempresa” finds an English offer that only says “micro-enterprise”", async () => {
  const found = await offerKeysFound("microempresa", [organizationId]);
  expect(found).toEqual([key("micro-en")]);
});

test("“transferência de renda” finds a Spanish offer on “transferencias monetarias”, ranked first", async () => {
  // Meilisearch drops trailing words when all of them match nothing more, so an offer on
  // "transferência de tecnologia" may follow; the cash-transfer offer must lead.
  const ranked = await offerKeysFound("transferência de renda", [organizationId], { ranked: true });
  expect(ranked[0]).toBe(key("cash-es"));
});

test("the thesaurus bridges languages both ways: “incubator” finds a Portuguese offer on “incubadoras”", async () => {
  expect(await offerKeysFound("incubator", [organizationId])).toEqual([key("startup-pt")]);
});

test("words unrelated to every offer find none of them", async () => {
  expect(await offerKeysFound("pequeña empresa", [organizationId])).toEqual([]);
  expect(await offerKeysFound("labour inspection", [organizationId])).toEqual([]);
});

test("the search page highlights the matched words in the result, as text segments", async () => {
  const response = await respond(searchLoader, getRequest(`/search?q=${encodeURIComponent("microempresa")}&country=PY`));
  expect(response.status).toBe(200);
  const data = await response.json();
  const hit = data.results.hits.find((candidate: { key: string }) => candidate.key === key("micro-en"));
  expect(hit).toBeDefined();
  const marked = [...hit.title, ...hit.summary].filter((segment: { match: boolean }) => segment.match).map((segment: { text: string }) => segment.text.toLowerCase());
  expect(marked.some((text: string) => text.includes("micro"))).toBe(true);
});
