// Bulk exchange against the real PostgreSQL of the test run: round trip through an empty
// database, idempotence, every kind of bad input (all reported, nothing written) and the
// member scope. Tests on the shared database use keys unique to the test, so they neither
// see nor disturb other tests' records.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, describe, expect, test } from "vitest";
import {
  MAX_EXCHANGE_FILE_BYTES,
  createProgressReporter,
  formatImportSummary,
  readExchangeFile,
  serializeExchangeFile,
} from "~/cli/exchange-file";
import { PrismaClient } from "~/generated/prisma/client";
import { installJobQueue } from "~/jobs/queue.server";
import { exportCatalogue, importCatalogue, type ImportProgress } from "~/models/exchange.server";
import { validateExchangeFile, type ExchangeFile } from "~/schemas/exchange";
import { getPrisma } from "~/utils/db.server";
import { applyMigrations } from "~/utils/migrate.server";
import { createScratchDatabase, type ScratchDatabase } from "../setup/database";
import { createOrganization, createUser } from "../factories/users";

const SMALL_CATALOGUE_PATH = path.resolve("tests/fixtures/exchange/small-catalogue.json");
const DEMO_CATALOGUE_PATH = path.resolve("prisma/data/demo-catalogue.json");

// ---------------------------------------------------------------------------------------
// Helpers

const scratchDatabases: ScratchDatabase[] = [];
const scratchClients: PrismaClient[] = [];
const tempDirs: string[] = [];

afterAll(async () => {
  await Promise.all(scratchClients.map((client) => client.$disconnect()));
  await Promise.all(scratchDatabases.map((database) => database.drop()));
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** An empty, migrated database with a Prisma client of its own. */
async function emptyInstance(): Promise<PrismaClient> {
  const database = await createScratchDatabase();
  scratchDatabases.push(database);
  await applyMigrations({ databaseUrl: database.url, migrationsDir: path.resolve("prisma/migrations") });
  // Imports queue search and matching jobs in their transaction.
  await installJobQueue(database.url);
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url }) });
  scratchClients.push(client);
  return client;
}

function tempFile(name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "enlace-exchange-"));
  tempDirs.push(dir);
  return path.join(dir, name);
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8"));
}

type AnyRecord = Record<string, unknown>;
type LooseFile = { format: string; organizations: AnyRecord[]; offers: AnyRecord[]; requests: AnyRecord[] };

function isLooseFile(value: unknown): value is LooseFile {
  return typeof value === "object" && value !== null && "organizations" in value && "offers" in value && "requests" in value;
}

/**
 * The small fixture with every key (and every reference) suffixed, so each test works on
 * records of its own in the shared database.
 */
function uniqueCatalogue(): LooseFile {
  const suffix = randomBytes(4).toString("hex");
  const file = readJson(SMALL_CATALOGUE_PATH);
  if (!isLooseFile(file)) throw new Error("the small fixture is not an exchange file");
  const rekey = (record: AnyRecord): AnyRecord => ({
    ...record,
    key: `${String(record.key)}-${suffix}`,
    ...(typeof record.organization === "string" ? { organization: `${record.organization}-${suffix}` } : {}),
  });
  return {
    format: file.format,
    organizations: file.organizations.map(rekey),
    offers: file.offers.map(rekey),
    requests: file.requests.map(rekey),
  };
}

function keysOf(file: LooseFile) {
  return {
    organizations: file.organizations.map((record) => String(record.key)),
    offers: file.offers.map((record) => String(record.key)),
    requests: file.requests.map((record) => String(record.key)),
  };
}

async function countRows(prisma: PrismaClient | ReturnType<typeof getPrisma> = getPrisma()) {
  const [organizations, offers, requests] = await Promise.all([
    prisma.organization.count(),
    prisma.offer.count(),
    prisma.request.count(),
  ]);
  return { organizations, offers, requests };
}

