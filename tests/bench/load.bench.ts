/**
 * Load benchmark (`npm run bench:load`): the built app in production mode, on embedded PostgreSQL
 * and Meilisearch in a temporary DATA_DIR on free ports, with 10,000 generated offers imported
 * (tests/bench/catalogue-generator.ts, the import benchmark's generator). Once the index and the
 * job queue have caught up, each page in turn gets requests at a constant arrival rate (default
 * 100 requests per second) and the latency p50/p95/p99, throughput and errors per page are
 * printed with the targets (p99 < 250 ms for search, < 100 ms for detail pages, no errors).
 * Then the database is backed up and restored with db:backup's code, and both are timed.
 *
 *   npm run bench:load
 *   BENCH_RATE=100 BENCH_SECONDS=15 BENCH_OFFERS=10000 BENCH_WEB_CONCURRENCY=2 npm run bench:load
 *   BENCH_CPU_PROFILE=/tmp/profiles npm run bench:load   (then: tsx tests/bench/cpu-profile-summary.ts /tmp/profiles)
 *   BENCH_PAGES=detail,search BENCH_ROUNDS=3 npm run bench:load   (only those pages, three times each)
 *
 * Run with tsx, not vitest: it measures one real run. Figures also go to bench-results/load.json.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { cookieFrom, ensureBuild, startAppProcess, type AppProcess } from "../setup/app-process";
import { findFreePorts, repositoryRoot } from "../setup/services";
import { createRandom, generateCatalogue } from "./catalogue-generator";
import { driveOpenLoad, measureCapacity } from "./open-load";
import { DISTINCT_SEARCHES, uniqueSearchPaths, zipfSearchPaths, ZIPF_EXPONENT } from "./search-traffic";

const OFFERS = Number(process.env.BENCH_OFFERS ?? 10_000);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
// Web server processes (WEB_CONCURRENCY): one per core is how the app is run on this machine.
const WEB_PROCESSES = Number(process.env.BENCH_WEB_CONCURRENCY ?? os.cpus().length);
const PAGE_NAMES = ["home", "browse", "detail", "search", "dashboard"] as const;
type PageName = (typeof PAGE_NAMES)[number];
const SELECTED_PAGES = selectedPages(process.env.BENCH_PAGES);
// BENCH_ROUNDS=3 drives every selected page three times: the spread between rounds shows how much
// a figure owes to the moment (this VM's speed varies from minute to minute).
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 10);
const CATCH_UP_LIMIT_MS = 15 * 60_000;
const PASSWORD = "load bench password 2026";

type PageResult = {
  page: string;
  /** Requests per second the page can be served at all (closed loop, 8 clients). */
  capacityPerSecond: number;
  requests: number;
  throughputPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
  /** Search pages only: the share answered from memory, kept pages or kept results (Server-Timing). */
  cacheHitRate?: number;
  /** Informational rows (a worst case) have no target and do not decide PASS. */
  target?: { p99BelowMs: number; pass: boolean };
  informational?: boolean;
};

