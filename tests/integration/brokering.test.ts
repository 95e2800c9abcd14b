// Brokering (issue 7) against the real database, through the routes with real sessions: staff
// confirm or reject, the two agencies accept or decline, the cooperation runs and both sides
// report outcomes. Every illegal transition answers 403 or 409 and changes nothing; two staff
// deciding at once leave exactly one decision; no agency reads another's pairings.
import { beforeAll, expect, test } from "vitest";
import { BrokeringError } from "~/models/brokering-rules";
import { sendFollowUpReminder } from "~/models/cooperation.server";
import { decidePairing, listPairingQueue, respondToPairing } from "~/models/pairing.server";
import { findTrackRecords } from "~/models/proposal.server";
import { action as cooperationAction, loader as cooperationLoader } from "~/routes/cooperations.$id";
import { loader as countryLoader } from "~/routes/countries.$code";
import { loader as dashboardLoader } from "~/routes/dashboard._index";
import { action as agencyAction, loader as agencyLoader } from "~/routes/pairings.$id";
import { action as staffAction, loader as staffLoader } from "~/routes/staff.pairings.$id";
import { loader as queueLoader } from "~/routes/staff.pairings._index";
import { action as manualAction, loader as manualLoader } from "~/routes/staff.pairings.requests.$requestId";
import { DECLINE_REASON_CODES, pairingQueueQuerySchema } from "~/schemas/brokering";
import { getPrisma } from "~/utils/db.server";
import { createPairingWorld, insertProposal, type PairingWorld } from "../factories/brokering";
import { ensureJobQueue, fieldErrors, getRequest, insertOffer, postRequest, respond, type FormFields } from "../factories/catalogue";
import { createOrganization } from "../factories/users";

beforeAll(async () => {
  await ensureJobQueue();
});

const prisma = () => getPrisma();

function decide(world: PairingWorld, fields: FormFields, cookie = world.staff.cookie) {
  const id = world.proposal.id;
  return respond(staffAction, postRequest(`/staff/pairings/${id}`, fields, { cookie }), { id });
}

function answer(proposalId: string, fields: FormFields, cookie: string) {
  return respond(agencyAction, postRequest(`/pairings/${proposalId}`, fields, { cookie }), { id: proposalId });
}

function onCooperation(id: string, fields: FormFields, cookie: string) {
  return respond(cooperationAction, postRequest(`/cooperations/${id}`, fields, { cookie }), { id });
}

async function errorOf(response: Response): Promise<string | null> {
  const body: unknown = await response.json();
  return typeof body === "object" && body !== null && "error" in body && typeof body.error === "string" ? body.error : null;
}

async function snapshot(proposalId: string) {
  const proposal = await prisma().proposal.findUniqueOrThrow({
    where: { id: proposalId },
    select: { status: true, version: true, decidedById: true, agencyNote: true, decisionNote: true },
  });
  const [consents, cooperations, audit] = await Promise.all([
    prisma().pairingConsent.findMany({ where: { proposalId }, orderBy: { side: "asc" }, select: { side: true, status: true } }),
    prisma().cooperation.count({ where: { proposalId } }),
    prisma().auditEvent.count({ where: { entityId: proposalId } }),
  ]);
  return { proposal, consents, cooperations, audit };
}

async function confirmed(world: PairingWorld, extra: FormFields = {}) {
  const response = await decide(world, { intent: "confirm", version: String(world.proposal.version), ...extra });
  expect(response.status).toBe(302);
}

async function cooperationOf(world: PairingWorld): Promise<{ id: string; version: number }> {
  await confirmed(world);
  expect((await answer(world.proposal.id, { intent: "accept" }, world.requester.cookie)).status).toBe(302);
  const response = await answer(world.proposal.id, { intent: "accept" }, world.provider.cookie);
  expect(response.status).toBe(302);
  const cooperation = await prisma().cooperation.findUniqueOrThrow({ where: { proposalId: world.proposal.id }, select: { id: true, version: true } });
  expect(response.headers.get("Location")).toBe(`/cooperations/${cooperation.id}`);
  return cooperation;
}

async function completedCooperation(world: PairingWorld) {
  const cooperation = await cooperationOf(world);
  expect((await onCooperation(cooperation.id, { intent: "start", version: String(cooperation.version) }, world.requester.cookie)).status).toBe(302);
  expect((await onCooperation(cooperation.id, { intent: "complete", version: String(cooperation.version + 1) }, world.provider.cookie)).status).toBe(302);
  return cooperation;
}

const OUTCOME: FormFields = {
  intent: "outcome",
  transferred: "The CDMYPE model: center methodology, advisor training and the monitoring system.",
  peopleTrained: "42",
  trainersCertified: "6",
  rating: "5",
  adoption: "adapted",
};

