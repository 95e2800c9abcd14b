// The cooperation exchange format, version 1 (shared/docs/exchange-format.md): the one JSON
// format in which organizations, offers and requests enter and leave in bulk.
//
// `validateExchangeFile` reports every problem of a file at once, one line per problem, as
// `<record key>: <field>: <problem>` (or `file: <field>: <problem>` for the file itself), so
// an agency can fix its whole catalogue in one pass instead of one error per upload.
//
// Isomorphic: depends on zod and the vocabularies only, so a browser upload form can check a
// file before sending it.
import { z } from "zod";
import { isStorableText } from "~/schemas/text";
import {
  COST_SHARING_CODES,
  LANGUAGE_CODES,
  MODALITY_CODES,
  OFFER_STATUS_CODES,
  ORGANIZATION_TYPE_CODES,
  REQUEST_STATUS_CODES,
  THEME_CODES,
} from "~/schemas/vocabulary";

export const EXCHANGE_FORMAT = "cooperation-exchange/1";

export const EXCHANGE_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{1,79}$/;

// The format sets no lengths. These are far above any real record and only keep a runaway
// value (a whole document pasted into a title) out of the database and the search index.
export const EXCHANGE_TEXT_LIMITS = {
  name: 300,
  title: 300,
  summary: 5_000,
  paragraph: 5_000,
  longText: 50_000,
  url: 2_000,
} as const;

// capacity_per_year is a PostgreSQL integer.
const MAX_CAPACITY_PER_YEAR = 2_147_483_647;

export const EXCHANGE_DEFAULTS = {
  capacityPerYear: 2,
  costSharing: "to-be-negotiated",
  offerStatus: "published",
  requestStatus: "open",
} as const;

// ---------------------------------------------------------------------------------------
// Field schemas

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === "object") return "an object";
  return String(value);
}

const keySchema = z.string().regex(EXCHANGE_KEY_PATTERN, {
  error: (issue) =>
    `${describeValue(issue.input)} is not a valid key: 2 to 80 characters, lowercase letters a-z, digits and hyphens, starting with a letter or digit`,
});

const NUL_MESSAGE = "must not contain the NUL character (\\u0000)";

function requiredText(maxLength: number) {
  return z.string().trim().min(1).max(maxLength).refine(isStorableText, NUL_MESSAGE);
}

// JSON written by other platforms often spells an absent value as null or "": both mean absent.
function absentWhenEmpty(value: unknown): unknown {
  return value === null || (typeof value === "string" && value.trim() === "") ? undefined : value;
}

function optionalText(maxLength: number) {
  return z.preprocess(absentWhenEmpty, z.string().trim().max(maxLength).refine(isStorableText, NUL_MESSAGE).optional());
}

function withDefault<Output>(schema: z.ZodType<Output>, fallback: NoInfer<Exclude<Output, undefined>>) {
  return z.preprocess(absentWhenEmpty, schema.default(fallback));
}

function vocabularyCode<const Codes extends readonly [string, ...string[]]>(codes: Codes, what: string, listCodes: boolean) {
  return z.enum(codes, {
    error: (issue) => {
      if (typeof issue.input !== "string") return undefined;
      const expected = listCodes ? `; expected one of ${codes.join(", ")}` : "";
      return `unknown ${what} ${describeValue(issue.input)}${expected}`;
    },
  });
}

const themeCode = vocabularyCode(THEME_CODES, "theme", false);
const modalityCode = vocabularyCode(MODALITY_CODES, "modality", true);
const languageCode = vocabularyCode(LANGUAGE_CODES, "language", true);
const organizationTypeCode = vocabularyCode(ORGANIZATION_TYPE_CODES, "organization type", true);
const costSharingCode = vocabularyCode(COST_SHARING_CODES, "cost sharing", true);
const offerStatusCode = vocabularyCode(OFFER_STATUS_CODES, "offer status", true);
const requestStatusCode = vocabularyCode(REQUEST_STATUS_CODES, "request status", true);

function repeatedValues(values: readonly unknown[]): unknown[] {
  return values.filter((value, index) => values.indexOf(value) !== index && values.indexOf(value, index + 1) === -1);
}

function codeList<Code extends string>(code: z.ZodType<Code>, options: { required: boolean }) {
  const list = z.array(code).refine((codes) => repeatedValues(codes).length === 0, {
    // Also when some codes are unknown: the file is fixed in one pass, not one error at a time.
    when: (payload) => Array.isArray(payload.value),
    error: (issue) => {
      const repeated = Array.isArray(issue.input) ? repeatedValues(issue.input) : [];
      return `${repeated.map(describeValue).join(", ")} listed more than once`;
    },
  });
  return options.required ? list.min(1, { error: "must list at least one code" }) : list;
}

