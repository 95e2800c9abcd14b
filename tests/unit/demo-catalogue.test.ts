import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { z } from "zod";
import {
  COST_SHARING_CODES,
  LANGUAGE_CODES,
  MODALITY_CODES,
  OFFER_STATUS_CODES,
  ORGANIZATION_TYPE_CODES,
  REQUEST_STATUS_CODES,
  THEME_CODES,
} from "~/schemas/vocabulary";
import { COUNTRIES } from "../../prisma/data/countries";

// Deliberately independent of the import service: this guards the content of the demo file
// against the exchange format itself (shared/docs/exchange-format.md), so a bug in the
// importer cannot make a broken demo file look valid.

const CATALOGUE_URL = new URL("../../prisma/data/demo-catalogue.json", import.meta.url);

const keySchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,79}$/);
const textSchema = z
  .string()
  .min(1)
  .refine((text) => text === text.trim(), "has leading or trailing whitespace")
  // UTF-8 read as Latin-1 turns "á" into "Ã¡": catches a file saved with the wrong encoding
  .refine((text) => !/Ã|Â|�/.test(text), "looks mis-encoded");

function uniqueList<T extends z.ZodType<string>>(item: T) {
  return z.array(item).refine((list) => new Set(list).size === list.length, "has duplicates");
}

const themesSchema = uniqueList(z.enum(THEME_CODES)).refine(
  (themes) => themes.length >= 1 && themes.length <= 3,
  "needs 1 to 3 themes",
);
const modalitiesSchema = uniqueList(z.enum(MODALITY_CODES));
const workingLanguagesSchema = uniqueList(z.enum(LANGUAGE_CODES)).refine(
  (languages) => languages.length >= 1,
  "needs at least one working language",
);

const organizationSchema = z.strictObject({
  key: keySchema,
  name: textSchema,
  country: z.string().regex(/^[A-Z]{2}$/),
  type: z.enum(ORGANIZATION_TYPE_CODES),
  website: z.url({ protocol: /^https?$/ }).optional(),
});

const offerSchema = z.strictObject({
  key: keySchema,
  organization: keySchema,
  title: textSchema,
  summary: textSchema,
  description: textSchema.optional(),
  language: z.enum(LANGUAGE_CODES),
  themes: themesSchema,
  modalities: modalitiesSchema.refine((list) => list.length >= 1, "an offer needs a modality"),
  workingLanguages: workingLanguagesSchema,
  targetPopulation: textSchema.optional(),
  evidence: textSchema.optional(),
  capacityPerYear: z.int().min(1).optional(),
  costSharing: z.enum(COST_SHARING_CODES).optional(),
  status: z.enum(OFFER_STATUS_CODES).optional(),
});

const requestSchema = z
  .strictObject({
    key: keySchema,
    organization: keySchema,
    title: textSchema,
    summary: textSchema,
    description: textSchema.optional(),
    language: z.enum(LANGUAGE_CODES),
    themes: themesSchema,
    modalities: modalitiesSchema.optional(),
    workingLanguages: workingLanguagesSchema,
    desiredStart: z.iso.date().optional(),
    desiredEnd: z.iso.date().optional(),
    status: z.enum(REQUEST_STATUS_CODES).optional(),
  })
  .refine(
    (request) =>
      !request.desiredStart || !request.desiredEnd || request.desiredStart <= request.desiredEnd,
    { message: "desiredEnd is before desiredStart", path: ["desiredEnd"] },
  );

const catalogueSchema = z.strictObject({
  format: z.literal("cooperation-exchange/1"),
  organizations: z.array(organizationSchema),
  offers: z.array(offerSchema),
  requests: z.array(requestSchema),
});

type Catalogue = z.infer<typeof catalogueSchema>;

function readCatalogue(): Catalogue {
  const parsed = catalogueSchema.safeParse(JSON.parse(readFileSync(CATALOGUE_URL, "utf8")));
  if (!parsed.success) throw new Error(z.prettifyError(parsed.error));
  return parsed.data;
}

function duplicates(values: string[]): string[] {
  return values.filter((value, index) => values.indexOf(value) !== index);
}

const catalogue = readCatalogue();
const organizationsByKey = new Map(catalogue.organizations.map((org) => [org.key, org]));

