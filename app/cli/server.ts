/**
 * `npm start` and `npm run dev`: starts the embedded services where no URLs are given, migrates,
 * seeds an empty database, then serves the Remix build.
 */
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

async function main() {
  const services = await ensureServices();
  const env = getEnv();

  const shutdownTasks: Array<() => Promise<void>> = [];
  let shuttingDown = false;
  async function shutdown(signal: string) {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log(`\n[server] ${signal} received, shutting down`);
    for (const task of shutdownTasks.reverse()) {
      await task().catch((error: unknown) => console.error("[server] shutdown step failed:", error));
    }
    await disconnectPrisma();
    await services.stop();
    process.exit(0);
  }
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));

  try {
    const { applied } = await prepareDatabase({ databaseUrl: services.databaseUrl, log: (line) => console.log(`[migrate] ${line}`) });
    if (applied.length === 0) console.log("[migrate] database is up to date");
    if (env.SEED === "demo") await seedIfEmpty({ log: (line) => console.log(`[seed] ${line}`) });
  } catch (error) {
    await services.stop();
    throw error;
  }

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
  // Fingerprinted assets are immutable; everything else in public/ may change between releases.
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));

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

  const server = app.listen(env.PORT, () => {
    const url = env.APP_URL ?? `http://localhost:${env.PORT}`;
    console.log(`[server] Enlace is serving on ${url}`);
    if (env.NODE_ENV === "development") void broadcastDevReady(build);
  });
  server.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EADDRINUSE") console.error(`[server] port ${env.PORT} is taken; set PORT to another port`);
    else console.error(error);
    void shutdown("error");
  });
  shutdownTasks.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
}

main().catch((error: unknown) => {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
