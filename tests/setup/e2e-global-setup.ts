/**
 * Playwright globalSetup: fresh PostgreSQL and Meilisearch, a current Remix build, and the app
 * server (`app/cli/server.ts`, production mode, demo seed) on the port playwright.config.ts chose.
 * Returns the teardown. With E2E_BASE_URL set by the caller it tests that server and starts nothing.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { killWhenParentDies } from "~/utils/embedded-postgres.server";
import { repositoryRoot, startTestServices } from "./services";

const SERVER_START_TIMEOUT_MS = 120_000;
const SERVER_STOP_TIMEOUT_MS = 15_000;
const SERVER_LOG = path.join(repositoryRoot, "test-results", "e2e-server.log");
const LOG_TAIL_LINES = 40;

export default async function globalSetup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.E2E_EXTERNAL_SERVER === "1") {
    console.log(`[e2e] testing the server at ${process.env.E2E_BASE_URL}`);
    return undefined;
  }
  const port = Number.parseInt(process.env.E2E_PORT ?? "", 10);
  const baseUrl = process.env.E2E_BASE_URL;
  if (!Number.isInteger(port) || !baseUrl) throw new Error("E2E_PORT and E2E_BASE_URL are set by playwright.config.ts.");

  let started = performance.now();
  // The build runs while the services start; both are needed before the server.
  const [servicesResult, buildResult] = await Promise.allSettled([
    startTestServices({ databaseName: "enlace_e2e" }).then((services) => {
      console.log(`[e2e] PostgreSQL and Meilisearch ready and migrated in ${Math.round(performance.now() - started)} ms`);
      return services;
    }),
    buildIfStale(),
  ]);
  if (servicesResult.status === "rejected") throw servicesResult.reason;
  const services = servicesResult.value;

  try {
    if (buildResult.status === "rejected") throw buildResult.reason;

    const shared = {
      DATABASE_URL: services.databaseUrl,
      MEILI_URL: services.meiliUrl,
      MEILI_MASTER_KEY: services.meiliMasterKey,
      MEILI_INDEX_PREFIX: services.meiliIndexPrefix,
      APP_URL: baseUrl,
      SESSION_SECRET: randomBytes(32).toString("hex"),
    };
    // Workers start after globalSetup and inherit this environment: fixtures that create their
    // own data reach the same database, search engine and session secret as the server.
    Object.assign(process.env, shared);

    started = performance.now();
    const server = await startAppServer({
      port,
      baseUrl,
      env: {
        ...shared,
        PORT: String(port),
        NODE_ENV: "production",
        SEED: "demo",
        DATA_DIR: path.join(services.tempDir, "app-data"),
      },
    });
    console.log(`[e2e] app server answering ${baseUrl}/healthz in ${Math.round(performance.now() - started)} ms`);

    return async () => {
      await server.stop();
      await services.stop();
    };
  } catch (error) {
    await services.stop();
    throw error;
  }
}

async function buildIfStale(): Promise<void> {
  const started = performance.now();
  if (!(await buildIsStale())) return;
  await run("npx", ["remix", "build"]);
  console.log(`[e2e] remix build in ${Math.round(performance.now() - started)} ms`);
}

// The build is current when it is newer than every source it is made from.
async function buildIsStale(): Promise<boolean> {
  const built = await fs.stat(path.join(repositoryRoot, "build", "index.js")).catch(() => undefined);
  if (!built) return true;
  const sources = ["app", "public", "remix.config.js", "package-lock.json", "tsconfig.json"].map((entry) => path.join(repositoryRoot, entry));
  for (const source of sources) {
    if ((await newestModification(source, [path.join(repositoryRoot, "public", "build"), path.join(repositoryRoot, "app", "generated")])) > built.mtimeMs) return true;
  }
  return false;
}

async function newestModification(entry: string, ignored: string[]): Promise<number> {
  if (ignored.includes(entry)) return 0;
  const stat = await fs.stat(entry).catch(() => undefined);
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of await fs.readdir(entry)) {
    newest = Math.max(newest, await newestModification(path.join(entry, child), ignored));
  }
  return newest;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repositoryRoot, stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}

async function startAppServer(options: {
  port: number;
  baseUrl: string;
  env: Record<string, string>;
}): Promise<{ stop(): Promise<void> }> {
  await fs.mkdir(path.dirname(SERVER_LOG), { recursive: true });
  const logFile = createWriteStream(SERVER_LOG);
  const tail: string[] = [];

  // `node --import tsx` is `npx tsx` without its two wrapper processes: signals reach the server.
  const child = spawn(process.execPath, ["--import", "tsx", "app/cli/server.ts"], {
    cwd: repositoryRoot,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const collect = (chunk: Buffer) => {
    logFile.write(chunk);
    for (const line of stripVTControlCharacters(chunk.toString("utf8")).split("\n")) {
      if (line.trim() === "") continue;
      tail.push(line);
      if (tail.length > LOG_TAIL_LINES) tail.shift();
    }
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  let exitStatus: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exitStatus = signal ? `signal ${signal}` : `exit code ${code}`;
      resolve();
    }),
  );
  child.once("error", (error) => tail.push(String(error)));
  const cancelWatchdog = child.pid === undefined ? () => {} : killWhenParentDies(child.pid, "TERM", 15);

  let stopping: Promise<void> | undefined;
  function stop(): Promise<void> {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), SERVER_STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      cancelWatchdog();
      await new Promise<void>((resolve) => logFile.end(resolve));
    })();
    return stopping;
  }

  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  let lastAnswer = "no answer";
  while (Date.now() < deadline && !hasExited) {
    const response = await fetch(`${options.baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
    if (response?.status === 200) return { stop };
    if (response) lastAnswer = `HTTP ${response.status}`;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  const reason = hasExited
    ? `The app server exited while starting (${exitStatus})`
    : `The app server did not answer ${options.baseUrl}/healthz with 200 within ${SERVER_START_TIMEOUT_MS / 1000} s (last: ${lastAnswer})`;
  throw new Error(`${reason}. Full log: ${SERVER_LOG}. Its last lines:\n${tail.join("\n")}`);
}
