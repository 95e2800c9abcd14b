/**
 * Pairings as brokering sees them: the matcher's proposals that staff confirm or reject, then
 * the two agencies' answers. Each transition is one transaction with a conditional update on
 * the proposal's version (optimistic concurrency) plus its audit event, notifications and
 * matching job; a refusal throws BrokeringError inside it, so nothing is half-applied.
 * (docs/decisions/006-brokering.md)
 */
import { Prisma } from "~/generated/prisma/client";
import { enqueueMatching } from "~/jobs/matching.server";
import type { RejectionReason } from "~/matching/decisions";
import { recordAuditEvent } from "~/models/audit.server";
import { BrokeringError, isStaffActor, sideOf, type BrokeringActor } from "~/models/brokering-rules";
import { countryName, countryNamesSelect } from "~/models/country.server";
import { notify } from "~/models/notification.server";
import { decideProposal } from "~/models/proposal.server";
import type { ConsentInput, PairingQueueQuery, PairingSideCode, QueueStatus } from "~/schemas/brokering";
import { getPrisma, type TransactionClient } from "~/utils/db.server";

export const QUEUE_PAGE_SIZE = 20;

const organizationSelect = {
  id: true,
  name: true,
  countryCode: true,
  country: { select: { ...countryNamesSelect, subregion: true } },
} as const;

type OrganizationRow = {
  id: string;
  name: string;
  countryCode: string;
  country: { nameEn: string; nameEs: string; namePt: string; nameFr: string; subregion: string | null };
};

export type OrganizationView = { id: string; name: string; countryCode: string; countryName: string; subregion: string | null };

function organizationView(row: OrganizationRow, locale: string): OrganizationView {
  return {
    id: row.id,
    name: row.name,
    countryCode: row.countryCode,
    countryName: countryName(row.country, locale),
    subregion: row.country.subregion,
  };
}

function readReasons(value: Prisma.JsonValue, locale: string): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
  const list = locale === "es" ? value.es : value.en;
  return Array.isArray(list) ? list.filter((item): item is string => typeof item === "string") : [];
}

export type FactorView = { name: string; value: number; weight: number; points: number };

function readFactors(value: Prisma.JsonValue): { factors: FactorView[]; feedbackPoints: number | null } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { factors: [], feedbackPoints: null };
  const factors: FactorView[] = [];
  const map = value.factors;
  if (typeof map === "object" && map !== null && !Array.isArray(map)) {
    for (const [name, entry] of Object.entries(map)) {
      if (typeof entry !== "object" || entry === null || Array.isArray(entry)) continue;
      const numbers = { value: entry.value, weight: entry.weight, points: entry.points };
      if (typeof numbers.value === "number" && typeof numbers.weight === "number" && typeof numbers.points === "number") {
        factors.push({ name, value: numbers.value, weight: numbers.weight, points: numbers.points });
      }
    }
  }
  const feedback = value.feedback;
  const feedbackPoints =
    typeof feedback === "object" && feedback !== null && !Array.isArray(feedback) && typeof feedback.points === "number" ? feedback.points : null;
  return { factors, feedbackPoints };
}

async function activeMemberIds(tx: TransactionClient, organizationIds: readonly string[]): Promise<string[]> {
  const users = await tx.user.findMany({
    where: { organizationId: { in: [...organizationIds] }, status: "active", role: "member" },
    select: { id: true },
  });
  return users.map((user) => user.id);
}

async function activeStaffIds(tx: TransactionClient): Promise<string[]> {
  const users = await tx.user.findMany({ where: { role: { in: ["staff", "admin"] }, status: "active" }, select: { id: true } });
  return users.map((user) => user.id);
}

// ---------------------------------------------------------------------------------------
// The staff queue

export type QueueRow = {
  id: string;
  status: QueueStatus;
  source: "matcher" | "manual";
  score: number;
  recommended: boolean;
  createdAt: Date;
  request: { id: string; title: string; organization: OrganizationView };
  offer: { id: string; title: string; organization: OrganizationView };
  /** For a pairing an agency declined: the request's best undecided alternate. */
  nextAlternateId: string | null;
};

export type PairingQueue = {
  rows: QueueRow[];
  total: number;
  page: number;
  pageCount: number;
  counts: Record<QueueStatus, number>;
};

