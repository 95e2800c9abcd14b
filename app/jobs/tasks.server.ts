import type { TaskList } from "graphile-worker";
import { syncSearchChanges } from "~search/sync.server";
import { SEARCH_SYNC_TASK, searchSyncPayloadSchema } from "./search-sync-payload";
import { noteSearchFailure } from "./search-recovery.server";

export const taskList: TaskList = {
  [SEARCH_SYNC_TASK]: async (payload) => {
    const changes = searchSyncPayloadSchema.parse(payload);
    try {
      await syncSearchChanges(changes);
    } catch (error) {
      noteSearchFailure(error);
      throw error;
    }
  },
};
