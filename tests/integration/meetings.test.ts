// Dialogue meetings: staff schedule them in a time zone of their choice (stored as UTC), a
// meeting in the past is refused, members register (with a notification and a mail in their
// language), the .ics file follows RFC 5545, and conclusions link the records discussed.
import { beforeAll, expect, test } from "vitest";
import { countUnreadNotifications } from "~/models/notification.server";
import { action as meetingAction, loader as meetingLoader } from "~/routes/meetings.$id";
import { loader as calendarLoader } from "~/routes/meetings.$id.calendar[.]ics";
import { loader as listLoader } from "~/routes/meetings._index";
import { action as scheduleAction } from "~/routes/meetings.new";
import { action as timeZoneAction } from "~/routes/meetings.time-zone";
import { getPrisma } from "~/utils/db.server";
import { fieldErrors, getRequest, insertOffer, insertRequest, postRequest, respond, type FormFields } from "../factories/catalogue";
import { createLoggedInUser, createOrganization, uniqueSuffix } from "../factories/users";
import { ensureJobQueue, mailRowsTo } from "./mail-helpers";

let staffCookie: string;

beforeAll(async () => {
  await ensureJobQueue();
  staffCookie = (await createLoggedInUser({ role: "staff" })).cookie;
});

const DAY_MS = 86_400_000;
// Next year: always in the future and within the two years a meeting may be planned ahead.
const YEAR = new Date().getUTCFullYear() + 1;

function meetingForm(overrides: FormFields = {}): FormFields {
  return {
    title: `Quarterly dialogue ${uniqueSuffix()}`,
    startsAt: `${YEAR}-03-10T09:00`,
    timeZone: "America/Mexico_City",
    durationMinutes: "90",
    themes: ["entrepreneurship", "msme-finance"],
    agenda: "1. Welcome\n2. Experiences",
    link: "https://meet.example.org/enlace-q1",
    ...overrides,
  };
}

async function schedule(fields: FormFields, cookie = staffCookie) {
  return respond(scheduleAction, postRequest("/meetings/new", fields, { cookie }));
}

async function scheduledId(fields: FormFields = meetingForm()): Promise<string> {
  const response = await schedule(fields);
  expect(response.status).toBe(302);
  const location = response.headers.get("Location") ?? "";
  expect(location).toMatch(/^\/meetings\/[0-9a-f-]{36}$/);
  return location.slice("/meetings/".length);
}

async function insertMeeting({ startsAt, title = `Meeting ${uniqueSuffix()}`, themes = ["entrepreneurship"] }: { startsAt: Date; title?: string; themes?: string[] }) {
  return getPrisma().meeting.create({
    data: { title, startsAt, themes, agenda: "Agenda", link: "https://meet.example.org/room" },
    select: { id: true, title: true },
  });
}

function post(id: string, fields: FormFields, cookie: string) {
  return respond(meetingAction, postRequest(`/meetings/${id}`, fields, { cookie }), { id });
}

// ---------------------------------------------------------------------------------------
// Scheduling

test("staff schedule a meeting in their time zone; it is stored as the UTC instant", async () => {
  const id = await scheduledId(meetingForm({ startsAt: `${YEAR}-03-10T09:00`, timeZone: "America/Mexico_City" }));

  const meeting = await getPrisma().meeting.findUniqueOrThrow({ where: { id }, select: { startsAt: true, themes: true, durationMinutes: true } });
  expect(meeting.startsAt.toISOString()).toBe(`${YEAR}-03-10T15:00:00.000Z`);
  expect(meeting.themes).toEqual(["entrepreneurship", "msme-finance"]);
  expect(meeting.durationMinutes).toBe(90);
});

test("a wall-clock time is read with the zone's daylight-saving offset of that date", async () => {
  const summer = await scheduledId(meetingForm({ startsAt: `${YEAR}-07-10T09:00`, timeZone: "America/New_York" }));
  const winter = await scheduledId(meetingForm({ startsAt: `${YEAR}-01-10T09:00`, timeZone: "America/New_York" }));

  const [summerStart, winterStart] = await Promise.all(
    [summer, winter].map(async (id) => (await getPrisma().meeting.findUniqueOrThrow({ where: { id }, select: { startsAt: true } })).startsAt.toISOString()),
  );
  expect(summerStart).toBe(`${YEAR}-07-10T13:00:00.000Z`);
  expect(winterStart).toBe(`${YEAR}-01-10T14:00:00.000Z`);
});

