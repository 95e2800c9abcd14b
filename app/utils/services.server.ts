import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startMeilisearch } from "~search/meili-process.server";
import { startEmbeddedPostgres } from "~/utils/embedded-postgres.server";
import { getEnv, parseEnv, resetEnvCache } from "~/utils/env.server";

type StopFunction = () => Promise<void>;

export type RunningServices = {
  databaseUrl: string;
  meiliUrl: string;
  /** Stops only what this process started; external services are left alone. */
  stop: StopFunction;
};

function log(line: string) {
  console.log(`[services] ${line}`);
}

/**
 * Makes DATABASE_URL and MEILI_URL usable: where one is unset, starts the embedded server for it
 * (data under DATA_DIR) and writes its URL into process.env for the rest of the process.
 */
export async function ensureServices(options: { search?: boolean } = {}): Promise<RunningServices> {
  const env = parseEnv();
  const stops: StopFunction[] = [];
  const dataDir = path.resolve(env.DATA_DIR);

  if (!env.DATABASE_URL) {
    const postgres = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, "postgres"),
      port: env.EMBEDDED_POSTGRES_PORT,
      databaseName: "enlace",
      log,
    });
    process.env.DATABASE_URL = postgres.url;
    stops.push(postgres.stop);
    log(`embedded PostgreSQL on port ${env.EMBEDDED_POSTGRES_PORT} (data in ${path.join(dataDir, "postgres")})`);
  }

  if (options.search !== false && !env.MEILI_URL) {
    const meili = await startMeilisearch({ dataDir: path.join(dataDir, "meili"), port: env.EMBEDDED_MEILI_PORT, log });
    process.env.MEILI_URL = meili.url;
    process.env.MEILI_MASTER_KEY = meili.masterKey;
    stops.push(meili.stop);
    log(`embedded Meilisearch on port ${env.EMBEDDED_MEILI_PORT} (data in ${path.join(dataDir, "meili")})`);
  }

  if (!env.SESSION_SECRET) process.env.SESSION_SECRET = readOrCreateSecret(path.join(dataDir, "session-secret"));

  resetEnvCache();
  const resolved = getEnv();
  let stopped = false;
  return {
    databaseUrl: resolved.DATABASE_URL ?? "",
    meiliUrl: resolved.MEILI_URL ?? "",
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const stop of stops.reverse()) await stop();
    },
  };
}

/** For commands that only need the database (migrate, seed, import, export). */
export async function ensureDatabaseUrl(): Promise<{ url: string; stop: StopFunction }> {
  const services = await ensureServices({ search: false });
  return { url: services.databaseUrl, stop: services.stop };
}

// A local instance keeps one generated secret across restarts, so sessions survive them.
function readOrCreateSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
