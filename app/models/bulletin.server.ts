/**
 * The monthly bulletin: composing an issue from what happened since the previous one, editing
 * and publishing it in English and Spanish, and its readers (double opt-in subscriptions). A
 * published issue goes out through the mail outbox: one mail per confirmed subscriber, in the
 * subscriber's language, queued in the publishing transaction.
 */
import { randomBytes } from "node:crypto";
import { Prisma } from "~/generated/prisma/client";
import type { UiLocale } from "~/i18n/config";
import { enqueueMail, enqueueMails, type MailRequest } from "~/jobs/mail.server";
import { absoluteUrl } from "~/mail/urls.server";
import {
  bulletinEdition,
  bulletinHighlightsSchema,
  isEditionLocale,
  type BulletinCooperation,
  type BulletinHighlights,
  type BulletinRecord,
} from "~/models/bulletin-edition";
import type { EditBulletinData } from "~/schemas/bulletin";
import { getPrisma, type TransactionClient } from "~/utils/db.server";

// A first issue covers the month before it was composed.
const FIRST_ISSUE_LOOKBACK_MS = 31 * 24 * 60 * 60 * 1000;
const MAX_ITEMS_PER_SECTION = 50;
const UPCOMING_MEETINGS = 10;
// Publishing queues a mail per subscriber in one transaction.
const PUBLISH_TRANSACTION_TIMEOUT_MS = 300_000;

// ---------------------------------------------------------------------------------------
// Highlights: what happened in a period

const recordSelect = {
  id: true,
  title: true,
  summary: true,
  language: true,
  themes: true,
  organization: { select: { name: true, country: { select: { nameEn: true, nameEs: true } } } },
} as const;

type RecordRow = {
  id: string;
  title: string;
  summary: string;
  language: string;
  themes: string[];
  organization: { name: string; country: { nameEn: string; nameEs: string } };
};

function toBulletinRecord(row: RecordRow): BulletinRecord {
  return {
    id: row.id,
    title: row.title,
    summary: row.summary,
    language: row.language,
    themes: row.themes,
    organization: row.organization.name,
    country: { en: row.organization.country.nameEn, es: row.organization.country.nameEs },
  };
}

type CooperationHighlightRow = {
  id: string;
  status: string;
  completed_in_period: boolean;
  offer_id: string;
  title: string;
  language: string;
  provider_en: string;
  provider_es: string;
  beneficiary_en: string;
  beneficiary_es: string;
};

/**
 * Cooperations (brokering, issue 7) that started or were completed in the period, one entry each:
 * one that did both is reported as completed. The bulletin is public, so an entry links to the
 * offer the cooperation replicates (a public page) and names countries, not agencies.
 */
async function collectCooperationHighlights({ since, until }: { since: Date; until: Date }): Promise<BulletinCooperation[]> {
  const rows = await getPrisma().$queryRaw<CooperationHighlightRow[]>`
    SELECT c."id"::text AS "id", c."status"::text AS "status",
           (c."status" = 'completed' AND c."completed_at" > ${since} AND c."completed_at" <= ${until}) AS "completed_in_period",
           o."id"::text AS "offer_id", o."title", o."language",
           pc."name_en" AS "provider_en", pc."name_es" AS "provider_es",
           bc."name_en" AS "beneficiary_en", bc."name_es" AS "beneficiary_es"
    FROM "cooperation" c
    JOIN "offer" o ON o."id" = c."offer_id"
    JOIN "request" r ON r."id" = c."request_id"
    JOIN "organization" po ON po."id" = o."organization_id"
    JOIN "organization" bo ON bo."id" = r."organization_id"
    JOIN "country" pc ON pc."code" = po."country_code"
    JOIN "country" bc ON bc."code" = bo."country_code"
    WHERE c."status" <> 'cancelled'
      AND ((c."status" = 'completed' AND c."completed_at" > ${since} AND c."completed_at" <= ${until})
        OR (c."started_at" > ${since} AND c."started_at" <= ${until}))
    ORDER BY greatest(c."started_at", c."completed_at") DESC, c."id"
    LIMIT ${MAX_ITEMS_PER_SECTION}`;
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    language: row.language,
    stage: row.completed_in_period ? "completed" : "started",
    parties: { en: `${row.provider_en} → ${row.beneficiary_en}`, es: `${row.provider_es} → ${row.beneficiary_es}` },
    path: `/offers/${row.offer_id}`,
  }));
}

