import type { LoginThrottleScope } from "~/generated/prisma/client";
import { getPrisma } from "~/utils/db.server";

/**
 * Counts one attempt for `key` and returns the count in the current window. One statement, so
 * concurrent attempts from several app instances each get a distinct count (the row lock of
 * INSERT ... ON CONFLICT serializes them). The window starts at the first attempt and a new one
 * starts once it has passed. Times are the database's, so instance clocks do not matter.
 */
export async function countLoginAttempt({
  scope,
  key,
  windowSeconds,
}: {
  scope: LoginThrottleScope;
  key: string;
  windowSeconds: number;
}): Promise<{ attempts: number; windowStartsAt: Date; windowEndsAt: Date }> {
  const rows = await getPrisma().$queryRaw<Array<{ attempts: number; window_starts_at: Date; window_ends_at: Date }>>`
    INSERT INTO "login_throttle" AS current ("scope", "key", "attempts", "window_starts_at")
    VALUES (${scope}::"LoginThrottleScope", ${key}, 1, now())
    ON CONFLICT ("scope", "key") DO UPDATE SET
      "attempts" = CASE
        WHEN current."window_starts_at" <= now() - make_interval(secs => ${windowSeconds}::double precision) THEN 1
        ELSE current."attempts" + 1
      END,
      "window_starts_at" = CASE
        WHEN current."window_starts_at" <= now() - make_interval(secs => ${windowSeconds}::double precision) THEN now()
        ELSE current."window_starts_at"
      END
    RETURNING "attempts", "window_starts_at", "window_starts_at" + make_interval(secs => ${windowSeconds}::double precision) AS "window_ends_at"`;
  const row = rows[0];
  if (!row) throw new Error("login_throttle upsert returned no row");
  return { attempts: row.attempts, windowStartsAt: row.window_starts_at, windowEndsAt: row.window_ends_at };
}

/** Takes back one counted attempt of the given window (a successful log-in is not a failure). */
export async function uncountLoginAttempt({
  scope,
  key,
  windowStartsAt,
}: {
  scope: LoginThrottleScope;
  key: string;
  windowStartsAt: Date;
}) {
  await getPrisma().loginThrottle.updateMany({
    where: { scope, key, windowStartsAt, attempts: { gt: 0 } },
    data: { attempts: { decrement: 1 } },
  });
}

export async function clearLoginAttempts({ scope, key }: { scope: LoginThrottleScope; key: string }) {
  await getPrisma().loginThrottle.deleteMany({ where: { scope, key } });
}

export async function deleteLoginThrottlesOlderThan({ before }: { before: Date }) {
  const { count } = await getPrisma().loginThrottle.deleteMany({ where: { windowStartsAt: { lt: before } } });
  return count;
}
