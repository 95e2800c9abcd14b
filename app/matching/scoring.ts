// The score of one request -> offer pairing: named factors from 0 to 1, each with a weight
// from app/matching/weights.json, and the reasons a person reads. Pure: everything the score
// depends on is an argument, so the same pair always gets the same score.
//
//   score = 100 x sum(weight x factor) / sum(weight)  +  staff-feedback points
//   x noSharedLanguageScoreFactor when the teams share no working language
//   clamped to [0, 100], two decimals
import { evidenceLevel, lastConfirmedCurrent, staleCutoff, type EvidenceLevel } from "~/models/offer-rules";
import { isVocabularyCode, LANGUAGE_LABELS, MODALITY_LABELS, SUBREGION_LABELS, THEME_LABELS, type ThemeCode } from "~/schemas/vocabulary";
import { FACTOR_NAMES, type FactorName, type MatchingConfig } from "./config";
import type { FeedbackResult } from "./feedback";
import {
  buildTextProfile,
  conceptLabel,
  cosineSimilarity,
  isUbiquitousConcept,
  sharedConcepts,
  themeCodes,
  type TextProfile,
} from "./text";

export type CountryNames = { en: string; es: string };

export type MatchRequest = {
  id: string;
  key: string;
  organizationId: string;
  countryCode: string;
  subregion: string | null;
  countryNames: CountryNames;
  title: string;
  summary: string;
  description: string | null;
  language: string;
  themes: string[];
  modalities: string[];
  workingLanguages: string[];
  desiredStart: Date | null;
  desiredEnd: Date | null;
};

export type MatchOffer = {
  id: string;
  key: string;
  organizationId: string;
  countryCode: string;
  subregion: string | null;
  countryNames: CountryNames;
  title: string;
  summary: string;
  description: string | null;
  targetPopulation: string | null;
  evidence: string | null;
  language: string;
  themes: string[];
  modalities: string[];
  workingLanguages: string[];
  capacityPerYear: number;
  updatedAt: Date;
  confirmedCurrentAt: Date;
};

export type PreparedRequest = MatchRequest & { profile: TextProfile; themeWeights: Map<ThemeCode, number> };
export type PreparedOffer = MatchOffer & { profile: TextProfile; themeWeights: Map<ThemeCode, number>; evidenceLevel: EvidenceLevel };

export type TrackRecord = { completed: number; averageRating: number | null };
export const NO_TRACK_RECORD: TrackRecord = { completed: 0, averageRating: null };

export type PairContext = {
  now: Date;
  /** cooperations of the offer that took capacity in the last twelve months */
  consumed: number;
  trackRecord: TrackRecord;
  feedback: FeedbackResult;
};

export type FactorValue = { value: number; weight: number; points: number };

export type PairScore = {
  score: number;
  sharedLanguage: boolean;
  /** how well the subjects fit (text and themes), 0 to 1: below rules.minTopicalFit, no pairing */
  topicalFit: number;
  factors: Record<FactorName, FactorValue>;
  feedback: FeedbackResult;
  details: PairDetails;
};

export type PairDetails = {
  sharedThemes: ThemeCode[];
  relatedThemes: ThemeCode[];
  sharedLanguages: string[];
  sharedModalities: string[];
  remainingCapacity: number;
  evidenceLevel: EvidenceLevel;
  sameSubregion: boolean;
  windowPassed: boolean;
  offerStale: boolean;
  textSimilarity: number;
};

// "Institutional strengthening" accompanies almost any request: sharing only it says little.
const GENERIC_THEMES: ReadonlySet<string> = new Set(["institutional-strengthening"]);
const IMPLIED_THEME_FACTOR = 0.6;
// Cosine similarities of two texts on the same subject are far from 1; this one counts as a
// perfect textual fit (calibrated on the development set, docs/decisions/005-matching.md).
const TEXT_SIMILARITY_SATURATION = 0.6;

const TEXT_SUPPORT_MIN_WORDS = 6;
const TEXT_SUPPORT_FULL = 0.2;
const UNSUPPORTED_THEME_DISCOUNT = 0.4;

const EVIDENCE_VALUES: Record<EvidenceLevel, number> = { evaluated: 1, "results-reported": 0.7, described: 0.35 };

function themeWeights(declared: readonly string[], profile: TextProfile): Map<ThemeCode, number> {
  const weights = new Map<ThemeCode, number>();
  for (const [theme, strength] of profile.impliedThemes) weights.set(theme, IMPLIED_THEME_FACTOR * strength);
  for (const theme of themeCodes(declared)) weights.set(theme, GENERIC_THEMES.has(theme) ? 0.5 : 1);
  return weights;
}