/** New published offers, requests opened in the period, upcoming meetings, and cooperations. */
export async function gatherBulletinHighlights({ since, until }: { since: Date; until: Date }): Promise<BulletinHighlights> {
  const prisma = getPrisma();
  const [offers, requests, meetings, cooperations] = await Promise.all([
    prisma.offer.findMany({
      where: { status: "published", publishedAt: { gt: since, lte: until } },
      orderBy: [{ publishedAt: "desc" }, { id: "asc" }],
      take: MAX_ITEMS_PER_SECTION,
      select: recordSelect,
    }),
    prisma.request.findMany({
      where: { status: "open", publishedAt: { gt: since, lte: until } },
      orderBy: [{ publishedAt: "desc" }, { id: "asc" }],
      take: MAX_ITEMS_PER_SECTION,
      select: recordSelect,
    }),
    prisma.meeting.findMany({
      where: { startsAt: { gt: until } },
      orderBy: [{ startsAt: "asc" }, { id: "asc" }],
      take: UPCOMING_MEETINGS,
      select: { id: true, title: true, startsAt: true, themes: true },
    }),
    collectCooperationHighlights({ since, until }),
  ]);
  return {
    offers: offers.map(toBulletinRecord),
    requests: requests.map(toBulletinRecord),
    meetings: meetings.map((meeting) => ({ ...meeting, startsAt: meeting.startsAt.toISOString() })),
    cooperations,
  };
}

/** Where the next issue's period starts: the end of the last published issue's. */
export async function nextBulletinPeriodStart({ now }: { now: Date }): Promise<Date> {
  const last = await getPrisma().bulletinIssue.findFirst({
    where: { status: "published" },
    orderBy: { periodEnd: "desc" },
    select: { periodEnd: true },
  });
  return last?.periodEnd ?? new Date(now.getTime() - FIRST_ISSUE_LOOKBACK_MS);
}

// ---------------------------------------------------------------------------------------
// Issues

const issueSelect = {
  id: true,
  month: true,
  status: true,
  titleEn: true,
  titleEs: true,
  introEn: true,
  introEs: true,
  highlights: true,
  periodStart: true,
  periodEnd: true,
  publishedAt: true,
  updatedAt: true,
} as const;

type IssueRow = Prisma.BulletinIssueGetPayload<{ select: typeof issueSelect }>;

function toIssue(row: IssueRow) {
  return { ...row, highlights: bulletinHighlightsSchema.parse(row.highlights) };
}
export type BulletinIssue = ReturnType<typeof toIssue>;

export type ComposeOutcome =
  | { ok: true; id: string; periodStart: Date }
  | { ok: false; reason: "month-published" | "month-drafted"; id: string; publishedAt: Date | null };

/**
 * A draft for `month`, prefilled with the highlights of the period since the last published
 * issue. One issue per month: when the month has one, nothing is written and it is returned.
 */
export async function composeBulletinIssue({
  month,
  actorId,
  now,
  texts,
}: {
  month: Date;
  actorId: string;
  now: Date;
  texts: { titleEn: string; titleEs: string; introEn: string; introEs: string };
}): Promise<ComposeOutcome> {
  const prisma = getPrisma();
  const existing = await findIssueOfMonth(month);
  if (existing) return existingOutcome(existing);
  const periodStart = await nextBulletinPeriodStart({ now });
  const highlights = await gatherBulletinHighlights({ since: periodStart, until: now });
  try {
    const created = await prisma.bulletinIssue.create({
      data: { month, ...texts, highlights, periodStart, periodEnd: now, createdById: actorId },
      select: { id: true },
    });
    return { ok: true, id: created.id, periodStart };
  } catch (error) {
    // Two staff composing the same month at once: the unique month lets one win.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const winner = await findIssueOfMonth(month);
      if (winner) return existingOutcome(winner);
    }
    throw error;
  }
}

async function findIssueOfMonth(month: Date) {
  return getPrisma().bulletinIssue.findUnique({ where: { month }, select: { id: true, status: true, publishedAt: true } });
}

function existingOutcome(issue: { id: string; status: "draft" | "published"; publishedAt: Date | null }): ComposeOutcome {
  return {
    ok: false,
    reason: issue.status === "published" ? "month-published" : "month-drafted",
    id: issue.id,
    publishedAt: issue.publishedAt,
  };
}

export async function listBulletinIssues({ publishedOnly }: { publishedOnly: boolean }) {
  return getPrisma().bulletinIssue.findMany({
    where: publishedOnly ? { status: "published" } : {},
    orderBy: { month: "desc" },
    select: { id: true, month: true, status: true, titleEn: true, titleEs: true, introEn: true, introEs: true, publishedAt: true },
  });
}

/** The latest published issues with their content, newest first (the RSS feed). */
export async function listPublishedBulletinIssues({ take }: { take: number }): Promise<BulletinIssue[]> {
  const rows = await getPrisma().bulletinIssue.findMany({
    where: { status: "published" },
    orderBy: { month: "desc" },
    take,
    select: issueSelect,
  });
  return rows.map(toIssue);
}

