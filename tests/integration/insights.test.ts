// The insights page on a generated dataset, in a scratch database of its own (the figures are
// totals over the whole database, so no other test's records may be in it). Every figure is
// checked against counts computed here, in JavaScript, from the rows read back from the
// database: never against numbers the implementation produced.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { supplyStatus } from "~/components/insights/analysis";
import { gatherBulletinHighlights } from "~/models/bulletin.server";
import { bulletinEdition } from "~/models/bulletin-edition";
import { loader as csvLoader } from "~/routes/insights.$file";
import { loader as insightsLoader } from "~/routes/insights._index";
import { THEME_CODES } from "~/schemas/vocabulary";
import { disconnectPrisma, getPrisma } from "~/utils/db.server";
import { resetEnvCache } from "~/utils/env.server";
import { applyMigrations } from "~/utils/migrate.server";
import { BASE_URL, respond } from "../factories/catalogue";
import { createLoggedInUser, createOrganization } from "../factories/users";
import { createScratchDatabase, type ScratchDatabase } from "../setup/database";

const DAY_MS = 24 * 60 * 60 * 1000;
const WEE = "women-economic-empowerment";
const COUNTRIES = ["AR", "BR", "CL", "CO", "MX", "PE", "SV", "HN", "GT", "DO", "CR", "UY", "PY"];
// Requested but never offered: the dataset has unmet themes by construction.
const NEVER_OFFERED = ["labor-migration", "disability-inclusion", "public-procurement"];
// Offered but never requested: and themes with supply and no demand.
const NEVER_REQUESTED = ["early-childhood", "green-economy"];
const OFFERED_THEMES = THEME_CODES.filter((theme) => !NEVER_OFFERED.includes(theme));
const REQUESTED_THEMES = THEME_CODES.filter((theme) => !NEVER_REQUESTED.includes(theme));

let database: ScratchDatabase;
let sharedDatabaseUrl: string | undefined;
let staffCookie: string;
/** The moment the bulletin period of the cooperation highlights ends. */
const PERIOD = { since: new Date("2026-09-01T00:00:00Z"), until: new Date("2026-10-01T00:00:00Z") };

// ---------------------------------------------------------------------------------------
// A reproducible dataset

function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seededRandom(20261123);
const pick = <Item,>(items: readonly Item[]): Item => items[Math.floor(random() * items.length)];
const chance = (probability: number) => random() < probability;
const addDays = (date: Date, days: number) => new Date(date.getTime() + days * DAY_MS);
function someThemes(from: readonly string[], extra?: string): string[] {
  const themes = new Set<string>();
  const count = 1 + Math.floor(random() * 3);
  while (themes.size < count) themes.add(pick(from));
  if (extra) themes.add(extra);
  return [...themes];
}

