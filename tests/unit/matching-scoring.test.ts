import { expect, test } from "vitest";
import { loadMatchingConfig } from "~/matching/config";
import { FeedbackIndex, staffFeedback, type DecidedPairing } from "~/matching/feedback";
import { ndcgAt, precisionAt1, recallAt, isCrossLingual } from "~/matching/metrics";
import { buildReasons, prepareOffer, prepareRequest, scorePair, type MatchOffer, type MatchRequest } from "~/matching/scoring";
import { buildTextProfile, cosineSimilarity, stem } from "~/matching/text";
import { NO_FEEDBACK } from "~/matching/feedback";

const config = loadMatchingConfig();
const now = new Date("2026-11-23T12:00:00Z");

function matchRequest(fields: Partial<MatchRequest> = {}): MatchRequest {
  return {
    id: "request-1",
    key: "hn-centers",
    organizationId: "org-hn",
    countryCode: "HN",
    subregion: "central-america",
    countryNames: { en: "Honduras", es: "Honduras" },
    title: "Red nacional de centros de desarrollo empresarial",
    summary: "Queremos instalar centros que asesoren a micro y pequeñas empresas, operados con universidades.",
    description: null,
    language: "es",
    themes: ["business-development-centers"],
    modalities: ["study-visit"],
    workingLanguages: ["es"],
    desiredStart: new Date("2027-03-01"),
    desiredEnd: null,
    ...fields,
  };
}

function matchOffer(fields: Partial<MatchOffer> = {}): MatchOffer {
  return {
    id: "offer-1",
    key: "sv-cdmype",
    organizationId: "org-sv",
    countryCode: "SV",
    subregion: "central-america",
    countryNames: { en: "El Salvador", es: "El Salvador" },
    title: "Modelo CDMYPE: centros de desarrollo de la micro y pequeña empresa con universidades",
    summary: "Centros de desarrollo empresarial operados con universidades que asesoran a micro y pequeñas empresas.",
    description: null,
    targetPopulation: null,
    evidence: null,
    language: "es",
    themes: ["business-development-centers"],
    modalities: ["study-visit", "internship"],
    workingLanguages: ["es", "en"],
    capacityPerYear: 2,
    updatedAt: now,
    confirmedCurrentAt: now,
    ...fields,
  };
}

function score(request: MatchRequest, offer: MatchOffer, consumed = 0) {
  return scorePair({
    request: prepareRequest(request),
    offer: prepareOffer(offer),
    context: { now, consumed, trackRecord: { completed: 0, averageRating: null }, feedback: NO_FEEDBACK },
    config,
  });
}

test("the same subject in Spanish, Portuguese and English shares concepts, and an unrelated one does not", () => {
  const spanish = buildTextProfile({ title: "Transferencias monetarias condicionadas a la asistencia escolar", summary: "" });
  const portuguese = buildTextProfile({ title: "Transferência de renda com condicionalidades de frequência escolar", summary: "" });
  const english = buildTextProfile({ title: "Conditional cash transfers linked to school attendance", summary: "" });
  const unrelated = buildTextProfile({ title: "Transferencia tecnológica para la agroindustria", summary: "" });

  expect(cosineSimilarity(spanish, english)).toBeGreaterThan(0.3);
  expect(cosineSimilarity(spanish, portuguese)).toBeGreaterThan(0.3);
  expect(cosineSimilarity(spanish, unrelated)).toBeLessThan(0.15);
  expect([stem("formalización"), stem("formalização"), stem("formalization")]).toEqual(["formal", "formal", "formal"]);
});

test("a score is the sum of its factors' points, between 0 and 100, with reasons in English and Spanish", () => {
  const result = score(matchRequest(), matchOffer(), 0);

  const points = Object.values(result.factors).reduce((sum, factor) => sum + factor.points, 0);
  expect(result.score).toBeCloseTo(points, 1);
  expect(result.score).toBeGreaterThan(70);
  expect(result.score).toBeLessThanOrEqual(100);
  const reasons = buildReasons({ request: prepareRequest(matchRequest()), offer: prepareOffer(matchOffer()), result });
  expect(reasons.en).toHaveLength(3);
  expect(reasons.es).toHaveLength(3);
  expect(reasons.en).toContain("Same theme: business development centers (SBDC model)");
  expect(reasons.es).toContain("Ambas organizaciones trabajan en español");
  expect(reasons.en.join(" ")).not.toMatch(/undefined|NaN/);
});

