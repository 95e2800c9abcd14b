/**
 * Import benchmark: a 20,000-record exchange file (1,000 organizations, 12,000 offers, 7,000
 * requests) imported into an empty database, then imported again (every record unchanged),
 * then exported. Prints the time of each step and the peak memory of the process.
 *
 *   npx tsx tests/bench/import.bench.ts            # a throwaway embedded PostgreSQL
 *   BENCH_DATABASE_URL=postgres://... npx tsx ...  # an empty, migrated database of yours
 *
 * Run with tsx, not vitest: it measures one real run of the import, as the CLI does it.
 */
import { mkdtemp, rm, chmod, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { readExchangeFile, serializeExchangeFile } from "~/cli/exchange-file";
import { PrismaClient } from "~/generated/prisma/client";
import { exportCatalogue, importCatalogue } from "~/models/exchange.server";
import type { ExchangeFile, ExchangeOffer, ExchangeOrganization, ExchangeRequest } from "~/schemas/exchange";
import {
  COST_SHARING_CODES,
  LANGUAGE_CODES,
  MODALITY_CODES,
  ORGANIZATION_TYPE_CODES,
  THEME_CODES,
} from "~/schemas/vocabulary";
import { startEmbeddedPostgres } from "~/utils/embedded-postgres.server";
import { applyMigrations } from "~/utils/migrate.server";

const ORGANIZATIONS = 1_000;
const OFFERS = 12_000;
const REQUESTS = 7_000;
const TIME_LIMIT_MS = 60_000;

const COUNTRIES = ["AR", "BO", "BR", "CL", "CO", "CR", "DO", "EC", "GT", "HN", "JM", "MX", "PA", "PE", "PY", "SV", "TT", "US", "UY", "CA"];

// A fixed-seed generator: every run imports the same file.
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  return {
    pick<T>(items: readonly T[]): T {
      return items[Math.floor(next() * items.length)];
    },
    some<T>(items: readonly T[], min: number, max: number): T[] {
      const count = min + Math.floor(next() * (max - min + 1));
      const chosen = new Set<T>();
      while (chosen.size < count) chosen.add(items[Math.floor(next() * items.length)]);
      return [...chosen];
    },
    integer(min: number, max: number): number {
      return min + Math.floor(next() * (max - min + 1));
    },
  };
}

const PARAGRAPH =
  "The program combines diagnosis, coaching and access to finance for micro and small enterprises, " +
  "delivered through a network of centers run with universities and local governments. ";

function generateCatalogue(): ExchangeFile {
  const random = createRandom(2026);
  const organizations: ExchangeOrganization[] = Array.from({ length: ORGANIZATIONS }, (_, index) => ({
    key: `bench-org-${String(index).padStart(4, "0")}`,
    name: `Bench Agency ${index}`,
    country: random.pick(COUNTRIES),
    type: random.pick(ORGANIZATION_TYPE_CODES),
    ...(index % 3 === 0 ? {} : { website: `https://agency-${index}.example.org` }),
  }));
  const offers: ExchangeOffer[] = Array.from({ length: OFFERS }, (_, index) => ({
    key: `bench-offer-${String(index).padStart(5, "0")}`,
    organization: organizations[index % ORGANIZATIONS].key,
    title: `Program ${index} for small business development`,
    summary: PARAGRAPH,
    description: PARAGRAPH.repeat(4),
    language: random.pick(LANGUAGE_CODES),
    themes: random.some(THEME_CODES, 1, 3),
    modalities: random.some(MODALITY_CODES, 1, 4),
    workingLanguages: random.some(LANGUAGE_CODES, 1, 2),
    ...(index % 2 === 0 ? { targetPopulation: "Micro and small enterprises", evidence: "Evaluated in 2024: 12 % more sales." } : {}),
    capacityPerYear: random.integer(1, 5),
    costSharing: random.pick(COST_SHARING_CODES),
    status: index % 10 === 0 ? "draft" : "published",
  }));
  const requests: ExchangeRequest[] = Array.from({ length: REQUESTS }, (_, index) => ({
    key: `bench-request-${String(index).padStart(5, "0")}`,
    organization: organizations[(index * 7) % ORGANIZATIONS].key,
    title: `Technical assistance need ${index}`,
    summary: PARAGRAPH,
    description: PARAGRAPH.repeat(2),
    language: random.pick(LANGUAGE_CODES),
    themes: random.some(THEME_CODES, 1, 3),
    modalities: index % 4 === 0 ? [] : random.some(MODALITY_CODES, 1, 3),
    workingLanguages: random.some(LANGUAGE_CODES, 1, 2),
    ...(index % 2 === 0 ? { desiredStart: "2027-03-01", desiredEnd: "2027-12-31" } : {}),
    status: index % 10 === 0 ? "closed" : "open",
  }));
  return { format: "cooperation-exchange/1", organizations, offers, requests };
}