async function generateDataset() {
  const prisma = getPrisma();
  const organizations = [];
  for (const countryCode of COUNTRIES) {
    for (let index = 0; index < 2; index += 1) organizations.push(await createOrganization({ countryCode }));
  }
  const start = new Date("2024-01-05T12:00:00Z");

  const offers = [];
  for (let index = 0; index < 70; index += 1) {
    const status = pick(["published", "published", "published", "draft", "archived"] as const);
    offers.push(
      await prisma.offer.create({
        data: {
          key: `insights-offer-${index}`,
          organizationId: pick(organizations).id,
          title: `Program ${index}`,
          summary: "A program that worked.",
          language: pick(["en", "es", "pt"]),
          themes: someThemes(OFFERED_THEMES, chance(0.15) ? WEE : undefined),
          modalities: ["study-visit"],
          workingLanguages: ["es"],
          status,
          publishedAt: status === "draft" ? null : addDays(start, Math.floor(random() * 200)),
        },
        select: { id: true, status: true },
      }),
    );
  }
  const requests = [];
  for (let index = 0; index < 90; index += 1) {
    const status = pick(["open", "open", "open", "closed", "draft"] as const);
    const publishedAt = status === "draft" ? null : addDays(start, Math.floor(random() * 700));
    requests.push(
      await prisma.request.create({
        data: {
          key: `insights-request-${index}`,
          organizationId: pick(organizations).id,
          title: `Need ${index}`,
          summary: "A need.",
          language: "es",
          themes: someThemes(chance(0.2) ? NEVER_OFFERED : REQUESTED_THEMES, chance(0.2) ? WEE : undefined),
          modalities: [],
          workingLanguages: ["es"],
          status,
          publishedAt,
        },
        select: { id: true, status: true, publishedAt: true },
      }),
    );
  }

  const publishedOffers = offers.filter((offer) => offer.status === "published");
  let proposalCount = 0;
  for (const request of requests) {
    if (!request.publishedAt || !chance(0.8)) continue;
    const candidates = new Set<string>();
    const wanted = 1 + Math.floor(random() * 3);
    while (candidates.size < wanted) candidates.add(pick(publishedOffers).id);
    for (const offerId of candidates) {
      proposalCount += 1;
      const createdAt = addDays(request.publishedAt, 0.5 + random() * 40);
      const status = pick(["proposed", "rejected", "confirmed", "accepted", "accepted", "accepted", "declined"] as const);
      const decidedAt = status === "proposed" ? null : addDays(createdAt, 0.25 + random() * 20);
      const proposal = await prisma.proposal.create({
        data: {
          requestId: request.id,
          offerId,
          status,
          score: Math.round(random() * 10_000) / 100,
          sharedLanguage: true,
          factors: {},
          reasons: { en: [], es: [] },
          decidedAt,
          rejectionReason: status === "rejected" ? "not-relevant" : null,
          createdAt,
        },
        select: { id: true },
      });
      if (!decidedAt || status === "rejected" || status === "proposed") continue;
      const requesterAt = addDays(decidedAt, random() * 10);
      const providerAt = addDays(decidedAt, random() * 10);
      const requesterStatus = status === "accepted" ? "accepted" : status === "declined" ? pick(["accepted", "declined"] as const) : "accepted";
      const providerStatus =
        status === "accepted" ? "accepted" : status === "declined" ? (requesterStatus === "declined" ? "accepted" : "declined") : "pending";
      await prisma.pairingConsent.createMany({
        data: [
          { proposalId: proposal.id, side: "requester", status: requesterStatus, respondedAt: requesterAt, declineReason: requesterStatus === "declined" ? "timing" : null },
          {
            proposalId: proposal.id,
            side: "provider",
            status: providerStatus,
            respondedAt: providerStatus === "pending" ? null : providerAt,
            declineReason: providerStatus === "declined" ? "capacity" : null,
          },
        ],
      });
      if (status !== "accepted") continue;
      const agreedAt = new Date(Math.max(requesterAt.getTime(), providerAt.getTime()));
      const cooperationStatus = pick(["planned", "in_progress", "completed", "completed", "completed", "cancelled"] as const);
      const startedAt = cooperationStatus === "planned" ? null : addDays(agreedAt, 1 + random() * 30);
      const completedAt = cooperationStatus === "completed" && startedAt ? addDays(startedAt, 10 + random() * 200) : null;
      const cooperation = await prisma.cooperation.create({
        data: {
          proposalId: proposal.id,
          requestId: request.id,
          offerId,
          status: cooperationStatus,
          createdAt: agreedAt,
          startedAt,
          completedAt,
          cancelledAt: cooperationStatus === "cancelled" ? addDays(agreedAt, 5) : null,
          cancelReason: cooperationStatus === "cancelled" ? "The ministry changed its priorities." : null,
        },
        select: { id: true },
      });
      if (!completedAt) continue;
      const sides = pick([["requester"], ["provider"], ["requester", "provider"]] as const);
      await prisma.outcomeReport.createMany({
        data: sides.map((side) => ({
          cooperationId: cooperation.id,
          side,
          transferred: "The model.",
          peopleTrained: 10,
          trainersCertified: 2,
          rating: 1 + Math.floor(random() * 5),
          adoption: pick(["adopted", "adapted", "not_adopted"] as const),
          filedAt: addDays(completedAt, 1 + random() * 60),
        })),
      });
    }
  }
  return { proposalCount };
}

// ---------------------------------------------------------------------------------------
// Independent expectations, computed from rows read back

