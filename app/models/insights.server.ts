/**
 * The figures of the insights page (/insights): aggregates over offers, requests, proposals and
 * cooperations, each computed by one SQL statement so a page costs a handful of queries whatever
 * the catalogue's size.
 *
 * Definitions every chart shares (the page explains them too):
 * - supply: published offers; demand: open requests;
 * - a request counts in the funnel and in shares once it has been published (open or closed);
 * - a cooperation counts unless it was cancelled; it belongs to a theme when its request or its
 *   offer names the theme, to its provider's country (the offer's organization) and to its
 *   beneficiary's (the request's organization), and to the year it started (or was agreed, while
 *   it is still planned).
 */
import { Prisma } from "~/generated/prisma/client";
import { countryName } from "~/models/country.server";
import { THEME_CODES, type ThemeCode } from "~/schemas/vocabulary";
import { getPrisma } from "~/utils/db.server";

export const WOMEN_ECONOMIC_EMPOWERMENT: ThemeCode = "women-economic-empowerment";

type CountryNameRow = { code: string; name_en: string; name_es: string; name_pt: string; name_fr: string };

function localizedCountry(row: CountryNameRow, locale: string): string {
  return countryName({ nameEn: row.name_en, nameEs: row.name_es, namePt: row.name_pt, nameFr: row.name_fr }, locale);
}

/** A cooperation's themes: its request's and its offer's. */
const COOPERATION_COUNTS = Prisma.sql`c."status" <> 'cancelled'`;

// ---------------------------------------------------------------------------------------
// Supply and demand per theme

export type ThemeSupplyDemand = { theme: ThemeCode; offers: number; requests: number };

/** Every theme of the vocabulary, with its published offers and open requests (zeros included). */
export async function getThemeSupplyDemand(): Promise<ThemeSupplyDemand[]> {
  const rows = await getPrisma().$queryRaw<Array<{ theme: string; offers: number; requests: number }>>`
    WITH supply AS (
      SELECT t."theme", count(DISTINCT o."id")::int AS "count"
      FROM "offer" o CROSS JOIN LATERAL unnest(o."themes") AS t("theme")
      WHERE o."status" = 'published'
      GROUP BY t."theme"
    ), demand AS (
      SELECT t."theme", count(DISTINCT r."id")::int AS "count"
      FROM "request" r CROSS JOIN LATERAL unnest(r."themes") AS t("theme")
      WHERE r."status" = 'open'
      GROUP BY t."theme"
    )
    SELECT coalesce(s."theme", d."theme") AS "theme",
           coalesce(s."count", 0) AS "offers",
           coalesce(d."count", 0) AS "requests"
    FROM supply s FULL JOIN demand d ON d."theme" = s."theme"`;
  const byTheme = new Map(rows.map((row) => [row.theme, row]));
  return THEME_CODES.map((theme) => ({ theme, offers: byTheme.get(theme)?.offers ?? 0, requests: byTheme.get(theme)?.requests ?? 0 }));
}

// ---------------------------------------------------------------------------------------
// Cooperation flows between countries

export type CountryFlow = {
  providerCode: string;
  provider: string;
  beneficiaryCode: string;
  beneficiary: string;
  cooperations: number;
};

export type FlowFilter = { theme: ThemeCode | null; year: number | null };

function flowConditions({ theme, year }: FlowFilter): Prisma.Sql {
  const conditions = [COOPERATION_COUNTS];
  if (theme) conditions.push(Prisma.sql`(${theme} = ANY(r."themes") OR ${theme} = ANY(o."themes"))`);
  if (year !== null) conditions.push(Prisma.sql`extract(year FROM coalesce(c."started_at", c."created_at") AT TIME ZONE 'UTC')::int = ${year}::int`);
  return Prisma.join(conditions, " AND ");
}

/** Cooperations per (provider country, beneficiary country), largest flows first. */
export async function getCountryFlows({ filter, locale }: { filter: FlowFilter; locale: string }): Promise<CountryFlow[]> {
  const rows = await getPrisma().$queryRaw<
    Array<{ provider: CountryNameRow; beneficiary: CountryNameRow; cooperations: number }>
  >`
    SELECT json_build_object('code', pc."code", 'name_en', pc."name_en", 'name_es', pc."name_es", 'name_pt', pc."name_pt", 'name_fr', pc."name_fr") AS "provider",
           json_build_object('code', bc."code", 'name_en', bc."name_en", 'name_es', bc."name_es", 'name_pt', bc."name_pt", 'name_fr', bc."name_fr") AS "beneficiary",
           count(*)::int AS "cooperations"
    FROM "cooperation" c
    JOIN "offer" o ON o."id" = c."offer_id"
    JOIN "request" r ON r."id" = c."request_id"
    JOIN "organization" po ON po."id" = o."organization_id"
    JOIN "organization" bo ON bo."id" = r."organization_id"
    JOIN "country" pc ON pc."code" = po."country_code"
    JOIN "country" bc ON bc."code" = bo."country_code"
    WHERE ${flowConditions(filter)}
    GROUP BY pc."code", bc."code"
    ORDER BY "cooperations" DESC, pc."code", bc."code"`;
  return rows.map((row) => ({
    providerCode: row.provider.code,
    provider: localizedCountry(row.provider, locale),
    beneficiaryCode: row.beneficiary.code,
    beneficiary: localizedCountry(row.beneficiary, locale),
    cooperations: row.cooperations,
  }));
}

