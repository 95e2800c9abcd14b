// Listings across the catalogue: the browse pages with their filters and paging, the
// organization and country pages, an organization's own records (dashboard) and the stale
// lists. Every query starts from what the viewer may see (offerVisibility, requestVisibility).
import type { Prisma } from "~/generated/prisma/client";
import { countryName, countryNamesSelect } from "~/models/country.server";
import { isStaff, staleCutoff, type CatalogueActor } from "~/models/offer-rules";
import { offerCardSelect, offerVisibility, toOfferCard } from "~/models/offer.server";
import { requestCardSelect, requestVisibility, toRequestCard } from "~/models/request.server";
import type { CatalogueFilters } from "~/schemas/offer";
import { getPrisma } from "~/utils/db.server";

export const CATALOGUE_PAGE_SIZE = 12;
// Organization, country and dashboard pages list at most this many records of each kind.
const SECTION_LIMIT = 100;

export type Paged<Item> = { items: Item[]; total: number; page: number; pageCount: number; pageSize: number };

function paging(total: number, requestedPage: number, pageSize: number) {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  // A page past the end (an old link, a shrunk result) shows the last page rather than nothing.
  const page = Math.min(requestedPage, pageCount);
  return { page, pageCount, skip: (page - 1) * pageSize };
}

const newestFirst = [{ publishedAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }, { id: "asc" }] as const;
// Lists of published offers and open requests only: those always have publishedAt (set on
// publishing, kept by imports), so no NULLS LAST is needed and the order is exactly a backward
// walk of the (status, published_at, created_at, id) index. Without it, the home page's three
// latest offers sorted all 9,000 published offers (40 ms of PostgreSQL per page).
const publishedNewestFirst = [{ publishedAt: "desc" }, { createdAt: "desc" }, { id: "desc" }] as const;

function offerFilterWhere(filters: Omit<CatalogueFilters, "page">): Prisma.OfferWhereInput {
  const conditions: Prisma.OfferWhereInput[] = [];
  if (filters.theme) conditions.push({ themes: { has: filters.theme } });
  if (filters.modality) conditions.push({ modalities: { has: filters.modality } });
  // A language matches the text's language or one the offering team works in.
  if (filters.language) conditions.push({ OR: [{ language: filters.language }, { workingLanguages: { has: filters.language } }] });
  if (filters.country) conditions.push({ organization: { countryCode: filters.country } });
  return { AND: conditions };
}

function requestFilterWhere(filters: Omit<CatalogueFilters, "page">): Prisma.RequestWhereInput {
  const conditions: Prisma.RequestWhereInput[] = [];
  if (filters.theme) conditions.push({ themes: { has: filters.theme } });
  // No preferred modality means any modality suits the request.
  if (filters.modality) conditions.push({ OR: [{ modalities: { has: filters.modality } }, { modalities: { isEmpty: true } }] });
  if (filters.language) conditions.push({ OR: [{ language: filters.language }, { workingLanguages: { has: filters.language } }] });
  if (filters.country) conditions.push({ organization: { countryCode: filters.country } });
  return { AND: conditions };
}

/** The public offers list: published offers only, newest first. */
export async function listPublishedOffers({
  filters,
  locale,
  pageSize = CATALOGUE_PAGE_SIZE,
}: {
  filters: CatalogueFilters;
  locale: string;
  pageSize?: number;
}): Promise<Paged<ReturnType<typeof toOfferCard>>> {
  const prisma = getPrisma();
  const where: Prisma.OfferWhereInput = { AND: [{ status: "published" }, offerFilterWhere(filters)] };
  const total = await prisma.offer.count({ where });
  const { page, pageCount, skip } = paging(total, filters.page, pageSize);
  const rows = await prisma.offer.findMany({ where, orderBy: [...publishedNewestFirst], skip, take: pageSize, select: offerCardSelect });
  return { items: rows.map((row) => toOfferCard(row, locale)), total, page, pageCount, pageSize };
}

/** Open requests, for verified members and staff (others get an empty list). */
export async function listOpenRequests({
  viewer,
  filters,
  locale,
  pageSize = CATALOGUE_PAGE_SIZE,
}: {
  viewer: CatalogueActor;
  filters: CatalogueFilters;
  locale: string;
  pageSize?: number;
}): Promise<Paged<ReturnType<typeof toRequestCard>>> {
  const prisma = getPrisma();
  const where: Prisma.RequestWhereInput = { AND: [requestVisibility(viewer), { status: "open" }, requestFilterWhere(filters)] };
  const total = await prisma.request.count({ where });
  const { page, pageCount, skip } = paging(total, filters.page, pageSize);
  const rows = await prisma.request.findMany({ where, orderBy: [...publishedNewestFirst], skip, take: pageSize, select: requestCardSelect });
  return { items: rows.map((row) => toRequestCard(row, locale)), total, page, pageCount, pageSize };
}

/**
 * An organization's page: who it is, and what it offers and requests as far as the viewer
 * may see (its own members and staff also see its drafts, archived and closed records).
 */
