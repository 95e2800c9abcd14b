import { beforeAll, describe, expect, test } from "vitest";
import { loader as countryLoader } from "~/routes/countries.$code";
import { loader as dashboardCatalogueLoader } from "~/routes/dashboard_.catalogue";
import { action as offerAction, loader as offerLoader } from "~/routes/offers.$id";
import { action as editOfferAction, loader as editOfferLoader } from "~/routes/offers.$id_.edit";
import { loader as offersLoader } from "~/routes/offers._index";
import { action as newOfferAction, loader as newOfferLoader } from "~/routes/offers.new";
import { loader as organizationLoader } from "~/routes/organizations.$id";
import { loader as staleLoader } from "~/routes/staff_.stale";
import { getPrisma } from "~/utils/db.server";
import {
  backdate,
  ensureJobQueue,
  fieldErrors,
  getRequest,
  idFromLocation,
  insertOffer,
  monthsAgo,
  postRequest,
  respond,
  searchJobsFor,
  type FormFields,
} from "../factories/catalogue";
import { createLoggedInUser, createOrganization, uniqueSuffix } from "../factories/users";

beforeAll(async () => {
  await ensureJobQueue();
});

function validOffer(overrides: FormFields = {}): FormFields {
  return {
    title: `Centros de desarrollo empresarial ${uniqueSuffix()}`,
    summary: "Una red de centros que acompaña a las micro y pequeñas empresas.",
    description: "Cómo funciona: asesoría, capacitación y vinculación. Las ventas crecieron 18 % en dos años.",
    language: "es",
    themes: ["business-development-centers", "entrepreneurship"],
    modalities: ["study-visit", "expert-mission"],
    workingLanguages: ["es", "en"],
    targetPopulation: "Micro y pequeñas empresas",
    evidence: "",
    capacityPerYear: "3",
    costSharing: "shared",
    ...overrides,
  };
}

async function countOffers(organizationId: string) {
  return getPrisma().offer.count({ where: { organizationId } });
}

async function createDraft(cookie: string, overrides: FormFields = {}) {
  const response = await respond(newOfferAction, postRequest("/offers/new", validOffer(overrides), { cookie }));
  expect(response.status).toBe(302);
  return idFromLocation(response, "/offers/");
}

async function listedOfferIds(query: string): Promise<string[]> {
  const response = await respond(offersLoader, getRequest(`/offers${query}`));
  expect(response.status).toBe(200);
  const data = await response.json();
  return data.offers.items.map((item: { id: string }) => item.id);
}