// ---------------------------------------------------------------------------------------
// Staff decisions

test("staff confirm a pairing: both agencies are asked, notified in-app and by mail, and the audit log records it", async () => {
  const world = await createPairingWorld();

  await confirmed(world, { agencyNote: "Please coordinate dates with CONAMYPE.", internalNote: "Strong fit, checked with the desk officer." });

  const state = await snapshot(world.proposal.id);
  expect(state.proposal).toMatchObject({
    status: "confirmed",
    decidedById: world.staff.user.id,
    agencyNote: "Please coordinate dates with CONAMYPE.",
    decisionNote: "Strong fit, checked with the desk officer.",
  });
  expect(state.consents).toEqual([
    { side: "requester", status: "pending" },
    { side: "provider", status: "pending" },
  ]);
  const notified = await prisma().notification.findMany({
    where: { kind: "brokering:notifications.pairingConfirmed", link: `/pairings/${world.proposal.id}` },
    select: { userId: true },
  });
  expect(notified.map((row) => row.userId).sort()).toEqual([world.requester.user.id, world.provider.user.id].sort());
  const mails = await prisma().mailMessage.count({ where: { recipient: { in: [world.requester.user.email, world.provider.user.email] } } });
  expect(mails).toBe(2);
  const events = await prisma().auditEvent.findMany({ where: { entityId: world.proposal.id }, select: { action: true, fromStatus: true, toStatus: true, actorId: true } });
  expect(events).toEqual([{ action: "confirm", fromStatus: "proposed", toStatus: "confirmed", actorId: world.staff.user.id }]);
});

test("a rejection needs a reason code: without one, 400 naming the field and nothing changes", async () => {
  const world = await createPairingWorld();
  const before = await snapshot(world.proposal.id);

  const response = await decide(world, { intent: "reject", version: String(world.proposal.version) });

  expect(response.status).toBe(400);
  expect(Object.keys(await fieldErrors(response))).toContain("reason");
  expect(await snapshot(world.proposal.id)).toEqual(before);
});

test("a staff rejection keeps the matcher's contract: status rejected with its reason code, no consent asked", async () => {
  const world = await createPairingWorld();

  const response = await decide(world, { intent: "reject", version: String(world.proposal.version), reason: "timing", internalNote: "Dates do not fit" });

  expect(response.status).toBe(302);
  const state = await snapshot(world.proposal.id);
  expect(state.proposal.status).toBe("rejected");
  expect(state.consents).toEqual([]);
  const row = await prisma().proposal.findUniqueOrThrow({ where: { id: world.proposal.id }, select: { rejectionReason: true } });
  expect(row.rejectionReason).toBe("timing");
});

test("two staff deciding the same pairing at once: exactly one decision wins, the other gets 409 with a clear message", async () => {
  for (let round = 0; round < 4; round += 1) {
    const world = await createPairingWorld();
    const version = String(world.proposal.version);

    // Two requests, two sessions, two database connections, at the same moment.
    const responses = await Promise.all([
      decide(world, { intent: "confirm", version }, world.staff.cookie),
      decide(world, { intent: "reject", version, reason: "not-relevant" }, world.otherStaff.cookie),
    ]);

    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([302, 409]);
    const loser = responses.find((response) => response.status === 409);
    expect(loser && (await errorOf(loser))).toBe("brokering:errors.already-decided");
    const state = await snapshot(world.proposal.id);
    expect(state.audit).toBe(1);
    expect(state.proposal.version).toBe(world.proposal.version + 1);
    // nothing of the losing decision: a confirmation opens consents, a rejection does not
    expect(state.consents.length).toBe(state.proposal.status === "confirmed" ? 2 : 0);
  }
});

test("the same race through the model, on separate connections: one result, one BrokeringError", async () => {
  const world = await createPairingWorld();
  const staff = { id: world.staff.user.id, role: "staff" as const, status: "active" as const, organizationId: null };
  const otherStaff = { ...staff, id: world.otherStaff.user.id };

  const results = await Promise.allSettled([
    decidePairing({ proposalId: world.proposal.id, staff, decision: { intent: "confirm", version: world.proposal.version, agencyNote: null, internalNote: null } }),
    decidePairing({ proposalId: world.proposal.id, staff: otherStaff, decision: { intent: "confirm", version: world.proposal.version, agencyNote: null, internalNote: null } }),
  ]);

  expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
  const rejected = results.find((result) => result.status === "rejected");
  expect(rejected?.status === "rejected" && rejected.reason instanceof BrokeringError && rejected.reason.status).toBe(409);
  expect((await snapshot(world.proposal.id)).consents).toHaveLength(2);
});

