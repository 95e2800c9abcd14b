import { Prisma } from "~/generated/prisma/client";
import type { UiLocale } from "~/i18n/config";
import { countryName, countryNamesSelect } from "~/models/country.server";
import { resolveSignupOrganization, type NewOrganizationInput } from "~/models/organization.server";
import { getPrisma } from "~/utils/db.server";

export async function updatePreferredLanguage({ userId, language }: { userId: string; language: UiLocale }) {
  await getPrisma().user.update({ where: { id: userId }, data: { preferredLanguage: language }, select: { id: true } });
}

/** Emails are stored lower-cased; every lookup goes through this. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function getUserForLogin({ email }: { email: string }) {
  return getPrisma().user.findUnique({
    where: { email: normalizeEmail(email) },
    select: { id: true, passwordHash: true, status: true, preferredLanguage: true },
  });
}

export async function getPasswordHash({ userId }: { userId: string }) {
  const user = await getPrisma().user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  return user?.passwordHash ?? null;
}

export type SignupOrganizationChoice =
  | { kind: "existing"; organizationId: string }
  | ({ kind: "new" } & NewOrganizationInput);

export type CreateMemberAccountResult =
  | { ok: true; userId: string; organizationId: string }
  | { ok: false; field: "email"; problem: "taken" }
  | { ok: false; field: "organizationId" | "countryCode"; problem: "unavailable" };

/**
 * A new agency member, pending until staff review the account, with the organization they named
 * (a new one is created pending too). All or nothing: any refusal leaves no row behind.
 */
export async function createMemberAccount({
  email,
  name,
  passwordHash,
  preferredLanguage,
  organization,
}: {
  email: string;
  name: string;
  passwordHash: string;
  preferredLanguage: UiLocale;
  organization: SignupOrganizationChoice;
}): Promise<CreateMemberAccountResult> {
  const normalizedEmail = normalizeEmail(email);
  try {
    return await getPrisma().$transaction(async (tx): Promise<CreateMemberAccountResult> => {
      const existing = await tx.user.findUnique({ where: { email: normalizedEmail }, select: { id: true } });
      if (existing) return { ok: false, field: "email", problem: "taken" };
      const resolved = await resolveSignupOrganization({ tx, choice: organization });
      if (!resolved.ok) {
        // Throwing rolls back an organization created earlier in this transaction.
        throw new SignupRefused(resolved.field);
      }
      const user = await tx.user.create({
        data: {
          email: normalizedEmail,
          name,
          passwordHash,
          preferredLanguage,
          role: "member",
          status: "pending",
          organizationId: resolved.organizationId,
        },
        select: { id: true },
      });
      return { ok: true, userId: user.id, organizationId: resolved.organizationId };
    });
  } catch (error) {
    if (error instanceof SignupRefused) return { ok: false, field: error.field, problem: "unavailable" };
    // Two sign-ups with the same email at the same moment: the unique index decides, not a 500.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const taken = await getPrisma().user.findUnique({ where: { email: normalizedEmail }, select: { id: true } });
      if (taken) return { ok: false, field: "email", problem: "taken" };
    }
    throw error;
  }
}

class SignupRefused extends Error {
  constructor(readonly field: "organizationId" | "countryCode") {
    super(`sign-up refused on ${field}`);
  }
}

/** The new hash and the end of every session of the user, together. */
export async function changePasswordAndRevokeSessions({ userId, passwordHash }: { userId: string; passwordHash: string }) {
  await getPrisma().$transaction([
    getPrisma().user.update({ where: { id: userId }, data: { passwordHash }, select: { id: true } }),
    getPrisma().session.deleteMany({ where: { userId } }),
  ]);
}

export async function countPendingAccounts() {
  return getPrisma().user.count({ where: { status: "pending" } });
}

export async function listPendingAccounts({ locale, limit = 100 }: { locale: string; limit?: number }) {
  const users = await getPrisma().user.findMany({
    where: { status: "pending" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit,
    select: {
      id: true,
      name: true,
      email: true,
      createdAt: true,
      organization: {
        select: {
          id: true,
          name: true,
          type: true,
          verificationStatus: true,
          country: { select: countryNamesSelect },
        },
      },
    },
  });
  return users.map(({ organization, ...user }) => ({
    ...user,
    organization: organization
      ? {
          id: organization.id,
          name: organization.name,
          type: organization.type,
          verificationStatus: organization.verificationStatus,
          countryName: countryName(organization.country, locale),
        }
      : null,
  }));
}

export type ReviewResult = { ok: true; name: string; email: string } | { ok: false; problem: "not-pending" };

/**
 * Activates a pending account and verifies the organization it created at sign-up (pending
 * organizations cannot be joined, so a pending one belongs to this sign-up). Only a pending
 * account changes: two staff members reviewing at once cannot both succeed.
 */
export async function approveAccount({ userId, reviewerId }: { userId: string; reviewerId: string }): Promise<ReviewResult> {
  return getPrisma().$transaction(async (tx): Promise<ReviewResult> => {
    const { count } = await tx.user.updateMany({
      where: { id: userId, status: "pending" },
      data: { status: "active", reviewedAt: new Date(), reviewedById: reviewerId, refusalReason: null },
    });
    if (count === 0) return { ok: false, problem: "not-pending" };
    const user = await tx.user.findUniqueOrThrow({
      where: { id: userId },
      select: { name: true, email: true, organizationId: true },
    });
    if (user.organizationId) {
      await tx.organization.updateMany({
        where: { id: user.organizationId, verificationStatus: "pending" },
        data: { verificationStatus: "verified", updatedById: reviewerId },
      });
    }
    return { ok: true, name: user.name, email: user.email };
  });
}

/**
 * Refuses a pending account with the reason shown to staff later, ends its sessions, and refuses
 * the organization it created at sign-up unless someone else still stands for it.
 */
export async function refuseAccount({
  userId,
  reviewerId,
  reason,
}: {
  userId: string;
  reviewerId: string;
  reason: string;
}): Promise<ReviewResult> {
  return getPrisma().$transaction(async (tx): Promise<ReviewResult> => {
    const { count } = await tx.user.updateMany({
      where: { id: userId, status: "pending" },
      data: { status: "refused", refusalReason: reason, reviewedAt: new Date(), reviewedById: reviewerId },
    });
    if (count === 0) return { ok: false, problem: "not-pending" };
    const user = await tx.user.findUniqueOrThrow({
      where: { id: userId },
      select: { name: true, email: true, organizationId: true },
    });
    await tx.session.deleteMany({ where: { userId } });
    if (user.organizationId) {
      await tx.organization.updateMany({
        where: {
          id: user.organizationId,
          verificationStatus: "pending",
          members: { none: { id: { not: userId }, status: { not: "refused" } } },
        },
        data: { verificationStatus: "refused", updatedById: reviewerId },
      });
    }
    return { ok: true, name: user.name, email: user.email };
  });
}
