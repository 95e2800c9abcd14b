// Hostile input against the bulletin and meeting forms and links: 1,000 generated inputs each,
// never a 5xx, nothing written when refused.
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, test } from "vitest";
import { composeBulletinIssue } from "~/models/bulletin.server";
import { THEME_CODES } from "~/schemas/vocabulary";
import { loader as confirmLoader } from "~/routes/bulletin.confirm";
import { action as subscribeAction } from "~/routes/bulletin.subscribe";
import { action as unsubscribeAction, loader as unsubscribeLoader } from "~/routes/bulletin.unsubscribe";
import { action as meetingAction } from "~/routes/meetings.$id";
import { action as newMeetingAction } from "~/routes/meetings.new";
import { action as timeZoneAction } from "~/routes/meetings.time-zone";
import { action as issueAction } from "~/routes/staff.bulletin.$id";
import { action as composeAction } from "~/routes/staff.bulletin._index";
import { getPrisma } from "~/utils/db.server";
import { ensureJobQueue } from "../factories/catalogue";
import { createOrganization, createSessionCookie, createUser } from "../factories/users";
import { dateLike, entriesArbitrary, fuzzTarget, hostileString, uuidLike, watchUnhandledRejections } from "../setup/fuzz";

const rejections = watchUnhandledRejections();
afterAll(() => rejections.assertNone());

let memberCookie = "";
let pendingCookie = "";
let staffCookie = "";
let meetingIds: string[] = [];
let issueIds: string[] = [];
let tokens: string[] = [];

beforeAll(async () => {
  await ensureJobQueue();
  const organization = await createOrganization({ countryCode: "CO" });
  const [member, pending, staff] = await Promise.all([
    createUser({ organizationId: organization.id }),
    createUser({ organizationId: organization.id, status: "pending" }),
    createUser({ role: "staff" }),
  ]);
  [memberCookie, pendingCookie, staffCookie] = await Promise.all([member.id, pending.id, staff.id].map((id) => createSessionCookie(id)));
  const prisma = getPrisma();
  const meetings = await Promise.all(
    [Date.now() + 20 * 86_400_000, Date.now() - 20 * 86_400_000].map((time) =>
      prisma.meeting.create({
        data: { title: "Fuzz meeting", startsAt: new Date(time), themes: ["entrepreneurship"], agenda: "Agenda", link: "https://meet.example.org/fuzz" },
        select: { id: true },
      }),
    ),
  );
  meetingIds = meetings.map((meeting) => meeting.id);
  // Months no other test file composes.
  const issue = await composeBulletinIssue({
    month: new Date(Date.UTC(2096, Math.floor(Math.random() * 12), 1)),
    actorId: staff.id,
    now: new Date(),
    texts: { titleEn: "Fuzz", titleEs: "Fuzz", introEn: "Intro", introEs: "Intro" },
  });
  issueIds = [issue.id];
  const subscriber = await prisma.bulletinSubscriber.create({
    data: { email: `fuzz-subscriber-${Date.now()}@example.test`, locale: "en", status: "confirmed", confirmToken: randomBytes(32).toString("base64url"), unsubscribeToken: randomBytes(32).toString("base64url") },
    select: { confirmToken: true, unsubscribeToken: true },
  });
  tokens = [subscriber.confirmToken, subscriber.unsubscribeToken];
}, 60_000);

const token = () => fc.oneof(fc.constantFrom(...tokens), fc.base64String({ maxLength: 64 }), hostileString());
const month = () => fc.oneof(fc.integer({ min: 1990, max: 2200 }).chain((year) => fc.integer({ min: 0, max: 13 }).map((m) => `${year}-${String(m).padStart(2, "0")}`)), hostileString());

test("subscribing to the bulletin", { timeout: 300_000 }, async () => {
  await fuzzTarget({
    name: "POST /bulletin/subscribe",
    input: entriesArbitrary({ email: fc.emailAddress(), locale: fc.constantFrom("en", "es", "pt", "xx") }),
    toCall: (entries) => ({ route: subscribeAction, method: "POST", path: "/bulletin/subscribe", entries }),
  });
});

test("the unsubscribe link and its form", { timeout: 300_000 }, async () => {
  await fuzzTarget({
    name: "POST /bulletin/unsubscribe",
    input: fc.record({ query: token(), entries: entriesArbitrary({ intent: fc.constantFrom("resubscribe"), token: token(), "List-Unsubscribe": fc.constantFrom("One-Click") }) }),
    toCall: ({ query, entries }) => ({ route: unsubscribeAction, method: "POST", path: `/bulletin/unsubscribe?${new URLSearchParams({ token: query })}`, entries }),
  });
  await fuzzTarget({
    name: "GET /bulletin/unsubscribe",
    input: entriesArbitrary({ token: token() }),
    toCall: (entries) => ({ route: unsubscribeLoader, method: "GET", path: "/bulletin/unsubscribe", entries }),
  });
  await fuzzTarget({
    name: "GET /bulletin/confirm",
    input: entriesArbitrary({ token: token() }),
    toCall: (entries) => ({ route: confirmLoader, method: "GET", path: "/bulletin/confirm", entries }),
  });
});

