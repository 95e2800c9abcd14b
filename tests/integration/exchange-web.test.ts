// Bulk exchange through the web: the staff page (/staff/exchange) and the members' page
// (/dashboard/import), called with real multipart Requests. Every bad input answers 400 with
// the whole report and writes nothing; a good file is imported and queues search and matching
// jobs in its transaction (the outbox). Keys are unique to each test (shared database).
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { loader as dashboardExportLoader } from "~/routes/dashboard_.import.export";
import { action as dashboardImportAction, loader as dashboardImportLoader } from "~/routes/dashboard_.import";
import { loader as staffExportLoader } from "~/routes/staff.exchange.export";
import { action as staffExchangeAction, loader as staffExchangeLoader } from "~/routes/staff.exchange";
import { EXCHANGE_UPLOAD_MAX_BYTES } from "~/schemas/exchange-upload";
import { getPrisma } from "~/utils/db.server";
import { BASE_URL, ensureJobQueue, getRequest, insertOffer, respond } from "../factories/catalogue";
import { createLoggedInUser, createOrganization } from "../factories/users";

beforeAll(async () => {
  await ensureJobQueue();
});

type AnyRecord = Record<string, unknown>;
type LooseFile = { format: string; organizations: AnyRecord[]; offers: AnyRecord[]; requests: AnyRecord[] };

const SMALL_CATALOGUE_PATH = path.resolve("tests/fixtures/exchange/small-catalogue.json");

function isLooseFile(value: unknown): value is LooseFile {
  return typeof value === "object" && value !== null && "organizations" in value && "offers" in value && "requests" in value;
}

/** The small fixture with every key and reference suffixed, so the test's records are its own. */
function uniqueCatalogue(): { file: LooseFile; suffix: string } {
  const suffix = randomBytes(4).toString("hex");
  const file: unknown = JSON.parse(readFileSync(SMALL_CATALOGUE_PATH, "utf8"));
  if (!isLooseFile(file)) throw new Error("the small fixture is not an exchange file");
  const rekey = (record: AnyRecord): AnyRecord => ({
    ...record,
    key: `${String(record.key)}-${suffix}`,
    ...(typeof record.organization === "string" ? { organization: `${record.organization}-${suffix}` } : {}),
  });
  return {
    suffix,
    file: {
      format: file.format,
      organizations: file.organizations.map(rekey),
      offers: file.offers.map(rekey),
      requests: file.requests.map(rekey),
    },
  };
}

function uploadRequest(pathname: string, content: string | Uint8Array<ArrayBuffer>, { cookie, filename = "catalogue.json" }: { cookie: string; filename?: string }) {
  const form = new FormData();
  form.append("file", new File([content], filename, { type: "application/json" }));
  return new Request(`${BASE_URL}${pathname}`, { method: "POST", body: form, headers: { Cookie: cookie } });
}

type UploadAnswer = {
  result: { status?: string; error?: Record<string, string[] | null> } | null;
  report: { ok: true; counts: Record<string, { created: number; updated: number; unchanged: number }> } | { ok: false; errors: string[] } | null;
};

async function upload(
  action: typeof staffExchangeAction,
  pathname: string,
  content: string | Uint8Array<ArrayBuffer>,
  cookie: string,
): Promise<{ status: number; body: UploadAnswer }> {
  const response = await respond(action, uploadRequest(pathname, content, { cookie }));
  const body: UploadAnswer = await response.json();
  return { status: response.status, body };
}

async function countRowsWithSuffix(suffix: string) {
  const prisma = getPrisma();
  const where = { key: { endsWith: suffix } };
  const [organizations, offers, requests] = await Promise.all([
    prisma.organization.count({ where }),
    prisma.offer.count({ where }),
    prisma.request.count({ where }),
  ]);
  return organizations + offers + requests;
}

/** Uploads a file that must be refused: 400, a report, and not one row of it written. */
async function expectRefused(content: string | Uint8Array<ArrayBuffer>, suffix: string, cookie: string): Promise<string[]> {
  const { status, body } = await upload(staffExchangeAction, "/staff/exchange", content, cookie);
  expect(status).toBe(400);
  expect(await countRowsWithSuffix(suffix)).toBe(0);
  if (!body.report || body.report.ok) throw new Error(`expected a failed report, got ${JSON.stringify(body.report)}`);
  return body.report.errors;
}