test("a meeting in the past answers 400 naming the field, and nothing is created", async () => {
  const form = meetingForm({ startsAt: new Date(Date.now() - DAY_MS).toISOString().slice(0, 16), timeZone: "UTC" });

  const response = await schedule(form);

  expect(response.status).toBe(400);
  expect(await fieldErrors(response)).toEqual({ startsAt: ["meetings:validation.inThePast"] });
  expect(await getPrisma().meeting.count({ where: { title: String(form.title) } })).toBe(0);
});

test("a meeting more than two years ahead (a mistyped year) answers 400 naming the field", async () => {
  const form = meetingForm({ startsAt: `${YEAR + 2}-12-31T09:00`, timeZone: "UTC" });

  const response = await schedule(form);

  expect(response.status).toBe(400);
  expect(await fieldErrors(response)).toEqual({ startsAt: ["meetings:validation.tooFarAhead"] });
  expect(await getPrisma().meeting.count({ where: { title: String(form.title) } })).toBe(0);
});

test("bad fields answer 400 naming each of them", async () => {
  const response = await schedule(
    meetingForm({ startsAt: `${YEAR}-02-30T10:00`, timeZone: "Mars/Olympus", durationMinutes: "5", themes: ["tourism"], link: "javascript:alert(1)", title: "" }),
  );

  expect(response.status).toBe(400);
  const errors = await fieldErrors(response);
  expect(Object.keys(errors).sort()).toEqual(["durationMinutes", "link", "themes[0]", "timeZone", "title"].sort());
  expect(errors.timeZone).toEqual(["meetings:validation.unknownTimeZone"]);

  const impossibleDate = await schedule(meetingForm({ startsAt: `${YEAR}-02-30T10:00` }));
  expect(await fieldErrors(impossibleDate)).toEqual({ startsAt: ["meetings:validation.invalidDateTime"] });
});

test("only staff schedule meetings", async () => {
  const member = await createLoggedInUser();
  const before = await getPrisma().meeting.count();

  const response = await schedule(meetingForm(), member.cookie);

  expect(response.status).toBe(403);
  expect(await getPrisma().meeting.count()).toBe(before);
});

// ---------------------------------------------------------------------------------------
// Registering

test("a member registers once: a notification and a mail in the member's language", async () => {
  const { user, cookie } = await createLoggedInUser({ preferredLanguage: "es" });
  const meeting = await insertMeeting({ startsAt: new Date("2031-03-10T15:00:00Z"), title: `Diálogo trimestral ${uniqueSuffix()}` });

  const first = await post(meeting.id, { intent: "register" }, cookie);
  const second = await post(meeting.id, { intent: "register" }, cookie);

  expect([first.status, second.status]).toEqual([302, 302]);
  expect(await getPrisma().meetingRegistration.count({ where: { meetingId: meeting.id } })).toBe(1);
  expect(await countUnreadNotifications({ userId: user.id })).toBe(1);
  const mails = await mailRowsTo(user.email);
  expect(mails).toHaveLength(1);
  expect(mails[0]).toMatchObject({ locale: "es", subject: `Está inscrito en «${meeting.title}»` });
  expect(mails[0].text).toContain("2031-03-10 15:00 UTC");

  const page = await (await respond(meetingLoader, getRequest(`/meetings/${meeting.id}`, { cookie }), { id: meeting.id })).json();
  expect(page.meeting).toMatchObject({ registered: true, registrationCount: 1, link: "https://meet.example.org/room" });
});

test("the link to join is for registered participants and staff only", async () => {
  const meeting = await insertMeeting({ startsAt: new Date(Date.now() + 10 * DAY_MS) });
  const member = await createLoggedInUser();

  const anonymous = await (await respond(meetingLoader, getRequest(`/meetings/${meeting.id}`), { id: meeting.id })).json();
  const notRegistered = await (await respond(meetingLoader, getRequest(`/meetings/${meeting.id}`, { cookie: member.cookie }), { id: meeting.id })).json();
  const staff = await (await respond(meetingLoader, getRequest(`/meetings/${meeting.id}`, { cookie: staffCookie }), { id: meeting.id })).json();

  expect([anonymous.meeting.link, notRegistered.meeting.link, staff.meeting.link]).toEqual([null, null, "https://meet.example.org/room"]);
});