export function prepareRequest(request: MatchRequest): PreparedRequest {
  const profile = buildTextProfile(request);
  return { ...request, profile, themeWeights: themeWeights(request.themes, profile) };
}

export function prepareOffer(offer: MatchOffer): PreparedOffer {
  const profile = buildTextProfile(offer);
  return { ...offer, profile, themeWeights: themeWeights(offer.themes, profile), evidenceLevel: evidenceLevel(offer) };
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function intersection(a: readonly string[], b: readonly string[]): string[] {
  const setB = new Set(b);
  return [...new Set(a)].filter((value) => setB.has(value));
}

function themeFit(request: PreparedRequest, offer: PreparedOffer): number {
  let overlapSum = 0;
  let requestSum = 0;
  let best = 0;
  for (const [theme, weight] of request.themeWeights) {
    requestSum += weight;
    const overlap = Math.min(weight, offer.themeWeights.get(theme) ?? 0);
    overlapSum += overlap;
    best = Math.max(best, overlap);
  }
  if (requestSum === 0) return 0;
  return 0.6 * best + 0.4 * (overlapSum / requestSum);
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function scorePair({
  request,
  offer,
  context,
  config,
}: {
  request: PreparedRequest;
  offer: PreparedOffer;
  context: PairContext;
  config: MatchingConfig;
}): PairScore {
  const { now } = context;
  const textSimilarity = cosineSimilarity(request.profile, offer.profile);
  const sharedLanguages = intersection(request.workingLanguages, offer.workingLanguages);
  const sharedModalities = intersection(request.modalities, offer.modalities);
  const remainingCapacity = Math.max(0, offer.capacityPerYear - context.consumed);
  const windowPassed = request.desiredEnd !== null && request.desiredEnd.getTime() + DAY_MS < now.getTime();
  const offerStale = lastConfirmedCurrent(offer) < staleCutoff(now);
  const sameSubregion = request.subregion !== null && request.subregion === offer.subregion;
  const { trackRecord } = context;

  const textRelevance = Math.min(1, textSimilarity / TEXT_SIMILARITY_SATURATION);
  // Declared themes are broad ("export promotion" covers cruise marketing and postal exports):
  // when a request says enough to compare texts and the texts share nothing, agreeing themes
  // count for less. A request with next to no text is matched on its themes in full.
  const textSupport = request.profile.contentWords >= TEXT_SUPPORT_MIN_WORDS ? Math.min(1, textRelevance / TEXT_SUPPORT_FULL) : 1;
  const values: Record<FactorName, number> = {
    textRelevance,
    themeFit: themeFit(request, offer) * (1 - UNSUPPORTED_THEME_DISCOUNT * (1 - textSupport)),
    modalityFit:
      request.modalities.length === 0
        ? 1
        : sharedModalities.length === 0
        ? 0
        : 0.5 + (0.5 * sharedModalities.length) / new Set(request.modalities).size,
    language: sharedLanguages.length > 0 ? 1 : 0,
    timing: windowPassed ? 0.4 : offerStale ? 0.6 : 1,
    capacity: remainingCapacity === 0 ? 0 : Math.min(1, 0.5 + 0.25 * remainingCapacity),
    subregion: sameSubregion ? 1 : 0.5,
    evidence: EVIDENCE_VALUES[offer.evidenceLevel],
    trackRecord:
      trackRecord.completed === 0
        ? 0.5
        : 0.5 + 0.5 * (trackRecord.completed / (trackRecord.completed + 2)) * (((trackRecord.averageRating ?? 3) - 3) / 2),
  };

  let weightSum = 0;
  for (const name of FACTOR_NAMES) weightSum += config.factors[name];
  let base = 0;
  const factor = (name: FactorName): FactorValue => {
    const weight = config.factors[name];
    const points = (100 * weight * values[name]) / weightSum;
    base += points;
    return { value: round(values[name], 4), weight, points: round(points, 2) };
  };
  const factors: Record<FactorName, FactorValue> = {
    textRelevance: factor("textRelevance"),
    themeFit: factor("themeFit"),
    modalityFit: factor("modalityFit"),
    language: factor("language"),
    timing: factor("timing"),
    capacity: factor("capacity"),
    subregion: factor("subregion"),
    evidence: factor("evidence"),
    trackRecord: factor("trackRecord"),
  };

  const sharedLanguage = sharedLanguages.length > 0;
  let score = base + context.feedback.points;
  if (!sharedLanguage) score *= config.rules.noSharedLanguageScoreFactor;
  score = round(Math.max(0, Math.min(100, score)), 2);

  const topicalWeight = config.factors.textRelevance + config.factors.themeFit;
  const topicalFit =
    topicalWeight === 0
      ? 1
      : (config.factors.textRelevance * values.textRelevance + config.factors.themeFit * values.themeFit) / topicalWeight;

  const requestThemes = themeCodes(request.themes);
  const offerThemes = new Set(themeCodes(offer.themes));
  const sharedThemes = requestThemes.filter((theme) => offerThemes.has(theme));
  const relatedThemes = [...request.themeWeights.keys()].filter((theme) => !sharedThemes.includes(theme) && offer.themeWeights.has(theme));

  return {
    score,
    sharedLanguage,
    topicalFit,
    factors,
    feedback: context.feedback,
    details: {
      sharedThemes,
      relatedThemes,
      sharedLanguages,
      sharedModalities,
      remainingCapacity,
      evidenceLevel: offer.evidenceLevel,
      sameSubregion,
      windowPassed,
      offerStale,
      textSimilarity: round(textSimilarity, 4),
    },
  };
}

// ---------------------------------------------------------------------------------------
// Reasons: two or three sentences in English and Spanish, the strongest first. Warnings (no
// shared language, staff feedback against, no capacity, dates passed) always come first.

export type Reasons = { en: string[]; es: string[] };
type Reason = { en: string; es: string };

const MAX_REASONS = 3;

function lowerFirst(label: string): string {
  // "MSME finance" keeps its acronym; "Business development centers" reads mid-sentence.
  return /^[A-Z][a-z]/.test(label) ? label[0].toLowerCase() + label.slice(1) : label;
}

function listOf(items: string[], locale: "en" | "es"): string {
  if (items.length <= 1) return items.join("");
  const last = items[items.length - 1];
  const head = items.slice(0, -1).join(", ");
  if (locale === "en") return `${head} and ${last}`;
  return `${head} ${/^h?i/i.test(last) ? "e" : "y"} ${last}`;
}

function themeList(themes: ThemeCode[], locale: "en" | "es"): string {
  return listOf(
    themes.map((theme) => lowerFirst(THEME_LABELS[theme][locale])),
    locale
  );
}

function languageList(codes: string[], locale: "en" | "es"): string {
  const names = codes.flatMap((code) =>
    isVocabularyCode("language", code)
      ? [locale === "en" ? LANGUAGE_LABELS[code].en : LANGUAGE_LABELS[code].es.toLocaleLowerCase("es")]
      : []
  );
  return listOf(names, locale);
}

function modalityList(codes: string[], locale: "en" | "es"): string {
  const names = codes.flatMap((code) => (isVocabularyCode("modality", code) ? [lowerFirst(MODALITY_LABELS[code][locale])] : []));
  return listOf(names, locale);
}

const REJECTION_REASON_TEXT = {
  "not-relevant": { en: "as not relevant", es: "por no pertinente" },
  language: { en: "for language", es: "por el idioma" },
  capacity: { en: "for lack of capacity", es: "por falta de capacidad" },
  timing: { en: "for timing", es: "por los plazos" },
  "already-cooperating": { en: "because the two already cooperate", es: "porque ya cooperan" },
  other: { en: "", es: "" },
} as const;

/** The concepts two texts share that are worth naming, strongest first. */
export function explainedConcepts(request: PreparedRequest, offer: PreparedOffer): string[] {
  return sharedConcepts(request.profile, offer.profile).filter((id) => !isUbiquitousConcept(id));
}

export function buildReasons({ request, offer, result }: { request: PreparedRequest; offer: PreparedOffer; result: PairScore }): Reasons {
  const { details, factors, feedback } = result;
  const concepts = explainedConcepts(request, offer);
  const warnings: Reason[] = [];
  const positives: Array<Reason & { points: number }> = [];

  if (!result.sharedLanguage) {
    warnings.push({
      en: `No shared working language (${languageList(request.workingLanguages, "en")} / ${languageList(
        offer.workingLanguages,
        "en"
      )}): ranked below every pairing that has one`,
      es: `Sin idioma de trabajo común (${languageList(request.workingLanguages, "es")} / ${languageList(
        offer.workingLanguages,
        "es"
      )}): se ordena después de los emparejamientos que sí lo tienen`,
    });
  }
  const strongestNegative = feedback.signals.find((signal) => signal.strength < 0);
  if (strongestNegative && feedback.points < 0) {
    const reasonText = strongestNegative.reason ? REJECTION_REASON_TEXT[strongestNegative.reason] : { en: "", es: "" };
    warnings.push({
      en: `Staff rejected a similar pairing ${reasonText.en}`.trim() + ` (${feedback.points.toFixed(1)} points)`,
      es: `El personal rechazó un emparejamiento similar ${reasonText.es}`.trim() + ` (${feedback.points.toFixed(1)} puntos)`,
    });
  }
  if (details.remainingCapacity === 0) {
    warnings.push({
      en: `${offer.countryNames.en} has no capacity left for this program this year`,
      es: `${offer.countryNames.es} no tiene capacidad disponible para este programa este año`,
    });
  }
  if (details.windowPassed) {
    warnings.push({ en: "The requested dates have already passed", es: "Las fechas solicitadas ya pasaron" });
  } else if (details.offerStale) {
    warnings.push({
      en: "The offer has not been confirmed as current for over a year",
      es: "La oferta no se ha confirmado como vigente en más de un año",
    });
  }

  if (details.sharedThemes.length > 0) {
    const themes = details.sharedThemes.filter((theme) => !GENERIC_THEMES.has(theme));
    const shown = (themes.length > 0 ? themes : details.sharedThemes).slice(0, 3);
    positives.push({
      en: `Same ${shown.length === 1 ? "theme" : "themes"}: ${themeList(shown, "en")}`,
      es: `${shown.length === 1 ? "Mismo tema" : "Mismos temas"}: ${themeList(shown, "es")}`,
      points: factors.themeFit.points + (details.relatedThemes.length === 0 ? factors.textRelevance.points / 2 : 0),
    });
  }
  if (concepts.length > 0 && factors.textRelevance.value >= 0.25) {
    const shown = concepts.slice(0, 3);
    positives.push({
      en: `Both texts are about ${listOf(
        shown.map((id) => conceptLabel(id, "en")),
        "en"
      )}`,
      es: `Ambos textos tratan de ${listOf(
        shown.map((id) => conceptLabel(id, "es")),
        "es"
      )}`,
      points: factors.textRelevance.points,
    });
  } else if (details.sharedThemes.length === 0 && details.relatedThemes.length > 0) {
    const shown = details.relatedThemes.slice(0, 2);
    positives.push({
      en: `Related subject: ${themeList(shown, "en")}`,
      es: `Tema relacionado: ${themeList(shown, "es")}`,
      points: factors.themeFit.points,
    });
  }
  if (result.sharedLanguage) {
    positives.push({
      en: `Both work in ${languageList(details.sharedLanguages, "en")}`,
      es: `Ambas organizaciones trabajan en ${languageList(details.sharedLanguages, "es")}`,
      points: factors.language.points,
    });
  }
  if (details.remainingCapacity > 0) {
    const n = details.remainingCapacity;
    positives.push({
      en: `${offer.countryNames.en} has capacity for ${n} more ${n === 1 ? "cooperation" : "cooperations"} this year`,
      es: `${offer.countryNames.es} tiene capacidad para ${n} ${n === 1 ? "cooperación" : "cooperaciones"} más este año`,
      points: factors.capacity.points * 0.8,
    });
  }
  if (details.evidenceLevel !== "described") {
    positives.push(
      details.evidenceLevel === "evaluated"
        ? { en: "The program has been evaluated", es: "El programa ha sido evaluado", points: factors.evidence.points }
        : {
            en: "The program reports measured results",
            es: "El programa informa resultados medidos",
            points: factors.evidence.points * 0.8,
          }
    );
  }
  if (details.sharedModalities.length > 0) {
    const shown = details.sharedModalities.slice(0, 2);
    positives.push({
      en: `Offers the requested ${shown.length === 1 ? "modality" : "modalities"}: ${modalityList(shown, "en")}`,
      es: `Ofrece ${shown.length === 1 ? "la modalidad solicitada" : "las modalidades solicitadas"}: ${modalityList(shown, "es")}`,
      points: factors.modalityFit.points * 0.7,
    });
  }
  const subregion = request.subregion ?? "";
  if (details.sameSubregion && isVocabularyCode("subregion", subregion)) {
    positives.push({
      en: `Both in ${SUBREGION_LABELS[subregion].en}`,
      es: `Ambos en ${SUBREGION_LABELS[subregion].es}`,
      points: factors.subregion.points * 0.6,
    });
  }
  if (factors.trackRecord.value > 0.5) {
    positives.push({
      en: "The offering organization's past cooperations were rated well",
      es: "Las cooperaciones anteriores de la organización oferente fueron bien valoradas",
      points: factors.trackRecord.points,
    });
  }
  if (feedback.points > 0) {
    positives.push({
      en: "Staff confirmed a similar pairing with this offer",
      es: "El personal confirmó un emparejamiento similar con esta oferta",
      points: feedback.points,
    });
  }

  positives.sort((a, b) => b.points - a.points);
  const chosen = [...warnings.slice(0, 2), ...positives].slice(0, Math.max(MAX_REASONS, Math.min(warnings.length, 2)));
  return { en: chosen.map((reason) => reason.en), es: chosen.map((reason) => reason.es) };
}
