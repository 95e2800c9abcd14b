// The development set of the matching evaluation (tests/fixtures/matching/) is what issue 6
// asks for: a valid exchange file of at least 40 offers and 25 requests in English, Spanish and
// Portuguese, with graded judgments on real keys, cross-lingual requests and requests that no
// offer serves well.
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { z } from "zod";
import { isCrossLingual } from "~/matching/metrics";
import { validateExchangeFile } from "~/schemas/exchange";

const catalogue: unknown = JSON.parse(readFileSync("tests/fixtures/matching/dev-catalogue.json", "utf8"));
const judgments = z
  .strictObject({
    judgments: z.array(z.strictObject({ request: z.string(), offer: z.string(), grade: z.number().int().min(1).max(3) })),
  })
  .parse(JSON.parse(readFileSync("tests/fixtures/matching/dev-judgments.json", "utf8"))).judgments;

function parsedCatalogue() {
  const validation = validateExchangeFile(catalogue);
  if (!validation.ok) throw new Error(validation.errors.join("\n"));
  return validation.file;
}

test("the development catalogue is a valid exchange file of at least 40 offers and 25 requests in English, Spanish and Portuguese", () => {
  const file = parsedCatalogue();

  expect(file.offers.length).toBeGreaterThanOrEqual(40);
  expect(file.requests.length).toBeGreaterThanOrEqual(25);
  for (const records of [file.offers, file.requests]) {
    for (const language of ["en", "es", "pt"]) expect(records.some((record) => record.language === language)).toBe(true);
  }
});

test("judgments grade real, matchable pairs once each: an open request and a published offer of another country", () => {
  const file = parsedCatalogue();
  const country = new Map(file.organizations.map((organization) => [organization.key, organization.country]));
  const offers = new Map(file.offers.map((offer) => [offer.key, offer]));
  const requests = new Map(file.requests.map((request) => [request.key, request]));

  const pairs = judgments.map((judgment) => `${judgment.request}|${judgment.offer}`);
  expect(new Set(pairs).size).toBe(pairs.length);
  for (const judgment of judgments) {
    const offer = offers.get(judgment.offer);
    const request = requests.get(judgment.request);
    expect(offer, judgment.offer).toBeDefined();
    expect(request, judgment.request).toBeDefined();
    expect(offer?.status ?? "published").toBe("published");
    expect(request?.status ?? "open").toBe("open");
    expect(country.get(offer?.organization ?? ""), `${judgment.request} -> ${judgment.offer}`).not.toBe(
      country.get(request?.organization ?? "")
    );
  }
});

test("the set has cross-lingual requests, requests without any good offer, and every grade", () => {
  const file = parsedCatalogue();
  const offerLanguage = new Map(file.offers.map((offer) => [offer.key, offer.language]));
  const grades = new Map<string, Map<string, number>>();
  for (const judgment of judgments) {
    const byOffer = grades.get(judgment.request) ?? new Map<string, number>();
    byOffer.set(judgment.offer, judgment.grade);
    grades.set(judgment.request, byOffer);
  }

  const crossLingual = file.requests.filter((request) =>
    isCrossLingual(request.language, grades.get(request.key) ?? new Map(), (key) => offerLanguage.get(key))
  );
  const withoutGoodOffer = file.requests.filter((request) => !grades.has(request.key));
  expect(crossLingual.length).toBeGreaterThanOrEqual(10);
  expect(withoutGoodOffer.length).toBeGreaterThanOrEqual(2);
  expect(new Set(judgments.map((judgment) => judgment.grade))).toEqual(new Set([1, 2, 3]));
});