function queueFilter(query: PairingQueueQuery): Prisma.ProposalWhereInput {
  const filters: Prisma.ProposalWhereInput[] = [];
  if (query.country) {
    filters.push({
      OR: [{ request: { organization: { countryCode: query.country } } }, { offer: { organization: { countryCode: query.country } } }],
    });
  }
  if (query.subregion) {
    const subregion = query.subregion;
    filters.push({
      OR: [{ request: { organization: { country: { subregion } } } }, { offer: { organization: { country: { subregion } } } }],
    });
  }
  if (query.theme) {
    filters.push({ OR: [{ request: { themes: { has: query.theme } } }, { offer: { themes: { has: query.theme } } }] });
  }
  return { AND: filters };
}

export async function listPairingQueue({ query, locale }: { query: PairingQueueQuery; locale: string }): Promise<PairingQueue> {
  const prisma = getPrisma();
  const filter = queueFilter(query);
  const where: Prisma.ProposalWhereInput = query.status ? { AND: [filter, { status: query.status }] } : filter;
  const orderBy: Prisma.ProposalOrderByWithRelationInput[] =
    query.sort === "age"
      ? // "oldest first" is the descending age
        [{ createdAt: query.dir === "desc" ? "asc" : "desc" }, { id: "asc" }]
      : [{ score: query.dir }, { createdAt: "asc" }, { id: "asc" }];
  const [total, grouped] = await Promise.all([
    prisma.proposal.count({ where }),
    prisma.proposal.groupBy({ by: ["status"], where: filter, _count: { _all: true } }),
  ]);
  const pageCount = Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE));
  const page = Math.min(query.page, pageCount);
  const rows = await prisma.proposal.findMany({
    where,
    orderBy,
    skip: (page - 1) * QUEUE_PAGE_SIZE,
    take: QUEUE_PAGE_SIZE,
    select: {
      id: true,
      status: true,
      source: true,
      score: true,
      recommended: true,
      createdAt: true,
      requestId: true,
      request: { select: { id: true, title: true, organization: { select: organizationSelect } } },
      offer: { select: { id: true, title: true, organization: { select: organizationSelect } } },
    },
  });
  const declinedRequestIds = rows.filter((row) => row.status === "declined").map((row) => row.requestId);
  const alternates = await findNextAlternates({ requestIds: declinedRequestIds });
  const counts: Record<QueueStatus, number> = { proposed: 0, confirmed: 0, accepted: 0, declined: 0, rejected: 0 };
  for (const group of grouped) counts[group.status] = group._count._all;
  return {
    total,
    page,
    pageCount,
    counts,
    rows: rows.map((row) => ({
      id: row.id,
      status: row.status,
      source: row.source,
      score: row.score,
      recommended: row.recommended,
      createdAt: row.createdAt,
      request: { id: row.request.id, title: row.request.title, organization: organizationView(row.request.organization, locale) },
      offer: { id: row.offer.id, title: row.offer.title, organization: organizationView(row.offer.organization, locale) },
      nextAlternateId: row.status === "declined" ? (alternates.get(row.requestId) ?? null) : null,
    })),
  };
}

/** Each request's best undecided proposal: the alternate to suggest after a decline. */
async function findNextAlternates({ requestIds }: { requestIds: readonly string[] }): Promise<Map<string, string>> {
  if (requestIds.length === 0) return new Map();
  const rows = await getPrisma().$queryRaw<Array<{ request_id: string; id: string }>>`
    SELECT DISTINCT ON (p.request_id) p.request_id::text AS request_id, p.id::text AS id
      FROM "proposal" p JOIN "offer" f ON f.id = p.offer_id
     WHERE p.request_id = ANY(${[...new Set(requestIds)]}::uuid[]) AND p.status = 'proposed' AND f.status = 'published'
     ORDER BY p.request_id, p.rank ASC NULLS LAST, p.score DESC, p.id`;
  return new Map(rows.map((row) => [row.request_id, row.id]));
}

// ---------------------------------------------------------------------------------------
// One pairing, for staff

const recordSelect = {
  id: true,
  key: true,
  title: true,
  summary: true,
  status: true,
  themes: true,
  modalities: true,
  workingLanguages: true,
  organization: { select: organizationSelect },
} as const;

export type StaffPairing = NonNullable<Awaited<ReturnType<typeof getStaffPairing>>>;