test("registration is closed once the meeting has started; unverified accounts cannot register", async () => {
  const started = await insertMeeting({ startsAt: new Date(Date.now() - 60_000) });
  const upcoming = await insertMeeting({ startsAt: new Date(Date.now() + DAY_MS) });
  const member = await createLoggedInUser();
  const pending = await createLoggedInUser({ status: "pending" });

  const late = await post(started.id, { intent: "register" }, member.cookie);
  const unverified = await post(upcoming.id, { intent: "register" }, pending.cookie);
  const anonymous = await respond(meetingAction, postRequest(`/meetings/${upcoming.id}`, { intent: "register" }), { id: upcoming.id });

  expect(late.status).toBe(409);
  expect((await late.json()).error).toBe("Registration is closed: the meeting has started.");
  expect(unverified.status).toBe(403);
  expect(anonymous.status).toBe(302);
  expect(await getPrisma().meetingRegistration.count({ where: { meetingId: { in: [started.id, upcoming.id] } } })).toBe(0);
});

test("a member can cancel a registration", async () => {
  const meeting = await insertMeeting({ startsAt: new Date(Date.now() + DAY_MS) });
  const { cookie } = await createLoggedInUser();
  await post(meeting.id, { intent: "register" }, cookie);

  const response = await post(meeting.id, { intent: "unregister" }, cookie);

  expect(response.status).toBe(302);
  expect(await getPrisma().meetingRegistration.count({ where: { meetingId: meeting.id } })).toBe(0);
});

// ---------------------------------------------------------------------------------------
// The list, the viewer's time zone and the calendar file

test("the list separates upcoming and past meetings; a chosen time zone is remembered in a cookie", async () => {
  const upcoming = await insertMeeting({ startsAt: new Date(Date.now() + 5 * DAY_MS) });
  const past = await insertMeeting({ startsAt: new Date(Date.now() - 5 * DAY_MS) });

  const chosen = await respond(timeZoneAction, postRequest("/meetings/time-zone", { timeZone: "Asia/Tokyo", redirectTo: "/meetings" }));
  expect(chosen.status).toBe(302);
  const cookie = chosen.headers.getSetCookie().find((header) => header.startsWith("enlace_tz="))?.split(";")[0] ?? "";
  expect(cookie).not.toBe("");
  const refused = await respond(timeZoneAction, postRequest("/meetings/time-zone", { timeZone: "Mars/Olympus" }));
  expect(refused.status).toBe(400);

  const list = await (await respond(listLoader, getRequest("/meetings", { cookie }))).json();

  expect(list.chosenZone).toBe("Asia/Tokyo");
  expect(list.upcoming.map((meeting: { id: string }) => meeting.id)).toContain(upcoming.id);
  expect(list.past.map((meeting: { id: string }) => meeting.id)).toContain(past.id);
  expect(list.upcoming.map((meeting: { id: string }) => meeting.id)).not.toContain(past.id);
});

test("the .ics file is RFC 5545: CRLF lines of at most 75 octets, escaped text, UTC times", async () => {
  const title = `Diálogo; políticas, MIPYMES y más ${"ñ".repeat(40)}`;
  const meeting = await insertMeeting({ startsAt: new Date("2031-03-10T15:00:00Z"), title });

  const response = await respond(calendarLoader, getRequest(`/meetings/${meeting.id}/calendar.ics`), { id: meeting.id });

  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
  expect(response.headers.get("Content-Disposition")).toBe('attachment; filename="enlace-meeting-2031-03-10.ics"');
  const body = await response.text();
  expect(body.endsWith("\r\n")).toBe(true);
  const lines = body.slice(0, -2).split("\r\n");
  expect(lines.every((line) => Buffer.byteLength(line, "utf8") <= 75)).toBe(true);
  expect(body.replace(/\r\n/g, "")).not.toMatch(/\n/);
  const unfolded = body.replace(/\r\n /g, "");
  expect(unfolded).toContain(`SUMMARY:Diálogo\\; políticas\\, MIPYMES y más ${"ñ".repeat(40)}\r\n`);
  expect(unfolded).toContain("DTSTART:20310310T150000Z\r\n");
  expect(unfolded).toContain("DTEND:20310310T163000Z\r\n");
  expect(unfolded).toContain(`UID:meeting-${meeting.id}@enlace\r\n`);
  expect(lines[0]).toBe("BEGIN:VCALENDAR");
  // anonymous download: the page instead of the link to join
  expect(unfolded).not.toContain("https://meet.example.org/room");
});

