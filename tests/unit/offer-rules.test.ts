import { describe, expect, test } from "vitest";
import {
  availableOfferIntents,
  availableRequestIntents,
  buildRecordKey,
  decideEdit,
  decideStatusChange,
  evidenceLevel,
  isStale,
  lastConfirmedCurrent,
  nextOfferStatus,
  nextRequestStatus,
  randomKeySuffix,
  slugify,
  staleCutoff,
  type CatalogueActor,
} from "~/models/offer-rules";

const KEY_PATTERN = /^[a-z0-9][a-z0-9-]{1,79}$/;

describe("evidence level", () => {
  test("an evidence field that names an evaluation makes the offer evaluated", () => {
    expect(evidenceLevel({ evidence: "An impact evaluation (2019) found incomes rose 18%." })).toBe("evaluated");
    expect(evidenceLevel({ evidence: "Evaluación de impacto con grupo de control, BID 2020." })).toBe("evaluated");
    expect(evidenceLevel({ evidence: "Avaliação quase-experimental do IPEA." })).toBe("evaluated");
    expect(evidenceLevel({ evidence: "Une évaluation externe a été menée." })).toBe("evaluated");
    expect(evidenceLevel({ evidence: "A randomized controlled trial (RCT) with 2,000 firms." })).toBe("evaluated");
  });

  test("an evidence field with results but no evaluation reports results", () => {
    expect(evidenceLevel({ evidence: "12,000 firms served; 3,400 jobs created." })).toBe("results-reported");
    expect(evidenceLevel({ evidence: "Annual reports describe the results." })).toBe("results-reported");
  });

  test("a description with a quantified result reports results even without an evidence field", () => {
    expect(evidenceLevel({ description: "Sales of assisted firms grew 32 % in two years.", evidence: null })).toBe("results-reported");
  });

  test("a description that only mentions an evaluation does not make the offer evaluated", () => {
    expect(evidenceLevel({ description: "We plan an impact evaluation next year.", evidence: "" })).toBe("described");
  });

  test("an offer without evidence or figures is described", () => {
    expect(evidenceLevel({ description: "How the centers work, step by step.", evidence: "   " })).toBe("described");
    expect(evidenceLevel({})).toBe("described");
  });

  test("words that merely contain an evaluation stem do not count", () => {
    expect(evidenceLevel({ evidence: "The devaluation of the currency hurt exports." })).toBe("results-reported");
  });
});

describe("staleness", () => {
  const now = new Date("2026-11-23T12:00:00Z");

  test("the cutoff is twelve calendar months before now", () => {
    expect(staleCutoff(now).toISOString()).toBe("2025-11-23T12:00:00.000Z");
  });

  test("a published offer last edited and confirmed more than 12 months ago is stale", () => {
    const record = { kind: "offer" as const, status: "published", updatedAt: "2025-11-01T00:00:00Z", confirmedCurrentAt: "2025-10-01T00:00:00Z" };
    expect(isStale(record, now)).toBe(true);
  });

  test("a recent confirmation keeps an old record current", () => {
    const record = { kind: "offer" as const, status: "published", updatedAt: "2024-01-01T00:00:00Z", confirmedCurrentAt: "2026-06-01T00:00:00Z" };
    expect(isStale(record, now)).toBe(false);
  });

  test("a recent edit keeps a record current", () => {
    const record = { kind: "request" as const, status: "open", updatedAt: "2026-01-01T00:00:00Z", confirmedCurrentAt: "2020-01-01T00:00:00Z" };
    expect(isStale(record, now)).toBe(false);
  });

  test("exactly twelve months old is not yet stale", () => {
    const record = { kind: "offer" as const, status: "published", updatedAt: "2025-11-23T12:00:00Z", confirmedCurrentAt: "2025-11-23T12:00:00Z" };
    expect(isStale(record, now)).toBe(false);
  });

  test("drafts, archived offers and closed requests are never stale", () => {
    const old = { updatedAt: "2020-01-01T00:00:00Z", confirmedCurrentAt: "2020-01-01T00:00:00Z" };
    expect(isStale({ kind: "offer", status: "draft", ...old }, now)).toBe(false);
    expect(isStale({ kind: "offer", status: "archived", ...old }, now)).toBe(false);
    expect(isStale({ kind: "request", status: "closed", ...old }, now)).toBe(false);
    expect(isStale({ kind: "request", status: "draft", ...old }, now)).toBe(false);
    expect(isStale({ kind: "request", status: "open", ...old }, now)).toBe(true);
  });

  test("the last confirmed date is the later of the edit and the confirmation", () => {
    const date = lastConfirmedCurrent({ updatedAt: new Date("2026-02-01T00:00:00Z"), confirmedCurrentAt: "2026-03-01T00:00:00Z" });
    expect(date.toISOString()).toBe("2026-03-01T00:00:00.000Z");
  });
});

