// Bulk exchange of the catalogue in the cooperation exchange format (app/schemas/exchange.ts):
// import as an all-or-nothing upsert by key, export of everything in a stable order.
//
// Built for catalogues of tens of thousands of records: existing rows are read by key in
// chunks, and rows are written a thousand at a time by one INSERT ... SELECT or UPDATE ... FROM
// over jsonb_to_recordset, all in one transaction. Raw SQL rather than createMany: Prisma 7's
// createMany took about 6 s per thousand offers here (a 20,000-record file: over a minute),
// the jsonb statements a quarter of a second. The column lists must follow schema.prisma;
// tests/integration/exchange.test.ts round-trips every field, so a missed column fails there.
import { randomUUID } from "node:crypto";
import {
  EXCHANGE_FORMAT,
  formatExchangeError,
  referencedOrganizationKeys,
  validateExchangeFile,
  type ExchangeFile,
  type ExchangeOffer,
  type ExchangeOrganization,
  type ExchangeRequest,
  type ExchangeSection,
} from "~/schemas/exchange";
import {
  isVocabularyCode,
  type LanguageCode,
  type ModalityCode,
  type ThemeCode,
  type VocabularyName,
} from "~/schemas/vocabulary";
import type { Prisma, PrismaClient, UserRole } from "~/generated/prisma/client";
import type { CatalogueActor } from "~/models/offer-rules";
import { offerVisibility } from "~/models/offer.server";
import { requestVisibility } from "~/models/request.server";
import { enqueueSearchSync } from "~/jobs/enqueue.server";
import { enqueueMatching } from "~/jobs/matching.server";
import { getPrisma, type TransactionClient } from "~/utils/db.server";

/** Any client of our schema: the app's own, or one a test made for a scratch database. */
export type CatalogueDatabase = Pick<PrismaClient, "$transaction">;
type Transaction = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export type ImportActor = {
  userId: string;
  organizationId?: string | null;
  role: UserRole;
};

export type ImportProgress = {
  stage: "checking" | "writing";
  /** Records handled so far in this stage. */
  done: number;
  total: number;
};

export type ImportCounts = Record<ExchangeSection, { created: number; updated: number; unchanged: number }>;

export type ImportResult = { ok: true; counts: ImportCounts } | { ok: false; errors: string[] };

// Key lists per query and rows per write statement: far below PostgreSQL's 65,535 bind
// parameters, and small enough to report progress on a 20,000-record file.
const READ_CHUNK = 5_000;
const WRITE_CHUNK = 1_000;

// One import at a time: two concurrent imports of overlapping keys would otherwise both see a
// key as new and the second would fail on the unique index after all its work.
const IMPORT_LOCK_KEY = 0x656e6c61; // "enla"

const TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 10 * 60_000 };

/**
 * Work that must follow every catalogue write in the same transaction: the search-index sync
 * and matching jobs (the outbox), so a committed import can never be missing from the index or
 * from matching, and a rolled-back one leaves no job behind. Receives the ids of the records
 * created or updated; unchanged records are left out, so re-importing a file queues nothing.
 */
export async function afterCatalogueWrite(
  tx: TransactionClient,
  changed: { organizationIds: string[]; offerIds: string[]; requestIds: string[] },
): Promise<void> {
  await enqueueSearchSync(tx, changed);
  await enqueueMatching(tx, { requestIds: changed.requestIds, offerIds: changed.offerIds });
}

/**
 * Imports a parsed exchange file: validates it whole, then upserts organizations, offers and
 * requests by key in one transaction. Any error (format, references, member scope) leaves the
 * database untouched and is returned with all the others.
 *
 * `actor` is the signed-in user for uploads through the app; without it (the CLI, the seed)
 * the import has full rights. A member may only import records of their own organization.
 */
