/**
 * Degraded-mode search: PostgreSQL full-text search over published offers or open requests, used
 * by /search while Meilisearch is unreachable. Same filters as the index, no synonyms and no facet
 * counts. The SQL functions come from prisma/migrations/20261123000300_search_fallback.
 */
import { Prisma } from "~/generated/prisma/client";
import { getPrisma } from "~/utils/db.server";

export type FallbackFilters = {
  themes?: string[];
  modalities?: string[];
  workingLanguages?: string[];
  languages?: string[];
  countries?: string[];
  subregions?: string[];
  organizationTypes?: string[];
  costSharing?: string[];
  evidence?: string[];
  stale?: string[];
};

export type FallbackRow = {
  id: string;
  key: string;
  title: string;
  summary: string;
  language: string;
  themes: string[];
  organizationName: string;
  countryCode: string;
  updatedAt: Date;
  stale: boolean;
};

// The evidence rule of app/models/offer-rules.ts (evidenceLevel), in SQL: same markers, matched
// against the lower-cased evidence without accents.
const EVALUATION_MARKERS_PATTERN = [
  "\\yevaluat",
  "\\yevaluac",
  "\\yevaluad[oa]s?\\y",
  "\\yavaliac",
  "\\yavaliad[oa]s?\\y",
  "\\yevalue(e|es|s)?\\y",
  "\\yimpact assessment",
  "\\yrandomi[sz]",
  "\\yaleatori[sz]ad",
  "\\yrcts?\\y",
  "\\y(quasi|cuasi|quase)[- ]?experiment",
  "\\ycontrol group",
  "\\ygrupos? (de )?control",
  "\\ygroupes? (de controle|temoin)",
  "\\ycounterfactual",
  "\\ycontra-?factual",
  "\\ycontrefactuel",
  "\\ydifference-in-difference",
  "\\ydiferencias en diferencias",
].join("|");
const QUANTIFIED_RESULT_PATTERN = "\\d([.,]\\d+)?\\s?%";

const hasEvidence = Prisma.sql`(nullif(btrim(r.evidence), '') IS NOT NULL)`;
const namesEvaluation = Prisma.sql`(lower(enlace_unaccent(coalesce(r.evidence, ''))) ~ ${EVALUATION_MARKERS_PATTERN})`;
const quantifiedDescription = Prisma.sql`(coalesce(r.description, '') ~ ${QUANTIFIED_RESULT_PATTERN})`;
const EVIDENCE_CONDITIONS: Record<string, Prisma.Sql> = {
  evaluated: Prisma.sql`(${hasEvidence} AND ${namesEvaluation})`,
  "results-reported": Prisma.sql`((${hasEvidence} AND NOT ${namesEvaluation}) OR (NOT ${hasEvidence} AND ${quantifiedDescription}))`,
  described: Prisma.sql`(NOT ${hasEvidence} AND NOT ${quantifiedDescription})`,
};

export async function searchCatalogueInDatabase({
  kind,
  query,
  filters,
  sort,
  page,
  hitsPerPage,
}: {
  kind: "offers" | "requests";
  query: string;
  filters: FallbackFilters;
  sort: "relevance" | "updated" | "created";
  page: number;
  hitsPerPage: number;
}): Promise<{ total: number; rows: FallbackRow[] }> {
  // Table names and the status come from this closed set, never from the request.
  const table = kind === "offers" ? Prisma.raw(`"offer"`) : Prisma.raw(`"request"`);
  const searchableStatus = kind === "offers" ? "published" : "open";
  const body =
    kind === "offers"
      ? Prisma.sql`coalesce(r.description, '') || ' ' || coalesce(r.target_population, '')`
      : Prisma.sql`coalesce(r.description, '')`;
  const vector = Prisma.sql`enlace_search_vector(r.language, r.title, r.summary, ${body})`;
  const staleExpression = Prisma.sql`(greatest(r.updated_at, r.confirmed_current_at) + interval '12 months' < now())`;

  const conditions: Prisma.Sql[] = [Prisma.sql`r.status = ${searchableStatus}`];
  if (query !== "") conditions.push(Prisma.sql`${vector} @@ enlace_search_query(${query})`);
  const overlap = (column: Prisma.Sql, values: string[] | undefined) => {
    if (values?.length) conditions.push(Prisma.sql`${column} && ${values}::text[]`);
  };
  const anyOf = (column: Prisma.Sql, values: string[] | undefined) => {
    if (values?.length) conditions.push(Prisma.sql`${column} = ANY(${values}::text[])`);
  };
  overlap(Prisma.sql`r.themes`, filters.themes);
  overlap(Prisma.sql`r.modalities`, filters.modalities);
  overlap(Prisma.sql`r.working_languages`, filters.workingLanguages);
  anyOf(Prisma.sql`r.language`, filters.languages);
  anyOf(Prisma.sql`o.country_code::text`, filters.countries);
  anyOf(Prisma.sql`c.subregion`, filters.subregions);
  anyOf(Prisma.sql`o.type`, filters.organizationTypes);
  if (kind === "offers") {
    anyOf(Prisma.sql`r.cost_sharing`, filters.costSharing);
    const levels = (filters.evidence ?? []).flatMap((level) => {
      const condition = EVIDENCE_CONDITIONS[level];
      return condition ? [condition] : [];
    });
    if (levels.length > 0) conditions.push(Prisma.sql`(${Prisma.join(levels, " OR ")})`);
  }
  const stale = filters.stale ?? [];
  if (stale.length === 1) conditions.push(stale[0] === "stale" ? staleExpression : Prisma.sql`NOT ${staleExpression}`);

  const orderBy =
    sort === "updated" || query === ""
      ? Prisma.sql`r.updated_at DESC, r.id`
      : sort === "created"
        ? Prisma.sql`r.created_at DESC, r.id`
        : Prisma.sql`ts_rank(${vector}, enlace_search_query(${query})) DESC, r.updated_at DESC, r.id`;

  const rows = await getPrisma().$queryRaw<Array<FallbackRow & { total: bigint }>>`
    SELECT r.id::text AS "id", r.key AS "key", r.title AS "title", r.summary AS "summary",
           r.language AS "language", r.themes AS "themes", o.name AS "organizationName",
           o.country_code::text AS "countryCode", r.updated_at AS "updatedAt", ${staleExpression} AS "stale",
           count(*) OVER () AS "total"
      FROM ${table} r
      JOIN "organization" o ON o.id = r.organization_id
      JOIN "country" c ON c.code = o.country_code
     WHERE ${Prisma.join(conditions, " AND ")}
     ORDER BY ${orderBy}
     LIMIT ${hitsPerPage} OFFSET ${(page - 1) * hitsPerPage}`;
  const total = rows.length > 0 ? Number(rows[0].total) : await countMatches(table, conditions);
  return { total, rows: rows.map(({ total: _total, ...row }) => row) };
}

// A page past the end returns no rows, and with them no window count.
async function countMatches(table: Prisma.Sql, conditions: Prisma.Sql[]): Promise<number> {
  const [row] = await getPrisma().$queryRaw<Array<{ total: bigint }>>`
    SELECT count(*) AS "total"
      FROM ${table} r
      JOIN "organization" o ON o.id = r.organization_id
      JOIN "country" c ON c.code = o.country_code
     WHERE ${Prisma.join(conditions, " AND ")}`;
  return Number(row?.total ?? 0);
}