test("deciding with a stale version (the page was open while the matcher re-ranked) is a 409; nothing changes", async () => {
  const world = await createPairingWorld();
  await prisma().proposal.update({ where: { id: world.proposal.id }, data: { version: { increment: 1 } } });
  const before = await snapshot(world.proposal.id);

  const response = await decide(world, { intent: "confirm", version: String(world.proposal.version) });

  expect(response.status).toBe(409);
  expect(await errorOf(response)).toBe("brokering:errors.stale");
  expect(await snapshot(world.proposal.id)).toEqual(before);
});

test("confirming a pairing whose offer was archived meanwhile breaks the hard rules: 409, and the decision is rolled back", async () => {
  const world = await createPairingWorld();
  await prisma().offer.update({ where: { id: world.offer.id }, data: { status: "archived" } });
  const before = await snapshot(world.proposal.id);

  const response = await decide(world, { intent: "confirm", version: String(world.proposal.version) });

  expect(response.status).toBe(409);
  expect(await errorOf(response)).toBe("brokering:errors.rules");
  expect(await snapshot(world.proposal.id)).toEqual(before);
});

test("agency members cannot open or act on the staff pairing page (403)", async () => {
  const world = await createPairingWorld();

  const page = await respond(staffLoader, getRequest(`/staff/pairings/${world.proposal.id}`, { cookie: world.requester.cookie }), { id: world.proposal.id });
  const act = await decide(world, { intent: "confirm", version: String(world.proposal.version) }, world.provider.cookie);

  expect(page.status).toBe(403);
  expect(act.status).toBe(403);
  expect((await snapshot(world.proposal.id)).proposal.status).toBe("proposed");
});

// ---------------------------------------------------------------------------------------
// Manual pairing

test("staff pair a request with any published offer of another country by hand; the hard rules still hold", async () => {
  const world = await createPairingWorld();
  const otherOffer = await insertOffer({ organizationId: world.thirdOrganization.id });
  const sameCountry = await insertOffer({ organizationId: (await createOrganization({ countryCode: "HN" })).id });
  const draft = await insertOffer({ organizationId: world.thirdOrganization.id, status: "draft" });
  const path = `/staff/pairings/requests/${world.request.id}`;
  const pair = (offerId: string) => respond(manualAction, postRequest(path, { intent: "pair", offerId }, { cookie: world.staff.cookie }), { requestId: world.request.id });

  const created = await pair(otherOffer.id);
  const ownCountry = await pair(sameCountry.id);
  const notPublished = await pair(draft.id);
  const again = await pair(world.offer.id);

  expect(created.status).toBe(302);
  const manual = await prisma().proposal.findUniqueOrThrow({ where: { requestId_offerId: { requestId: world.request.id, offerId: otherOffer.id } }, select: { id: true, source: true, status: true } });
  expect(manual).toMatchObject({ source: "manual", status: "proposed" });
  expect(created.headers.get("Location")).toBe(`/staff/pairings/${manual.id}`);
  expect([ownCountry.status, notPublished.status, again.status]).toEqual([409, 409, 409]);
  expect(await errorOf(ownCountry)).toBe("brokering:errors.rules");
  expect(await errorOf(again)).toBe("brokering:errors.already-paired");
  expect(await prisma().proposal.count({ where: { requestId: world.request.id } })).toBe(2);
});

test("the manual pairing search takes any query text: a long one is cut, control characters dropped", async () => {
  const world = await createPairingWorld();
  const path = `/staff/pairings/requests/${world.request.id}`;
  for (const q of ["empresas ".repeat(40), "micro\0empresas"]) {
    const answered = await respond(manualLoader, getRequest(`${path}?q=${encodeURIComponent(q)}`, { cookie: world.staff.cookie }), { requestId: world.request.id });
    expect(answered.status, JSON.stringify(q.slice(0, 20))).toBe(200);
    const data = await answered.json();
    expect(data.query.length).toBeLessThanOrEqual(200);
    expect(data.query).not.toContain("\0");
  }
});

test("the pairing queue ignores a filter value the database cannot hold (NUL) instead of failing", async () => {
  const world = await createPairingWorld();
  for (const filter of ["subregion=Central%00America", "theme=cash%00transfers"]) {
    const page = await respond(queueLoader, getRequest(`/staff/pairings?${filter}`, { cookie: world.staff.cookie }));
    expect(page.status, filter).toBe(200);
  }
});

// ---------------------------------------------------------------------------------------
// Consent

