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
import { startEmbeddedPostgres } from "~/utils/embedded-postgres.server";
import { applyMigrations } from "~/utils/migrate.server";
import { installJobQueue } from "~/jobs/queue.server";
import { generateCatalogue } from "./catalogue-generator";

const ORGANIZATIONS = 1_000;
const OFFERS = 12_000;
const REQUESTS = 7_000;
const TIME_LIMIT_MS = 60_000;

// Generated and written in a function of its own, so the records can be collected before the
// import is measured.
async function writeGeneratedCatalogue(file: string): Promise<{ records: number; bytes: number }> {
  const catalogue = generateCatalogue({ organizations: ORGANIZATIONS, offers: OFFERS, requests: REQUESTS });
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
    // Imports queue search and matching jobs in their transaction, as in the app.
    await installJobQueue(databaseUrl);
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