describe("status changes", () => {
  test("offers move between draft, published and archived", () => {
    expect(nextOfferStatus("draft", "publish")).toBe("published");
    expect(nextOfferStatus("published", "unpublish")).toBe("draft");
    expect(nextOfferStatus("published", "archive")).toBe("archived");
    expect(nextOfferStatus("archived", "publish")).toBe("published");
    expect(nextOfferStatus("archived", "archive")).toBeNull();
    expect(nextOfferStatus("draft", "confirm-current")).toBeNull();
  });

  test("requests move between draft, open and closed", () => {
    expect(nextRequestStatus("draft", "publish")).toBe("open");
    expect(nextRequestStatus("open", "close")).toBe("closed");
    expect(nextRequestStatus("closed", "publish")).toBe("open");
    expect(nextRequestStatus("closed", "unpublish")).toBeNull();
    expect(nextRequestStatus("open", "confirm-current")).toBe("open");
  });

  test("a page offers only the buttons that apply", () => {
    expect(availableOfferIntents("draft")).toEqual(["publish", "archive"]);
    expect(availableOfferIntents("published")).toEqual(["unpublish", "archive", "confirm-current"]);
    expect(availableRequestIntents("closed")).toEqual(["publish"]);
  });
});

describe("who may change a record", () => {
  const organizationId = "11111111-1111-4111-8111-111111111111";
  const otherOrganizationId = "22222222-2222-4222-8222-222222222222";
  const member: CatalogueActor = { id: "u1", role: "member", status: "active", organizationId };
  const pending: CatalogueActor = { ...member, status: "pending" };
  const outsider: CatalogueActor = { ...member, organizationId: otherOrganizationId };
  const staff: CatalogueActor = { id: "s1", role: "staff", status: "active", organizationId: null };

  test("a member edits and publishes their organization's records", () => {
    expect(decideEdit(member, { organizationId, status: "published" })).toBe("allowed");
    expect(decideStatusChange(member, { organizationId })).toBe("allowed");
  });

  test("another organization's member may do neither", () => {
    expect(decideEdit(outsider, { organizationId, status: "draft" })).toBe("not-owner");
    expect(decideStatusChange(outsider, { organizationId })).toBe("not-owner");
  });

  test("a pending member edits drafts but publishes nothing and edits nothing public", () => {
    expect(decideEdit(pending, { organizationId, status: "draft" })).toBe("allowed");
    expect(decideEdit(pending, { organizationId, status: "published" })).toBe("pending");
    expect(decideStatusChange(pending, { organizationId })).toBe("pending");
  });

  test("staff edit and publish any organization's records", () => {
    expect(decideEdit(staff, { organizationId, status: "published" })).toBe("allowed");
    expect(decideStatusChange(staff, { organizationId })).toBe("allowed");
  });
});

describe("record keys", () => {
  test("a key joins the organization key, the title and a suffix, without accents", () => {
    expect(buildRecordKey({ organizationKey: "conamype", title: "Centros de Desarrollo Empresarial (CDMYPE)", suffix: "k3x9q2" })).toBe(
      "conamype-centros-de-desarrollo-empresarial-cdmype-k3x9q2",
    );
  });

  test("keys of long or odd titles still match the exchange key pattern", () => {
    const longTitle = "Programa de fortalecimiento ".repeat(20);
    const key = buildRecordKey({ organizationKey: "a".repeat(80), title: longTitle, suffix: "abc123" });
    expect(key).toMatch(KEY_PATTERN);
    expect(key.endsWith("-abc123")).toBe(true);
    expect(buildRecordKey({ organizationKey: "org", title: "¿¡!!", suffix: "zz9999" })).toBe("org-zz9999");
    expect(buildRecordKey({ organizationKey: "", title: "—", suffix: "zz9999" })).toMatch(KEY_PATTERN);
  });

  test("slugs fold accents and punctuation", () => {
    expect(slugify("Émprendimiento  Jóven / Ñandú")).toBe("emprendimiento-joven-nandu");
  });

  test("random suffixes are six lowercase letters or digits", () => {
    expect(randomKeySuffix()).toMatch(/^[a-z0-9]{6}$/);
    expect(randomKeySuffix(() => 0.999999)).toBe("999999");
  });
});
