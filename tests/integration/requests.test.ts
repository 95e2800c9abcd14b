import { beforeAll, describe, expect, test } from "vitest";
import { loader as countryLoader } from "~/routes/countries.$code";
import { loader as dashboardCatalogueLoader } from "~/routes/dashboard_.catalogue";
import { loader as organizationLoader } from "~/routes/organizations.$id";
import { action as requestAction, loader as requestLoader } from "~/routes/requests.$id";
import { action as editRequestAction, loader as editRequestLoader } from "~/routes/requests.$id_.edit";
import { loader as requestsLoader } from "~/routes/requests._index";
import { action as newRequestAction, loader as newRequestLoader } from "~/routes/requests.new";
import { loader as staleLoader } from "~/routes/staff_.stale";
import { getPrisma } from "~/utils/db.server";
import {
  backdate,
  ensureJobQueue,
  fieldErrors,
  getRequest,
  idFromLocation,
  insertOffer,
  insertRequest,
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

function validRequest(overrides: FormFields = {}): FormFields {
  return {
    title: `Fortalecer el empleo juvenil ${uniqueSuffix()}`,
    summary: "Buscamos apoyo para diseñar un programa de primer empleo.",
    description: "",
    language: "es",
    themes: ["youth-employment"],
    modalities: [],
    workingLanguages: ["es"],
    desiredStart: "2027-03-01",
    desiredEnd: "2027-09-30",
    ...overrides,
  };
}

async function createDraft(cookie: string, overrides: FormFields = {}) {
  const response = await respond(newRequestAction, postRequest("/requests/new", validRequest(overrides), { cookie }));
  expect(response.status).toBe(302);
  return idFromLocation(response, "/requests/");
}

async function listedRequestIds(cookie: string, query = ""): Promise<string[]> {
  const response = await respond(requestsLoader, getRequest(`/requests${query}`, { cookie }));
  expect(response.status).toBe(200);
  const data = await response.json();
  return data.requests.items.map((item: { id: string }) => item.id);
}

describe("who sees requests", () => {
  test("anonymous visitors are sent to log in, from the list and from a request", async () => {
    const { user } = await createLoggedInUser();
    const open = await insertRequest({ organizationId: user.organizationId ?? "" });
    const list = await respond(requestsLoader, getRequest("/requests"));
    expect(list.status).toBe(302);
    expect(list.headers.get("Location")).toBe("/login?redirectTo=%2Frequests");
    const detail = await respond(requestLoader, getRequest(`/requests/${open.id}`), { id: open.id });
    expect(detail.status).toBe(302);
    expect(detail.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });

  test("anonymous visitors see no requests on organization and country pages", async () => {
    const organization = await createOrganization({ countryCode: "PY" });
    await insertRequest({ organizationId: organization.id });
    const organizationPage = await (await respond(organizationLoader, getRequest(`/organizations/${organization.id}`), { id: organization.id })).json();
    expect(organizationPage.requests).toEqual([]);
    const countryPage = await (await respond(countryLoader, getRequest("/countries/PY"), { code: "PY" })).json();
    expect(countryPage.requests).toEqual([]);
    expect(countryPage.requestCount).toBe(0);
  });

  test("a pending member gets 403 on the list and 404 on another organization's open request", async () => {
    const { user } = await createLoggedInUser();
    const open = await insertRequest({ organizationId: user.organizationId ?? "" });
    const { cookie } = await createLoggedInUser({ status: "pending" });
    const list = await respond(requestsLoader, getRequest("/requests", { cookie }));
    expect(list.status).toBe(403);
    expect(await list.json()).toMatchObject({ verified: false });
    expect((await respond(requestLoader, getRequest(`/requests/${open.id}`, { cookie }), { id: open.id })).status).toBe(404);
  });

  test("a verified member and staff read open requests; drafts stay within the organization", async () => {
    const { user: owner, cookie: ownerCookie } = await createLoggedInUser();
    const organizationId = owner.organizationId ?? "";
    const open = await insertRequest({ organizationId, themes: ["early-childhood"] });
    const draft = await insertRequest({ organizationId, status: "draft", themes: ["early-childhood"] });
    const { cookie: otherCookie } = await createLoggedInUser();
    const { cookie: staffCookie } = await createLoggedInUser({ role: "staff" });

    const seenByOther = await listedRequestIds(otherCookie, "?theme=early-childhood");
    expect(seenByOther).toContain(open.id);
    expect(seenByOther).not.toContain(draft.id);
    expect((await respond(requestLoader, getRequest(`/requests/${draft.id}`, { cookie: otherCookie }), { id: draft.id })).status).toBe(404);
    expect((await respond(requestLoader, getRequest(`/requests/${draft.id}`, { cookie: ownerCookie }), { id: draft.id })).status).toBe(200);
    expect((await respond(requestLoader, getRequest(`/requests/${draft.id}`, { cookie: staffCookie }), { id: draft.id })).status).toBe(200);
    expect(await listedRequestIds(staffCookie, "?theme=early-childhood")).toContain(open.id);
  });
});

test("staff are offered brokering on an open request; members, and staff on a draft, are not", async () => {
  const { user: owner, cookie: ownerCookie } = await createLoggedInUser();
  const organizationId = owner.organizationId ?? "";
  const open = await insertRequest({ organizationId });
  const draft = await insertRequest({ organizationId, status: "draft" });
  const { cookie: staffCookie } = await createLoggedInUser({ role: "staff" });
  const canBroker = async (id: string, cookie: string) => (await (await respond(requestLoader, getRequest(`/requests/${id}`, { cookie }), { id })).json()).canBroker;

  expect(await canBroker(open.id, staffCookie)).toBe(true);
  expect(await canBroker(draft.id, staffCookie)).toBe(false);
  expect(await canBroker(open.id, ownerCookie)).toBe(false);
});

describe("creating, publishing and editing", () => {
  test("a member drafts a request, publishes it, and other verified members then find it", async () => {
    const { user, cookie } = await createLoggedInUser();
    const { cookie: otherCookie } = await createLoggedInUser();
    const id = await createDraft(cookie, { themes: ["social-economy"], modalities: ["workshop"] });

    const stored = await getPrisma().request.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({ status: "draft", createdById: user.id, updatedById: user.id, modalities: ["workshop"] });
    expect(stored.desiredStart?.toISOString().slice(0, 10)).toBe("2027-03-01");
    expect(stored.key).toMatch(/^[a-z0-9][a-z0-9-]{1,79}$/);
    expect(await searchJobsFor({ requestId: id })).toBeGreaterThan(0);
    expect(await listedRequestIds(otherCookie, "?theme=social-economy")).not.toContain(id);

    const published = await respond(requestAction, postRequest(`/requests/${id}`, { intent: "publish" }, { cookie }), { id });
    expect(published.status).toBe(302);
    expect((await getPrisma().request.findUniqueOrThrow({ where: { id } })).status).toBe("open");
    expect(await listedRequestIds(otherCookie, "?theme=social-economy&modality=workshop")).toContain(id);
    expect(await listedRequestIds(otherCookie, "?theme=social-economy&modality=advisory")).not.toContain(id);

    const page = await (await respond(requestLoader, getRequest(`/requests/${id}`, { cookie: otherCookie }), { id })).json();
    expect(page.request).toMatchObject({ id, desiredStart: "2027-03-01", desiredEnd: "2027-09-30", language: "es" });
  });

  test("a request without preferred modalities matches any modality filter", async () => {
    const { user, cookie } = await createLoggedInUser();
    const open = await insertRequest({ organizationId: user.organizationId ?? "", themes: ["ethnic-inclusion"], modalities: [] });
    expect(await listedRequestIds(cookie, "?theme=ethnic-inclusion&modality=advisory")).toContain(open.id);
  });

  test("closing takes a request off the list", async () => {
    const { user, cookie } = await createLoggedInUser();
    const open = await insertRequest({ organizationId: user.organizationId ?? "", themes: ["public-procurement"] });
    const closed = await respond(requestAction, postRequest(`/requests/${open.id}`, { intent: "close" }, { cookie }), { id: open.id });
    expect(closed.status).toBe(302);
    expect(await listedRequestIds(cookie, "?theme=public-procurement")).not.toContain(open.id);
  });

  test("a member edits their request; staff edit any, recorded as theirs", async () => {
    const { cookie } = await createLoggedInUser();
    const id = await createDraft(cookie);
    const edited = await respond(editRequestAction, postRequest(`/requests/${id}/edit`, validRequest({ title: "Ajustado", desiredEnd: "" }), { cookie }), {
      id,
    });
    expect(edited.status).toBe(302);
    expect(await getPrisma().request.findUniqueOrThrow({ where: { id } })).toMatchObject({ title: "Ajustado", desiredEnd: null });

    const { user: staff, cookie: staffCookie } = await createLoggedInUser({ role: "staff" });
    const byStaff = await respond(editRequestAction, postRequest(`/requests/${id}/edit`, validRequest({ title: "Por la OEA" }), { cookie: staffCookie }), {
      id,
    });
    expect(byStaff.status).toBe(302);
    expect(await getPrisma().request.findUniqueOrThrow({ where: { id } })).toMatchObject({ title: "Por la OEA", updatedById: staff.id });
  });

  test("request this program: the new request form is prefilled from the offer", async () => {
    const { user: offerer } = await createLoggedInUser();
    const offer = await insertOffer({
      organizationId: offerer.organizationId ?? "",
      title: "Chile Emprende",
      language: "es",
      themes: ["entrepreneurship"],
      modalities: ["study-visit", "advisory"],
    });
    const { cookie } = await createLoggedInUser();
    const response = await respond(newRequestLoader, getRequest(`/requests/new?fromOffer=${offer.id}`, { cookie }));
    expect(response.status).toBe(200);
    const data = await response.json();
    expect(data.fromOffer).toMatchObject({ id: offer.id });
    expect(data.defaultValue).toMatchObject({
      title: "Replicar: Chile Emprende",
      language: "es",
      themes: ["entrepreneurship"],
      modalities: ["study-visit", "advisory"],
    });
  });

  test("a draft offer cannot prefill another organization's request", async () => {
    const { user: offerer } = await createLoggedInUser();
    const draft = await insertOffer({ organizationId: offerer.organizationId ?? "", status: "draft" });
    const { cookie } = await createLoggedInUser();
    const data = await (await respond(newRequestLoader, getRequest(`/requests/new?fromOffer=${draft.id}`, { cookie }))).json();
    expect(data.fromOffer).toBeNull();
  });
});

describe("authorization", () => {
  test("another organization's verified member gets 403 on the edit page, the edit and the status actions", async () => {
    const { user: owner } = await createLoggedInUser();
    const open = await insertRequest({ organizationId: owner.organizationId ?? "", title: "Original" });
    const { cookie } = await createLoggedInUser();
    const params = { id: open.id };
    expect((await respond(editRequestLoader, getRequest(`/requests/${open.id}/edit`, { cookie }), params)).status).toBe(403);
    expect((await respond(editRequestAction, postRequest(`/requests/${open.id}/edit`, validRequest(), { cookie }), params)).status).toBe(403);
    expect((await respond(requestAction, postRequest(`/requests/${open.id}`, { intent: "close" }, { cookie }), params)).status).toBe(403);
    expect(await getPrisma().request.findUniqueOrThrow({ where: { id: open.id } })).toMatchObject({ title: "Original", status: "open" });
  });

  test("a pending member drafts a request but cannot publish it", async () => {
    const { cookie } = await createLoggedInUser({ status: "pending" });
    const id = await createDraft(cookie);
    const response = await respond(requestAction, postRequest(`/requests/${id}`, { intent: "publish" }, { cookie }), { id });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: "catalogue:errors.pendingCannotPublish" });
    expect((await getPrisma().request.findUniqueOrThrow({ where: { id } })).status).toBe("draft");
  });
});

