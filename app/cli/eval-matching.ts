/**
 * `npm run eval:matching -- --dataset <file> --judgments <file>`: measures the matcher against
 * graded judgments. Loads the dataset (exchange format) into a scratch database and scratch
 * Meilisearch indexes, runs the full matching, and prints nDCG@5, recall@10 and precision@1 of
 * the matcher and of a baseline (plain Meilisearch search with the request's title), overall
 * and for the cross-lingual requests (app/matching/metrics.ts defines them).
 *
 * Uses DATABASE_URL / MEILI_URL when set (the scratch database is created on that server and
 * dropped afterwards, the scratch indexes deleted), else starts the embedded services.
 * Options:
 *   --now YYYY-MM-DD    the date the matcher reasons about (default today)
 *   --weights <file>    another weights file
 *   --no-exhaustive     retrieve candidates through the channels even for a small catalogue
 *   --verbose           per-request rankings
 *   --json              the figures as JSON on stdout
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import pg from "pg";
import { z } from "zod";
import { resolveUserPath } from "~/cli/command-database";
import { readExchangeFile } from "~/cli/exchange-file";
import { installJobQueue } from "~/jobs/queue.server";
import { loadMatchingConfig, MatchingConfigError, type MatchingConfig } from "~/matching/config";
import { hasRelevant, isCrossLingual, meanMetrics, rankingMetrics, type RankingMetrics } from "~/matching/metrics";
import { recomputeAllMatching } from "~/matching/service.server";
import { importCatalogue } from "~/models/exchange.server";
import { listOpenRequestProposals } from "~/models/proposal.server";
import { findSearchableOfferIds } from "~/models/search-documents.server";
import { disconnectPrisma, getPrisma } from "~/utils/db.server";
import { EnvError, getEnv, resetEnvCache } from "~/utils/env.server";
import { applyMigrations } from "~/utils/migrate.server";
import { ensureServices } from "~/utils/services.server";
import { getSearchClient, indexUid } from "~search/client.server";
import { applyIndexSettings } from "~search/settings";
import { syncSearchChanges } from "~search/sync.server";

const USAGE =
  "usage: npm run eval:matching -- --dataset <file> --judgments <file> [--now YYYY-MM-DD] [--weights <file>] [--no-exhaustive] [--verbose] [--json]";

const judgmentsSchema = z.object({
  judgments: z.array(
    z.object({
      request: z.string().min(1),
      offer: z.string().min(1),
      grade: z.number().int().min(0).max(3),
    })
  ),
});

const optionsSchema = z.object({
  dataset: z.string().min(1, "is required"),
  judgments: z.string().min(1, "is required"),
  now: z.iso.date().optional(),
  weights: z.string().min(1).optional(),
  "no-exhaustive": z.boolean().default(false),
  verbose: z.boolean().default(false),
  json: z.boolean().default(false),
});
type Options = z.infer<typeof optionsSchema>;

function parseOptions(args: string[]): Options | string {
  try {
    const { values } = parseArgs({
      args,
      options: {
        dataset: { type: "string" },
        judgments: { type: "string" },
        now: { type: "string" },
        weights: { type: "string" },
        "no-exhaustive": { type: "boolean" },
        verbose: { type: "boolean" },
        json: { type: "boolean" },
      },
      strict: true,
    });
    const parsed = optionsSchema.safeParse({ dataset: "", judgments: "", ...values });
    if (!parsed.success) return parsed.error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`).join("\n");
    return parsed.data;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

type Ranking = { request: string; language: string; ranked: string[]; topScore: number | null };

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function main(args: string[]): Promise<number> {
  const options = parseOptions(args);
  if (typeof options === "string") {
    console.error(options);
    console.error(USAGE);
    return 1;
  }
  const log = (line: string) => console.error(`[eval] ${line}`);
  const baseConfig = loadMatchingConfig(options.weights ? { file: resolveUserPath(options.weights) } : {});
  const config: MatchingConfig = options["no-exhaustive"]
    ? { ...baseConfig, retrieval: { ...baseConfig.retrieval, exhaustiveBelowOffers: 0 } }
    : baseConfig;
  const now = options.now ? new Date(`${options.now}T12:00:00Z`) : new Date();

  const dataset = await readExchangeFile(resolveUserPath(options.dataset));
  if (!dataset.ok) {
    for (const error of dataset.errors) console.error(error);
    return 1;
  }
  const judgmentsParsed = judgmentsSchema.safeParse(JSON.parse(await readFile(resolveUserPath(options.judgments), "utf8")));
  if (!judgmentsParsed.success) {
    for (const issue of judgmentsParsed.error.issues) console.error(`judgments: ${issue.path.join(".")}: ${issue.message}`);
    return 1;
  }
  const grades = new Map<string, Map<string, number>>();
  for (const judgment of judgmentsParsed.data.judgments) {
    const byOffer = grades.get(judgment.request) ?? new Map<string, number>();
    byOffer.set(judgment.offer, judgment.grade);
    grades.set(judgment.request, byOffer);
  }

  const services = await ensureServices();
  const serverUrl = new URL(services.databaseUrl);
  const adminUrl = new URL(serverUrl);
  adminUrl.pathname = "/postgres";
  const scratchName = `eval_matching_${randomBytes(5).toString("hex")}`;
  const scratchUrl = new URL(serverUrl);
  scratchUrl.pathname = `/${scratchName}`;
  const indexPrefix = `eval_${randomBytes(4).toString("hex")}_`;
  const originalEnv = { DATABASE_URL: process.env.DATABASE_URL, MEILI_INDEX_PREFIX: process.env.MEILI_INDEX_PREFIX };
  let created = false;

  try {
    await withAdmin(adminUrl.toString(), (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(scratchName)}`));
    created = true;
    await applyMigrations({ databaseUrl: scratchUrl.toString(), log: () => {} });
    await installJobQueue(scratchUrl.toString());
    await disconnectPrisma();
    process.env.DATABASE_URL = scratchUrl.toString();
    process.env.MEILI_INDEX_PREFIX = indexPrefix;
    resetEnvCache();
    log(`scratch database ${scratchName}, index prefix ${indexPrefix}`);

    const imported = await importCatalogue({ file: dataset.value });
    if (!imported.ok) {
      for (const error of imported.errors) console.error(error);
      return 1;
    }
    const client = getSearchClient();
    await applyIndexSettings(client, indexUid("offers"), "offers");
    await applyIndexSettings(client, indexUid("requests"), "requests");
    const offerRows = await getPrisma().offer.findMany({ select: { id: true, key: true, language: true } });
    const published = await findSearchableOfferIds({ ids: offerRows.map((row) => row.id) });
    await syncSearchChanges({ offerIds: [...published] });
    const offerLanguage = new Map(offerRows.map((row) => [row.key, row.language]));
    const offerKeyById = new Map(offerRows.map((row) => [row.id, row.key]));
    log(
      `${imported.counts.offers.created} offers and ${imported.counts.requests.created} requests loaded; ${published.size} offers indexed`
    );

    const started = performance.now();
    const summary = await recomputeAllMatching({ config, now, log });
    log(`matcher ran in ${Math.round(performance.now() - started)} ms (search ${summary.search}; ${summary.proposals} proposals)`);

    const requestRows = await getPrisma().request.findMany({
      where: { status: "open" },
      select: { key: true, title: true, language: true },
    });
    const requestByKey = new Map(requestRows.map((row) => [row.key, row]));
    const matcher: Ranking[] = (await listOpenRequestProposals()).map((entry) => ({
      request: entry.request,
      language: requestByKey.get(entry.request)?.language ?? "",
      ranked: entry.proposals.map((proposal) => proposal.offer),
      topScore: entry.proposals[0]?.score ?? null,
    }));
    const baseline: Ranking[] = [];
    for (const request of requestRows) {
      const response = await client.index(indexUid("offers")).search(request.title, { limit: 10, attributesToRetrieve: ["id"] });
      baseline.push({
        request: request.key,
        language: request.language,
        ranked: response.hits.flatMap((hit) => {
          const key = typeof hit.id === "string" ? offerKeyById.get(hit.id) : undefined;
          return key ? [key] : [];
        }),
        topScore: null,
      });
    }

    const report = evaluate({ matcher, baseline, grades, offerLanguage });
    if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else printReport(report);
    if (options.verbose) printRankings(matcher, baseline, grades);
    return 0;
  } finally {
    await disconnectPrisma();
    process.env.DATABASE_URL = originalEnv.DATABASE_URL ?? services.databaseUrl;
    if (originalEnv.MEILI_INDEX_PREFIX === undefined) delete process.env.MEILI_INDEX_PREFIX;
    else process.env.MEILI_INDEX_PREFIX = originalEnv.MEILI_INDEX_PREFIX;
    resetEnvCache();
    await deleteScratchIndexes(indexPrefix).catch((error: unknown) => log(`could not delete the scratch indexes: ${String(error)}`));
    if (created) {
      await withAdmin(adminUrl.toString(), (client) =>
        client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(scratchName)} WITH (FORCE)`)
      ).catch((error: unknown) => log(`could not drop ${scratchName}: ${String(error)}`));
    }
    await services.stop();
  }
}

async function deleteScratchIndexes(prefix: string): Promise<void> {
  if (!getEnv().MEILI_URL) return;
  const client = getSearchClient();
  const { results } = await client.getIndexes({ limit: 1000 });
  for (const index of results) if (index.uid.startsWith(prefix)) await client.deleteIndex(index.uid);
}

type Report = {
  requests: { judged: number; crossLingual: number; withoutGoodOffer: number };
  matcher: { overall: RankingMetrics; crossLingual: RankingMetrics };
  baseline: { overall: RankingMetrics; crossLingual: RankingMetrics };
  withoutGoodOffer: { requests: string[]; matcherProposed: number; meanTopScore: number | null; meanTopScoreElsewhere: number | null };
};

function evaluate({
  matcher,
  baseline,
  grades,
  offerLanguage,
}: {
  matcher: Ranking[];
  baseline: Ranking[];
  grades: Map<string, Map<string, number>>;
  offerLanguage: Map<string, string>;
}): Report {
  const judged = matcher.filter((ranking) => hasRelevant(grades.get(ranking.request)));
  const crossLingual = new Set(
    judged
      .filter((ranking) => isCrossLingual(ranking.language, grades.get(ranking.request) ?? new Map(), (key) => offerLanguage.get(key)))
      .map((ranking) => ranking.request)
  );
  const metricsOf = (rankings: Ranking[], only?: Set<string>) =>
    meanMetrics(
      rankings
        .filter((ranking) => hasRelevant(grades.get(ranking.request)) && (!only || only.has(ranking.request)))
        .map((ranking) => rankingMetrics(ranking.ranked, grades.get(ranking.request) ?? new Map()))
    );
  const without = matcher.filter((ranking) => !hasRelevant(grades.get(ranking.request)));
  const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length);
  return {
    requests: { judged: judged.length, crossLingual: crossLingual.size, withoutGoodOffer: without.length },
    matcher: { overall: metricsOf(matcher), crossLingual: metricsOf(matcher, crossLingual) },
    baseline: { overall: metricsOf(baseline), crossLingual: metricsOf(baseline, crossLingual) },
    withoutGoodOffer: {
      requests: without.map((ranking) => ranking.request),
      matcherProposed: without.filter((ranking) => ranking.ranked.length > 0).length,
      meanTopScore: mean(without.flatMap((ranking) => (ranking.topScore === null ? [] : [ranking.topScore]))),
      meanTopScoreElsewhere: mean(judged.flatMap((ranking) => (ranking.topScore === null ? [] : [ranking.topScore]))),
    },
  };
}

function printReport(report: Report) {
  const f = (value: number) => value.toFixed(3);
  const row = (label: string, metrics: RankingMetrics) =>
    `${label.padEnd(28)} ${f(metrics.ndcg5).padStart(7)} ${f(metrics.recall10).padStart(10)} ${f(metrics.precision1).padStart(8)}`;
  console.log(
    `${report.requests.judged} requests with judged offers (${report.requests.crossLingual} cross-lingual), ${report.requests.withoutGoodOffer} without any good offer`
  );
  console.log(`${"".padEnd(28)} ${"nDCG@5".padStart(7)} ${"recall@10".padStart(10)} ${"P@1".padStart(8)}`);
  console.log(row("matcher, overall", report.matcher.overall));
  console.log(row("baseline, overall", report.baseline.overall));
  console.log(row("matcher, cross-lingual", report.matcher.crossLingual));
  console.log(row("baseline, cross-lingual", report.baseline.crossLingual));
  const gain = report.matcher.overall.ndcg5 - report.baseline.overall.ndcg5;
  console.log(`nDCG@5 gain over the baseline: ${gain >= 0 ? "+" : ""}${gain.toFixed(3)}`);
  const without = report.withoutGoodOffer;
  if (without.requests.length > 0) {
    const score = (value: number | null) => (value === null ? "-" : value.toFixed(1));
    console.log(
      `requests without a good offer: ${without.requests.length}; the matcher proposed something for ${without.matcherProposed}, ` +
        `best score ${score(without.meanTopScore)} on average (vs ${score(without.meanTopScoreElsewhere)} for the others)`
    );
  }
}

function printRankings(matcher: Ranking[], baseline: Ranking[], grades: Map<string, Map<string, number>>) {
  const baselineByRequest = new Map(baseline.map((ranking) => [ranking.request, ranking.ranked]));
  for (const ranking of matcher) {
    const judged = grades.get(ranking.request) ?? new Map<string, number>();
    const show = (keys: string[]) =>
      keys
        .slice(0, 5)
        .map((key) => `${key}(${judged.get(key) ?? 0})`)
        .join(", ");
    console.log(`\n${ranking.request} [${ranking.language}]`);
    console.log(`  matcher : ${show(ranking.ranked)}`);
    console.log(`  baseline: ${show(baselineByRequest.get(ranking.request) ?? [])}`);
    const missing = [...judged]
      .filter(([key, grade]) => grade > 0 && !ranking.ranked.slice(0, 10).includes(key))
      .map(([key, grade]) => `${key}(${grade})`);
    if (missing.length > 0) console.log(`  missed  : ${missing.join(", ")}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof MatchingConfigError || error instanceof EnvError ? error.message : error);
    process.exit(1);
  }
);
