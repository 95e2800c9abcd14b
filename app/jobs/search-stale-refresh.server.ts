/**
 * Every quarter of an hour, records that turned stale since they were indexed are queued for a
 * search sync, which builds their documents again with `stale: true` (search/stale-flags.server.ts).
 * The search page counts and filters the flag like any other facet (decision record 018), so a
 * record shows as stale in search at most this long after its twelve months have passed. Also
 * run once when the worker starts: it indexes the flag on documents built before it existed.
 * graphile-worker's cron runs one job per slot across all instances.
 */
import type { Task } from "graphile-worker";
import { z } from "zod";
import { getPrisma } from "~/utils/db.server";
import { isSearchUnavailable } from "~search/errors.server";
import { findOutdatedStaleFlags } from "~search/stale-flags.server";
import { enqueueSearchSync } from "./enqueue.server";

export const SEARCH_STALE_REFRESH_TASK = "search-stale-refresh";
const recordId = z.guid();

export const SEARCH_STALE_REFRESH_CRONTAB = `*/15 * * * * ${SEARCH_STALE_REFRESH_TASK}`;

/** Queues a sync of every record whose indexed stale flag is out of date; returns how many. */
export async function queueOutdatedStaleFlags(now = new Date()): Promise<number> {
  const found = await findOutdatedStaleFlags({ now });
  // The index holds only records' ids; anything else (a document put there by hand) is no record to sync.
  const [offers, requests] = [found.offers, found.requests].map((ids) => ids.filter((id) => recordId.safeParse(id).success));
  if (offers.length + requests.length === 0) return 0;
  await getPrisma().$transaction((tx) => enqueueSearchSync(tx, { offerIds: offers, requestIds: requests }));
  return offers.length + requests.length;
}

export const searchStaleRefreshTask: Task = async (_payload, helpers) => {
  try {
    const queued = await queueOutdatedStaleFlags();
    if (queued > 0) helpers.logger.info(`queued ${queued} records whose stale flag the clock overtook`);
  } catch (error) {
    // The next slot looks again; a retry now would only wait for the same outage.
    if (!isSearchUnavailable(error)) throw error;
    helpers.logger.warn(`stale refresh skipped, Meilisearch is unavailable: ${String(error)}`);
  }
};