export async function getStaffPairing({ id, locale }: { id: string; locale: string }) {
  const prisma = getPrisma();
  const row = await prisma.proposal.findUnique({
    where: { id },
    select: {
      id: true,
      status: true,
      source: true,
      score: true,
      sharedLanguage: true,
      factors: true,
      reasons: true,
      rank: true,
      recommended: true,
      version: true,
      rejectionReason: true,
      decisionNote: true,
      agencyNote: true,
      decidedAt: true,
      createdAt: true,
      decidedBy: { select: { name: true } },
      request: { select: { ...recordSelect, desiredStart: true, desiredEnd: true } },
      offer: { select: { ...recordSelect, capacityPerYear: true } },
      consents: {
        orderBy: { side: "asc" },
        select: { side: true, status: true, declineReason: true, declineNote: true, respondedAt: true, respondedBy: { select: { name: true } } },
      },
      cooperation: { select: { id: true, status: true } },
    },
  });
  if (!row) return null;
  const alternates = await prisma.proposal.findMany({
    where: { requestId: row.request.id, id: { not: row.id } },
    orderBy: [{ rank: { sort: "asc", nulls: "last" } }, { score: "desc" }, { id: "asc" }],
    take: 15,
    select: { id: true, status: true, score: true, rank: true, recommended: true, offer: { select: { id: true, title: true, organization: { select: organizationSelect } } } },
  });
  const { factors, feedbackPoints } = readFactors(row.factors);
  return {
    id: row.id,
    status: row.status,
    source: row.source,
    score: row.score,
    sharedLanguage: row.sharedLanguage,
    rank: row.rank,
    recommended: row.recommended,
    version: row.version,
    rejectionReason: row.rejectionReason,
    decisionNote: row.decisionNote,
    agencyNote: row.agencyNote,
    decidedAt: row.decidedAt,
    decidedBy: row.decidedBy?.name ?? null,
    createdAt: row.createdAt,
    factors,
    feedbackPoints,
    reasons: readReasons(row.reasons, locale),
    request: { ...row.request, organization: organizationView(row.request.organization, locale) },
    offer: { ...row.offer, organization: organizationView(row.offer.organization, locale) },
    consents: row.consents.map((consent) => ({ ...consent, respondedBy: consent.respondedBy?.name ?? null })),
    cooperation: row.cooperation,
    alternates: alternates.map((alternate) => ({
      id: alternate.id,
      status: alternate.status,
      score: alternate.score,
      rank: alternate.rank,
      recommended: alternate.recommended,
      offer: { id: alternate.offer.id, title: alternate.offer.title, organization: organizationView(alternate.offer.organization, locale) },
    })),
  };
}

// ---------------------------------------------------------------------------------------
// Staff decisions

export type StaffPairingDecision =
  | { intent: "confirm"; version: number; agencyNote: string | null; internalNote: string | null }
  | { intent: "reject"; version: number; reason: RejectionReason; internalNote: string | null };

/**
 * Confirms or rejects an undecided pairing through decideProposal (the matcher's own version
 * check and its learning contract); a confirmation also opens the agencies' consent, tells both
 * agencies, and the request is matched again either way.
 */
export async function decidePairing({
  proposalId,
  staff,
  decision,
  now = new Date(),
}: {
  proposalId: string;
  staff: BrokeringActor;
  decision: StaffPairingDecision;
  now?: Date;
}): Promise<{ version: number }> {
  if (!isStaffActor(staff)) throw new BrokeringError("forbidden");
  const result = await decideProposal({
    proposalId,
    expectedVersion: decision.version,
    staffId: staff.id,
    now,
    decision:
      decision.intent === "confirm"
        ? { status: "confirmed", note: decision.internalNote }
        : { status: "rejected", reason: decision.reason, note: decision.internalNote },
    afterDecision: async (tx, { requestId }) => {
      const pairing = await tx.proposal.findUniqueOrThrow({
        where: { id: proposalId },
        select: {
          request: { select: { title: true, status: true, organizationId: true, organization: { select: { countryCode: true } } } },
          offer: { select: { title: true, status: true, organizationId: true, organization: { select: { countryCode: true } } } },
        },
      });
      if (decision.intent === "confirm") {
        // The hard rules hold at the moment of the decision, not only when the matcher proposed.
        if (
          pairing.request.status !== "open" ||
          pairing.offer.status !== "published" ||
          pairing.request.organization.countryCode === pairing.offer.organization.countryCode
        ) {
          throw new BrokeringError("rules");
        }
        await tx.proposal.update({ where: { id: proposalId }, data: { agencyNote: decision.agencyNote } });
        await tx.pairingConsent.createMany({
          data: [
            { proposalId, side: "requester", createdAt: now },
            { proposalId, side: "provider", createdAt: now },
          ],
        });
        await notify(tx, {
          userIds: await activeMemberIds(tx, [pairing.request.organizationId, pairing.offer.organizationId]),
          kind: "brokering:notifications.pairingConfirmed",
          params: { request: pairing.request.title, offer: pairing.offer.title },
          link: `/pairings/${proposalId}`,
          mail: true,
        });
      }
      await recordAuditEvent(tx, {
        entityType: "proposal",
        entityId: proposalId,
        action: decision.intent,
        fromStatus: "proposed",
        toStatus: decision.intent === "confirm" ? "confirmed" : "rejected",
        actorId: staff.id,
        note: [decision.intent === "reject" ? `reason: ${decision.reason}` : null, decision.internalNote, decision.intent === "confirm" && decision.agencyNote ? `to agencies: ${decision.agencyNote}` : null]
          .filter(Boolean)
          .join(" · ") || null,
        now,
      });
      await enqueueMatching(tx, { requestIds: [requestId] });
    },
  });
  if (!result.ok) throw new BrokeringError(result.conflict);
  return { version: result.version };
}