/** The years in which cooperations started: the flow filter's choices, newest first. */
export async function listCooperationYears(): Promise<number[]> {
  const rows = await getPrisma().$queryRaw<Array<{ year: number }>>`
    SELECT DISTINCT extract(year FROM coalesce(c."started_at", c."created_at") AT TIME ZONE 'UTC')::int AS "year"
    FROM "cooperation" c
    WHERE ${COOPERATION_COUNTS}
    ORDER BY "year" DESC`;
  return rows.map((row) => row.year);
}

// ---------------------------------------------------------------------------------------
// The funnel

export const FUNNEL_STEPS = ["requests", "proposed", "confirmed", "accepted", "completed", "adopted"] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

export type FunnelStage = {
  step: FunnelStep;
  /** Requests that reached this step. */
  requests: number;
  /** Median days from the previous step to this one, over the requests that reached it; null for the first step or nobody. */
  medianDays: number | null;
};

export type Funnel = {
  stages: FunnelStage[];
  /** Staff-only figures: what fell out of the funnel. */
  attrition: { rejectedProposals: number; declinedProposals: number; awaitingDecision: number; cancelledCooperations: number };
};

/**
 * Requests through brokering, each step with the date a request first reached it:
 * published -> first proposal -> first staff confirmation -> both agencies accepted (the later of
 * the two answers) -> cooperation completed -> the beneficiary reported the practice adopted or
 * adapted. A request reaches a step only if it reached the previous one.
 */
