// Every page without route parameters, read with hostile values in every query parameter the app
// knows: the fuzz suites cover form actions and the API, this covers the query strings of pages.
// A value PostgreSQL cannot store (NUL), a long one, or an unknown code must be ignored or
// refused, never answered with a 5xx. Routes come from the route tree, so a new page is included.
// No search index is created here, so /search answers from its PostgreSQL fallback: the path where
// query values reach SQL (tests/integration/search-hostile.test.ts covers the engine's).
import { beforeAll, expect, test } from "vitest";
import { importRouteModule, readRouteTree } from "../setup/authorization-matrix";
import { getRequest } from "../factories/catalogue";
import { createLoggedInUser } from "../factories/users";

const PARAMETERS = [
  "q", "type", "sort", "dir", "page", "theme", "country", "subregion", "modality", "language", "workingLanguage",
  "organizationType", "costSharing", "evidence", "stale", "status", "year", "updatedSince", "to", "token", "month",
  "redirectTo", "kind", "limit",
];
const HOSTILE_VALUES = ["x\0y", "é".repeat(600), "-1", "' OR 1=1 --", "%FF"];

const cookies: Record<string, string | undefined> = {};

beforeAll(async () => {
  cookies.anonymous = undefined;
  cookies.member = (await createLoggedInUser({ role: "member" })).cookie;
  cookies.staff = (await createLoggedInUser({ role: "staff" })).cookie;
});

const pages = (
  await Promise.all(
    readRouteTree()
      .filter((route) => !route.urlPattern.includes(":"))
      .map(async (route) => ({ ...route, loader: (await importRouteModule(route.file)).loader })),
  )
).flatMap((route) => (route.loader ? [{ ...route, loader: route.loader }] : []));

test("the route tree has pages to read", () => {
  expect(pages.length).toBeGreaterThan(20);
});

test.each(pages.map((route) => [route.id, route] as const))("%s answers hostile query strings below 500", async (_id, { urlPattern, loader }) => {
  for (const value of HOSTILE_VALUES) {
    const search = new URLSearchParams(PARAMETERS.map((name) => [name, value])).toString();
    for (const [who, cookie] of Object.entries(cookies)) {
      const request = getRequest(`${urlPattern}?${search}`, { cookie });
      // A thrown Response is an answer (404, redirect); anything else thrown would be a 500.
      const answer = await loader({ request, params: {}, context: {} }).catch((thrown: unknown) => {
        if (thrown instanceof Response) return thrown;
        throw thrown;
      });
      // A loader may return plain data, which Remix answers with 200.
      const status = answer instanceof Response ? answer.status : 200;
      expect(status, `${who} GET ${urlPattern} with every parameter = ${JSON.stringify(value.slice(0, 12))}`).toBeLessThan(500);
    }
  }
});
