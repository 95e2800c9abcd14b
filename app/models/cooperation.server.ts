/**
 * Cooperations: what a pairing becomes once both agencies accept. Status planned -> in_progress
 * -> completed, or cancelled (with a reason) before completion; each transition is a conditional
 * update on the version, in one transaction with its audit event and notifications. At completion
 * both sides file an outcome report, and follow-ups at 6 and 12 months are scheduled as jobs.
 * (docs/decisions/006-brokering.md)
 */
import type { Prisma } from "~/generated/prisma/client";
import { enqueueFollowUpReminder } from "~/jobs/follow-up.server";
import { recordAuditEvent } from "~/models/audit.server";
import {
  acceptsActivities,
  BrokeringError,
  COOPERATION_TRANSITIONS,
  isStaffActor,
  sideOf,
  type BrokeringActor,
  type CooperationTransition,
} from "~/models/brokering-rules";
import { countryName, countryNamesSelect } from "~/models/country.server";
import { notify } from "~/models/notification.server";
import { FOLLOW_UP_MONTHS, type ActivityInput, type OutcomeInput, type PairingSideCode } from "~/schemas/brokering";
import { getPrisma, type TransactionClient } from "~/utils/db.server";

const organizationSelect = { id: true, name: true, countryCode: true, country: { select: countryNamesSelect } } as const;

type OrganizationRow = { id: string; name: string; countryCode: string; country: { nameEn: string; nameEs: string; namePt: string; nameFr: string } };

function organizationView(row: OrganizationRow, locale: string) {
  return { id: row.id, name: row.name, countryCode: row.countryCode, countryName: countryName(row.country, locale) };
}

function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime());
  result.setUTCMonth(result.getUTCMonth() + months);
  return result;
}

async function memberIds(tx: TransactionClient, organizationIds: readonly string[]): Promise<string[]> {
  const users = await tx.user.findMany({
    where: { organizationId: { in: [...organizationIds] }, status: "active", role: "member" },
    select: { id: true },
  });
  return users.map((user) => user.id);
}

type Parties = {
  id: string;
  status: "planned" | "in_progress" | "completed" | "cancelled";
  version: number;
  requestOrganizationId: string;
  offerOrganizationId: string;
  requestTitle: string;
  offerTitle: string;
};

async function loadParties(tx: TransactionClient, id: string): Promise<Parties | null> {
  const row = await tx.cooperation.findUnique({
    where: { id },
    select: {
      id: true,
      status: true,
      version: true,
      request: { select: { title: true, organizationId: true } },
      offer: { select: { title: true, organizationId: true } },
    },
  });
  if (!row) return null;
  return {
    id: row.id,
    status: row.status,
    version: row.version,
    requestOrganizationId: row.request.organizationId,
    offerOrganizationId: row.offer.organizationId,
    requestTitle: row.request.title,
    offerTitle: row.offer.title,
  };
}

/** The parties and staff may act; anyone else is refused (403). Pending members may not act. */
function requireParty(actor: BrokeringActor, parties: Parties): PairingSideCode | "staff" {
  const side = sideOf(actor, { requestOrganizationId: parties.requestOrganizationId, offerOrganizationId: parties.offerOrganizationId });
  if (side !== null) {
    if (actor.status !== "active") throw new BrokeringError("forbidden");
    return side;
  }
  if (isStaffActor(actor)) return "staff";
  throw new BrokeringError("forbidden");
}

// ---------------------------------------------------------------------------------------
// Reading

export type CooperationPage = NonNullable<Awaited<ReturnType<typeof getCooperation>>>;