/**
 * A pairing staff make by hand with any offer: the same hard rules as the matcher (open
 * request, published offer, another country). It starts undecided, source `manual`, so the
 * matcher never rewrites it; staff then confirm it like any other.
 */
export async function createManualPairing({
  requestId,
  offerId,
  staff,
  now = new Date(),
}: {
  requestId: string;
  offerId: string;
  staff: BrokeringActor;
  now?: Date;
}): Promise<{ proposalId: string }> {
  if (!isStaffActor(staff)) throw new BrokeringError("forbidden");
  try {
    return await getPrisma().$transaction(async (tx) => {
      const [request, offer] = await Promise.all([
        tx.request.findUnique({
          where: { id: requestId },
          select: { status: true, workingLanguages: true, organization: { select: { countryCode: true } } },
        }),
        tx.offer.findUnique({
          where: { id: offerId },
          select: { status: true, workingLanguages: true, organization: { select: { countryCode: true } } },
        }),
      ]);
      if (!request || !offer) throw new BrokeringError("not-found");
      if (request.status !== "open" || offer.status !== "published" || request.organization.countryCode === offer.organization.countryCode) {
        throw new BrokeringError("rules");
      }
      const existing = await tx.proposal.findUnique({ where: { requestId_offerId: { requestId, offerId } }, select: { id: true } });
      if (existing) throw new BrokeringError("already-paired", existing.id);
      const sharedLanguage = request.workingLanguages.some((language) => offer.workingLanguages.includes(language));
      const created = await tx.proposal.create({
        data: {
          requestId,
          offerId,
          source: "manual",
          status: "proposed",
          score: 0,
          sharedLanguage,
          factors: { manual: true, factors: {} },
          reasons: {
            en: ["Paired by hand by OAS staff."],
            es: ["Emparejamiento hecho a mano por el personal de la OEA."],
          },
          createdAt: now,
        },
        select: { id: true },
      });
      await recordAuditEvent(tx, {
        entityType: "proposal",
        entityId: created.id,
        action: "manual-pairing",
        fromStatus: null,
        toStatus: "proposed",
        actorId: staff.id,
        now,
      });
      return { proposalId: created.id };
    });
  } catch (error) {
    // The matcher may have proposed the same pair a moment ago.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new BrokeringError("already-paired");
    throw error;
  }
}

/** The id of an existing pairing of this request and offer, if any. */
export async function findPairingOf({ requestId, offerId }: { requestId: string; offerId: string }): Promise<string | null> {
  const row = await getPrisma().proposal.findUnique({ where: { requestId_offerId: { requestId, offerId } }, select: { id: true } });
  return row?.id ?? null;
}

/** A request with all its pairings, for the staff's request view (manual pairing). */
export async function getRequestPairings({ requestId, locale }: { requestId: string; locale: string }) {
  const request = await getPrisma().request.findUnique({
    where: { id: requestId },
    select: {
      ...recordSelect,
      proposals: {
        orderBy: [{ rank: { sort: "asc", nulls: "last" } }, { score: "desc" }, { id: "asc" }],
        select: { id: true, status: true, source: true, score: true, offer: { select: { id: true, title: true, organization: { select: organizationSelect } } } },
      },
    },
  });
  if (!request) return null;
  return {
    ...request,
    organization: organizationView(request.organization, locale),
    proposals: request.proposals.map((proposal) => ({
      ...proposal,
      offer: { ...proposal.offer, organization: organizationView(proposal.offer.organization, locale) },
    })),
  };
}

