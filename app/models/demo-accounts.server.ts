// The demo instance's accounts (prisma/seed.server.ts). Kept apart from the account model: these
// are created from a fixed list with a known password, which nothing else may ever do.
import type { AccountStatus, PrismaClient, UserRole } from "~/generated/prisma/client";
import { getPrisma } from "~/utils/db.server";

type DemoDatabase = Pick<PrismaClient, "organization" | "user">;

export type DemoAccount = {
  email: string;
  name: string;
  role: UserRole;
  status: AccountStatus;
  /** Key of the member's organization; staff and admins belong to none. */
  organizationKey?: string;
  preferredLanguage: "en" | "es";
  passwordHash: string;
};

/** True when the instance has neither organizations nor users: a fresh install. */
export async function isInstanceEmpty({ prisma = getPrisma() }: { prisma?: DemoDatabase } = {}): Promise<boolean> {
  const [organization, user] = await Promise.all([
    prisma.organization.findFirst({ select: { id: true } }),
    prisma.user.findFirst({ select: { id: true } }),
  ]);
  return organization === null && user === null;
}

/**
 * Creates the accounts whose email is not taken yet and leaves existing ones alone, so seeding
 * twice changes nothing. Returns the emails created.
 */
export async function createDemoAccounts({
  accounts,
  now = new Date(),
  prisma = getPrisma(),
}: {
  accounts: readonly DemoAccount[];
  now?: Date;
  prisma?: DemoDatabase;
}): Promise<string[]> {
  const organizationKeys = accounts.flatMap((account) => (account.organizationKey ? [account.organizationKey] : []));
  const [organizations, existing] = await Promise.all([
    prisma.organization.findMany({ where: { key: { in: organizationKeys } }, select: { id: true, key: true } }),
    prisma.user.findMany({ where: { email: { in: accounts.map((account) => account.email) } }, select: { email: true } }),
  ]);
  const organizationIdByKey = new Map(organizations.map((organization) => [organization.key, organization.id]));
  const taken = new Set(existing.map((user) => user.email));

  const data = accounts
    .filter((account) => !taken.has(account.email))
    .map((account) => {
      const organizationId = account.organizationKey ? organizationIdByKey.get(account.organizationKey) : undefined;
      if (account.organizationKey && !organizationId) {
        throw new Error(`Demo account ${account.email}: no organization with key "${account.organizationKey}"`);
      }
      return {
        email: account.email,
        name: account.name,
        passwordHash: account.passwordHash,
        role: account.role,
        status: account.status,
        organizationId: organizationId ?? null,
        preferredLanguage: account.preferredLanguage,
        reviewedAt: account.status === "pending" ? null : now,
      };
    });
  // skipDuplicates: a concurrent seed that won the race is as good as this one.
  await prisma.user.createMany({ data, skipDuplicates: true });
  return data.map((account) => account.email);
}
