/**
 * Search benchmark (`npm run bench:search`): 10,000 published offers in a throwaway PostgreSQL and
 * Meilisearch, the app server running as in production (its sync worker included), then
 *   1. the search page's latency, p50/p95/p99, with 50 clients searching at once (full HTML pages,
 *      and the loader's JSON that search-as-you-type fetches);
 *   2. the commit-to-searchable lag, p50/p95: a transaction publishes an offer and queues its sync;
 *      the clock stops when Meilisearch returns it.
 *
 *   npx tsx tests/bench/search.bench.ts
 *   BENCH_SECONDS=30 BENCH_CLIENTS=50 BENCH_LAG_SAMPLES=60 npx tsx tests/bench/search.bench.ts
 *
 * Run with tsx, not vitest: it measures one real run. Figures go to stdout and to
 * bench-results/search.json.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { findFreePort, repositoryRoot, startTestServices } from "../setup/services";

const OFFERS = Number(process.env.BENCH_OFFERS ?? 10_000);
const ORGANIZATIONS = 250;
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const LAG_SAMPLES = Number(process.env.BENCH_LAG_SAMPLES ?? 40);
const REQUEST_TIMEOUT_MS = 30_000;

const COUNTRIES = ["AR", "BO", "BR", "CL", "CO", "CR", "DO", "EC", "GT", "HN", "JM", "MX", "PA", "PE", "PY", "SV", "TT", "US", "UY", "CA"];
const ORGANIZATION_TYPES = ["ministry", "agency", "development-bank", "business-development-center", "training-institute", "ngo"];
const THEMES = [
  "msme-finance", "entrepreneurship", "business-development-centers", "women-economic-empowerment", "youth-employment",
  "skills-training", "employment-services", "social-protection", "cash-transfers", "early-childhood", "formalization",
  "supplier-development", "internationalization", "innovation-technology", "digital-transformation", "green-economy",
];
const MODALITIES = ["expert-mission", "study-visit", "virtual-exchange", "workshop", "training-of-trainers", "documentation", "advisory"];
const LANGUAGES = ["en", "es", "pt", "fr"] as const;
const COST_SHARING = ["offerer-funded", "shared", "requester-funded", "to-be-negotiated"];

// Words in each language, so titles and summaries look like the field's and queries match some.
const WORDS: Record<(typeof LANGUAGES)[number], string[]> = {
  en: ["small business", "micro-enterprise", "cash transfer", "youth employment", "vocational training", "women entrepreneurs", "export promotion", "digital transformation", "value chain", "cooperatives", "public procurement", "social protection", "early childhood", "job placement", "credit guarantee"],
  es: ["pequeña empresa", "microempresa", "transferencias monetarias", "empleo juvenil", "formación profesional", "mujeres emprendedoras", "promoción de exportaciones", "transformación digital", "cadena de valor", "cooperativas", "compras públicas", "protección social", "primera infancia", "intermediación laboral", "fondo de garantía"],
  pt: ["pequena empresa", "microempreendedor", "transferência de renda", "emprego juvenil", "qualificação profissional", "mulheres empreendedoras", "promoção de exportações", "transformação digital", "cadeia de valor", "cooperativas", "compras públicas", "proteção social", "primeira infância", "intermediação de mão de obra", "fundo garantidor"],
  fr: ["petite entreprise", "micro-entreprise", "transferts monétaires", "emploi des jeunes", "formation professionnelle", "femmes entrepreneures", "promotion des exportations", "transformation numérique", "chaîne de valeur", "coopératives", "marchés publics", "protection sociale", "petite enfance", "placement", "fonds de garantie"],
};

const QUERIES = [
  "", "microempresa", "small business", "transferência de renda", "emprendimeinto", "youth employment", "formación profesional",
  "cadena de valor", "women", "cooperativas", "digital", "export", "protection sociale", "garantía", "incubadora", "program 42",
];

function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  return {
    next,
    pick<T>(items: readonly T[]): T {
      return items[Math.floor(next() * items.length)];
    },
    some<T>(items: readonly T[], min: number, max: number): T[] {
      const count = min + Math.floor(next() * (max - min + 1));
      const chosen = new Set<T>();
      while (chosen.size < count) chosen.add(items[Math.floor(next() * items.length)]);
      return [...chosen];
    },
  };
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[position];
}

function summarize(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 0.5)),
    p95: round(percentile(sorted, 0.95)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
  };
}

function searchUrl(random: ReturnType<typeof createRandom>): string {
  const params = new URLSearchParams();
  const q = random.pick(QUERIES);
  if (q) params.set("q", q);
  const roll = random.next();
  if (roll < 0.4) params.append("theme", random.pick(THEMES));
  if (roll < 0.2) params.append("modality", random.pick(MODALITIES));
  if (roll > 0.8) params.append("country", random.pick(COUNTRIES));
  if (random.next() < 0.15) params.set("sort", "updated");
  if (random.next() < 0.15) params.set("page", String(2 + Math.floor(random.next() * 3)));
  return `/search?${params}`;
}

async function main() {
  console.log(`[bench] starting PostgreSQL and Meilisearch`);
  const services = await startTestServices({ databaseName: "enlace_bench" });
  let stopServer: (() => Promise<void>) | undefined;
  try {
    Object.assign(process.env, {
      DATABASE_URL: services.databaseUrl,
      MEILI_URL: services.meiliUrl,
      MEILI_MASTER_KEY: services.meiliMasterKey,
      MEILI_INDEX_PREFIX: services.meiliIndexPrefix,
      SLOW_QUERY_MS: "100000",
    });
    // Imported after the environment is set: these modules read it.
    const { getPrisma, disconnectPrisma } = await import("~/utils/db.server");
    const { installJobQueue } = await import("~/jobs/queue.server");
    const { enqueueSearchSync } = await import("~/jobs/enqueue.server");
    const { applySearchSettings } = await import("~search/settings");
    const { reindexSearch } = await import("~search/reindex");
    const { getSearchClient, indexUid } = await import("~search/client.server");
    const prisma = getPrisma();

    let started = performance.now();
    const random = createRandom(2026);
    // Everything is dated in the past, as an existing catalogue would be: the reindex then has no
    // "changed during the rebuild" records to queue.
    const past = new Date(Date.now() - 30 * 86_400_000);
    const organizations = Array.from({ length: ORGANIZATIONS }, (_, index) => ({
      key: `bench-org-${index}`,
      name: `Agencia de desarrollo ${index}`,
      countryCode: random.pick(COUNTRIES),
      type: random.pick(ORGANIZATION_TYPES),
      createdAt: past,
      updatedAt: past,
    }));
    await prisma.organization.createMany({ data: organizations });
    const organizationIds = (await prisma.organization.findMany({ select: { id: true }, orderBy: { key: "asc" } })).map((row) => row.id);
    const now = Date.now();
    for (let start = 0; start < OFFERS; start += 1000) {
      const data = Array.from({ length: Math.min(1000, OFFERS - start) }, (_, offset) => {
        const index = start + offset;
        const language = random.pick(LANGUAGES);
        const [first, second, third] = random.some(WORDS[language], 3, 3);
        const updated = new Date(now - 86_400_000 - Math.floor(random.next() * 500 * 86_400_000));
        return {
          key: `bench-offer-${index}`,
          organizationId: organizationIds[index % organizationIds.length],
          title: `Program ${index}: ${first} and ${second}`,
          summary: `${first}, ${second} and ${third}: how the program works, who it serves and what it achieved.`,
          description: `${third} ${first} ${second} `.repeat(8),
          language,
          themes: random.some(THEMES, 1, 3),
          modalities: random.some(MODALITIES, 1, 3),
          workingLanguages: random.some(LANGUAGES, 1, 2),
          costSharing: random.pick(COST_SHARING),
          evidence: random.next() < 0.3 ? "Impact evaluation with a control group." : null,
          status: "published",
          publishedAt: updated,
          createdAt: updated,
          updatedAt: updated,
          confirmedCurrentAt: updated,
        };
      });
      await prisma.offer.createMany({ data });
    }
    console.log(`[bench] ${OFFERS} offers of ${ORGANIZATIONS} organizations written in ${Math.round(performance.now() - started)} ms`);

    await installJobQueue(services.databaseUrl);
    await applySearchSettings();
    started = performance.now();
    const reindexed = await reindexSearch();
    const indexingMs = Math.round(performance.now() - started);
    console.log(`[bench] full reindex of ${reindexed.offers} offers in ${indexingMs} ms (${reindexed.queuedForCatchUp} queued for catch-up)`);

    const port = await findFreePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    if (!existsSync(path.join(repositoryRoot, "build", "index.js"))) throw new Error("No Remix build: run `npx remix build` first.");
    stopServer = await startServer(port, baseUrl, {
      DATABASE_URL: services.databaseUrl,
      MEILI_URL: services.meiliUrl,
      MEILI_MASTER_KEY: services.meiliMasterKey,
      MEILI_INDEX_PREFIX: services.meiliIndexPrefix,
      PORT: String(port),
      NODE_ENV: "production",
      SEED: "none",
      SESSION_SECRET: randomBytes(32).toString("hex"),
      DATA_DIR: path.join(services.tempDir, "app-data"),
      SLOW_QUERY_MS: "100000",
    });

    console.log(`[bench] app server answering on ${baseUrl}`);
    // Warm-up: first requests compile routes and fill caches.
    for (let index = 0; index < 20; index += 1) {
      const url = `${baseUrl}${searchUrl(random)}`;
      const response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }).catch((error: unknown) => {
        throw new Error(`warm-up request ${url} failed: ${String(error)}`);
      });
      await response.arrayBuffer();
    }

    const single = await load(baseUrl, { json: false, random, clients: 1, seconds: 5 });
    console.log(`[bench] search page (HTML), 1 client, 5 s: ${JSON.stringify(single.latency)} ms, ${single.throughput} req/s`);
    const page = await load(baseUrl, { json: false, random });
    console.log(`[bench] search page (HTML), ${CLIENTS} clients, ${LOAD_SECONDS} s: ${JSON.stringify(page.latency)} ms, ${page.throughput} req/s, errors ${page.errors}`);
    const data = await load(baseUrl, { json: true, random });
    console.log(`[bench] search data (JSON, search-as-you-type), ${CLIENTS} clients, ${LOAD_SECONDS} s: ${JSON.stringify(data.latency)} ms, ${data.throughput} req/s, errors ${data.errors}`);

    const index = getSearchClient().index(indexUid("offers"));
    const lags: number[] = [];
    for (let sample = 0; sample < LAG_SAMPLES; sample += 1) {
      const token = `lagtoken${randomBytes(5).toString("hex")}`;
      await prisma.$transaction(async (tx) => {
        const offer = await tx.offer.create({
          data: {
            key: `bench-lag-${sample}-${token}`,
            organizationId: organizationIds[sample % organizationIds.length],
            title: `Programa ${token}`,
            summary: "Publicada para medir el retraso hasta que se encuentra.",
            language: "es",
            themes: ["entrepreneurship"],
            modalities: ["workshop"],
            workingLanguages: ["es"],
            status: "published",
            publishedAt: new Date(),
          },
          select: { id: true },
        });
        await enqueueSearchSync(tx, { offerIds: [offer.id] });
      });
      const committed = performance.now();
      for (;;) {
        const result = await index.search(token, { limit: 1, attributesToRetrieve: ["id"] });
        if (result.hits.length > 0) break;
        if (performance.now() - committed > 60_000) throw new Error(`offer ${token} not searchable after 60 s`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      lags.push(performance.now() - committed);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const lag = summarize(lags);
    console.log(`[bench] commit-to-searchable lag over ${LAG_SAMPLES} publications: ${JSON.stringify(lag)} ms`);

    const results = {
      date: new Date().toISOString(),
      offers: OFFERS,
      clients: CLIENTS,
      loadSeconds: LOAD_SECONDS,
      reindexMs: indexingMs,
      searchPageHtmlOneClient: single,
      searchPageHtml: page,
      searchPageJson: data,
      commitToSearchableLag: lag,
      loadAverage: (await fs.readFile("/proc/loadavg", "utf8").catch(() => "")).trim(),
    };
    await fs.mkdir(path.join(repositoryRoot, "bench-results"), { recursive: true });
    await fs.writeFile(path.join(repositoryRoot, "bench-results", "search.json"), `${JSON.stringify(results, null, 2)}\n`);
    console.log("");
    console.log(`search page  p50 ${single.latency.p50} ms   p95 ${single.latency.p95} ms   p99 ${single.latency.p99} ms   (1 client, HTML)`);
    console.log(`search page  p50 ${page.latency.p50} ms   p95 ${page.latency.p95} ms   p99 ${page.latency.p99} ms   (${CLIENTS} concurrent clients, HTML)`);
    console.log(`search data  p50 ${data.latency.p50} ms   p95 ${data.latency.p95} ms   p99 ${data.latency.p99} ms   (${CLIENTS} concurrent clients, JSON)`);
    console.log(`commit → searchable  p50 ${lag.p50} ms   p95 ${lag.p95} ms`);
    await disconnectPrisma();
  } finally {
    await stopServer?.();
    await services.stop();
  }
}

async function load(
  baseUrl: string,
  { json, random, clients = CLIENTS, seconds = LOAD_SECONDS }: { json: boolean; random: ReturnType<typeof createRandom>; clients?: number; seconds?: number },
) {
  const latencies: number[] = [];
  let errors = 0;
  const failed = (url: string, reason: string) => {
    errors += 1;
    if (errors <= 5) console.log(`[bench] ${url} failed: ${reason}`);
  };
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  async function client() {
    while (performance.now() < deadline) {
      const url = `${baseUrl}${searchUrl(random)}${json ? "&_data=routes%2Fsearch" : ""}`;
      const requestStarted = performance.now();
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        await response.arrayBuffer();
        if (response.status !== 200) failed(url, `HTTP ${response.status}`);
        else latencies.push(performance.now() - requestStarted);
      } catch (error) {
        failed(url, String(error));
      }
    }
  }
  await Promise.all(Array.from({ length: clients }, () => client()));
  const elapsed = (performance.now() - started) / 1000;
  return { latency: summarize(latencies), throughput: Math.round(latencies.length / elapsed), errors };
}

async function startServer(port: number, baseUrl: string, env: Record<string, string>): Promise<() => Promise<void>> {
  const child = spawn(process.execPath, ["--import", "tsx", "app/cli/server.ts"], {
    cwd: repositoryRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString("utf8"));
    if (output.length > 50) output.shift();
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ok = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) })
      .then((response) => response.status === 200)
      .catch(() => false);
    if (ok) return stop;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`The app server did not start on ${baseUrl}:\n${output.join("")}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
