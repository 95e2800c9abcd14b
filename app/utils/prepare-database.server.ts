/**
 * Brings a database up to what the app needs: our migrations, then graphile-worker's own schema.
 * Every write that changes the catalogue adds a job in its transaction (the outbox), so the job
 * queue's schema must exist before anything is seeded or imported, not only once the worker runs.
 */
import { installJobQueue } from "~/jobs/queue-schema.server";
import { applyMigrations, type ApplyMigrationsOptions } from "~/utils/migrate.server";

export async function prepareDatabase(options: ApplyMigrationsOptions): Promise<{ applied: string[] }> {
  const result = await applyMigrations(options);
  await installJobQueue(options.databaseUrl);
  return result;
}