/** The cooperation for its two agencies and staff; null for anyone else. */
export async function getCooperation({ id, viewer, locale }: { id: string; viewer: BrokeringActor; locale: string }) {
  const row = await getPrisma().cooperation.findUnique({
    where: { id },
    select: {
      id: true,
      status: true,
      version: true,
      proposalId: true,
      cancelReason: true,
      startedAt: true,
      completedAt: true,
      cancelledAt: true,
      createdAt: true,
      request: { select: { id: true, title: true, organization: { select: organizationSelect } } },
      offer: { select: { id: true, title: true, organization: { select: organizationSelect } } },
      activities: {
        orderBy: [{ startsOn: "asc" }, { createdAt: "asc" }],
        select: { id: true, title: true, modality: true, startsOn: true, endsOn: true, place: true, link: true, participants: true },
      },
      documents: { orderBy: { createdAt: "asc" }, select: { id: true, title: true, url: true } },
      messages: {
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { id: true, body: true, createdAt: true, author: { select: { name: true, role: true, organization: { select: { name: true } } } } },
      },
      outcomes: {
        orderBy: { side: "asc" },
        select: { side: true, transferred: true, peopleTrained: true, trainersCertified: true, rating: true, adoption: true, filedAt: true, filedBy: { select: { name: true } } },
      },
      followUps: { orderBy: { months: "asc" }, select: { id: true, months: true, dueAt: true, remindedAt: true, answeredAt: true, stillInUse: true, note: true } },
    },
  });
  if (!row) return null;
  const side = sideOf(viewer, { requestOrganizationId: row.request.organization.id, offerOrganizationId: row.offer.organization.id });
  if (side === null && !isStaffActor(viewer)) return null;
  return {
    ...row,
    viewerSide: side,
    request: { ...row.request, organization: organizationView(row.request.organization, locale) },
    offer: { ...row.offer, organization: organizationView(row.offer.organization, locale) },
    messages: row.messages.map((message) => ({
      id: message.id,
      body: message.body,
      createdAt: message.createdAt,
      authorName: message.author?.name ?? null,
      authorOrganization: message.author?.organization?.name ?? null,
      authorIsStaff: message.author ? message.author.role !== "member" : false,
    })),
    outcomes: row.outcomes.map(({ filedBy, ...outcome }) => ({ ...outcome, filedBy: filedBy?.name ?? null })),
  };
}

export type CooperationSummary = {
  id: string;
  status: "planned" | "in_progress" | "completed" | "cancelled";
  offer: { id: string; title: string };
  requester: { id: string; name: string; countryCode: string; countryName: string };
  provider: { id: string; name: string; countryCode: string; countryName: string };
  startedAt: Date | null;
  completedAt: Date | null;
  averageRating: number | null;
};

const summarySelect = {
  id: true,
  status: true,
  startedAt: true,
  completedAt: true,
  createdAt: true,
  offer: { select: { id: true, title: true, organization: { select: organizationSelect } } },
  request: { select: { organization: { select: organizationSelect } } },
  outcomes: { select: { rating: true } },
} as const;

async function listCooperations(where: Prisma.CooperationWhereInput, locale: string): Promise<CooperationSummary[]> {
  const rows = await getPrisma().cooperation.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "asc" }], take: 100, select: summarySelect });
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    offer: { id: row.offer.id, title: row.offer.title },
    requester: organizationView(row.request.organization, locale),
    provider: organizationView(row.offer.organization, locale),
    startedAt: row.startedAt,
    completedAt: row.completedAt,
    averageRating: row.outcomes.length ? row.outcomes.reduce((sum, outcome) => sum + outcome.rating, 0) / row.outcomes.length : null,
  }));
}

/** Cooperations in which the country took part, on either side (public: titles of offers only). */
export async function listCountryCooperations({ code, locale }: { code: string; locale: string }): Promise<CooperationSummary[]> {
  return listCooperations(
    { OR: [{ request: { organization: { countryCode: code } } }, { offer: { organization: { countryCode: code } } }] },
    locale,
  );
}

/** Cooperations of the organization, on either side. */
export async function listOrganizationCooperations({ organizationId, locale }: { organizationId: string; locale: string }): Promise<CooperationSummary[]> {
  return listCooperations({ OR: [{ request: { organizationId } }, { offer: { organizationId } }] }, locale);
}

// ---------------------------------------------------------------------------------------
// Transitions

/**
 * Moves the cooperation on, if it is still at `expectedVersion` and the transition is legal
 * from its status; refuses with 409 otherwise (completing a cancelled cooperation, a stale page).
 */
