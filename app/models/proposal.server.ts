/**
 * The matching's data: the open requests and published offers it reads, the proposals it writes,
 * and staff decisions on them. The matcher (app/matching) decides; this module only reads and
 * writes, and enforces the one rule the database must hold: a recomputation rewrites only rows
 * in status `proposed` from source `matcher`, so a staff decision is never changed.
 *
 * Heavy reads and writes use SQL with jsonb parameters (one statement per chunk of rows), as the
 * exchange import does: a full recomputation writes a hundred thousand rows.
 */
import { Prisma } from "~/generated/prisma/client";
import { CAPACITY_CONSUMING_STATUSES, PROPOSAL_STATUSES, SERVING_STATUSES, type RejectionReason } from "~/matching/decisions";
import type { DecidedPairing } from "~/matching/feedback";
import type { MatchOffer, MatchRequest, Reasons, TrackRecord } from "~/matching/scoring";
import { getPrisma, type TransactionClient } from "~/utils/db.server";

// Every writer of proposals takes this lock inside its transaction: a job and `npm run match`
// never interleave their writes to the same request.
const MATCHING_LOCK_KEY = 0x6d617463; // "matc"

const WRITE_CHUNK = 1_000;
const READ_CHUNK = 5_000;

const DAY_MS = 24 * 60 * 60 * 1000;
/** Capacity is per year: decisions of the last twelve months take places. */
export const CAPACITY_WINDOW_DAYS = 365;