test("both agencies accept: the cooperation starts (planned) in the same transaction, and is audited", async () => {
  const world = await createPairingWorld();
  await confirmed(world);

  const first = await answer(world.proposal.id, { intent: "accept" }, world.requester.cookie);
  expect(first.status).toBe(302);
  expect((await snapshot(world.proposal.id)).cooperations).toBe(0);
  const second = await answer(world.proposal.id, { intent: "accept" }, world.provider.cookie);

  expect(second.status).toBe(302);
  const state = await snapshot(world.proposal.id);
  expect(state.proposal.status).toBe("accepted");
  expect(state.consents.map((consent) => consent.status)).toEqual(["accepted", "accepted"]);
  const cooperation = await prisma().cooperation.findUniqueOrThrow({ where: { proposalId: world.proposal.id }, select: { id: true, status: true, requestId: true, offerId: true } });
  expect(cooperation).toMatchObject({ status: "planned", requestId: world.request.id, offerId: world.offer.id });
  expect(await prisma().auditEvent.count({ where: { entityType: "cooperation", entityId: cooperation.id, toStatus: "planned" } })).toBe(1);
});

test("both agencies accepting at the same moment start exactly one cooperation", async () => {
  const world = await createPairingWorld();
  await confirmed(world);

  const responses = await Promise.all([
    answer(world.proposal.id, { intent: "accept" }, world.requester.cookie),
    answer(world.proposal.id, { intent: "accept" }, world.provider.cookie),
  ]);

  expect(responses.map((response) => response.status)).toEqual([302, 302]);
  expect((await snapshot(world.proposal.id)).cooperations).toBe(1);
  expect((await snapshot(world.proposal.id)).proposal.status).toBe("accepted");
});

test("one agency declines: staff see it in the queue with the next alternate suggested, and the request is matched again", async () => {
  const world = await createPairingWorld({ alternates: 2 });
  await confirmed(world);

  const response = await answer(world.proposal.id, { intent: "decline", reason: "timing", note: "Not before 2028" }, world.provider.cookie);

  expect(response.status).toBe(302);
  const state = await snapshot(world.proposal.id);
  expect(state.proposal.status).toBe("declined");
  expect(state.consents).toEqual([
    { side: "requester", status: "pending" },
    { side: "provider", status: "declined" },
  ]);
  const queue = await listPairingQueue({ query: pairingQueueQuerySchema.parse({ status: "declined", country: "HN" }), locale: "en" });
  const row = queue.rows.find((candidate) => candidate.id === world.proposal.id);
  expect(row?.nextAlternateId).toBe(world.alternateProposals[0]?.id);
  const staffPage = await respond(staffLoader, getRequest(`/staff/pairings/${world.proposal.id}`, { cookie: world.staff.cookie }), { id: world.proposal.id });
  const body = await staffPage.json();
  expect(body.nextAlternate.id).toBe(world.alternateProposals[0]?.id);
  expect(await prisma().notification.count({ where: { userId: world.staff.user.id, kind: "brokering:notifications.pairingDeclinedStaff" } })).toBe(1);
  const jobs = await prisma().$queryRaw<Array<{ count: number }>>`
    SELECT count(*)::int AS count FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
     WHERE t.identifier = 'matching-requests' AND j.payload::text LIKE ${`%${world.request.id}%`}`;
  expect(jobs[0]?.count).toBeGreaterThan(0);
});

test("a decline needs a reason: 400 naming the field, nothing changes", async () => {
  const world = await createPairingWorld();
  await confirmed(world);
  const before = await snapshot(world.proposal.id);

  const response = await answer(world.proposal.id, { intent: "decline" }, world.provider.cookie);

  expect(response.status).toBe(400);
  expect(Object.keys(await fieldErrors(response))).toContain("reason");
  expect(await snapshot(world.proposal.id)).toEqual(before);
});

test("illegal consent transitions answer 403 or 409 with a message and change nothing", async () => {
  const rejectedWorld = await createPairingWorld();
  await decide(rejectedWorld, { intent: "reject", version: String(rejectedWorld.proposal.version), reason: "language" });
  const world = await createPairingWorld();
  await confirmed(world);
  await answer(world.proposal.id, { intent: "accept" }, world.requester.cookie);
  const declinedWorld = await createPairingWorld();
  await confirmed(declinedWorld);
  await answer(declinedWorld.proposal.id, { intent: "decline", reason: "capacity" }, declinedWorld.requester.cookie);
  const before = await Promise.all([snapshot(rejectedWorld.proposal.id), snapshot(world.proposal.id), snapshot(declinedWorld.proposal.id)]);

  const cases: Array<[string, Promise<Response>, number, string | null]> = [
    ["accepting a rejected pairing", answer(rejectedWorld.proposal.id, { intent: "accept" }, rejectedWorld.requester.cookie), 409, "brokering:errors.not-awaiting-answers"],
    ["a third agency accepting someone else's pairing", answer(world.proposal.id, { intent: "accept" }, world.third.cookie), 403, "brokering:errors.forbidden"],
    ["staff answering for an agency", answer(world.proposal.id, { intent: "accept" }, world.staff.cookie), 403, "brokering:errors.forbidden"],
    ["answering twice", answer(world.proposal.id, { intent: "decline", reason: "other" }, world.requester.cookie), 409, "brokering:errors.already-answered"],
    ["accepting a pairing the other agency declined", answer(declinedWorld.proposal.id, { intent: "accept" }, declinedWorld.provider.cookie), 409, "brokering:errors.not-awaiting-answers"],
  ];
  for (const [name, pending, status, error] of cases) {
    const response = await pending;
    expect(response.status, name).toBe(status);
    expect(await errorOf(response), name).toBe(error);
  }

  expect(await Promise.all([snapshot(rejectedWorld.proposal.id), snapshot(world.proposal.id), snapshot(declinedWorld.proposal.id)])).toEqual(before);
});

