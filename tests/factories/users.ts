// Organizations, users and sessions for tests, written straight to the test database. Every
// value that must be unique is random, so tests never collide with each other or the seed.
import { randomBytes } from "node:crypto";
import { getLucia } from "~/auth/lucia.server";
import { hashPassword } from "~/auth/password.server";
import type { AccountStatus, UserRole, VerificationStatus } from "~/generated/prisma/client";
import type { OrganizationTypeCode } from "~/schemas/vocabulary";
import { getPrisma } from "~/utils/db.server";

export const TEST_PASSWORD = "correct horse battery staple";

export function uniqueSuffix(): string {
  return randomBytes(5).toString("hex");
}

export function uniqueEmail(label = "user"): string {
  return `${label}-${uniqueSuffix()}@example.test`;
}

/** A documentation-range address (RFC 5737), different on every call: one rate-limit bucket per test. */
export function uniqueIp(): string {
  const [a, b] = randomBytes(2);
  return `198.51.${a}.${b}`;
}

export async function createOrganization(
  options: {
    name?: string;
    countryCode?: string;
    type?: OrganizationTypeCode;
    verificationStatus?: VerificationStatus;
  } = {},
) {
  const suffix = uniqueSuffix();
  return getPrisma().organization.create({
    data: {
      key: `test-org-${suffix}`,
      name: options.name ?? `Test Agency ${suffix}`,
      countryCode: options.countryCode ?? "CL",
      type: options.type ?? "agency",
      verificationStatus: options.verificationStatus ?? "verified",
    },
    select: { id: true, key: true, name: true, countryCode: true, type: true, verificationStatus: true },
  });
}

export type TestUser = {
  id: string;
  email: string;
  name: string;
  password: string;
  role: UserRole;
  status: AccountStatus;
  organizationId: string | null;
};

/**
 * A user with a real argon2id hash of `password`. Members get a verified organization of their
 * own unless one is given (pass `organizationId: null` for none); staff and admins get none.
 */
export async function createUser(
  options: {
    role?: UserRole;
    status?: AccountStatus;
    organizationId?: string | null;
    email?: string;
    name?: string;
    password?: string;
    preferredLanguage?: "en" | "es" | "pt" | "fr";
  } = {},
): Promise<TestUser> {
  const role = options.role ?? "member";
  const password = options.password ?? TEST_PASSWORD;
  const organizationId =
    options.organizationId !== undefined
      ? options.organizationId
      : role === "member"
        ? (await createOrganization()).id
        : null;
  const user = await getPrisma().user.create({
    data: {
      email: (options.email ?? uniqueEmail(role)).toLowerCase(),
      name: options.name ?? `Test ${role} ${uniqueSuffix()}`,
      passwordHash: await hashPassword(password),
      role,
      status: options.status ?? "active",
      organizationId,
      preferredLanguage: options.preferredLanguage ?? "en",
    },
    select: { id: true, email: true, name: true, role: true, status: true, organizationId: true },
  });
  return { ...user, password };
}

/** A new session of the user, as the Cookie request header a browser would send. */
export async function createSessionCookie(userId: string): Promise<string> {
  const lucia = getLucia();
  const session = await lucia.createSession(userId, {});
  const cookie = lucia.createSessionCookie(session.id);
  return `${cookie.name}=${cookie.value}`;
}

export async function createLoggedInUser(options: Parameters<typeof createUser>[0] = {}) {
  const user = await createUser(options);
  return { user, cookie: await createSessionCookie(user.id) };
}

/** The Cookie header a browser would send back after this response (cleared cookies left out). */
export function cookieHeaderFrom(response: Response, previous = ""): string {
  const jar = new Map<string, string>();
  for (const pair of previous.split(/;\s*/).filter(Boolean)) {
    const [name, ...value] = pair.split("=");
    jar.set(name, value.join("="));
  }
  for (const setCookie of response.headers.getSetCookie()) {
    const [pair, ...attributes] = setCookie.split(/;\s*/);
    const [name, ...value] = pair.split("=");
    const cleared =
      value.join("=") === "" ||
      attributes.some(
        (attribute) =>
          /^max-age=0$/i.test(attribute) ||
          (/^expires=/i.test(attribute) && Date.parse(attribute.slice("expires=".length)) <= Date.now()),
      );
    if (cleared) jar.delete(name);
    else jar.set(name, value.join("="));
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
}
