import { randomInt } from "node:crypto";
import { Prisma } from "~/generated/prisma/client";
import { enqueueSearchSync } from "~/jobs/enqueue.server";
import { enqueueMatching } from "~/jobs/matching.server";
import { countryName, countryNamesSelect } from "~/models/country.server";
import {
  buildRecordKey,
  evidenceLevel,
  isStaff,
  isStale,
  lastConfirmedCurrent,
  nextOfferStatus,
  randomKeySuffix,
  type CatalogueActor,
  type OfferIntent,
} from "~/models/offer-rules";
import type { OfferFormData } from "~/schemas/offer";
import { getPrisma } from "~/utils/db.server";

// ---------------------------------------------------------------------------------------
// Who sees what

/**
 * Published offers are public; drafts and archived offers are seen by their organization's
 * members and by staff only.
 */
export function offerVisibility(viewer: CatalogueActor | null): Prisma.OfferWhereInput {
  if (isStaff(viewer)) return {};
  if (viewer?.organizationId && viewer.status !== "refused") {
    return { OR: [{ status: "published" }, { organizationId: viewer.organizationId }] };
  }
  return { status: "published" };
}

/**
 * The offers an actor may write to: staff any; a member their organization's; a pending
 * member only their organization's drafts (the rules in offer-rules.ts say why).
 */
function offerWriteScope(actor: CatalogueActor): Prisma.OfferWhereInput {
  if (isStaff(actor)) return {};
  if (!actor.organizationId || actor.status === "refused") return { id: { in: [] } };
  if (actor.status !== "active") return { organizationId: actor.organizationId, status: "draft" };
  return { organizationId: actor.organizationId };
}

// ---------------------------------------------------------------------------------------
// Reading

const organizationSelect = {
  id: true,
  key: true,
  name: true,
  type: true,
  website: true,
  countryCode: true,
  country: { select: countryNamesSelect },
} as const;

export const offerCardSelect = {
  id: true,
  title: true,
  summary: true,
  description: true,
  evidence: true,
  language: true,
  themes: true,
  modalities: true,
  workingLanguages: true,
  status: true,
  publishedAt: true,
  updatedAt: true,
  confirmedCurrentAt: true,
  organization: { select: { id: true, name: true, countryCode: true, country: { select: countryNamesSelect } } },
} satisfies Prisma.OfferSelect;

type OfferCardRow = Prisma.OfferGetPayload<{ select: typeof offerCardSelect }>;

/** What a card shows: the long texts only serve to derive the evidence level, and stay here. */
export function toOfferCard(offer: OfferCardRow, locale: string, now = new Date()) {
  const { description, evidence, organization, ...rest } = offer;
  return {
    ...rest,
    evidenceLevel: evidenceLevel({ description, evidence }),
    lastConfirmedCurrentAt: lastConfirmedCurrent(offer),
    stale: isStale({ kind: "offer", ...offer }, now),
    organization: {
      id: organization.id,
      name: organization.name,
      countryCode: organization.countryCode,
      countryName: countryName(organization.country, locale),
    },
  };
}

export type OfferCard = ReturnType<typeof toOfferCard>;

const offerDetailSelect = {
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
  targetPopulation: true,
  evidence: true,
  capacityPerYear: true,
  costSharing: true,
  status: true,
  publishedAt: true,
  confirmedCurrentAt: true,
  createdAt: true,
  updatedAt: true,
  organization: { select: organizationSelect },
} satisfies Prisma.OfferSelect;

/** One offer as the viewer may see it, or null (unknown, or not visible to this viewer). */
export async function getOffer({ id, viewer, locale }: { id: string; viewer: CatalogueActor | null; locale: string }) {
  const offer = await getPrisma().offer.findFirst({
    where: { AND: [{ id }, offerVisibility(viewer)] },
    select: offerDetailSelect,
  });
  if (!offer) return null;
  const { organization, ...rest } = offer;
  const { country, ...organizationRest } = organization;
  return {
    ...rest,
    evidenceLevel: evidenceLevel(offer),
    lastConfirmedCurrentAt: lastConfirmedCurrent(offer),
    stale: isStale({ kind: "offer", ...offer }),
    organization: { ...organizationRest, countryName: countryName(country, locale) },
  };
}