const countryCode = z.string().regex(/^[A-Z]{2}$/, {
  error: (issue) => `expected an ISO 3166-1 alpha-2 country code in capitals (e.g. "SV"), got ${describeValue(issue.input)}`,
});

const websiteSchema = z
  .url({
    protocol: /^https?$/,
    hostname: z.regexes.domain,
    error: (issue) =>
      typeof issue.input === "string" ? `expected an http:// or https:// URL, got ${describeValue(issue.input)}` : undefined,
  })
  .max(EXCHANGE_TEXT_LIMITS.url);

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2027-02-30 over to 2027-03-02; a real date survives the round trip.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const dateSchema = z
  .string()
  .superRefine((value, context) => {
    if (!DATE_PATTERN.test(value)) {
      context.addIssue({ code: "custom", message: `expected a date as YYYY-MM-DD, got ${describeValue(value)}` });
    } else if (!isCalendarDate(value)) {
      context.addIssue({ code: "custom", message: `${describeValue(value)} is not a real calendar date` });
    }
  });

const capacitySchema = withDefault(
  z.int({
    error: (issue) =>
      issue.code === "invalid_type" && issue.input !== undefined ? `expected a whole number, got ${describeValue(issue.input)}` : undefined,
  })
    .min(1)
    .max(MAX_CAPACITY_PER_YEAR),
  EXCHANGE_DEFAULTS.capacityPerYear,
);

// ---------------------------------------------------------------------------------------
// Records. Strict: a field the format does not know is most often a misspelt one, whose
// value would otherwise be dropped without a word.

export const exchangeOrganizationSchema = z.strictObject({
  key: keySchema,
  name: requiredText(EXCHANGE_TEXT_LIMITS.name),
  country: countryCode,
  type: organizationTypeCode,
  website: z.preprocess(absentWhenEmpty, websiteSchema.optional()),
});

export const exchangeOfferSchema = z.strictObject({
  key: keySchema,
  organization: keySchema,
  title: requiredText(EXCHANGE_TEXT_LIMITS.title),
  summary: requiredText(EXCHANGE_TEXT_LIMITS.summary),
  description: optionalText(EXCHANGE_TEXT_LIMITS.longText),
  language: languageCode,
  themes: codeList(themeCode, { required: true }),
  modalities: codeList(modalityCode, { required: true }),
  workingLanguages: codeList(languageCode, { required: true }),
  targetPopulation: optionalText(EXCHANGE_TEXT_LIMITS.paragraph),
  evidence: optionalText(EXCHANGE_TEXT_LIMITS.longText),
  capacityPerYear: capacitySchema,
  costSharing: withDefault(costSharingCode, EXCHANGE_DEFAULTS.costSharing),
  status: withDefault(offerStatusCode, EXCHANGE_DEFAULTS.offerStatus),
});

export const exchangeRequestSchema = z.strictObject({
  key: keySchema,
  organization: keySchema,
  title: requiredText(EXCHANGE_TEXT_LIMITS.title),
  summary: requiredText(EXCHANGE_TEXT_LIMITS.summary),
  description: optionalText(EXCHANGE_TEXT_LIMITS.longText),
  language: languageCode,
  themes: codeList(themeCode, { required: true }),
  modalities: withDefault(codeList(modalityCode, { required: false }), []),
  workingLanguages: codeList(languageCode, { required: true }),
  desiredStart: z.preprocess(absentWhenEmpty, dateSchema.optional()),
  desiredEnd: z.preprocess(absentWhenEmpty, dateSchema.optional()),
  status: withDefault(requestStatusCode, EXCHANGE_DEFAULTS.requestStatus),
});

export type ExchangeOrganization = z.output<typeof exchangeOrganizationSchema>;
export type ExchangeOffer = z.output<typeof exchangeOfferSchema>;
export type ExchangeRequest = z.output<typeof exchangeRequestSchema>;

export type ExchangeFile = {
  format: typeof EXCHANGE_FORMAT;
  organizations: ExchangeOrganization[];
  offers: ExchangeOffer[];
  requests: ExchangeRequest[];
};

export const EXCHANGE_SECTIONS = ["organizations", "offers", "requests"] as const;
export type ExchangeSection = (typeof EXCHANGE_SECTIONS)[number];

// ---------------------------------------------------------------------------------------
// Validation of a whole file

