import { parseCrontab } from "graphile-worker";
import { expect, test } from "vitest";
import { MAINTENANCE_CRONTAB, MAINTENANCE_TASK } from "~/jobs/maintenance.server";
import { taskList } from "~/jobs/tasks.server";

test("the hourly clean-up is a valid crontab entry naming a task the worker knows", () => {
  const [item] = parseCrontab(MAINTENANCE_CRONTAB);
  expect(item.task).toBe(MAINTENANCE_TASK);
  expect(item.match).toBeTypeOf("function");
  expect(taskList[MAINTENANCE_TASK]).toBeTypeOf("function");
});
