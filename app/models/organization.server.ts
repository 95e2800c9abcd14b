import { randomBytes } from "node:crypto";
import type { UiLocale } from "~/i18n/config";
import { countryName, countryNamesSelect } from "~/models/country.server";
import type { OrganizationTypeCode } from "~/schemas/vocabulary";
import { getPrisma, type TransactionClient } from "~/utils/db.server";
import { collator } from "~/utils/intl";

/** Countries an organization can be registered in: those of the Americas, in the reader's alphabet order. */
export async function listCountryOptions({ locale }: { locale: UiLocale }) {
  const countries = await getPrisma().country.findMany({
    where: { subregion: { not: null } },
    select: { code: true, ...countryNamesSelect },
  });
  const byLabel = collator(locale);
  return countries
    .map((country) => ({ value: country.code, label: countryName(country, locale) }))
    .sort((a, b) => byLabel.compare(a.label, b.label));
}

/** Organizations a new member may join: only verified ones, so nobody joins an unchecked organization. */
export async function listJoinableOrganizations({ locale }: { locale: UiLocale }) {
  const organizations = await getPrisma().organization.findMany({
    where: { verificationStatus: "verified" },
    select: { id: true, name: true, country: { select: countryNamesSelect } },
  });
  const byLabel = collator(locale);
  return organizations
    .map((organization) => ({
      value: organization.id,
      label: `${organization.name} (${countryName(organization.country, locale)})`,
    }))
    .sort((a, b) => byLabel.compare(a.label, b.label));
}

export async function getOrganizationSummary({ organizationId, locale }: { organizationId: string; locale: string }) {
  const organization = await getPrisma().organization.findUnique({
    where: { id: organizationId },
    select: {
      id: true,
      key: true,
      name: true,
      type: true,
      verificationStatus: true,
      countryCode: true,
      country: { select: countryNamesSelect },
    },
  });
  if (!organization) return null;
  const { country, ...rest } = organization;
  return { ...rest, countryName: countryName(country, locale) };
}

/**
 * A key for an organization created at sign-up: readable, and unique thanks to a random suffix
 * (exchange-format keys match [a-z0-9][a-z0-9-]{1,79}).
 */
export function organizationKeyFromName(name: string): string {
  const slug = name
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  const suffix = randomBytes(4).toString("hex");
  return `${slug || "organization"}-${suffix}`;
}

export type NewOrganizationInput = { name: string; countryCode: string; type: OrganizationTypeCode };

/**
 * For the sign-up transaction: the organization the new member belongs to, or the field that
 * makes the choice impossible (an organization that is not verified, a country outside the list).
 */
export async function resolveSignupOrganization({
  tx,
  choice,
}: {
  tx: TransactionClient;
  choice: { kind: "existing"; organizationId: string } | ({ kind: "new" } & NewOrganizationInput);
}): Promise<{ ok: true; organizationId: string } | { ok: false; field: "organizationId" | "countryCode" }> {
  if (choice.kind === "existing") {
    const organization = await tx.organization.findFirst({
      where: { id: choice.organizationId, verificationStatus: "verified" },
      select: { id: true },
    });
    return organization ? { ok: true, organizationId: organization.id } : { ok: false, field: "organizationId" };
  }
  const country = await tx.country.findFirst({
    where: { code: choice.countryCode, subregion: { not: null } },
    select: { code: true },
  });
  if (!country) return { ok: false, field: "countryCode" };
  const organization = await tx.organization.create({
    data: {
      key: organizationKeyFromName(choice.name),
      name: choice.name,
      countryCode: country.code,
      type: choice.type,
      verificationStatus: "pending",
    },
    select: { id: true },
  });
  return { ok: true, organizationId: organization.id };
}
