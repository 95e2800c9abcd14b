// Hostile input against the catalogue's forms (offers and requests: create, edit, status
// changes): 1,000 generated inputs each, never a 5xx, nothing written when refused.
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { LANGUAGE_CODES, MODALITY_CODES, THEME_CODES, COST_SHARING_CODES } from "~/schemas/vocabulary";
import { OFFER_INTENTS, REQUEST_INTENTS } from "~/models/offer-rules";
import { action as offerStatusAction } from "~/routes/offers.$id";
import { action as offerEditAction } from "~/routes/offers.$id_.edit";
import { action as offerNewAction } from "~/routes/offers.new";
import { action as requestStatusAction } from "~/routes/requests.$id";
import { action as requestEditAction } from "~/routes/requests.$id_.edit";
import { action as requestNewAction } from "~/routes/requests.new";
import { ensureJobQueue, insertOffer, insertRequest } from "../factories/catalogue";
import { createOrganization, createSessionCookie, createUser } from "../factories/users";
import { dateLike, entriesArbitrary, fieldValue, fuzzTarget, hostileString, uuidLike, watchUnhandledRejections, WriteWatcher, type FieldSpec } from "../setup/fuzz";

const rejections = watchUnhandledRejections();
afterAll(() => rejections.assertNone());

let cookies: string[] = [];
let offerIds: string[] = [];
let requestIds: string[] = [];

beforeAll(async () => {
  await ensureJobQueue();
  const organization = await createOrganization({ countryCode: "UY" });
  const [member, pending, staff] = await Promise.all([
    createUser({ organizationId: organization.id }),
    createUser({ organizationId: organization.id, status: "pending" }),
    createUser({ role: "staff" }),
  ]);
  cookies = await Promise.all([member.id, member.id, pending.id, staff.id].map((id) => createSessionCookie(id)));
  const offers = await Promise.all([
    insertOffer({ organizationId: organization.id, status: "draft" }),
    insertOffer({ organizationId: organization.id, status: "published" }),
    insertOffer({ organizationId: organization.id, status: "archived" }),
  ]);
  const requests = await Promise.all([
    insertRequest({ organizationId: organization.id, status: "draft" }),
    insertRequest({ organizationId: organization.id, status: "open" }),
    insertRequest({ organizationId: organization.id, status: "closed" }),
  ]);
  offerIds = offers.map((offer) => offer.id);
  requestIds = requests.map((request) => request.id);
}, 60_000);

const text = (maxLength: number) => fc.string({ unit: "grapheme", minLength: 1, maxLength });
const codes = (list: readonly string[]) => fc.constantFrom(...list);

const offerFields: FieldSpec = {
  title: text(60),
  summary: text(200),
  description: text(300),
  language: codes(LANGUAGE_CODES),
  themes: codes(THEME_CODES),
  modalities: codes(MODALITY_CODES),
  workingLanguages: codes(LANGUAGE_CODES),
  targetPopulation: text(60),
  evidence: text(60),
  capacityPerYear: fc.oneof(fc.integer({ min: -5, max: 2_000_000 }).map(String), fc.constantFrom("1.5", "1e3", " 7 ")),
  costSharing: codes(COST_SHARING_CODES),
};

const requestFields: FieldSpec = {
  title: text(60),
  summary: text(200),
  description: text(300),
  language: codes(LANGUAGE_CODES),
  themes: codes(THEME_CODES),
  modalities: codes(MODALITY_CODES),
  workingLanguages: codes(LANGUAGE_CODES),
  desiredStart: dateLike(),
  desiredEnd: dateLike(),
};

const cookie = () => fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...cookies) }, { weight: 1, arbitrary: fc.constant(undefined) });
// Arbitraries are built inside the tests, once beforeAll has created the records.
const recordId = (ids: string[]) => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: uuidLike() }, { weight: 1, arbitrary: hostileString() });

test("the write check sees a committed write, and nothing when there was none", async () => {
  const watcher = new WriteWatcher();
  try {
    expect(await watcher.changesSince(await watcher.begin())).toBeNull();
    const next = await watcher.begin();
    await createOrganization();
    expect(await watcher.changesSince(next)).toMatch(/^organization=\d+:\d+ -> organization=\d+:\d+$/);
  } finally {
    await watcher.close();
  }
});

test("creating an offer", { timeout: 300_000 }, async () => {
  await fuzzTarget({
    name: "POST /offers/new",
    input: fc.record({ entries: entriesArbitrary(offerFields), cookie: cookie() }),
    toCall: ({ entries, cookie }) => ({ route: offerNewAction, method: "POST", path: "/offers/new", entries, cookie }),
  });
});

test("editing an offer", { timeout: 300_000 }, async () => {
  await fuzzTarget({
    name: "POST /offers/:id/edit",
    input: fc.record({ entries: entriesArbitrary(offerFields), cookie: cookie(), id: recordId(offerIds) }),
    toCall: ({ entries, cookie, id }) => ({ route: offerEditAction, method: "POST", path: "/offers/fuzz/edit", params: { id }, entries, cookie }),
  });
});

test("changing an offer's status", { timeout: 300_000 }, async () => {
  await fuzzTarget({
    name: "POST /offers/:id",
    input: fc.record({
      entries: entriesArbitrary({ intent: codes(OFFER_INTENTS), redirectTo: fc.constantFrom("/dashboard", "/offers", "//evil.example", "https://evil.example") }),
      cookie: cookie(),
      id: recordId(offerIds),
    }),
    toCall: ({ entries, cookie, id }) => ({ route: offerStatusAction, method: "POST", path: "/offers/fuzz", params: { id }, entries, cookie }),
  });
});

test("creating a request", { timeout: 300_000 }, async () => {
  await fuzzTarget({
    name: "POST /requests/new",
    input: fc.record({ entries: entriesArbitrary(requestFields), cookie: cookie() }),
    toCall: ({ entries, cookie }) => ({ route: requestNewAction, method: "POST", path: "/requests/new", entries, cookie }),
  });
});

test("editing a request", { timeout: 300_000 }, async () => {
  await fuzzTarget({
    name: "POST /requests/:id/edit",
    input: fc.record({ entries: entriesArbitrary(requestFields), cookie: cookie(), id: recordId(requestIds) }),
    toCall: ({ entries, cookie, id }) => ({ route: requestEditAction, method: "POST", path: "/requests/fuzz/edit", params: { id }, entries, cookie }),
  });
});

test("changing a request's status", { timeout: 300_000 }, async () => {
  await fuzzTarget({
    name: "POST /requests/:id",
    input: fc.record({
      entries: entriesArbitrary({ intent: codes(REQUEST_INTENTS), redirectTo: fieldValue(fc.constantFrom("/dashboard", "/requests")) }),
      cookie: cookie(),
      id: recordId(requestIds),
    }),
    toCall: ({ entries, cookie, id }) => ({ route: requestStatusAction, method: "POST", path: "/requests/fuzz", params: { id }, entries, cookie }),
  });
});