describe("bad input", () => {
  const cases: Array<{ name: string; overrides: FormFields; field: string }> = [
    { name: "desiredEnd before desiredStart", overrides: { desiredStart: "2027-06-01", desiredEnd: "2027-05-31" }, field: "desiredEnd" },
    { name: "a date that does not exist", overrides: { desiredStart: "2027-02-30" }, field: "desiredStart" },
    { name: "a date in another format", overrides: { desiredEnd: "31/12/2027" }, field: "desiredEnd" },
    { name: "a theme outside the vocabulary", overrides: { themes: ["youth-employment", "astrology"] }, field: "themes" },
    { name: "a working language outside the vocabulary", overrides: { workingLanguages: ["de"] }, field: "workingLanguages" },
    { name: "no working language", overrides: { workingLanguages: [] }, field: "workingLanguages" },
    { name: "an empty summary", overrides: { summary: "" }, field: "summary" },
    { name: "a 200 KB title", overrides: { title: "y".repeat(200 * 1024) }, field: "title" },
  ];

  for (const { name, overrides, field } of cases) {
    test(`${name}: 400 naming the field "${field}", nothing stored`, async () => {
      const { user, cookie } = await createLoggedInUser();
      const response = await respond(newRequestAction, postRequest("/requests/new", validRequest(overrides), { cookie }));
      expect(response.status).toBe(400);
      const errors = await fieldErrors(response);
      expect(Object.keys(errors).some((key) => key === field || key.startsWith(`${field}[`))).toBe(true);
      expect(await getPrisma().request.count({ where: { organizationId: user.organizationId ?? "" } })).toBe(0);
    });
  }
});