export type OfferDetail = NonNullable<Awaited<ReturnType<typeof getOffer>>>;

// ---------------------------------------------------------------------------------------
// Writing. Each write is one interactive transaction that also queues the search sync, so
// the index job exists exactly when the change is committed.

const KEY_ATTEMPTS = 5;

function isUniqueViolationOn(error: unknown, field: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") return false;
  // The driver adapter reports the constraint's fields in `meta.target` or nested in `meta.driverAdapterError`.
  return JSON.stringify(error.meta ?? {}).includes(field);
}

function cryptoRandom(): number {
  return randomInt(0, 1_000_000) / 1_000_000;
}

/**
 * Runs `create` with fresh keys until one is free. A collision of the random suffix is
 * unlikely but not impossible, and it must not surface as an error to the person saving.
 */
export async function withFreshKey<Result>(
  organizationKey: string,
  title: string,
  create: (key: string) => Promise<Result>,
): Promise<Result> {
  for (let attempt = 1; ; attempt += 1) {
    const key = buildRecordKey({ organizationKey, title, suffix: randomKeySuffix(cryptoRandom) });
    try {
      return await create(key);
    } catch (error) {
      if (attempt >= KEY_ATTEMPTS || !isUniqueViolationOn(error, "key")) throw error;
    }
  }
}

/** A new offer, always a draft: publishing is a separate, checked step. */
export async function createOffer({
  actor,
  organizationId,
  data,
}: {
  actor: CatalogueActor;
  organizationId: string;
  data: OfferFormData;
}): Promise<{ id: string; key: string }> {
  const prisma = getPrisma();
  const organization = await prisma.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { key: true } });
  return withFreshKey(organization.key, data.title, (key) =>
    prisma.$transaction(async (tx) => {
      const offer = await tx.offer.create({
        data: { ...data, key, organizationId, status: "draft", createdById: actor.id, updatedById: actor.id },
        select: { id: true, key: true },
      });
      await enqueueSearchSync(tx, { offerIds: [offer.id] });
      return offer;
    }),
  );
}

/** Saves the form's fields; false when the offer does not exist or the actor may not edit it. */
export async function updateOffer({ id, actor, data }: { id: string; actor: CatalogueActor; data: OfferFormData }): Promise<boolean> {
  return getPrisma().$transaction(async (tx) => {
    const { count } = await tx.offer.updateMany({
      where: { AND: [{ id }, offerWriteScope(actor)] },
      data: { ...data, updatedById: actor.id },
    });
    if (count === 0) return false;
    await enqueueSearchSync(tx, { offerIds: [id] });
    await enqueueMatching(tx, { offerIds: [id] });
    return true;
  });
}

export type StatusChangeResult = { ok: true; status: string } | { ok: false; reason: "not-found" | "invalid-transition" };

/** Publish, unpublish, archive or confirm-current; the caller has checked the actor may. */
export async function changeOfferStatus({
  id,
  actor,
  intent,
  now = new Date(),
}: {
  id: string;
  actor: CatalogueActor;
  intent: OfferIntent;
  now?: Date;
}): Promise<StatusChangeResult> {
  const prisma = getPrisma();
  return prisma.$transaction(async (tx) => {
    const offer = await tx.offer.findFirst({
      where: { AND: [{ id }, offerWriteScope(actor)] },
      select: { status: true },
    });
    if (!offer) return { ok: false, reason: "not-found" };
    const next = nextOfferStatus(offer.status, intent);
    if (next === null) return { ok: false, reason: "invalid-transition" };
    // Conditional on the status read above, so two concurrent clicks cannot both apply.
    const { count } = await tx.offer.updateMany({
      where: { id, status: offer.status },
      data: {
        status: next,
        updatedById: actor.id,
        ...(intent === "publish" ? { publishedAt: now, confirmedCurrentAt: now } : {}),
        ...(intent === "confirm-current" ? { confirmedCurrentAt: now } : {}),
      },
    });
    if (count === 0) return { ok: false, reason: "invalid-transition" };
    await enqueueSearchSync(tx, { offerIds: [id] });
    // Publishing brings the offer to the open requests it could serve; unpublishing or
    // archiving takes it out of their proposals.
    await enqueueMatching(tx, { offerIds: [id] });
    return { ok: true, status: next };
  });
}

