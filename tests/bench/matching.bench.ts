/**
 * `npm run bench:matching`: the matching at catalogue scale, on fresh PostgreSQL and Meilisearch
 * servers (or TEST_DATABASE_URL / TEST_MEILI_URL), with a generated catalogue:
 *   - full recomputation (`npm run match`, in a child process): wall time and peak memory
 *   - proposing for one newly published request (the job's work): p50 / p95 / max over 100,
 *     after 5 uncounted warm-up calls and once the database has absorbed the full run's writes
 *   - the re-balancing of recommendations over the stored proposals (the job after a burst)
 * Options: --requests <n> (default 10000), --offers <n> (default 50000), --samples <n> (100),
 * --no-index (skip putting the offers in Meilisearch; the single-request timing then has no
 * search channel), --no-full (skip the full recomputation), --query-words 10,6 (time one request
 * with each value of retrieval.searchQueryWords, samples interleaved so that the machine's drift
 * falls on every variant alike).
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import os from "node:os";
import { parseArgs, promisify } from "node:util";
import { installJobQueue } from "~/jobs/queue.server";
import { loadMatchingConfig } from "~/matching/config";
import { proposeForRequests, rebalanceRecommendations } from "~/matching/service.server";
import { LANGUAGE_CODES, THEME_CODES, THEME_LABELS, type ThemeCode } from "~/schemas/vocabulary";
import { disconnectPrisma, getPrisma } from "~/utils/db.server";
import { resetEnvCache } from "~/utils/env.server";
import { getSearchClient, indexUid } from "~search/client.server";
import { applyIndexSettings } from "~search/settings";
import { syncSearchChanges } from "~search/sync.server";
import { loadThesaurus } from "~search/synonyms";
import { startTestServices } from "../setup/services";
import { zipfSampler } from "./zipf";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "10000" },
    offers: { type: "string", default: "50000" },
    samples: { type: "string", default: "100" },
    "no-index": { type: "boolean", default: false },
    "no-full": { type: "boolean", default: false },
    "query-words": { type: "string" },
  },
});
const REQUESTS = Number.parseInt(values.requests, 10);
const OFFERS = Number.parseInt(values.offers, 10);
const SAMPLES = Number.parseInt(values.samples, 10);
const WARM_UP_SAMPLES = 5;

// ---------------------------------------------------------------------------------------
// A generated catalogue: texts made of the theme's own vocabulary (thesaurus terms, labels)
// and filler words with a Zipf distribution, so that texts share common words as real ones do.

let seed = 20261123;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
function pick<T>(list: readonly T[]): T {
  return list[Math.floor(random() * list.length)];
}

const COUNTRIES = ["AR", "BO", "BR", "CL", "CO", "CR", "DO", "EC", "GT", "HN", "JM", "MX", "PA", "PE", "PY", "SV", "TT", "UY", "BB", "GY", "BZ", "HT", "NI", "SR", "LC", "GD", "DM", "KN", "AG", "VC"];
const CONTENT_LANGUAGES = ["es", "es", "es", "pt", "en"] as const;
const FILLER = Array.from({ length: 4_000 }, (_, index) => `w${index.toString(36)}${["cion", "idad", "miento", "ario", "ante", "ismo"][index % 6]}`);
const fillerRank = zipfSampler(FILLER.length, random);
const zipf = () => FILLER[fillerRank()];
const FUNCTION_WORDS: Record<string, string[]> = {
  es: ["de", "la", "el", "en", "y", "para", "los", "las", "con", "del"],
  pt: ["de", "da", "do", "em", "e", "para", "os", "as", "com", "dos"],
  en: ["the", "of", "and", "to", "in", "for", "with", "on", "a", "by"],
};
const themeTerms = (() => {
  const terms = new Map<ThemeCode, Record<string, string[]>>();
  for (const theme of THEME_CODES) terms.set(theme, Object.fromEntries(LANGUAGE_CODES.map((language) => [language, [THEME_LABELS[theme][language]]])));
  for (const group of loadThesaurus().groups) {
    if (!group.theme) continue;
    const byLanguage = terms.get(group.theme);
    if (byLanguage) for (const language of LANGUAGE_CODES) byLanguage[language].push(...group[language]);
  }
  return terms;
})();

function text(language: string, themes: ThemeCode[], words: number): string {
  const parts: string[] = [];
  while (parts.length < words) {
    const roll = random();
    if (roll < 0.15) parts.push(pick(themeTerms.get(pick(themes))?.[language] ?? ["desarrollo"]));
    else if (roll < 0.45) parts.push(pick(FUNCTION_WORDS[language]));
    else parts.push(zipf());
  }
  return parts.join(" ");
}

function themes(): ThemeCode[] {
  const count = 1 + Math.floor(random() * 3);
  return [...new Set(Array.from({ length: count }, () => THEME_CODES[Math.floor(THEME_CODES.length * random() ** 1.5)]))];
}

function languages(primary: string): string[] {
  return [...new Set([primary, ...(random() < 0.5 ? ["es"] : []), ...(random() < 0.3 ? ["en"] : [])])];
}

async function generate(): Promise<void> {
  const prisma = getPrisma();
  const organizations = Array.from({ length: 300 }, (_, index) => ({
    id: randomUUID(),
    key: `bench-org-${index}`,
    name: `Bench agency ${index}`,
    countryCode: pick(COUNTRIES),
    type: "agency",
    verificationStatus: "verified" as const,
  }));
  await prisma.organization.createMany({ data: organizations });
  const now = new Date();
  for (let start = 0; start < OFFERS; start += 2_000) {
    await prisma.offer.createMany({
      data: Array.from({ length: Math.min(2_000, OFFERS - start) }, (_, index) => {
        const language = pick(CONTENT_LANGUAGES);
        const offerThemes = themes();
        return {
          key: `bench-offer-${start + index}`,
          organizationId: pick(organizations).id,
          title: text(language, offerThemes, 9),
          summary: text(language, offerThemes, 40),
          description: text(language, offerThemes, 110),
          language,
          themes: offerThemes,
          modalities: ["study-visit", "documentation"],
          workingLanguages: languages(language),
          evidence: random() < 0.3 ? "Evaluación de impacto con grupo de control." : null,
          capacityPerYear: 1 + Math.floor(random() * 4),
          status: "published",
          publishedAt: now,
        };
      }),
    });
  }
  for (let start = 0; start < REQUESTS; start += 2_000) {
    await prisma.request.createMany({ data: Array.from({ length: Math.min(2_000, REQUESTS - start) }, (_, index) => newRequest(`bench-request-${start + index}`, organizations)) });
  }
}

function newRequest(key: string, organizations: ReadonlyArray<{ id: string }>) {
  const language = pick(CONTENT_LANGUAGES);
  const requestThemes = themes();
  return {
    key,
    organizationId: pick(organizations).id,
    title: text(language, requestThemes, 8),
    summary: text(language, requestThemes, 35),
    description: text(language, requestThemes, 60),
    language,
    themes: requestThemes,
    modalities: [],
    workingLanguages: languages(language),
    status: "open",
    publishedAt: new Date(),
  };
}

async function indexOffers(): Promise<void> {
  await applyIndexSettings(getSearchClient(), indexUid("offers"), "offers");
  const ids = (await getPrisma().offer.findMany({ select: { id: true } })).map((row) => row.id);
  for (let start = 0; start < ids.length; start += 5_000) {
    await syncSearchChanges({ offerIds: ids.slice(start, start + 5_000) });
  }
}

function percentile(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

const exec = promisify(execFile);

// Two cores shared with whatever else runs: the load says how far wall times can be trusted.
function loadAverage(): string {
  return os
    .loadavg()
    .map((load) => load.toFixed(1))
    .join(" ");
}

async function main() {
  const log = (line: string) => console.log(`[bench] ${line}`);
  log(`${REQUESTS} open requests x ${OFFERS} published offers`);
  const services = await startTestServices({ databaseName: "enlace_bench" });
  try {
    Object.assign(process.env, {
      DATABASE_URL: services.databaseUrl,
      MEILI_URL: services.meiliUrl,
      MEILI_MASTER_KEY: services.meiliMasterKey,
      MEILI_INDEX_PREFIX: services.meiliIndexPrefix,
      // Bulk inserts of the generated catalogue are slow by design: log only what would matter.
      SLOW_QUERY_MS: "1000",
    });
    resetEnvCache();
    await installJobQueue(services.databaseUrl);

    let started = performance.now();
    await generate();
    log(`catalogue generated and stored in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    // Freshly bulk-inserted tables have no visibility map or statistics yet; autovacuum gives a
    // running site both within minutes (index-only scans such as the theme pool's depend on them).
    started = performance.now();
    await getPrisma().$executeRawUnsafe("VACUUM ANALYZE");
    log(`VACUUM ANALYZE in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    if (!values["no-index"]) {
      started = performance.now();
      await indexOffers();
      log(`offers indexed in Meilisearch in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }

    if (!values["no-full"]) {
      // The real command, in a process of its own so that its peak memory is its own.
      started = performance.now();
      const { stderr } = await exec(process.execPath, ["--import", "tsx", "app/cli/match.ts"], {
        env: process.env,
        maxBuffer: 64 * 1024 * 1024,
        timeout: 30 * 60_000,
      }).catch((error: unknown) => {
        throw new Error(`npm run match failed: ${String(error)}`);
      });
      const fullSeconds = (performance.now() - started) / 1000;
      console.log(stderr.trim());
      const peak = /peak memory (\d+) MB/.exec(stderr)?.[1] ?? "?";
      const cpu = /\(cpu ([\d.]+) s\)/.exec(stderr)?.[1] ?? "?";
      log(
        `full recomputation (npm run match, its own process): ${fullSeconds.toFixed(1)} s wall time, ${cpu} s of its own CPU, ` +
          `peak memory ${peak} MB (load average ${loadAverage()})`,
      );
    }

    // The full run wrote a hundred thousand proposals: autovacuum and a checkpoint would follow
    // within the minute and land on the samples. A running site is past that point.
    started = performance.now();
    await getPrisma().$executeRawUnsafe("VACUUM ANALYZE");
    await getPrisma().$executeRawUnsafe("CHECKPOINT");
    log(`VACUUM ANALYZE and CHECKPOINT after the full run in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    // One newly published request at a time, as the job sees it.
    const organizations = await getPrisma().organization.findMany({ select: { id: true } });
    const baseConfig = loadMatchingConfig();
    const wordCounts = values["query-words"] ? values["query-words"].split(",").map((value) => Number.parseInt(value, 10)) : [baseConfig.retrieval.searchQueryWords];
    const variants = wordCounts.map((words) => ({
      words,
      config: { ...baseConfig, retrieval: { ...baseConfig.retrieval, searchQueryWords: words } },
      timings: [] as number[],
      stageTimings: new Map<string, number[]>(),
    }));
    // A worker has run before the request it matches: the first few calls compile the code
    // paths and are not counted (WARM_UP_SAMPLES, each variant alike).
    for (let sample = -WARM_UP_SAMPLES; sample < SAMPLES; sample += 1) {
      for (const variant of variants) {
        const created = await getPrisma().request.create({ data: newRequest(sample < 0 ? `bench-warm-${variant.words}-${-sample}` : `bench-new-${variant.words}-${sample}`, organizations), select: { id: true } });
        const counted = sample >= 0;
        const onStage = (stage: string, ms: number) => {
          if (counted) variant.stageTimings.set(stage, [...(variant.stageTimings.get(stage) ?? []), ms]);
        };
        const begin = performance.now();
        await proposeForRequests({ requestIds: [created.id], config: variant.config, onStage });
        if (counted) variant.timings.push(performance.now() - begin);
      }
    }
    for (const { words, timings, stageTimings } of variants) {
      timings.sort((a, b) => a - b);
      const stageFigures = [...stageTimings].map(([stage, values]) => {
        const sorted = [...values].sort((a, b) => a - b);
        return `${stage} ${percentile(sorted, 0.5).toFixed(0)}/${percentile(sorted, 0.95).toFixed(0)}`;
      });
      const label = variants.length > 1 ? ` [searchQueryWords ${words}]` : "";
      log(`  stages of one request${label} (p50/p95 ms): ${stageFigures.join(", ")}`);
      log(
        `propose for one newly published request${label} (${SAMPLES} samples): p50 ${percentile(timings, 0.5).toFixed(0)} ms, ` +
          `p95 ${percentile(timings, 0.95).toFixed(0)} ms, max ${timings[timings.length - 1].toFixed(0)} ms (load average ${loadAverage()})`,
      );
    }

    started = performance.now();
    const changed = await rebalanceRecommendations();
    log(`re-balancing all recommendations over the stored proposals: ${((performance.now() - started) / 1000).toFixed(1)} s (${changed} flags changed)`);
  } finally {
    await disconnectPrisma();
    await services.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