export async function importCatalogue({
  file,
  actor,
  onProgress,
  prisma = getPrisma(),
}: {
  file: unknown;
  actor?: ImportActor;
  onProgress?: (progress: ImportProgress) => void;
  prisma?: CatalogueDatabase;
}): Promise<ImportResult> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${IMPORT_LOCK_KEY})`;

    const referencedKeys = referencedOrganizationKeys(file);
    const [countries, referencedOrganizations] = await Promise.all([
      tx.country.findMany({ select: { code: true } }),
      findByKeys(referencedKeys, (keys) => tx.organization.findMany({ where: { key: { in: keys } }, select: { key: true } })),
    ]);
    const validation = validateExchangeFile(file, {
      knownOrganizationKeys: new Set(referencedOrganizations.map((organization) => organization.key)),
      knownCountryCodes: new Set(countries.map((country) => country.code)),
    });
    if (!validation.ok) return validation;
    const catalogue = validation.file;
    const total = catalogue.organizations.length + catalogue.offers.length + catalogue.requests.length;

    const organizationKeys = [...new Set([...catalogue.organizations.map((record) => record.key), ...referencedKeys])];
    const [existingOrganizations, existingOffers, existingRequests] = await Promise.all([
      findByKeys(organizationKeys, (keys) =>
        tx.organization.findMany({ where: { key: { in: keys } }, select: organizationSelect }),
      ),
      findByKeys(
        catalogue.offers.map((record) => record.key),
        (keys) => tx.offer.findMany({ where: { key: { in: keys } }, select: offerSelect }),
      ),
      findByKeys(
        catalogue.requests.map((record) => record.key),
        (keys) => tx.request.findMany({ where: { key: { in: keys } }, select: requestSelect }),
      ),
    ]);
    onProgress?.({ stage: "checking", done: total, total });

    if (actor?.role === "member") {
      const existing = { offers: existingOffers, requests: existingRequests };
      const scopeErrors = await memberScopeErrors(tx, actor, catalogue, existing);
      if (scopeErrors.length > 0) return { ok: false, errors: scopeErrors };
    }

    const now = new Date();
    const userId = actor?.userId ?? null;
    let done = 0;
    const advance = (count: number) => {
      done += count;
      onProgress?.({ stage: "writing", done, total });
    };

    const organizations = await writeOrganizations(tx, catalogue.organizations, existingOrganizations, { now, userId, advance });
    const organizationIdByKey = new Map(existingOrganizations.map((row) => [row.key, row.id]));
    for (const [key, id] of organizations.idByKey) organizationIdByKey.set(key, id);

    const offers = await writeOffers(tx, catalogue.offers, existingOffers, { now, userId, advance, organizationIdByKey });
    const requests = await writeRequests(tx, catalogue.requests, existingRequests, { now, userId, advance, organizationIdByKey });

    await afterCatalogueWrite(tx, {
      organizationIds: organizations.changedIds,
      offerIds: offers.changedIds,
      requestIds: requests.changedIds,
    });

    return {
      ok: true,
      counts: { organizations: organizations.counts, offers: offers.counts, requests: requests.counts },
    };
  }, TRANSACTION_OPTIONS);
}

async function findByKeys<Row>(keys: readonly string[], find: (keys: string[]) => Promise<Row[]>): Promise<Row[]> {
  const rows: Row[] = [];
  for (let start = 0; start < keys.length; start += READ_CHUNK) {
    rows.push(...(await find(keys.slice(start, start + READ_CHUNK))));
  }
  return rows;
}

function chunks<Item>(items: readonly Item[], size: number): Item[][] {
  const result: Item[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

// ---------------------------------------------------------------------------------------
// Member scope

type ExistingRecords = {
  offers: readonly OfferRow[];
  requests: readonly RequestRow[];
};

async function memberScopeErrors(
  tx: Transaction,
  actor: ImportActor,
  catalogue: ExchangeFile,
  existing: ExistingRecords,
): Promise<string[]> {
  const own = actor.organizationId
    ? await tx.organization.findUnique({ where: { id: actor.organizationId }, select: { id: true, key: true } })
    : null;
  if (!own) {
    return [formatExchangeError("file", "organization", "your account belongs to no organization, so it cannot import records")];
  }
  const errors: string[] = [];
  const ownership = `members may only import records of their own organization "${own.key}"`;

  for (const organization of catalogue.organizations) {
    if (organization.key !== own.key) errors.push(formatExchangeError(organization.key, "key", ownership));
  }
  const checkRecords = (
    records: ReadonlyArray<ExchangeOffer | ExchangeRequest>,
    rows: ReadonlyArray<OfferRow | RequestRow>,
    noun: string,
  ) => {
    const ownerByKey = new Map(rows.map((row) => [row.key, row.organizationId]));
    for (const record of records) {
      if (record.organization !== own.key) {
        errors.push(formatExchangeError(record.key, "organization", ownership));
        continue;
      }
      const owner = ownerByKey.get(record.key);
      // Upserting by key must not take over another organization's record that happens to share it.
      if (owner !== undefined && owner !== own.id) {
        errors.push(formatExchangeError(record.key, "key", `already used by another organization's ${noun}`));
      }
    }
  };
  checkRecords(catalogue.offers, existing.offers, "offer");
  checkRecords(catalogue.requests, existing.requests, "request");
  return errors;
}

