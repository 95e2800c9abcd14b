/**
 * The documents Meilisearch stores, built from database rows. Free text goes under a field named
 * for the language it is written in (`title_es`), so the index's localizedAttributes tokenizes
 * each text as its language; vocabulary codes are kept as codes for filtering and their labels in
 * all four languages are indexed for matching ("Emprendimiento" finds an English offer).
 */
import { EVIDENCE_LEVELS, evidenceLevel, isStale, lastConfirmedCurrent, STALE_AFTER_MONTHS, type EvidenceLevel } from "~/models/offer-rules";
import {
  isVocabularyCode,
  LANGUAGE_CODES,
  vocabularyLabels,
  type LanguageCode,
} from "~/schemas/vocabulary";

export const SEARCH_KINDS = ["offers", "requests"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

type Localized<Field extends string> = `${Field}_${LanguageCode}`;
type LocalizedFields<Field extends string, Value> = Partial<Record<Localized<Field>, Value>>;

// Highlighting marks matches with these private-use characters (see search/highlight.ts); they are
// removed from indexed text so a document can never forge a highlight.
export const HIGHLIGHT_START = "\uE000";
export const HIGHLIGHT_END = "\uE001";

type CommonDocument = {
  id: string;
  key: string;
  language: LanguageCode;
  status: string;
  themes: string[];
  modalities: string[];
  workingLanguages: string[];
  organizationId: string;
  organizationName: string;
  organizationType: string;
  country: string;
  countryNames: string[];
  subregion: string | null;
  /** Unix seconds. */
  createdAt: number;
  updatedAt: number;
  /** Unix seconds after which the record counts as stale, unless confirmed or edited again. */
  currentUntil: number;
  /**
   * Stale when the document was built: the search page's facet counts it like any other facet.
   * Built again when the record changes, and by the stale refresh (search/stale-flags.server.ts,
   * app/jobs/search-stale-refresh.server.ts) once `currentUntil` has passed.
   */
  stale: boolean;
} & LocalizedFields<"title" | "summary" | "description", string> &
  LocalizedFields<"themeLabels", string[]>;

export type OfferDocument = CommonDocument &
  LocalizedFields<"targetPopulation", string> & {
    costSharing: string;
    evidence: EvidenceLevel;
  };

export type RequestDocument = CommonDocument;

export { EVIDENCE_LEVELS };

type OrganizationSource = {
  id: string;
  name: string;
  type: string;
  countryCode: string;
  country: { nameEn: string; nameEs: string; namePt: string; nameFr: string; subregion: string | null };
};

type CommonSource = {
  id: string;
  key: string;
  title: string;
  summary: string;
  description: string | null;
  language: string;
  themes: string[];
  modalities: string[];
  workingLanguages: string[];
  status: string;
  createdAt: Date;
  updatedAt: Date;
  confirmedCurrentAt: Date;
  organization: OrganizationSource;
};

export type OfferSource = CommonSource & {
  targetPopulation: string | null;
  evidence: string | null;
  costSharing: string;
};

export type RequestSource = CommonSource;

/** Only these are searchable; anything else (drafts, archived, closed, deleted) is removed. */
export function isSearchableOffer(offer: { status: string }): boolean {
  return offer.status === "published";
}

export function isSearchableRequest(request: { status: string }): boolean {
  return request.status === "open";
}

export function buildOfferDocument(offer: OfferSource): OfferDocument {
  const language = contentLanguage(offer.language);
  const document: OfferDocument = {
    ...commonFields({ kind: "offer", source: offer, language }),
    costSharing: offer.costSharing,
    evidence: evidenceLevel(offer),
  };
  if (offer.targetPopulation) document[`targetPopulation_${language}`] = cleanText(offer.targetPopulation);
  return document;
}

export function buildRequestDocument(request: RequestSource): RequestDocument {
  return commonFields({ kind: "request", source: request, language: contentLanguage(request.language) });
}

function commonFields({ kind, source, language }: { kind: "offer" | "request"; source: CommonSource; language: LanguageCode }): CommonDocument {
  const { country } = source.organization;
  const document: CommonDocument = {
    id: source.id,
    key: source.key,
    language,
    status: source.status,
    themes: source.themes,
    modalities: source.modalities,
    workingLanguages: source.workingLanguages,
    organizationId: source.organization.id,
    organizationName: cleanText(source.organization.name),
    organizationType: source.organization.type,
    country: source.organization.countryCode,
    countryNames: [...new Set([country.nameEn, country.nameEs, country.namePt, country.nameFr])],
    subregion: country.subregion,
    createdAt: unixSeconds(source.createdAt),
    updatedAt: unixSeconds(source.updatedAt),
    currentUntil: unixSeconds(currentUntil(source)),
    stale: isStale({ kind, ...source }),
    [`title_${language}`]: cleanText(source.title),
    [`summary_${language}`]: cleanText(source.summary),
  };
  if (source.description) document[`description_${language}`] = cleanText(source.description);
  for (const labelLanguage of LANGUAGE_CODES) {
    document[`themeLabels_${labelLanguage}`] = source.themes.flatMap((theme) =>
      isVocabularyCode("theme", theme) ? [vocabularyLabels("theme", theme)[labelLanguage]] : [],
    );
  }
  return document;
}

/** The last confirmation or edit, plus twelve months (the staleness rule of offer-rules.ts). */
export function currentUntil(source: { updatedAt: Date; confirmedCurrentAt: Date }): Date {
  const until = new Date(lastConfirmedCurrent(source).getTime());
  until.setUTCMonth(until.getUTCMonth() + STALE_AFTER_MONTHS);
  return until;
}

export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function contentLanguage(language: string): LanguageCode {
  return isVocabularyCode("language", language) ? language : "en";
}

function cleanText(text: string): string {
  return text.replaceAll(HIGHLIGHT_START, "").replaceAll(HIGHLIGHT_END, "");
}
