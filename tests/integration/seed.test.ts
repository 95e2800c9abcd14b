// The demo seed, on empty scratch databases: what a fresh install gets on its first boot, and
// that later boots leave it alone.
import { readFileSync } from "node:fs";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, expect, test } from "vitest";
import { verifyPassword } from "~/auth/password.server";
import { PrismaClient } from "~/generated/prisma/client";
import { installJobQueue } from "~/jobs/queue.server";
import { applyMigrations } from "~/utils/migrate.server";
import { DEMO_PASSWORD, seedDemo, seedIfEmpty } from "../../prisma/seed.server";
import { createScratchDatabase, type ScratchDatabase } from "../setup/database";

const databases: ScratchDatabase[] = [];
const clients: PrismaClient[] = [];

afterAll(async () => {
  await Promise.all(clients.map((client) => client.$disconnect()));
  await Promise.all(databases.map((database) => database.drop()));
});

async function emptyInstance(): Promise<PrismaClient> {
  const database = await createScratchDatabase();
  databases.push(database);
  await applyMigrations({ databaseUrl: database.url, migrationsDir: path.resolve("prisma/migrations") });
  // The seed imports the demo catalogue, and imports queue search and matching jobs.
  await installJobQueue(database.url);
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url }) });
  clients.push(client);
  return client;
}

const demoCatalogue: { organizations: unknown[]; offers: unknown[]; requests: unknown[] } = JSON.parse(
  readFileSync(path.resolve("prisma/data/demo-catalogue.json"), "utf8"),
);

async function snapshot(prisma: PrismaClient) {
  const [organizations, offers, requests, users] = await Promise.all([
    prisma.organization.findMany({ select: { key: true, updatedAt: true }, orderBy: { key: "asc" } }),
    prisma.offer.findMany({ select: { key: true, updatedAt: true }, orderBy: { key: "asc" } }),
    prisma.request.findMany({ select: { key: true, updatedAt: true }, orderBy: { key: "asc" } }),
    prisma.user.findMany({ select: { email: true, passwordHash: true, updatedAt: true }, orderBy: { email: "asc" } }),
  ]);
  return { organizations, offers, requests, users };
}

test("an empty database gets the demo catalogue and one account per role", async () => {
  const prisma = await emptyInstance();
  const lines: string[] = [];

  expect(await seedIfEmpty({ log: (line) => lines.push(line), prisma })).toEqual({ seeded: true });

  expect(await prisma.organization.count()).toBe(demoCatalogue.organizations.length);
  expect(await prisma.offer.count()).toBe(demoCatalogue.offers.length);
  expect(await prisma.request.count()).toBe(demoCatalogue.requests.length);

  const users = await prisma.user.findMany({
    select: { email: true, role: true, status: true, passwordHash: true, organization: { select: { key: true, countryCode: true } } },
    orderBy: { email: "asc" },
  });
  expect(users.map(({ email, role, status, organization }) => ({ email, role, status, organization }))).toEqual([
    { email: "admin@enlace.demo", role: "admin", status: "active", organization: null },
    { email: "elsalvador@enlace.demo", role: "member", status: "active", organization: { key: "sv-conamype", countryCode: "SV" } },
    { email: "honduras@enlace.demo", role: "member", status: "active", organization: { key: "hn-senprende", countryCode: "HN" } },
    { email: "pending@enlace.demo", role: "member", status: "pending", organization: { key: "gt-mineco", countryCode: "GT" } },
    { email: "staff@enlace.demo", role: "staff", status: "active", organization: null },
  ]);
  for (const user of users) {
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.passwordHash, DEMO_PASSWORD)).toBe(true);
  }
  // The member accounts stand for the two sides of a match: an offering and a requesting agency.
  expect(await prisma.offer.count({ where: { organization: { key: "sv-conamype" }, status: "published" } })).toBeGreaterThan(0);
  expect(await prisma.request.count({ where: { organization: { key: "hn-senprende" }, status: "open" } })).toBeGreaterThan(0);
  expect(lines.join("\n")).toContain("admin@enlace.demo");
});

test("seeding again is a no-op: nothing created, nothing touched", async () => {
  const prisma = await emptyInstance();
  await seedIfEmpty({ log: () => {}, prisma });
  const before = await snapshot(prisma);

  const lines: string[] = [];
  expect(await seedIfEmpty({ log: (line) => lines.push(line), prisma })).toEqual({ seeded: false });
  expect(await snapshot(prisma)).toEqual(before);
  expect(lines).toEqual(["the database already has organizations or users; no demo data added"]);

  // The forced seed (`npm run db:seed -- --force`) is an upsert: still no change.
  await seedDemo({ log: () => {}, prisma });
  expect(await snapshot(prisma)).toEqual(before);
});

test("a database with users but no organizations is not seeded", async () => {
  const prisma = await emptyInstance();
  await prisma.user.create({ data: { email: "operator@example.test", name: "Operator", passwordHash: "x", role: "admin", status: "active" } });

  expect(await seedIfEmpty({ log: () => {}, prisma })).toEqual({ seeded: false });
  expect(await prisma.organization.count()).toBe(0);
  expect(await prisma.user.count()).toBe(1);
});
