// db:backup and db:restore: a round trip through the real commands on a database of its own
// gives back exactly the rows (catalogue, users, the outbox, queued jobs, migration history),
// and a restore from a file that is missing or is no backup refuses and changes nothing.
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { BackupError, backupDatabase, restoreDatabase } from "~/cli/database-backup";
import { prepareDatabase } from "~/utils/prepare-database.server";
import { createScratchDatabase, type ScratchDatabase } from "../setup/database";
import { repositoryRoot } from "../setup/services";

let scratch: ScratchDatabase;
let tempDir: string;

beforeAll(async () => {
  scratch = await createScratchDatabase();
  tempDir = await fs.mkdtemp(path.join(os.tmpdir(), "enlace-backup-"));
  await prepareDatabase({ databaseUrl: scratch.url, migrationsDir: path.join(repositoryRoot, "prisma", "migrations") });
  await withClient(async (client) => {
    await client.query(`
      insert into organization (key, name, country_code, type) values
        ('backup-org-a', 'Agencia «A» de cooperación', 'CL', 'agency'),
        ('backup-org-b', 'Agency B', 'UY', 'ministry');
      insert into "user" (email, name, password_hash, organization_id)
        select 'ana@example.test', 'Ana Ñúñez', '$argon2id$fake', id from organization where key = 'backup-org-a';
      update organization set updated_by_id = (select id from "user" where email = 'ana@example.test') where key = 'backup-org-a';
      insert into offer (key, organization_id, title, summary, language, themes, modalities, working_languages, status, published_at)
        select 'backup-offer-' || n, o.id, 'Programa ' || n || E' con\\nsalto y "comillas"', 'Resumen', 'es',
               array['entrepreneurship'], array['study-visit'], array['es', 'en'], 'published', now()
          from organization o, generate_series(1, 40) as n where o.key = 'backup-org-a';
      insert into mail_message (dedupe_key, recipient, locale, template, subject, text, html)
        values ('backup-mail-1', 'ana@example.test', 'es', 'notification', 'Hola', 'Texto', '<p>Texto</p>');
      select graphile_worker.add_job('send-mail', json_build_object('mailId', gen_random_uuid()));
    `);
  });
});

afterAll(async () => {
  await scratch?.drop();
  await fs.rm(tempDir, { recursive: true, force: true });
});

async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

// Every row of every table of the app and of the job queue, as sorted JSON lines.
async function snapshot(): Promise<Record<string, string[]>> {
  return withClient(async (client) => {
    const tables = await client.query<{ name: string }>(
      `select format('%I.%I', schemaname, tablename) as name from pg_tables
        where schemaname in ('public', 'graphile_worker') and tablename <> 'migrations' order by 1`,
    );
    const result: Record<string, string[]> = {};
    for (const { name } of tables.rows) {
      const rows = await client.query<{ row: string }>(`select to_jsonb(t)::text as row from ${name} t`);
      result[name] = rows.rows.map((row) => row.row).sort();
    }
    return result;
  });
}

async function runCommand(script: string, args: string[]) {
  return promisify(execFile)(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: repositoryRoot,
    env: { ...process.env, DATABASE_URL: scratch.url, NODE_ENV: "production", SESSION_SECRET: "x".repeat(32) },
  });
}

test("db:backup then db:restore gives back every row after rows were changed, deleted and added", async () => {
  const original = await snapshot();
  expect(original["public.offer"]).toHaveLength(40);
  expect(original["public._prisma_migrations"].length).toBeGreaterThan(3);
  expect(original["graphile_worker._private_jobs"]).toHaveLength(1);
  const file = path.join(tempDir, "round-trip.backup");

  const backup = await runCommand("app/cli/db-backup.ts", [file]);
  expect(backup.stdout).toMatch(/Backed up to .*round-trip\.backup/);

  await withClient((client) =>
    client.query(`
      delete from offer where key in ('backup-offer-1', 'backup-offer-2');
      update organization set name = 'Renamed' where key = 'backup-org-b';
      insert into organization (key, name, country_code, type) values ('backup-org-c', 'New after backup', 'MX', 'agency');
      delete from mail_message;
      delete from _prisma_migrations where migration_name like '%countries%';
      select graphile_worker.add_job('send-mail', json_build_object('mailId', gen_random_uuid()));
    `),
  );
  expect(await snapshot()).not.toEqual(original);

  const restore = await runCommand("app/cli/db-restore.ts", [file]);
  expect(restore.stdout).toMatch(/Restored .*round-trip\.backup/);
  expect(await snapshot()).toEqual(original);

  // Sequences come back too: the next job id does not collide with a restored one.
  await withClient((client) => client.query(`select graphile_worker.add_job('send-mail', json_build_object('mailId', gen_random_uuid()))`));
  expect((await snapshot())["graphile_worker._private_jobs"]).toHaveLength(2);
}, 60_000);

test("restoring a missing file or a file that is no backup refuses with a message and changes nothing", async () => {
  const before = await snapshot();
  await expect(restoreDatabase({ databaseUrl: scratch.url, file: path.join(tempDir, "nope.backup") })).rejects.toThrow(/No such backup file/);

  const notABackup = path.join(tempDir, "notes.txt");
  await fs.writeFile(notABackup, "these are not the rows you are looking for\n");
  await expect(restoreDatabase({ databaseUrl: scratch.url, file: notABackup })).rejects.toThrow(BackupError);
  await expect(restoreDatabase({ databaseUrl: scratch.url, file: notABackup })).rejects.toThrow(/is not a backup made by db:backup/);

  // A backup cut off half-way fails inside the restore's transaction: nothing is dropped.
  const complete = path.join(tempDir, "complete.backup");
  await backupDatabase({ databaseUrl: scratch.url, file: complete, format: "builtin", migrationsDir: path.join(repositoryRoot, "prisma", "migrations") });
  const { gunzipSync, gzipSync } = await import("node:zlib");
  const text = gunzipSync(await fs.readFile(complete)).toString("utf8");
  const truncated = path.join(tempDir, "truncated.backup");
  await fs.writeFile(truncated, gzipSync(text.slice(0, Math.floor(text.length * 0.8))));
  await expect(restoreDatabase({ databaseUrl: scratch.url, file: truncated })).rejects.toThrow(/ends early|damaged/);

  expect(await snapshot()).toEqual(before);

  const { stderr } = await runCommand("app/cli/db-restore.ts", [notABackup]).catch((error: { stderr: string }) => ({ stderr: error.stderr }));
  expect(stderr).toContain("db:restore:");
  expect(stderr).toContain("is not a backup made by db:backup");
}, 60_000);