async function readBack() {
  const prisma = getPrisma();
  const [organizations, countries, offers, requests, proposals, consents, cooperations, reports] = await Promise.all([
    prisma.organization.findMany({ select: { id: true, countryCode: true, name: true } }),
    prisma.country.findMany({ select: { code: true, nameEn: true, nameEs: true } }),
    prisma.offer.findMany({ select: { id: true, organizationId: true, status: true, themes: true, title: true } }),
    prisma.request.findMany({ select: { id: true, organizationId: true, status: true, themes: true, publishedAt: true, createdAt: true } }),
    prisma.proposal.findMany({ select: { id: true, requestId: true, status: true, createdAt: true, decidedAt: true } }),
    prisma.pairingConsent.findMany({ select: { proposalId: true, side: true, status: true, respondedAt: true } }),
    prisma.cooperation.findMany({ select: { id: true, requestId: true, offerId: true, status: true, createdAt: true, startedAt: true, completedAt: true } }),
    prisma.outcomeReport.findMany({ select: { cooperationId: true, side: true, adoption: true, filedAt: true } }),
  ]);
  const countryOf = new Map(organizations.map((organization) => [organization.id, organization.countryCode]));
  const offerById = new Map(offers.map((offer) => [offer.id, offer]));
  const requestById = new Map(requests.map((request) => [request.id, request]));
  const countryName = new Map(countries.map((country) => [country.code, country]));
  const counted = cooperations.filter((cooperation) => cooperation.status !== "cancelled");
  const cooperationThemes = (cooperation: (typeof cooperations)[number]) =>
    new Set([...(offerById.get(cooperation.offerId)?.themes ?? []), ...(requestById.get(cooperation.requestId)?.themes ?? [])]);
  const cooperationYear = (cooperation: (typeof cooperations)[number]) => (cooperation.startedAt ?? cooperation.createdAt).getUTCFullYear();
  const providerOf = (cooperation: (typeof cooperations)[number]) => countryOf.get(offerById.get(cooperation.offerId)?.organizationId ?? "") ?? "";
  const beneficiaryOf = (cooperation: (typeof cooperations)[number]) =>
    countryOf.get(requestById.get(cooperation.requestId)?.organizationId ?? "") ?? "";
  return {
    organizations,
    offers,
    requests,
    proposals,
    consents,
    cooperations,
    counted,
    reports,
    countryOf,
    countryName,
    cooperationThemes,
    cooperationYear,
    providerOf,
    beneficiaryOf,
  };
}

type Rows = Awaited<ReturnType<typeof readBack>>;

function expectedSupplyDemand(rows: Rows) {
  return THEME_CODES.map((theme) => ({
    theme,
    offers: rows.offers.filter((offer) => offer.status === "published" && offer.themes.includes(theme)).length,
    requests: rows.requests.filter((request) => request.status === "open" && request.themes.includes(theme)).length,
  }));
}

