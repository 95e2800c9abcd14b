/**
 * Housekeeping that keeps the tables lucia and the log-in throttle write from growing forever.
 * Runs hourly from the worker's crontab; graphile-worker's cron runs it once per slot across all
 * instances, so several app processes never do it twice.
 */
import type { Task } from "graphile-worker";
import { deleteStaleLoginThrottles } from "~/auth/rate-limit.server";
import { deleteExpiredSessions } from "~/auth/session.server";

export const MAINTENANCE_TASK = "maintenance-cleanup";
export const MAINTENANCE_CRONTAB = `0 * * * * ${MAINTENANCE_TASK}`;

export async function cleanUpAccessRecords(): Promise<{ throttles: number }> {
  await deleteExpiredSessions();
  return { throttles: await deleteStaleLoginThrottles() };
}

export const maintenanceTask: Task = async (_payload, helpers) => {
  const { throttles } = await cleanUpAccessRecords();
  helpers.logger.debug(`removed expired sessions and ${throttles} stale log-in throttle rows`);
};
