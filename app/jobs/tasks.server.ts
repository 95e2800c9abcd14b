import type { TaskList } from "graphile-worker";
import { isSearchUnavailable } from "~search/errors.server";
import { syncSearchChanges } from "~search/sync.server";
import { followUpTask } from "./follow-up-task.server";
import { FOLLOW_UP_TASK } from "./follow-up.server";
import { SEND_MAIL_TASK, sendMailTask } from "./mail.server";
import { MAINTENANCE_TASK, maintenanceTask } from "./maintenance.server";
import { SEARCH_STALE_REFRESH_TASK, searchStaleRefreshTask } from "./search-stale-refresh.server";
import { matchingTasks } from "./matching.server";
import { completeFoldedJobs, foldQueuedSyncJobs } from "./search-batch.server";
import { noteSearchUnavailable, SEARCH_UNAVAILABLE_PREFIX } from "./search-recovery.server";
import { SEARCH_SYNC_TASK, searchSyncPayloadSchema } from "./search-sync-payload";

export const taskList: TaskList = {
  [SEARCH_SYNC_TASK]: async (payload, helpers) => {
    const own = searchSyncPayloadSchema.parse(payload);
    try {
      const { payload: changes, folded } = await foldQueuedSyncJobs(helpers, own);
      await syncSearchChanges(changes);
      await completeFoldedJobs(helpers, folded);
    } catch (error) {
      if (!isSearchUnavailable(error)) throw error;
      noteSearchUnavailable();
      // The prefix lands in the job's last_error, which tells the recovery check which jobs to
      // run again as soon as the engine is back.
      throw new Error(`${SEARCH_UNAVAILABLE_PREFIX}${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  },
  [SEND_MAIL_TASK]: sendMailTask,
  [MAINTENANCE_TASK]: maintenanceTask,
  [SEARCH_STALE_REFRESH_TASK]: searchStaleRefreshTask,
  ...matchingTasks,
  [FOLLOW_UP_TASK]: followUpTask,
};