// ---------------------------------------------------------------------------------------
// Who reads what

test("no agency reads another's pairings, nor any unconfirmed proposal, nor the internal staff note", async () => {
  const world = await createPairingWorld();
  const view = (cookie: string) => respond(agencyLoader, getRequest(`/pairings/${world.proposal.id}`, { cookie }), { id: world.proposal.id });

  // Unconfirmed: not even the two agencies see it.
  expect((await view(world.requester.cookie)).status).toBe(404);
  expect((await view(world.provider.cookie)).status).toBe(404);
  await confirmed(world, { agencyNote: "Shared note for both agencies", internalNote: "INTERNAL: desk officer doubts" });

  const thirdView = await view(world.third.cookie);
  const requesterView = await view(world.requester.cookie);

  expect(thirdView.status).toBe(404);
  expect(requesterView.status).toBe(200);
  const text = await requesterView.text();
  expect(text).toContain("Shared note for both agencies");
  expect(text).not.toContain("INTERNAL");
  const thirdDashboard = await (await respond(dashboardLoader, getRequest("/dashboard", { cookie: world.third.cookie }))).json();
  expect(thirdDashboard.pairings).toEqual([]);
  const providerDashboard = await (await respond(dashboardLoader, getRequest("/dashboard", { cookie: world.provider.cookie }))).json();
  expect(providerDashboard.pairings.map((pairing: { id: string }) => pairing.id)).toEqual([world.proposal.id]);
  expect(JSON.stringify(providerDashboard)).not.toContain("INTERNAL");
  const queue = await respond(queueLoader, getRequest("/staff/pairings", { cookie: world.requester.cookie }));
  expect(queue.status).toBe(403);
});

test("the cooperation page is for its two agencies and staff; the audit log for staff only", async () => {
  const world = await createPairingWorld();
  const cooperation = await cooperationOf(world);
  const view = (cookie: string) => respond(cooperationLoader, getRequest(`/cooperations/${cooperation.id}`, { cookie }), { id: cooperation.id });

  const [third, requester, staff] = await Promise.all([view(world.third.cookie), view(world.requester.cookie), view(world.staff.cookie)]);

  expect(third.status).toBe(404);
  expect(requester.status).toBe(200);
  expect((await requester.json()).audit).toBeNull();
  const staffBody = await staff.json();
  // in the order of writing, even within one transaction
  expect(staffBody.audit.map((event: { action: string }) => event.action)).toEqual(["confirm", "requester-accepted", "provider-accepted", "accepted", "created"]);
});

// ---------------------------------------------------------------------------------------
// The cooperation

test("the cooperation runs planned -> in progress -> completed with activities, documents and messages; follow-ups are scheduled", async () => {
  const world = await createPairingWorld();
  const cooperation = await cooperationOf(world);

  expect(
    (
      await onCooperation(
        cooperation.id,
        { intent: "activity", title: "Study visit to CDMYPE centers", modality: "study-visit", startsOn: "2027-03-01", endsOn: "2027-03-05", place: "San Salvador", participants: "8" },
        world.requester.cookie,
      )
    ).status,
  ).toBe(302);
  expect((await onCooperation(cooperation.id, { intent: "document", title: "Center manual", url: "https://example.org/manual.pdf" }, world.provider.cookie)).status).toBe(302);
  expect((await onCooperation(cooperation.id, { intent: "message", body: "Welcome! Dates confirmed." }, world.staff.cookie)).status).toBe(302);
  expect((await onCooperation(cooperation.id, { intent: "start", version: String(cooperation.version) }, world.requester.cookie)).status).toBe(302);
  expect((await onCooperation(cooperation.id, { intent: "complete", version: String(cooperation.version + 1) }, world.provider.cookie)).status).toBe(302);

  const row = await prisma().cooperation.findUniqueOrThrow({
    where: { id: cooperation.id },
    select: { status: true, startedAt: true, completedAt: true, activities: true, documents: true, messages: true, followUps: { orderBy: { months: "asc" } } },
  });
  expect(row.status).toBe("completed");
  expect(row.startedAt).not.toBeNull();
  expect(row.activities).toHaveLength(1);
  expect(row.documents).toHaveLength(1);
  expect(row.messages).toHaveLength(1);
  expect(row.followUps.map((followUp) => followUp.months)).toEqual([6, 12]);
  const sixMonths = row.followUps[0];
  expect(sixMonths && row.completedAt && Math.round((sixMonths.dueAt.getTime() - row.completedAt.getTime()) / 86_400_000)).toBeGreaterThanOrEqual(181);
  const jobs = await prisma().$queryRaw<Array<{ run_at: Date }>>`
    SELECT j.run_at FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
     WHERE t.identifier = 'brokering-follow-up' AND j.payload::text LIKE ${`%${sixMonths?.id}%`}`;
  expect(jobs).toHaveLength(1);
  expect(jobs[0]?.run_at.getTime()).toBe(sixMonths?.dueAt.getTime());
});