test("capacity and language show in the reasons, and the lack of a shared language halves the score", () => {
  const withLanguage = score(matchRequest(), matchOffer());
  const full = score(matchRequest(), matchOffer(), 2);
  const noLanguage = score(matchRequest(), matchOffer({ workingLanguages: ["pt"] }));

  expect(buildReasons({ request: prepareRequest(matchRequest()), offer: prepareOffer(matchOffer()), result: full }).en[0]).toBe(
    "El Salvador has no capacity left for this program this year"
  );
  expect(noLanguage.sharedLanguage).toBe(false);
  expect(noLanguage.score).toBeLessThanOrEqual(withLanguage.score * config.rules.noSharedLanguageScoreFactor + 0.01);
  expect(buildReasons({ request: prepareRequest(matchRequest()), offer: prepareOffer(matchOffer({ workingLanguages: ["pt"] })), result: noLanguage }).es[0]).toMatch(
    /^Sin idioma de trabajo común \(español \/ portugués\)/
  );
});

test("staff feedback is bounded however many similar rejections there are", () => {
  const decisions: DecidedPairing[] = Array.from({ length: 50 }, (_, index) => ({
    requestId: `other-${index}`,
    offerId: "offer-1",
    status: "rejected",
    rejectionReason: "not-relevant",
    decidedAt: now,
    requestOrganizationId: `org-${index}`,
    requestThemes: ["business-development-centers"],
    requestWorkingLanguages: ["es"],
    requestDesiredStart: null,
    offerOrganizationId: "org-sv",
  }));
  const index = new FeedbackIndex(decisions);
  const request = matchRequest();
  const feedback = staffFeedback({
    request,
    offer: matchOffer(),
    decisions: index.concerning(request, matchOffer()),
    config: config.staffFeedback,
    now,
  });

  expect(feedback.adjustment).toBe(-1);
  expect(feedback.points).toBe(-config.staffFeedback.maxPoints);
  // Another offer is untouched, and "other" teaches nothing beyond the pair itself.
  expect(index.concerning(request, matchOffer({ id: "offer-2" }))).toEqual([]);
  const other = staffFeedback({
    request,
    offer: matchOffer(),
    decisions: [{ ...decisions[0], rejectionReason: "other" }],
    config: config.staffFeedback,
    now,
  });
  expect(other.points).toBe(0);
});

test("an already-cooperating rejection lowers every offer of that organization for that requesting organization only", () => {
  const decision: DecidedPairing = {
    requestId: "old-request",
    offerId: "offer-9",
    status: "rejected",
    rejectionReason: "already-cooperating",
    decidedAt: now,
    requestOrganizationId: "org-hn",
    requestThemes: ["msme-finance"],
    requestWorkingLanguages: ["es"],
    requestDesiredStart: null,
    offerOrganizationId: "org-sv",
  };
  const index = new FeedbackIndex([decision]);
  const same = matchRequest();
  const otherOrganization = matchRequest({ organizationId: "org-gt" });
  const feedbackFor = (request: MatchRequest) =>
    staffFeedback({ request, offer: matchOffer(), decisions: index.concerning(request, matchOffer()), config: config.staffFeedback, now });

  expect(feedbackFor(same).points).toBe(-config.staffFeedback.maxPoints * config.staffFeedback.rejection["already-cooperating"]);
  expect(feedbackFor(otherOrganization).points).toBe(0);
});

test("ranking metrics follow their textbook definitions", () => {
  const grades = new Map([
    ["a", 3],
    ["b", 2],
    ["c", 1],
  ]);
  expect(ndcgAt(5, ["a", "b", "c"], grades)).toBeCloseTo(1, 10);
  expect(ndcgAt(5, ["x", "a"], grades)).toBeCloseTo(7 / Math.log2(3) / (7 + 3 / Math.log2(3) + 1 / 2), 10);
  expect(recallAt(10, ["c", "x"], grades)).toBeCloseTo(1 / 3, 10);
  expect(precisionAt1(["x", "a"], grades)).toBe(0);
  expect(isCrossLingual("en", grades, (key) => (key === "a" ? "es" : "en"))).toBe(true);
  expect(isCrossLingual("es", grades, (key) => (key === "a" ? "es" : "en"))).toBe(false);
});
