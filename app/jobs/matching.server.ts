/**
 * Matching jobs. Writers call `enqueueMatching` inside the transaction that changes a request or
 * an offer (as they call enqueueSearchSync), so the job exists exactly when the change is
 * committed. Jobs carry ids only and read the current rows when they run.
 *
 *   matching-requests   propose for these requests (published or edited; or withdraw them)
 *   matching-offers     re-evaluate the open requests these offers could serve
 *   matching-rebalance  the global capacity-aware assignment over the stored proposals; every
 *                       job above schedules it a few seconds later, so a burst runs it once
 *   matching-all        everything, as `npm run match` (for very large changes such as imports)
 *
 * All run in one named queue, one job at a time: two jobs never compete for an offer's places.
 */
import type { JobHelpers, TaskList } from "graphile-worker";
import { z } from "zod";
import { proposeForRequests, rebalanceRecommendations, recomputeAllMatching, reevaluateForOffers } from "~/matching/service.server";
import { loadMatchingConfig, type MatchingConfig } from "~/matching/config";
import type { TransactionClient } from "~/utils/db.server";

export const MATCHING_QUEUE = "matching";
export const MATCH_REQUESTS_TASK = "matching-requests";
export const MATCH_OFFERS_TASK = "matching-offers";
export const MATCH_REBALANCE_TASK = "matching-rebalance";
export const MATCH_ALL_TASK = "matching-all";

const MAX_ATTEMPTS = 10;
const IDS_PER_JOB = 100;
// Above this many changed records at once (a bulk import), one full recomputation is cheaper
// than re-matching record by record.
export const FULL_RECOMPUTE_THRESHOLD = 1_000;
const REBALANCE_DELAY_MS = 2_000;
// When Meilisearch was down, the request is matched again later with it: after 1, 2, 4... minutes.
const MAX_SEARCH_RETRIES = 6;

const requestsPayloadSchema = z.object({
  requestIds: z.array(z.guid()).min(1),
  includeOfferIds: z.array(z.guid()).optional(),
  searchRetry: z.number().int().min(0).optional(),
});
const offersPayloadSchema = z.object({ offerIds: z.array(z.guid()).min(1) });

export type MatchingChanges = { requestIds?: string[]; offerIds?: string[] };

async function addJob(tx: TransactionClient, job: { task: string; payload: unknown; jobKey?: string | null; runAt?: Date }): Promise<void> {
  await tx.$executeRaw`SELECT graphile_worker.add_job(
    identifier => ${job.task}::text,
    payload => ${JSON.stringify(job.payload)}::json,
    queue_name => ${MATCHING_QUEUE}::text,
    run_at => ${job.runAt ?? null}::timestamptz,
    max_attempts => ${MAX_ATTEMPTS}::int,
    job_key => ${job.jobKey ?? null}::text
  )`;
}

/** Queues matching for changed requests and offers, inside the caller's transaction. */
export async function enqueueMatching(tx: TransactionClient, changes: MatchingChanges): Promise<void> {
  const requestIds = [...new Set(changes.requestIds ?? [])];
  const offerIds = [...new Set(changes.offerIds ?? [])];
  if (requestIds.length + offerIds.length === 0) return;
  if (requestIds.length + offerIds.length > FULL_RECOMPUTE_THRESHOLD) {
    await addJob(tx, { task: MATCH_ALL_TASK, payload: {}, jobKey: MATCH_ALL_TASK });
    return;
  }
  for (let start = 0; start < requestIds.length; start += IDS_PER_JOB) {
    const ids = requestIds.slice(start, start + IDS_PER_JOB);
    // One pending job per single request: a burst of saves is matched once.
    await addJob(tx, {
      task: MATCH_REQUESTS_TASK,
      payload: { requestIds: ids },
      jobKey: ids.length === 1 ? `${MATCH_REQUESTS_TASK}:${ids[0]}` : null,
    });
  }
  for (let start = 0; start < offerIds.length; start += IDS_PER_JOB) {
    const ids = offerIds.slice(start, start + IDS_PER_JOB);
    await addJob(tx, {
      task: MATCH_OFFERS_TASK,
      payload: { offerIds: ids },
      jobKey: ids.length === 1 ? `${MATCH_OFFERS_TASK}:${ids[0]}` : null,
    });
  }
}

async function scheduleRebalance(helpers: JobHelpers): Promise<void> {
  await helpers.addJob(
    MATCH_REBALANCE_TASK,
    {},
    {
      queueName: MATCHING_QUEUE,
      jobKey: MATCH_REBALANCE_TASK,
      jobKeyMode: "replace",
      runAt: new Date(Date.now() + REBALANCE_DELAY_MS),
      maxAttempts: MAX_ATTEMPTS,
    }
  );
}

/**
 * The tasks, reading the configuration (app/matching/weights.json) when they run unless one is
 * given (tests). A broken weights file fails the job with the message naming the field.
 */
export function createMatchingTasks({ config }: { config?: MatchingConfig } = {}): TaskList {
  const current = () => config ?? loadMatchingConfig();
  return {
    [MATCH_REQUESTS_TASK]: async (payload, helpers) => {
      const { requestIds, includeOfferIds, searchRetry = 0 } = requestsPayloadSchema.parse(payload);
      const result = await proposeForRequests({ requestIds, includeOfferIds, config: current() });
      await scheduleRebalance(helpers);
      if (result.searchFailed && searchRetry < MAX_SEARCH_RETRIES) {
        await helpers.addJob(
          MATCH_REQUESTS_TASK,
          { requestIds, includeOfferIds, searchRetry: searchRetry + 1 },
          { queueName: MATCHING_QUEUE, runAt: new Date(Date.now() + 60_000 * 2 ** searchRetry), maxAttempts: MAX_ATTEMPTS }
        );
      }
    },
    [MATCH_OFFERS_TASK]: async (payload, helpers) => {
      const { offerIds } = offersPayloadSchema.parse(payload);
      await reevaluateForOffers({ offerIds, config: current() });
      await scheduleRebalance(helpers);
    },
    [MATCH_REBALANCE_TASK]: async () => {
      await rebalanceRecommendations();
    },
    [MATCH_ALL_TASK]: async () => {
      await recomputeAllMatching({ config: current() });
    },
  };
}

/** Spread into the worker's task list (app/jobs/tasks.server.ts). */
export const matchingTasks: TaskList = createMatchingTasks();