export async function getOrganizationCatalogue({ id, viewer, locale }: { id: string; viewer: CatalogueActor | null; locale: string }) {
  const prisma = getPrisma();
  const organization = await prisma.organization.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      type: true,
      website: true,
      verificationStatus: true,
      countryCode: true,
      country: { select: countryNamesSelect },
    },
  });
  if (!organization) return null;
  const [offers, requests] = await Promise.all([
    prisma.offer.findMany({
      where: { AND: [{ organizationId: id }, offerVisibility(viewer)] },
      orderBy: [...newestFirst],
      take: SECTION_LIMIT,
      select: offerCardSelect,
    }),
    prisma.request.findMany({
      where: { AND: [{ organizationId: id }, requestVisibility(viewer)] },
      orderBy: [...newestFirst],
      take: SECTION_LIMIT,
      select: requestCardSelect,
    }),
  ]);
  const { country, ...rest } = organization;
  return {
    organization: { ...rest, countryName: countryName(country, locale) },
    offers: offers.map((row) => toOfferCard(row, locale)),
    requests: requests.map((row) => toRequestCard(row, locale)),
    // Requests are hidden from anonymous visitors and unverified members, not just empty.
    canSeeRequests: isStaff(viewer) || viewer?.status === "active" || viewer?.organizationId === id,
  };
}

/**
 * A country's page: its organizations, its published offers, and its open requests when the
 * viewer may read requests.
 */
export async function getCountryCatalogue({ code, viewer, locale }: { code: string; viewer: CatalogueActor | null; locale: string }) {
  const prisma = getPrisma();
  const country = await prisma.country.findUnique({
    where: { code },
    select: { code: true, subregion: true, oasMember: true, ...countryNamesSelect },
  });
  if (!country) return null;
  const offerWhere: Prisma.OfferWhereInput = { AND: [offerVisibility(viewer), { status: "published", organization: { countryCode: code } }] };
  const requestWhere: Prisma.RequestWhereInput = {
    AND: [requestVisibility(viewer), { status: "open", organization: { countryCode: code } }],
  };
  const [organizations, offers, offerCount, requests, requestCount] = await Promise.all([
    prisma.organization.findMany({
      where: { countryCode: code },
      orderBy: { name: "asc" },
      take: SECTION_LIMIT,
      select: { id: true, name: true, type: true, _count: { select: { offers: { where: { status: "published" } } } } },
    }),
    prisma.offer.findMany({ where: offerWhere, orderBy: [...publishedNewestFirst], take: SECTION_LIMIT, select: offerCardSelect }),
    prisma.offer.count({ where: offerWhere }),
    prisma.request.findMany({ where: requestWhere, orderBy: [...publishedNewestFirst], take: SECTION_LIMIT, select: requestCardSelect }),
    prisma.request.count({ where: requestWhere }),
  ]);
  return {
    country: { code: country.code, name: countryName(country, locale), subregion: country.subregion, oasMember: country.oasMember },
    organizations: organizations.map((organization) => ({
      id: organization.id,
      name: organization.name,
      type: organization.type,
      publishedOffers: organization._count.offers,
    })),
    offers: offers.map((row) => toOfferCard(row, locale)),
    offerCount,
    requests: requests.map((row) => toRequestCard(row, locale)),
    requestCount,
    canSeeRequests: isStaff(viewer) || viewer?.status === "active",
  };
}

/** Every offer and request of the actor's organization, drafts included: the member's dashboard. */
export async function listOrganizationRecords({ actor, locale }: { actor: CatalogueActor; locale: string }) {
  if (!actor.organizationId) return { offers: [], requests: [] };
  const prisma = getPrisma();
  const organizationId = actor.organizationId;
  const recentlyUpdated = [{ updatedAt: "desc" }, { id: "asc" }] as const;
  const [offers, requests] = await Promise.all([
    prisma.offer.findMany({ where: { organizationId }, orderBy: [...recentlyUpdated], take: SECTION_LIMIT, select: offerCardSelect }),
    prisma.request.findMany({ where: { organizationId }, orderBy: [...recentlyUpdated], take: SECTION_LIMIT, select: requestCardSelect }),
  ]);
  return {
    offers: offers.map((row) => toOfferCard(row, locale)),
    requests: requests.map((row) => toRequestCard(row, locale)),
  };
}

/**
 * Published offers and open requests not edited nor confirmed current for 12 months
 * (offer-rules.ts), oldest first: the actor's organization's, or every one for staff with
 * `scope: "all"`.
 */
export async function listStaleRecords({
  actor,
  scope,
  locale,
  now = new Date(),
}: {
  actor: CatalogueActor;
  scope: "organization" | "all";
  locale: string;
  now?: Date;
}) {
  const cutoff = staleCutoff(now);
  let ownership: { organizationId?: string };
  if (scope === "all" && isStaff(actor)) ownership = {};
  else if (actor.organizationId) ownership = { organizationId: actor.organizationId };
  else return { offers: [], requests: [] };
  const prisma = getPrisma();
  const oldestFirst = [{ confirmedCurrentAt: "asc" }, { id: "asc" }] as const;
  const [offers, requests] = await Promise.all([
    prisma.offer.findMany({
      where: { ...ownership, status: "published", updatedAt: { lt: cutoff }, confirmedCurrentAt: { lt: cutoff } },
      orderBy: [...oldestFirst],
      take: SECTION_LIMIT,
      select: offerCardSelect,
    }),
    prisma.request.findMany({
      where: { ...ownership, status: "open", updatedAt: { lt: cutoff }, confirmedCurrentAt: { lt: cutoff } },
      orderBy: [...oldestFirst],
      take: SECTION_LIMIT,
      select: requestCardSelect,
    }),
  ]);
  return {
    offers: offers.map((row) => toOfferCard(row, locale, now)),
    requests: requests.map((row) => toRequestCard(row, locale, now)),
  };
}