export async function getBulletinIssue({ id }: { id: string }): Promise<BulletinIssue | null> {
  const row = await getPrisma().bulletinIssue.findUnique({ where: { id }, select: issueSelect });
  return row ? toIssue(row) : null;
}

export async function getPublishedBulletinIssue({ month }: { month: Date }): Promise<BulletinIssue | null> {
  const row = await getPrisma().bulletinIssue.findFirst({ where: { month, status: "published" }, select: issueSelect });
  return row ? toIssue(row) : null;
}

export type DraftChangeOutcome = { ok: true } | { ok: false; reason: "not-found" | "published" };

/** Saves the texts and drops the highlights staff unticked; a published issue is never changed. */
export async function updateBulletinDraft({ id, data }: { id: string; data: EditBulletinData }): Promise<DraftChangeOutcome> {
  return getPrisma().$transaction(async (tx) => {
    const issue = await tx.bulletinIssue.findUnique({ where: { id }, select: { status: true, highlights: true } });
    if (!issue) return { ok: false, reason: "not-found" } as const;
    if (issue.status !== "draft") return { ok: false, reason: "published" } as const;
    const highlights = bulletinHighlightsSchema.parse(issue.highlights);
    const kept: BulletinHighlights = {
      offers: highlights.offers.filter((item) => data.keepOffers.has(item.id)),
      requests: highlights.requests.filter((item) => data.keepRequests.has(item.id)),
      meetings: highlights.meetings.filter((item) => data.keepMeetings.has(item.id)),
      cooperations: highlights.cooperations.filter((item) => data.keepCooperations.has(item.id)),
    };
    // Conditional on the status, so a publication that won a race is never edited afterwards.
    const { count } = await tx.bulletinIssue.updateMany({
      where: { id, status: "draft" },
      data: { titleEn: data.titleEn, titleEs: data.titleEs, introEn: data.introEn, introEs: data.introEs, highlights: kept },
    });
    return count === 1 ? ({ ok: true } as const) : ({ ok: false, reason: "published" } as const);
  });
}

export async function deleteBulletinDraft({ id }: { id: string }): Promise<DraftChangeOutcome> {
  const { count } = await getPrisma().bulletinIssue.deleteMany({ where: { id, status: "draft" } });
  if (count === 1) return { ok: true };
  const issue = await getPrisma().bulletinIssue.findUnique({ where: { id }, select: { id: true } });
  return { ok: false, reason: issue ? "published" : "not-found" };
}

export type PublishOutcome =
  | { ok: true; queued: number }
  | { ok: false; reason: "not-found" }
  | { ok: false; reason: "already-published"; publishedAt: Date | null };

/**
 * Publishes a draft and queues its mail to every confirmed subscriber, in one transaction: the
 * status changes only from draft, so a second click (or a second staff member) publishes and
 * sends nothing; each mail's dedupe key (issue, subscriber) backs that up.
 */
export async function publishBulletinIssue({ id, actorId, now }: { id: string; actorId: string; now: Date }): Promise<PublishOutcome> {
  return getPrisma().$transaction(
    async (tx): Promise<PublishOutcome> => {
      const { count } = await tx.bulletinIssue.updateMany({
        where: { id, status: "draft" },
        data: { status: "published", publishedAt: now, publishedById: actorId },
      });
      if (count === 0) {
        const issue = await tx.bulletinIssue.findUnique({ where: { id }, select: { publishedAt: true } });
        return issue ? { ok: false, reason: "already-published", publishedAt: issue.publishedAt } : { ok: false, reason: "not-found" };
      }
      const row = await tx.bulletinIssue.findUniqueOrThrow({ where: { id }, select: issueSelect });
      const issue = toIssue(row);
      const queued = await queueIssueMails(tx, issue);
      return { ok: true, queued };
    },
    { timeout: PUBLISH_TRANSACTION_TIMEOUT_MS, maxWait: PUBLISH_TRANSACTION_TIMEOUT_MS },
  );
}

async function queueIssueMails(tx: TransactionClient, issue: BulletinIssue): Promise<number> {
  const subscribers = await tx.bulletinSubscriber.findMany({
    where: { status: "confirmed" },
    orderBy: { createdAt: "asc" },
    select: { id: true, email: true, locale: true, unsubscribeToken: true },
  });
  const editions = { en: bulletinEdition(issue, "en"), es: bulletinEdition(issue, "es") } satisfies Record<UiLocale, unknown>;
  const mails: MailRequest[] = subscribers.map((subscriber) => {
    const locale: UiLocale = isEditionLocale(subscriber.locale) ? subscriber.locale : "en";
    return {
      template: "bulletin-issue",
      params: { edition: editions[locale], unsubscribeUrl: unsubscribeUrl(subscriber.unsubscribeToken) },
      to: subscriber.email,
      locale,
      dedupeKey: `bulletin:${issue.id}:${subscriber.id}`,
    };
  });
  const { queued } = await enqueueMails(tx, mails);
  return queued;
}

