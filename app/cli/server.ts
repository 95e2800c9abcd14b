/**
 * `npm start` and `npm run dev`: starts the embedded services where no URLs are given, migrates,
 * seeds an empty database, then serves the Remix build. With WEB_CONCURRENCY > 1 (production
 * only) this process forks that many web server processes sharing the port, one of which runs the
 * job worker, and keeps the services and the workers running until told to stop.
 */
import cluster, { type Worker } from "node:cluster";
import { watch } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { isCrossOriginMutation } from "~/auth/origin.server";
import { ensureServices } from "~/utils/services.server";
import { EnvError, getEnv } from "~/utils/env.server";
import { prepareDatabase } from "~/utils/prepare-database.server";
import { createCspNonce, securityHeaders } from "~/utils/security-headers.server";
import { disconnectPrisma } from "~/utils/db.server";
import { localeCookie } from "~/i18n/i18next.server";
import { createAnonymousPageCache } from "~/utils/page-cache.server";
import { timeZoneCookie } from "~/utils/time-zone-cookie.server";
import { indexUid } from "~search/client.server";
import { indexesVersion } from "~search/results-cache.server";
import { seedIfEmpty } from "../../prisma/seed.server";

const BUILD_PATH = path.resolve("build/index.js");

async function importBuild(): Promise<ServerBuild> {
  // A query string defeats the ESM module cache so `remix dev` rebuilds are picked up.
  return import(`${pathToFileURL(BUILD_PATH).href}?t=${Date.now()}`);
}

// The client's address (behind TRUST_PROXY, the proxy's X-Forwarded-For) for log-in throttling.
// cspNonce: minted per response by the security-headers middleware, rendered into Remix's scripts.
function getLoadContext(request: express.Request, response: express.Response) {
  const cspNonce: unknown = response.locals.cspNonce;
  return { clientIp: request.ip ?? null, cspNonce: typeof cspNonce === "string" ? cspNonce : undefined };
}

type ShutdownTask = () => Promise<void>;

async function runShutdown(tasks: ShutdownTask[]) {
  for (const task of [...tasks].reverse()) {
    await task().catch((error: unknown) => console.error("[server] shutdown step failed:", error));
  }
}

/** The web server (and, where RUN_WORKER, the job worker) of this process; returns its shutdown steps. */
async function serve(): Promise<ShutdownTask[]> {
  const env = getEnv();
  const shutdownTasks: ShutdownTask[] = [];
  const { startBackgroundWork } = await import("~/utils/background.server");
  shutdownTasks.push(await startBackgroundWork());

  let build = await importBuild();
  const app = express();
  app.disable("x-powered-by");
  if (env.TRUST_PROXY) app.set("trust proxy", true);
  app.use(compression());
  app.use((_request, response, next) => {
    const nonce = createCspNonce();
    response.locals.cspNonce = nonce;
    response.set(securityHeaders({ nonce, mode: env.NODE_ENV }));
    next();
  });
  // CSRF defence for every form post and API call, before Remix sees the request.
  app.use((request, response, next) => {
    if (isCrossOriginMutation(request, env.APP_URL)) {
      response.status(403).type("text/plain").send("Cross-origin request refused: this form must be sent from the Enlace site itself.");
      return;
    }
    next();
  });
  // Anonymous search pages, while the indexes they show are unchanged (decision record 018).
  app.use(
    createAnonymousPageCache({
      versions: { "/search": () => indexesVersion([indexUid("offers"), indexUid("requests")]) },
      allowedCookies: [localeCookie.name, timeZoneCookie.name],
      maxPages: env.PAGE_CACHE_ENTRIES,
      nonceOf: (response) => (typeof response.locals.cspNonce === "string" ? response.locals.cspNonce : undefined),
      serverTimingName: "search",
    }),
  );
  // Fingerprinted assets are immutable; everything else in public/ may change between releases.
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  // Only a path naming a file (favicon.svg) looks in public/: for a page, the failed stat and its
  // error object would be paid on every request.
  const publicFiles = express.static("public", { maxAge: "1h" });
  app.use((request, response, next) => (path.extname(request.path) === "" ? next() : publicFiles(request, response, next)));

  if (env.NODE_ENV === "development") {
    watch(path.dirname(BUILD_PATH), { persistent: false }, async (_event, file) => {
      if (file !== "version.txt") return;
      build = await importBuild();
      await broadcastDevReady(build);
    });
    app.all("*", (request, response, next) => createRequestHandler({ build, mode: "development", getLoadContext })(request, response, next));
  } else {
    app.all("*", createRequestHandler({ build, mode: build.mode, getLoadContext }));
  }

  await new Promise<void>((resolve, reject) => {
    const server = app.listen(env.PORT, () => {
      if (cluster.isPrimary) console.log(`[server] Enlace is serving on ${env.APP_URL ?? `http://localhost:${env.PORT}`}`);
      if (env.NODE_ENV === "development") void broadcastDevReady(build);
      resolve();
    });
    server.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") reject(new Error(`[server] port ${env.PORT} is taken; set PORT to another port`));
      else reject(error);
    });
    shutdownTasks.push(() => new Promise<void>((done) => server.close(() => done())));
  });
  return shutdownTasks;
}

