// The demo instance: the demo catalogue (prisma/data/demo-catalogue.json, in the exchange
// format) and one account per role, all with the password DEMO_PASSWORD. `npm start` and
// `npm run dev` call seedIfEmpty on every boot unless SEED=none; `npm run db:seed` as well.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { hashPassword } from "~/auth/password.server";
import { createDemoAccounts, isInstanceEmpty, type DemoAccount } from "~/models/demo-accounts.server";
import { importCatalogue, type CatalogueDatabase } from "~/models/exchange.server";
import { parseExchangeJson } from "~/schemas/exchange";
import type { PrismaClient } from "~/generated/prisma/client";

export const DEMO_CATALOGUE_PATH = fileURLToPath(new URL("./data/demo-catalogue.json", import.meta.url));

export const DEMO_PASSWORD = "enlace-demo-2026";

type DemoAccountSpec = Omit<DemoAccount, "passwordHash">;

// Organization keys are those of demo-catalogue.json: CONAMYPE offers and SENPRENDE requests,
// so the two member accounts see both sides of a match.
export const DEMO_ACCOUNTS: readonly DemoAccountSpec[] = [
  { email: "admin@enlace.demo", name: "Demo Administrator", role: "admin", status: "active", preferredLanguage: "en" },
  { email: "staff@enlace.demo", name: "Demo OAS Staff", role: "staff", status: "active", preferredLanguage: "en" },
  {
    email: "elsalvador@enlace.demo",
    name: "Demo CONAMYPE (El Salvador)",
    role: "member",
    status: "active",
    organizationKey: "sv-conamype",
    preferredLanguage: "es",
  },
  {
    email: "honduras@enlace.demo",
    name: "Demo SENPRENDE (Honduras)",
    role: "member",
    status: "active",
    organizationKey: "hn-senprende",
    preferredLanguage: "es",
  },
  {
    email: "pending@enlace.demo",
    name: "Demo Pending Member",
    role: "member",
    status: "pending",
    organizationKey: "gt-mineco",
    preferredLanguage: "es",
  },
];

type SeedDatabase = CatalogueDatabase & Pick<PrismaClient, "organization" | "user">;

type SeedOptions = {
  log: (line: string) => void;
  /** For tests on a scratch database; the app's client otherwise. */
  prisma?: SeedDatabase;
};

/** Seeds the demo instance when the database has no organizations and no users. */
export async function seedIfEmpty({ log, prisma }: SeedOptions): Promise<{ seeded: boolean }> {
  if (!(await isInstanceEmpty({ prisma }))) {
    log("the database already has organizations or users; no demo data added");
    return { seeded: false };
  }
  await seedDemo({ log, prisma });
  return { seeded: true };
}

/**
 * Imports the demo catalogue and creates the demo accounts that do not exist yet. Safe to run
 * again: the import is an upsert by key and existing accounts are left as they are.
 */
export async function seedDemo({ log, prisma }: SeedOptions): Promise<void> {
  const parsed = parseExchangeJson(await readFile(DEMO_CATALOGUE_PATH, "utf8"));
  if (!parsed.ok) throw new Error(`${DEMO_CATALOGUE_PATH}:\n${parsed.errors.join("\n")}`);
  const result = await importCatalogue({ file: parsed.value, prisma });
  if (!result.ok) throw new Error(`${DEMO_CATALOGUE_PATH} does not import:\n${result.errors.join("\n")}`);
  const { organizations, offers, requests } = result.counts;
  log(
    `demo catalogue: ${organizations.created} organizations, ${offers.created} offers, ${requests.created} requests created`,
  );

  const accounts = await Promise.all(
    DEMO_ACCOUNTS.map(async (account) => ({ ...account, passwordHash: await hashPassword(DEMO_PASSWORD) })),
  );
  const created = await createDemoAccounts({ accounts, prisma });
  if (created.length > 0) log(`demo accounts (password "${DEMO_PASSWORD}"): ${created.join(", ")}`);
  else log("demo accounts already exist");
}
