/**
 * `npm run db:backup -- [file]`: a backup of the whole database (default
 * $DATA_DIR/backups/enlace-<timestamp>.backup). Without DATABASE_URL it backs up the embedded PostgreSQL
 * under DATA_DIR, starting it if needed. Format: app/cli/database-backup.ts.
 */
import path from "node:path";
import { resolveUserPath } from "~/cli/command-database";
import { BackupError, backupDatabase } from "~/cli/database-backup";
import { parseEnv } from "~/utils/env.server";
import { ensureDatabaseUrl } from "~/utils/services.server";

const USAGE = "usage: npm run db:backup -- [file]";

async function main(args: string[]): Promise<number> {
  if (args.length > 1 || args[0] === "--help" || args[0] === "-h") {
    console.error(USAGE);
    return 1;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const file = args[0] ? resolveUserPath(args[0]) : path.resolve(parseEnv().DATA_DIR, "backups", `enlace-${stamp}.backup`);
  const database = await ensureDatabaseUrl();
  try {
    const started = performance.now();
    const summary = await backupDatabase({ databaseUrl: database.url, file });
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const content = summary.rows === null ? "pg_dump custom format" : `${summary.tables} tables, ${summary.rows} rows`;
    console.log(`Backed up to ${summary.file} (${content}, ${(summary.bytes / 1024).toFixed(0)} KiB) in ${seconds} s.`);
    return 0;
  } finally {
    await database.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof BackupError ? `db:backup: ${error.message}` : error);
    process.exit(1);
  },
);