test("an activity with a modality outside the vocabulary, or ending before it starts, is a 400 naming the field", async () => {
  const world = await createPairingWorld();
  const cooperation = await cooperationOf(world);
  const base = { intent: "activity", title: "Visit", modality: "study-visit", startsOn: "2027-03-01", endsOn: "2027-03-05", place: "San Salvador", participants: "8" };

  const badModality = await onCooperation(cooperation.id, { ...base, modality: "webinar" }, world.requester.cookie);
  const backwards = await onCooperation(cooperation.id, { ...base, endsOn: "2027-02-01" }, world.requester.cookie);

  expect(badModality.status).toBe(400);
  expect(Object.keys(await fieldErrors(badModality))).toContain("modality");
  expect(backwards.status).toBe(400);
  expect(Object.keys(await fieldErrors(backwards))).toContain("endsOn");
  expect(await prisma().cooperationActivity.count({ where: { cooperationId: cooperation.id } })).toBe(0);
});

test("illegal cooperation transitions answer 403 or 409 and change nothing", async () => {
  const world = await createPairingWorld();
  const cooperation = await cooperationOf(world);
  const version = String(cooperation.version);

  const skipping = await onCooperation(cooperation.id, { intent: "complete", version }, world.requester.cookie);
  const outsider = await onCooperation(cooperation.id, { intent: "start", version }, world.third.cookie);
  const cancelWithoutReason = await onCooperation(cooperation.id, { intent: "cancel", version }, world.requester.cookie);
  expect(skipping.status).toBe(409);
  expect(await errorOf(skipping)).toBe("brokering:errors.illegal-transition");
  expect(outsider.status).toBe(403);
  expect(cancelWithoutReason.status).toBe(400);
  expect(Object.keys(await fieldErrors(cancelWithoutReason))).toContain("cancelReason");

  const cancelled = await onCooperation(cooperation.id, { intent: "cancel", version, cancelReason: "The ministry changed its priorities." }, world.provider.cookie);
  expect(cancelled.status).toBe(302);
  const before = await prisma().cooperation.findUniqueOrThrow({ where: { id: cooperation.id } });
  const auditBefore = await prisma().auditEvent.count({ where: { entityId: cooperation.id } });

  const cases: Array<[string, FormFields, number, string]> = [
    ["completing a cancelled cooperation", { intent: "complete", version: String(before.version) }, 409, "brokering:errors.illegal-transition"],
    ["starting a cancelled cooperation", { intent: "start", version: String(before.version) }, 409, "brokering:errors.illegal-transition"],
    ["cancelling twice", { intent: "cancel", version: String(before.version), cancelReason: "again" }, 409, "brokering:errors.illegal-transition"],
    ["adding an activity to a cancelled cooperation", { intent: "activity", title: "Visit", modality: "expert-mission", startsOn: "2027-01-01", endsOn: "2027-01-02", place: "Tegucigalpa", participants: "3" }, 409, "brokering:errors.not-active"],
    ["filing an outcome for a cancelled cooperation", OUTCOME, 409, "brokering:errors.not-completed"],
  ];
  for (const [name, fields, status, error] of cases) {
    const response = await onCooperation(cooperation.id, fields, world.requester.cookie);
    expect(response.status, name).toBe(status);
    expect(await errorOf(response), name).toBe(error);
  }
  expect(await prisma().cooperation.findUniqueOrThrow({ where: { id: cooperation.id } })).toEqual(before);
  expect(await prisma().auditEvent.count({ where: { entityId: cooperation.id } })).toBe(auditBefore);
});

test("two transitions of the same cooperation at once: one wins, the other is a 409", async () => {
  const world = await createPairingWorld();
  const cooperation = await cooperationOf(world);
  const version = String(cooperation.version);

  const responses = await Promise.all([
    onCooperation(cooperation.id, { intent: "start", version }, world.requester.cookie),
    onCooperation(cooperation.id, { intent: "cancel", version, cancelReason: "Budget cut" }, world.provider.cookie),
  ]);

  expect(responses.map((response) => response.status).sort()).toEqual([302, 409]);
  expect(await prisma().auditEvent.count({ where: { entityId: cooperation.id, action: { in: ["start", "cancel"] } } })).toBe(1);
});