export async function getFunnel(): Promise<Funnel> {
  const prisma = getPrisma();
  const [stageRows, attritionRows] = await Promise.all([
    prisma.$queryRaw<Array<{ step: FunnelStep; requests: number; median_days: number | null }>>`
      WITH base AS (
        SELECT r."id", coalesce(r."published_at", r."created_at") AS "at"
        FROM "request" r
        WHERE r."status" IN ('open', 'closed')
      ), proposed AS (
        SELECT p."request_id", min(p."created_at") AS "at"
        FROM "proposal" p GROUP BY p."request_id"
      ), confirmed AS (
        SELECT p."request_id", min(p."decided_at") AS "at"
        FROM "proposal" p
        WHERE p."status" IN ('confirmed', 'accepted', 'declined') AND p."decided_at" IS NOT NULL
        GROUP BY p."request_id"
      ), accepted AS (
        SELECT p."request_id", min(answers."at") AS "at"
        FROM "proposal" p
        JOIN (
          SELECT pc."proposal_id", max(pc."responded_at") AS "at"
          FROM "pairing_consent" pc
          GROUP BY pc."proposal_id"
          HAVING count(*) FILTER (WHERE pc."status" = 'accepted' AND pc."side" = 'requester') = 1
             AND count(*) FILTER (WHERE pc."status" = 'accepted' AND pc."side" = 'provider') = 1
        ) answers ON answers."proposal_id" = p."id"
        GROUP BY p."request_id"
      ), completed AS (
        SELECT c."request_id", min(c."completed_at") AS "at"
        FROM "cooperation" c
        WHERE c."status" = 'completed'
        GROUP BY c."request_id"
      ), adopted AS (
        SELECT c."request_id", min(rep."filed_at") AS "at"
        FROM "cooperation" c
        JOIN "outcome_report" rep ON rep."cooperation_id" = c."id"
        WHERE c."status" = 'completed' AND rep."side" = 'requester' AND rep."adoption" IN ('adopted', 'adapted')
        GROUP BY c."request_id"
      ), journey AS (
        SELECT b."at" AS "t0", p1."at" AS "t1", p2."at" AS "t2", p3."at" AS "t3", p4."at" AS "t4", p5."at" AS "t5"
        FROM base b
        LEFT JOIN proposed p1 ON p1."request_id" = b."id"
        LEFT JOIN confirmed p2 ON p2."request_id" = b."id" AND p1."at" IS NOT NULL
        LEFT JOIN accepted p3 ON p3."request_id" = b."id" AND p2."at" IS NOT NULL
        LEFT JOIN completed p4 ON p4."request_id" = b."id" AND p3."at" IS NOT NULL
        LEFT JOIN adopted p5 ON p5."request_id" = b."id" AND p4."at" IS NOT NULL
      )
      SELECT 'requests' AS "step", count(*)::int AS "requests", NULL::float8 AS "median_days" FROM journey
      UNION ALL
      SELECT 'proposed', count("t1")::int, percentile_cont(0.5) WITHIN GROUP (ORDER BY (extract(epoch FROM "t1" - "t0") / 86400)::float8) FROM journey WHERE "t1" IS NOT NULL
      UNION ALL
      SELECT 'confirmed', count("t2")::int, percentile_cont(0.5) WITHIN GROUP (ORDER BY (extract(epoch FROM "t2" - "t1") / 86400)::float8) FROM journey WHERE "t2" IS NOT NULL
      UNION ALL
      SELECT 'accepted', count("t3")::int, percentile_cont(0.5) WITHIN GROUP (ORDER BY (extract(epoch FROM "t3" - "t2") / 86400)::float8) FROM journey WHERE "t3" IS NOT NULL
      UNION ALL
      SELECT 'completed', count("t4")::int, percentile_cont(0.5) WITHIN GROUP (ORDER BY (extract(epoch FROM "t4" - "t3") / 86400)::float8) FROM journey WHERE "t4" IS NOT NULL
      UNION ALL
      SELECT 'adopted', count("t5")::int, percentile_cont(0.5) WITHIN GROUP (ORDER BY (extract(epoch FROM "t5" - "t4") / 86400)::float8) FROM journey WHERE "t5" IS NOT NULL`,
    prisma.$queryRaw<Array<{ rejected: number; declined: number; awaiting: number; cancelled: number }>>`
      SELECT
        (SELECT count(*)::int FROM "proposal" WHERE "status" = 'rejected') AS "rejected",
        (SELECT count(*)::int FROM "proposal" WHERE "status" = 'declined') AS "declined",
        (SELECT count(*)::int FROM "proposal" WHERE "status" = 'proposed') AS "awaiting",
        (SELECT count(*)::int FROM "cooperation" WHERE "status" = 'cancelled') AS "cancelled"`,
  ]);
  const byStep = new Map(stageRows.map((row) => [row.step, row]));
  const attrition = attritionRows[0];
  return {
    stages: FUNNEL_STEPS.map((step) => {
      const row = byStep.get(step);
      return { step, requests: row?.requests ?? 0, medianDays: row?.median_days ?? null };
    }),
    attrition: {
      rejectedProposals: attrition?.rejected ?? 0,
      declinedProposals: attrition?.declined ?? 0,
      awaitingDecision: attrition?.awaiting ?? 0,
      cancelledCooperations: attrition?.cancelled ?? 0,
    },
  };
}

// ---------------------------------------------------------------------------------------
// Women's economic empowerment

export type ThemeShare = { total: number; targeting: number };

/** Published requests and (not cancelled) cooperations, and how many of each name the theme. */
export async function getThemeShare({ theme }: { theme: ThemeCode }): Promise<{ requests: ThemeShare; cooperations: ThemeShare }> {
  const rows = await getPrisma().$queryRaw<
    Array<{ requests: number; requests_targeting: number; cooperations: number; cooperations_targeting: number }>
  >`
    SELECT
      (SELECT count(*)::int FROM "request" r WHERE r."status" IN ('open', 'closed')) AS "requests",
      (SELECT count(*)::int FROM "request" r WHERE r."status" IN ('open', 'closed') AND ${theme} = ANY(r."themes")) AS "requests_targeting",
      (SELECT count(*)::int FROM "cooperation" c WHERE ${COOPERATION_COUNTS}) AS "cooperations",
      (SELECT count(*)::int
         FROM "cooperation" c
         JOIN "offer" o ON o."id" = c."offer_id"
         JOIN "request" r ON r."id" = c."request_id"
         WHERE ${COOPERATION_COUNTS} AND (${theme} = ANY(r."themes") OR ${theme} = ANY(o."themes"))) AS "cooperations_targeting"`;
  const row = rows[0];
  return {
    requests: { total: row?.requests ?? 0, targeting: row?.requests_targeting ?? 0 },
    cooperations: { total: row?.cooperations ?? 0, targeting: row?.cooperations_targeting ?? 0 },
  };
}

// ---------------------------------------------------------------------------------------
// Per country and per organization

export type ActivityCounts = { offered: number; requested: number; asProvider: number; asBeneficiary: number };
export type CountryActivity = ActivityCounts & { code: string; name: string };
export type OrganizationActivity = ActivityCounts & { id: string; name: string; countryCode: string; country: string };

