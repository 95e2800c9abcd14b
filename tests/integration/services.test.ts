import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, expect, test } from "vitest";
import { startEmbeddedPostgres } from "~/utils/embedded-postgres.server";
import { startMeilisearch } from "~search/meili-process.server";
import { createScratchDatabase } from "../setup/database";
import { copyPostgresTemplate, findFreePort } from "../setup/services";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function query<Row extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

async function listenOnFreePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("no address");
  return address.port;
}

function meiliFetch(pathname: string, masterKey?: string): Promise<Response> {
  const headers: Record<string, string> = masterKey ? { Authorization: `Bearer ${masterKey}` } : {};
  return fetch(`${process.env.MEILI_URL}${pathname}`, { headers });
}

test("the test database is a real PostgreSQL server with the migrations applied", async () => {
  const databaseUrl = process.env.DATABASE_URL ?? "";
  const [{ version }] = await query<{ version: string }>(databaseUrl, "select version()");
  expect(version).toMatch(/^PostgreSQL \d+/);

  const [{ applied }] = await query<{ applied: number }>(
    databaseUrl,
    "select count(*)::int as applied from _prisma_migrations where finished_at is not null and rolled_back_at is null",
  );
  expect(applied).toBeGreaterThan(0);
});

test("the test search engine is a real Meilisearch 1.21 that requires the master key", async () => {
  const health = await meiliFetch("/health");
  expect(await health.json()).toEqual({ status: "available" });

  const version = await meiliFetch("/version", process.env.MEILI_MASTER_KEY);
  expect(version.status).toBe(200);
  expect(await version.json()).toMatchObject({ pkgVersion: expect.stringMatching(/^1\.21\./) });

  expect((await meiliFetch("/version")).status).toBe(401);
  expect(process.env.MEILI_INDEX_PREFIX).toMatch(/^test_[0-9a-f]+_$/);
});

test("a scratch database starts empty and is gone once dropped", async () => {
  const scratch = await createScratchDatabase();
  const [{ tables }] = await query<{ tables: number }>(
    scratch.url,
    "select count(*)::int as tables from information_schema.tables where table_schema = 'public'",
  );
  expect(tables).toBe(0);

  await scratch.drop();
  const remaining = await query<{ datname: string }>(
    process.env.DATABASE_URL ?? "",
    "select datname from pg_database where datname = $1",
    [scratch.name],
  );
  expect(remaining).toEqual([]);
});

test("starting PostgreSQL on a port that is taken fails naming the port and EMBEDDED_POSTGRES_PORT", async () => {
  const port = await listenOnFreePort();
  const dataDir = path.join(os.tmpdir(), `enlace-port-taken-${process.pid}-pg`);

  const start = startEmbeddedPostgres({ dataDir, port });

  await expect(start).rejects.toThrow(`port ${port} is already taken`);
  await expect(start).rejects.toThrow("EMBEDDED_POSTGRES_PORT");
  expect(existsSync(dataDir)).toBe(false);
});

test("starting Meilisearch on a port that is taken fails naming the port and EMBEDDED_MEILI_PORT", async () => {
  const port = await listenOnFreePort();
  const dataDir = path.join(os.tmpdir(), `enlace-port-taken-${process.pid}-meili`);

  const start = startMeilisearch({ dataDir, port });

  await expect(start).rejects.toThrow(`port ${port} is already taken`);
  await expect(start).rejects.toThrow("EMBEDDED_MEILI_PORT");
  expect(existsSync(dataDir)).toBe(false);
});

test("a second start on a running data directory reuses that server, and only the first stop() ends it", async () => {
  const tempDir = await fs.mkdtemp(path.join(os.tmpdir(), "enlace-reuse-"));
  cleanups.push(() => fs.rm(tempDir, { recursive: true, force: true }));
  await fs.chmod(tempDir, 0o755);
  const dataDir = path.join(tempDir, "postgres");
  await copyPostgresTemplate(dataDir, () => {});
  const first = await startEmbeddedPostgres({
    dataDir,
    port: await findFreePort(),
    databaseName: "first",
    settings: { fsync: "off" },
  });
  cleanups.push(() => first.stop());

  const second = await startEmbeddedPostgres({ dataDir, port: await findFreePort(), databaseName: "second" });
  expect(second.reused).toBe(true);
  expect(second.port).toBe(first.port);
  await second.stop();
  const [{ database }] = await query<{ database: string }>(second.url, "select current_database() as database");
  expect(database).toBe("second");

  await first.stop();
  await first.stop();
  await expect(query(first.url, "select 1")).rejects.toThrow(/ECONNREFUSED/);
  expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);
});