// ---------------------------------------------------------------------------------------
// After the meeting

test("after the meeting staff record conclusions and the records discussed; registrants are told", async () => {
  const meeting = await insertMeeting({ startsAt: new Date(Date.now() + DAY_MS), themes: ["entrepreneurship"] });
  const { user, cookie } = await createLoggedInUser();
  await post(meeting.id, { intent: "register" }, cookie);
  await getPrisma().meeting.update({ where: { id: meeting.id }, data: { startsAt: new Date(Date.now() - 2 * 60 * 60_000) } });
  const organization = await createOrganization();
  const offer = await insertOffer({ organizationId: organization.id, themes: ["entrepreneurship"] });
  const request = await insertRequest({ organizationId: organization.id, themes: ["entrepreneurship"] });
  const notificationsBefore = await countUnreadNotifications({ userId: user.id });

  const page = await (await respond(meetingLoader, getRequest(`/meetings/${meeting.id}`, { cookie: staffCookie }), { id: meeting.id })).json();
  expect(page.discussable.offers.map((option: { value: string }) => option.value)).toContain(offer.id);
  expect(page.meeting.registrants.map((registrant: { id: string }) => registrant.id)).toEqual([user.id]);

  const response = await post(
    meeting.id,
    { intent: "conclusions", conclusions: "Agreed to a study visit.", offerIds: [offer.id], requestIds: [request.id] },
    staffCookie,
  );

  expect(response.status).toBe(302);
  const after = await (await respond(meetingLoader, getRequest(`/meetings/${meeting.id}`), { id: meeting.id })).json();
  expect(after.meeting.conclusions).toBe("Agreed to a study visit.");
  expect(after.meeting.offers.map((linked: { id: string }) => linked.id)).toEqual([offer.id]);
  expect(after.meeting.requests.map((linked: { id: string }) => linked.id)).toEqual([request.id]);
  expect(await countUnreadNotifications({ userId: user.id })).toBe(notificationsBefore + 1);
});

test("conclusions wait for the meeting, come from staff, and link only published records", async () => {
  const upcoming = await insertMeeting({ startsAt: new Date(Date.now() + DAY_MS) });
  const held = await insertMeeting({ startsAt: new Date(Date.now() - DAY_MS) });
  const organization = await createOrganization();
  const draft = await insertOffer({ organizationId: organization.id, status: "draft" });
  const member = await createLoggedInUser();

  const early = await post(upcoming.id, { intent: "conclusions", conclusions: "Too early" }, staffCookie);
  const byMember = await post(held.id, { intent: "conclusions", conclusions: "Not staff" }, member.cookie);
  const withDraft = await post(held.id, { intent: "conclusions", conclusions: "Draft linked", offerIds: [draft.id] }, staffCookie);
  const empty = await post(held.id, { intent: "conclusions", conclusions: "  " }, staffCookie);

  expect(early.status).toBe(409);
  expect(byMember.status).toBe(403);
  expect(withDraft.status).toBe(400);
  expect(await fieldErrors(withDraft)).toEqual({ offerIds: ["meetings:validation.unknownRecord"] });
  expect(await fieldErrors(empty)).toEqual({ conclusions: ["meetings:validation.required"] });
  const stored = await getPrisma().meeting.findMany({ where: { id: { in: [upcoming.id, held.id] } }, select: { conclusions: true } });
  expect(stored.map((meeting) => meeting.conclusions)).toEqual([null, null]);
  expect(await getPrisma().meetingOffer.count({ where: { meetingId: held.id } })).toBe(0);
});
