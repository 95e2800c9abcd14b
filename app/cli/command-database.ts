// The database for one-shot commands (import, export, seed). Without DATABASE_URL they use the
// embedded server under DATA_DIR, as `npm start` does, and bring its schema up to date first:
// a fresh checkout can import before the app has ever run. A DATABASE_URL database is never
// migrated from here; that is `npm run db:migrate`'s job.
import path from "node:path";
import { disconnectPrisma } from "~/utils/db.server";
import { ensureDatabaseUrl } from "~/utils/services.server";
import { prepareDatabase } from "~/utils/prepare-database.server";

export async function openCommandDatabase(): Promise<{ close: () => Promise<void> }> {
  const embedded = !process.env.DATABASE_URL;
  const database = await ensureDatabaseUrl();
  try {
    if (embedded) await prepareDatabase({ databaseUrl: database.url, log: (line) => console.error(`[migrate] ${line}`) });
  } catch (error) {
    await database.stop();
    throw error;
  }
  return {
    async close() {
      await disconnectPrisma();
      await database.stop();
    },
  };
}

// npm runs scripts from the package root; a relative path means the directory the user typed it in.
export function resolveUserPath(file: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
}
