/**
 * Follow-up reminders of completed cooperations (6 and 12 months on): one job per follow-up,
 * added in the transaction that completes the cooperation, due at `run_at`. The job key makes
 * adding it twice harmless.
 */
import { z } from "zod";
import type { TransactionClient } from "~/utils/db.server";

export const FOLLOW_UP_TASK = "brokering-follow-up";

export const followUpPayloadSchema = z.object({ followUpId: z.guid() });

export async function enqueueFollowUpReminder(tx: TransactionClient, { followUpId, runAt }: { followUpId: string; runAt: Date }): Promise<void> {
  await tx.$executeRaw`SELECT graphile_worker.add_job(
    identifier => ${FOLLOW_UP_TASK}::text,
    payload => ${JSON.stringify({ followUpId })}::json,
    run_at => ${runAt}::timestamptz,
    max_attempts => 10,
    job_key => ${`${FOLLOW_UP_TASK}:${followUpId}`}::text
  )`;
}