function chunks<Item>(items: readonly Item[], size: number): Item[][] {
  const result: Item[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

async function lockMatching(tx: TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${MATCHING_LOCK_KEY})`;
}

// ---------------------------------------------------------------------------------------
// Reading what the matcher matches

type RequestRow = {
  id: string;
  key: string;
  organization_id: string;
  country_code: string;
  subregion: string | null;
  name_en: string;
  name_es: string;
  title: string;
  summary: string;
  description: string | null;
  language: string;
  themes: string[];
  modalities: string[];
  working_languages: string[];
  desired_start: Date | null;
  desired_end: Date | null;
  status: string;
};

function toMatchRequest(row: RequestRow): MatchRequest & { status: string } {
  return {
    id: row.id,
    key: row.key,
    organizationId: row.organization_id,
    countryCode: row.country_code,
    subregion: row.subregion,
    countryNames: { en: row.name_en, es: row.name_es },
    title: row.title,
    summary: row.summary,
    description: row.description,
    language: row.language,
    themes: row.themes,
    modalities: row.modalities,
    workingLanguages: row.working_languages,
    desiredStart: row.desired_start,
    desiredEnd: row.desired_end,
    status: row.status,
  };
}

const requestColumns = Prisma.sql`
  r.id::text AS id, r.key, r.organization_id::text AS organization_id, o.country_code::text AS country_code,
  c.subregion, c.name_en, c.name_es, r.title, r.summary, r.description, r.language, r.themes,
  r.modalities, r.working_languages, r.desired_start, r.desired_end, r.status`;

/** Requests by id, whatever their status (the caller checks that they are open). */
export async function findRequestsForMatching({ ids }: { ids: readonly string[] }): Promise<Array<MatchRequest & { status: string }>> {
  const rows: RequestRow[] = [];
  for (const chunk of chunks(ids, READ_CHUNK)) {
    rows.push(
      ...(await getPrisma().$queryRaw<RequestRow[]>`
        SELECT ${requestColumns}
          FROM "request" r JOIN "organization" o ON o.id = r.organization_id JOIN "country" c ON c.code = o.country_code
         WHERE r.id = ANY(${chunk}::uuid[])`)
    );
  }
  return rows.map(toMatchRequest);
}

export async function findOpenRequestsForMatching(): Promise<MatchRequest[]> {
  const rows = await getPrisma().$queryRaw<RequestRow[]>`
    SELECT ${requestColumns}
      FROM "request" r JOIN "organization" o ON o.id = r.organization_id JOIN "country" c ON c.code = o.country_code
     WHERE r.status = 'open'
     ORDER BY r.key`;
  return rows.map(toMatchRequest);
}

type OfferRow = {
  id: string;
  key: string;
  organization_id: string;
  country_code: string;
  subregion: string | null;
  name_en: string;
  name_es: string;
  title: string;
  summary: string;
  description: string | null;
  target_population: string | null;
  evidence: string | null;
  language: string;
  themes: string[];
  modalities: string[];
  working_languages: string[];
  capacity_per_year: number;
  updated_at: Date;
  confirmed_current_at: Date;
};

function toMatchOffer(row: OfferRow): MatchOffer {
  return {
    id: row.id,
    key: row.key,
    organizationId: row.organization_id,
    countryCode: row.country_code,
    subregion: row.subregion,
    countryNames: { en: row.name_en, es: row.name_es },
    title: row.title,
    summary: row.summary,
    description: row.description,
    targetPopulation: row.target_population,
    evidence: row.evidence,
    language: row.language,
    themes: row.themes,
    modalities: row.modalities,
    workingLanguages: row.working_languages,
    capacityPerYear: row.capacity_per_year,
    updatedAt: row.updated_at,
    confirmedCurrentAt: row.confirmed_current_at,
  };
}

const offerColumns = Prisma.sql`
  f.id::text AS id, f.key, f.organization_id::text AS organization_id, o.country_code::text AS country_code,
  c.subregion, c.name_en, c.name_es, f.title, f.summary, f.description, f.target_population, f.evidence,
  f.language, f.themes, f.modalities, f.working_languages, f.capacity_per_year, f.updated_at,
  f.confirmed_current_at`;

/**
 * What a prepared offer was computed from, as one hash: every column of `offerColumns`. A cached
 * preparation is reused only while the row still hashes the same, whoever wrote it (forms, the
 * bulk import's SQL, a country change of the organization).
 */
const offerVersion = Prisma.sql`md5(ROW(f.key, f.organization_id, o.country_code, f.title, f.summary, f.description,
  f.target_population, f.evidence, f.language, f.themes, f.modalities, f.working_languages, f.capacity_per_year,
  f.updated_at, f.confirmed_current_at)::text)`;

export type VersionedOffer = MatchOffer & { version: string };

/**
 * Published offers among these ids, outside `excludeCountry` (the request's own country), each
 * with its version (see `offerVersion`).
 */
export async function findPublishedOffersForMatching({
  ids,
  excludeCountry,
}: {
  ids: readonly string[];
  excludeCountry?: string;
}): Promise<VersionedOffer[]> {
  const offers: VersionedOffer[] = [];
  for (const chunk of chunks(ids, READ_CHUNK)) {
    const rows = await getPrisma().$queryRaw<Array<OfferRow & { version: string }>>`
      SELECT ${offerColumns}, ${offerVersion} AS version
        FROM "offer" f JOIN "organization" o ON o.id = f.organization_id JOIN "country" c ON c.code = o.country_code
       WHERE f.id = ANY(${chunk}::uuid[]) AND f.status = 'published'
         AND o.country_code <> ${excludeCountry ?? ""}`;
    offers.push(...rows.map((row) => ({ ...toMatchOffer(row), version: row.version })));
  }
  return offers;
}

/** Every published offer, a page at a time in id order (for a full recomputation). */
export async function* publishedOfferPages({ pageSize = 5_000 }: { pageSize?: number } = {}): AsyncGenerator<MatchOffer[]> {
  let cursor = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const rows = await getPrisma().$queryRaw<OfferRow[]>`
      SELECT ${offerColumns}
        FROM "offer" f JOIN "organization" o ON o.id = f.organization_id JOIN "country" c ON c.code = o.country_code
       WHERE f.status = 'published' AND f.id > ${cursor}::uuid
       ORDER BY f.id
       LIMIT ${pageSize}`;
    if (rows.length === 0) return;
    yield rows.map(toMatchOffer);
    cursor = rows[rows.length - 1].id;
  }
}

/** Published offers counted up to `atMost` (a bound is all the matcher asks; a full count of 50,000 is not free). */
export async function countPublishedOffers({ atMost }: { atMost: number }): Promise<number> {
  const [row] = await getPrisma().$queryRaw<Array<{ count: number }>>`
    SELECT count(*)::int AS count FROM (SELECT 1 FROM "offer" WHERE status = 'published' LIMIT ${atMost}) published`;
  return row?.count ?? 0;
}

/** Ids of published offers outside `excludeCountry`, when there are at most `limit` of them. */
export async function findAllPublishedOfferIds({ excludeCountry }: { excludeCountry: string }): Promise<string[]> {
  const rows = await getPrisma().offer.findMany({
    where: { status: "published", organization: { countryCode: { not: excludeCountry } } },
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

export type ThemePoolEntry = { id: string; version: string };

/**
 * The theme channel of candidate retrieval: published offers outside the request's country that
 * share at least one of its themes, those sharing the most first, then the most recently updated
 * (then by id, descending). The matcher re-ranks these by shared concepts. Only ids and versions:
 * the worker keeps the popular offers prepared, and reads whole rows only for those it lacks.
 *
 * Ranking every offer that shares a theme took 30-50 ms with 50,000 offers, a popular theme
 * holding a fifth of them. Two cheap reads give the same list (decision record 017):
 * - offers sharing two themes or more, found through the themes' GIN index (pairs of themes);
 * - the `limit` most recent offers sharing any theme, read backwards along the pool index and
 *   stopped at `limit`.
 * If the first holds `limit` offers, they are the pool. Otherwise it holds every offer sharing
 * two or more, and the pool's offers sharing exactly one are the most recent of those, which
 * are among the `limit` most recent sharing any.
 */
export async function findThemePool({
  themes,
  excludeCountry,
  limit,
}: {
  themes: readonly string[];
  excludeCountry: string;
  limit: number;
}): Promise<ThemePoolEntry[]> {
  const distinct = [...new Set(themes)];
  if (distinct.length === 0) return [];
  const shared = Prisma.join(
    distinct.map((theme) => Prisma.sql`(f.themes @> ARRAY[${theme}]::text[])::int`),
    " + "
  );
  const recent = Prisma.sql`
    SELECT f.id, 1 AS shared, f.updated_at
      FROM "offer" f JOIN "organization" o ON o.id = f.organization_id
     WHERE f.status = 'published' AND f.themes && ${distinct}::text[] AND o.country_code <> ${excludeCountry}
     ORDER BY f.updated_at DESC, f.id DESC
     LIMIT ${limit}`;
  const pairs: Prisma.Sql[] = [];
  for (let first = 0; first < distinct.length; first += 1) {
    for (let second = first + 1; second < distinct.length; second += 1) {
      pairs.push(Prisma.sql`f.themes @> ARRAY[${distinct[first]}, ${distinct[second]}]::text[]`);
    }
  }
  const pool =
    pairs.length === 0
      ? recent
      : Prisma.sql`
    WITH several AS MATERIALIZED (
      SELECT f.id, (${shared}) AS shared, f.updated_at
        FROM "offer" f JOIN "organization" o ON o.id = f.organization_id
       WHERE f.status = 'published' AND f.themes && ${distinct}::text[] AND (${Prisma.join(pairs, " OR ")})
         AND o.country_code <> ${excludeCountry}
       ORDER BY shared DESC, f.updated_at DESC, f.id DESC
       LIMIT ${limit}),
    one AS MATERIALIZED (${recent})
    SELECT * FROM several
    UNION ALL
    SELECT * FROM one WHERE id NOT IN (SELECT id FROM several)`;
  return getPrisma().$queryRaw<ThemePoolEntry[]>`
    SELECT f.id::text AS id, ${offerVersion} AS version
      FROM (${pool}) pool JOIN "offer" f ON f.id = pool.id JOIN "organization" o ON o.id = f.organization_id
     ORDER BY pool.shared DESC, pool.updated_at DESC, pool.id DESC
     LIMIT ${limit}`;
}

// ---------------------------------------------------------------------------------------
// Reading the matching's own state

export type ExistingProposal = {
  id: string;
  requestId: string;
  offerId: string;
  status: string;
  source: string;
  score: number;
  rank: number | null;
  recommended: boolean;
  sharedLanguage: boolean;
  digest: string | null;
};

type ExistingRow = {
  id: string;
  request_id: string;
  offer_id: string;
  status: string;
  source: string;
  score: number;
  rank: number | null;
  recommended: boolean;
  shared_language: boolean;
  digest: string | null;
};

function toExisting(row: ExistingRow): ExistingProposal {
  return {
    id: row.id,
    requestId: row.request_id,
    offerId: row.offer_id,
    status: row.status,
    source: row.source,
    score: row.score,
    rank: row.rank,
    recommended: row.recommended,
    sharedLanguage: row.shared_language,
    digest: row.digest,
  };
}

const existingColumns = Prisma.sql`
  p.id::text AS id, p.request_id::text AS request_id, p.offer_id::text AS offer_id, p.status::text AS status,
  p.source::text AS source, p.score, p.rank, p.recommended, p.shared_language, p.factors->>'digest' AS digest`;

/** Every proposal row of these requests (decided ones included), or of all requests. */
export async function findProposalsOfRequests({
  requestIds,
  tx,
}: {
  requestIds: readonly string[] | "all";
  tx?: TransactionClient;
}): Promise<ExistingProposal[]> {
  const client = tx ?? getPrisma();
  if (requestIds === "all") {
    const rows = await client.$queryRaw<ExistingRow[]>`SELECT ${existingColumns} FROM "proposal" p`;
    return rows.map(toExisting);
  }
  const result: ExistingProposal[] = [];
  for (const chunk of chunks(requestIds, READ_CHUNK)) {
    const rows = await client.$queryRaw<ExistingRow[]>`
      SELECT ${existingColumns} FROM "proposal" p WHERE p.request_id = ANY(${chunk}::uuid[])`;
    result.push(...rows.map(toExisting));
  }
  return result;
}

// Listed rather than `<> 'proposed'` so the (status, score) index finds the few decided rows
// among a hundred thousand proposed ones: the job for one request reads them every time.
const DECIDED_STATUSES = PROPOSAL_STATUSES.filter((status) => status !== "proposed");

type DecidedRow = {
  request_id: string;
  offer_id: string;
  status: string;
  rejection_reason: string | null;
  decided_at: Date | null;
  request_organization_id: string;
  request_themes: string[];
  request_working_languages: string[];
  request_desired_start: Date | null;
  offer_organization_id: string;
};

/**
 * Staff decisions (every row not in status `proposed`), for learning and capacity: all of them,
 * or those on these offers or by these requesting organizations.
 */
export async function findDecidedPairings(
  scope: { all: true } | { offerIds: readonly string[]; requestOrganizationIds: readonly string[] }
): Promise<DecidedPairing[]> {
  const filter =
    "all" in scope
      ? Prisma.empty
      : Prisma.sql`AND (p.offer_id = ANY(${[...scope.offerIds]}::uuid[]) OR r.organization_id = ANY(${[
          ...scope.requestOrganizationIds,
        ]}::uuid[]))`;
  const rows = await getPrisma().$queryRaw<DecidedRow[]>`
    SELECT p.request_id::text AS request_id, p.offer_id::text AS offer_id, p.status::text AS status,
           p.rejection_reason, p.decided_at, r.organization_id::text AS request_organization_id,
           r.themes AS request_themes, r.working_languages AS request_working_languages,
           r.desired_start AS request_desired_start, f.organization_id::text AS offer_organization_id
      FROM "proposal" p JOIN "request" r ON r.id = p.request_id JOIN "offer" f ON f.id = p.offer_id
     WHERE p.status = ANY(${DECIDED_STATUSES}::"ProposalStatus"[]) ${filter}`;
  return rows.map((row) => ({
    requestId: row.request_id,
    offerId: row.offer_id,
    status: row.status,
    rejectionReason: row.rejection_reason,
    decidedAt: row.decided_at,
    requestOrganizationId: row.request_organization_id,
    requestThemes: row.request_themes,
    requestWorkingLanguages: row.request_working_languages,
    requestDesiredStart: row.request_desired_start,
    offerOrganizationId: row.offer_organization_id,
  }));
}

/** Places each offer has given in the last twelve months, from the decisions. */
export function consumedCapacity(decisions: readonly DecidedPairing[], now: Date): Map<string, number> {
  const since = now.getTime() - CAPACITY_WINDOW_DAYS * DAY_MS;
  const consumed = new Map<string, number>();
  for (const decision of decisions) {
    if (!CAPACITY_CONSUMING_STATUSES.includes(decision.status)) continue;
    if (decision.decidedAt && decision.decidedAt.getTime() < since) continue;
    consumed.set(decision.offerId, (consumed.get(decision.offerId) ?? 0) + 1);
  }
  return consumed;
}

/** Requests (of these) that already have a serving pairing (confirmed...). */
export function servedRequestIds(proposals: readonly ExistingProposal[]): Set<string> {
  return new Set(proposals.filter((row) => SERVING_STATUSES.includes(row.status)).map((row) => row.requestId));
}

/** How many open, unserved requests each offer is currently recommended to, other requests excluded. */
export async function countRecommendations({
  offerIds,
  exceptRequestIds,
}: {
  offerIds: readonly string[];
  exceptRequestIds: readonly string[];
}): Promise<Map<string, number>> {
  if (offerIds.length === 0) return new Map();
  const rows = await getPrisma().$queryRaw<Array<{ offer_id: string; count: number }>>`
    SELECT p.offer_id::text AS offer_id, count(*)::int AS count
      FROM "proposal" p
     WHERE p.recommended AND p.status = 'proposed' AND p.offer_id = ANY(${[...offerIds]}::uuid[])
       AND NOT (p.request_id = ANY(${[...exceptRequestIds]}::uuid[]))
     GROUP BY p.offer_id`;
  return new Map(rows.map((row) => [row.offer_id, row.count]));
}

/**
 * Track records of offering organizations: their completed cooperations (brokering, issue 7) and
 * the average of the ratings the requesting agencies gave them in their outcome reports (the
 * provider's own rating of itself is left out). An organization without any has none.
 */
export async function findTrackRecords({ organizationIds }: { organizationIds: readonly string[] | "all" }): Promise<Map<string, TrackRecord>> {
  if (organizationIds !== "all" && organizationIds.length === 0) return new Map();
  const filter = organizationIds === "all" ? Prisma.empty : Prisma.sql`AND f.organization_id = ANY(${[...organizationIds]}::uuid[])`;
  const rows = await getPrisma().$queryRaw<Array<{ organization_id: string; completed: number; average_rating: number | null }>>`
    SELECT f.organization_id::text AS organization_id, count(DISTINCT c.id)::int AS completed,
           avg(o.rating)::float8 AS average_rating
      FROM "cooperation" c
      JOIN "offer" f ON f.id = c.offer_id
      LEFT JOIN "outcome_report" o ON o.cooperation_id = c.id AND o.side = 'requester'
     WHERE c.status = 'completed' ${filter}
     GROUP BY f.organization_id`;
  return new Map(rows.map((row) => [row.organization_id, { completed: row.completed, averageRating: row.average_rating }]));
}

// ---------------------------------------------------------------------------------------
// Writing proposals

export type ProposalDraft = {
  requestId: string;
  offerId: string;
  score: number;
  sharedLanguage: boolean;
  rank: number;
  recommended: boolean;
  factors: Record<string, unknown> & { digest: string };
  reasons: Reasons;
};

export type RequestMatchingState = {
  requestId: string;
  outcome: "proposed" | "no_candidates";
  candidateCount: number;
  usedSearch: boolean;
};

export type WriteCounts = { inserted: number; updated: number; deleted: number };

/**
 * Makes the matcher's rows of these requests equal to `drafts`: new pairs are inserted, changed
 * ones updated (version + 1), the matcher's rows no longer proposed deleted. Rows staff decided
 * (or created by hand) are left alone, even if a draft names them. `skipRequestsMatchedAfter`
 * leaves out requests a job re-matched after the caller read its data.
 */
export async function writeProposals({
  requestIds,
  drafts,
  states,
  now,
  skipRequestsMatchedAfter,
}: {
  requestIds: readonly string[];
  drafts: readonly ProposalDraft[];
  states: readonly RequestMatchingState[];
  now: Date;
  skipRequestsMatchedAfter?: Date;
}): Promise<WriteCounts> {
  return getPrisma().$transaction(
    async (tx) => {
      await lockMatching(tx);
      let ids = [...requestIds];
      if (skipRequestsMatchedAfter) {
        const recent = await tx.$queryRaw<Array<{ request_id: string }>>`
          SELECT m.request_id::text AS request_id FROM "request_matching" m
           WHERE m.matched_at > ${skipRequestsMatchedAfter} AND m.request_id = ANY(${ids}::uuid[])`;
        const skip = new Set(recent.map((row) => row.request_id));
        if (skip.size > 0) ids = ids.filter((id) => !skip.has(id));
      }
      const included = new Set(ids);
      const existing = await findProposalsOfRequests({ requestIds: ids, tx });
      const existingByPair = new Map(existing.map((row) => [`${row.requestId}|${row.offerId}`, row]));

      const inserts: ProposalDraft[] = [];
      const updates: Array<ProposalDraft & { id: string }> = [];
      const kept = new Set<string>();
      for (const draft of drafts) {
        if (!included.has(draft.requestId)) continue;
        const row = existingByPair.get(`${draft.requestId}|${draft.offerId}`);
        if (!row) {
          inserts.push(draft);
          continue;
        }
        kept.add(row.id);
        if (row.status !== "proposed" || row.source !== "matcher") continue;
        if (
          row.digest !== draft.factors.digest ||
          row.rank !== draft.rank ||
          row.recommended !== draft.recommended ||
          row.score !== draft.score ||
          row.sharedLanguage !== draft.sharedLanguage
        ) {
          updates.push({ ...draft, id: row.id });
        }
      }
      const deletes = existing
        .filter((row) => row.status === "proposed" && row.source === "matcher" && !kept.has(row.id))
        .map((row) => row.id);

      for (const chunk of chunks(deletes, WRITE_CHUNK)) {
        await tx.$executeRaw`
          DELETE FROM "proposal" WHERE id = ANY(${chunk}::uuid[]) AND status = 'proposed' AND source = 'matcher'`;
      }
      let inserted = 0;
      for (const chunk of chunks(inserts, WRITE_CHUNK)) {
        inserted += await tx.$executeRaw`
          INSERT INTO "proposal" ("request_id", "offer_id", "score", "shared_language", "factors", "reasons", "rank",
                                  "recommended", "created_at", "updated_at")
          SELECT s.request_id, s.offer_id, s.score, s.shared_language, s.factors, s.reasons, s.rank, s.recommended, ${now}, ${now}
            FROM jsonb_to_recordset(${JSON.stringify(chunk.map(draftRecord))}::jsonb) AS s(
              request_id uuid, offer_id uuid, score double precision, shared_language boolean, factors jsonb,
              reasons jsonb, rank integer, recommended boolean)
          ON CONFLICT ("request_id", "offer_id") DO NOTHING`;
      }
      let updated = 0;
      for (const chunk of chunks(updates, WRITE_CHUNK)) {
        updated += await tx.$executeRaw`
          UPDATE "proposal" AS p SET
            "score" = s.score, "shared_language" = s.shared_language, "factors" = s.factors, "reasons" = s.reasons,
            "rank" = s.rank, "recommended" = s.recommended, "version" = p.version + 1, "updated_at" = ${now}
          FROM jsonb_to_recordset(${JSON.stringify(chunk.map((draft) => ({ id: draft.id, ...draftRecord(draft) })))}::jsonb) AS s(
            id uuid, score double precision, shared_language boolean, factors jsonb, reasons jsonb, rank integer,
            recommended boolean)
          WHERE p.id = s.id AND p.status = 'proposed' AND p.source = 'matcher'`;
      }

      const includedStates = states.filter((state) => included.has(state.requestId));
      for (const chunk of chunks(includedStates, WRITE_CHUNK)) {
        const rows = chunk.map((state) => ({
          request_id: state.requestId,
          outcome: state.outcome,
          candidate_count: state.candidateCount,
          used_search: state.usedSearch,
        }));
        await tx.$executeRaw`
          INSERT INTO "request_matching" ("request_id", "outcome", "candidate_count", "used_search", "matched_at")
          SELECT s.request_id, s.outcome::"MatchingOutcome", s.candidate_count, s.used_search, ${now}
            FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS s(
              request_id uuid, outcome text, candidate_count integer, used_search boolean)
          ON CONFLICT ("request_id") DO UPDATE SET
            "outcome" = EXCLUDED."outcome", "candidate_count" = EXCLUDED."candidate_count",
            "used_search" = EXCLUDED."used_search", "matched_at" = EXCLUDED."matched_at"`;
      }
      return { inserted, updated, deleted: deletes.length };
    },
    { maxWait: 60_000, timeout: 10 * 60_000 }
  );
}

/** Refreshes the planner's statistics after a bulk write, so the next queries plan well. */
export async function analyzeMatchingTables(): Promise<void> {
  await getPrisma().$executeRaw`ANALYZE "proposal", "request_matching"`;
}

function draftRecord(draft: ProposalDraft) {
  return {
    request_id: draft.requestId,
    offer_id: draft.offerId,
    score: draft.score,
    shared_language: draft.sharedLanguage,
    factors: draft.factors,
    reasons: draft.reasons,
    rank: draft.rank,
    recommended: draft.recommended,
  };
}

/**
 * For requests that are no longer open (closed, back to draft, deleted): removes the matcher's
 * undecided rows and the matching state. Decided rows stay as the history of the request.
 */
export async function withdrawProposalsOfRequests({ requestIds }: { requestIds: readonly string[] }): Promise<number> {
  if (requestIds.length === 0) return 0;
  return getPrisma().$transaction(async (tx) => {
    await lockMatching(tx);
    const deleted = await tx.$executeRaw`
      DELETE FROM "proposal" WHERE request_id = ANY(${[...requestIds]}::uuid[]) AND status = 'proposed' AND source = 'matcher'`;
    await tx.$executeRaw`DELETE FROM "request_matching" WHERE request_id = ANY(${[...requestIds]}::uuid[])`;
    return deleted;
  });
}

/** Open requests that are not in `openIds` any more but still have matcher rows or a state. */
export async function findRequestsWithStaleMatching(): Promise<string[]> {
  const rows = await getPrisma().$queryRaw<Array<{ id: string }>>`
    SELECT DISTINCT r.id::text AS id FROM "request" r
     WHERE r.status <> 'open'
       AND (EXISTS (SELECT 1 FROM "proposal" p WHERE p.request_id = r.id AND p.status = 'proposed' AND p.source = 'matcher')
            OR EXISTS (SELECT 1 FROM "request_matching" m WHERE m.request_id = r.id))`;
  return rows.map((row) => row.id);
}

// ---------------------------------------------------------------------------------------
// Re-balancing recommendations over the stored proposals

export type StoredCandidate = { requestId: string; offerId: string; score: number; sharedLanguage: boolean; recommended: boolean };

/** Undecided matcher proposals of open requests that no confirmed pairing serves yet. */
export async function findAssignableProposals(): Promise<StoredCandidate[]> {
  const rows = await getPrisma().$queryRaw<
    Array<{ request_id: string; offer_id: string; score: number; shared_language: boolean; recommended: boolean }>
  >`
    SELECT p.request_id::text AS request_id, p.offer_id::text AS offer_id, p.score, p.shared_language, p.recommended
      FROM "proposal" p JOIN "request" r ON r.id = p.request_id JOIN "offer" f ON f.id = p.offer_id
     WHERE p.status = 'proposed' AND p.source = 'matcher' AND r.status = 'open' AND f.status = 'published'
       AND NOT EXISTS (
         SELECT 1 FROM "proposal" q WHERE q.request_id = p.request_id AND q.status::text = ANY(${[...SERVING_STATUSES]}::text[]))`;
  return rows.map((row) => ({
    requestId: row.request_id,
    offerId: row.offer_id,
    score: row.score,
    sharedLanguage: row.shared_language,
    recommended: row.recommended,
  }));
}

/** Capacity per year of these offers. */
export async function findOfferCapacities({ offerIds }: { offerIds: readonly string[] }): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  for (const chunk of chunks(offerIds, READ_CHUNK)) {
    const rows = await getPrisma().offer.findMany({ where: { id: { in: chunk } }, select: { id: true, capacityPerYear: true } });
    for (const row of rows) result.set(row.id, row.capacityPerYear);
  }
  return result;
}

/** Sets `recommended` on exactly these pairs among the undecided matcher rows; returns changes. */
export async function setRecommendations({
  recommended,
  now,
}: {
  recommended: ReadonlyArray<{ requestId: string; offerId: string }>;
  now: Date;
}): Promise<number> {
  return getPrisma().$transaction(
    async (tx) => {
      await lockMatching(tx);
      const pairs = JSON.stringify(recommended.map((pair) => ({ request_id: pair.requestId, offer_id: pair.offerId })));
      const cleared = await tx.$executeRaw`
        UPDATE "proposal" AS p SET "recommended" = false, "version" = p.version + 1, "updated_at" = ${now}
         WHERE p.recommended AND p.status = 'proposed' AND p.source = 'matcher'
           AND NOT EXISTS (
             SELECT 1 FROM jsonb_to_recordset(${pairs}::jsonb) AS s(request_id uuid, offer_id uuid)
              WHERE s.request_id = p.request_id AND s.offer_id = p.offer_id)`;
      const set = await tx.$executeRaw`
        UPDATE "proposal" AS p SET "recommended" = true, "version" = p.version + 1, "updated_at" = ${now}
          FROM jsonb_to_recordset(${pairs}::jsonb) AS s(request_id uuid, offer_id uuid)
         WHERE p.request_id = s.request_id AND p.offer_id = s.offer_id AND NOT p.recommended
           AND p.status = 'proposed' AND p.source = 'matcher'`;
      return cleared + set;
    },
    { maxWait: 60_000, timeout: 5 * 60_000 }
  );
}

// ---------------------------------------------------------------------------------------
// Offers changed: which open requests to look at again

/** Open requests with an undecided matcher proposal for one of these offers. */
export async function findRequestsProposedOffers({
  offerIds,
}: {
  offerIds: readonly string[];
}): Promise<Array<{ requestId: string; offerId: string }>> {
  if (offerIds.length === 0) return [];
  const rows = await getPrisma().$queryRaw<Array<{ request_id: string; offer_id: string }>>`
    SELECT p.request_id::text AS request_id, p.offer_id::text AS offer_id
      FROM "proposal" p JOIN "request" r ON r.id = p.request_id
     WHERE p.offer_id = ANY(${[...offerIds]}::uuid[]) AND p.status = 'proposed' AND p.source = 'matcher' AND r.status = 'open'`;
  return rows.map((row) => ({ requestId: row.request_id, offerId: row.offer_id }));
}

/** Open requests outside `excludeCountry` sharing a theme with `themes`, or among `ids`. */
export async function findOpenRequestIdsForOffer({
  themes,
  excludeCountry,
  ids,
}: {
  themes: readonly string[];
  excludeCountry: string;
  ids: readonly string[];
}): Promise<string[]> {
  const rows = await getPrisma().$queryRaw<Array<{ id: string }>>`
    SELECT r.id::text AS id
      FROM "request" r JOIN "organization" o ON o.id = r.organization_id
     WHERE r.status = 'open' AND o.country_code <> ${excludeCountry}
       AND (r.themes && ${[...themes]}::text[] OR r.id = ANY(${[...ids]}::uuid[]))`;
  return rows.map((row) => row.id);
}

/** The lowest (sharedLanguage, score) among each request's undecided matcher proposals, and how many. */
export async function findWeakestProposals({
  requestIds,
}: {
  requestIds: readonly string[];
}): Promise<Map<string, { count: number; sharedLanguage: boolean; score: number }>> {
  const result = new Map<string, { count: number; sharedLanguage: boolean; score: number }>();
  for (const chunk of chunks(requestIds, READ_CHUNK)) {
    const rows = await getPrisma().$queryRaw<Array<{ request_id: string; count: number; shared_language: boolean; score: number }>>`
      SELECT DISTINCT ON (p.request_id) p.request_id::text AS request_id,
             (count(*) OVER (PARTITION BY p.request_id))::int AS count, p.shared_language, p.score
        FROM "proposal" p
       WHERE p.request_id = ANY(${chunk}::uuid[]) AND p.status = 'proposed' AND p.source = 'matcher'
       ORDER BY p.request_id, p.shared_language ASC, p.score ASC`;
    for (const row of rows) result.set(row.request_id, { count: row.count, sharedLanguage: row.shared_language, score: row.score });
  }
  return result;
}

// ---------------------------------------------------------------------------------------
// Output and decisions

export type RequestProposals = {
  request: string;
  requestId: string;
  outcome: "proposed" | "no_candidates" | null;
  proposals: Array<{ offer: string; offerId: string; score: number; recommended: boolean; reasons: Reasons; rank: number | null }>;
};

/** Every open request (by key) with its current, undecided proposals, best first. */
export async function listOpenRequestProposals(): Promise<RequestProposals[]> {
  const requests = await getPrisma().request.findMany({
    where: { status: "open" },
    orderBy: { key: "asc" },
    select: {
      id: true,
      key: true,
      matching: { select: { outcome: true } },
      proposals: {
        where: { status: "proposed" },
        orderBy: [{ rank: "asc" }, { score: "desc" }],
        select: { score: true, recommended: true, reasons: true, rank: true, offer: { select: { id: true, key: true } } },
      },
    },
  });
  return requests.map((request) => ({
    request: request.key,
    requestId: request.id,
    outcome: request.matching?.outcome ?? null,
    proposals: request.proposals.map((proposal) => ({
      offer: proposal.offer.key,
      offerId: proposal.offer.id,
      score: proposal.score,
      recommended: proposal.recommended,
      reasons: readReasons(proposal.reasons),
      rank: proposal.rank,
    })),
  }));
}

function readReasons(value: Prisma.JsonValue): Reasons {
  const strings = (list: unknown) => (Array.isArray(list) ? list.filter((item): item is string => typeof item === "string") : []);
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { en: [], es: [] };
  return { en: strings(value.en), es: strings(value.es) };
}

export type StaffDecision =
  | { status: "confirmed"; note?: string | null }
  | { status: "rejected"; reason: RejectionReason; note?: string | null };

export type DecisionResult = { ok: true; version: number } | { ok: false; conflict: "not-found" | "stale" | "already-decided" };

/**
 * Records a staff decision on an undecided proposal, if it is still at `expectedVersion`
 * (optimistic concurrency: of two staff deciding at once, exactly one wins). `afterDecision`
 * runs in the same transaction (brokering enqueues matching and notifications there).
 */
export async function decideProposal({
  proposalId,
  expectedVersion,
  staffId,
  decision,
  now = new Date(),
  afterDecision,
}: {
  proposalId: string;
  expectedVersion: number;
  staffId: string;
  decision: StaffDecision;
  now?: Date;
  afterDecision?: (tx: TransactionClient, proposal: { requestId: string; offerId: string }) => Promise<void>;
}): Promise<DecisionResult> {
  return getPrisma().$transaction(async (tx) => {
    const updated = await tx.proposal.updateManyAndReturn({
      where: { id: proposalId, version: expectedVersion, status: "proposed" },
      data: {
        status: decision.status,
        rejectionReason: decision.status === "rejected" ? decision.reason : null,
        decisionNote: decision.note ?? null,
        decidedById: staffId,
        decidedAt: now,
        recommended: false,
        version: { increment: 1 },
      },
      select: { version: true, requestId: true, offerId: true },
    });
    const [row] = updated;
    if (!row) {
      const current = await tx.proposal.findUnique({ where: { id: proposalId }, select: { status: true } });
      return { ok: false, conflict: !current ? "not-found" : current.status !== "proposed" ? "already-decided" : "stale" };
    }
    await afterDecision?.(tx, { requestId: row.requestId, offerId: row.offerId });
    return { ok: true, version: row.version };
  });
}