export async function transitionCooperation({
  id,
  actor,
  transition,
  expectedVersion,
  cancelReason,
  now = new Date(),
}: {
  id: string;
  actor: BrokeringActor;
  transition: CooperationTransition;
  expectedVersion: number;
  cancelReason?: string | null;
  now?: Date;
}): Promise<{ version: number; status: string }> {
  const rule = COOPERATION_TRANSITIONS[transition];
  return getPrisma().$transaction(async (tx) => {
    const parties = await loadParties(tx, id);
    if (!parties) throw new BrokeringError("not-found");
    requireParty(actor, parties);
    if (transition === "cancel" && !cancelReason) throw new BrokeringError("illegal-transition", "a cancellation needs a reason");
    const updated = await tx.cooperation.updateManyAndReturn({
      where: { id, version: expectedVersion, status: { in: [...rule.from] } },
      data: {
        status: rule.to,
        version: { increment: 1 },
        updatedAt: now,
        ...(transition === "start" ? { startedAt: now } : {}),
        ...(transition === "complete" ? { completedAt: now } : {}),
        ...(transition === "cancel" ? { cancelledAt: now, cancelReason } : {}),
      },
      select: { version: true },
    });
    const [row] = updated;
    if (!row) {
      // Illegal from the current status, whatever the version; else someone acted first.
      throw new BrokeringError(rule.from.includes(parties.status) ? "stale" : "illegal-transition");
    }
    await recordAuditEvent(tx, {
      entityType: "cooperation",
      entityId: id,
      action: transition,
      fromStatus: parties.status,
      toStatus: rule.to,
      actorId: actor.id,
      note: transition === "cancel" ? cancelReason : null,
      now,
    });
    const params = { request: parties.requestTitle, offer: parties.offerTitle };
    const recipients = await memberIds(tx, [parties.requestOrganizationId, parties.offerOrganizationId]);
    if (transition === "complete") {
      for (const months of FOLLOW_UP_MONTHS) {
        const followUp = await tx.followUp.create({
          data: { cooperationId: id, months, dueAt: addMonths(now, months), createdAt: now },
          select: { id: true, dueAt: true },
        });
        await enqueueFollowUpReminder(tx, { followUpId: followUp.id, runAt: followUp.dueAt });
      }
      await notify(tx, { userIds: recipients, kind: "brokering:notifications.cooperationCompleted", params, link: `/cooperations/${id}`, mail: true });
    } else if (transition === "cancel") {
      await notify(tx, { userIds: recipients, kind: "brokering:notifications.cooperationCancelled", params, link: `/cooperations/${id}`, mail: true });
    } else {
      await notify(tx, { userIds: recipients, kind: "brokering:notifications.cooperationStarted", params, link: `/cooperations/${id}` });
    }
    return { version: row.version, status: rule.to };
  });
}

export async function addActivity({ id, actor, activity }: { id: string; actor: BrokeringActor; activity: Omit<ActivityInput, "intent"> }): Promise<void> {
  await getPrisma().$transaction(async (tx) => {
    const parties = await loadParties(tx, id);
    if (!parties) throw new BrokeringError("not-found");
    requireParty(actor, parties);
    // Locks the row, so a cancellation cannot slip in between the check and the insert.
    const locked = await tx.cooperation.updateMany({ where: { id, status: { in: ["planned", "in_progress"] } }, data: { updatedAt: new Date() } });
    if (locked.count === 0 || !acceptsActivities(parties.status)) throw new BrokeringError("not-active");
    await tx.cooperationActivity.create({
      data: {
        cooperationId: id,
        title: activity.title,
        modality: activity.modality,
        startsOn: new Date(`${activity.startsOn}T00:00:00Z`),
        endsOn: new Date(`${activity.endsOn}T00:00:00Z`),
        place: activity.place,
        link: activity.link ?? null,
        participants: activity.participants,
      },
    });
    await recordAuditEvent(tx, { entityType: "cooperation", entityId: id, action: "activity-added", actorId: actor.id, note: `${activity.modality}: ${activity.title}` });
  });
}

export async function addDocument({ id, actor, document }: { id: string; actor: BrokeringActor; document: { title: string; url: string } }): Promise<void> {
  await getPrisma().$transaction(async (tx) => {
    const parties = await loadParties(tx, id);
    if (!parties) throw new BrokeringError("not-found");
    requireParty(actor, parties);
    if (parties.status === "cancelled") throw new BrokeringError("not-active");
    await tx.cooperationDocument.create({ data: { cooperationId: id, title: document.title, url: document.url } });
  });
}