// ---------------------------------------------------------------------------------------
// Writing

type WriteContext = {
  now: Date;
  userId: string | null;
  advance: (count: number) => void;
};

type WriteOutcome = {
  counts: { created: number; updated: number; unchanged: number };
  changedIds: string[];
};

const organizationSelect = {
  id: true,
  key: true,
  name: true,
  countryCode: true,
  type: true,
  website: true,
} as const;

type OrganizationRow = {
  id: string;
  key: string;
  name: string;
  countryCode: string;
  type: string;
  website: string | null;
};

function organizationFields(record: ExchangeOrganization) {
  return {
    name: record.name,
    countryCode: record.country,
    type: record.type,
    website: record.website ?? null,
  };
}

function organizationUnchanged(row: OrganizationRow, fields: ReturnType<typeof organizationFields>): boolean {
  return (
    row.name === fields.name &&
    row.countryCode === fields.countryCode &&
    row.type === fields.type &&
    row.website === fields.website
  );
}

async function writeOrganizations(
  tx: Transaction,
  records: readonly ExchangeOrganization[],
  existing: readonly OrganizationRow[],
  context: WriteContext,
): Promise<WriteOutcome & { idByKey: Map<string, string> }> {
  const rowByKey = new Map(existing.map((row) => [row.key, row]));
  const idByKey = new Map<string, string>();
  const creates: Array<ReturnType<typeof organizationFields> & { id: string; key: string }> = [];
  const updates: Array<ReturnType<typeof organizationFields> & { id: string }> = [];
  let unchanged = 0;

  for (const record of records) {
    const fields = organizationFields(record);
    const row = rowByKey.get(record.key);
    if (!row) {
      const id = randomUUID();
      idByKey.set(record.key, id);
      creates.push({ id, key: record.key, ...fields });
    } else if (organizationUnchanged(row, fields)) {
      unchanged += 1;
    } else {
      updates.push({ id: row.id, ...fields });
    }
  }

  const columns = (row: (typeof creates)[number] | (typeof updates)[number]) => ({
    id: row.id,
    name: row.name,
    country_code: row.countryCode,
    type: row.type,
    website: row.website,
  });
  for (const chunk of chunks(creates, WRITE_CHUNK)) {
    const rows = JSON.stringify(chunk.map((row) => ({ ...columns(row), key: row.key })));
    // Imported by staff or the operator, who vouch for them; organizations already here keep
    // whatever verification staff gave them.
    await tx.$executeRaw`
      INSERT INTO "organization" (
        "id", "key", "name", "country_code", "type", "website",
        "verification_status", "created_at", "updated_at", "updated_by_id"
      )
      SELECT
        source."id", source."key", source."name", source."country_code", source."type", source."website",
        'verified', ${context.now}::timestamptz, ${context.now}::timestamptz, ${context.userId}::uuid
      FROM jsonb_to_recordset(${rows}::jsonb) AS source(
        "id" uuid, "key" text, "name" text, "country_code" char(2), "type" text, "website" text
      )`;
    context.advance(chunk.length);
  }
  for (const chunk of chunks(updates, WRITE_CHUNK)) {
    const rows = JSON.stringify(chunk.map(columns));
    await tx.$executeRaw`
      UPDATE "organization" AS target SET
        "name" = source."name",
        "country_code" = source."country_code",
        "type" = source."type",
        "website" = source."website",
        "updated_at" = ${context.now}::timestamptz,
        "updated_by_id" = ${context.userId}::uuid
      FROM jsonb_to_recordset(${rows}::jsonb) AS source(
        "id" uuid, "name" text, "country_code" char(2), "type" text, "website" text
      )
      WHERE target."id" = source."id"`;
    context.advance(chunk.length);
  }
  context.advance(unchanged);

  return {
    counts: { created: creates.length, updated: updates.length, unchanged },
    changedIds: [...creates.map((row) => row.id), ...updates.map((row) => row.id)],
    idByKey,
  };
}

