// Query parameters of the read-only JSON API (GET /api/offers, GET /api/requests) and of the CSV
// downloads. Each message names its parameter, so a 400 tells the caller what to fix.
import { z } from "zod";
import { LANGUAGE_CODES, MODALITY_CODES, OFFER_STATUS_CODES, REQUEST_STATUS_CODES, THEME_CODES } from "~/schemas/vocabulary";

export const API_DEFAULT_PAGE_SIZE = 50;
export const API_MAX_PAGE_SIZE = 200;

function emptyAsUndefined(value: unknown): unknown {
  return value === "" || value === null ? undefined : value;
}

function code<const Codes extends readonly [string, ...string[]]>(codes: Codes, name: string) {
  return z.preprocess(
    emptyAsUndefined,
    z.enum(codes, { error: (issue) => `${name}: unknown code ${JSON.stringify(issue.input)}; expected one of ${codes.join(", ")}` }).optional(),
  );
}

function wholeNumber(name: string, { min, max, fallback }: { min: number; max: number; fallback: number }) {
  const message = `${name}: expected a whole number from ${min} to ${max}`;
  return z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^\d{1,9}$/, { error: message })
      .transform(Number)
      .pipe(z.number().int().min(min, { error: message }).max(max, { error: message }))
      .default(fallback),
  );
}

const countrySchema = z.preprocess(
  (value) => (typeof value === "string" ? emptyAsUndefined(value.trim().toUpperCase()) : emptyAsUndefined(value)),
  z.string().regex(/^[A-Z]{2}$/, { error: "country: expected an ISO 3166-1 alpha-2 code such as SV" }).optional(),
);

// An ISO 8601 date-time with an offset (2026-01-31T12:00:00Z), or a plain date meaning its
// midnight UTC. A time without an offset would depend on the server's zone, so it is refused.
const updatedSinceSchema = z.preprocess(
  emptyAsUndefined,
  z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], {
      error: "updatedSince: expected an ISO 8601 date-time with a time zone (2026-01-31T12:00:00Z) or a date (2026-01-31)",
    })
    .transform((value) => new Date(value.length === 10 ? `${value}T00:00:00Z` : value))
    // ISO 8601 has a year 0000 and an offset can push 9999-12-31 into year 10000; PostgreSQL has
    // no year 0 and the database would answer an error (a 500) for it.
    .refine((date) => date.getUTCFullYear() >= 1 && date.getUTCFullYear() <= 9999, {
      error: "updatedSince: expected an ISO 8601 date-time with a time zone (2026-01-31T12:00:00Z) or a date (2026-01-31)",
    })
    .optional(),
);

const commonParameters = {
  page: wholeNumber("page", { min: 1, max: 1_000_000, fallback: 1 }),
  pageSize: wholeNumber("pageSize", { min: 1, max: API_MAX_PAGE_SIZE, fallback: API_DEFAULT_PAGE_SIZE }),
  theme: code(THEME_CODES, "theme"),
  country: countrySchema,
  updatedSince: updatedSinceSchema,
};

export const apiOffersQuerySchema = z.strictObject({ ...commonParameters, status: code(OFFER_STATUS_CODES, "status") });
export const apiRequestsQuerySchema = z.strictObject({ ...commonParameters, status: code(REQUEST_STATUS_CODES, "status") });

export type ApiOffersQuery = z.output<typeof apiOffersQuerySchema>;
export type ApiRequestsQuery = z.output<typeof apiRequestsQuerySchema>;

/** The CSV downloads take the browse pages' filters; other parameters are ignored, as there. */
export const csvQuerySchema = z.object({
  theme: code(THEME_CODES, "theme"),
  modality: code(MODALITY_CODES, "modality"),
  language: code(LANGUAGE_CODES, "language"),
  country: countrySchema,
  // The browse pages' links carry their page; a download is always the whole result.
  page: z.string().optional(),
});

export type CsvQuery = z.output<typeof csvQuerySchema>;

/**
 * Parses a query string; a repeated parameter is refused rather than silently taking one value.
 * Errors come back one line per problem, each starting with the parameter's name.
 */
export function parseQuery<Schema extends z.ZodType>(
  schema: Schema,
  searchParams: URLSearchParams,
): { ok: true; data: z.output<Schema> } | { ok: false; errors: string[] } {
  const values: Record<string, string> = {};
  const errors: string[] = [];
  for (const [name, value] of searchParams) {
    if (name in values) errors.push(`${name}: given more than once`);
    values[name] = value;
  }
  const result = schema.safeParse(values);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === "unrecognized_keys") errors.push(...issue.keys.map((key) => `${key}: unknown parameter`));
      else errors.push(issue.message.includes(": ") ? issue.message : `${issue.path.join(".")}: ${issue.message}`);
    }
  }
  if (errors.length > 0 || !result.success) return { ok: false, errors: [...new Set(errors)] };
  return { ok: true, data: result.data };
}
