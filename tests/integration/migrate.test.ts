import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, expect, test } from "vitest";
import { applyMigrations } from "~/utils/migrate.server";
import { createScratchDatabase, type ScratchDatabase } from "../setup/database";

const MIGRATIONS_DIR = path.resolve("prisma/migrations");
// the key `prisma migrate` locks (prisma-engines, sql-schema-connector/src/flavour/postgres.rs)
const PRISMA_LOCK_KEY = 72707369;

// Computed here from the files' bytes, independently of the code under test.
const REPOSITORY_MIGRATIONS = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

function fileChecksum(migrationsDir: string, name: string): string {
  return createHash("sha256")
    .update(readFileSync(path.join(migrationsDir, name, "migration.sql")))
    .digest("hex");
}

const databases: ScratchDatabase[] = [];
const tempDirs: string[] = [];
const clients: pg.Client[] = [];

async function emptyDatabase(): Promise<ScratchDatabase> {
  const database = await createScratchDatabase();
  databases.push(database);
  return database;
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  clients.push(client);
  return client;
}

/** A copy of the repository's migrations that a test may edit. */
function copyOfMigrations(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "enlace-migrations-"));
  tempDirs.push(dir);
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

function addMigration(migrationsDir: string, name: string, script: string) {
  mkdirSync(path.join(migrationsDir, name));
  writeFileSync(path.join(migrationsDir, name, "migration.sql"), script);
}

type MigrationRow = {
  id: string;
  checksum: string;
  migration_name: string;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
  applied_steps_count: number;
};

async function migrationRows(client: pg.Client): Promise<MigrationRow[]> {
  const { rows } = await client.query<MigrationRow>("SELECT * FROM _prisma_migrations ORDER BY migration_name");
  return rows;
}

async function tableExists(client: pg.Client, table: string): Promise<boolean> {
  const { rows } = await client.query<{ exists: boolean }>("SELECT to_regclass($1) IS NOT NULL AS exists", [table]);
  return rows[0]?.exists ?? false;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.end()));
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

afterAll(async () => {
  await Promise.all(databases.splice(0).map((database) => database.drop()));
});

test("the repository has migrations to apply, the init migration first", () => {
  expect(REPOSITORY_MIGRATIONS[0]).toBe("20261123000000_init");
});

