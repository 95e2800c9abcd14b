// The CSV downloads (/offers.csv, /requests.csv): UTF-8 with a byte order mark, one row per
// record with the exchange format's fields, lists joined with ";", quoting that survives commas,
// quotes and line breaks, the browse pages' filters and access rules.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, test } from "vitest";
import { loader as offersCsvLoader } from "~/routes/offers[.]csv";
import { loader as requestsCsvLoader } from "~/routes/requests[.]csv";
import { getPrisma } from "~/utils/db.server";
import { ensureJobQueue, getRequest, insertOffer, insertRequest, respond } from "../factories/catalogue";
import { createLoggedInUser, createOrganization, uniqueSuffix } from "../factories/users";

beforeAll(async () => {
  await ensureJobQueue();
});

const BOM = [0xef, 0xbb, 0xbf];

async function download(loader: (args: LoaderFunctionArgs) => Promise<Response>, path: string, cookie?: string) {
  const response = await respond(loader, getRequest(path, { cookie }));
  const bytes = new Uint8Array(await response.arrayBuffer());
  // Decoded without stripping the BOM, so the tests can see it is there.
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  return { response, bytes, text };
}

/** Rows of the CSV, split by a small RFC 4180 reader (quoted fields may hold "", commas, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  for (let index = 0; index < body.length; index += 1) {
    const char = body[index];
    if (quoted) {
      if (char === '"' && body[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\r" && body[index + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      index += 1;
    } else field += char;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function rowsByKey(text: string): { header: string[]; byKey: Map<string, Record<string, string>> } {
  const [header, ...rows] = parseCsv(text);
  const byKey = new Map(rows.map((cells) => [cells[0], Object.fromEntries(header.map((name, index) => [name, cells[index]]))]));
  return { header, byKey };
}

describe("offers CSV", () => {
  test("is UTF-8 with a byte order mark, an attachment, with the exchange fields as columns", async () => {
    const { response, bytes, text } = await download(offersCsvLoader, "/offers.csv");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="enlace-offers-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect([...bytes.slice(0, 3)]).toEqual(BOM);
    expect(text.slice(1).split("\r\n")[0]).toBe(
      "key,organization,title,summary,description,language,themes,modalities,workingLanguages,targetPopulation,evidence,capacityPerYear,costSharing,status",
    );
  });

  test("keeps accents, commas, quotes and line breaks intact and joins lists with ;", async () => {
    const organization = await createOrganization();
    const title = `Formación "Jóvenes", empleo y señas — Perú ${uniqueSuffix()}`;
    const offer = await insertOffer({
      organizationId: organization.id,
      title,
      themes: ["youth-employment", "skills-training"],
      modalities: ["study-visit", "workshop"],
      evidence: "Primera línea\nSegunda línea, con coma",
    });
    const { text } = await download(offersCsvLoader, "/offers.csv");
    // The quoting itself, as a spreadsheet reads it.
    expect(text).toContain(`"Formación ""Jóvenes"", empleo y señas — Perú`);
    const row = rowsByKey(text).byKey.get(offer.key);
    expect(row).toMatchObject({
      organization: organization.key,
      title,
      themes: "youth-employment;skills-training",
      modalities: "study-visit;workshop",
      workingLanguages: "en;es",
      evidence: "Primera línea\nSegunda línea, con coma",
      capacityPerYear: "2",
      status: "published",
      description: "",
    });
  });

  test("cells that a spreadsheet would run as formulas are neutralized", async () => {
    const organization = await createOrganization();
    const offer = await insertOffer({ organizationId: organization.id, title: `=HYPERLINK("http://evil.example") ${uniqueSuffix()}` });
    const row = rowsByKey((await download(offersCsvLoader, "/offers.csv")).text).byKey.get(offer.key);
    expect(row?.title.startsWith("'=HYPERLINK")).toBe(true);
  });

  test("lists published offers only and applies the browse page's filters", async () => {
    const organization = await createOrganization({ countryCode: "UY" });
    const published = await insertOffer({ organizationId: organization.id, themes: ["green-economy"] });
    const draft = await insertOffer({ organizationId: organization.id, status: "draft", themes: ["green-economy"] });
    const otherTheme = await insertOffer({ organizationId: organization.id, themes: ["labor-migration"] });

    const all = rowsByKey((await download(offersCsvLoader, "/offers.csv")).text).byKey;
    expect(all.has(published.key)).toBe(true);
    expect(all.has(draft.key)).toBe(false);

    const filtered = rowsByKey((await download(offersCsvLoader, "/offers.csv?theme=green-economy&country=uy&page=3")).text).byKey;
    expect(filtered.has(published.key)).toBe(true);
    expect(filtered.has(otherTheme.key)).toBe(false);
    for (const row of filtered.values()) expect(row.themes.split(";")).toContain("green-economy");

    const elsewhere = rowsByKey((await download(offersCsvLoader, "/offers.csv?theme=green-economy&country=PE")).text).byKey;
    expect(elsewhere.has(published.key)).toBe(false);
  });

  test("an unknown filter value is a 400 naming the parameter", async () => {
    const { response, text } = await download(offersCsvLoader, "/offers.csv?theme=space-tourism");
    expect(response.status).toBe(400);
    expect(text).toMatch(/^theme: unknown code "space-tourism"/);
  });
});

describe("requests CSV", () => {
  test("visitors are sent to log in and accounts awaiting verification are refused", async () => {
    const anonymous = await respond(requestsCsvLoader, getRequest("/requests.csv"));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);

    const { cookie } = await createLoggedInUser({ status: "pending" });
    expect((await respond(requestsCsvLoader, getRequest("/requests.csv", { cookie }))).status).toBe(403);
  });

  test("verified members get the open requests with dates and lists, not drafts", async () => {
    const organization = await createOrganization();
    const open = await insertRequest({ organizationId: organization.id, themes: ["social-protection", "cash-transfers"], modalities: ["advisory"] });
    await getPrisma().request.update({ where: { id: open.id }, data: { desiredStart: new Date("2027-03-01"), desiredEnd: new Date("2027-09-30") } });
    const draft = await insertRequest({ organizationId: organization.id, status: "draft" });
    const { cookie } = await createLoggedInUser();

    const { response, bytes, text } = await download(requestsCsvLoader, "/requests.csv", cookie);
    expect(response.status).toBe(200);
    expect([...bytes.slice(0, 3)]).toEqual(BOM);
    const { header, byKey } = rowsByKey(text);
    expect(header).toEqual([
      "key",
      "organization",
      "title",
      "summary",
      "description",
      "language",
      "themes",
      "modalities",
      "workingLanguages",
      "desiredStart",
      "desiredEnd",
      "status",
    ]);
    expect(byKey.get(open.key)).toMatchObject({
      organization: organization.key,
      themes: "social-protection;cash-transfers",
      modalities: "advisory",
      desiredStart: "2027-03-01",
      desiredEnd: "2027-09-30",
      status: "open",
    });
    expect(byKey.has(draft.key)).toBe(false);
  });
});
