// Applies prisma/migrations the way `prisma migrate deploy` does, with `pg` only: Prisma's schema
// engine is a native binary that offline machines cannot download. A machine that has the engine
// can run `prisma migrate deploy` / `prisma migrate status` on the same database afterwards, so
// the bookkeeping below copies Prisma's (docs/decisions/001-offline-migrations.md).
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

// The key Prisma's schema engine passes to pg_advisory_lock before migrating (prisma-engines,
// schema-engine/connectors/sql-schema-connector/src/flavour/postgres.rs). Sharing it means our
// command and Prisma's never run at the same time on one database.
export const PRISMA_MIGRATE_ADVISORY_LOCK_KEY = 72707369;

// Prisma gives up after 10 s; a deploy that waits behind a long data migration deserves longer.
const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

// Prisma's own DDL (postgres.rs, create_migrations_table), so `prisma migrate` accepts the table.
export const CREATE_MIGRATIONS_TABLE = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);
`;

export type ApplyMigrationsOptions = {
  databaseUrl: string;
  /** Defaults to prisma/migrations under the current directory, as prisma.config.ts says. */
  migrationsDir?: string;
  log?: (line: string) => void;
  /** How long to wait for another migration run (ours or Prisma's) to finish. */
  lockTimeoutMs?: number;
};

export type LocalMigration = {
  name: string;
  script: string;
  checksum: string;
};

type MigrationRow = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  logs: string | null;
};

export class MigrationError extends Error {
  override name = "MigrationError";
}

/** sha256 hex of the script, as the schema engine computes it (schema-connector/src/checksum.rs). */
export function migrationChecksum(script: string): string {
  return createHash("sha256").update(script, "utf8").digest("hex");
}

// Prisma accepts a script whose line endings git changed since it was applied (checksum.rs,
// script_matches_checksum): a Windows checkout must not look like an edited migration.
function matchesChecksum(script: string, checksum: string): boolean {
  const variants = [script, script.replaceAll("\r\n", "\n"), script.replaceAll("\n", "\r\n")];
  return variants.some((variant) => migrationChecksum(variant) === checksum);
}

/** The migrations directory as Prisma reads it: every sub-directory is one migration, sorted by name. */
export function readLocalMigrations(migrationsDir: string): LocalMigration[] {
  if (!existsSync(migrationsDir)) throw new MigrationError(`No migrations directory at ${migrationsDir}`);

  const lockFile = path.join(migrationsDir, "migration_lock.toml");
  if (existsSync(lockFile)) {
    const provider = /^provider\s*=\s*"([^"]*)"/m.exec(readFileSync(lockFile, "utf8"))?.[1];
    if (provider !== "postgresql") {
      throw new MigrationError(
        `${lockFile} names provider "${provider ?? "(none)"}"; these migrations are not for PostgreSQL`,
      );
    }
  }

  return (
    readdirSync(migrationsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      // the same comparison as the Prisma CLI's listMigrations, so both agree on the order
      .sort((a, b) => a.localeCompare(b))
      .map((name) => {
        const file = path.join(migrationsDir, name, "migration.sql");
        if (!existsSync(file)) throw new MigrationError(`Migration ${name} has no migration.sql (${file})`);
        // read as UTF-8 text like the Prisma CLI, which hashes the decoded script
        const script = readFileSync(file, "utf8");
        return { name, script, checksum: migrationChecksum(script) };
      })
  );
}

/**
 * Applies the pending migrations, each in its own transaction together with its
 * `_prisma_migrations` row, and returns their names. Refuses, before applying anything, a
 * history that `prisma migrate` would not trust: an applied migration edited since, an applied
 * migration missing locally, or a failed migration left by `prisma migrate deploy`.
 */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<{ applied: string[] }> {
  const migrationsDir = options.migrationsDir ?? path.resolve("prisma/migrations");
  const log = options.log ?? (() => {});
  const local = readLocalMigrations(migrationsDir);

  const client = new pg.Client({ connectionString: options.databaseUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new MigrationError(
      `Cannot connect to PostgreSQL at ${describeDatabase(options.databaseUrl)}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  try {
    await acquireMigrateLock(client, options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
    await ensureMigrationsTable(client);

    const rows = await readMigrationRows(client);
    const pending = checkHistory(local, rows);
    if (pending.length === 0) log("No pending migrations.");

    const applied: string[] = [];
    for (const migration of pending) {
      await applyOne(client, migration);
      applied.push(migration.name);
      log(`Applied ${migration.name}`);
    }
    return { applied };
  } finally {
    // ending the session releases the advisory lock
    await client.end();
  }
}

async function acquireMigrateLock(client: pg.Client, timeoutMs: number) {
  await client.query(`SET lock_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_ADVISORY_LOCK_KEY]);
  } catch (error) {
    if (isPgError(error) && error.code === "55P03") {
      throw new MigrationError(
        `Another migration run (this command or \`prisma migrate\`) has held the migration lock ` +
          `(pg_advisory_lock ${PRISMA_MIGRATE_ADVISORY_LOCK_KEY}) for over ${timeoutMs} ms; try again when it ends`,
      );
    }
    throw error;
  }
  await client.query("RESET lock_timeout");
}