export type ExchangeValidationContext = {
  /** Keys of organizations already in the database: offers and requests may refer to them. */
  knownOrganizationKeys?: ReadonlySet<string>;
  /** When given, an organization's country must be one of these codes. */
  knownCountryCodes?: ReadonlySet<string>;
};

export type ExchangeValidation = { ok: true; file: ExchangeFile } | { ok: false; errors: string[] };

export function formatExchangeError(record: string, field: string, problem: string): string {
  return `${record}: ${field}: ${problem}`;
}

function isRecordObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// Records are named by their key when it is usable, otherwise by their place in the file.
function recordLabel(section: ExchangeSection, index: number, record: unknown): string {
  const key = isRecordObject(record) ? record.key : undefined;
  return typeof key === "string" && EXCHANGE_KEY_PATTERN.test(key) ? key : `${section}[${index}]`;
}

function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const segment of path) {
    text += typeof segment === "number" ? `[${segment}]` : `${text === "" ? "" : "."}${String(segment)}`;
  }
  return text;
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  array: "an array",
  object: "an object",
};

// Messages for the issues the schemas above leave to zod; per-field messages take precedence.
const exchangeErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${describeValue(issue.input)}`;
    case "too_small":
      if (issue.origin === "string") return "must not be empty";
      if (issue.origin === "array") return "must list at least one code";
      return `must be at least ${String(issue.minimum)}`;
    case "too_big":
      if (issue.origin === "string") return `must be at most ${String(issue.maximum)} characters`;
      return `must be at most ${String(issue.maximum)}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}, got ${describeValue(issue.input)}`;
    default:
      return undefined;
  }
};

function parseRecord<Output>(
  schema: z.ZodType<Output>,
  section: ExchangeSection,
  index: number,
  record: unknown,
  errors: string[],
): Output | undefined {
  const label = recordLabel(section, index, record);
  if (!isRecordObject(record)) {
    errors.push(formatExchangeError(label, "record", `expected an object, got ${describeValue(record)}`));
    return undefined;
  }
  const result = schema.safeParse(record, { error: exchangeErrorMap });
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        errors.push(formatExchangeError(label, formatPath([...issue.path, key]), `unknown field (not part of ${EXCHANGE_FORMAT})`));
      }
    } else {
      errors.push(formatExchangeError(label, formatPath(issue.path) || "record", issue.message));
    }
  }
  return undefined;
}

/** A file's sections as given, or an error line for each one that is not an array. */
function readSections(input: Record<string, unknown>, errors: string[]): Record<ExchangeSection, unknown[]> {
  const sections: Record<ExchangeSection, unknown[]> = { organizations: [], offers: [], requests: [] };
  for (const section of EXCHANGE_SECTIONS) {
    const value = input[section];
    // A file may carry only some sections, e.g. one agency's offers for an organization already here.
    if (value === undefined) continue;
    if (Array.isArray(value)) sections[section] = value;
    else errors.push(formatExchangeError("file", section, `expected an array of records, got ${describeValue(value)}`));
  }
  return sections;
}

function checkFormat(input: unknown): string[] {
  if (!isRecordObject(input)) {
    return [formatExchangeError("file", "format", `expected a JSON object with "format": "${EXCHANGE_FORMAT}", got ${describeValue(input)}`)];
  }
  if (input.format !== EXCHANGE_FORMAT) {
    const got = input.format === undefined ? "it is missing" : `got ${describeValue(input.format)}`;
    return [formatExchangeError("file", "format", `expected "${EXCHANGE_FORMAT}", ${got}`)];
  }
  return [];
}

/**
 * Checks a parsed JSON value against the format and the references between its records, and
 * returns either the whole file with defaults filled in or every problem found.
 */
export function validateExchangeFile(input: unknown, context: ExchangeValidationContext = {}): ExchangeValidation {
  const formatErrors = checkFormat(input);
  if (formatErrors.length > 0 || !isRecordObject(input)) return { ok: false, errors: formatErrors };

  const errors: string[] = [];
  for (const field of Object.keys(input)) {
    if (field !== "format" && !EXCHANGE_SECTIONS.some((section) => section === field)) {
      errors.push(formatExchangeError("file", field, `unknown field (not part of ${EXCHANGE_FORMAT})`));
    }
  }
  const sections = readSections(input, errors);

  const organizations = sections.organizations.map((record, index) =>
    parseRecord(exchangeOrganizationSchema, "organizations", index, record, errors),
  );
  const offers = sections.offers.map((record, index) => parseRecord(exchangeOfferSchema, "offers", index, record, errors));
  const requests = sections.requests.map((record, index) =>
    parseRecord(exchangeRequestSchema, "requests", index, record, errors),
  );

  for (const section of EXCHANGE_SECTIONS) checkDuplicateKeys(section, sections[section], errors);

  // Keys of invalid organization records count as present: their own errors already say what
  // is wrong, and a dangling-reference error on every offer would bury them.
  const organizationKeysInFile = new Set(usableKeys(sections.organizations));
  const knownOrganizationKeys = context.knownOrganizationKeys ?? new Set<string>();
  for (const section of ["offers", "requests"] as const) {
    sections[section].forEach((record, index) => {
      if (!isRecordObject(record)) return;
      const organization = record.organization;
      if (typeof organization !== "string" || !EXCHANGE_KEY_PATTERN.test(organization)) return;
      if (organizationKeysInFile.has(organization) || knownOrganizationKeys.has(organization)) return;
      errors.push(
        formatExchangeError(
          recordLabel(section, index, record),
          "organization",
          `no organization with key "${organization}" in this file or in the database`,
        ),
      );
    });
  }

  organizations.forEach((organization) => {
    if (organization && context.knownCountryCodes && !context.knownCountryCodes.has(organization.country)) {
      errors.push(
        formatExchangeError(organization.key, "country", `"${organization.country}" is not an ISO 3166-1 alpha-2 country code`),
      );
    }
  });

  sections.requests.forEach((record, index) => {
    if (!isRecordObject(record)) return;
    const { desiredStart, desiredEnd } = record;
    if (typeof desiredStart !== "string" || typeof desiredEnd !== "string") return;
    if (!isCalendarDate(desiredStart) || !isCalendarDate(desiredEnd)) return;
    // YYYY-MM-DD strings sort like the dates they name.
    if (desiredEnd < desiredStart) {
      errors.push(
        formatExchangeError(
          recordLabel("requests", index, record),
          "desiredEnd",
          `${desiredEnd} is before desiredStart ${desiredStart}`,
        ),
      );
    }
  });

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    file: {
      format: EXCHANGE_FORMAT,
      organizations: organizations.filter((record) => record !== undefined),
      offers: offers.filter((record) => record !== undefined),
      requests: requests.filter((record) => record !== undefined),
    },
  };
}

function usableKeys(records: readonly unknown[]): string[] {
  const keys: string[] = [];
  for (const record of records) {
    if (isRecordObject(record) && typeof record.key === "string" && EXCHANGE_KEY_PATTERN.test(record.key)) keys.push(record.key);
  }
  return keys;
}

function checkDuplicateKeys(section: ExchangeSection, records: readonly unknown[], errors: string[]) {
  const firstIndex = new Map<string, number>();
  records.forEach((record, index) => {
    if (!isRecordObject(record) || typeof record.key !== "string" || !EXCHANGE_KEY_PATTERN.test(record.key)) return;
    const first = firstIndex.get(record.key);
    if (first === undefined) {
      firstIndex.set(record.key, index);
      return;
    }
    errors.push(
      formatExchangeError(record.key, "key", `duplicate key: ${section}[${first}] and ${section}[${index}] both use it`),
    );
  });
}

/**
 * The organization keys that offers and requests of a not yet validated file refer to, so the
 * caller can look up which of them already exist before validating.
 */
export function referencedOrganizationKeys(input: unknown): string[] {
  if (!isRecordObject(input)) return [];
  const keys = new Set<string>();
  for (const section of ["offers", "requests"] as const) {
    const records = input[section];
    if (!Array.isArray(records)) continue;
    for (const record of records) {
      if (isRecordObject(record) && typeof record.organization === "string" && EXCHANGE_KEY_PATTERN.test(record.organization)) {
        keys.add(record.organization);
      }
    }
  }
  return [...keys];
}

/** How many records a not yet validated file holds, e.g. to decide whether to show progress. */
export function countExchangeRecords(input: unknown): number {
  if (!isRecordObject(input)) return 0;
  let count = 0;
  for (const section of EXCHANGE_SECTIONS) {
    const records = input[section];
    if (Array.isArray(records)) count += records.length;
  }
  return count;
}

/** JSON.parse with the failure reported like every other exchange error. */
export function parseExchangeJson(text: string): { ok: true; value: unknown } | { ok: false; errors: string[] } {
  try {
    // A byte order mark is valid at the start of a UTF-8 file but not in JSON text.
    return { ok: true, value: JSON.parse(text.startsWith("\uFEFF") ? text.slice(1) : text) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [formatExchangeError("file", "json", `not valid JSON: ${reason}`)] };
  }
}
