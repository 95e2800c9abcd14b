// The theme pool's two-read query (findThemePool) against the plain ranking it replaces, on a
// catalogue built to be awkward: few themes shared by many offers, one import's worth of equal
// timestamps, drafts and archived offers, several countries.
import { afterAll, beforeAll, expect, test } from "vitest";
import { findThemePool } from "~/models/proposal.server";
import { THEME_CODES } from "~/schemas/vocabulary";
import { getPrisma } from "~/utils/db.server";
import { importRecords, offer, organization, useMatchingDatabase, type MatchingDatabase } from "./matching-setup";

let database: MatchingDatabase;
const THEMES = THEME_CODES.slice(0, 6);
const COUNTRIES = ["HN", "SV", "GT", "CR", "PA"];

// A small deterministic generator, so that a failure can be replayed.
let seed = 17;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
function sample<T>(items: readonly T[], count: number): T[] {
  const pool = [...items];
  const chosen: T[] = [];
  while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(Math.floor(random() * pool.length), 1)[0]);
  return chosen;
}

beforeAll(async () => {
  database = await useMatchingDatabase();
  const organizations = COUNTRIES.flatMap((country) => [organization(`org-${country.toLowerCase()}-1`, country), organization(`org-${country.toLowerCase()}-2`, country)]);
  const offers = Array.from({ length: 400 }, (_, index) =>
    offer(`pool-${index}`, organizations[index % organizations.length].key as string, { themes: sample(THEMES, 1 + Math.floor(random() * 3)) }),
  );
  await importRecords({ organizations, offers });
  const prisma = getPrisma();
  // Half keep the import's single timestamp; the rest get one of a few instants (more ties).
  await prisma.$executeRaw`
    UPDATE "offer" SET updated_at = timestamptz '2026-01-01' + (abs(hashtext(key)) % 7) * interval '1 day'
     WHERE abs(hashtext(key)) % 2 = 0`;
  await prisma.$executeRaw`UPDATE "offer" SET status = 'draft' WHERE abs(hashtext(key || 'd')) % 10 = 0`;
  await prisma.$executeRaw`UPDATE "offer" SET status = 'archived' WHERE abs(hashtext(key || 'a')) % 10 = 0`;
});

afterAll(async () => {
  await database?.cleanup();
});

async function plainRanking(themes: string[], excludeCountry: string, limit: number): Promise<string[]> {
  const rows = await getPrisma().$queryRaw<Array<{ id: string }>>`
    SELECT f.id::text AS id
      FROM "offer" f JOIN "organization" o ON o.id = f.organization_id
     WHERE f.status = 'published' AND f.themes && ${themes}::text[] AND o.country_code <> ${excludeCountry}
     ORDER BY (SELECT count(*) FROM unnest(f.themes) theme WHERE theme = ANY(${themes}::text[])) DESC, f.updated_at DESC, f.id DESC
     LIMIT ${limit}`;
  return rows.map((row) => row.id);
}

test("the theme pool is exactly the plain ranking by shared themes, recency and id, for any themes, country and size", async () => {
  let compared = 0;
  for (let round = 0; round < 60; round += 1) {
    const themes = sample(THEMES, 1 + Math.floor(random() * 4));
    const country = COUNTRIES[Math.floor(random() * COUNTRIES.length)];
    const limit = [5, 20, 60, 200][round % 4];
    const expected = await plainRanking(themes, country, limit);
    const pool = await findThemePool({ themes, excludeCountry: country, limit });
    expect(pool.map((entry) => entry.id), `themes ${themes.join(",")}, not ${country}, limit ${limit}`).toEqual(expected);
    compared += expected.length;
  }
  // The catalogue is big enough that the limits bite: the comparison is not between empty lists.
  expect(compared).toBeGreaterThan(3_000);
});

test("a pool entry's version changes with any column the matcher reads, and only then", async () => {
  const prisma = getPrisma();
  const [{ id, key }] = await prisma.$queryRaw<Array<{ id: string; key: string }>>`
    SELECT id::text AS id, key FROM "offer" WHERE status = 'published' AND themes @> ARRAY[${THEMES[0]}]::text[] LIMIT 1`;
  const versionOf = async () => {
    const pool = await findThemePool({ themes: [THEMES[0]], excludeCountry: "XX", limit: 400 });
    return pool.find((entry) => entry.id === id)?.version;
  };
  const before = await versionOf();
  expect(before).toMatch(/^[0-9a-f]{32}$/);
  expect(await versionOf()).toBe(before);
  await prisma.$executeRaw`UPDATE "offer" SET description = 'Otra descripción' WHERE key = ${key}`;
  expect(await versionOf()).not.toBe(before);
});
