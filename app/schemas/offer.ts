// The offer form (create and edit) and the offers list filters. One schema serves the form
// (conform, in the browser) and the action (on the server).
//
// Field rules follow the cooperation exchange format: the same vocabularies, required fields
// and capacity >= 1. Text lengths are tighter than the format's runaway guards because a form
// is read on screen: title 200, summary 2,000, description and evidence 20,000 characters.
//
// Messages are keys of the "catalogue" namespace (validation.*), translated where shown; the
// field they belong to is the key of the error object, so a 400 always names the field.
import { z } from "zod";
import { OFFER_INTENTS } from "~/models/offer-rules";
import { COST_SHARING_CODES, LANGUAGE_CODES, MODALITY_CODES, THEME_CODES } from "~/schemas/vocabulary";
import { isStorableText } from "~/schemas/text";

export const CATALOGUE_TEXT_LIMITS = {
  title: 200,
  summary: 2_000,
  description: 20_000,
  targetPopulation: 2_000,
  evidence: 20_000,
} as const;

// capacity_per_year is a PostgreSQL integer.
const MAX_CAPACITY_PER_YEAR = 2_147_483_647;
export const DEFAULT_CAPACITY_PER_YEAR = 2;
export const DEFAULT_COST_SHARING = "to-be-negotiated";

export function requiredText(maxLength: number, tooLongMessage: string) {
  return z
    .string({ error: "catalogue:validation.required" })
    .trim()
    .min(1, { error: "catalogue:validation.required" })
    .max(maxLength, { error: tooLongMessage })
    .refine(isStorableText, { error: "catalogue:validation.invalidCharacters" });
}

export function optionalText(maxLength: number, tooLongMessage: string) {
  return z
    .string({ error: "catalogue:validation.invalidValue" })
    .trim()
    .max(maxLength, { error: tooLongMessage })
    .refine(isStorableText, { error: "catalogue:validation.invalidCharacters" })
    .optional()
    .transform((value) => (value === undefined || value === "" ? undefined : value));
}

export function vocabularyList<const Codes extends readonly [string, ...string[]]>(
  codes: Codes,
  { required }: { required: boolean },
) {
  const list = z
    .array(z.enum(codes, { error: "catalogue:validation.unknownCode" }), { error: "catalogue:validation.invalidValue" })
    // Checkboxes cannot repeat a value, a crafted request can; a repeat means nothing more.
    .transform((values) => [...new Set(values)]);
  return required ? list.refine((values) => values.length > 0, { error: "catalogue:validation.chooseAtLeastOne" }) : list;
}

export function vocabularyCode<const Codes extends readonly [string, ...string[]]>(codes: Codes) {
  return z.enum(codes, { error: (issue) => (issue.input === undefined ? "catalogue:validation.required" : "catalogue:validation.unknownCode") });
}

export const offerFormSchema = z.object({
  title: requiredText(CATALOGUE_TEXT_LIMITS.title, "catalogue:validation.titleTooLong"),
  summary: requiredText(CATALOGUE_TEXT_LIMITS.summary, "catalogue:validation.summaryTooLong"),
  description: optionalText(CATALOGUE_TEXT_LIMITS.description, "catalogue:validation.longTextTooLong"),
  language: vocabularyCode(LANGUAGE_CODES),
  themes: vocabularyList(THEME_CODES, { required: true }),
  modalities: vocabularyList(MODALITY_CODES, { required: true }),
  workingLanguages: vocabularyList(LANGUAGE_CODES, { required: true }),
  targetPopulation: optionalText(CATALOGUE_TEXT_LIMITS.targetPopulation, "catalogue:validation.shortTextTooLong"),
  evidence: optionalText(CATALOGUE_TEXT_LIMITS.evidence, "catalogue:validation.longTextTooLong"),
  capacityPerYear: z
    .number({ error: "catalogue:validation.wholeNumber" })
    .int({ error: "catalogue:validation.wholeNumber" })
    .min(1, { error: "catalogue:validation.capacityAtLeastOne" })
    .max(MAX_CAPACITY_PER_YEAR, { error: "catalogue:validation.numberTooLarge" })
    .optional()
    .transform((value) => value ?? DEFAULT_CAPACITY_PER_YEAR),
  costSharing: z
    .enum(COST_SHARING_CODES, { error: "catalogue:validation.unknownCode" })
    .optional()
    .transform((value) => value ?? DEFAULT_COST_SHARING),
});

export type OfferFormInput = z.input<typeof offerFormSchema>;
export type OfferFormData = z.output<typeof offerFormSchema>;

export const offerIntentSchema = z.object({
  intent: z.enum(OFFER_INTENTS, { error: "catalogue:validation.unknownCode" }),
  redirectTo: z.string().optional(),
});

// ---------------------------------------------------------------------------------------
// List filters, read from the query string of a GET form. "" (the "any" option) means no filter.

function emptyAsUndefined(value: unknown): unknown {
  return value === "" || value === null ? undefined : value;
}

export function optionalFilter<const Codes extends readonly [string, ...string[]]>(codes: Codes) {
  return z.preprocess(emptyAsUndefined, z.enum(codes, { error: "catalogue:validation.unknownCode" }).optional());
}

export const countryFilterSchema = z.preprocess(
  (value) => (typeof value === "string" ? emptyAsUndefined(value.trim().toUpperCase()) : emptyAsUndefined(value)),
  z.string().regex(/^[A-Z]{2}$/, { error: "catalogue:validation.unknownCode" }).optional(),
);

export const pageSchema = z.preprocess(
  emptyAsUndefined,
  z.coerce
    .number({ error: "catalogue:validation.wholeNumber" })
    .int({ error: "catalogue:validation.wholeNumber" })
    .min(1, { error: "catalogue:validation.wholeNumber" })
    .max(100_000, { error: "catalogue:validation.numberTooLarge" })
    .default(1),
);

export const catalogueFiltersSchema = z.object({
  theme: optionalFilter(THEME_CODES),
  modality: optionalFilter(MODALITY_CODES),
  language: optionalFilter(LANGUAGE_CODES),
  country: countryFilterSchema,
  page: pageSchema,
});

export type CatalogueFilters = z.output<typeof catalogueFiltersSchema>;

/** The query string of a list page as one object (repeated names keep their last value). */
export function searchParamsObject(searchParams: URLSearchParams): Record<string, string> {
  return Object.fromEntries(searchParams.entries());
}

/** The id in a record's URL; anything else cannot name a record, so it is a 404, not a 500. */
export const recordIdSchema = z.guid();