// ---------------------------------------------------------------------------------------
// Outcomes, follow-ups, track record

test("an outcome rating of 7 is a 400 naming the field; nothing is filed", async () => {
  const world = await createPairingWorld();
  const cooperation = await completedCooperation(world);

  const seven = await onCooperation(cooperation.id, { ...OUTCOME, rating: "7" }, world.requester.cookie);
  const zero = await onCooperation(cooperation.id, { ...OUTCOME, rating: "0" }, world.requester.cookie);
  const negative = await onCooperation(cooperation.id, { ...OUTCOME, peopleTrained: "-3" }, world.requester.cookie);
  const noAdoption = await onCooperation(cooperation.id, { ...OUTCOME, adoption: "maybe" }, world.requester.cookie);

  expect(seven.status).toBe(400);
  expect(await fieldErrors(seven)).toEqual({ rating: ["brokering:validation.rating"] });
  expect(zero.status).toBe(400);
  expect(Object.keys(await fieldErrors(negative))).toEqual(["peopleTrained"]);
  expect(Object.keys(await fieldErrors(noAdoption))).toEqual(["adoption"]);
  expect(await prisma().outcomeReport.count({ where: { cooperationId: cooperation.id } })).toBe(0);
});

test("both sides file one outcome report each after completion; staff and outsiders cannot; ratings feed the track record", async () => {
  const world = await createPairingWorld();
  const before = (await findTrackRecords({ organizationIds: [world.providerOrganization.id] })).get(world.providerOrganization.id);
  expect(before).toBeUndefined();
  const cooperation = await completedCooperation(world);

  expect((await onCooperation(cooperation.id, OUTCOME, world.requester.cookie)).status).toBe(302);
  expect((await onCooperation(cooperation.id, { ...OUTCOME, rating: "3", adoption: "adopted" }, world.provider.cookie)).status).toBe(302);
  const twice = await onCooperation(cooperation.id, OUTCOME, world.requester.cookie);
  const byStaff = await onCooperation(cooperation.id, OUTCOME, world.staff.cookie);
  const byOutsider = await onCooperation(cooperation.id, OUTCOME, world.third.cookie);

  expect(twice.status).toBe(409);
  expect(await errorOf(twice)).toBe("brokering:errors.outcome-filed");
  expect(byStaff.status).toBe(403);
  expect(byOutsider.status).toBe(403);
  expect(await prisma().outcomeReport.count({ where: { cooperationId: cooperation.id } })).toBe(2);
  // The requesting agency's rating (5) counts; the provider's view of itself (3) does not.
  expect((await findTrackRecords({ organizationIds: [world.providerOrganization.id] })).get(world.providerOrganization.id)).toEqual({ completed: 1, averageRating: 5 });
  expect((await findTrackRecords({ organizationIds: "all" })).get(world.providerOrganization.id)).toEqual({ completed: 1, averageRating: 5 });
});

test("the follow-up job reminds the requesting agency once; it answers whether the practice is still in use", async () => {
  const world = await createPairingWorld();
  const cooperation = await completedCooperation(world);
  const followUp = await prisma().followUp.findFirstOrThrow({ where: { cooperationId: cooperation.id, months: 6 }, select: { id: true } });

  expect(await sendFollowUpReminder({ followUpId: followUp.id })).toBe(true);
  expect(await sendFollowUpReminder({ followUpId: followUp.id })).toBe(false);
  const reminders = await prisma().notification.findMany({ where: { kind: "brokering:notifications.followUpDue", link: `/cooperations/${cooperation.id}#follow-up` }, select: { userId: true } });
  expect(reminders.map((row) => row.userId)).toEqual([world.requester.user.id]);

  const byProvider = await onCooperation(cooperation.id, { intent: "follow-up", followUpId: followUp.id, stillInUse: "yes" }, world.provider.cookie);
  const answered = await onCooperation(cooperation.id, { intent: "follow-up", followUpId: followUp.id, stillInUse: "yes", note: "Five centers open" }, world.requester.cookie);
  const again = await onCooperation(cooperation.id, { intent: "follow-up", followUpId: followUp.id, stillInUse: "no" }, world.requester.cookie);

  expect(byProvider.status).toBe(403);
  expect(answered.status).toBe(302);
  expect(again.status).toBe(409);
  expect(await prisma().followUp.findUniqueOrThrow({ where: { id: followUp.id }, select: { stillInUse: true, note: true } })).toEqual({ stillInUse: true, note: "Five centers open" });
});

