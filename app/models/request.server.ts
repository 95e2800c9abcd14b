import type { Prisma } from "~/generated/prisma/client";
import { enqueueSearchSync } from "~/jobs/enqueue.server";
import { enqueueMatching } from "~/jobs/matching.server";
import { countryName, countryNamesSelect } from "~/models/country.server";
import type { StatusChangeResult } from "~/models/offer.server";
import { withFreshKey } from "~/models/offer.server";
import {
  isStaff,
  isStale,
  lastConfirmedCurrent,
  nextRequestStatus,
  type CatalogueActor,
  type RequestIntent,
} from "~/models/offer-rules";
import type { RequestFormData } from "~/schemas/request";
import { getPrisma } from "~/utils/db.server";

// ---------------------------------------------------------------------------------------
// Who sees what

/**
 * Requests are not public: open ones are read by verified (active) members and staff; an
 * organization's members (pending ones included) see all of their own organization's.
 */
export function requestVisibility(viewer: CatalogueActor | null): Prisma.RequestWhereInput {
  if (isStaff(viewer)) return {};
  if (!viewer || viewer.status === "refused") return { id: { in: [] } };
  const own: Prisma.RequestWhereInput[] = viewer.organizationId ? [{ organizationId: viewer.organizationId }] : [];
  const open: Prisma.RequestWhereInput[] = viewer.status === "active" ? [{ status: "open" }] : [];
  const allowed = [...open, ...own];
  return allowed.length > 0 ? { OR: allowed } : { id: { in: [] } };
}

function requestWriteScope(actor: CatalogueActor): Prisma.RequestWhereInput {
  if (isStaff(actor)) return {};
  if (!actor.organizationId || actor.status === "refused") return { id: { in: [] } };
  if (actor.status !== "active") return { organizationId: actor.organizationId, status: "draft" };
  return { organizationId: actor.organizationId };
}

// ---------------------------------------------------------------------------------------
// Dates: desired start and end are calendar dates (PostgreSQL `date`), carried as YYYY-MM-DD.

function toDateColumn(value: string | undefined): Date | null {
  return value ? new Date(`${value}T00:00:00.000Z`) : null;
}

export function fromDateColumn(value: Date | null): string | null {
  return value ? value.toISOString().slice(0, 10) : null;
}

function toColumns(data: RequestFormData) {
  const { desiredStart, desiredEnd, ...rest } = data;
  return { ...rest, desiredStart: toDateColumn(desiredStart), desiredEnd: toDateColumn(desiredEnd) };
}

// ---------------------------------------------------------------------------------------
// Reading

export const requestCardSelect = {
  id: true,
  title: true,
  summary: true,
  language: true,
  themes: true,
  modalities: true,
  workingLanguages: true,
  desiredStart: true,
  desiredEnd: true,
  status: true,
  publishedAt: true,
  updatedAt: true,
  confirmedCurrentAt: true,
  organization: { select: { id: true, name: true, countryCode: true, country: { select: countryNamesSelect } } },
} satisfies Prisma.RequestSelect;

type RequestCardRow = Prisma.RequestGetPayload<{ select: typeof requestCardSelect }>;

export function toRequestCard(request: RequestCardRow, locale: string, now = new Date()) {
  const { organization, desiredStart, desiredEnd, ...rest } = request;
  return {
    ...rest,
    desiredStart: fromDateColumn(desiredStart),
    desiredEnd: fromDateColumn(desiredEnd),
    lastConfirmedCurrentAt: lastConfirmedCurrent(request),
    stale: isStale({ kind: "request", ...request }, now),
    organization: {
      id: organization.id,
      name: organization.name,
      countryCode: organization.countryCode,
      countryName: countryName(organization.country, locale),
    },
  };
}

export type RequestCard = ReturnType<typeof toRequestCard>;