export async function countConfirmedSubscribers(): Promise<number> {
  return getPrisma().bulletinSubscriber.count({ where: { status: "confirmed" } });
}

// ---------------------------------------------------------------------------------------
// Readers: double opt-in and one-click unsubscribe

function newToken(): string {
  return randomBytes(32).toString("base64url");
}

export function confirmUrl(token: string): string {
  return absoluteUrl(`/bulletin/confirm?${new URLSearchParams({ token })}`);
}

export function unsubscribeUrl(token: string): string {
  return absoluteUrl(`/bulletin/unsubscribe?${new URLSearchParams({ token })}`);
}

// A repeated request re-sends the confirmation at most once an hour.
function confirmationDedupeKey(subscriberId: string, token: string, now: Date): string {
  return `bulletin-confirm:${subscriberId}:${token}:${now.toISOString().slice(0, 13)}`;
}

/**
 * Asks `email` to confirm its subscription. The answer is the same whether or not the address is
 * known, so the form reveals nobody's subscription; an address already confirmed gets no mail.
 */
export async function requestBulletinSubscription({ email, locale, now }: { email: string; locale: UiLocale; now: Date }): Promise<void> {
  const normalized = email.trim().toLowerCase();
  await getPrisma().$transaction(async (tx) => {
    await tx.bulletinSubscriber.createMany({
      data: [{ email: normalized, locale, confirmToken: newToken(), unsubscribeToken: newToken() }],
      skipDuplicates: true,
    });
    const rows = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT "id"::text AS "id" FROM "bulletin_subscriber" WHERE "email" = ${normalized} FOR UPDATE`;
    const subscriberId = rows[0]?.id;
    if (!subscriberId) throw new Error("the subscriber row vanished inside its transaction");
    const subscriber = await tx.bulletinSubscriber.findUniqueOrThrow({
      where: { id: subscriberId },
      select: { id: true, status: true, confirmToken: true },
    });
    if (subscriber.status === "confirmed") return;
    // An address that left asks again: a fresh token, so an old confirmation link stays dead.
    const token = subscriber.status === "unsubscribed" ? newToken() : subscriber.confirmToken;
    await tx.bulletinSubscriber.update({
      where: { id: subscriber.id },
      data: { status: "pending", locale, confirmToken: token },
      select: { id: true },
    });
    await enqueueMail(tx, {
      template: "bulletin-confirm",
      params: { confirmUrl: confirmUrl(token) },
      to: normalized,
      locale,
      dedupeKey: confirmationDedupeKey(subscriber.id, token, now),
    });
  });
}

export type TokenOutcome = { ok: true; email: string; changed: boolean } | { ok: false };

export async function confirmBulletinSubscription({ token, now }: { token: string; now: Date }): Promise<TokenOutcome> {
  const prisma = getPrisma();
  const subscriber = await prisma.bulletinSubscriber.findUnique({ where: { confirmToken: token }, select: { id: true, email: true, status: true } });
  // A link from before an unsubscription does not undo it.
  if (!subscriber || subscriber.status === "unsubscribed") return { ok: false };
  const { count } = await prisma.bulletinSubscriber.updateMany({
    where: { id: subscriber.id, status: "pending" },
    data: { status: "confirmed", confirmedAt: now },
  });
  return { ok: true, email: subscriber.email, changed: count === 1 };
}

export async function unsubscribeFromBulletin({ token, now }: { token: string; now: Date }): Promise<TokenOutcome> {
  const prisma = getPrisma();
  const subscriber = await prisma.bulletinSubscriber.findUnique({ where: { unsubscribeToken: token }, select: { id: true, email: true } });
  if (!subscriber) return { ok: false };
  const { count } = await prisma.bulletinSubscriber.updateMany({
    where: { id: subscriber.id, status: { not: "unsubscribed" } },
    data: { status: "unsubscribed", unsubscribedAt: now },
  });
  return { ok: true, email: subscriber.email, changed: count === 1 };
}

/** Undoes an unsubscription from its own page: the token proves the reader owns the address. */
export async function resubscribeToBulletin({ token, now }: { token: string; now: Date }): Promise<TokenOutcome> {
  const prisma = getPrisma();
  const subscriber = await prisma.bulletinSubscriber.findUnique({ where: { unsubscribeToken: token }, select: { id: true, email: true } });
  if (!subscriber) return { ok: false };
  const { count } = await prisma.bulletinSubscriber.updateMany({
    where: { id: subscriber.id, status: "unsubscribed" },
    data: { status: "confirmed", confirmedAt: now, unsubscribedAt: null },
  });
  return { ok: true, email: subscriber.email, changed: count === 1 };
}