// Generated and written in a function of its own, so the records can be collected before the
// import is measured.
async function writeGeneratedCatalogue(file: string): Promise<{ records: number; bytes: number }> {
  const catalogue = generateCatalogue();
  const text = serializeExchangeFile(catalogue);
  await writeFile(file, text);
  return {
    records: catalogue.organizations.length + catalogue.offers.length + catalogue.requests.length,
    bytes: Buffer.byteLength(text),
  };
}

function changeEveryTitle(file: unknown): number {
  let changed = 0;
  if (typeof file !== "object" || file === null) return changed;
  for (const section of ["offers", "requests"] as const) {
    const records: unknown = Reflect.get(file, section);
    if (!Array.isArray(records)) continue;
    for (const record of records) {
      if (typeof record === "object" && record !== null && "title" in record) {
        Reflect.set(record, "title", `${String(record.title)} (revised)`);
        changed += 1;
      }
    }
  }
  return changed;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(0)} MB`;
}

// The highest RSS seen since the last reset, sampled every 20 ms.
const rss = { peak: 0, stepPeak: 0 };
function sampleRss() {
  const current = process.memoryUsage().rss;
  rss.peak = Math.max(rss.peak, current);
  rss.stepPeak = Math.max(rss.stepPeak, current);
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  rss.stepPeak = process.memoryUsage().rss;
  const startRss = rss.stepPeak;
  const started = performance.now();
  const value = await work();
  const ms = performance.now() - started;
  sampleRss();
  console.log(
    `${label.padEnd(40)} ${(ms / 1000).toFixed(2).padStart(7)} s   RSS ${megabytes(startRss).padStart(7)} -> peak ${megabytes(rss.stepPeak).padStart(7)}`,
  );
  return { value, ms };
}

async function main() {
  const tempDir = await mkdtemp(path.join(os.tmpdir(), "enlace-bench-"));
  // PostgreSQL runs as the `postgres` user when we are root and must reach its data directory.
  await chmod(tempDir, 0o755);
  const sampler = setInterval(sampleRss, 20);

  let stopDatabase = async () => {};
  let prisma: PrismaClient | undefined;
  try {
    let databaseUrl = process.env.BENCH_DATABASE_URL;
    if (!databaseUrl) {
      const postgres = await startEmbeddedPostgres({ dataDir: path.join(tempDir, "postgres"), port: await freePort(), databaseName: "bench" });
      stopDatabase = postgres.stop;
      databaseUrl = postgres.url;
      await applyMigrations({ databaseUrl, migrationsDir: path.resolve("prisma/migrations") });
    }
    prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
    const client = prisma;

    const file = path.join(tempDir, "catalogue.json");
    const { records, bytes } = await writeGeneratedCatalogue(file);
    console.log(
      `${records.toLocaleString("en-US")} records (${ORGANIZATIONS} organizations, ${OFFERS} offers, ${REQUESTS} requests), ` +
        `file of ${megabytes(bytes)}`,
    );
    const rssBefore = process.memoryUsage().rss;

    const read = await timed("read and parse the file", () => readExchangeFile(file));
    if (!read.value.ok) throw new Error(read.value.errors.join("\n"));
    const parsed = read.value.value;
    const first = await timed("import into an empty database", () => importCatalogue({ file: parsed, prisma: client }));
    if (!first.value.ok) throw new Error(first.value.errors.slice(0, 20).join("\n"));
    const second = await timed("import again (all unchanged)", () => importCatalogue({ file: parsed, prisma: client }));
    if (!second.value.ok) throw new Error(second.value.errors.slice(0, 20).join("\n"));
    const edited = await readExchangeFile(file);
    if (!edited.ok) throw new Error(edited.errors.join("\n"));
    const changed = changeEveryTitle(edited.value);
    const third = await timed(`import with ${changed.toLocaleString("en-US")} titles changed`, () =>
      importCatalogue({ file: edited.value, prisma: client }),
    );
    if (!third.value.ok) throw new Error(third.value.errors.slice(0, 20).join("\n"));
    const exported = await timed("export", () => exportCatalogue({ prisma: client }));

    clearInterval(sampler);
    sampleRss();
    const maxRssKb = process.resourceUsage().maxRSS;
    const total = read.ms + first.ms;
    console.log(`created: ${JSON.stringify(first.value.counts)}`);
    console.log(`second run: ${JSON.stringify(second.value.counts)}`);
    console.log(`third run: ${JSON.stringify(third.value.counts)}`);
    console.log(`exported ${exported.value.offers.length} offers, ${exported.value.requests.length} requests`);
    console.log(`read + first import: ${(total / 1000).toFixed(2)} s (limit ${TIME_LIMIT_MS / 1000} s)`);
    console.log(
      `memory: RSS before reading ${megabytes(rssBefore)}, sampled peak ${megabytes(rss.peak)}, ` +
        `maxRSS (getrusage) ${megabytes(maxRssKb * 1024)}`,
    );
    if (total > TIME_LIMIT_MS) process.exitCode = 1;
  } finally {
    clearInterval(sampler);
    await prisma?.$disconnect();
    await stopDatabase();
    await rm(tempDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
