import { hashPassword, verifyDummyPassword, verifyPassword } from "~/auth/password.server";
import { beginLoginAttempt } from "~/auth/rate-limit.server";
import { createUserSession } from "~/auth/session.server";
import type { UiLocale } from "~/i18n/config";
import {
  changePasswordAndRevokeSessions,
  createMemberAccount,
  getPasswordHash,
  getUserForLogin,
  type CreateMemberAccountResult,
  type SignupOrganizationChoice,
} from "~/models/user.server";

export type LogInResult =
  | { ok: true; userId: string; preferredLanguage: string; sessionCookie: string }
  | { ok: false; problem: "invalid-credentials" | "refused" }
  | { ok: false; problem: "rate-limited"; retryAfterSeconds: number };

/**
 * Checks an email and password and starts a session. An unknown email and a wrong password give
 * the same answer after the same work (one argon2 verification), so neither the message nor the
 * timing tells whether an account exists. A refused account is only named once the password
 * has proved the visitor owns it.
 */
export async function logIn({ email, password, ip }: { email: string; password: string; ip: string }): Promise<LogInResult> {
  const attempt = await beginLoginAttempt({ ip, email });
  if (!attempt.allowed) return { ok: false, problem: "rate-limited", retryAfterSeconds: attempt.retryAfterSeconds };

  const user = await getUserForLogin({ email });
  const passwordMatches = user ? await verifyPassword(user.passwordHash, password) : await verifyDummyPassword(password);
  if (!user || !passwordMatches) return { ok: false, problem: "invalid-credentials" };

  await attempt.succeeded();
  if (user.status === "refused") return { ok: false, problem: "refused" };
  const sessionCookie = await createUserSession(user.id);
  return { ok: true, userId: user.id, preferredLanguage: user.preferredLanguage, sessionCookie };
}

export type SignUpResult =
  | { ok: true; userId: string; organizationId: string; sessionCookie: string }
  | Extract<CreateMemberAccountResult, { ok: false }>;

/** Creates a pending member account (see createMemberAccount) and signs the new member in. */
export async function signUp({
  email,
  name,
  password,
  preferredLanguage,
  organization,
}: {
  email: string;
  name: string;
  password: string;
  preferredLanguage: UiLocale;
  organization: SignupOrganizationChoice;
}): Promise<SignUpResult> {
  const passwordHash = await hashPassword(password);
  const created = await createMemberAccount({ email, name, passwordHash, preferredLanguage, organization });
  if (!created.ok) return created;
  const sessionCookie = await createUserSession(created.userId);
  return { ...created, sessionCookie };
}

export type ChangePasswordResult =
  | { ok: true; sessionCookie: string }
  | { ok: false; problem: "wrong-current-password" }
  | { ok: false; problem: "rate-limited"; retryAfterSeconds: number };

/**
 * Replaces the password after checking the current one (throttled like a log-in: a stolen
 * session must not become a way to guess the password), ends every session of the user,
 * this one included, and starts a fresh one for the browser that made the change.
 */
export async function changePassword({
  userId,
  email,
  currentPassword,
  newPassword,
  ip,
}: {
  userId: string;
  email: string;
  currentPassword: string;
  newPassword: string;
  ip: string;
}): Promise<ChangePasswordResult> {
  const attempt = await beginLoginAttempt({ ip, email });
  if (!attempt.allowed) return { ok: false, problem: "rate-limited", retryAfterSeconds: attempt.retryAfterSeconds };
  const currentHash = await getPasswordHash({ userId });
  if (!currentHash || !(await verifyPassword(currentHash, currentPassword))) {
    return { ok: false, problem: "wrong-current-password" };
  }
  await attempt.succeeded();
  await changePasswordAndRevokeSessions({ userId, passwordHash: await hashPassword(newPassword) });
  return { ok: true, sessionCookie: await createUserSession(userId) };
}