describe("creating and editing", () => {
  test("a member creates a draft offer with every field, a generated key, its author and a search job", async () => {
    const { user, cookie } = await createLoggedInUser();
    const id = await createDraft(cookie, { title: "Centros de Desarrollo Empresarial" });

    const offer = await getPrisma().offer.findUniqueOrThrow({ where: { id }, include: { organization: { select: { key: true } } } });
    expect(offer).toMatchObject({
      status: "draft",
      organizationId: user.organizationId,
      createdById: user.id,
      updatedById: user.id,
      language: "es",
      themes: ["business-development-centers", "entrepreneurship"],
      modalities: ["study-visit", "expert-mission"],
      workingLanguages: ["es", "en"],
      targetPopulation: "Micro y pequeñas empresas",
      evidence: null,
      capacityPerYear: 3,
      costSharing: "shared",
    });
    expect(offer.key).toMatch(/^[a-z0-9][a-z0-9-]{1,79}$/);
    expect(offer.key.startsWith(`${offer.organization.key}-centros-de-desarrollo-empresarial-`)).toBe(true);
    expect(await searchJobsFor({ offerId: id })).toBeGreaterThan(0);
  });

  test("the new offer form needs a logged-in member of an organization", async () => {
    const anonymous = await respond(newOfferLoader, getRequest("/offers/new"));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);

    const { cookie: staffCookie } = await createLoggedInUser({ role: "staff" });
    const staffWithoutOrganization = await respond(newOfferAction, postRequest("/offers/new", validOffer(), { cookie: staffCookie }));
    expect(staffWithoutOrganization.status).toBe(403);
  });

  test("a member edits their offer and the change is recorded as theirs and queued for search", async () => {
    const { user, cookie } = await createLoggedInUser();
    const id = await createDraft(cookie);
    const before = await searchJobsFor({ offerId: id });

    const form = await respond(editOfferLoader, getRequest(`/offers/${id}/edit`, { cookie }), { id });
    expect(form.status).toBe(200);
    const response = await respond(
      editOfferAction,
      postRequest(`/offers/${id}/edit`, validOffer({ title: "Nuevo título", capacityPerYear: "", costSharing: "" }), { cookie }),
      { id },
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/offers/${id}`);
    const offer = await getPrisma().offer.findUniqueOrThrow({ where: { id } });
    expect(offer).toMatchObject({ title: "Nuevo título", updatedById: user.id, capacityPerYear: 2, costSharing: "to-be-negotiated" });
    // Each record's pending job is collapsed by its job key, so there is at least one, not one more.
    expect(await searchJobsFor({ offerId: id })).toBeGreaterThanOrEqual(Math.max(before, 1));
  });

  test("staff edit another organization's offer, and the edit is recorded as theirs", async () => {
    const { cookie } = await createLoggedInUser();
    const id = await createDraft(cookie);
    const { user: staff, cookie: staffCookie } = await createLoggedInUser({ role: "staff" });

    const response = await respond(editOfferAction, postRequest(`/offers/${id}/edit`, validOffer({ title: "Revisado por la OEA" }), { cookie: staffCookie }), {
      id,
    });
    expect(response.status).toBe(302);
    const offer = await getPrisma().offer.findUniqueOrThrow({ where: { id } });
    expect(offer.title).toBe("Revisado por la OEA");
    expect(offer.updatedById).toBe(staff.id);
  });
});

describe("publishing and visibility", () => {
  test("a draft is private to its organization and staff until published, then public and listed", async () => {
    const { cookie } = await createLoggedInUser();
    const organization = await createOrganization({ countryCode: "SV" });
    const { cookie: colleagueCookie } = await createLoggedInUser({ organizationId: organization.id });
    const { cookie: ownerCookie } = await createLoggedInUser({ organizationId: organization.id });
    const { cookie: staffCookie } = await createLoggedInUser({ role: "staff" });
    const id = await createDraft(ownerCookie, { themes: ["green-economy"], modalities: ["internship"] });

    expect((await respond(offerLoader, getRequest(`/offers/${id}`), { id })).status).toBe(404);
    expect((await respond(offerLoader, getRequest(`/offers/${id}`, { cookie }), { id })).status).toBe(404);
    expect((await respond(offerLoader, getRequest(`/offers/${id}`, { cookie: colleagueCookie }), { id })).status).toBe(200);
    expect((await respond(offerLoader, getRequest(`/offers/${id}`, { cookie: staffCookie }), { id })).status).toBe(200);
    expect(await listedOfferIds("?theme=green-economy&country=SV")).not.toContain(id);

    const published = await respond(offerAction, postRequest(`/offers/${id}`, { intent: "publish" }, { cookie: ownerCookie }), { id });
    expect(published.status).toBe(302);
    expect(published.headers.get("Location")).toBe(`/offers/${id}`);

    const anonymous = await respond(offerLoader, getRequest(`/offers/${id}`), { id });
    expect(anonymous.status).toBe(200);
    const page = await anonymous.json();
    expect(page.offer).toMatchObject({ id, status: "published", language: "es", evidenceLevel: "results-reported", stale: false });
    expect(page.offer.organization.countryCode).toBe("SV");
    expect(page.offer.publishedAt).not.toBeNull();
    expect(await listedOfferIds("?theme=green-economy&country=sv&modality=internship&language=es")).toContain(id);
    expect(await listedOfferIds("?theme=green-economy&modality=workshop")).not.toContain(id);
  });

  test("an agency member of another organization may request the program; its owners may not", async () => {
    const { cookie: ownerCookie, user: owner } = await createLoggedInUser();
    const offer = await insertOffer({ organizationId: owner.organizationId ?? "" });
    const { cookie: otherCookie } = await createLoggedInUser();

    const forOther = await (await respond(offerLoader, getRequest(`/offers/${offer.id}`, { cookie: otherCookie }), { id: offer.id })).json();
    expect(forOther.canRequest).toBe(true);
    expect(forOther.canManage).toBe(false);
    const forOwner = await (await respond(offerLoader, getRequest(`/offers/${offer.id}`, { cookie: ownerCookie }), { id: offer.id })).json();
    expect(forOwner.canRequest).toBe(false);
    expect(forOwner.intents).toEqual(["unpublish", "archive"]);
    const forAnonymous = await (await respond(offerLoader, getRequest(`/offers/${offer.id}`), { id: offer.id })).json();
    expect(forAnonymous.canRequest).toBe(false);
  });

  test("an archived offer leaves the list and the public page", async () => {
    const { cookie, user } = await createLoggedInUser();
    const offer = await insertOffer({ organizationId: user.organizationId ?? "", themes: ["labor-migration"] });
    expect(await listedOfferIds("?theme=labor-migration")).toContain(offer.id);

    const archived = await respond(offerAction, postRequest(`/offers/${offer.id}`, { intent: "archive" }, { cookie }), { id: offer.id });
    expect(archived.status).toBe(302);
    expect(await listedOfferIds("?theme=labor-migration")).not.toContain(offer.id);
    expect((await respond(offerLoader, getRequest(`/offers/${offer.id}`), { id: offer.id })).status).toBe(404);
    expect((await respond(offerLoader, getRequest(`/offers/${offer.id}`, { cookie }), { id: offer.id })).status).toBe(200);
    expect(await searchJobsFor({ offerId: offer.id })).toBeGreaterThan(0);
  });

  test("an action that does not apply to the offer's status answers 409 and changes nothing", async () => {
    const { cookie, user } = await createLoggedInUser();
    const offer = await insertOffer({ organizationId: user.organizationId ?? "", status: "draft" });
    const response = await respond(offerAction, postRequest(`/offers/${offer.id}`, { intent: "unpublish" }, { cookie }), { id: offer.id });
    expect(response.status).toBe(409);
    expect((await getPrisma().offer.findUniqueOrThrow({ where: { id: offer.id } })).status).toBe("draft");
  });

  test("the list pages and rejects a filter outside the vocabularies", async () => {
    const { user } = await createLoggedInUser();
    const theme = "disability-inclusion";
    for (let index = 0; index < 14; index += 1) await insertOffer({ organizationId: user.organizationId ?? "", themes: [theme] });

    const first = await (await respond(offersLoader, getRequest(`/offers?theme=${theme}`))).json();
    expect(first.offers.items).toHaveLength(12);
    expect(first.offers.pageCount).toBeGreaterThanOrEqual(2);
    const second = await (await respond(offersLoader, getRequest(`/offers?theme=${theme}&page=2`))).json();
    expect(second.offers.page).toBe(2);
    const firstIds = new Set(first.offers.items.map((item: { id: string }) => item.id));
    expect(second.offers.items.some((item: { id: string }) => firstIds.has(item.id))).toBe(false);

    const badTheme = await respond(offersLoader, getRequest("/offers?theme=astrology"));
    expect(badTheme.status).toBe(400);
    expect(await badTheme.text()).toContain("theme");
    expect((await respond(offersLoader, getRequest("/offers?page=zero"))).status).toBe(400);
  });
});

describe("authorization", () => {
  test("another organization's member gets 403 on the edit page, the edit and the status actions, and nothing changes", async () => {
    const { user: owner } = await createLoggedInUser();
    const offer = await insertOffer({ organizationId: owner.organizationId ?? "", title: "Original" });
    const { cookie: otherCookie } = await createLoggedInUser();
    const params = { id: offer.id };

    expect((await respond(editOfferLoader, getRequest(`/offers/${offer.id}/edit`, { cookie: otherCookie }), params)).status).toBe(403);
    expect(
      (await respond(editOfferAction, postRequest(`/offers/${offer.id}/edit`, validOffer({ title: "Hijacked" }), { cookie: otherCookie }), params))
        .status,
    ).toBe(403);
    expect((await respond(offerAction, postRequest(`/offers/${offer.id}`, { intent: "archive" }, { cookie: otherCookie }), params)).status).toBe(403);

    const stored = await getPrisma().offer.findUniqueOrThrow({ where: { id: offer.id } });
    expect(stored).toMatchObject({ title: "Original", status: "published" });
  });

  test("another organization's draft answers 404 on its edit page, never the form", async () => {
    const { user: owner } = await createLoggedInUser();
    const draft = await insertOffer({ organizationId: owner.organizationId ?? "", status: "draft" });
    const { cookie: otherCookie } = await createLoggedInUser();
    expect((await respond(editOfferLoader, getRequest(`/offers/${draft.id}/edit`, { cookie: otherCookie }), { id: draft.id })).status).toBe(404);
  });

  test("a pending member drafts but cannot publish: 403 with a message, and the draft stays a draft", async () => {
    const { cookie } = await createLoggedInUser({ status: "pending" });
    const id = await createDraft(cookie);

    const response = await respond(offerAction, postRequest(`/offers/${id}`, { intent: "publish" }, { cookie }), { id });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: "catalogue:errors.pendingCannotPublish" });
    expect((await getPrisma().offer.findUniqueOrThrow({ where: { id } })).status).toBe("draft");

    const page = await (await respond(offerLoader, getRequest(`/offers/${id}`, { cookie }), { id })).json();
    expect(page.intents).toEqual([]);
    expect(page.awaitingVerification).toBe(true);
    expect(page.canEdit).toBe(true);
  });

  test("a pending member cannot edit their organization's published offer", async () => {
    const organization = await createOrganization();
    const { cookie } = await createLoggedInUser({ organizationId: organization.id, status: "pending" });
    const offer = await insertOffer({ organizationId: organization.id });
    expect((await respond(editOfferLoader, getRequest(`/offers/${offer.id}/edit`, { cookie }), { id: offer.id })).status).toBe(403);
  });

  test("anonymous visitors posting a status change are sent to log in", async () => {
    const { user } = await createLoggedInUser();
    const offer = await insertOffer({ organizationId: user.organizationId ?? "" });
    const response = await respond(offerAction, postRequest(`/offers/${offer.id}`, { intent: "archive" }), { id: offer.id });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/login/);
  });

  test("an unknown or malformed id answers 404", async () => {
    expect((await respond(offerLoader, getRequest("/offers/00000000-0000-4000-8000-000000000000"), { id: "00000000-0000-4000-8000-000000000000" })).status).toBe(404);
    expect((await respond(offerLoader, getRequest("/offers/not-an-id"), { id: "not-an-id" })).status).toBe(404);
  });
});

describe("bad input", () => {
  const cases: Array<{ name: string; overrides: FormFields; field: string }> = [
    { name: "a theme outside the vocabulary", overrides: { themes: ["astrology"] }, field: "themes" },
    { name: "a modality outside the vocabulary", overrides: { modalities: ["telepathy"] }, field: "modalities" },
    { name: "a content language outside the vocabulary", overrides: { language: "de" }, field: "language" },
    { name: "an empty title", overrides: { title: "   " }, field: "title" },
    { name: "a missing summary", overrides: { summary: "" }, field: "summary" },
    { name: "no theme at all", overrides: { themes: [] }, field: "themes" },
    { name: "a capacity of 0", overrides: { capacityPerYear: "0" }, field: "capacityPerYear" },
    { name: "a capacity that is not a whole number", overrides: { capacityPerYear: "2.5" }, field: "capacityPerYear" },
    { name: "a 200 KB title", overrides: { title: "x".repeat(200 * 1024) }, field: "title" },
    { name: "a NUL character", overrides: { summary: "before\u0000after" }, field: "summary" },
    { name: "a cost sharing outside the vocabulary", overrides: { costSharing: "free" }, field: "costSharing" },
  ];

  for (const { name, overrides, field } of cases) {
    test(`${name}: 400 naming the field "${field}", nothing stored`, async () => {
      const { user, cookie } = await createLoggedInUser();
      const organizationId = user.organizationId ?? "";
      const response = await respond(newOfferAction, postRequest("/offers/new", validOffer(overrides), { cookie }));
      expect(response.status).toBe(400);
      const errors = await fieldErrors(response);
      expect(Object.keys(errors).some((key) => key === field || key.startsWith(`${field}[`))).toBe(true);
      expect(await countOffers(organizationId)).toBe(0);
    });
  }

  test("a bad edit answers 400 and leaves the offer as it was", async () => {
    const { user, cookie } = await createLoggedInUser();
    const offer = await insertOffer({ organizationId: user.organizationId ?? "", title: "Stays" });
    const response = await respond(editOfferAction, postRequest(`/offers/${offer.id}/edit`, validOffer({ title: "x".repeat(201) }), { cookie }), {
      id: offer.id,
    });
    expect(response.status).toBe(400);
    expect(Object.keys(await fieldErrors(response))).toContain("title");
    expect((await getPrisma().offer.findUniqueOrThrow({ where: { id: offer.id } })).title).toBe("Stays");
  });

  test("an unknown intent answers 400", async () => {
    const { user, cookie } = await createLoggedInUser();
    const offer = await insertOffer({ organizationId: user.organizationId ?? "" });
    const response = await respond(offerAction, postRequest(`/offers/${offer.id}`, { intent: "delete" }, { cookie }), { id: offer.id });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ field: "intent" });
  });
});

describe("keeping offers current", () => {
  test("a published offer untouched for 12 months is flagged stale to its owners and staff, and one click confirms it", async () => {
    const { user, cookie } = await createLoggedInUser();
    const { cookie: staffCookie } = await createLoggedInUser({ role: "staff" });
    const offer = await insertOffer({ organizationId: user.organizationId ?? "" });
    const fresh = await insertOffer({ organizationId: user.organizationId ?? "" });
    await backdate({ table: "offer", id: offer.id, to: monthsAgo(13) });
    await backdate({ table: "offer", id: fresh.id, to: monthsAgo(11) });

    const dashboard = await (await respond(dashboardCatalogueLoader, getRequest("/dashboard/catalogue", { cookie }))).json();
    const staleIds = dashboard.stale.offers.map((item: { id: string }) => item.id);
    expect(staleIds).toEqual([offer.id]);
    expect(dashboard.offers.find((item: { id: string }) => item.id === offer.id).stale).toBe(true);

    const staffList = await (await respond(staleLoader, getRequest("/staff/stale", { cookie: staffCookie }))).json();
    const staffIds = staffList.stale.offers.map((item: { id: string }) => item.id);
    expect(staffIds).toContain(offer.id);
    expect(staffIds).not.toContain(fresh.id);

    const detail = await (await respond(offerLoader, getRequest(`/offers/${offer.id}`, { cookie }), { id: offer.id })).json();
    expect(detail.offer.stale).toBe(true);
    expect(detail.intents).toContain("confirm-current");

    const confirmed = await respond(
      offerAction,
      postRequest(`/offers/${offer.id}`, { intent: "confirm-current", redirectTo: "/dashboard/catalogue" }, { cookie }),
      { id: offer.id },
    );
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("Location")).toBe("/dashboard/catalogue");
    const stored = await getPrisma().offer.findUniqueOrThrow({ where: { id: offer.id } });
    expect(Date.now() - stored.confirmedCurrentAt.getTime()).toBeLessThan(60_000);
    const after = await (await respond(dashboardCatalogueLoader, getRequest("/dashboard/catalogue", { cookie }))).json();
    expect(after.stale.offers).toEqual([]);
  });

  test("an edit counts as a confirmation: the offer is no longer stale", async () => {
    const { user, cookie } = await createLoggedInUser();
    const offer = await insertOffer({ organizationId: user.organizationId ?? "" });
    await backdate({ table: "offer", id: offer.id, to: monthsAgo(15) });
    expect((await (await respond(offerLoader, getRequest(`/offers/${offer.id}`), { id: offer.id })).json()).offer.stale).toBe(true);

    const edited = await respond(editOfferAction, postRequest(`/offers/${offer.id}/edit`, validOffer(), { cookie }), { id: offer.id });
    expect(edited.status).toBe(302);
    const page = await (await respond(offerLoader, getRequest(`/offers/${offer.id}`), { id: offer.id })).json();
    expect(page.offer.stale).toBe(false);
    expect(new Date(page.offer.lastConfirmedCurrentAt).getTime()).toBeGreaterThan(monthsAgo(1).getTime());
  });

  test("the staff stale list is for staff only", async () => {
    const { cookie } = await createLoggedInUser();
    expect((await respond(staleLoader, getRequest("/staff/stale", { cookie }))).status).toBe(403);
  });

  test("a redirect after confirming stays on this site", async () => {
    const { user, cookie } = await createLoggedInUser();
    const offer = await insertOffer({ organizationId: user.organizationId ?? "" });
    const response = await respond(
      offerAction,
      postRequest(`/offers/${offer.id}`, { intent: "confirm-current", redirectTo: "//evil.example/" }, { cookie }),
      { id: offer.id },
    );
    expect(response.headers.get("Location")).toBe(`/offers/${offer.id}`);
  });
});

describe("organization and country pages", () => {
  test("an organization's page lists its published offers to everyone and its drafts to its members only", async () => {
    const { user, cookie } = await createLoggedInUser();
    const organizationId = user.organizationId ?? "";
    const published = await insertOffer({ organizationId });
    const draft = await insertOffer({ organizationId, status: "draft" });

    const publicPage = await (await respond(organizationLoader, getRequest(`/organizations/${organizationId}`), { id: organizationId })).json();
    expect(publicPage.offers.map((item: { id: string }) => item.id)).toEqual([published.id]);
    expect(publicPage.canSeeRequests).toBe(false);
    const ownPage = await (await respond(organizationLoader, getRequest(`/organizations/${organizationId}`, { cookie }), { id: organizationId })).json();
    expect(ownPage.offers.map((item: { id: string }) => item.id).sort()).toEqual([published.id, draft.id].sort());
    expect((await respond(organizationLoader, getRequest("/organizations/nope"), { id: "nope" })).status).toBe(404);
  });

  test("a country page answers at its canonical upper-case URL and lists that country's published offers", async () => {
    const organization = await createOrganization({ countryCode: "UY" });
    const offer = await insertOffer({ organizationId: organization.id });

    const lower = await respond(countryLoader, getRequest("/countries/uy"), { code: "uy" });
    expect(lower.status).toBe(301);
    expect(lower.headers.get("Location")).toBe("/countries/UY");
    const page = await (await respond(countryLoader, getRequest("/countries/UY"), { code: "UY" })).json();
    expect(page.country.code).toBe("UY");
    expect(page.offers.map((item: { id: string }) => item.id)).toContain(offer.id);
    expect(page.organizations.map((item: { id: string }) => item.id)).toContain(organization.id);
    expect(page.canSeeRequests).toBe(false);
    expect((await respond(countryLoader, getRequest("/countries/XX"), { code: "XX" })).status).toBe(404);
    expect((await respond(countryLoader, getRequest("/countries/usa"), { code: "usa" })).status).toBe(404);
  });
});
