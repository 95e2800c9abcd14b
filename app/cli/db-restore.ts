/**
 * `npm run db:restore -- <file>`: replaces the whole database with a backup made by db:backup,
 * in one transaction (a failed restore changes nothing). Without DATABASE_URL it restores into
 * the embedded PostgreSQL under DATA_DIR; stop the app first, or restart it afterwards.
 */
import { resolveUserPath } from "~/cli/command-database";
import { BackupError, detectBackupFormat, restoreDatabase } from "~/cli/database-backup";
import { ensureDatabaseUrl } from "~/utils/services.server";

const USAGE = "usage: npm run db:restore -- <file>";

async function main(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0] === "--help" || args[0] === "-h") {
    console.error(USAGE);
    return 1;
  }
  const file = resolveUserPath(args[0]);
  // Checked before any server is started: a typo should not cost a database start-up.
  await detectBackupFormat(file);
  const database = await ensureDatabaseUrl();
  try {
    const started = performance.now();
    const summary = await restoreDatabase({ databaseUrl: database.url, file });
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const content = summary.rows === null ? "pg_dump custom format" : `${summary.tables} tables, ${summary.rows} rows`;
    console.log(`Restored ${summary.file} (${content}) in ${seconds} s.`);
    return 0;
  } finally {
    await database.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof BackupError ? `db:restore: ${error.message}` : error);
    process.exit(1);
  },
);