/** A forked web server: the primary owns the services and has migrated; this one only serves. */
async function runClusterWorker() {
  let shutdownTasks: ShutdownTask[] = [];
  let shuttingDown = false;
  const shutdown = async () => {
    if (shuttingDown) return;
    shuttingDown = true;
    await runShutdown(shutdownTasks);
    await disconnectPrisma();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown());
  // Ctrl-C reaches the whole process group: the primary decides the order of the shutdown.
  process.on("SIGINT", () => {});
  shutdownTasks = await serve();
}

const MAX_FAILED_STARTS = 3;

/** Forks the web servers and restarts one that dies; stops them, then the services, on a signal. */
function runClusterPrimary(count: number, runWorker: boolean, stopServices: () => Promise<void>) {
  let shuttingDown = false;
  const roles = new Map<Worker, boolean>();
  const fork = (runsJobs: boolean) => {
    // Exactly one process runs the job worker, so jobs keep their concurrency of one instance.
    const worker = cluster.fork({ RUN_WORKER: String(runsJobs) });
    roles.set(worker, runsJobs);
  };
  const listening = new Set<Worker>();
  // Web processes that died before serving, in a row: a few are retried (one killed while
  // booting, say); more mean each new one would fail the same way (port taken, bad build).
  let failedStarts = 0;
  cluster.on("listening", (worker) => {
    listening.add(worker);
    failedStarts = 0;
    console.log(`[server] web process ${worker.process.pid} serving`);
  });
  cluster.on("exit", (worker, code, signal) => {
    const runsJobs = roles.get(worker) ?? false;
    roles.delete(worker);
    if (shuttingDown) return;
    const served = listening.delete(worker);
    if (!served) failedStarts += 1;
    if (failedStarts >= MAX_FAILED_STARTS) {
      console.error(`[server] ${failedStarts} web processes in a row failed to start (last: ${signal ?? `code ${code}`}); stopping`);
      void shutdown("failure", 1);
      return;
    }
    console.error(`[server] web process ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another`);
    fork(runsJobs);
  });
  for (let index = 0; index < count; index += 1) fork(runWorker && index === 0);
  console.log(`[server] ${count} web processes starting`);

  async function shutdown(signal: string, exitCode = 0) {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log(`\n[server] ${signal}: stopping ${roles.size} web processes`);
    await Promise.all(
      [...roles.keys()].map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            worker.once("exit", () => resolve());
            worker.process.kill("SIGTERM");
          }),
      ),
    );
    await disconnectPrisma();
    await stopServices();
    process.exit(exitCode);
  }
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

async function main() {
  if (cluster.isWorker) return runClusterWorker();

  const services = await ensureServices();
  const env = getEnv();
  try {
    const { applied } = await prepareDatabase({ databaseUrl: services.databaseUrl, log: (line) => console.log(`[migrate] ${line}`) });
    if (applied.length === 0) console.log("[migrate] database is up to date");
    if (env.SEED === "demo") await seedIfEmpty({ log: (line) => console.log(`[seed] ${line}`) });
  } catch (error) {
    await services.stop();
    throw error;
  }

  if (env.WEB_CONCURRENCY > 1 && env.NODE_ENV !== "development") {
    // The forked processes inherit the URLs and secret ensureServices put in the environment.
    runClusterPrimary(env.WEB_CONCURRENCY, env.RUN_WORKER, services.stop);
    return;
  }

  let shutdownTasks: ShutdownTask[] = [];
  let shuttingDown = false;
  async function shutdown(signal: string) {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log(`\n[server] ${signal} received, shutting down`);
    await runShutdown(shutdownTasks);
    await disconnectPrisma();
    await services.stop();
    process.exit(0);
  }
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  try {
    shutdownTasks = await serve();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await shutdown("error");
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