/** Published offers by id, with their country, for the manual pairing's search results. */
export async function findOffersForPairing({ ids, locale }: { ids: readonly string[]; locale: string }) {
  const rows = await getPrisma().offer.findMany({
    where: { id: { in: [...ids] }, status: "published" },
    select: { id: true, title: true, summary: true, organization: { select: organizationSelect } },
  });
  const byId = new Map(rows.map((row) => [row.id, { ...row, organization: organizationView(row.organization, locale) }]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [row] : [];
  });
}

// ---------------------------------------------------------------------------------------
// The agencies' side

const AGENCY_VISIBLE_STATUSES = ["confirmed", "accepted", "declined"] as const;

/**
 * A confirmed pairing as one of its two agencies sees it (staff see it too): never an
 * undecided or rejected proposal, never another agency's pairing, never the internal note.
 */
export async function getAgencyPairing({ id, viewer, locale }: { id: string; viewer: BrokeringActor; locale: string }) {
  const row = await getPrisma().proposal.findUnique({
    where: { id },
    select: {
      id: true,
      status: true,
      reasons: true,
      agencyNote: true,
      decidedAt: true,
      request: { select: recordSelect },
      offer: { select: recordSelect },
      consents: { orderBy: { side: "asc" }, select: { side: true, status: true, declineReason: true, respondedAt: true } },
      cooperation: { select: { id: true, status: true } },
    },
  });
  if (!row || !AGENCY_VISIBLE_STATUSES.some((status) => status === row.status)) return null;
  const side = sideOf(viewer, { requestOrganizationId: row.request.organization.id, offerOrganizationId: row.offer.organization.id });
  if (side === null && !isStaffActor(viewer)) return null;
  return {
    id: row.id,
    status: row.status,
    reasons: readReasons(row.reasons, locale),
    agencyNote: row.agencyNote,
    decidedAt: row.decidedAt,
    viewerSide: side,
    request: { ...row.request, organization: organizationView(row.request.organization, locale) },
    offer: { ...row.offer, organization: organizationView(row.offer.organization, locale) },
    consents: row.consents,
    cooperation: row.cooperation,
  };
}

/**
 * One agency's answer. The proposal row is locked first (a conditional update of its version),
 * so two agencies answering at once are serialized: the second sees the first's answer, and
 * when both accepted exactly one cooperation starts, in the same transaction.
 */