async function updatedAtByKey(file: LooseFile) {
  const keys = keysOf(file);
  const prisma = getPrisma();
  const [organizations, offers, requests] = await Promise.all([
    prisma.organization.findMany({ where: { key: { in: keys.organizations } }, select: { key: true, updatedAt: true } }),
    prisma.offer.findMany({ where: { key: { in: keys.offers } }, select: { key: true, updatedAt: true } }),
    prisma.request.findMany({ where: { key: { in: keys.requests } }, select: { key: true, updatedAt: true } }),
  ]);
  return Object.fromEntries([...organizations, ...offers, ...requests].map((row) => [row.key, row.updatedAt.toISOString()]));
}

/** Imports a file that must be refused, and checks that not a single row was written. */
async function expectRefused(file: unknown, actor?: Parameters<typeof importCatalogue>[0]["actor"]): Promise<string[]> {
  const before = await countRows();
  const result = await importCatalogue({ file, actor });
  expect(await countRows()).toEqual(before);
  if (result.ok) throw new Error(`the import was accepted: ${JSON.stringify(result.counts)}`);
  return result.errors;
}

function byKey<T extends { key: string }>(records: readonly T[]): T[] {
  return [...records].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

// ---------------------------------------------------------------------------------------
// Round trip

describe("round trip", () => {
  test("an export imported into an empty instance exports to the identical file", async () => {
    const source = await emptyInstance();
    for (const file of [DEMO_CATALOGUE_PATH, SMALL_CATALOGUE_PATH]) {
      const result = await importCatalogue({ file: readJson(file), prisma: source });
      expect(result.ok).toBe(true);
    }
    const exported = serializeExchangeFile(await exportCatalogue({ prisma: source }));

    const target = await emptyInstance();
    const reimport = await importCatalogue({ file: JSON.parse(exported), prisma: target });
    if (!reimport.ok) throw new Error(reimport.errors.join("\n"));
    const demo = readJson(DEMO_CATALOGUE_PATH);
    if (!isLooseFile(demo)) throw new Error("demo catalogue is not an exchange file");
    expect(reimport.counts.organizations).toEqual({ created: demo.organizations.length + 3, updated: 0, unchanged: 0 });
    expect(reimport.counts.offers).toEqual({ created: demo.offers.length + 3, updated: 0, unchanged: 0 });
    expect(reimport.counts.requests).toEqual({ created: demo.requests.length + 3, updated: 0, unchanged: 0 });

    expect(serializeExchangeFile(await exportCatalogue({ prisma: target }))).toBe(exported);
  });

  test("the export holds every imported field, with defaults filled in and absent fields left out", async () => {
    const prisma = await emptyInstance();
    const file = readJson(SMALL_CATALOGUE_PATH);
    expect((await importCatalogue({ file, prisma })).ok).toBe(true);

    const validation = validateExchangeFile(file);
    if (!validation.ok) throw new Error(validation.errors.join("\n"));
    const expected: ExchangeFile = {
      format: "cooperation-exchange/1",
      organizations: byKey(validation.file.organizations),
      offers: byKey(validation.file.offers),
      requests: byKey(validation.file.requests),
    };
    const exported = await exportCatalogue({ prisma });
    expect(exported).toStrictEqual(JSON.parse(JSON.stringify(expected)));

    // Spot checks against the fixture itself, independent of the validator's defaults.
    const women = exported.offers.find((offer) => offer.key === "test-offer-women");
    expect(women).toMatchObject({ capacityPerYear: 2, costSharing: "to-be-negotiated", status: "published" });
    expect(women && "description" in women).toBe(false);
    const digital = exported.requests.find((request) => request.key === "test-request-digital");
    expect(digital).toMatchObject({ status: "open", modalities: [], desiredStart: "2027-01-15" });
    expect(digital && "desiredEnd" in digital).toBe(false);
    const senprende = exported.organizations.find((organization) => organization.key === "test-senprende");
    expect(senprende && "website" in senprende).toBe(false);
  });

  test("exports list records by key, so two exports of one database are byte for byte equal", async () => {
    const prisma = await emptyInstance();
    expect((await importCatalogue({ file: readJson(DEMO_CATALOGUE_PATH), prisma })).ok).toBe(true);
    const first = await exportCatalogue({ prisma });
    for (const section of ["organizations", "offers", "requests"] as const) {
      const keys = first[section].map((record) => record.key);
      expect(keys).toEqual([...keys].sort());
    }
    expect(serializeExchangeFile(await exportCatalogue({ prisma }))).toBe(serializeExchangeFile(first));
  });
});

// ---------------------------------------------------------------------------------------
// Upsert

describe("upsert by key", () => {
  test("importing the same file twice changes nothing the second time, not even updated_at", async () => {
    const file = uniqueCatalogue();
    const first = await importCatalogue({ file });
    expect(first).toEqual({
      ok: true,
      counts: {
        organizations: { created: 3, updated: 0, unchanged: 0 },
        offers: { created: 3, updated: 0, unchanged: 0 },
        requests: { created: 3, updated: 0, unchanged: 0 },
      },
    });
    const stampsBefore = await updatedAtByKey(file);

    const second = await importCatalogue({ file });
    expect(second).toEqual({
      ok: true,
      counts: {
        organizations: { created: 0, updated: 0, unchanged: 3 },
        offers: { created: 0, updated: 0, unchanged: 3 },
        requests: { created: 0, updated: 0, unchanged: 3 },
      },
    });
    expect(await updatedAtByKey(file)).toEqual(stampsBefore);
  });

  test("a changed record is updated and only its updated_at moves", async () => {
    const file = uniqueCatalogue();
    expect((await importCatalogue({ file })).ok).toBe(true);
    const stampsBefore = await updatedAtByKey(file);
    const changedOffer = String(file.offers[1].key);
    const changedRequest = String(file.requests[0].key);
    file.offers[1] = { ...file.offers[1], themes: ["women-economic-empowerment", "entrepreneurship"], evidence: "Evaluated in 2025." };
    file.requests[0] = { ...file.requests[0], desiredEnd: "2027-12-31" };

    const result = await importCatalogue({ file });
    if (!result.ok) throw new Error(result.errors.join("\n"));
    expect(result.counts.offers).toEqual({ created: 0, updated: 1, unchanged: 2 });
    expect(result.counts.requests).toEqual({ created: 0, updated: 1, unchanged: 2 });
    expect(result.counts.organizations).toEqual({ created: 0, updated: 0, unchanged: 3 });

    const stampsAfter = await updatedAtByKey(file);
    for (const [key, stamp] of Object.entries(stampsBefore)) {
      if (key === changedOffer || key === changedRequest) expect(stampsAfter[key] > stamp).toBe(true);
      else expect(stampsAfter[key]).toBe(stamp);
    }
    const offer = await getPrisma().offer.findUniqueOrThrow({ where: { key: changedOffer }, select: { themes: true, evidence: true } });
    expect(offer).toEqual({ themes: ["women-economic-empowerment", "entrepreneurship"], evidence: "Evaluated in 2025." });
    const request = await getPrisma().request.findUniqueOrThrow({ where: { key: changedRequest }, select: { desiredEnd: true } });
    expect(request.desiredEnd?.toISOString().slice(0, 10)).toBe("2027-12-31");
  });

  test("publishedAt is set when a record is published or opened, and kept afterwards", async () => {
    const file = uniqueCatalogue();
    expect((await importCatalogue({ file })).ok).toBe(true);
    const keys = keysOf(file);
    const published = async () =>
      Object.fromEntries(
        (
          await getPrisma().offer.findMany({ where: { key: { in: keys.offers } }, select: { key: true, publishedAt: true, status: true } })
        ).map((row) => [row.key, row]),
      );
    const draftKey = keys.offers[2];
    const before = await published();
    expect(before[keys.offers[0]].publishedAt).not.toBeNull();
    expect(before[draftKey]).toMatchObject({ status: "draft", publishedAt: null });

    file.offers[2] = { ...file.offers[2], status: "published" };
    file.offers[0] = { ...file.offers[0], status: "archived" };
    expect((await importCatalogue({ file })).ok).toBe(true);
    const after = await published();
    expect(after[draftKey].publishedAt).not.toBeNull();
    expect(after[keys.offers[0]]).toMatchObject({ status: "archived", publishedAt: before[keys.offers[0]].publishedAt });

    const requests = await getPrisma().request.findMany({
      where: { key: { in: keys.requests } },
      select: { status: true, publishedAt: true },
    });
    for (const request of requests) expect(request.publishedAt === null).toBe(request.status !== "open");
  });

  test("imported organizations are verified; an organization already here keeps its verification", async () => {
    const existing = await createOrganization({ verificationStatus: "pending", countryCode: "GT" });
    const file = uniqueCatalogue();
    file.organizations.push({ key: existing.key, name: "Renamed by import", country: "GT", type: "ministry" });

    const result = await importCatalogue({ file });
    if (!result.ok) throw new Error(result.errors.join("\n"));
    expect(result.counts.organizations).toEqual({ created: 3, updated: 1, unchanged: 0 });
    const rows = await getPrisma().organization.findMany({
      where: { key: { in: [...keysOf(file).organizations] } },
      select: { key: true, name: true, type: true, verificationStatus: true },
    });
    for (const row of rows) {
      if (row.key === existing.key) expect(row).toMatchObject({ name: "Renamed by import", type: "ministry", verificationStatus: "pending" });
      else expect(row.verificationStatus).toBe("verified");
    }
  });

  test("offers and requests may refer to an organization that is only in the database", async () => {
    const organization = await createOrganization();
    const file = uniqueCatalogue();
    const offerKey = String(file.offers[0].key);
    const offer = { ...file.offers[0], organization: organization.key };
    const result = await importCatalogue({ file: { format: "cooperation-exchange/1", offers: [offer] } });
    expect(result).toEqual({
      ok: true,
      counts: {
        organizations: { created: 0, updated: 0, unchanged: 0 },
        offers: { created: 1, updated: 0, unchanged: 0 },
        requests: { created: 0, updated: 0, unchanged: 0 },
      },
    });
    const row = await getPrisma().offer.findUniqueOrThrow({ where: { key: offerKey }, select: { organizationId: true } });
    expect(row.organizationId).toBe(organization.id);
  });

  test("progress is reported up to every record written", async () => {
    const file = uniqueCatalogue();
    const events: ImportProgress[] = [];
    expect((await importCatalogue({ file, onProgress: (progress) => events.push(progress) })).ok).toBe(true);
    expect(events[0]).toEqual({ stage: "checking", done: 9, total: 9 });
    expect(events.at(-1)).toEqual({ stage: "writing", done: 9, total: 9 });
    const written = events.filter((event) => event.stage === "writing").map((event) => event.done);
    expect(written).toEqual([...written].sort((a, b) => a - b));
  });
});

// ---------------------------------------------------------------------------------------
// Bad input: every problem reported with its record and field, nothing written

describe("bad input", () => {
  test("a file that is not JSON is reported as such", async () => {
    const file = tempFile("broken.json");
    writeFileSync(file, '{ "format": "cooperation-exchange/1", "organizations": [ { "key": "a" ');
    const result = await readExchangeFile(file);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(/^file: json: not valid JSON: /);
    }
  });

  test("a file that is not UTF-8 is reported as such", async () => {
    const file = tempFile("latin1.json");
    writeFileSync(file, Buffer.from('{"format":"cooperation-exchange/1","organizations":[{"name":"Comisi\xf3n"}]}', "latin1"));
    expect(await readExchangeFile(file)).toEqual({ ok: false, errors: ["file: encoding: not UTF-8 text; save the file as UTF-8"] });
  });

  test("a file over 50 MB is refused from its size, before it is read", async () => {
    const file = tempFile("huge.json");
    writeFileSync(file, "");
    // Sparse: the size is real, the disk blocks are not.
    truncateSync(file, MAX_EXCHANGE_FILE_BYTES + 1);
    const result = await readExchangeFile(file);
    expect(result).toEqual({
      ok: false,
      errors: [`file: size: ${file} is over 50.0 MB; split it into files of at most 50.0 MB`],
    });
  });

  test("a file of exactly 50 MB is read", async () => {
    const file = tempFile("limit.json");
    writeFileSync(file, "");
    truncateSync(file, MAX_EXCHANGE_FILE_BYTES);
    const result = await readExchangeFile(file);
    // Read whole and parsed: zero bytes are not JSON, but the size passed.
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatch(/^file: json: /);
  });

  test("a stream that outgrows the limit while read is cut off", async () => {
    const file = tempFile("growing.json");
    writeFileSync(file, JSON.stringify(readJson(SMALL_CATALOGUE_PATH)));
    const result = await readExchangeFile(file, { maxBytes: 100 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatch(/^file: size: /);
  });

  test("a missing file is reported with its path", async () => {
    const file = tempFile("absent.json");
    expect(await readExchangeFile(file)).toEqual({ ok: false, errors: [`file: path: cannot read ${file}: ENOENT`] });
  });

  test("a wrong format value is refused", async () => {
    const file = { ...uniqueCatalogue(), format: "cooperation-exchange/2" };
    expect(await expectRefused(file)).toEqual(['file: format: expected "cooperation-exchange/1", got "cooperation-exchange/2"']);
    expect(await expectRefused([file])).toEqual([
      'file: format: expected a JSON object with "format": "cooperation-exchange/1", got an array',
    ]);
  });

  test("an unknown theme names the record and the field", async () => {
    const file = uniqueCatalogue();
    file.offers[1] = { ...file.offers[1], themes: ["women-economic-empowerment", "basket-weaving"] };
    expect(await expectRefused(file)).toEqual([`${String(file.offers[1].key)}: themes[1]: unknown theme "basket-weaving"`]);
  });

  test("a reference to an organization that exists nowhere names the record and the field", async () => {
    const file = uniqueCatalogue();
    file.requests[2] = { ...file.requests[2], organization: "no-such-organization-anywhere" };
    expect(await expectRefused(file)).toEqual([
      `${String(file.requests[2].key)}: organization: no organization with key "no-such-organization-anywhere" in this file or in the database`,
    ]);
  });

  test("a key used twice in the file is refused", async () => {
    const file = uniqueCatalogue();
    file.offers.push({ ...file.offers[0], title: "Another offer with the same key" });
    expect(await expectRefused(file)).toEqual([`${String(file.offers[0].key)}: key: duplicate key: offers[0] and offers[3] both use it`]);
  });

  test("a date that is not on the calendar is refused", async () => {
    const file = uniqueCatalogue();
    file.requests[0] = { ...file.requests[0], desiredStart: "2027-02-30" };
    expect(await expectRefused(file)).toEqual([`${String(file.requests[0].key)}: desiredStart: "2027-02-30" is not a real calendar date`]);
  });

  test("an end before the start is refused", async () => {
    const file = uniqueCatalogue();
    file.requests[0] = { ...file.requests[0], desiredStart: "2027-06-01", desiredEnd: "2027-05-31" };
    expect(await expectRefused(file)).toEqual([
      `${String(file.requests[0].key)}: desiredEnd: 2027-05-31 is before desiredStart 2027-06-01`,
    ]);
  });

  test("a country that does not exist is refused", async () => {
    const file = uniqueCatalogue();
    file.organizations[0] = { ...file.organizations[0], country: "XK" };
    expect(await expectRefused(file)).toEqual([
      `${String(file.organizations[0].key)}: country: "XK" is not an ISO 3166-1 alpha-2 country code`,
    ]);
  });

  test("every problem of a file is reported at once", async () => {
    const file = uniqueCatalogue();
    const keys = keysOf(file);
    file.organizations[0] = { ...file.organizations[0], type: "bank", website: "not a url" };
    file.offers[0] = { ...file.offers[0], capacityPerYear: 0, modalities: [], language: "de", misspelt: true };
    file.offers[1] = { ...file.offers[1], title: 42 };
    delete file.offers[2].summary;
    file.requests[1] = { ...file.requests[1], key: "Not A Key", desiredEnd: "31/12/2027" };

    expect(await expectRefused(file)).toEqual([
      `${keys.organizations[0]}: type: unknown organization type "bank"; expected one of ministry, agency, development-bank, business-development-center, training-institute, international-organization, ngo, other`,
      `${keys.organizations[0]}: website: expected an http:// or https:// URL, got "not a url"`,
      `${keys.offers[0]}: language: unknown language "de"; expected one of en, es, pt, fr`,
      `${keys.offers[0]}: modalities: must list at least one code`,
      `${keys.offers[0]}: capacityPerYear: must be at least 1`,
      `${keys.offers[0]}: misspelt: unknown field (not part of cooperation-exchange/1)`,
      `${keys.offers[1]}: title: expected a string, got 42`,
      `${keys.offers[2]}: summary: is required`,
      'requests[1]: key: "Not A Key" is not a valid key: 2 to 80 characters, lowercase letters a-z, digits and hyphens, starting with a letter or digit',
      'requests[1]: desiredEnd: expected a date as YYYY-MM-DD, got "31/12/2027"',
    ]);
  });

  test("a records section that is not a list, and an unknown section, are refused", async () => {
    const errors = await expectRefused({ format: "cooperation-exchange/1", offers: {}, programs: [] });
    expect(errors).toEqual([
      "file: programs: unknown field (not part of cooperation-exchange/1)",
      "file: offers: expected an array of records, got an object",
    ]);
  });
});

// ---------------------------------------------------------------------------------------
// Member scope

describe("member scope", () => {
  async function memberOf(file: LooseFile, organizationIndex: number) {
    const result = await importCatalogue({ file: { format: file.format, organizations: file.organizations } });
    expect(result.ok).toBe(true);
    const organization = await getPrisma().organization.findUniqueOrThrow({
      where: { key: String(file.organizations[organizationIndex].key) },
      select: { id: true, key: true },
    });
    const user = await createUser({ role: "member", organizationId: organization.id });
    return { organization, actor: { userId: user.id, organizationId: organization.id, role: "member" as const } };
  }

  test("a member imports their own organization's records", async () => {
    const file = uniqueCatalogue();
    const { actor, organization } = await memberOf(file, 0);
    const own = {
      format: file.format,
      organizations: [{ ...file.organizations[0], name: "CONAMYPE, renamed by its member" }],
      offers: file.offers.filter((offer) => offer.organization === organization.key),
      requests: file.requests.filter((request) => request.organization === organization.key),
    };
    const result = await importCatalogue({ file: own, actor });
    expect(result).toEqual({
      ok: true,
      counts: {
        organizations: { created: 0, updated: 1, unchanged: 0 },
        offers: { created: 2, updated: 0, unchanged: 0 },
        requests: { created: 1, updated: 0, unchanged: 0 },
      },
    });
    const offers = await getPrisma().offer.findMany({
      where: { organizationId: organization.id },
      select: { createdById: true, updatedById: true },
    });
    expect(offers).toEqual([
      { createdById: actor.userId, updatedById: actor.userId },
      { createdById: actor.userId, updatedById: actor.userId },
    ]);
  });

  test("a member's file with other organizations' records is refused whole", async () => {
    const file = uniqueCatalogue();
    const { actor, organization } = await memberOf(file, 0);
    const keys = keysOf(file);
    const own = `members may only import records of their own organization "${organization.key}"`;
    expect(await expectRefused(file, actor)).toEqual([
      `${keys.organizations[1]}: key: ${own}`,
      `${keys.organizations[2]}: key: ${own}`,
      `${keys.offers[2]}: organization: ${own}`,
      `${keys.requests[0]}: organization: ${own}`,
      `${keys.requests[1]}: organization: ${own}`,
    ]);
  });

  test("a member cannot take over another organization's record by reusing its key", async () => {
    const file = uniqueCatalogue();
    expect((await importCatalogue({ file })).ok).toBe(true);
    const { actor, organization } = await memberOf(file, 0);
    const othersOffer = file.offers[2];
    expect(othersOffer.organization).not.toBe(organization.key);

    const takeover = { format: file.format, offers: [{ ...othersOffer, organization: organization.key }] };
    expect(await expectRefused(takeover, actor)).toEqual([`${String(othersOffer.key)}: key: already used by another organization's offer`]);
    const row = await getPrisma().offer.findUniqueOrThrow({ where: { key: String(othersOffer.key) }, select: { organization: { select: { key: true } } } });
    expect(row.organization.key).toBe(othersOffer.organization);
  });

  test("a member without an organization imports nothing", async () => {
    const user = await createUser({ role: "member", organizationId: null });
    const errors = await expectRefused(uniqueCatalogue(), { userId: user.id, organizationId: null, role: "member" });
    expect(errors).toEqual(["file: organization: your account belongs to no organization, so it cannot import records"]);
  });

  test("staff import records of any organization", async () => {
    const staff = await createUser({ role: "staff" });
    const file = uniqueCatalogue();
    const result = await importCatalogue({ file, actor: { userId: staff.id, organizationId: null, role: "staff" } });
    expect(result.ok).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------
// Command-line output

describe("command-line output", () => {
  function recordingStream(isTTY: boolean) {
    const writes: string[] = [];
    return { stream: { isTTY, columns: 80, write: (chunk: string) => writes.push(chunk) > 0 }, writes };
  }

  test("progress is drawn in place on a terminal", () => {
    const { stream, writes } = recordingStream(true);
    const progress = createProgressReporter({ stream, records: 10 });
    progress.report({ stage: "writing", done: 10, total: 10 });
    progress.finish();
    expect(writes[0]).toMatch(/^\r\[#+\] 100% 10\/10 records written$/);
    expect(writes.at(-1)).toBe("\n");
  });

  test("off a terminal, progress is a line per tenth for files over 1,000 records, and nothing for small files", () => {
    const large = recordingStream(false);
    const progress = createProgressReporter({ stream: large.stream, records: 2_000 });
    for (let done = 0; done <= 2_000; done += 100) progress.report({ stage: "writing", done, total: 2_000 });
    progress.finish();
    expect(large.writes).toHaveLength(11);
    expect(large.writes.at(-1)).toBe("100% 2,000/2,000 records written\n");

    const small = recordingStream(false);
    const quiet = createProgressReporter({ stream: small.stream, records: 1_000 });
    quiet.report({ stage: "writing", done: 1_000, total: 1_000 });
    expect(small.writes).toEqual([]);
  });

  test("the summary is a table of created, updated and unchanged per type", () => {
    expect(
      formatImportSummary({
        organizations: { created: 12, updated: 0, unchanged: 3 },
        offers: { created: 1200, updated: 4, unchanged: 0 },
        requests: { created: 0, updated: 0, unchanged: 7 },
      }),
    ).toBe(
      [
        "               created  updated  unchanged",
        "organizations       12        0          3",
        "offers            1200        4          0",
        "requests             0        0          7",
      ].join("\n"),
    );
  });
});
