import { isIP } from "node:net";
import { z } from "zod";
import {
  clearLoginAttempts,
  countLoginAttempt,
  deleteLoginThrottlesOlderThan,
  uncountLoginAttempt,
} from "~/models/login-throttle.server";
import { normalizeEmail } from "~/models/user.server";
import { getEnv } from "~/utils/env.server";

/**
 * Password guesses allowed per window. Per account, so nobody guesses one account's password;
 * per IP, higher because offices share an address, so nobody tries one password on many accounts.
 */
export const LOGIN_RATE_LIMITS = {
  account: { maxAttempts: 5, windowSeconds: 15 * 60 },
  ip: { maxAttempts: 20, windowSeconds: 15 * 60 },
} as const;

export type LoginAttempt =
  | {
      allowed: true;
      /** The password was right: it was not a guess, so it does not count, and the account starts afresh. */
      succeeded(): Promise<void>;
    }
  | { allowed: false; retryAfterSeconds: number };

/**
 * Counts an attempt before the password is checked, so a burst of parallel requests cannot slip
 * in while the first ones are still being verified. A refused attempt is refused whatever the
 * password, and still counts for the IP.
 */
export async function beginLoginAttempt({ ip, email }: { ip: string; email: string }): Promise<LoginAttempt> {
  const accountKey = normalizeEmail(email);
  const [account, byIp] = await Promise.all([
    countLoginAttempt({ scope: "account", key: accountKey, windowSeconds: LOGIN_RATE_LIMITS.account.windowSeconds }),
    countLoginAttempt({ scope: "ip", key: ip, windowSeconds: LOGIN_RATE_LIMITS.ip.windowSeconds }),
  ]);
  const blockedUntil = [
    account.attempts > LOGIN_RATE_LIMITS.account.maxAttempts ? account.windowEndsAt : null,
    byIp.attempts > LOGIN_RATE_LIMITS.ip.maxAttempts ? byIp.windowEndsAt : null,
  ].filter((date): date is Date => date !== null);
  if (blockedUntil.length > 0) {
    const until = Math.max(...blockedUntil.map((date) => date.getTime()));
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((until - Date.now()) / 1000)) };
  }
  return {
    allowed: true,
    async succeeded() {
      await Promise.all([
        clearLoginAttempts({ scope: "account", key: accountKey }),
        uncountLoginAttempt({ scope: "ip", key: ip, windowStartsAt: byIp.windowStartsAt }),
      ]);
    },
  };
}

/**
 * Accounts created per IP address and window: enough for an office registering its colleagues,
 * too few for a script filling the database or probing which addresses have accounts. Only
 * submissions that pass validation count.
 */
export const SIGNUP_RATE_LIMIT = { maxAttempts: 10, windowSeconds: 60 * 60 } as const;

/**
 * Counts a sign-up from `ip`. Shares the log-in throttle's table and its "ip" scope, under keys
 * of their own ("signup:<ip>"), so no migration was needed and the clean-up job covers both.
 */
export async function countSignupAttempt({ ip }: { ip: string }): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }> {
  const count = await countLoginAttempt({ scope: "ip", key: `signup:${ip}`, windowSeconds: SIGNUP_RATE_LIMIT.windowSeconds });
  if (count.attempts <= SIGNUP_RATE_LIMIT.maxAttempts) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((count.windowEndsAt.getTime() - Date.now()) / 1000)) };
}

/** Rows of windows that have ended; for a periodic clean-up job. */
export async function deleteStaleLoginThrottles(): Promise<number> {
  const longestWindowSeconds = Math.max(LOGIN_RATE_LIMITS.account.windowSeconds, LOGIN_RATE_LIMITS.ip.windowSeconds, SIGNUP_RATE_LIMIT.windowSeconds);
  return deleteLoginThrottlesOlderThan({ before: new Date(Date.now() - longestWindowSeconds * 1000) });
}

const loadContextSchema = z.object({ clientIp: z.string().min(1) });

/**
 * The client's IP address. The server passes it as `context.clientIp` (express's `req.ip`, which
 * honours TRUST_PROXY); without it, behind a trusted proxy, the first X-Forwarded-For hop.
 * Requests whose address is unknown share one bucket, which errs on the side of refusing.
 */
export function getClientIp({ request, context }: { request: Request; context?: unknown }): string {
  const fromContext = loadContextSchema.safeParse(context);
  if (fromContext.success) return fromContext.data.clientIp;
  if (getEnv().TRUST_PROXY) {
    const forwarded = request.headers.get("X-Forwarded-For")?.split(",")[0]?.trim();
    if (forwarded && isIP(forwarded)) return forwarded;
  }
  return "unknown";
}
