/**
 * Index settings, safe to apply again and again: applying them to an index that already has them
 * is a no-op task in Meilisearch. Applied at boot (`applySearchSettings`) and to each fresh index
 * by the reindex command.
 */
import type { Meilisearch, Settings } from "meilisearch";
import { LANGUAGE_CODES, type LanguageCode } from "~/schemas/vocabulary";
import { getSearchClient, indexUid } from "./client.server";
import type { SearchKind } from "./documents";
import { buildSynonyms } from "./synonyms";
import { waitForSucceededTask } from "./tasks.server";

function localized(field: string): string[] {
  return LANGUAGE_CODES.map((language) => `${field}_${language}`);
}

// Meilisearch's ISO 639-3 codes for the four OAS languages.
const MEILISEARCH_LOCALES: Record<LanguageCode, string> = { en: "eng", es: "spa", pt: "por", fr: "fra" };

const COMMON_FILTERABLE = [
  "status",
  "themes",
  "modalities",
  "workingLanguages",
  "language",
  "country",
  "subregion",
  "organizationType",
  "organizationId",
  "currentUntil",
  "stale",
];

export const SORTABLE_ATTRIBUTES = ["updatedAt", "createdAt"] as const;

// Matching words in a title matter more than in a summary, and so on down the list.
const SEARCHABLE_ATTRIBUTES: Record<SearchKind, string[]> = {
  offers: [
    ...localized("title"),
    ...localized("summary"),
    ...localized("themeLabels"),
    ...localized("description"),
    ...localized("targetPopulation"),
    "organizationName",
    "countryNames",
  ],
  requests: [
    ...localized("title"),
    ...localized("summary"),
    ...localized("themeLabels"),
    ...localized("description"),
    "organizationName",
    "countryNames",
  ],
};

export function indexSettings(kind: SearchKind): Settings {
  return {
    searchableAttributes: SEARCHABLE_ATTRIBUTES[kind],
    filterableAttributes: kind === "offers" ? [...COMMON_FILTERABLE, "costSharing", "evidence"] : COMMON_FILTERABLE,
    sortableAttributes: [...SORTABLE_ATTRIBUTES],
    typoTolerance: {
      enabled: true,
      minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 },
      // Codes and country names are matched exactly; typos there find the wrong thing.
      disableOnAttributes: ["countryNames"],
    },
    localizedAttributes: LANGUAGE_CODES.map((language) => ({
      attributePatterns: [`*_${language}`],
      locales: [MEILISEARCH_LOCALES[language]],
    })),
    synonyms: buildSynonyms(),
    faceting: { maxValuesPerFacet: 200 },
    pagination: { maxTotalHits: 5000 },
  };
}

/** Creates the index when missing (no settings). */
export async function ensureIndex(client: Meilisearch, uid: string, options: { timeoutMs?: number } = {}): Promise<void> {
  const existing = await client.getIndex(uid).catch(() => undefined);
  if (existing) return;
  await waitForSucceededTask(client, client.createIndex(uid, { primaryKey: "id" }), {
    timeoutMs: options.timeoutMs ?? 120_000,
    allowIndexExists: true,
  });
}

/** Creates the index when missing and applies its settings; resolves once Meilisearch applied them. */
export async function applyIndexSettings(
  client: Meilisearch,
  uid: string,
  kind: SearchKind,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  await ensureIndex(client, uid, { timeoutMs });
  await waitForSucceededTask(client, client.index(uid).updateSettings(indexSettings(kind)), { timeoutMs });
}

/** Boot step: both indexes exist with current settings. */
export async function applySearchSettings(): Promise<void> {
  const client = getSearchClient();
  await Promise.all([
    applyIndexSettings(client, indexUid("offers"), "offers"),
    applyIndexSettings(client, indexUid("requests"), "requests"),
  ]);
}