export async function respondToPairing({
  proposalId,
  actor,
  answer,
  now = new Date(),
}: {
  proposalId: string;
  actor: BrokeringActor;
  answer: ConsentInput;
  now?: Date;
}): Promise<{ status: "confirmed" | "accepted" | "declined"; cooperationId: string | null }> {
  return getPrisma().$transaction(async (tx) => {
    const pairing = await tx.proposal.findUnique({
      where: { id: proposalId },
      select: {
        status: true,
        requestId: true,
        offerId: true,
        request: { select: { title: true, organizationId: true, organization: { select: { name: true } } } },
        offer: { select: { title: true, organizationId: true, organization: { select: { name: true } } } },
      },
    });
    if (!pairing) throw new BrokeringError("not-found");
    const side = sideOf(actor, { requestOrganizationId: pairing.request.organizationId, offerOrganizationId: pairing.offer.organizationId });
    // Only the two agencies answer: a third agency, or staff, is refused.
    if (side === null || actor.status !== "active") throw new BrokeringError("forbidden");
    // An undecided proposal does not exist for the agencies.
    if (pairing.status === "proposed") throw new BrokeringError("not-found");

    const locked = await tx.proposal.updateMany({
      where: { id: proposalId, status: "confirmed" },
      data: { version: { increment: 1 }, updatedAt: now },
    });
    if (locked.count === 0) throw new BrokeringError("not-awaiting-answers");

    const status = answer.intent === "accept" ? "accepted" : "declined";
    const answered = await tx.pairingConsent.updateMany({
      where: { proposalId, side, status: "pending" },
      data: {
        status,
        declineReason: answer.intent === "decline" ? answer.reason : null,
        declineNote: answer.intent === "decline" ? answer.note : null,
        respondedById: actor.id,
        respondedAt: now,
      },
    });
    if (answered.count === 0) throw new BrokeringError("already-answered");
    await recordAuditEvent(tx, {
      entityType: "proposal",
      entityId: proposalId,
      action: `${side}-${status}`,
      fromStatus: "pending",
      toStatus: status,
      actorId: actor.id,
      note: answer.intent === "decline" ? [`reason: ${answer.reason}`, answer.note].filter(Boolean).join(" · ") : null,
      now,
    });
    const agencyName = side === "requester" ? pairing.request.organization.name : pairing.offer.organization.name;
    const params = { request: pairing.request.title, offer: pairing.offer.title, organization: agencyName };

    if (answer.intent === "decline") {
      await tx.proposal.update({ where: { id: proposalId }, data: { status: "declined" } });
      await recordAuditEvent(tx, { entityType: "proposal", entityId: proposalId, action: "declined", fromStatus: "confirmed", toStatus: "declined", actorId: actor.id, now });
      const otherOrganization = side === "requester" ? pairing.offer.organizationId : pairing.request.organizationId;
      await notify(tx, {
        userIds: await activeMemberIds(tx, [otherOrganization]),
        kind: "brokering:notifications.pairingDeclined",
        params,
        link: `/pairings/${proposalId}`,
        mail: true,
      });
      await notify(tx, {
        userIds: await activeStaffIds(tx),
        kind: "brokering:notifications.pairingDeclinedStaff",
        params,
        link: `/staff/pairings/${proposalId}`,
      });
      // The request is unserved again: the matcher recommends anew.
      await enqueueMatching(tx, { requestIds: [pairing.requestId] });
      return { status: "declined" as const, cooperationId: null };
    }

    const pending = await tx.pairingConsent.count({ where: { proposalId, status: { not: "accepted" } } });
    if (pending > 0) return { status: "confirmed" as const, cooperationId: null };

    await tx.proposal.update({ where: { id: proposalId }, data: { status: "accepted" } });
    await recordAuditEvent(tx, { entityType: "proposal", entityId: proposalId, action: "accepted", fromStatus: "confirmed", toStatus: "accepted", actorId: actor.id, now });
    const cooperation = await tx.cooperation.create({
      data: { proposalId, requestId: pairing.requestId, offerId: pairing.offerId, status: "planned", createdAt: now, updatedAt: now },
      select: { id: true },
    });
    await recordAuditEvent(tx, {
      entityType: "cooperation",
      entityId: cooperation.id,
      action: "created",
      fromStatus: null,
      toStatus: "planned",
      actorId: actor.id,
      now,
    });
    await notify(tx, {
      userIds: [
        ...(await activeMemberIds(tx, [pairing.request.organizationId, pairing.offer.organizationId])),
        ...(await activeStaffIds(tx)),
      ],
      kind: "brokering:notifications.cooperationPlanned",
      params,
      link: `/cooperations/${cooperation.id}`,
      mail: true,
    });
    return { status: "accepted" as const, cooperationId: cooperation.id };
  });
}

/** The organization's pairings that staff confirmed (and what became of them), newest first. */
export async function listOrganizationPairings({ organizationId, locale }: { organizationId: string; locale: string }) {
  const rows = await getPrisma().proposal.findMany({
    where: {
      status: { in: [...AGENCY_VISIBLE_STATUSES] },
      OR: [{ request: { organizationId } }, { offer: { organizationId } }],
    },
    orderBy: [{ decidedAt: "desc" }, { id: "asc" }],
    take: 50,
    select: {
      id: true,
      status: true,
      request: { select: { id: true, title: true, organization: { select: organizationSelect } } },
      offer: { select: { id: true, title: true, organization: { select: organizationSelect } } },
      consents: { select: { side: true, status: true } },
      cooperation: { select: { id: true, status: true } },
    },
  });
  return rows.map((row) => {
    const side: PairingSideCode = row.request.organization.id === organizationId ? "requester" : "provider";
    return {
      id: row.id,
      status: row.status,
      side,
      ownAnswer: row.consents.find((consent) => consent.side === side)?.status ?? null,
      request: { id: row.request.id, title: row.request.title, organization: organizationView(row.request.organization, locale) },
      offer: { id: row.offer.id, title: row.offer.title, organization: organizationView(row.offer.organization, locale) },
      cooperation: row.cooperation,
    };
  });
}
