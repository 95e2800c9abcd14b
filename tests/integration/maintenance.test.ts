import { randomBytes } from "node:crypto";
import { expect, test } from "vitest";
import { LOGIN_RATE_LIMITS } from "~/auth/rate-limit.server";
import { cleanUpAccessRecords } from "~/jobs/maintenance.server";
import { getPrisma } from "~/utils/db.server";
import { createUser } from "../factories/users";

test("the hourly clean-up removes expired sessions and finished throttle windows, and keeps live ones", async () => {
  const prisma = getPrisma();
  const user = await createUser();
  const hour = 60 * 60 * 1000;
  const expired = randomBytes(16).toString("hex");
  const live = randomBytes(16).toString("hex");
  await prisma.session.createMany({
    data: [
      { id: expired, userId: user.id, expiresAt: new Date(Date.now() - hour) },
      { id: live, userId: user.id, expiresAt: new Date(Date.now() + hour) },
    ],
  });
  const longestWindowMs = Math.max(LOGIN_RATE_LIMITS.account.windowSeconds, LOGIN_RATE_LIMITS.ip.windowSeconds) * 1000;
  const staleKey = `stale-${randomBytes(4).toString("hex")}`;
  const currentKey = `current-${randomBytes(4).toString("hex")}`;
  await prisma.loginThrottle.createMany({
    data: [
      { scope: "ip", key: staleKey, attempts: 3, windowStartsAt: new Date(Date.now() - longestWindowMs - hour) },
      { scope: "ip", key: currentKey, attempts: 3, windowStartsAt: new Date() },
    ],
  });

  const { throttles } = await cleanUpAccessRecords();

  expect(throttles).toBeGreaterThanOrEqual(1);
  const sessions = await prisma.session.findMany({ where: { id: { in: [expired, live] } }, select: { id: true } });
  expect(sessions.map((session) => session.id)).toEqual([live]);
  const rows = await prisma.loginThrottle.findMany({ where: { key: { in: [staleKey, currentKey] } }, select: { key: true } });
  expect(rows.map((row) => row.key)).toEqual([currentKey]);
});