test("an empty database gets every migration, recorded in _prisma_migrations as Prisma records them", async () => {
  const database = await emptyDatabase();
  const logged: string[] = [];

  const result = await applyMigrations({ databaseUrl: database.url, log: (line) => logged.push(line) });

  expect(result.applied).toEqual(REPOSITORY_MIGRATIONS);
  expect(logged).toEqual(REPOSITORY_MIGRATIONS.map((name) => `Applied ${name}`));

  const client = await connect(database.url);
  const rows = await migrationRows(client);
  expect(rows.map((row) => row.migration_name)).toEqual(REPOSITORY_MIGRATIONS);
  for (const row of rows) {
    expect(row.checksum).toBe(fileChecksum(MIGRATIONS_DIR, row.migration_name));
    expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(row.applied_steps_count).toBe(1);
    expect(row.logs).toBeNull();
    expect(row.rolled_back_at).toBeNull();
    expect(row.finished_at).toBeInstanceOf(Date);
    expect(row.finished_at?.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
  }
  expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
});

test("_prisma_migrations has exactly the columns of Prisma's own table", async () => {
  const database = await emptyDatabase();
  await applyMigrations({ databaseUrl: database.url });
  const client = await connect(database.url);

  const { rows } = await client.query<{ column: string; type: string; not_null: boolean; default: string | null }>(
    `SELECT a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
            pg_get_expr(d.adbin, d.adrelid) AS default
       FROM pg_attribute a
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = '_prisma_migrations'::regclass AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
  );
  expect(rows).toEqual([
    { column: "id", type: "character varying(36)", not_null: true, default: null },
    { column: "checksum", type: "character varying(64)", not_null: true, default: null },
    { column: "finished_at", type: "timestamp with time zone", not_null: false, default: null },
    { column: "migration_name", type: "character varying(255)", not_null: true, default: null },
    { column: "logs", type: "text", not_null: false, default: null },
    { column: "rolled_back_at", type: "timestamp with time zone", not_null: false, default: null },
    { column: "started_at", type: "timestamp with time zone", not_null: true, default: "now()" },
    { column: "applied_steps_count", type: "integer", not_null: true, default: "0" },
  ]);
  const primaryKey = await client.query<{ name: string; definition: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition
       FROM pg_constraint WHERE conrelid = '_prisma_migrations'::regclass AND contype = 'p'`,
  );
  expect(primaryKey.rows).toEqual([{ name: "_prisma_migrations_pkey", definition: "PRIMARY KEY (id)" }]);
});

test("a second run applies nothing and leaves the history alone", async () => {
  const database = await emptyDatabase();
  await applyMigrations({ databaseUrl: database.url });
  const client = await connect(database.url);
  const before = await migrationRows(client);

  const second = await applyMigrations({ databaseUrl: database.url });

  expect(second.applied).toEqual([]);
  expect(await migrationRows(client)).toEqual(before);
});

test("a new migration added later is the only one applied", async () => {
  const migrationsDir = copyOfMigrations();
  const database = await emptyDatabase();
  await applyMigrations({ databaseUrl: database.url, migrationsDir });
  addMigration(migrationsDir, "29990101000000_later", 'CREATE TABLE "later" ("id" INTEGER);\n');

  const result = await applyMigrations({ databaseUrl: database.url, migrationsDir });

  expect(result.applied).toEqual(["29990101000000_later"]);
  const client = await connect(database.url);
  expect(await tableExists(client, "later")).toBe(true);
});

test("an applied migration edited since is refused, naming it, and nothing is applied", async () => {
  const migrationsDir = copyOfMigrations();
  const database = await emptyDatabase();
  await applyMigrations({ databaseUrl: database.url, migrationsDir });
  const initFile = path.join(migrationsDir, "20261123000000_init", "migration.sql");
  writeFileSync(initFile, `${readFileSync(initFile, "utf8")}\n-- an afterthought\n`);
  addMigration(migrationsDir, "29990101000000_later", 'CREATE TABLE "later" ("id" INTEGER);\n');

  await expect(applyMigrations({ databaseUrl: database.url, migrationsDir })).rejects.toThrow(
    /modified after they were applied: 20261123000000_init\b/,
  );

  const client = await connect(database.url);
  expect(await tableExists(client, "later")).toBe(false);
});

test("an applied migration whose line endings git changed is not an edit, as for Prisma", async () => {
  const migrationsDir = copyOfMigrations();
  const database = await emptyDatabase();
  await applyMigrations({ databaseUrl: database.url, migrationsDir });
  const initFile = path.join(migrationsDir, "20261123000000_init", "migration.sql");
  writeFileSync(initFile, readFileSync(initFile, "utf8").replaceAll("\n", "\r\n"));

  const result = await applyMigrations({ databaseUrl: database.url, migrationsDir });

  expect(result.applied).toEqual([]);
});

test("a migration the database recorded but the directory lacks is refused, naming it", async () => {
  const migrationsDir = copyOfMigrations();
  addMigration(migrationsDir, "29990101000000_newer_code", 'CREATE TABLE "newer" ("id" INTEGER);\n');
  const database = await emptyDatabase();
  await applyMigrations({ databaseUrl: database.url, migrationsDir });
  rmSync(path.join(migrationsDir, "29990101000000_newer_code"), { recursive: true });

  await expect(applyMigrations({ databaseUrl: database.url, migrationsDir })).rejects.toThrow(
    /not in the migrations directory: 29990101000000_newer_code\b/,
  );
});

test("a failed migration left by `prisma migrate deploy` is refused until it is resolved", async () => {
  const migrationsDir = copyOfMigrations();
  const database = await emptyDatabase();
  await applyMigrations({ databaseUrl: database.url, migrationsDir });
  addMigration(migrationsDir, "29990101000000_retry_me", 'CREATE TABLE "retried" ("id" INTEGER);\n');
  const client = await connect(database.url);
  // what Prisma leaves after a script fails: started, never finished, its error in logs
  await client.query(
    `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs)
     VALUES (gen_random_uuid()::text, $1, '29990101000000_retry_me', 'relation "x" does not exist')`,
    [fileChecksum(migrationsDir, "29990101000000_retry_me")],
  );

  await expect(applyMigrations({ databaseUrl: database.url, migrationsDir })).rejects.toThrow(
    /29990101000000_retry_me .*failed with these logs:\nrelation "x" does not exist/,
  );
  expect(await tableExists(client, "retried")).toBe(false);

  // `prisma migrate resolve --rolled-back` sets rolled_back_at; Prisma then applies it again
  await client.query("UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '29990101000000_retry_me'");
  const result = await applyMigrations({ databaseUrl: database.url, migrationsDir });

  expect(result.applied).toEqual(["29990101000000_retry_me"]);
  expect(await tableExists(client, "retried")).toBe(true);
});

test("a failing migration is rolled back whole, records nothing, and names itself", async () => {
  const migrationsDir = copyOfMigrations();
  const broken = "29990101000000_broken";
  addMigration(
    migrationsDir,
    broken,
    'CREATE TABLE "half_applied" ("id" INTEGER);\nINSERT INTO "half_applied" VALUES (1);\nINSERT INTO "missing" VALUES (1);\n',
  );
  const database = await emptyDatabase();

  await expect(applyMigrations({ databaseUrl: database.url, migrationsDir })).rejects.toThrow(
    /Migration 29990101000000_broken failed and was rolled back[\s\S]*relation "missing" does not exist[\s\S]*line 3: INSERT INTO "missing"/,
  );

  const client = await connect(database.url);
  expect(await tableExists(client, "half_applied")).toBe(false);
  const rows = await migrationRows(client);
  expect(rows.map((row) => row.migration_name)).toEqual(REPOSITORY_MIGRATIONS);

  // fixed, it applies on the next run: no failed row stands in the way
  writeFileSync(path.join(migrationsDir, broken, "migration.sql"), 'CREATE TABLE "half_applied" ("id" INTEGER);\n');
  const result = await applyMigrations({ databaseUrl: database.url, migrationsDir });
  expect(result.applied).toEqual([broken]);
  expect(await tableExists(client, "half_applied")).toBe(true);
});

test("two runs at once apply each migration exactly once", async () => {
  const database = await emptyDatabase();

  const [first, second] = await Promise.all([
    applyMigrations({ databaseUrl: database.url }),
    applyMigrations({ databaseUrl: database.url }),
  ]);

  expect([...first.applied, ...second.applied].sort()).toEqual(REPOSITORY_MIGRATIONS);
  const client = await connect(database.url);
  const rows = await migrationRows(client);
  expect(rows.map((row) => row.migration_name)).toEqual(REPOSITORY_MIGRATIONS);
});

test("it waits for the lock `prisma migrate` takes, and gives up with a clear message", async () => {
  const database = await emptyDatabase();
  const prismaStandIn = await connect(database.url);
  await prismaStandIn.query("SELECT pg_advisory_lock($1)", [PRISMA_LOCK_KEY]);

  await expect(applyMigrations({ databaseUrl: database.url, lockTimeoutMs: 300 })).rejects.toThrow(
    /migration lock \(pg_advisory_lock 72707369\)/,
  );
  expect(await tableExists(prismaStandIn, "_prisma_migrations")).toBe(false);

  await prismaStandIn.query("SELECT pg_advisory_unlock($1)", [PRISMA_LOCK_KEY]);
  const result = await applyMigrations({ databaseUrl: database.url, lockTimeoutMs: 300 });
  expect(result.applied).toEqual(REPOSITORY_MIGRATIONS);
});

test("a database with tables but no migration history is refused, as Prisma refuses it", async () => {
  const database = await emptyDatabase();
  const client = await connect(database.url);
  await client.query('CREATE TABLE "legacy" ("id" INTEGER)');

  await expect(applyMigrations({ databaseUrl: database.url })).rejects.toThrow(/not empty \(tables: legacy\)/);
  expect(await tableExists(client, "_prisma_migrations")).toBe(false);
});

test("a migrations directory for another provider is refused", async () => {
  const migrationsDir = copyOfMigrations();
  writeFileSync(path.join(migrationsDir, "migration_lock.toml"), 'provider = "mysql"\n');
  const database = await emptyDatabase();

  await expect(applyMigrations({ databaseUrl: database.url, migrationsDir })).rejects.toThrow(/provider "mysql"/);
});