function expectedFlows(rows: Rows, { theme, year }: { theme?: string; year?: number }) {
  const flows = new Map<string, number>();
  for (const cooperation of rows.counted) {
    if (theme && !rows.cooperationThemes(cooperation).has(theme)) continue;
    if (year !== undefined && rows.cooperationYear(cooperation) !== year) continue;
    const key = `${rows.providerOf(cooperation)}>${rows.beneficiaryOf(cooperation)}`;
    flows.set(key, (flows.get(key) ?? 0) + 1);
  }
  return Object.fromEntries([...flows].sort(([a], [b]) => a.localeCompare(b)));
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function minTime(dates: Array<Date | null | undefined>): number | null {
  const times = dates.filter((date): date is Date => date instanceof Date).map((date) => date.getTime());
  return times.length > 0 ? Math.min(...times) : null;
}

function expectedFunnel(rows: Rows) {
  const base = rows.requests.filter((request) => request.status === "open" || request.status === "closed");
  const journeys = base.map((request) => {
    const proposals = rows.proposals.filter((proposal) => proposal.requestId === request.id);
    const t0 = (request.publishedAt ?? request.createdAt).getTime();
    const t1 = minTime(proposals.map((proposal) => proposal.createdAt));
    const confirmed = proposals.filter((proposal) => ["confirmed", "accepted", "declined"].includes(proposal.status));
    const t2 = t1 === null ? null : minTime(confirmed.map((proposal) => proposal.decidedAt));
    const acceptedTimes = proposals.flatMap((proposal) => {
      const answers = rows.consents.filter((consent) => consent.proposalId === proposal.id);
      const bothAccepted = ["requester", "provider"].every((side) => answers.some((answer) => answer.side === side && answer.status === "accepted"));
      return bothAccepted ? [new Date(Math.max(...answers.map((answer) => answer.respondedAt?.getTime() ?? 0)))] : [];
    });
    const t3 = t2 === null ? null : minTime(acceptedTimes);
    const completed = rows.cooperations.filter((cooperation) => cooperation.requestId === request.id && cooperation.status === "completed");
    const t4 = t3 === null ? null : minTime(completed.map((cooperation) => cooperation.completedAt));
    const adoptedReports = rows.reports.filter(
      (report) =>
        completed.some((cooperation) => cooperation.id === report.cooperationId) &&
        report.side === "requester" &&
        (report.adoption === "adopted" || report.adoption === "adapted"),
    );
    const t5 = t4 === null ? null : minTime(adoptedReports.map((report) => report.filedAt));
    return [t0, t1, t2, t3, t4, t5];
  });
  const steps = ["requests", "proposed", "confirmed", "accepted", "completed", "adopted"];
  return steps.map((step, index) => {
    const reached = journeys.filter((journey) => journey[index] !== null);
    const gaps = index === 0 ? [] : reached.map((journey) => ((journey[index] ?? 0) - (journey[index - 1] ?? 0)) / DAY_MS);
    return { step, requests: reached.length, medianDays: index === 0 ? null : median(gaps) };
  });
}

function expectedCountryActivity(rows: Rows) {
  const activity = new Map<string, { offered: number; requested: number; asProvider: number; asBeneficiary: number }>();
  const entry = (code: string) => {
    const current = activity.get(code) ?? { offered: 0, requested: 0, asProvider: 0, asBeneficiary: 0 };
    activity.set(code, current);
    return current;
  };
  for (const offer of rows.offers) if (offer.status === "published") entry(rows.countryOf.get(offer.organizationId) ?? "").offered += 1;
  for (const request of rows.requests) if (request.status === "open") entry(rows.countryOf.get(request.organizationId) ?? "").requested += 1;
  for (const cooperation of rows.counted) {
    entry(rows.providerOf(cooperation)).asProvider += 1;
    entry(rows.beneficiaryOf(cooperation)).asBeneficiary += 1;
  }
  return Object.fromEntries([...activity].sort(([a], [b]) => a.localeCompare(b)));
}

// ---------------------------------------------------------------------------------------
// Helpers

function pageRequest(query = "", headers: Record<string, string> = {}): Request {
  return new Request(`${BASE_URL}/insights${query}`, { headers });
}

async function loadPage(query = "", headers: Record<string, string> = {}) {
  const response = await respond(insightsLoader, pageRequest(query, headers));
  return { status: response.status, data: await response.json() };
}

async function loadCsv(file: string, headers: Record<string, string> = {}) {
  return respond(csvLoader, new Request(`${BASE_URL}/insights/${file}`, { headers }), { file: file.split("?")[0] });
}

/** RFC 4180 fields (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let field = "";
  let row: string[] = [];
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\r" && text[index + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      index += 1;
    } else field += char;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  return rows;
}

async function csvOf(response: Response) {
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
  expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="enlace-[a-z0-9-]+\.csv"$/);
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  expect(text.endsWith("\r\n")).toBe(true);
  const [header, ...rows] = parseCsv(text.slice(1));
  return { header, rows };
}

type FlowRow = { providerCode: string; beneficiaryCode: string; cooperations: number; provider: string; beneficiary: string };

function flowMap(flows: FlowRow[]) {
  return Object.fromEntries(
    flows.map((flow) => [`${flow.providerCode}>${flow.beneficiaryCode}`, flow.cooperations]).sort(([a], [b]) => String(a).localeCompare(String(b))),
  );
}

// ---------------------------------------------------------------------------------------
// Setup: a scratch database becomes the application's for this file

let rows: Rows;

beforeAll(async () => {
  database = await createScratchDatabase();
  await applyMigrations({ databaseUrl: database.url, migrationsDir: path.resolve("prisma/migrations") });
  sharedDatabaseUrl = process.env.DATABASE_URL;
  await disconnectPrisma();
  process.env.DATABASE_URL = database.url;
  resetEnvCache();
  await generateDataset();
  staffCookie = (await createLoggedInUser({ role: "staff" })).cookie;
  rows = await readBack();
}, 120_000);

afterAll(async () => {
  await disconnectPrisma();
  process.env.DATABASE_URL = sharedDatabaseUrl;
  resetEnvCache();
  await database?.drop();
});

test("the generated dataset exercises every step and every kind of theme", () => {
  const statuses = new Set(rows.cooperations.map((cooperation) => cooperation.status));
  expect([...statuses].sort()).toEqual(["cancelled", "completed", "in_progress", "planned"]);
  const years = new Set(rows.counted.map(rows.cooperationYear));
  expect(years.size).toBeGreaterThanOrEqual(2);
  const kinds = new Set(expectedSupplyDemand(rows).map(supplyStatus));
  expect(kinds).toEqual(new Set(["unmet", "short", "covered", "none"]));
  expect(expectedFunnel(rows).at(-1)?.requests).toBeGreaterThan(1);
});

// ---------------------------------------------------------------------------------------
// Supply and demand

describe("supply and demand per theme", () => {
  test("counts published offers and open requests for every theme", async () => {
    const { status, data } = await loadPage();
    expect(status).toBe(200);
    expect(data.themes).toEqual(expectedSupplyDemand(rows));
  });

  test("the unmet themes are exactly those with open requests and no published offer", async () => {
    const expectedUnmet = expectedSupplyDemand(rows)
      .filter((row) => row.requests > 0 && row.offers === 0)
      .map((row) => row.theme)
      .sort();
    expect(expectedUnmet.length).toBeGreaterThan(0);
    for (const theme of expectedUnmet) expect(NEVER_OFFERED).toContain(theme);

    const { header, rows: csvRows } = await csvOf(await loadCsv("supply-demand.csv"));

    expect(header).toEqual(["theme", "theme_label", "published_offers", "open_requests", "supply_status"]);
    expect(csvRows).toHaveLength(THEME_CODES.length);
    expect(csvRows.filter((row) => row[4] === "unmet").map((row) => row[0]).sort()).toEqual(expectedUnmet);
    const expected = new Map(expectedSupplyDemand(rows).map((row) => [row.theme, row]));
    for (const [theme, , offers, requests, status] of csvRows) {
      const row = expected.get(theme as (typeof THEME_CODES)[number]);
      expect([Number(offers), Number(requests)]).toEqual([row?.offers, row?.requests]);
      expect(status).toBe(row ? supplyStatus(row) : "missing");
    }
    // the largest gap first
    const gaps = csvRows.map((row) => Number(row[3]) - Number(row[2]));
    expect(gaps).toEqual([...gaps].sort((a, b) => b - a));
  });
});

// ---------------------------------------------------------------------------------------
// Flows

describe("cooperation flows between countries", () => {
  test("count every cooperation that was not cancelled, provider to beneficiary", async () => {
    const { data } = await loadPage();
    const expected = expectedFlows(rows, {});
    expect(flowMap(data.flows)).toEqual(expected);
    expect(Object.values(expected).reduce((sum, value) => sum + value, 0)).toBe(rows.counted.length);
    expect(data.years).toEqual([...new Set(rows.counted.map(rows.cooperationYear))].sort((a, b) => b - a));
  });

  test("filter by theme, by year and by both", async () => {
    const theme = "entrepreneurship";
    const year = rows.cooperationYear(rows.counted[0]);
    for (const [query, filter] of [
      [`?theme=${theme}`, { theme }],
      [`?year=${year}`, { year }],
      [`?theme=${WEE}&year=${year}`, { theme: WEE, year }],
    ] as const) {
      const { status, data } = await loadPage(query);
      expect(status).toBe(200);
      const expected = expectedFlows(rows, filter);
      expect(flowMap(data.flows), query).toEqual(expected);
      expect(data.flows.length, query).toBeLessThan(Object.keys(expectedFlows(rows, {})).length + 1);
    }
    expect(Object.keys(expectedFlows(rows, { theme })).length).toBeGreaterThan(0);
  });

  test("a bad theme or year answers 400 naming the parameter and shows every flow", async () => {
    const { status, data } = await loadPage("?theme=not-a-theme&year=20x6");
    expect(status).toBe(400);
    expect(data.flowProblems).toEqual([
      { param: "theme", value: "not-a-theme" },
      { param: "year", value: "20x6" },
    ]);
    expect(flowMap(data.flows)).toEqual(expectedFlows(rows, {}));

    const csv = await loadCsv("flows.csv?theme=not-a-theme");
    expect(csv.status).toBe(400);
    expect(await csv.text()).toMatch(/Invalid parameter "theme"/);
  });

  test("the CSV holds the filtered flows with country names in the reader's language", async () => {
    const year = rows.cooperationYear(rows.counted[0]);
    const { header, rows: csvRows } = await csvOf(await loadCsv(`flows.csv?year=${year}`, { "Accept-Language": "es" }));
    expect(header).toEqual(["provider_country", "provider_name", "beneficiary_country", "beneficiary_name", "cooperations"]);
    expect(Object.fromEntries(csvRows.map((row) => [`${row[0]}>${row[2]}`, Number(row[4])]).sort(([a], [b]) => String(a).localeCompare(String(b))))).toEqual(
      expectedFlows(rows, { year }),
    );
    for (const row of csvRows) {
      expect(row[1]).toBe(rows.countryName.get(row[0])?.nameEs);
      expect(row[3]).toBe(rows.countryName.get(row[2])?.nameEs);
    }
    expect(csvRows.some((row) => row[1] !== rows.countryName.get(row[0])?.nameEn)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------
// Funnel

describe("the funnel", () => {
  test("counts the requests that reached each step and the median days between steps", async () => {
    const { data } = await loadPage();
    const expected = expectedFunnel(rows);
    expect(data.funnel.stages.map((stage: { step: string; requests: number }) => [stage.step, stage.requests])).toEqual(
      expected.map((stage) => [stage.step, stage.requests]),
    );
    for (const [index, stage] of expected.entries()) {
      const actual = data.funnel.stages[index].medianDays;
      if (stage.medianDays === null) expect(actual).toBeNull();
      else expect(actual).toBeCloseTo(stage.medianDays, 6);
    }
    // every step keeps or narrows the one before
    const counts = expected.map((stage) => stage.requests);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(new Set(counts).size).toBeGreaterThan(3);
  });

  test("the attrition figures reach staff only", async () => {
    expect((await loadPage()).data.funnel.attrition).toBeNull();
    const { data } = await loadPage("", { Cookie: staffCookie });
    expect(data.funnel.attrition).toEqual({
      rejectedProposals: rows.proposals.filter((proposal) => proposal.status === "rejected").length,
      declinedProposals: rows.proposals.filter((proposal) => proposal.status === "declined").length,
      awaitingDecision: rows.proposals.filter((proposal) => proposal.status === "proposed").length,
      cancelledCooperations: rows.cooperations.filter((cooperation) => cooperation.status === "cancelled").length,
    });
  });

  test("the CSV gives counts, shares and medians rounded to a tenth of a day", async () => {
    const expected = expectedFunnel(rows);
    const { header, rows: csvRows } = await csvOf(await loadCsv("funnel.csv"));
    expect(header).toEqual(["step", "requests", "share_of_published", "median_days_since_previous_step"]);
    expect(csvRows.map((row) => row[0])).toEqual(expected.map((stage) => stage.step));
    for (const [index, row] of csvRows.entries()) {
      expect(Number(row[1])).toBe(expected[index].requests);
      expect(Number(row[2])).toBeCloseTo(expected[index].requests / expected[0].requests, 4);
      const medianDays = expected[index].medianDays;
      expect(row[3] === "" ? null : Number(row[3])).toBe(medianDays === null ? null : Math.round(medianDays * 10) / 10);
    }
  });
});

// ---------------------------------------------------------------------------------------
// Women's economic empowerment

test("the share of requests and cooperations targeting women's economic empowerment", async () => {
  const published = rows.requests.filter((request) => request.status === "open" || request.status === "closed");
  const expected = {
    requests: { total: published.length, targeting: published.filter((request) => request.themes.includes(WEE)).length },
    cooperations: { total: rows.counted.length, targeting: rows.counted.filter((cooperation) => rows.cooperationThemes(cooperation).has(WEE)).length },
  };
  expect(expected.requests.targeting).toBeGreaterThan(0);
  expect(expected.cooperations.targeting).toBeGreaterThan(0);

  const { data } = await loadPage();
  expect(data.women).toEqual(expected);

  const { header, rows: csvRows } = await csvOf(await loadCsv("women-share.csv"));
  expect(header).toEqual(["subject", "targeting_theme", "total", "share"]);
  expect(csvRows.map((row) => [row[0], Number(row[1]), Number(row[2])])).toEqual([
    ["requests", expected.requests.targeting, expected.requests.total],
    ["cooperations", expected.cooperations.targeting, expected.cooperations.total],
  ]);
  expect(Number(csvRows[0][3])).toBeCloseTo(expected.requests.targeting / expected.requests.total, 4);
});

// ---------------------------------------------------------------------------------------
// Per country and per organization

describe("activity per country", () => {
  test("offered, requested, and cooperations as provider and as beneficiary", async () => {
    const { data } = await loadPage("", { "Accept-Language": "es" });
    const expected = expectedCountryActivity(rows);
    const actual = Object.fromEntries(
      data.countries
        .map((row: { code: string; offered: number; requested: number; asProvider: number; asBeneficiary: number }) => [
          row.code,
          { offered: row.offered, requested: row.requested, asProvider: row.asProvider, asBeneficiary: row.asBeneficiary },
        ])
        .sort(([a]: [string], [b]: [string]) => a.localeCompare(b)),
    );
    expect(actual).toEqual(expected);
    for (const row of data.countries) expect(row.name).toBe(rows.countryName.get(row.code)?.nameEs);

    const { header, rows: csvRows } = await csvOf(await loadCsv("countries.csv"));
    expect(header).toEqual(["country", "country_name", "published_offers", "open_requests", "cooperations_as_provider", "cooperations_as_beneficiary"]);
    expect(Object.fromEntries(csvRows.map((row) => [row[0], { offered: Number(row[2]), requested: Number(row[3]), asProvider: Number(row[4]), asBeneficiary: Number(row[5]) }]))).toEqual(
      expected,
    );
    for (const row of csvRows) expect(row[1]).toBe(rows.countryName.get(row[0])?.nameEn);
  });

  test("organizations are named to staff only", async () => {
    expect((await loadPage()).data.organizations).toBeNull();
    const anonymous = await loadCsv("organizations.csv");
    expect(anonymous.status).toBe(302);
    const member = await createLoggedInUser();
    expect((await loadCsv("organizations.csv", { Cookie: member.cookie })).status).toBe(403);

    const { data } = await loadPage("", { Cookie: staffCookie });
    const provided = new Map<string, number>();
    for (const cooperation of rows.counted) {
      const organizationId = rows.offers.find((offer) => offer.id === cooperation.offerId)?.organizationId ?? "";
      provided.set(organizationId, (provided.get(organizationId) ?? 0) + 1);
    }
    const byId = new Map(data.organizations.map((row: { id: string; asProvider: number; offered: number }) => [row.id, row]));
    for (const organization of rows.organizations) {
      const offered = rows.offers.filter((offer) => offer.organizationId === organization.id && offer.status === "published").length;
      const row = byId.get(organization.id);
      expect(row === undefined ? { offered: 0, asProvider: 0 } : { offered: (row as { offered: number }).offered, asProvider: (row as { asProvider: number }).asProvider }).toEqual({
        offered,
        asProvider: provided.get(organization.id) ?? 0,
      });
    }
    const { rows: csvRows } = await csvOf(await loadCsv("organizations.csv", { Cookie: staffCookie }));
    expect(csvRows).toHaveLength(data.organizations.length);
  });
});

test("an unknown chart's CSV is a 404 that names it", async () => {
  const response = await loadCsv("nonsense.csv");
  expect(response.status).toBe(404);
  expect(await response.text()).toContain("nonsense.csv");
});

// ---------------------------------------------------------------------------------------
// The bulletin's cooperations

test("the bulletin prefill lists cooperations started or completed in the period, in both languages", async () => {
  const prisma = getPrisma();
  const [offer] = rows.offers.filter((candidate) => candidate.status === "published");
  const request = rows.requests.find((candidate) => candidate.status === "open");
  if (!offer || !request) throw new Error("the dataset has no published offer or open request");
  const inPeriod = addDays(PERIOD.since, 10);
  async function cooperation(data: { status: "planned" | "in_progress" | "completed" | "cancelled"; startedAt: Date | null; completedAt?: Date | null }) {
    const otherOffer = await prisma.offer.create({
      data: {
        key: `insights-bulletin-${Math.floor(random() * 1e9)}`,
        organizationId: offer.organizationId,
        title: `Bulletin program ${data.status}`,
        summary: "A program.",
        language: "es",
        themes: ["entrepreneurship"],
        modalities: ["study-visit"],
        workingLanguages: ["es"],
        status: "published",
        publishedAt: PERIOD.since,
      },
      select: { id: true, title: true },
    });
    const proposal = await prisma.proposal.create({
      data: { requestId: request!.id, offerId: otherOffer.id, status: "accepted", score: 50, sharedLanguage: true, factors: {}, reasons: {}, decidedAt: PERIOD.since },
      select: { id: true },
    });
    const created = await prisma.cooperation.create({
      data: {
        proposalId: proposal.id,
        requestId: request!.id,
        offerId: otherOffer.id,
        status: data.status,
        startedAt: data.startedAt,
        completedAt: data.completedAt ?? null,
        cancelledAt: data.status === "cancelled" ? inPeriod : null,
        cancelReason: data.status === "cancelled" ? "No budget." : null,
        createdAt: addDays(PERIOD.since, -100),
      },
      select: { id: true },
    });
    return { id: created.id, offerId: otherOffer.id, title: otherOffer.title };
  }
  const started = await cooperation({ status: "in_progress", startedAt: inPeriod });
  const completed = await cooperation({ status: "completed", startedAt: addDays(PERIOD.since, -60), completedAt: inPeriod });
  const both = await cooperation({ status: "completed", startedAt: inPeriod, completedAt: addDays(inPeriod, 5) });
  await cooperation({ status: "cancelled", startedAt: inPeriod });
  await cooperation({ status: "in_progress", startedAt: addDays(PERIOD.until, 1) });

  const highlights = await gatherBulletinHighlights(PERIOD);

  // the generated dataset may hold some of its own in the period: compare with the database
  const expectedIds = (
    await prisma.cooperation.findMany({
      where: {
        status: { not: "cancelled" },
        OR: [
          { status: "completed", completedAt: { gt: PERIOD.since, lte: PERIOD.until } },
          { startedAt: { gt: PERIOD.since, lte: PERIOD.until } },
        ],
      },
      select: { id: true },
    })
  )
    .map((row) => row.id)
    .sort();
  expect(highlights.cooperations.map((item) => item.id).sort()).toEqual(expectedIds);
  const byId = new Map(highlights.cooperations.map((item) => [item.id, item]));
  expect(byId.get(started.id)?.stage).toBe("started");
  expect(byId.get(completed.id)?.stage).toBe("completed");
  expect(byId.get(both.id)?.stage).toBe("completed");
  const country = rows.countryName.get(rows.countryOf.get(offer.organizationId) ?? "");
  const beneficiary = rows.countryName.get(rows.countryOf.get(request.organizationId) ?? "");
  expect(byId.get(started.id)).toMatchObject({
    title: started.title,
    path: `/offers/${started.offerId}`,
    parties: { en: `${country?.nameEn} → ${beneficiary?.nameEn}`, es: `${country?.nameEs} → ${beneficiary?.nameEs}` },
  });

  const issue = { month: PERIOD.since, titleEn: "T", titleEs: "T", introEn: "", introEs: "", highlights };
  const spanish = bulletinEdition(issue, "es").sections.find((section) => section.key === "cooperations");
  const english = bulletinEdition(issue, "en").sections.find((section) => section.key === "cooperations");
  expect(spanish?.items.find((item) => item.id === started.id)?.meta).toBe(`Iniciada · ${country?.nameEs} → ${beneficiary?.nameEs}`);
  expect(english?.items.find((item) => item.id === completed.id)?.meta).toBe(`Completed · ${country?.nameEn} → ${beneficiary?.nameEn}`);
});