const requestDetailSelect = {
  id: true,
  key: true,
  organizationId: true,
  title: true,
  summary: true,
  description: true,
  language: true,
  themes: true,
  modalities: true,
  workingLanguages: true,
  desiredStart: true,
  desiredEnd: true,
  status: true,
  publishedAt: true,
  confirmedCurrentAt: true,
  createdAt: true,
  updatedAt: true,
  organization: {
    select: { id: true, key: true, name: true, type: true, website: true, countryCode: true, country: { select: countryNamesSelect } },
  },
} satisfies Prisma.RequestSelect;

/** One request as the viewer may see it, or null (unknown, or not visible to this viewer). */
export async function getRequest({ id, viewer, locale }: { id: string; viewer: CatalogueActor | null; locale: string }) {
  const request = await getPrisma().request.findFirst({
    where: { AND: [{ id }, requestVisibility(viewer)] },
    select: requestDetailSelect,
  });
  if (!request) return null;
  const { organization, desiredStart, desiredEnd, ...rest } = request;
  const { country, ...organizationRest } = organization;
  return {
    ...rest,
    desiredStart: fromDateColumn(desiredStart),
    desiredEnd: fromDateColumn(desiredEnd),
    lastConfirmedCurrentAt: lastConfirmedCurrent(request),
    stale: isStale({ kind: "request", ...request }),
    organization: { ...organizationRest, countryName: countryName(country, locale) },
  };
}

export type RequestDetail = NonNullable<Awaited<ReturnType<typeof getRequest>>>;

// ---------------------------------------------------------------------------------------
// Writing

/** A new request, always a draft: opening it to others is a separate, checked step. */
export async function createRequest({
  actor,
  organizationId,
  data,
}: {
  actor: CatalogueActor;
  organizationId: string;
  data: RequestFormData;
}): Promise<{ id: string; key: string }> {
  const prisma = getPrisma();
  const organization = await prisma.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { key: true } });
  return withFreshKey(organization.key, data.title, (key) =>
    prisma.$transaction(async (tx) => {
      const request = await tx.request.create({
        data: { ...toColumns(data), key, organizationId, status: "draft", createdById: actor.id, updatedById: actor.id },
        select: { id: true, key: true },
      });
      await enqueueSearchSync(tx, { requestIds: [request.id] });
      return request;
    }),
  );
}

/** Saves the form's fields; false when the request does not exist or the actor may not edit it. */
export async function updateRequest({ id, actor, data }: { id: string; actor: CatalogueActor; data: RequestFormData }): Promise<boolean> {
  return getPrisma().$transaction(async (tx) => {
    const { count } = await tx.request.updateMany({
      where: { AND: [{ id }, requestWriteScope(actor)] },
      data: { ...toColumns(data), updatedById: actor.id },
    });
    if (count === 0) return false;
    await enqueueSearchSync(tx, { requestIds: [id] });
    await enqueueMatching(tx, { requestIds: [id] });
    return true;
  });
}

/** Publish (open), unpublish, close or confirm-current; the caller has checked the actor may. */
export async function changeRequestStatus({
  id,
  actor,
  intent,
  now = new Date(),
}: {
  id: string;
  actor: CatalogueActor;
  intent: RequestIntent;
  now?: Date;
}): Promise<StatusChangeResult> {
  return getPrisma().$transaction(async (tx) => {
    const request = await tx.request.findFirst({
      where: { AND: [{ id }, requestWriteScope(actor)] },
      select: { status: true },
    });
    if (!request) return { ok: false, reason: "not-found" };
    const next = nextRequestStatus(request.status, intent);
    if (next === null) return { ok: false, reason: "invalid-transition" };
    const { count } = await tx.request.updateMany({
      where: { id, status: request.status },
      data: {
        status: next,
        updatedById: actor.id,
        ...(intent === "publish" ? { publishedAt: now, confirmedCurrentAt: now } : {}),
        ...(intent === "confirm-current" ? { confirmedCurrentAt: now } : {}),
      },
    });
    if (count === 0) return { ok: false, reason: "invalid-transition" };
    await enqueueSearchSync(tx, { requestIds: [id] });
    // Opening proposes pairings within seconds; closing or unpublishing withdraws the undecided ones.
    await enqueueMatching(tx, { requestIds: [id] });
    return { ok: true, status: next };
  });
}
