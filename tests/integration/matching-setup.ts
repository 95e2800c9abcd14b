// A database and search indexes of their own for the matching tests: a scratch database on the
// test run's PostgreSQL (the full recomputation reads every open request, so other tests'
// records must not be in it) and an index prefix of their own on its Meilisearch.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { Logger, makeWorkerUtils } from "graphile-worker";
import { inject } from "vitest";
import { installJobQueue } from "~/jobs/queue.server";
import { importCatalogue } from "~/models/exchange.server";
import { findSearchableOfferIds } from "~/models/search-documents.server";
import { disconnectPrisma, getPrisma } from "~/utils/db.server";
import { resetEnvCache } from "~/utils/env.server";
import { applyMigrations } from "~/utils/migrate.server";
import { getSearchClient, indexUid } from "~search/client.server";
import { applyIndexSettings } from "~search/settings";
import { syncSearchChanges } from "~search/sync.server";
import { createScratchDatabase } from "../setup/database";

export type MatchingDatabase = { url: string; cleanup: () => Promise<void> };

export async function useMatchingDatabase(): Promise<MatchingDatabase> {
  const scratch = await createScratchDatabase();
  await applyMigrations({ databaseUrl: scratch.url, migrationsDir: path.resolve("prisma/migrations"), log: () => {} });
  await installJobQueue(scratch.url);
  await disconnectPrisma();
  const previous = { DATABASE_URL: process.env.DATABASE_URL, MEILI_INDEX_PREFIX: process.env.MEILI_INDEX_PREFIX };
  process.env.DATABASE_URL = scratch.url;
  process.env.MEILI_INDEX_PREFIX = `${inject("MEILI_INDEX_PREFIX")}m${randomBytes(3).toString("hex")}_`;
  resetEnvCache();
  return {
    url: scratch.url,
    async cleanup() {
      await disconnectPrisma();
      process.env.DATABASE_URL = previous.DATABASE_URL;
      process.env.MEILI_INDEX_PREFIX = previous.MEILI_INDEX_PREFIX;
      resetEnvCache();
      await scratch.drop();
    },
  };
}

type Fields = Record<string, unknown>;

export function organization(key: string, country: string, fields: Fields = {}) {
  return { key, name: `Agency ${key}`, country, type: "agency", ...fields };
}

export function offer(key: string, organizationKey: string, fields: Fields = {}) {
  return {
    key,
    organization: organizationKey,
    title: "Centros de desarrollo empresarial para micro y pequeñas empresas",
    summary: "Red de centros de desarrollo empresarial que asesoran a micro y pequeñas empresas en gestión, mercados y financiamiento.",
    language: "es",
    themes: ["business-development-centers"],
    modalities: ["study-visit", "documentation"],
    workingLanguages: ["es"],
    capacityPerYear: 2,
    ...fields,
  };
}

export function request(key: string, organizationKey: string, fields: Fields = {}) {
  return {
    key,
    organization: organizationKey,
    title: "Red de centros de desarrollo empresarial",
    summary: "Queremos instalar centros de desarrollo empresarial que asesoren a micro y pequeñas empresas.",
    language: "es",
    themes: ["business-development-centers"],
    modalities: [],
    workingLanguages: ["es"],
    desiredStart: "2027-03-01",
    ...fields,
  };
}

export async function importRecords(records: { organizations?: Fields[]; offers?: Fields[]; requests?: Fields[] }): Promise<void> {
  const result = await importCatalogue({
    file: {
      format: "cooperation-exchange/1",
      organizations: records.organizations ?? [],
      offers: records.offers ?? [],
      requests: records.requests ?? [],
    },
  });
  if (!result.ok) throw new Error(`import failed:\n${result.errors.join("\n")}`);
}

/** Puts every published offer in this test's offers index. */
export async function indexPublishedOffers(): Promise<void> {
  const client = getSearchClient();
  await applyIndexSettings(client, indexUid("offers"), "offers");
  const ids = (await getPrisma().offer.findMany({ select: { id: true } })).map((row) => row.id);
  await syncSearchChanges({ offerIds: [...(await findSearchableOfferIds({ ids }))] });
}

export async function idOf(kind: "offer" | "request", key: string): Promise<string> {
  const row =
    kind === "offer"
      ? await getPrisma().offer.findUniqueOrThrow({ where: { key }, select: { id: true } })
      : await getPrisma().request.findUniqueOrThrow({ where: { key }, select: { id: true } });
  return row.id;
}

/** The request's rows, best first: offer key, status, score, rank, recommended, version. */
export async function proposalsOf(requestKey: string) {
  const rows = await getPrisma().proposal.findMany({
    where: { request: { key: requestKey } },
    orderBy: [{ rank: "asc" }],
    select: {
      id: true,
      status: true,
      source: true,
      score: true,
      rank: true,
      recommended: true,
      version: true,
      sharedLanguage: true,
      reasons: true,
      factors: true,
      updatedAt: true,
      offer: { select: { key: true } },
    },
  });
  return rows.map((row) => ({ ...row, offer: row.offer.key }));
}

/** Marks every queued job done, so a test's worker runs only the jobs the test itself causes. */
export async function clearJobQueue(databaseUrl: string): Promise<void> {
  const utils = await makeWorkerUtils({ connectionString: databaseUrl, logger: new Logger(() => () => {}) });
  try {
    const rows = await getPrisma().$queryRaw<Array<{ id: string }>>`SELECT id::text AS id FROM graphile_worker.jobs`;
    if (rows.length > 0) await utils.completeJobs(rows.map((row) => row.id));
  } finally {
    await utils.release();
  }
}

/** Jobs of a task waiting in the queue. */
export async function queuedJobs(task: string): Promise<number> {
  const [row] = await getPrisma().$queryRaw<Array<{ count: number }>>`
    SELECT count(*)::int AS count FROM graphile_worker.jobs WHERE task_identifier = ${task}`;
  return row?.count ?? 0;
}