/** Jobs of these tasks whose payload names one of the ids. */
async function jobsFor(tasks: string[], ids: string[]): Promise<number> {
  const rows = await getPrisma().$queryRaw<Array<{ identifier: string; payload: unknown }>>`
    select tasks.identifier, jobs.payload from graphile_worker._private_jobs as jobs
    join graphile_worker._private_tasks as tasks on tasks.id = jobs.task_id`;
  return rows.filter((row) => tasks.includes(row.identifier) && ids.some((id) => JSON.stringify(row.payload).includes(id))).length;
}

async function staffCookie() {
  return (await createLoggedInUser({ role: "staff" })).cookie;
}

describe("staff upload", () => {
  test("a valid file is imported, summarized per type, and queues search sync and matching for every record", async () => {
    const cookie = await staffCookie();
    const { file, suffix } = uniqueCatalogue();
    const { status, body } = await upload(staffExchangeAction, "/staff/exchange", JSON.stringify(file), cookie);

    expect(status).toBe(200);
    expect(body.report).toEqual({
      ok: true,
      counts: {
        organizations: { created: 3, updated: 0, unchanged: 0 },
        offers: { created: 3, updated: 0, unchanged: 0 },
        requests: { created: 3, updated: 0, unchanged: 0 },
      },
    });
    expect(await countRowsWithSuffix(suffix)).toBe(9);

    const prisma = getPrisma();
    const offers = await prisma.offer.findMany({ where: { key: { endsWith: suffix } }, select: { id: true } });
    const requests = await prisma.request.findMany({ where: { key: { endsWith: suffix } }, select: { id: true } });
    const organizations = await prisma.organization.findMany({ where: { key: { endsWith: suffix } }, select: { id: true } });
    const offerIds = offers.map((row) => row.id);
    const requestIds = requests.map((row) => row.id);
    const organizationIds = organizations.map((row) => row.id);
    // Search sync per record kind, matching for the requests and for the offers.
    expect(await jobsFor(["search-sync"], offerIds)).toBeGreaterThan(0);
    expect(await jobsFor(["search-sync"], requestIds)).toBeGreaterThan(0);
    expect(await jobsFor(["search-sync"], organizationIds)).toBeGreaterThan(0);
    expect(await jobsFor(["matching-requests"], requestIds)).toBeGreaterThan(0);
    expect(await jobsFor(["matching-offers"], offerIds)).toBeGreaterThan(0);
  });

  test("uploading the same file again changes nothing and queues nothing", async () => {
    const cookie = await staffCookie();
    const { file, suffix } = uniqueCatalogue();
    expect((await upload(staffExchangeAction, "/staff/exchange", JSON.stringify(file), cookie)).status).toBe(200);
    const offerIds = (await getPrisma().offer.findMany({ where: { key: { endsWith: suffix } }, select: { id: true } })).map((row) => row.id);
    const jobsBefore = await jobsFor(["search-sync", "matching-offers"], offerIds);

    const second = await upload(staffExchangeAction, "/staff/exchange", JSON.stringify(file), cookie);
    expect(second.status).toBe(200);
    expect(second.body.report).toMatchObject({
      ok: true,
      counts: { offers: { created: 0, updated: 0, unchanged: 3 }, requests: { created: 0, updated: 0, unchanged: 3 } },
    });
    expect(await jobsFor(["search-sync", "matching-offers"], offerIds)).toBe(jobsBefore);
  });

  test("a file that is not JSON is refused with a report", async () => {
    const { suffix } = uniqueCatalogue();
    const errors = await expectRefused(`{"format": "cooperation-exchange/1", "offers": [ ${suffix}`, suffix, await staffCookie());
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^file: json: not valid JSON/);
  });

  test("a file of the wrong format is refused, naming the format field", async () => {
    const { file, suffix } = uniqueCatalogue();
    const errors = await expectRefused(JSON.stringify({ ...file, format: "cooperation-exchange/2" }), suffix, await staffCookie());
    expect(errors).toEqual(['file: format: expected "cooperation-exchange/1", got "cooperation-exchange/2"']);
  });

  test("a file over 50 MB is refused with a clear message, not a 500", async () => {
    const { file, suffix } = uniqueCatalogue();
    const text = JSON.stringify(file);
    // A real file with its records, padded past the limit with whitespace (still valid JSON).
    const content = new Uint8Array(EXCHANGE_UPLOAD_MAX_BYTES + 1).fill(0x20);
    content.set(new TextEncoder().encode(text), 0);
    const errors = await expectRefused(content, suffix, await staffCookie());
    expect(errors).toEqual(["file: size: the file is over 50 MB; split it into files of at most 50 MB"]);
  });

  test("an unknown theme, a dangling organization, a duplicate key and 2027-02-30 are all reported at once", async () => {
    const { file, suffix } = uniqueCatalogue();
    const [firstOffer, secondOffer] = file.offers;
    const [firstRequest] = file.requests;
    const broken: LooseFile = {
      ...file,
      offers: [
        { ...firstOffer, themes: ["business-development-centers", "space-tourism"] },
        { ...secondOffer, organization: `nowhere-${suffix}` },
        { ...file.offers[2], key: String(firstOffer.key) },
      ],
      requests: [{ ...firstRequest, desiredStart: "2027-02-30" }, ...file.requests.slice(1)],
    };
    const errors = await expectRefused(JSON.stringify(broken), suffix, await staffCookie());
    expect(errors).toEqual(
      expect.arrayContaining([
        `${String(firstOffer.key)}: themes[1]: unknown theme "space-tourism"`,
        `${String(secondOffer.key)}: organization: no organization with key "nowhere-${suffix}" in this file or in the database`,
        `${String(firstOffer.key)}: key: duplicate key: offers[0] and offers[2] both use it`,
        `${String(firstRequest.key)}: desiredStart: "2027-02-30" is not a real calendar date`,
      ]),
    );
    expect(errors).toHaveLength(4);
  });

  test("a submission without a file is a 400 naming the file field", async () => {
    const cookie = await staffCookie();
    const form = new FormData();
    form.append("other", "value");
    const response = await respond(staffExchangeAction, new Request(`${BASE_URL}/staff/exchange`, { method: "POST", body: form, headers: { Cookie: cookie } }));
    expect(response.status).toBe(400);
    const body: UploadAnswer = await response.json();
    expect(body.report).toBeNull();
    expect(body.result?.error?.file).toEqual(["exchange:upload.fileRequired"]);
  });

  test("a body that is not multipart is refused with a report", async () => {
    const cookie = await staffCookie();
    const response = await respond(
      staffExchangeAction,
      new Request(`${BASE_URL}/staff/exchange`, { method: "POST", body: "{}", headers: { Cookie: cookie, "Content-Type": "application/json" } }),
    );
    expect(response.status).toBe(400);
    const body: UploadAnswer = await response.json();
    expect(body.report).toEqual({ ok: false, errors: ["file: upload: expected a file sent as multipart/form-data"] });
  });

  test("the page and the upload are for staff only", async () => {
    const anonymous = await respond(staffExchangeLoader, getRequest("/staff/exchange"));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);

    const { cookie } = await createLoggedInUser();
    const { file, suffix } = uniqueCatalogue();
    const response = await respond(staffExchangeAction, uploadRequest("/staff/exchange", JSON.stringify(file), { cookie }));
    expect(response.status).toBe(403);
    expect(await countRowsWithSuffix(suffix)).toBe(0);
    expect((await respond(staffExportLoader, getRequest("/staff/exchange/export", { cookie }))).status).toBe(403);
  });

  test("staff download the whole catalogue as an exchange file attachment", async () => {
    const cookie = await staffCookie();
    const { file } = uniqueCatalogue();
    expect((await upload(staffExchangeAction, "/staff/exchange", JSON.stringify(file), cookie)).status).toBe(200);

    const response = await respond(staffExportLoader, getRequest("/staff/exchange/export", { cookie }));
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="enlace-catalogue-\d{4}-\d{2}-\d{2}\.json"$/);
    const exported: LooseFile = await response.json();
    expect(exported.format).toBe("cooperation-exchange/1");
    const offerKeys = exported.offers.map((offer) => offer.key);
    for (const offer of file.offers) expect(offerKeys).toContain(offer.key);
  });
});

