// The read-only JSON API (GET /api/offers, GET /api/requests): records in the exchange format's
// shape, paging, the theme / country / updatedSince filters, who may read what, and a 400 that
// names the parameter. Tests isolate their records with updatedSince (taken before creating
// them), as files run one at a time on the shared database.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, test } from "vitest";
import { loader as offersApiLoader } from "~/routes/api.offers";
import { loader as requestsApiLoader } from "~/routes/api.requests";
import { exchangeOfferSchema, exchangeRequestSchema } from "~/schemas/exchange";
import { getPrisma } from "~/utils/db.server";
import { ensureJobQueue, getRequest, insertOffer, insertRequest, respond } from "../factories/catalogue";
import { createLoggedInUser, createOrganization } from "../factories/users";

beforeAll(async () => {
  await ensureJobQueue();
});

type Envelope = {
  data: Array<Record<string, unknown>>;
  pagination: { page: number; pageSize: number; total: number; pageCount: number; next: string | null; previous: string | null };
  generatedAt: string;
};
type ErrorBody = { error: { status: number; message: string; details: string[] } };

type Loader = (args: LoaderFunctionArgs) => Promise<Response>;

async function getJson<Body>(loader: Loader, path: string, cookie?: string): Promise<{ status: number; body: Body; headers: Headers }> {
  const response = await respond(loader, getRequest(path, { cookie }));
  expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** A moment strictly before the records a test is about to create. */
async function now(): Promise<string> {
  const since = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 5));
  return since;
}

// Sorted: records written within the same millisecond may come in either order.
function keys(body: Envelope): string[] {
  return body.data.map((record) => String(record.key)).sort();
}

function sorted(values: string[]): string[] {
  return [...values].sort();
}

describe("GET /api/offers", () => {
  test("pages through published offers in the exchange format's record shape", async () => {
    const since = await now();
    const organization = await createOrganization();
    const offers: Array<Awaited<ReturnType<typeof insertOffer>>> = [];
    for (let index = 0; index < 3; index += 1) offers.push(await insertOffer({ organizationId: organization.id }));

    const first = await getJson<Envelope>(offersApiLoader, `/api/offers?updatedSince=${since}&pageSize=2`);
    expect(first.status).toBe(200);
    expect(first.headers.get("Cache-Control")).toBe("private, no-store");
    expect(first.body.pagination).toMatchObject({ page: 1, pageSize: 2, total: 3, pageCount: 2, previous: null });
    expect(first.body.pagination.next).toBe(`/api/offers?updatedSince=${encodeURIComponent(since)}&pageSize=2&page=2`);
    const second = await getJson<Envelope>(offersApiLoader, first.body.pagination.next ?? "");
    expect(second.body.pagination).toMatchObject({ page: 2, total: 3, next: null });
    expect(second.body.pagination.previous).toMatch(/page=1$/);
    // Each record once across the pages.
    expect(sorted([...keys(first.body), ...keys(second.body)])).toEqual(sorted(offers.map((offer) => offer.key)));

    const record = first.body.data.find((item) => item.key === offers[0].key) ?? second.body.data[0];
    expect(exchangeOfferSchema.safeParse(record).success).toBe(true);
    expect(record).toEqual({
      key: offers[0].key,
      organization: organization.key,
      title: offers[0].title,
      summary: "A program that worked and can be replicated.",
      language: "en",
      themes: ["entrepreneurship"],
      modalities: ["study-visit"],
      workingLanguages: ["en", "es"],
      capacityPerYear: 2,
      costSharing: "to-be-negotiated",
      status: "published",
    });
    expect(Date.parse(first.body.generatedAt)).toBeGreaterThan(Date.parse(since));
  });

  test("filters by theme, country and updatedSince", async () => {
    const since = await now();
    const peru = await createOrganization({ countryCode: "PE" });
    const chile = await createOrganization({ countryCode: "CL" });
    const green = await insertOffer({ organizationId: peru.id, themes: ["green-economy", "innovation-technology"] });
    const migration = await insertOffer({ organizationId: peru.id, themes: ["labor-migration"] });
    const chileGreen = await insertOffer({ organizationId: chile.id, themes: ["green-economy"] });

    const byTheme = await getJson<Envelope>(offersApiLoader, `/api/offers?updatedSince=${since}&theme=green-economy`);
    expect(keys(byTheme.body)).toEqual(sorted([green.key, chileGreen.key]));
    const byCountry = await getJson<Envelope>(offersApiLoader, `/api/offers?updatedSince=${since}&country=pe`);
    expect(keys(byCountry.body)).toEqual(sorted([green.key, migration.key]));
    const both = await getJson<Envelope>(offersApiLoader, `/api/offers?updatedSince=${since}&country=PE&theme=green-economy`);
    expect(keys(both.body)).toEqual(sorted([green.key]));

    // An older change is left out of a later updatedSince.
    await getPrisma().$executeRaw`update "offer" set updated_at = '2020-01-01T00:00:00Z' where id = ${migration.id}::uuid`;
    const recent = await getJson<Envelope>(offersApiLoader, `/api/offers?updatedSince=2021-06-01&country=PE`);
    expect(keys(recent.body)).toContain(green.key);
    expect(keys(recent.body)).not.toContain(migration.key);
  });

  test("visitors get published offers only; members also their own drafts; staff everything", async () => {
    const since = await now();
    const organization = await createOrganization();
    const published = await insertOffer({ organizationId: organization.id });
    const draft = await insertOffer({ organizationId: organization.id, status: "draft" });
    const othersDraft = await insertOffer({ organizationId: (await createOrganization()).id, status: "draft" });

    const anonymous = await getJson<Envelope>(offersApiLoader, `/api/offers?updatedSince=${since}`);
    expect(keys(anonymous.body)).toEqual(sorted([published.key]));

    const { cookie: memberCookie } = await createLoggedInUser({ organizationId: organization.id });
    const member = await getJson<Envelope>(offersApiLoader, `/api/offers?updatedSince=${since}`, memberCookie);
    expect(keys(member.body)).toEqual(sorted([published.key, draft.key]));

    const { cookie: staffCookie } = await createLoggedInUser({ role: "staff" });
    const staff = await getJson<Envelope>(offersApiLoader, `/api/offers?updatedSince=${since}&status=draft`, staffCookie);
    expect(keys(staff.body)).toEqual(sorted([draft.key, othersDraft.key]));
  });

  test("bad parameters are a 400 that names each of them", async () => {
    const cases: Array<[string, RegExp]> = [
      ["pageSize=500", /^pageSize: expected a whole number from 1 to 200$/],
      ["pageSize=0", /^pageSize: /],
      ["page=two", /^page: expected a whole number/],
      ["theme=space-tourism", /^theme: unknown code "space-tourism"/],
      ["country=Peru", /^country: /],
      ["updatedSince=yesterday", /^updatedSince: expected an ISO 8601 date-time/],
      ["updatedSince=2026-01-31T12:00:00", /^updatedSince: /],
      ["updatedSince=0000-01-01", /^updatedSince: /],
      ["status=deleted", /^status: unknown code "deleted"/],
      ["colour=red", /^colour: unknown parameter$/],
      ["theme=green-economy&theme=labor-migration", /^theme: given more than once$/],
    ];
    for (const [query, message] of cases) {
      const { status, body } = await getJson<ErrorBody>(offersApiLoader, `/api/offers?${query}`);
      expect(status, query).toBe(400);
      expect(body.error.status).toBe(400);
      expect(body.error.details.some((detail) => message.test(detail)), `${query}: ${JSON.stringify(body.error.details)}`).toBe(true);
    }
    const several = await getJson<ErrorBody>(offersApiLoader, "/api/offers?pageSize=500&theme=nope");
    expect(several.body.error.details).toHaveLength(2);
  });
});