test("cooperations show on both countries' pages", async () => {
  const world = await createPairingWorld();
  const cooperation = await cooperationOf(world);

  for (const code of ["HN", "SV"]) {
    const body = await (await respond(countryLoader, getRequest(`/countries/${code}`), { code })).json();
    expect(body.cooperations.map((row: { id: string }) => row.id), code).toContain(cooperation.id);
  }
  const chile = await (await respond(countryLoader, getRequest("/countries/CL"), { code: "CL" })).json();
  expect(chile.cooperations.map((row: { id: string }) => row.id)).not.toContain(cooperation.id);
});

// ---------------------------------------------------------------------------------------
// The audit log and the queue

test("the audit log is append-only in the database itself: UPDATE, DELETE and TRUNCATE are refused", async () => {
  const world = await createPairingWorld();
  await confirmed(world);
  const event = await prisma().auditEvent.findFirstOrThrow({ where: { entityId: world.proposal.id }, select: { id: true, note: true } });

  await expect(prisma().$executeRaw`UPDATE "audit_event" SET note = 'rewritten' WHERE id = ${event.id}::uuid`).rejects.toThrow(/append-only/);
  await expect(prisma().$executeRaw`DELETE FROM "audit_event" WHERE id = ${event.id}::uuid`).rejects.toThrow(/append-only/);
  await expect(prisma().$executeRaw`TRUNCATE "audit_event"`).rejects.toThrow(/append-only/);
  expect(await prisma().auditEvent.findUniqueOrThrow({ where: { id: event.id }, select: { id: true, note: true } })).toEqual(event);
});

test("the queue filters by country, theme and status, counts per status, and sorts by score or age", async () => {
  const world = await createPairingWorld({ alternates: 2 });
  const lower = await insertProposal({ requestId: world.request.id, offerId: (await insertOffer({ organizationId: world.thirdOrganization.id })).id, score: 10, rank: 9 });
  // A theme no other test uses, so this world's pairings are the whole filtered queue.
  await prisma().request.update({ where: { id: world.request.id }, data: { themes: ["labor-migration"] } });
  const query = (fields: Record<string, string>) => pairingQueueQuerySchema.parse({ country: "HN", theme: "labor-migration", ...fields });

  const byScore = await listPairingQueue({ query: query({}), locale: "es" });
  const ids = byScore.rows.map((row) => row.id);
  const scores = byScore.rows.map((row) => row.score);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
  expect(ids).toContain(world.proposal.id);
  expect(ids.indexOf(lower.id)).toBeGreaterThan(ids.indexOf(world.proposal.id));
  const otherTheme = await listPairingQueue({ query: query({ theme: "social-protection" }), locale: "en" });
  expect(otherTheme.rows.map((row) => row.id)).not.toContain(world.proposal.id);
  expect(byScore.total).toBe(4);
  expect(byScore.counts).toEqual({ proposed: 4, confirmed: 0, accepted: 0, declined: 0, rejected: 0 });
  const oldestFirst = await listPairingQueue({ query: query({ sort: "age", dir: "desc" }), locale: "en" });
  const created = oldestFirst.rows.map((row) => row.createdAt.getTime());
  expect(created).toEqual([...created].sort((a, b) => a - b));
  await confirmed(world);
  const onlyConfirmed = await listPairingQueue({ query: query({ status: "confirmed" }), locale: "en" });
  expect(onlyConfirmed.rows.map((row) => row.id)).toEqual([world.proposal.id]);
  expect(onlyConfirmed.counts).toMatchObject({ proposed: 3, confirmed: 1 });
  const response = await respond(queueLoader, getRequest("/staff/pairings?sort=bogus&page=-4&status=nope", { cookie: world.staff.cookie }));
  expect(response.status).toBe(200);
});

test("respondToPairing refuses a pending (unverified) member of the agency", async () => {
  const world = await createPairingWorld();
  await confirmed(world);
  const pending = { id: world.requester.user.id, role: "member" as const, status: "pending" as const, organizationId: world.requesterOrganization.id };

  await expect(respondToPairing({ proposalId: world.proposal.id, actor: pending, answer: { intent: "accept" } })).rejects.toMatchObject({ status: 403 });
  expect((await snapshot(world.proposal.id)).consents.map((consent) => consent.status)).toEqual(["pending", "pending"]);
});

test("the decline reason codes in the database are exactly those of app/schemas/brokering.ts", async () => {
  const rows = await prisma().$queryRaw<Array<{ definition: string }>>`
    SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conname = 'pairing_consent_decline_reason_check'`;
  const allowed = [...(rows[0]?.definition ?? "").matchAll(/'([^']+)'::text/g)].map((match) => match[1]);

  expect(allowed.sort()).toEqual([...DECLINE_REASON_CODES].sort());
});
