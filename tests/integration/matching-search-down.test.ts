// When Meilisearch is down, matching goes on with its theme channel, records that it did, and
// the job asks to be run again later instead of failing. The search client of this test file
// points at a port nothing listens on (each test file has its own module instances).
import { Logger, run, type Runner } from "graphile-worker";
import pg from "pg";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { createMatchingTasks, enqueueMatching, MATCH_REQUESTS_TASK } from "~/jobs/matching.server";
import { loadMatchingConfig } from "~/matching/config";
import { proposeForRequests, recomputeAllMatching } from "~/matching/service.server";
import { getPrisma } from "~/utils/db.server";
import { resetEnvCache } from "~/utils/env.server";
import {
  clearJobQueue,
  idOf,
  importRecords,
  offer,
  organization,
  proposalsOf,
  request,
  useMatchingDatabase,
  type MatchingDatabase,
} from "./matching-setup";

let database: MatchingDatabase;
let previousMeiliUrl: string | undefined;
const now = new Date("2026-11-23T12:00:00Z");
const baseConfig = loadMatchingConfig();
// Retrieval through the channels, as for a large catalogue, with a short wait for the engine.
const config = { ...baseConfig, retrieval: { ...baseConfig.retrieval, exhaustiveBelowOffers: 0, searchTimeoutMs: 1_000 } };

beforeAll(async () => {
  database = await useMatchingDatabase();
  previousMeiliUrl = process.env.MEILI_URL;
  // Port 9 (discard): connections are refused.
  process.env.MEILI_URL = "http://127.0.0.1:9";
  resetEnvCache();
  await importRecords({
    organizations: [organization("org-hn", "HN"), organization("org-sv", "SV"), organization("org-gt", "GT")],
    offers: [
      offer("sv-centers", "org-sv"),
      offer("gt-transfers", "org-gt", {
        title: "Transferencias monetarias",
        summary: "Transferencias a hogares.",
        themes: ["cash-transfers"],
      }),
    ],
    requests: [request("hn-centers", "org-hn"), request("gt-centers", "org-gt")],
  });
});

afterAll(async () => {
  process.env.MEILI_URL = previousMeiliUrl;
  resetEnvCache();
  await database.cleanup();
});

test("with Meilisearch down, a request still gets its theme-channel proposals and the state says search was not used", async () => {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});

  const result = await proposeForRequests({ requestIds: [await idOf("request", "hn-centers")], config, now });

  expect(result.searchFailed).toBe(true);
  expect((await proposalsOf("hn-centers")).map((row) => row.offer)).toEqual(["sv-centers"]);
  expect(
    await getPrisma().requestMatching.findUnique({
      where: { requestId: await idOf("request", "hn-centers") },
      select: { usedSearch: true },
    })
  ).toEqual({
    usedSearch: false,
  });
  expect(warn).toHaveBeenCalledWith(expect.stringContaining("search channel unavailable"));
  warn.mockRestore();
});

test("with Meilisearch down, the full recomputation completes with themes and concepts", async () => {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});

  const summary = await recomputeAllMatching({ config, now });

  expect(summary.search).toBe("unavailable");
  expect((await proposalsOf("gt-centers")).map((row) => row.offer)).toEqual(["sv-centers"]);
  warn.mockRestore();
});

test("the job succeeds without Meilisearch and queues itself to run again later", async () => {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  const requestId = await idOf("request", "gt-centers");
  await getPrisma().proposal.deleteMany({ where: { requestId } });
  // The import queued its own matching jobs; only this test's job is looked at.
  await clearJobQueue(database.url);
  let runner: Runner | undefined;
  try {
    runner = await run({
      connectionString: database.url,
      taskList: createMatchingTasks({ config }),
      concurrency: 1,
      pollInterval: 200,
      noHandleSignals: true,
      logger: new Logger(() => () => {}),
    });
    await getPrisma().$transaction((tx) => enqueueMatching(tx, { requestIds: [requestId] }));
    const started = Date.now();
    while ((await proposalsOf("gt-centers")).length === 0 && Date.now() - started < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await runner?.stop();
    warn.mockRestore();
  }

  expect((await proposalsOf("gt-centers")).map((row) => row.offer)).toEqual(["sv-centers"]);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ payload: { searchRetry?: number }; later: boolean; attempts: number }>(
      `SELECT j.payload, j.run_at > now() + interval '30 seconds' AS later, j.attempts
         FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
        WHERE t.identifier = $1`,
      [MATCH_REQUESTS_TASK]
    );
    expect(rows).toEqual([{ payload: { requestIds: [requestId], searchRetry: 1 }, later: true, attempts: 0 }]);
  } finally {
    await client.end();
  }
});