async function ensureMigrationsTable(client: pg.Client) {
  const { rows } = await client.query<{ exists: boolean; other_tables: string[] }>(
    `SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists,
            coalesce(array_agg(c.relname::text ORDER BY c.relname) FILTER (WHERE c.relname <> '_prisma_migrations'), '{}') AS other_tables
       FROM pg_class c
      WHERE c.relkind IN ('r', 'p') AND c.relnamespace = current_schema()::regnamespace`,
  );
  const state = rows[0];
  if (state?.exists) return;
  // Prisma refuses this too (P3005): the migrations would collide with whatever made those tables.
  if (state && state.other_tables.length > 0) {
    throw new MigrationError(
      `The database schema is not empty (tables: ${state.other_tables.join(", ")}) and has no ` +
        `_prisma_migrations table. Migrate an empty database, or baseline this one first ` +
        `(https://pris.ly/d/migrate-baseline).`,
    );
  }
  await client.query(CREATE_MIGRATIONS_TABLE);
}

async function readMigrationRows(client: pg.Client): Promise<MigrationRow[]> {
  const { rows } = await client.query<MigrationRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at, started_at, logs
       FROM _prisma_migrations
      ORDER BY started_at`,
  );
  return rows;
}

// Rolled-back rows are history only: Prisma applies such a migration again.
function checkHistory(local: LocalMigration[], rows: MigrationRow[]): LocalMigration[] {
  const live = rows.filter((row) => row.rolled_back_at === null);

  const failed = live.filter((row) => row.finished_at === null);
  if (failed.length > 0) {
    const details = failed
      .map((row) => {
        const logs = row.logs?.trim() ? ` with these logs:\n${row.logs.trim()}` : "";
        return `The migration ${row.migration_name} started at ${row.started_at.toISOString()} failed${logs}`;
      })
      .join("\n");
    throw new MigrationError(
      `Found failed migrations in the database; nothing was applied.\n${details}\n` +
        `Fix the database by hand, then mark it with \`prisma migrate resolve --rolled-back <name>\` ` +
        `or \`--applied <name>\` (https://pris.ly/d/migrate-resolve).`,
    );
  }

  const localByName = new Map(local.map((migration) => [migration.name, migration]));
  const missing = live.filter((row) => !localByName.has(row.migration_name)).map((row) => row.migration_name);
  if (missing.length > 0) {
    throw new MigrationError(
      `The database has applied migrations that are not in the migrations directory: ${missing.join(", ")}. ` +
        `This code is older than the database, or a migration directory was renamed or deleted; nothing was applied.`,
    );
  }

  const edited = live
    .filter((row) => {
      const migration = localByName.get(row.migration_name);
      return migration !== undefined && !matchesChecksum(migration.script, row.checksum);
    })
    .map((row) => row.migration_name);
  if (edited.length > 0) {
    throw new MigrationError(
      `Migrations were modified after they were applied: ${edited.join(", ")}. ` +
        `Restore their migration.sql and put the change in a new migration; nothing was applied.`,
    );
  }

  const appliedNames = new Set(live.map((row) => row.migration_name));
  return local.filter((migration) => !appliedNames.has(migration.name));
}

// Unlike Prisma, the row joins the migration's transaction, so a failure leaves neither schema
// changes nor a failed row behind: fixing the script and running again is enough.
async function applyOne(client: pg.Client, migration: LocalMigration) {
  const id = randomUUID();
  await client.query("BEGIN");
  try {
    await client.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at)
       VALUES ($1, $2, $3, clock_timestamp())`,
      [id, migration.checksum, migration.name],
    );
    // no parameters: pg then uses the simple query protocol, which runs a multi-statement script
    await client.query(migration.script);
    await client.query(
      `UPDATE _prisma_migrations
          SET finished_at = clock_timestamp(), applied_steps_count = applied_steps_count + 1
        WHERE id = $1`,
      [id],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw new MigrationError(
      `Migration ${migration.name} failed and was rolled back; nothing of it was applied.\n${describePgError(error, migration.script)}`,
      { cause: error },
    );
  }
}

// host, port and database only: the URL may carry a password
function describeDatabase(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}:${url.port || "5432"}${url.pathname}`;
  } catch {
    return "the given DATABASE_URL";
  }
}

type PgError = Error & { code?: string; position?: string };

function isPgError(error: unknown): error is PgError {
  return error instanceof Error && "code" in error;
}

function describePgError(error: unknown, script: string): string {
  if (!(error instanceof Error)) return String(error);
  const code = isPgError(error) && error.code ? ` (${error.code})` : "";
  const position = isPgError(error) && error.position ? Number(error.position) : NaN;
  if (!Number.isFinite(position)) return `${error.message}${code}`;
  const lineNumber = script.slice(0, position - 1).split("\n").length;
  const line = script.split("\n")[lineNumber - 1] ?? "";
  return `${error.message}${code}\n  at line ${lineNumber}: ${line.trim()}`;
}
