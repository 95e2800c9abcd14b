// The quality gate of issue 6: `npm run eval:matching` on the development set, against the test
// run's PostgreSQL and Meilisearch (it makes its own scratch database and indexes there and
// removes them), must print nDCG@5 >= 0.80 for the matcher and at least 0.10 above the baseline.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import { z } from "zod";
import { getPrisma } from "~/utils/db.server";
import { getSearchClient } from "~search/client.server";

const exec = promisify(execFile);

const metrics = z.strictObject({ ndcg5: z.number(), recall10: z.number(), precision1: z.number() });
const reportSchema = z.object({
  requests: z.object({ judged: z.number(), crossLingual: z.number(), withoutGoodOffer: z.number() }),
  matcher: z.object({ overall: metrics, crossLingual: metrics }),
  baseline: z.object({ overall: metrics, crossLingual: metrics }),
});

async function evaluationLeftovers() {
  const databases = await getPrisma().$queryRaw<Array<{ datname: string }>>`
    SELECT datname FROM pg_database WHERE datname LIKE 'eval_matching_%'`;
  const { results } = await getSearchClient().getIndexes({ limit: 1000 });
  return { databases: databases.length, indexes: results.filter((index) => index.uid.startsWith("eval_")).length };
}

test("on the development set the matcher reaches nDCG@5 >= 0.80, at least 0.10 above the title-search baseline, and cleans up", async () => {
  const before = await evaluationLeftovers();

  const { stdout } = await exec(
    process.execPath,
    [
      "--import",
      "tsx",
      "app/cli/eval-matching.ts",
      "--dataset",
      "tests/fixtures/matching/dev-catalogue.json",
      "--judgments",
      "tests/fixtures/matching/dev-judgments.json",
      "--json",
    ],
    { env: process.env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }
  );

  const report = reportSchema.parse(JSON.parse(stdout));
  expect(report.requests.judged).toBeGreaterThanOrEqual(25);
  expect(report.requests.crossLingual).toBeGreaterThanOrEqual(10);
  expect(report.matcher.overall.ndcg5).toBeGreaterThanOrEqual(0.8);
  expect(report.matcher.overall.ndcg5 - report.baseline.overall.ndcg5).toBeGreaterThanOrEqual(0.1);
  expect(report.matcher.crossLingual.ndcg5).toBeGreaterThanOrEqual(0.8);
  expect(report.matcher.overall.recall10).toBeGreaterThan(report.baseline.overall.recall10);
  expect(await evaluationLeftovers()).toEqual(before);
}, 150_000);