test("registering for a meeting and recording its conclusions", { timeout: 300_000 }, async () => {
  await fuzzTarget({
    name: "POST /meetings/:id",
    input: fc.record({
      id: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...meetingIds) }, { weight: 1, arbitrary: uuidLike() }, { weight: 1, arbitrary: hostileString() }),
      entries: entriesArbitrary({
        intent: fc.constantFrom("register", "unregister", "conclusions"),
        conclusions: fc.string({ maxLength: 80 }),
        offerIds: uuidLike(),
        requestIds: uuidLike(),
      }),
      cookie: fc.constantFrom(memberCookie, pendingCookie, staffCookie, undefined),
    }),
    toCall: ({ id, entries, cookie }) => ({ route: meetingAction, method: "POST", path: "/meetings/fuzz", params: { id }, entries, cookie }),
  });
});

test("scheduling a meeting", { timeout: 300_000 }, async () => {
  await fuzzTarget({
    name: "POST /meetings/new",
    input: fc.record({
      entries: entriesArbitrary({
        title: fc.string({ minLength: 1, maxLength: 40 }),
        startsAt: fc.oneof(dateLike().map((date) => `${date}T09:30`), fc.constantFrom("2031-03-10T09:00", "2031-03-10 09:00", "2031-03-10T25:61")),
        timeZone: fc.constantFrom("America/Lima", "UTC", "Mars/Olympus", "America/New_York", "Etc/GMT+14", "../../etc"),
        durationMinutes: fc.oneof(fc.integer({ min: -10, max: 1000 }).map(String), fc.constantFrom("90.5", "1e2")),
        themes: fc.constantFrom(...THEME_CODES),
        agenda: fc.string({ minLength: 1, maxLength: 80 }),
        link: fc.oneof(fc.webUrl(), fc.constantFrom("javascript:alert(1)", "ftp://example.org", "https://")),
      }),
      cookie: fc.constantFrom(staffCookie, staffCookie, memberCookie),
    }),
    toCall: ({ entries, cookie }) => ({ route: newMeetingAction, method: "POST", path: "/meetings/new", entries, cookie }),
  });
});

test("choosing a time zone", { timeout: 300_000 }, async () => {
  await fuzzTarget({
    name: "POST /meetings/time-zone",
    input: entriesArbitrary({ timeZone: fc.constantFrom("", "America/Lima", "UTC", "Nowhere/City", "America/Argentina/Buenos_Aires"), redirectTo: fc.constantFrom("/meetings", "//evil.example") }),
    toCall: (entries) => ({ route: timeZoneAction, method: "POST", path: "/meetings/time-zone", entries }),
  });
});

test("composing a bulletin issue", { timeout: 300_000 }, async () => {
  await fuzzTarget({
    name: "POST /staff/bulletin",
    // Valid months are far away from those other tests compose.
    input: fc.record({ entries: entriesArbitrary({ intent: fc.constantFrom("compose"), month: month().map((value) => value.replace(/^20[0-2]\d-/, "2195-")) }), cookie: fc.constantFrom(staffCookie, staffCookie, memberCookie) }),
    toCall: ({ entries, cookie }) => ({ route: composeAction, method: "POST", path: "/staff/bulletin", entries, cookie }),
  });
});

test("editing, publishing and deleting a bulletin issue", { timeout: 300_000 }, async () => {
  await fuzzTarget({
    name: "POST /staff/bulletin/:id",
    input: fc.record({
      id: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...issueIds) }, { weight: 1, arbitrary: uuidLike() }, { weight: 1, arbitrary: hostileString() }),
      entries: entriesArbitrary({
        // Never "publish": a published issue mails every confirmed subscriber of the shared test database.
        intent: fc.constantFrom("save", "delete", "nothing"),
        titleEn: fc.string({ minLength: 1, maxLength: 40 }),
        titleEs: fc.string({ minLength: 1, maxLength: 40 }),
        introEn: fc.string({ minLength: 1, maxLength: 80 }),
        introEs: fc.string({ minLength: 1, maxLength: 80 }),
        keepOffers: uuidLike(),
        keepRequests: uuidLike(),
        keepMeetings: uuidLike(meetingIds),
        keepCooperations: uuidLike(),
      }),
      cookie: fc.constantFrom(staffCookie, staffCookie, memberCookie),
    }),
    toCall: ({ id, entries, cookie }) => ({ route: issueAction, method: "POST", path: "/staff/bulletin/fuzz", params: { id }, entries, cookie }),
  });
});
