import type { Task } from "graphile-worker";
import { sendFollowUpReminder } from "~/models/cooperation.server";
import { followUpPayloadSchema } from "./follow-up.server";

/** Reminds the requesting agency of a due follow-up (once; an answered one is left alone). */
export const followUpTask: Task = async (payload) => {
  const { followUpId } = followUpPayloadSchema.parse(payload);
  await sendFollowUpReminder({ followUpId });
};