describe("GET /api/requests", () => {
  test("visitors get a 401 in JSON, not a redirect", async () => {
    const { status, body } = await getJson<ErrorBody>(requestsApiLoader, "/api/requests");
    expect(status).toBe(401);
    expect(body.error).toMatchObject({ status: 401, message: expect.stringMatching(/sign in/i) });
  });

  test("verified members get open requests and their own drafts in the exchange shape; staff everything", async () => {
    const since = await now();
    const organization = await createOrganization();
    const other = await createOrganization({ countryCode: "MX" });
    const ownDraft = await insertRequest({ organizationId: organization.id, status: "draft" });
    const open = await insertRequest({ organizationId: other.id, themes: ["social-protection"] });
    const othersDraft = await insertRequest({ organizationId: other.id, status: "draft" });

    const { cookie } = await createLoggedInUser({ organizationId: organization.id });
    const member = await getJson<Envelope>(requestsApiLoader, `/api/requests?updatedSince=${since}`, cookie);
    expect(member.status).toBe(200);
    expect(keys(member.body)).toEqual(sorted([ownDraft.key, open.key]));
    const record = member.body.data.find((item) => item.key === open.key);
    expect(exchangeRequestSchema.safeParse(record).success).toBe(true);
    expect(record).toMatchObject({ key: open.key, organization: other.key, themes: ["social-protection"], modalities: [], status: "open" });

    const filtered = await getJson<Envelope>(requestsApiLoader, `/api/requests?updatedSince=${since}&country=MX&theme=social-protection`, cookie);
    expect(keys(filtered.body)).toEqual(sorted([open.key]));

    const { cookie: staffCookie } = await createLoggedInUser({ role: "staff" });
    const staff = await getJson<Envelope>(requestsApiLoader, `/api/requests?updatedSince=${since}`, staffCookie);
    expect(keys(staff.body)).toEqual(sorted([ownDraft.key, open.key, othersDraft.key]));
  });

  test("an account awaiting verification sees only its organization's requests", async () => {
    const since = await now();
    const organization = await createOrganization();
    const own = await insertRequest({ organizationId: organization.id, status: "draft" });
    await insertRequest({ organizationId: (await createOrganization()).id });
    const { cookie } = await createLoggedInUser({ organizationId: organization.id, status: "pending" });
    const pending = await getJson<Envelope>(requestsApiLoader, `/api/requests?updatedSince=${since}`, cookie);
    expect(keys(pending.body)).toEqual(sorted([own.key]));
  });

  test("bad parameters are a 400 naming the parameter", async () => {
    const { cookie } = await createLoggedInUser();
    const { status, body } = await getJson<ErrorBody>(requestsApiLoader, "/api/requests?status=published", cookie);
    expect(status).toBe(400);
    expect(body.error.details).toEqual([expect.stringMatching(/^status: unknown code "published"/)]);
  });
});
