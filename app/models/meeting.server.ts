/**
 * The quarterly virtual dialogue meetings: staff schedule them, members register, and after a
 * meeting staff record its conclusions and the offers and requests it discussed.
 */
import { countryName, countryNamesSelect } from "~/models/country.server";
import { notify } from "~/models/notification.server";
import type { ScheduleMeetingData } from "~/schemas/meeting";
import { getPrisma } from "~/utils/db.server";

const MAX_DISCUSSABLE_RECORDS = 100;

export async function scheduleMeeting({ actorId, data }: { actorId: string; data: ScheduleMeetingData }): Promise<{ id: string }> {
  return getPrisma().meeting.create({
    data: {
      title: data.title,
      startsAt: data.startsAtInstant,
      durationMinutes: data.durationMinutes,
      themes: data.themes,
      agenda: data.agenda,
      link: data.link,
      createdById: actorId,
    },
    select: { id: true },
  });
}

export type MeetingSummary = {
  id: string;
  title: string;
  startsAt: Date;
  durationMinutes: number;
  themes: string[];
  registrationCount: number;
  registered: boolean;
  concluded: boolean;
};

/** Upcoming meetings (soonest first) and past ones (latest first); `registered` for the viewer. */
export async function listMeetings({ now, viewerId }: { now: Date; viewerId: string | null }) {
  const rows = await getPrisma().meeting.findMany({
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      title: true,
      startsAt: true,
      durationMinutes: true,
      themes: true,
      concludedAt: true,
      _count: { select: { registrations: true } },
      registrations: { where: { userId: viewerId ?? undefined }, select: { userId: true }, take: viewerId ? 1 : 0 },
    },
  });
  const meetings: MeetingSummary[] = rows.map((row) => ({
    id: row.id,
    title: row.title,
    startsAt: row.startsAt,
    durationMinutes: row.durationMinutes,
    themes: row.themes,
    registrationCount: row._count.registrations,
    registered: viewerId !== null && row.registrations.length > 0,
    concluded: row.concludedAt !== null,
  }));
  const hasEnded = (meeting: MeetingSummary) => meeting.startsAt.getTime() + meeting.durationMinutes * 60_000 <= now.getTime();
  return {
    upcoming: meetings.filter((meeting) => !hasEnded(meeting)),
    past: meetings.filter(hasEnded).reverse(),
  };
}

/** The meeting that starts next (or is under way), for the home page. */
export async function findNextMeeting({ now }: { now: Date }): Promise<{ id: string; title: string; startsAt: Date } | null> {
  // The end is computed in SQL, so short meetings that already ended can never crowd out the one
  // under way. Meetings last 8 hours at most: the lookback bound lets the starts_at index serve it.
  const recently = new Date(now.getTime() - 24 * 60 * 60_000);
  const [next] = await getPrisma().$queryRaw<Array<{ id: string; title: string; startsAt: Date }>>`
    SELECT id, title, starts_at AS "startsAt"
    FROM meeting
    WHERE starts_at >= ${recently} AND starts_at + make_interval(mins => duration_minutes) > ${now}
    ORDER BY starts_at, id
    LIMIT 1`;
  return next ?? null;
}

/** One meeting, with the offers and requests it discussed; registrants only for staff. */
export async function getMeeting({
  id,
  viewerId,
  includeRegistrants,
  locale,
}: {
  id: string;
  viewerId: string | null;
  includeRegistrants: boolean;
  locale: string;
}) {
  const prisma = getPrisma();
  const meeting = await prisma.meeting.findUnique({
    where: { id },
    select: {
      id: true,
      title: true,
      startsAt: true,
      durationMinutes: true,
      themes: true,
      agenda: true,
      link: true,
      conclusions: true,
      concludedAt: true,
      updatedAt: true,
      _count: { select: { registrations: true } },
      // Only what the public may see: published offers, and requests that were opened.
      offers: {
        where: { offer: { status: "published" } },
        select: { offer: { select: { id: true, title: true, language: true, organization: { select: { name: true, country: { select: countryNamesSelect } } } } } },
      },
      requests: {
        where: { request: { status: { in: ["open", "closed"] } } },
        select: { request: { select: { id: true, title: true, language: true, organization: { select: { name: true, country: { select: countryNamesSelect } } } } } },
      },
    },
  });
  if (!meeting) return null;
  const [registration, registrants] = await Promise.all([
    viewerId
      ? prisma.meetingRegistration.findUnique({ where: { meetingId_userId: { meetingId: id, userId: viewerId } }, select: { userId: true } })
      : null,
    includeRegistrants
      ? prisma.meetingRegistration.findMany({
          where: { meetingId: id },
          orderBy: { createdAt: "asc" },
          select: {
            createdAt: true,
            user: { select: { id: true, name: true, email: true, organization: { select: { name: true, country: { select: countryNamesSelect } } } } },
          },
        })
      : [],
  ]);
  const linked = (record: { id: string; title: string; language: string; organization: { name: string; country: Parameters<typeof countryName>[0] } }) => ({
    id: record.id,
    title: record.title,
    language: record.language,
    organization: record.organization.name,
    country: countryName(record.organization.country, locale),
  });
  return {
    id: meeting.id,
    title: meeting.title,
    startsAt: meeting.startsAt,
    durationMinutes: meeting.durationMinutes,
    themes: meeting.themes,
    agenda: meeting.agenda,
    link: meeting.link,
    conclusions: meeting.conclusions,
    concludedAt: meeting.concludedAt,
    updatedAt: meeting.updatedAt,
    registrationCount: meeting._count.registrations,
    registered: registration !== null,
    offers: meeting.offers.map(({ offer }) => linked(offer)),
    requests: meeting.requests.map(({ request }) => linked(request)),
    registrants: registrants.map(({ user, createdAt }) => ({
      id: user.id,
      name: user.name,
      email: user.email,
      organization: user.organization ? `${user.organization.name} (${countryName(user.organization.country, locale)})` : null,
      registeredAt: createdAt,
    })),
  };
}

