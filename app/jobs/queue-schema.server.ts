/**
 * The job queue's schema and log output, apart from the worker and its task list so that setting
 * up a database (app/utils/prepare-database.server.ts, the test setup) loads nothing else.
 */
import { Logger, runMigrations, type LogFunctionFactory } from "graphile-worker";

const logFactory: LogFunctionFactory = () => (level, message) => {
  const severity = String(level);
  if (severity === "debug") return;
  if (severity === "info") {
    if (process.env.NODE_ENV !== "test") console.log(`[jobs] ${message}`);
    return;
  }
  // A failed attempt is expected while a dependency is down; the job retries with backoff. The
  // first line names the job and the error; the stack of a refused connection adds nothing.
  if (message.startsWith("Failed task")) {
    console.warn(`[jobs] ${message.split("\n")[0]}`);
    return;
  }
  if (severity === "warning") {
    console.warn(`[jobs] ${message}`);
    return;
  }
  console.error(`[jobs] ${message}`);
};

export const jobLogger = new Logger(logFactory);

/** Creates or upgrades the graphile_worker schema. Idempotent; run at boot after our migrations. */
export async function installJobQueue(connectionString: string): Promise<void> {
  await runMigrations({ connectionString, logger: jobLogger });
}