describe("member upload", () => {
  async function memberWithOrganization() {
    const organization = await createOrganization();
    const { user, cookie } = await createLoggedInUser({ organizationId: organization.id });
    return { organization, user, cookie };
  }

  function ownFile(organizationKey: string, suffix: string): LooseFile {
    const { file } = uniqueCatalogue();
    return {
      format: file.format,
      organizations: [],
      offers: file.offers.slice(0, 2).map((offer, index) => ({ ...offer, key: `own-offer-${index}-${suffix}`, organization: organizationKey })),
      requests: file.requests.slice(0, 1).map((request) => ({ ...request, key: `own-request-${suffix}`, organization: organizationKey })),
    };
  }

  test("a member imports their own organization's offers and requests", async () => {
    const { organization, user, cookie } = await memberWithOrganization();
    const suffix = randomBytes(4).toString("hex");
    const { status, body } = await upload(dashboardImportAction, "/dashboard/import", JSON.stringify(ownFile(organization.key, suffix)), cookie);

    expect(status).toBe(200);
    expect(body.report).toMatchObject({ ok: true, counts: { offers: { created: 2 }, requests: { created: 1 } } });
    const offers = await getPrisma().offer.findMany({ where: { key: { endsWith: suffix } }, select: { organizationId: true, createdById: true } });
    expect(offers).toEqual([
      { organizationId: organization.id, createdById: user.id },
      { organizationId: organization.id, createdById: user.id },
    ]);
  });

  test("a member's file holding another organization's record is refused whole", async () => {
    const { organization, cookie } = await memberWithOrganization();
    const other = await createOrganization();
    const suffix = randomBytes(4).toString("hex");
    const file = ownFile(organization.key, suffix);
    file.offers[1] = { ...file.offers[1], organization: other.key };

    const { status, body } = await upload(dashboardImportAction, "/dashboard/import", JSON.stringify(file), cookie);
    expect(status).toBe(400);
    expect(body.report).toEqual({
      ok: false,
      errors: [`own-offer-1-${suffix}: organization: members may only import records of their own organization "${organization.key}"`],
    });
    expect(await countRowsWithSuffix(suffix)).toBe(0);
  });

  test("a member cannot take over another organization's record by reusing its key", async () => {
    const { organization, cookie } = await memberWithOrganization();
    const other = await createOrganization();
    const theirs = await insertOffer({ organizationId: other.id });
    const suffix = randomBytes(4).toString("hex");
    const file = ownFile(organization.key, suffix);
    file.offers[0] = { ...file.offers[0], key: theirs.key };

    const { status, body } = await upload(dashboardImportAction, "/dashboard/import", JSON.stringify(file), cookie);
    expect(status).toBe(400);
    expect(body.report).toEqual({ ok: false, errors: [`${theirs.key}: key: already used by another organization's offer`] });
    expect(await getPrisma().offer.findUniqueOrThrow({ where: { id: theirs.id }, select: { organizationId: true } })).toEqual({
      organizationId: other.id,
    });
  });

  test("bad input through the members' page gets the same report, and nothing is written", async () => {
    const { organization, cookie } = await memberWithOrganization();
    const suffix = randomBytes(4).toString("hex");
    const file = ownFile(organization.key, suffix);
    file.requests[0] = { ...file.requests[0], desiredEnd: "2027-02-30" };

    const { status, body } = await upload(dashboardImportAction, "/dashboard/import", JSON.stringify(file), cookie);
    expect(status).toBe(400);
    expect(body.report).toEqual({ ok: false, errors: [`own-request-${suffix}: desiredEnd: "2027-02-30" is not a real calendar date`] });
    expect(await countRowsWithSuffix(suffix)).toBe(0);
  });

  test("an account awaiting verification sees the page but may not import", async () => {
    const organization = await createOrganization();
    const { cookie } = await createLoggedInUser({ organizationId: organization.id, status: "pending" });
    const page = await respond(dashboardImportLoader, getRequest("/dashboard/import", { cookie }));
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({ verified: false, organizationKey: organization.key });

    const suffix = randomBytes(4).toString("hex");
    const response = await respond(dashboardImportAction, uploadRequest("/dashboard/import", JSON.stringify(ownFile(organization.key, suffix)), { cookie }));
    expect(response.status).toBe(403);
    expect(await countRowsWithSuffix(suffix)).toBe(0);
  });

  test("a member downloads their organization's records and no one else's", async () => {
    const { organization, cookie } = await memberWithOrganization();
    const other = await createOrganization();
    const draft = await insertOffer({ organizationId: organization.id, status: "draft" });
    const theirs = await insertOffer({ organizationId: other.id });

    const response = await respond(dashboardExportLoader, getRequest("/dashboard/import/export", { cookie }));
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toMatch(new RegExp(`^attachment; filename="${organization.key}-\\d{4}-\\d{2}-\\d{2}\\.json"$`));
    const exported: LooseFile = await response.json();
    expect(exported.organizations.map((record) => record.key)).toEqual([organization.key]);
    expect(exported.offers.map((record) => record.key)).toEqual([draft.key]);
    expect(exported.offers.map((record) => record.key)).not.toContain(theirs.key);
    expect(exported.requests).toEqual([]);
  });

  test("users without an organization have no import page", async () => {
    const { cookie } = await createLoggedInUser({ role: "staff" });
    expect((await respond(dashboardImportLoader, getRequest("/dashboard/import", { cookie }))).status).toBe(403);
    expect((await respond(dashboardExportLoader, getRequest("/dashboard/import/export", { cookie }))).status).toBe(403);
  });
});