export type RegistrationOutcome =
  | { ok: true; changed: boolean }
  | { ok: false; reason: "not-found" }
  | { ok: false; reason: "closed" };

/**
 * Registers the user; the first registration also leaves an in-app notification and a mail in
 * the user's language. Registering twice changes nothing; a meeting that has started is closed.
 */
export async function registerForMeeting({ meetingId, userId, now }: { meetingId: string; userId: string; now: Date }): Promise<RegistrationOutcome> {
  return getPrisma().$transaction(async (tx): Promise<RegistrationOutcome> => {
    const meeting = await tx.meeting.findUnique({ where: { id: meetingId }, select: { id: true, title: true, startsAt: true } });
    if (!meeting) return { ok: false, reason: "not-found" };
    if (meeting.startsAt.getTime() <= now.getTime()) return { ok: false, reason: "closed" };
    const { count } = await tx.meetingRegistration.createMany({ data: [{ meetingId, userId }], skipDuplicates: true });
    if (count === 0) return { ok: true, changed: false };
    await notify(tx, {
      userIds: [userId],
      kind: "meetings:notifications.registered",
      params: { title: meeting.title, when: utcLabel(meeting.startsAt) },
      link: `/meetings/${meeting.id}`,
      mail: true,
    });
    return { ok: true, changed: true };
  });
}

export async function cancelMeetingRegistration({ meetingId, userId }: { meetingId: string; userId: string }): Promise<{ changed: boolean }> {
  const { count } = await getPrisma().meetingRegistration.deleteMany({ where: { meetingId, userId } });
  return { changed: count === 1 };
}

export type ConclusionsOutcome =
  | { ok: true }
  | { ok: false; reason: "not-found" }
  | { ok: false; reason: "not-held-yet" }
  | { ok: false; reason: "unknown-records"; field: "offerIds" | "requestIds" };

/**
 * Records what a meeting concluded and which offers and requests it discussed (replacing an
 * earlier record). Registrants are told the first time. Only after the meeting has started.
 */
export async function recordMeetingConclusions({
  meetingId,
  conclusions,
  offerIds,
  requestIds,
  now,
}: {
  meetingId: string;
  conclusions: string;
  offerIds: readonly string[];
  requestIds: readonly string[];
  now: Date;
}): Promise<ConclusionsOutcome> {
  return getPrisma().$transaction(async (tx): Promise<ConclusionsOutcome> => {
    const meeting = await tx.meeting.findUnique({ where: { id: meetingId }, select: { id: true, title: true, startsAt: true, concludedAt: true } });
    if (!meeting) return { ok: false, reason: "not-found" };
    if (meeting.startsAt.getTime() > now.getTime()) return { ok: false, reason: "not-held-yet" };
    const [offers, requests] = await Promise.all([
      tx.offer.count({ where: { id: { in: [...offerIds] }, status: "published" } }),
      tx.request.count({ where: { id: { in: [...requestIds] }, status: { in: ["open", "closed"] } } }),
    ]);
    if (offers !== offerIds.length) return { ok: false, reason: "unknown-records", field: "offerIds" };
    if (requests !== requestIds.length) return { ok: false, reason: "unknown-records", field: "requestIds" };

    await tx.meeting.update({
      where: { id: meetingId },
      data: { conclusions, concludedAt: meeting.concludedAt ?? now },
      select: { id: true },
    });
    await tx.meetingOffer.deleteMany({ where: { meetingId } });
    await tx.meetingRequest.deleteMany({ where: { meetingId } });
    await tx.meetingOffer.createMany({ data: offerIds.map((offerId) => ({ meetingId, offerId })) });
    await tx.meetingRequest.createMany({ data: requestIds.map((requestId) => ({ meetingId, requestId })) });

    if (meeting.concludedAt === null) {
      const registrations = await tx.meetingRegistration.findMany({ where: { meetingId }, select: { userId: true } });
      await notify(tx, {
        userIds: registrations.map((registration) => registration.userId),
        kind: "meetings:notifications.concluded",
        params: { title: meeting.title },
        link: `/meetings/${meeting.id}`,
      });
    }
    return { ok: true };
  });
}

/** Offers and requests sharing a theme with the meeting: what staff may link to its conclusions. */
export async function listDiscussableRecords({ themes, locale }: { themes: readonly string[]; locale: string }) {
  const prisma = getPrisma();
  const select = { id: true, title: true, language: true, organization: { select: { name: true, country: { select: countryNamesSelect } } } } as const;
  const [offers, requests] = await Promise.all([
    prisma.offer.findMany({
      where: { status: "published", themes: { hasSome: [...themes] } },
      orderBy: [{ title: "asc" }, { id: "asc" }],
      take: MAX_DISCUSSABLE_RECORDS,
      select,
    }),
    prisma.request.findMany({
      where: { status: { in: ["open", "closed"] }, themes: { hasSome: [...themes] } },
      orderBy: [{ title: "asc" }, { id: "asc" }],
      take: MAX_DISCUSSABLE_RECORDS,
      select,
    }),
  ]);
  const option = (record: (typeof offers)[number]) => ({
    id: record.id,
    label: `${record.title} — ${record.organization.name} (${countryName(record.organization.country, locale)})`,
  });
  return { offers: offers.map(option), requests: requests.map(option) };
}

/** "2027-03-10 15:00 UTC": a notification's parameters are shown in any language later. */
function utcLabel(instant: Date): string {
  return `${instant.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