const offerSelect = {
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
} as const;

type OfferRow = {
  id: string;
  key: string;
  organizationId: string;
  title: string;
  summary: string;
  description: string | null;
  language: string;
  themes: string[];
  modalities: string[];
  workingLanguages: string[];
  targetPopulation: string | null;
  evidence: string | null;
  capacityPerYear: number;
  costSharing: string;
  status: string;
};

type RecordWriteContext = WriteContext & { organizationIdByKey: ReadonlyMap<string, string> };

function organizationIdOf(record: { key: string; organization: string }, context: RecordWriteContext): string {
  const id = context.organizationIdByKey.get(record.organization);
  // validateExchangeFile has checked every reference against the file and the database.
  if (!id) throw new Error(`${record.key}: organization "${record.organization}" vanished during the import`);
  return id;
}

function offerFields(record: ExchangeOffer, organizationId: string) {
  return {
    organizationId,
    title: record.title,
    summary: record.summary,
    description: record.description ?? null,
    language: record.language,
    themes: record.themes,
    modalities: record.modalities,
    workingLanguages: record.workingLanguages,
    targetPopulation: record.targetPopulation ?? null,
    evidence: record.evidence ?? null,
    capacityPerYear: record.capacityPerYear,
    costSharing: record.costSharing,
    status: record.status,
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function offerUnchanged(row: OfferRow, fields: ReturnType<typeof offerFields>): boolean {
  return (
    row.organizationId === fields.organizationId &&
    row.title === fields.title &&
    row.summary === fields.summary &&
    row.description === fields.description &&
    row.language === fields.language &&
    sameList(row.themes, fields.themes) &&
    sameList(row.modalities, fields.modalities) &&
    sameList(row.workingLanguages, fields.workingLanguages) &&
    row.targetPopulation === fields.targetPopulation &&
    row.evidence === fields.evidence &&
    row.capacityPerYear === fields.capacityPerYear &&
    row.costSharing === fields.costSharing &&
    row.status === fields.status
  );
}

async function writeOffers(
  tx: Transaction,
  records: readonly ExchangeOffer[],
  existing: readonly OfferRow[],
  context: RecordWriteContext,
): Promise<WriteOutcome> {
  const rowByKey = new Map(existing.map((row) => [row.key, row]));
  const creates: Array<ReturnType<typeof offerFields> & { id: string; key: string }> = [];
  const updates: Array<ReturnType<typeof offerFields> & { id: string }> = [];
  let unchanged = 0;

  for (const record of records) {
    const fields = offerFields(record, organizationIdOf(record, context));
    const row = rowByKey.get(record.key);
    if (!row) creates.push({ id: randomUUID(), key: record.key, ...fields });
    else if (offerUnchanged(row, fields)) unchanged += 1;
    else updates.push({ id: row.id, ...fields });
  }

  const columns = (row: (typeof creates)[number] | (typeof updates)[number]) => ({
    id: row.id,
    organization_id: row.organizationId,
    title: row.title,
    summary: row.summary,
    description: row.description,
    language: row.language,
    themes: row.themes,
    modalities: row.modalities,
    working_languages: row.workingLanguages,
    target_population: row.targetPopulation,
    evidence: row.evidence,
    capacity_per_year: row.capacityPerYear,
    cost_sharing: row.costSharing,
    status: row.status,
  });
  for (const chunk of chunks(creates, WRITE_CHUNK)) {
    const rows = JSON.stringify(chunk.map((row) => ({ ...columns(row), key: row.key })));
    await tx.$executeRaw`
      INSERT INTO "offer" (
        "id", "key", "organization_id", "title", "summary", "description", "language", "themes",
        "modalities", "working_languages", "target_population", "evidence", "capacity_per_year",
        "cost_sharing", "status", "published_at", "confirmed_current_at", "created_at", "updated_at",
        "created_by_id", "updated_by_id"
      )
      SELECT
        source."id", source."key", source."organization_id", source."title", source."summary",
        source."description", source."language", source."themes", source."modalities",
        source."working_languages", source."target_population", source."evidence",
        source."capacity_per_year", source."cost_sharing", source."status",
        CASE WHEN source."status" = 'published' THEN ${context.now}::timestamptz END,
        ${context.now}::timestamptz, ${context.now}::timestamptz, ${context.now}::timestamptz, ${context.userId}::uuid, ${context.userId}::uuid
      FROM jsonb_to_recordset(${rows}::jsonb) AS source(
        "id" uuid, "key" text, "organization_id" uuid, "title" text, "summary" text, "description" text,
        "language" text, "themes" text[], "modalities" text[], "working_languages" text[],
        "target_population" text, "evidence" text, "capacity_per_year" integer,
        "cost_sharing" text, "status" text
      )`;
    context.advance(chunk.length);
  }
  for (const chunk of chunks(updates, WRITE_CHUNK)) {
    const rows = JSON.stringify(chunk.map(columns));
    // publishedAt records the first publication, so it is only ever filled in, never moved.
    await tx.$executeRaw`
      UPDATE "offer" AS target SET
        "organization_id" = source."organization_id",
        "title" = source."title",
        "summary" = source."summary",
        "description" = source."description",
        "language" = source."language",
        "themes" = source."themes",
        "modalities" = source."modalities",
        "working_languages" = source."working_languages",
        "target_population" = source."target_population",
        "evidence" = source."evidence",
        "capacity_per_year" = source."capacity_per_year",
        "cost_sharing" = source."cost_sharing",
        "status" = source."status",
        "published_at" = CASE
          WHEN target."published_at" IS NULL AND source."status" = 'published' THEN ${context.now}::timestamptz
          ELSE target."published_at"
        END,
        "updated_at" = ${context.now}::timestamptz,
        "updated_by_id" = ${context.userId}::uuid
      FROM jsonb_to_recordset(${rows}::jsonb) AS source(
        "id" uuid, "organization_id" uuid, "title" text, "summary" text, "description" text,
        "language" text, "themes" text[], "modalities" text[], "working_languages" text[],
        "target_population" text, "evidence" text, "capacity_per_year" integer,
        "cost_sharing" text, "status" text
      )
      WHERE target."id" = source."id"`;
    context.advance(chunk.length);
  }
  context.advance(unchanged);

  return {
    counts: { created: creates.length, updated: updates.length, unchanged },
    changedIds: [...creates.map((row) => row.id), ...updates.map((row) => row.id)],
  };
}

const requestSelect = {
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
} as const;

type RequestRow = {
  id: string;
  key: string;
  organizationId: string;
  title: string;
  summary: string;
  description: string | null;
  language: string;
  themes: string[];
  modalities: string[];
  workingLanguages: string[];
  desiredStart: Date | null;
  desiredEnd: Date | null;
  status: string;
};

// A DATE column comes back from Prisma as midnight UTC of that day.
function dateToExchange(value: Date | null): string | undefined {
  return value === null ? undefined : value.toISOString().slice(0, 10);
}

function requestFields(record: ExchangeRequest, organizationId: string) {
  return {
    organizationId,
    title: record.title,
    summary: record.summary,
    description: record.description ?? null,
    language: record.language,
    themes: record.themes,
    modalities: record.modalities,
    workingLanguages: record.workingLanguages,
    desiredStart: record.desiredStart ?? null,
    desiredEnd: record.desiredEnd ?? null,
    status: record.status,
  };
}

function requestUnchanged(row: RequestRow, fields: ReturnType<typeof requestFields>): boolean {
  return (
    row.organizationId === fields.organizationId &&
    row.title === fields.title &&
    row.summary === fields.summary &&
    row.description === fields.description &&
    row.language === fields.language &&
    sameList(row.themes, fields.themes) &&
    sameList(row.modalities, fields.modalities) &&
    sameList(row.workingLanguages, fields.workingLanguages) &&
    (dateToExchange(row.desiredStart) ?? null) === fields.desiredStart &&
    (dateToExchange(row.desiredEnd) ?? null) === fields.desiredEnd &&
    row.status === fields.status
  );
}

async function writeRequests(
  tx: Transaction,
  records: readonly ExchangeRequest[],
  existing: readonly RequestRow[],
  context: RecordWriteContext,
): Promise<WriteOutcome> {
  const rowByKey = new Map(existing.map((row) => [row.key, row]));
  const creates: Array<ReturnType<typeof requestFields> & { id: string; key: string }> = [];
  const updates: Array<ReturnType<typeof requestFields> & { id: string }> = [];
  let unchanged = 0;

  for (const record of records) {
    const fields = requestFields(record, organizationIdOf(record, context));
    const row = rowByKey.get(record.key);
    if (!row) creates.push({ id: randomUUID(), key: record.key, ...fields });
    else if (requestUnchanged(row, fields)) unchanged += 1;
    else updates.push({ id: row.id, ...fields });
  }

  // Dates travel as YYYY-MM-DD text and are cast to DATE by jsonb_to_recordset.
  const columns = (row: (typeof creates)[number] | (typeof updates)[number]) => ({
    id: row.id,
    organization_id: row.organizationId,
    title: row.title,
    summary: row.summary,
    description: row.description,
    language: row.language,
    themes: row.themes,
    modalities: row.modalities,
    working_languages: row.workingLanguages,
    desired_start: row.desiredStart,
    desired_end: row.desiredEnd,
    status: row.status,
  });
  for (const chunk of chunks(creates, WRITE_CHUNK)) {
    const rows = JSON.stringify(chunk.map((row) => ({ ...columns(row), key: row.key })));
    await tx.$executeRaw`
      INSERT INTO "request" (
        "id", "key", "organization_id", "title", "summary", "description", "language", "themes",
        "modalities", "working_languages", "desired_start", "desired_end", "status", "published_at",
        "confirmed_current_at", "created_at", "updated_at", "created_by_id", "updated_by_id"
      )
      SELECT
        source."id", source."key", source."organization_id", source."title", source."summary",
        source."description", source."language", source."themes", source."modalities",
        source."working_languages", source."desired_start", source."desired_end", source."status",
        CASE WHEN source."status" = 'open' THEN ${context.now}::timestamptz END,
        ${context.now}::timestamptz, ${context.now}::timestamptz, ${context.now}::timestamptz, ${context.userId}::uuid, ${context.userId}::uuid
      FROM jsonb_to_recordset(${rows}::jsonb) AS source(
        "id" uuid, "key" text, "organization_id" uuid, "title" text, "summary" text, "description" text,
        "language" text, "themes" text[], "modalities" text[], "working_languages" text[],
        "desired_start" date, "desired_end" date, "status" text
      )`;
    context.advance(chunk.length);
  }
  for (const chunk of chunks(updates, WRITE_CHUNK)) {
    const rows = JSON.stringify(chunk.map(columns));
    await tx.$executeRaw`
      UPDATE "request" AS target SET
        "organization_id" = source."organization_id",
        "title" = source."title",
        "summary" = source."summary",
        "description" = source."description",
        "language" = source."language",
        "themes" = source."themes",
        "modalities" = source."modalities",
        "working_languages" = source."working_languages",
        "desired_start" = source."desired_start",
        "desired_end" = source."desired_end",
        "status" = source."status",
        "published_at" = CASE
          WHEN target."published_at" IS NULL AND source."status" = 'open' THEN ${context.now}::timestamptz
          ELSE target."published_at"
        END,
        "updated_at" = ${context.now}::timestamptz,
        "updated_by_id" = ${context.userId}::uuid
      FROM jsonb_to_recordset(${rows}::jsonb) AS source(
        "id" uuid, "organization_id" uuid, "title" text, "summary" text, "description" text,
        "language" text, "themes" text[], "modalities" text[], "working_languages" text[],
        "desired_start" date, "desired_end" date, "status" text
      )
      WHERE target."id" = source."id"`;
    context.advance(chunk.length);
  }
  context.advance(unchanged);

  return {
    counts: { created: creates.length, updated: updates.length, unchanged },
    changedIds: [...creates.map((row) => row.id), ...updates.map((row) => row.id)],
  };
}

// ---------------------------------------------------------------------------------------
// Export

// Columns hold only codes the CHECK constraints allow; narrowing here keeps the exported type
// exact without casts, and a row that somehow slipped past them fails loudly, not silently.
function code<V extends VocabularyName>(vocabulary: V, value: string, where: string) {
  if (!isVocabularyCode(vocabulary, value)) throw new Error(`${where}: "${value}" is not a ${vocabulary} code`);
  return value;
}

function codes<V extends VocabularyName>(vocabulary: V, values: readonly string[], where: string) {
  return values.map((value) => code(vocabulary, value, where));
}

// Code-point order, as the exchange format's keys are ASCII: independent of the database's
// collation and of the machine's locale.
function byKey(a: { key: string }, b: { key: string }): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function toExchangeOrganization(row: OrganizationRow): ExchangeOrganization {
  return {
    key: row.key,
    name: row.name,
    country: row.countryCode,
    type: code("organizationType", row.type, row.key),
    ...(row.website === null ? {} : { website: row.website }),
  };
}

function toExchangeOffer(row: OfferRow, organizationKey: string): ExchangeOffer {
  return {
    key: row.key,
    organization: organizationKey,
    title: row.title,
    summary: row.summary,
    ...(row.description === null ? {} : { description: row.description }),
    language: code("language", row.language, row.key),
    themes: codes("theme", row.themes, row.key),
    modalities: codes("modality", row.modalities, row.key),
    workingLanguages: codes("language", row.workingLanguages, row.key),
    ...(row.targetPopulation === null ? {} : { targetPopulation: row.targetPopulation }),
    ...(row.evidence === null ? {} : { evidence: row.evidence }),
    capacityPerYear: row.capacityPerYear,
    costSharing: code("costSharing", row.costSharing, row.key),
    status: code("offerStatus", row.status, row.key),
  };
}

function toExchangeRequest(row: RequestRow, organizationKey: string): ExchangeRequest {
  const desiredStart = dateToExchange(row.desiredStart);
  const desiredEnd = dateToExchange(row.desiredEnd);
  return {
    key: row.key,
    organization: organizationKey,
    title: row.title,
    summary: row.summary,
    ...(row.description === null ? {} : { description: row.description }),
    language: code("language", row.language, row.key),
    themes: codes("theme", row.themes, row.key),
    modalities: codes("modality", row.modalities, row.key),
    workingLanguages: codes("language", row.workingLanguages, row.key),
    ...(desiredStart === undefined ? {} : { desiredStart }),
    ...(desiredEnd === undefined ? {} : { desiredEnd }),
    status: code("requestStatus", row.status, row.key),
  };
}

/**
 * The whole catalogue, every status included, as an exchange file: records ordered by key,
 * absent optional fields left out, so exporting twice gives the same bytes. With
 * `organizationId`, only that organization and its own offers and requests.
 */
export async function exportCatalogue({
  prisma = getPrisma(),
  organizationId,
}: { prisma?: CatalogueDatabase; organizationId?: string } = {}): Promise<ExchangeFile> {
  const own = organizationId === undefined ? {} : { organizationId };
  // One snapshot for all three reads: an edit during the export cannot leave an offer whose
  // organization is missing from the file.
  const [organizationRows, offerRows, requestRows] = await prisma.$transaction(
    async (tx) =>
      Promise.all([
        tx.organization.findMany({ where: organizationId === undefined ? {} : { id: organizationId }, select: organizationSelect }),
        tx.offer.findMany({ where: own, select: offerSelect }),
        tx.request.findMany({ where: own, select: requestSelect }),
      ]),
    { isolationLevel: "RepeatableRead", ...TRANSACTION_OPTIONS },
  );
  const keyById = new Map(organizationRows.map((row) => [row.id, row.key]));
  const organizationKeyOf = (row: { key: string; organizationId: string }) => {
    const key = keyById.get(row.organizationId);
    if (key === undefined) throw new Error(`${row.key}: organization ${row.organizationId} not found`);
    return key;
  };

  return {
    format: EXCHANGE_FORMAT,
    organizations: organizationRows.sort(byKey).map(toExchangeOrganization),
    offers: offerRows.sort(byKey).map((row) => toExchangeOffer(row, organizationKeyOf(row))),
    requests: requestRows.sort(byKey).map((row) => toExchangeRequest(row, organizationKeyOf(row))),
  };
}

// ---------------------------------------------------------------------------------------
// Listings in the exchange shape: the JSON API and the CSV downloads. They start from what
// the viewer may see (offerVisibility, requestVisibility) and map rows as the export does.

export type ExchangeListFilters = {
  theme?: ThemeCode;
  modality?: ModalityCode;
  language?: LanguageCode;
  country?: string;
  updatedSince?: Date;
  status?: string;
};

/** Which records: all that match, or one page of them (page numbers from 1). */
export type ExchangeListRange = { page: number; pageSize: number } | "all";

export type ExchangeList<Item> = { items: Item[]; total: number };

// Oldest change first, so a client that pages through `updatedSince` results sees each record
// once even while new edits arrive at the end; the key breaks ties.
const byUpdate = [{ updatedAt: "asc" }, { key: "asc" }] as const;

function commonConditions(filters: ExchangeListFilters) {
  return [
    ...(filters.theme ? [{ themes: { has: filters.theme } }] : []),
    ...(filters.country ? [{ organization: { countryCode: filters.country } }] : []),
    ...(filters.updatedSince ? [{ updatedAt: { gte: filters.updatedSince } }] : []),
    ...(filters.status ? [{ status: filters.status }] : []),
    // A language matches the text's language or one the team works in, as on the browse pages.
    ...(filters.language ? [{ OR: [{ language: filters.language }, { workingLanguages: { has: filters.language } }] }] : []),
  ];
}

function rangeArgs(range: ExchangeListRange): { skip?: number; take?: number } {
  return range === "all" ? {} : { skip: (range.page - 1) * range.pageSize, take: range.pageSize };
}

const withOrganizationKey = { organization: { select: { key: true } } } as const;

/** Offers the viewer may see, in the exchange shape. */
export async function listExchangeOffers({
  viewer,
  filters,
  range,
}: {
  viewer: CatalogueActor | null;
  filters: ExchangeListFilters;
  range: ExchangeListRange;
}): Promise<ExchangeList<ExchangeOffer>> {
  const prisma = getPrisma();
  const where: Prisma.OfferWhereInput = {
    AND: [
      offerVisibility(viewer),
      ...commonConditions(filters),
      ...(filters.modality ? [{ modalities: { has: filters.modality } }] : []),
    ],
  };
  const [total, rows] = await Promise.all([
    prisma.offer.count({ where }),
    prisma.offer.findMany({ where, orderBy: [...byUpdate], select: { ...offerSelect, ...withOrganizationKey }, ...rangeArgs(range) }),
  ]);
  return { total, items: rows.map((row) => toExchangeOffer(row, row.organization.key)) };
}

/** Requests the viewer may see, in the exchange shape. */
export async function listExchangeRequests({
  viewer,
  filters,
  range,
}: {
  viewer: CatalogueActor;
  filters: ExchangeListFilters;
  range: ExchangeListRange;
}): Promise<ExchangeList<ExchangeRequest>> {
  const prisma = getPrisma();
  const where: Prisma.RequestWhereInput = {
    AND: [
      requestVisibility(viewer),
      ...commonConditions(filters),
      // No preferred modality means any modality suits the request, as on the browse page.
      ...(filters.modality ? [{ OR: [{ modalities: { has: filters.modality } }, { modalities: { isEmpty: true } }] }] : []),
    ],
  };
  const [total, rows] = await Promise.all([
    prisma.request.count({ where }),
    prisma.request.findMany({ where, orderBy: [...byUpdate], select: { ...requestSelect, ...withOrganizationKey }, ...rangeArgs(range) }),
  ]);
  return { total, items: rows.map((row) => toExchangeRequest(row, row.organization.key)) };
}

/** The exchange key of an organization, which its members' files must use. */
export async function getOrganizationKey({ organizationId }: { organizationId: string }): Promise<string> {
  const organization = await getPrisma().organization.findUniqueOrThrow({ where: { id: organizationId }, select: { key: true } });
  return organization.key;
}
