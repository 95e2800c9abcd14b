// Hostile input against the read endpoints (JSON API, CSV downloads, lists, search, insights)
// and the bulk upload forms: 1,000 generated inputs each, never a 5xx, nothing written when refused.
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { LANGUAGE_CODES, MODALITY_CODES, OFFER_STATUS_CODES, REQUEST_STATUS_CODES, THEME_CODES } from "~/schemas/vocabulary";
import { loader as apiOffersLoader } from "~/routes/api.offers";
import { loader as apiRequestsLoader } from "~/routes/api.requests";
import { action as memberImportAction } from "~/routes/dashboard_.import";
import { loader as insightsFileLoader } from "~/routes/insights.$file";
import { loader as insightsLoader } from "~/routes/insights._index";
import { loader as offersCsvLoader } from "~/routes/offers[.]csv";
import { loader as offersLoader } from "~/routes/offers._index";
import { loader as requestsCsvLoader } from "~/routes/requests[.]csv";
import { loader as requestsLoader } from "~/routes/requests._index";
import { loader as searchLoader } from "~/routes/search";
import { action as staffImportAction } from "~/routes/staff.exchange";
import { ensureJobQueue } from "../factories/catalogue";
import { createOrganization, createSessionCookie, createUser, uniqueSuffix } from "../factories/users";
import { dateLike, entriesArbitrary, fuzzCall, fuzzTarget, hostileString, watchUnhandledRejections, type FieldSpec } from "../setup/fuzz";
import { repositoryRoot } from "../setup/services";

const rejections = watchUnhandledRejections();
afterAll(() => rejections.assertNone());

let cookies: Array<string | undefined> = [];
let memberCookie = "";
let staffCookie = "";

beforeAll(async () => {
  await ensureJobQueue();
  const organization = await createOrganization({ countryCode: "SV" });
  const [member, pending, staff] = await Promise.all([
    createUser({ organizationId: organization.id }),
    createUser({ organizationId: organization.id, status: "pending" }),
    createUser({ role: "staff" }),
  ]);
  const [memberSession, pendingSession, staffSession] = await Promise.all([member.id, pending.id, staff.id].map((id) => createSessionCookie(id)));
  memberCookie = memberSession;
  staffCookie = staffSession;
  cookies = [undefined, memberSession, pendingSession, staffSession];
}, 60_000);

const codes = (list: readonly string[]) => fc.constantFrom(...list);
// Valid-looking values; the fuzzer breaks them (tests/setup/fuzz.ts), and these edge cases stay in reach.
const wholeNumber = () => fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 200 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom("0", "-1", "1.5", "1e3", "0x10", "9".repeat(30)) });
const country = () => fc.oneof({ weight: 4, arbitrary: fc.constantFrom("SV", "BR", "sv", " br ", "") }, { weight: 1, arbitrary: fc.constantFrom("XX", "ZZZ") });
const cookie = () => fc.constantFrom(...cookies);

function readTarget(name: string, route: (args: never) => Promise<unknown>, pathname: string, fields: FieldSpec, numRuns?: number) {
  return test(name, { timeout: 300_000 }, async () => {
    await fuzzTarget({
      numRuns,
      name: `GET ${pathname}`,
      input: fc.record({ entries: entriesArbitrary(fields), cookie: cookie() }),
      toCall: ({ entries, cookie }) => ({ route: route as never, method: "GET", path: pathname, entries, cookie }),
    });
  });
}

const apiFields = (statuses: readonly string[]): FieldSpec => ({
  page: wholeNumber(),
  pageSize: wholeNumber(),
  theme: codes(THEME_CODES),
  country: country(),
  updatedSince: fc.oneof(
    { weight: 4, arbitrary: fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((date) => date.toISOString()) },
    { weight: 1, arbitrary: fc.oneof(dateLike(), fc.constantFrom("2026-01-31T12:00:00", "2026-01-31T12:00:00+25:00", "9999-12-31T23:00:00-05:00")) },
  ),
  status: codes(statuses),
});

test("a date the database cannot hold (year 0000, or past 9999 once the offset is applied) is a 400, not a 500", async () => {
  for (const updatedSince of ["0000-01-01", "0000-06-01T00:00:00Z", "9999-12-31T23:00:00-05:00"]) {
    for (const [route, pathname] of [
      [apiOffersLoader, "/api/offers"],
      [apiRequestsLoader, "/api/requests"],
    ] as const) {
      const answer = await fuzzCall({ route: route as never, method: "GET", path: pathname, entries: [["updatedSince", updatedSince]], cookie: memberCookie });
      expect(answer.status, `${pathname}?updatedSince=${updatedSince}`).toBe(400);
    }
  }
});

const listFields: FieldSpec = { theme: codes(THEME_CODES), modality: codes(MODALITY_CODES), language: codes(LANGUAGE_CODES), country: country(), page: wholeNumber() };