describe("keeping requests current", () => {
  test("an open request untouched for 12 months is stale until its owners confirm it", async () => {
    const { user, cookie } = await createLoggedInUser();
    const { cookie: staffCookie } = await createLoggedInUser({ role: "staff" });
    const open = await insertRequest({ organizationId: user.organizationId ?? "" });
    const closed = await insertRequest({ organizationId: user.organizationId ?? "", status: "closed" });
    await backdate({ table: "request", id: open.id, to: monthsAgo(14) });
    await backdate({ table: "request", id: closed.id, to: monthsAgo(14) });

    const dashboard = await (await respond(dashboardCatalogueLoader, getRequest("/dashboard/catalogue", { cookie }))).json();
    expect(dashboard.stale.requests.map((item: { id: string }) => item.id)).toEqual([open.id]);
    const staffIds = (await (await respond(staleLoader, getRequest("/staff/stale", { cookie: staffCookie }))).json()).stale.requests.map(
      (item: { id: string }) => item.id,
    );
    expect(staffIds).toContain(open.id);
    expect(staffIds).not.toContain(closed.id);

    const confirmed = await respond(requestAction, postRequest(`/requests/${open.id}`, { intent: "confirm-current" }, { cookie }), { id: open.id });
    expect(confirmed.status).toBe(302);
    const after = await (await respond(dashboardCatalogueLoader, getRequest("/dashboard/catalogue", { cookie }))).json();
    expect(after.stale.requests).toEqual([]);
    const page = await (await respond(requestLoader, getRequest(`/requests/${open.id}`, { cookie }), { id: open.id })).json();
    expect(page.request.stale).toBe(false);
  });

  test("staff confirm a stale request of any organization", async () => {
    const { user } = await createLoggedInUser();
    const open = await insertRequest({ organizationId: user.organizationId ?? "" });
    await backdate({ table: "request", id: open.id, to: monthsAgo(13) });
    const { user: staff, cookie: staffCookie } = await createLoggedInUser({ role: "staff" });
    const confirmed = await respond(
      requestAction,
      postRequest(`/requests/${open.id}`, { intent: "confirm-current", redirectTo: "/staff/stale" }, { cookie: staffCookie }),
      { id: open.id },
    );
    expect(confirmed.headers.get("Location")).toBe("/staff/stale");
    expect(await getPrisma().request.findUniqueOrThrow({ where: { id: open.id } })).toMatchObject({ updatedById: staff.id });
  });
});