/**
 * Per country with any activity: published offers, open requests, and cooperations as provider
 * and as beneficiary. Sorted by total activity, then name in the viewer's language.
 */
export async function getCountryActivity({ locale }: { locale: string }): Promise<CountryActivity[]> {
  const rows = await getPrisma().$queryRaw<Array<CountryNameRow & ActivityRow>>`
    WITH ${activityCtes()}
    SELECT ct."code", ct."name_en", ct."name_es", ct."name_pt", ct."name_fr",
           coalesce(sum(a."offered"), 0)::int AS "offered",
           coalesce(sum(a."requested"), 0)::int AS "requested",
           coalesce(sum(a."as_provider"), 0)::int AS "as_provider",
           coalesce(sum(a."as_beneficiary"), 0)::int AS "as_beneficiary"
    FROM activity a
    JOIN "organization" g ON g."id" = a."organization_id"
    JOIN "country" ct ON ct."code" = g."country_code"
    GROUP BY ct."code"`;
  const collator = new Intl.Collator(locale);
  return rows
    .map((row) => ({ code: row.code, name: localizedCountry(row, locale), ...activityCounts(row) }))
    .sort((a, b) => totalActivity(b) - totalActivity(a) || collator.compare(a.name, b.name));
}

/** The same figures per organization, by name: staff only (the page names no agency to the public). */
export async function getOrganizationActivity({ locale }: { locale: string }): Promise<OrganizationActivity[]> {
  const rows = await getPrisma().$queryRaw<Array<{ id: string; name: string; country: CountryNameRow } & ActivityRow>>`
    WITH ${activityCtes()}
    SELECT g."id"::text AS "id", g."name",
           json_build_object('code', ct."code", 'name_en', ct."name_en", 'name_es', ct."name_es", 'name_pt', ct."name_pt", 'name_fr', ct."name_fr") AS "country",
           a."offered", a."requested", a."as_provider", a."as_beneficiary"
    FROM activity a
    JOIN "organization" g ON g."id" = a."organization_id"
    JOIN "country" ct ON ct."code" = g."country_code"`;
  const collator = new Intl.Collator(locale);
  return rows
    .map((row) => ({
      id: row.id,
      name: row.name,
      countryCode: row.country.code,
      country: localizedCountry(row.country, locale),
      ...activityCounts(row),
    }))
    .sort((a, b) => totalActivity(b) - totalActivity(a) || collator.compare(a.name, b.name));
}

type ActivityRow = { offered: number; requested: number; as_provider: number; as_beneficiary: number };

/** `activity`: one row per organization with any of the four figures. */
function activityCtes(): Prisma.Sql {
  return Prisma.sql`
    offered AS (
      SELECT o."organization_id", count(*)::int AS "n" FROM "offer" o WHERE o."status" = 'published' GROUP BY 1
    ), requested AS (
      SELECT r."organization_id", count(*)::int AS "n" FROM "request" r WHERE r."status" = 'open' GROUP BY 1
    ), provided AS (
      SELECT o."organization_id", count(*)::int AS "n"
      FROM "cooperation" c JOIN "offer" o ON o."id" = c."offer_id"
      WHERE ${COOPERATION_COUNTS} GROUP BY 1
    ), received AS (
      SELECT r."organization_id", count(*)::int AS "n"
      FROM "cooperation" c JOIN "request" r ON r."id" = c."request_id"
      WHERE ${COOPERATION_COUNTS} GROUP BY 1
    ), activity AS (
      SELECT ids."organization_id",
             coalesce(offered."n", 0) AS "offered",
             coalesce(requested."n", 0) AS "requested",
             coalesce(provided."n", 0) AS "as_provider",
             coalesce(received."n", 0) AS "as_beneficiary"
      FROM (
        SELECT "organization_id" FROM offered UNION SELECT "organization_id" FROM requested
        UNION SELECT "organization_id" FROM provided UNION SELECT "organization_id" FROM received
      ) ids
      LEFT JOIN offered ON offered."organization_id" = ids."organization_id"
      LEFT JOIN requested ON requested."organization_id" = ids."organization_id"
      LEFT JOIN provided ON provided."organization_id" = ids."organization_id"
      LEFT JOIN received ON received."organization_id" = ids."organization_id"
    )`;
}

function activityCounts(row: ActivityRow): ActivityCounts {
  return { offered: row.offered, requested: row.requested, asProvider: row.as_provider, asBeneficiary: row.as_beneficiary };
}

function totalActivity(counts: ActivityCounts): number {
  return counts.offered + counts.requested + counts.asProvider + counts.asBeneficiary;
}
