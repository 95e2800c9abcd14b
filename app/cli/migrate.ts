// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL, or to the embedded
// PostgreSQL when DATABASE_URL is unset. Same bookkeeping as `prisma migrate deploy`.
import { parseEnv } from "~/utils/env.server";
import { prepareDatabase } from "~/utils/prepare-database.server";

async function openDatabase(): Promise<{ url: string; stop: () => Promise<void> }> {
  const { DATABASE_URL } = parseEnv();
  if (DATABASE_URL) return { url: DATABASE_URL, stop: async () => {} };
  // loaded only when needed: starting the embedded server is the services module's job
  const { ensureDatabaseUrl } = await import("~/utils/services.server");
  return ensureDatabaseUrl();
}

async function main() {
  const database = await openDatabase();
  try {
    await prepareDatabase({ databaseUrl: database.url, log: (line) => console.log(`[migrate] ${line}`) });
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`[migrate] ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