describe("demo catalogue", () => {
  test("is a valid cooperation-exchange/1 document of a credible size", () => {
    expect(catalogue.organizations.length).toBeGreaterThanOrEqual(25);
    expect(catalogue.offers.length).toBeGreaterThanOrEqual(25);
    expect(catalogue.requests.length).toBeGreaterThanOrEqual(15);
  });

  test("keys are unique within each record type", () => {
    expect(duplicates(catalogue.organizations.map((org) => org.key))).toEqual([]);
    expect(duplicates(catalogue.offers.map((offer) => offer.key))).toEqual([]);
    expect(duplicates(catalogue.requests.map((request) => request.key))).toEqual([]);
  });

  test("every offer and request refers to an organization of the file", () => {
    const dangling = [...catalogue.offers, ...catalogue.requests]
      .filter((record) => !organizationsByKey.has(record.organization))
      .map((record) => `${record.key} -> ${record.organization}`);
    expect(dangling).toEqual([]);
  });

  test("every organization is in an OAS member state and owns at least one record", () => {
    const oasMembers = new Set(COUNTRIES.filter((c) => c.oasMember).map((c) => c.code));
    const owners = new Set(
      [...catalogue.offers, ...catalogue.requests].map((record) => record.organization),
    );
    for (const org of catalogue.organizations) {
      expect(oasMembers.has(org.country), `${org.key}: ${org.country}`).toBe(true);
      expect(owners.has(org.key), `${org.key} owns nothing`).toBe(true);
    }
  });

  test("every request has a desired period in 2027, end not before start", () => {
    for (const request of catalogue.requests) {
      const { desiredStart, desiredEnd } = request;
      expect(desiredStart?.startsWith("2027-"), `${request.key}: ${desiredStart}`).toBe(true);
      expect(desiredEnd?.startsWith("2027-"), `${request.key}: ${desiredEnd}`).toBe(true);
      expect(`${desiredStart}` <= `${desiredEnd}`, request.key).toBe(true);
    }
  });

  test("each team can work in the language its text is written in", () => {
    for (const record of [...catalogue.offers, ...catalogue.requests]) {
      expect(record.workingLanguages, record.key).toContain(record.language);
    }
  });

  test("offers are written in at least three languages and mix statuses like real data", () => {
    expect(new Set(catalogue.offers.map((offer) => offer.language)).size).toBeGreaterThanOrEqual(3);
    const offerStatuses = catalogue.offers.map((offer) => offer.status ?? "published");
    expect(offerStatuses).toContain("draft");
    expect(offerStatuses).toContain("archived");
    const requestStatuses = catalogue.requests.map((request) => request.status ?? "open");
    expect(requestStatuses).toContain("closed");
    expect(requestStatuses).toContain("draft");
    expect(requestStatuses.filter((status) => status === "open").length).toBeGreaterThan(
      catalogue.requests.length / 2,
    );
  });

  test("tells the demo story: Honduras asks for SBDC help, El Salvador's CONAMYPE offers CDMYPE", () => {
    const hondurasRequest = catalogue.requests.find(
      (request) =>
        organizationsByKey.get(request.organization)?.country === "HN" &&
        request.themes.includes("business-development-centers") &&
        (request.status ?? "open") === "open",
    );
    const salvadorOffer = catalogue.offers.find(
      (offer) =>
        offer.organization === "sv-conamype" &&
        offer.themes.includes("business-development-centers") &&
        (offer.status ?? "published") === "published",
    );
    expect(hondurasRequest?.key).toBe("hn-senprende-red-centros-desarrollo-empresarial");
    expect(salvadorOffer?.key).toBe("sv-conamype-modelo-cdmype");
    expect(organizationsByKey.get("sv-conamype")?.country).toBe("SV");

    // the pair must be matchable: a shared working language and a shared way of transfer
    const sharedLanguages = hondurasRequest?.workingLanguages.filter((language) =>
      salvadorOffer?.workingLanguages.includes(language),
    );
    expect(sharedLanguages).toContain("es");
    const sharedModalities = hondurasRequest?.modalities?.filter((modality) =>
      salvadorOffer?.modalities.includes(modality),
    );
    expect(sharedModalities?.length).toBeGreaterThan(0);
  });
});
