/**
 * The real app server (`node --import tsx app/cli/server.ts`) as a child process, for tests and
 * benchmarks that need more than one instance or must see it over HTTP. Output is kept (the
 * caller may search it); `stop()` sends SIGTERM, `kill()` SIGKILL.
 */
import { spawn } from "node:child_process";
import { stripVTControlCharacters } from "node:util";
import { killWhenParentDies } from "~/utils/embedded-postgres.server";
import { repositoryRoot } from "./services";

const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;

export type AppProcess = {
  url: string;
  pid: number;
  /** Every line the process printed so far. */
  output: string[];
  stop(): Promise<void>;
};

export async function startAppProcess(options: { port: number; env: Record<string, string>; name?: string; nodeArgs?: string[] }): Promise<AppProcess> {
  const url = `http://127.0.0.1:${options.port}`;
  const output: string[] = [];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", "tsx", "app/cli/server.ts"], {
    cwd: repositoryRoot,
    env: { ...process.env, ...options.env, PORT: String(options.port) },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const collect = (chunk: Buffer) => {
    for (const line of stripVTControlCharacters(chunk.toString("utf8")).split("\n")) if (line.trim() !== "") output.push(line);
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
  child.once("error", (error) => output.push(String(error)));
  if (child.pid === undefined) throw new Error("could not start the app process");
  const pid = child.pid;
  const cancelWatchdog = killWhenParentDies(pid, "TERM", 15);

  let stopping: Promise<void> | undefined;
  function stop(): Promise<void> {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      cancelWatchdog();
    })();
    return stopping;
  }

  const deadline = Date.now() + START_TIMEOUT_MS;
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  while (Date.now() < deadline && !hasExited) {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
    if (response?.status === 200) return { url, pid, output, stop };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  const reason = hasExited ? `exited while starting (${exitStatus})` : `did not answer /healthz within ${START_TIMEOUT_MS / 1000} s`;
  throw new Error(`The app server ${options.name ?? url} ${reason}. Its last lines:\n${output.slice(-40).join("\n")}`);
}

/** The session cookie pair ("name=value") of a response's Set-Cookie headers, if it sets one. */
export function cookieFrom(response: Response, name: string): string | undefined {
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(";");
    if (pair.startsWith(`${name}=`) && pair.length > name.length + 1) return pair;
  }
  return undefined;
}

/** Runs `remix build` when build/index.js is missing or older than a source it is made from. */
export async function ensureBuild(): Promise<void> {
  const { stat, readdir } = await import("node:fs/promises");
  const path = await import("node:path");
  const built = await stat(path.join(repositoryRoot, "build", "index.js")).catch(() => undefined);
  async function newest(entry: string): Promise<number> {
    if (entry.endsWith(path.join("public", "build")) || entry.endsWith(path.join("app", "generated"))) return 0;
    const info = await stat(entry).catch(() => undefined);
    if (!info) return 0;
    if (!info.isDirectory()) return info.mtimeMs;
    let result = info.mtimeMs;
    for (const child of await readdir(entry)) result = Math.max(result, await newest(path.join(entry, child)));
    return result;
  }
  if (built) {
    const sources = await Promise.all(["app", "search", "public", "remix.config.js"].map((entry) => newest(path.join(repositoryRoot, entry))));
    if (Math.max(...sources) <= built.mtimeMs) return;
  }
  await new Promise<void>((resolve, reject) => {
    // vitest sets NODE_ENV=test, which would make remix build emit the development JSX runtime
    // (jsxDEV) that a production server does not have.
    const child = spawn("npx", ["remix", "build"], { cwd: repositoryRoot, env: { ...process.env, NODE_ENV: "production" }, stdio: ["ignore", "ignore", "pipe"] });
    const errors: string[] = [];
    child.stderr.on("data", (chunk: Buffer) => errors.push(chunk.toString("utf8")));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`remix build failed (exit code ${code}):\n${errors.join("")}`))));
  });
}
