// The exchange-format validator on its own: what it accepts, what it fills in, and how each
// problem is worded. The database side (nothing written, member scope) is in
// tests/integration/exchange.test.ts.
import { describe, expect, test } from "vitest";
import {
  countExchangeRecords,
  isCalendarDate,
  parseExchangeJson,
  referencedOrganizationKeys,
  validateExchangeFile,
} from "~/schemas/exchange";

const organization = { key: "sv-agency", name: "Agencia", country: "SV", type: "agency" };
const offer = {
  key: "sv-offer",
  organization: "sv-agency",
  title: "Programa",
  summary: "Resumen",
  language: "es",
  themes: ["entrepreneurship"],
  modalities: ["workshop"],
  workingLanguages: ["es"],
};
const request = {
  key: "sv-request",
  organization: "sv-agency",
  title: "Necesidad",
  summary: "Resumen",
  language: "es",
  themes: ["entrepreneurship"],
  workingLanguages: ["es"],
};

function fileWith(records: { organizations?: unknown[]; offers?: unknown[]; requests?: unknown[] }) {
  return { format: "cooperation-exchange/1", organizations: [organization], offers: [], requests: [], ...records };
}

function errorsOf(input: unknown): string[] {
  const result = validateExchangeFile(input);
  return result.ok ? [] : result.errors;
}

describe("accepted files", () => {
  test("defaults are filled in: capacity 2, cost to be negotiated, offers published, requests open with any modality", () => {
    const result = validateExchangeFile(fileWith({ offers: [offer], requests: [request] }));
    if (!result.ok) throw new Error(result.errors.join("\n"));
    expect(result.file.offers[0]).toMatchObject({ capacityPerYear: 2, costSharing: "to-be-negotiated", status: "published" });
    expect(result.file.requests[0]).toMatchObject({ status: "open", modalities: [] });
  });

  test("null and blank optional values count as absent; text is trimmed", () => {
    const result = validateExchangeFile(
      fileWith({
        organizations: [{ ...organization, name: "  Agencia  ", website: null }],
        offers: [{ ...offer, description: "   ", evidence: null, status: null, capacityPerYear: null }],
        requests: [{ ...request, desiredStart: "", desiredEnd: null }],
      }),
    );
    if (!result.ok) throw new Error(result.errors.join("\n"));
    expect(result.file.organizations[0]).toEqual({ key: "sv-agency", name: "Agencia", country: "SV", type: "agency" });
    expect(result.file.offers[0].description).toBeUndefined();
    expect(result.file.offers[0]).toMatchObject({ status: "published", capacityPerYear: 2 });
    expect(result.file.requests[0].desiredStart).toBeUndefined();
  });

  test("a file may leave out sections it has nothing for", () => {
    const result = validateExchangeFile(
      { format: "cooperation-exchange/1", offers: [offer] },
      { knownOrganizationKeys: new Set(["sv-agency"]) },
    );
    expect(result.ok).toBe(true);
  });

  test("an end date equal to the start date is fine", () => {
    expect(errorsOf(fileWith({ requests: [{ ...request, desiredStart: "2027-03-01", desiredEnd: "2027-03-01" }] }))).toEqual([]);
  });
});

