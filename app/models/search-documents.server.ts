/**
 * The rows the search index is built from. Read by the sync worker (current state of the records
 * a job names) and by the reindex command (everything searchable, in pages).
 */
import type { Prisma } from "~/generated/prisma/client";
import { enqueueSearchSync } from "~/jobs/enqueue.server";
import { getPrisma } from "~/utils/db.server";

const organizationSelect = {
  id: true,
  name: true,
  type: true,
  countryCode: true,
  country: { select: { nameEn: true, nameEs: true, namePt: true, nameFr: true, subregion: true } },
} satisfies Prisma.OrganizationSelect;

const commonSelect = {
  id: true,
  key: true,
  title: true,
  summary: true,
  description: true,
  language: true,
  themes: true,
  modalities: true,
  workingLanguages: true,
  status: true,
  createdAt: true,
  updatedAt: true,
  confirmedCurrentAt: true,
  organization: { select: organizationSelect },
} as const;

const offerSelect = {
  ...commonSelect,
  targetPopulation: true,
  evidence: true,
  costSharing: true,
} satisfies Prisma.OfferSelect;

const requestSelect = commonSelect satisfies Prisma.RequestSelect;

export type OfferSearchRow = Prisma.OfferGetPayload<{ select: typeof offerSelect }>;
export type RequestSearchRow = Prisma.RequestGetPayload<{ select: typeof requestSelect }>;

/** The current rows of these offers, whatever their status; ids without a row were deleted. */
export async function findOffersForSearch({ ids }: { ids: string[] }): Promise<OfferSearchRow[]> {
  if (ids.length === 0) return [];
  return getPrisma().offer.findMany({ where: { id: { in: ids } }, select: offerSelect });
}

export async function findRequestsForSearch({ ids }: { ids: string[] }): Promise<RequestSearchRow[]> {
  if (ids.length === 0) return [];
  return getPrisma().request.findMany({ where: { id: { in: ids } }, select: requestSelect });
}

/** Every offer and request of these organizations, or of the organizations of these countries. */
export async function findRecordIdsOfOrganizations({
  organizationIds = [],
  countryCodes = [],
}: {
  organizationIds?: string[];
  countryCodes?: string[];
}): Promise<{ offerIds: string[]; requestIds: string[] }> {
  if (organizationIds.length === 0 && countryCodes.length === 0) return { offerIds: [], requestIds: [] };
  const where = {
    organization: { OR: [{ id: { in: organizationIds } }, { countryCode: { in: countryCodes } }] },
  };
  const prisma = getPrisma();
  const [offers, requests] = await Promise.all([
    prisma.offer.findMany({ where, select: { id: true } }),
    prisma.request.findMany({ where, select: { id: true } }),
  ]);
  return { offerIds: offers.map((offer) => offer.id), requestIds: requests.map((request) => request.id) };
}

/** All published offers, a page at a time in id order (for a full reindex). */
export async function* searchableOfferPages({ pageSize }: { pageSize: number }): AsyncGenerator<OfferSearchRow[]> {
  let cursor: string | undefined;
  for (;;) {
    const page = await getPrisma().offer.findMany({
      where: { status: "published", ...(cursor ? { id: { gt: cursor } } : {}) },
      orderBy: { id: "asc" },
      take: pageSize,
      select: offerSelect,
    });
    if (page.length === 0) return;
    yield page;
    cursor = page[page.length - 1].id;
  }
}

/** All open requests, a page at a time in id order (for a full reindex). */
export async function* searchableRequestPages({ pageSize }: { pageSize: number }): AsyncGenerator<RequestSearchRow[]> {
  let cursor: string | undefined;
  for (;;) {
    const page = await getPrisma().request.findMany({
      where: { status: "open", ...(cursor ? { id: { gt: cursor } } : {}) },
      orderBy: { id: "asc" },
      take: pageSize,
      select: requestSelect,
    });
    if (page.length === 0) return;
    yield page;
    cursor = page[page.length - 1].id;
  }
}

/**
 * What changed since a moment: the records edited (or deleted and re-created) since then and the
 * organizations renamed since then. The reindex command re-syncs these after its swap.
 */
export async function findSearchChangesSince({ since }: { since: Date }): Promise<{
  offerIds: string[];
  requestIds: string[];
  organizationIds: string[];
}> {
  const prisma = getPrisma();
  const [offers, requests, organizations] = await Promise.all([
    prisma.offer.findMany({ where: { updatedAt: { gte: since } }, select: { id: true } }),
    prisma.request.findMany({ where: { updatedAt: { gte: since } }, select: { id: true } }),
    prisma.organization.findMany({ where: { updatedAt: { gte: since } }, select: { id: true } }),
  ]);
  return {
    offerIds: offers.map((offer) => offer.id),
    requestIds: requests.map((request) => request.id),
    organizationIds: organizations.map((organization) => organization.id),
  };
}

/** Of these ids, the ones whose row is searchable now (published offers). */
export async function findSearchableOfferIds({ ids }: { ids: string[] }): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await getPrisma().offer.findMany({ where: { id: { in: ids }, status: "published" }, select: { id: true } });
  return new Set(rows.map((row) => row.id));
}

/** Of these ids, the ones whose row is searchable now (open requests). */
export async function findSearchableRequestIds({ ids }: { ids: string[] }): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await getPrisma().request.findMany({ where: { id: { in: ids }, status: "open" }, select: { id: true } });
  return new Set(rows.map((row) => row.id));
}

/** Queues a search sync in its own transaction (for commands that write nothing else). */
export async function enqueueSearchSyncNow(changes: {
  offerIds?: string[];
  requestIds?: string[];
  organizationIds?: string[];
}): Promise<void> {
  await getPrisma().$transaction((tx) => enqueueSearchSync(tx, changes));
}

/** How many records the indexes should hold: published offers and open requests. */
export async function countSearchableRecords(): Promise<{ offers: number; requests: number }> {
  const prisma = getPrisma();
  const [offers, requests] = await Promise.all([
    prisma.offer.count({ where: { status: "published" } }),
    prisma.request.count({ where: { status: "open" } }),
  ]);
  return { offers, requests };
}