readTarget("the offers API", apiOffersLoader, "/api/offers", apiFields(OFFER_STATUS_CODES));
readTarget("the requests API", apiRequestsLoader, "/api/requests", apiFields(REQUEST_STATUS_CODES));
readTarget("the offers CSV", offersCsvLoader, "/offers.csv", apiFields(OFFER_STATUS_CODES));
readTarget("the requests CSV", requestsCsvLoader, "/requests.csv", apiFields(REQUEST_STATUS_CODES));
readTarget("the offers list", offersLoader, "/offers", listFields);
readTarget("the requests list", requestsLoader, "/requests", listFields);
readTarget("the search page", searchLoader, "/search", {
  q: fc.string({ unit: "grapheme", maxLength: 30 }),
  type: fc.constantFrom("all", "offers", "requests", "organizations"),
  sort: fc.constantFrom("relevance", "recent", "title"),
  page: wholeNumber(),
  theme: codes(THEME_CODES),
  modality: codes(MODALITY_CODES),
  language: codes(LANGUAGE_CODES),
  country: country(),
});
// A page rather than an endpoint, with seven aggregate queries per answer: fewer inputs keep the file fast.
readTarget("the insights page", insightsLoader, "/insights", { theme: codes(THEME_CODES), year: wholeNumber() }, 300);

test("the insights CSV files", { timeout: 300_000 }, async () => {
  await fuzzTarget({
    name: "GET /insights/:file",
    input: fc.record({
      file: fc.oneof(fc.constantFrom("supply-demand.csv", "flows.csv", "funnel.csv", "women-share.csv", "countries.csv", "organizations.csv"), hostileString()),
      entries: entriesArbitrary({ theme: codes(THEME_CODES), year: wholeNumber() }),
      cookie: cookie(),
    }),
    toCall: ({ file, entries, cookie }) => ({ route: insightsFileLoader, method: "GET", path: "/insights/fuzz.csv", params: { file }, entries, cookie }),
  });
});

// ---------------------------------------------------------------------------------------
// Bulk uploads: the fixture catalogue with one value replaced by something hostile

const fixture: unknown = JSON.parse(readFileSync(path.join(repositoryRoot, "tests/fixtures/exchange/small-catalogue.json"), "utf8"));

function leafPaths(value: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return [at, ...value.flatMap((item, index) => leafPaths(item, [...at, index]))];
  if (typeof value === "object" && value !== null) return [at, ...Object.entries(value).flatMap(([key, item]) => leafPaths(item, [...at, key]))];
  return [at];
}

const FIXTURE_PATHS = leafPaths(fixture);

function replaceAt(value: unknown, at: Array<string | number>, replacement: unknown): unknown {
  if (at.length === 0) return replacement;
  const [head, ...rest] = at;
  if (Array.isArray(value)) return value.map((item, index) => (index === head ? replaceAt(item, rest, replacement) : item));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, key === head ? replaceAt(item, rest, replacement) : item]));
  }
  return value;
}

const hostileJsonValue = fc.oneof(hostileString(), fc.integer(), fc.double(), fc.constant(null), fc.boolean(), fc.array(hostileString(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), hostileString(), { maxKeys: 3 }));

const uploadContents = fc.oneof(
  { weight: 1, arbitrary: fc.constant(JSON.stringify(fixture)) },
  { weight: 6, arbitrary: fc.tuple(fc.nat({ max: FIXTURE_PATHS.length - 1 }), hostileJsonValue).map(([index, value]) => JSON.stringify(replaceAt(fixture, FIXTURE_PATHS[index] ?? [], value))) },
  { weight: 1, arbitrary: fc.json() },
  { weight: 1, arbitrary: hostileString() },
);

function uploadTarget(name: string, route: (args: never) => Promise<unknown>, pathname: string, cookieOf: () => string) {
  return test(name, { timeout: 300_000 }, async () => {
    await fuzzTarget({
      name: `POST ${pathname} (upload)`,
      input: fc.record({
        contents: uploadContents,
        fileName: fc.constantFrom("catalogue.json", "catalogue.csv", "../../etc/passwd", "x"),
        fileType: fc.constantFrom("application/json", "text/csv", "application/octet-stream", ""),
        entries: entriesArbitrary({ file: fc.constant("not a file") }),
        withFile: fc.boolean(),
      }),
      toCall: ({ contents, fileName, fileType, entries, withFile }) => ({
        route: route as never,
        method: "POST",
        path: pathname,
        // The fixture's keys are renamed per input so that imports never touch other tests' records.
        entries,
        multipart: true,
        file: withFile ? { field: "file", name: fileName, type: fileType, contents: contents.replaceAll('"test-', `"fuzz${uniqueSuffix()}-`) } : undefined,
        cookie: cookieOf(),
      }),
    });
  });
}

uploadTarget("the staff bulk import", staffImportAction, "/staff/exchange", () => staffCookie);
uploadTarget("the member bulk import", memberImportAction, "/dashboard/import", () => memberCookie);