function selectedPages(list: string | undefined): Set<PageName> {
  if (!list) return new Set(PAGE_NAMES);
  const names = list.split(",").map((name) => name.trim());
  const unknown = names.filter((name) => !(PAGE_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`BENCH_PAGES: unknown page ${unknown.join(", ")}; pages are ${PAGE_NAMES.join(", ")}`);
  return new Set(names as PageName[]);
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

/**
 * Waits until the app answers /healthz quickly three times in a row: a page driven beyond what
 * the machine can serve leaves work queued in the app after its clients gave up, which would
 * otherwise be charged to the next page.
 */
async function waitUntilSettled(app: AppProcess): Promise<void> {
  const started = performance.now();
  let quick = 0;
  while (quick < 3 && performance.now() - started < 120_000) {
    const probeStarted = performance.now();
    const answered = await fetch(`${app.url}/healthz`, { signal: AbortSignal.timeout(5_000) })
      .then((response) => response.arrayBuffer())
      .then(
        () => true,
        () => false,
      );
    quick = answered && performance.now() - probeStarted < 30 ? quick + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (quick < 3) console.warn(`[bench] the app was still busy after ${Math.round((performance.now() - started) / 1000)} s; going on`);
}

async function drive(
  app: AppProcess,
  page: string,
  nextPath: () => string,
  headers: Record<string, string>,
  p99Target?: number,
  options: { informational?: boolean } = {},
): Promise<PageResult> {
  await waitUntilSettled(app);
  // Warm-up, not measured: compiled code paths and the database's cache, as on a running site.
  await driveOpenLoad({ baseUrl: app.url, nextPath, headers, ratePerSecond: RATE / 2, seconds: WARM_UP_SECONDS });
  await waitUntilSettled(app);
  const capacity = await measureCapacity({ baseUrl: app.url, nextPath, headers, concurrency: 8, seconds: 5 });
  await waitUntilSettled(app);
  const answeredBy = new Map<string, number>();
  const result = await driveOpenLoad({
    baseUrl: app.url,
    nextPath,
    headers,
    ratePerSecond: RATE,
    seconds: SECONDS,
    onResponse: (responseHeaders) => {
      const answered = /search;desc="([\w-]+)"/.exec(String(responseHeaders["server-timing"] ?? ""))?.[1];
      if (answered) answeredBy.set(answered, (answeredBy.get(answered) ?? 0) + 1);
    },
  });
  const searches = [...answeredBy.values()].reduce((sum, count) => sum + count, 0);
  if (result.maxStartDelayMs > 50) console.warn(`[bench] ${page}: the generator started a request ${result.maxStartDelayMs.toFixed(0)} ms late (counted in the latencies)`);
  const p99 = percentile(result.latencies, 0.99);
  return {
    page,
    capacityPerSecond: capacity.requestsPerSecond,
    requests: result.requests,
    throughputPerSecond: result.throughputPerSecond,
    p50: percentile(result.latencies, 0.5),
    p95: percentile(result.latencies, 0.95),
    p99,
    max: result.latencies.at(-1) ?? Number.NaN,
    errors: result.errors,
    non2xx: result.non2xx,
    ...(searches > 0 ? { cacheHitRate: ((answeredBy.get("cache") ?? 0) + (answeredBy.get("page-cache") ?? 0)) / searches } : {}),
    ...(options.informational ? { informational: true } : {}),
    ...(p99Target === undefined ? {} : { target: { p99BelowMs: p99Target, pass: p99 < p99Target && result.errors === 0 && result.non2xx === 0 } }),
  };
}

async function main() {
  const tempDir = await fs.mkdtemp(path.join(os.tmpdir(), "enlace-load-bench-"));
  // PostgreSQL runs as the `postgres` user when we are root and must reach its data directory.
  await fs.chmod(tempDir, 0o755);
  let app: AppProcess | undefined;
  let stopServices = async () => {};
  try {
    let started = performance.now();
    await ensureBuild();
    console.log(`[bench] remix build current (${Math.round(performance.now() - started)} ms)`);

    const [postgresPort, meiliPort, appPort] = await findFreePorts(3);
    const dataDir = path.join(tempDir, "data");
    for (const name of ["DATABASE_URL", "MEILI_URL", "MEILI_MASTER_KEY", "SESSION_SECRET"]) delete process.env[name];
    Object.assign(process.env, {
      DATA_DIR: dataDir,
      EMBEDDED_POSTGRES_PORT: String(postgresPort),
      EMBEDDED_MEILI_PORT: String(meiliPort),
      MEILI_INDEX_PREFIX: "enlace_",
      SLOW_QUERY_MS: "100000",
    });
    // Imported after the environment is set: these modules read it.
    const { ensureServices } = await import("~/utils/services.server");
    const { prepareDatabase } = await import("~/utils/prepare-database.server");
    const { importCatalogue } = await import("~/models/exchange.server");
    const { getPrisma, disconnectPrisma } = await import("~/utils/db.server");
    const { hashPassword } = await import("~/auth/password.server");
    const { SESSION_COOKIE_NAME } = await import("~/auth/lucia.server");
    const { backupDatabase, restoreDatabase } = await import("~/cli/database-backup");

    started = performance.now();
    const services = await ensureServices();
    stopServices = services.stop;
    await prepareDatabase({ databaseUrl: services.databaseUrl, migrationsDir: path.join(repositoryRoot, "prisma", "migrations") });
    console.log(`[bench] embedded PostgreSQL and Meilisearch ready in ${Math.round(performance.now() - started)} ms`);

    started = performance.now();
    const catalogue = generateCatalogue({ organizations: 500, offers: OFFERS, requests: 1_000 });
    const imported = await importCatalogue({ file: catalogue });
    if (!imported.ok) throw new Error(imported.errors.slice(0, 10).join("\n"));
    console.log(`[bench] imported ${JSON.stringify(imported.counts)} in ${Math.round(performance.now() - started)} ms`);

    const prisma = getPrisma();
    const organization = await prisma.organization.findFirstOrThrow({ orderBy: { key: "asc" }, select: { id: true } });
    const email = `load-bench-${randomBytes(3).toString("hex")}@example.test`;
    await prisma.user.create({
      data: { email, name: "Load Bench Member", passwordHash: await hashPassword(PASSWORD), status: "active", role: "member", organizationId: organization.id },
      select: { id: true },
    });

    started = performance.now();
    app = await startAppProcess({
      port: appPort,
      name: "bench",
      env: {
        NODE_ENV: "production",
        DATABASE_URL: services.databaseUrl,
        MEILI_URL: services.meiliUrl,
        MEILI_MASTER_KEY: process.env.MEILI_MASTER_KEY ?? "",
        MEILI_INDEX_PREFIX: "enlace_",
        SESSION_SECRET: randomBytes(32).toString("hex"),
        SEED: "none",
        DATA_DIR: dataDir,
        SLOW_QUERY_MS: "100000",
        WEB_CONCURRENCY: String(WEB_PROCESSES),
      },
      // BENCH_CPU_PROFILE=<folder>: the app writes a V8 CPU profile there when it stops.
      nodeArgs: process.env.BENCH_CPU_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROFILE)}`] : [],
    });
    console.log(`[bench] app server (${WEB_PROCESSES} web processes) answering on ${app.url} in ${Math.round(performance.now() - started)} ms`);

    // The import queued search and matching jobs; the app's worker runs them. Measure once idle.
    started = performance.now();
    for (;;) {
      const [row] = await prisma.$queryRaw<Array<{ count: bigint }>>`select count(*) as count from graphile_worker.jobs where attempts < max_attempts`;
      const left = Number(row?.count ?? 0);
      if (left === 0) break;
      if (performance.now() - started > CATCH_UP_LIMIT_MS) throw new Error(`${left} jobs still queued after ${CATCH_UP_LIMIT_MS / 60_000} minutes`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const published = await prisma.offer.findMany({ where: { status: "published" }, select: { id: true } });
    const stats = await fetch(`${services.meiliUrl}/indexes/enlace_offers/stats`, { headers: { Authorization: `Bearer ${process.env.MEILI_MASTER_KEY}` } }).then(
      (response) => response.json() as Promise<{ numberOfDocuments: number }>,
    );
    console.log(
      `[bench] index and job queue caught up in ${Math.round(performance.now() - started)} ms: ${stats.numberOfDocuments} offers indexed of ${published.length} published`,
    );
    // The import and the catch-up changed most rows; autovacuum would otherwise analyze them in the
    // middle of a measurement. A running site is past that point.
    started = performance.now();
    await prisma.$executeRawUnsafe("VACUUM ANALYZE");
    console.log(`[bench] VACUUM ANALYZE in ${Math.round(performance.now() - started)} ms`);

    const login = await fetch(`${app.url}/login`, { method: "POST", body: new URLSearchParams({ email, password: PASSWORD }), redirect: "manual" });
    const cookie = cookieFrom(login, SESSION_COOKIE_NAME);
    if (!cookie) throw new Error(`log-in failed (HTTP ${login.status})`);

    const random = createRandom(7);
    const detailPath = () => `/offers/${published[Math.floor(random.integer(0, published.length - 1))].id}`;
    const searchPath = zipfSearchPaths(random);
    const newSearchPath = uniqueSearchPaths();
    const browsePath = () => `/offers${random.integer(0, 2) === 0 ? `?page=${random.integer(2, 20)}` : ""}`;

    // Warm-up (the first requests compile routes and fill caches), then each page alone, one
    // request at a time: what a request costs without queueing behind others.
    const pages: Array<[PageName, () => string]> = [["home", () => "/"], ["browse", browsePath], ["detail", detailPath], ["search", searchPath], ["dashboard", () => "/dashboard"]];
    for (const [name, next] of pages.filter(([name]) => SELECTED_PAGES.has(name))) {
      const timings: number[] = [];
      const statuses = new Set<number>();
      for (let index = 0; index < 10; index += 1) {
        const requestStarted = performance.now();
        const response = await fetch(`${app.url}${next()}`, { headers: { Cookie: cookie }, redirect: "manual" });
        await response.arrayBuffer();
        statuses.add(response.status);
        if (index >= 5) timings.push(performance.now() - requestStarted);
      }
      console.log(`[bench] ${name} alone: ${timings.map((ms) => ms.toFixed(0)).join(", ")} ms (HTTP ${[...statuses].join(", ")})`);
    }

    console.log(`[bench] driving each page for ${SECONDS} s at ${RATE} requests/s, one every ${(1000 / RATE).toFixed(1)} ms (open model, tests/bench/open-load.ts)`);
    const results: PageResult[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const suffix = ROUNDS > 1 ? ` #${round}` : "";
      if (SELECTED_PAGES.has("home")) results.push(await drive(app, `home /${suffix}`, () => "/", {}));
      if (SELECTED_PAGES.has("browse")) results.push(await drive(app, `browse /offers${suffix}`, browsePath, {}));
      if (SELECTED_PAGES.has("detail")) results.push(await drive(app, `detail /offers/:id${suffix}`, detailPath, {}, 100));
      if (SELECTED_PAGES.has("search")) results.push(await drive(app, `search /search?q=${suffix}`, searchPath, {}, 250));
      // The worst case beside it: every query new, so every page is computed by Meilisearch.
      if (SELECTED_PAGES.has("search")) results.push(await drive(app, `search, all new${suffix}`, newSearchPath, {}, undefined, { informational: true }));
      if (SELECTED_PAGES.has("dashboard")) results.push(await drive(app, `dashboard (member)${suffix}`, () => "/dashboard", { Cookie: cookie }));
    }

    const header = ["page".padEnd(22), "capacity/s", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors", "non-2xx", "cache", "target"].join("  ");
    console.log(`\ncapacity/s: the most requests per second the page was answered at (8 clients back-to-back); the other columns: ${RATE} new requests per second, evenly spaced`);
    console.log(`search: queries drawn from a Zipf distribution (exponent ${ZIPF_EXPONENT}) over ${DISTINCT_SEARCHES.toLocaleString("en")} distinct searches (tests/bench/search-traffic.ts); cache: the share answered from memory (kept pages or kept results, Server-Timing)`);
    console.log(header);
    for (const result of results) {
      const target = result.informational
        ? "(worst case, no target)"
        : result.target
          ? `p99 < ${result.target.p99BelowMs} ms: ${result.target.pass ? "PASS" : "FAIL"}`
          : result.errors + result.non2xx === 0
            ? "no errors: PASS"
            : "no errors: FAIL";
      console.log(
        [
          result.page.padEnd(22),
          result.capacityPerSecond.toFixed(1).padStart(10),
          String(result.requests).padStart(8),
          result.throughputPerSecond.toFixed(1).padStart(5),
          result.p50.toFixed(0).padStart(6),
          result.p95.toFixed(0).padStart(6),
          result.p99.toFixed(0).padStart(6),
          result.max.toFixed(0).padStart(6),
          String(result.errors).padStart(6),
          String(result.non2xx).padStart(7),
          (result.cacheHitRate === undefined ? "" : `${Math.round(result.cacheHitRate * 100)} %`).padStart(5),
          target,
        ].join("  "),
      );
    }
    const passed = results.every((result) => result.informational || (result.target ? result.target.pass : result.errors + result.non2xx === 0));
    console.log(`\n[bench] targets (at ${RATE} req/s: p99 < 250 ms search, < 100 ms detail, zero errors): ${passed ? "PASS" : "FAIL"}`);

    await app.stop();
    app = undefined;
    await disconnectPrisma();
    const backupFile = path.join(tempDir, "bench.backup");
    started = performance.now();
    const backup = await backupDatabase({ databaseUrl: services.databaseUrl, file: backupFile, migrationsDir: path.join(repositoryRoot, "prisma", "migrations") });
    const backupMs = Math.round(performance.now() - started);
    started = performance.now();
    await restoreDatabase({ databaseUrl: services.databaseUrl, file: backupFile });
    const restoreMs = Math.round(performance.now() - started);
    console.log(
      `[bench] db:backup (${backup.format}, ${backup.rows ?? "?"} rows, ${(backup.bytes / 1024 / 1024).toFixed(1)} MB) in ${backupMs} ms; db:restore in ${restoreMs} ms`,
    );

    await fs.mkdir(path.join(repositoryRoot, "bench-results"), { recursive: true });
    await fs.writeFile(
      path.join(repositoryRoot, "bench-results", "load.json"),
      `${JSON.stringify({ offers: OFFERS, rate: RATE, seconds: SECONDS, webProcesses: WEB_PROCESSES, results, backupMs, restoreMs, backupBytes: backup.bytes }, null, 2)}\n`,
    );
    if (!passed) process.exitCode = 1;
  } finally {
    await app?.stop();
    await stopServices();
    await fs.rm(tempDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