export async function postMessage({ id, actor, body }: { id: string; actor: BrokeringActor; body: string }): Promise<void> {
  await getPrisma().$transaction(async (tx) => {
    const parties = await loadParties(tx, id);
    if (!parties) throw new BrokeringError("not-found");
    const side = requireParty(actor, parties);
    await tx.cooperationMessage.create({ data: { cooperationId: id, authorId: actor.id, body } });
    const others = side === "requester" ? [parties.offerOrganizationId] : side === "provider" ? [parties.requestOrganizationId] : [parties.requestOrganizationId, parties.offerOrganizationId];
    await notify(tx, {
      userIds: (await memberIds(tx, others)).filter((userId) => userId !== actor.id),
      kind: "brokering:notifications.message",
      params: { offer: parties.offerTitle },
      link: `/cooperations/${id}#messages`,
    });
  });
}

/** Each side files one outcome report, once the cooperation is completed. */
export async function fileOutcome({
  id,
  actor,
  outcome,
  now = new Date(),
}: {
  id: string;
  actor: BrokeringActor;
  outcome: Omit<OutcomeInput, "intent">;
  now?: Date;
}): Promise<void> {
  await getPrisma().$transaction(async (tx) => {
    const parties = await loadParties(tx, id);
    if (!parties) throw new BrokeringError("not-found");
    const side = requireParty(actor, parties);
    // Outcomes are the agencies' own account: staff do not file them.
    if (side === "staff") throw new BrokeringError("forbidden");
    if (parties.status !== "completed") throw new BrokeringError("not-completed");
    const existing = await tx.outcomeReport.findUnique({ where: { cooperationId_side: { cooperationId: id, side } }, select: { id: true } });
    if (existing) throw new BrokeringError("outcome-filed");
    await tx.outcomeReport.create({
      data: {
        cooperationId: id,
        side,
        transferred: outcome.transferred,
        peopleTrained: outcome.peopleTrained,
        trainersCertified: outcome.trainersCertified,
        rating: outcome.rating,
        adoption: outcome.adoption,
        filedById: actor.id,
        filedAt: now,
      },
    });
    await recordAuditEvent(tx, {
      entityType: "cooperation",
      entityId: id,
      action: `${side}-outcome-filed`,
      actorId: actor.id,
      note: `rating ${outcome.rating}, ${outcome.adoption}`,
      now,
    });
  });
}

/** The requesting agency says whether the practice is still in use. */
export async function answerFollowUp({
  id,
  followUpId,
  actor,
  stillInUse,
  note,
  now = new Date(),
}: {
  id: string;
  followUpId: string;
  actor: BrokeringActor;
  stillInUse: boolean;
  note: string | null;
  now?: Date;
}): Promise<void> {
  await getPrisma().$transaction(async (tx) => {
    const parties = await loadParties(tx, id);
    if (!parties) throw new BrokeringError("not-found");
    const side = requireParty(actor, parties);
    if (side !== "requester") throw new BrokeringError("forbidden");
    const answered = await tx.followUp.updateMany({
      where: { id: followUpId, cooperationId: id, answeredAt: null },
      data: { answeredAt: now, stillInUse, note },
    });
    if (answered.count === 0) {
      const exists = await tx.followUp.findFirst({ where: { id: followUpId, cooperationId: id }, select: { id: true } });
      throw new BrokeringError(exists ? "follow-up-answered" : "not-found");
    }
    await recordAuditEvent(tx, {
      entityType: "cooperation",
      entityId: id,
      action: "follow-up-answered",
      actorId: actor.id,
      note: `${stillInUse ? "still in use" : "no longer in use"}${note ? ` · ${note}` : ""}`,
      now,
    });
  });
}

/**
 * The follow-up job: reminds the requesting agency, once, unless it answered already. Returns
 * whether a reminder went out.
 */
export async function sendFollowUpReminder({ followUpId, now = new Date() }: { followUpId: string; now?: Date }): Promise<boolean> {
  return getPrisma().$transaction(async (tx) => {
    const marked = await tx.followUp.updateManyAndReturn({
      where: { id: followUpId, answeredAt: null, remindedAt: null },
      data: { remindedAt: now },
      select: { months: true, cooperationId: true },
    });
    const [followUp] = marked;
    if (!followUp) return false;
    const parties = await loadParties(tx, followUp.cooperationId);
    if (!parties) return false;
    await notify(tx, {
      userIds: await memberIds(tx, [parties.requestOrganizationId]),
      kind: "brokering:notifications.followUpDue",
      params: { months: followUp.months, offer: parties.offerTitle },
      link: `/cooperations/${followUp.cooperationId}#follow-up`,
      mail: true,
    });
    return true;
  });
}