describe("problems, one line each, naming the record and the field", () => {
  test("keys: shape, and records without a usable key are named by position", () => {
    expect(errorsOf(fileWith({ offers: [{ ...offer, key: "-starts-with-hyphen" }, { ...offer, key: "x" }] }))).toEqual([
      'offers[0]: key: "-starts-with-hyphen" is not a valid key: 2 to 80 characters, lowercase letters a-z, digits and hyphens, starting with a letter or digit',
      'offers[1]: key: "x" is not a valid key: 2 to 80 characters, lowercase letters a-z, digits and hyphens, starting with a letter or digit',
    ]);
    expect(errorsOf(fileWith({ offers: [{ ...offer, key: "a".repeat(81) }] }))[0]).toMatch(/^offers\[0\]: key: /);
    expect(errorsOf(fileWith({ offers: [{ ...offer, key: "a".repeat(80) }] }))).toEqual([]);
  });

  test("a record that is not an object", () => {
    expect(errorsOf(fileWith({ requests: [42] }))).toEqual(["requests[0]: record: expected an object, got 42"]);
  });

  test("codes repeated in a list", () => {
    expect(errorsOf(fileWith({ offers: [{ ...offer, workingLanguages: ["es", "en", "es"] }] }))).toEqual([
      'sv-offer: workingLanguages: "es" listed more than once',
    ]);
  });

  test("capacity must be a whole number of at least 1", () => {
    expect(errorsOf(fileWith({ offers: [{ ...offer, capacityPerYear: 1.5 }] }))).toEqual([
      "sv-offer: capacityPerYear: expected a whole number, got 1.5",
    ]);
    expect(errorsOf(fileWith({ offers: [{ ...offer, capacityPerYear: -3 }] }))).toEqual([
      "sv-offer: capacityPerYear: must be at least 1",
    ]);
  });

  test("websites must be http or https URLs", () => {
    for (const website of ["javascript:alert(1)", "mailto:info@example.org", "www.example.org"]) {
      expect(errorsOf(fileWith({ organizations: [{ ...organization, website }] }))).toEqual([
        `sv-agency: website: expected an http:// or https:// URL, got ${JSON.stringify(website)}`,
      ]);
    }
  });

  test("country codes are two capital letters", () => {
    expect(errorsOf(fileWith({ organizations: [{ ...organization, country: "SLV" }] }))).toEqual([
      'sv-agency: country: expected an ISO 3166-1 alpha-2 country code in capitals (e.g. "SV"), got "SLV"',
    ]);
  });

  test("text may not contain NUL, which PostgreSQL cannot store", () => {
    expect(errorsOf(fileWith({ offers: [{ ...offer, summary: "a\u0000b" }] }))).toEqual([
      "sv-offer: summary: must not contain the NUL character (\\u0000)",
    ]);
  });

  test("dates are strictly YYYY-MM-DD and on the calendar", () => {
    const problems = ["2027-2-01", "2027-02-01T00:00:00Z", "2027-13-01", "2026-02-29"].map(
      (desiredStart) => errorsOf(fileWith({ requests: [{ ...request, desiredStart }] }))[0],
    );
    expect(problems).toEqual([
      'sv-request: desiredStart: expected a date as YYYY-MM-DD, got "2027-2-01"',
      'sv-request: desiredStart: expected a date as YYYY-MM-DD, got "2027-02-01T00:00:00Z"',
      'sv-request: desiredStart: "2027-13-01" is not a real calendar date',
      'sv-request: desiredStart: "2026-02-29" is not a real calendar date',
    ]);
    expect(isCalendarDate("2028-02-29")).toBe(true);
  });

  test("a duplicate key is reported once per extra use, per record type", () => {
    const errors = errorsOf(
      fileWith({
        organizations: [organization, { ...organization, name: "Again" }],
        offers: [offer, { ...offer, key: "sv-agency" }],
      }),
    );
    // An offer may share a key with an organization: keys are unique per record type.
    expect(errors).toEqual(["sv-agency: key: duplicate key: organizations[0] and organizations[1] both use it"]);
  });

  test("an invalid organization record does not also make its offers dangle", () => {
    expect(errorsOf(fileWith({ organizations: [{ ...organization, type: "bank" }], offers: [offer] }))).toHaveLength(1);
  });
});

describe("helpers for callers", () => {
  test("referenced organization keys and the record count are read from an unvalidated file", () => {
    const input = fileWith({ offers: [offer, { ...offer, key: "other", organization: "elsewhere" }], requests: [request, "junk"] });
    expect(referencedOrganizationKeys(input).sort()).toEqual(["elsewhere", "sv-agency"]);
    expect(countExchangeRecords(input)).toBe(5);
    expect(referencedOrganizationKeys("not a file")).toEqual([]);
  });

  test("JSON with a byte order mark parses; broken JSON is a file-level error", () => {
    expect(parseExchangeJson('\uFEFF{"format":"cooperation-exchange/1"}')).toEqual({
      ok: true,
      value: { format: "cooperation-exchange/1" },
    });
    const broken = parseExchangeJson("{");
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.errors[0]).toMatch(/^file: json: not valid JSON: /);
  });
});
