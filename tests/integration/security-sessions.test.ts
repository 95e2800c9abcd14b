// Sessions under attack: a planted session id never becomes the victim's (fixation), a logged-out
// cookie opens nothing, the cookie is out of scripts' reach, and log-in and sign-up are throttled
// per network address. Headers and the CSP are tested over HTTP in tests/e2e/security.spec.ts.
import { expect, test } from "vitest";
import { getLucia, SESSION_COOKIE_NAME } from "~/auth/lucia.server";
import { getClientIp, LOGIN_RATE_LIMITS, SIGNUP_RATE_LIMIT } from "~/auth/rate-limit.server";
import { getOptionalUser } from "~/auth/session.server";
import { action as loginAction } from "~/routes/login";
import { action as logoutAction } from "~/routes/logout";
import { action as newOfferAction } from "~/routes/offers.new";
import { action as signupAction } from "~/routes/signup";
import { getPrisma } from "~/utils/db.server";
import { cookieHeaderFrom, createLoggedInUser, createUser, uniqueEmail, uniqueIp, uniqueSuffix } from "../factories/users";

const BASE = "http://localhost";

type RouteFunction = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response>;

function post(path: string, fields: Record<string, string>, cookie?: string): Request {
  return new Request(`${BASE}${path}`, { method: "POST", body: new URLSearchParams(fields), headers: cookie ? { Cookie: cookie } : {} });
}

function get(path: string, cookie?: string): Request {
  return new Request(`${BASE}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

async function respond(route: RouteFunction, request: Request, context: Record<string, unknown> = { clientIp: uniqueIp() }): Promise<Response> {
  try {
    return await route({ request, params: {}, context });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

function sessionIdFrom(response: Response): string | undefined {
  const cookie = response.headers.getSetCookie().find((value) => value.startsWith(`${SESSION_COOKIE_NAME}=`));
  return cookie?.split(";")[0]?.slice(SESSION_COOKIE_NAME.length + 1) || undefined;
}

function signupFields(email = uniqueEmail("limit")) {
  return {
    name: "Rate Limit",
    email,
    password: "a long enough passphrase",
    organizationChoice: "new",
    organizationName: `Agencia Límite ${uniqueSuffix()}`,
    countryCode: "PE",
    organizationType: "agency",
  };
}

// ---------------------------------------------------------------------------------------
// Fixation

test("a session id planted before log-in is not the one after: the victim gets a new id and the planted one stays anonymous", async () => {
  const victim = await createUser();
  const planted = "attackerchosensessionid0000000000000000";
  const response = await respond(loginAction, post("/login", { email: victim.email, password: victim.password }, `${SESSION_COOKIE_NAME}=${planted}`));

  expect(response.status).toBe(302);
  const issued = sessionIdFrom(response);
  expect(issued).toBeDefined();
  expect(issued).not.toBe(planted);
  expect((await getOptionalUser(get("/", `${SESSION_COOKIE_NAME}=${issued}`)))?.id).toBe(victim.id);
  expect(await getOptionalUser(get("/", `${SESSION_COOKIE_NAME}=${planted}`))).toBeNull();
  expect(await getPrisma().session.count({ where: { id: planted } })).toBe(0);
});

test("an attacker's own valid session planted in the victim's browser is not upgraded by the victim's log-in", async () => {
  const { user: attacker, cookie: attackerCookie } = await createLoggedInUser();
  const victim = await createUser();
  const response = await respond(loginAction, post("/login", { email: victim.email, password: victim.password }, attackerCookie));

  const issued = sessionIdFrom(response);
  expect(`${SESSION_COOKIE_NAME}=${issued}`).not.toBe(attackerCookie);
  expect((await getOptionalUser(get("/", `${SESSION_COOKIE_NAME}=${issued}`)))?.id).toBe(victim.id);
  // The planted session is still the attacker's, never the victim's.
  expect((await getOptionalUser(get("/", attackerCookie)))?.id).toBe(attacker.id);
});

test("sign-up issues a fresh session id, whatever session id the browser sent", async () => {
  const planted = "plantedbeforesignup000000000000000000000";
  const response = await respond(signupAction, post("/signup", signupFields(), `${SESSION_COOKIE_NAME}=${planted}`));
  expect(response.status).toBe(302);
  const issued = sessionIdFrom(response);
  expect(issued).toBeDefined();
  expect(issued).not.toBe(planted);
  expect(await getOptionalUser(get("/", `${SESSION_COOKIE_NAME}=${planted}`))).toBeNull();
});

test("the session cookie is HttpOnly, SameSite=Lax, site-wide, and holds only an opaque id", async () => {
  const user = await createUser();
  const response = await respond(loginAction, post("/login", { email: user.email, password: user.password }));
  const cookie = response.headers.getSetCookie().find((value) => value.startsWith(`${SESSION_COOKIE_NAME}=`)) ?? "";
  expect(cookie).toMatch(/;\s*HttpOnly/i);
  expect(cookie).toMatch(/;\s*SameSite=Lax/i);
  expect(cookie).toMatch(/;\s*Path=\//i);
  const id = sessionIdFrom(response) ?? "";
  expect(id).toMatch(/^[a-z0-9]{20,}$/);
  expect(id).not.toContain(user.id);
  // The id is the database row's key: nothing else about the user travels in the cookie.
  expect(await getPrisma().session.findUnique({ where: { id }, select: { userId: true } })).toEqual({ userId: user.id });
});

// ---------------------------------------------------------------------------------------
// Reuse after log-out

test("after log-out the old cookie opens no page and performs no action, and its row is gone", async () => {
  const { user, cookie } = await createLoggedInUser();
  const sessionId = cookie.slice(SESSION_COOKIE_NAME.length + 1);
  const otherDevice = await getLucia().createSession(user.id, {});

  const loggedOut = await respond(logoutAction, post("/logout", {}, cookie));
  expect(loggedOut.status).toBe(302);
  expect(cookieHeaderFrom(loggedOut, cookie)).not.toContain(sessionId);
  expect(await getPrisma().session.count({ where: { id: sessionId } })).toBe(0);

  expect(await getOptionalUser(get("/", cookie))).toBeNull();
  const offersBefore = await getPrisma().offer.count();
  const replayed = await respond(newOfferAction, post("/offers/new", { title: "Replayed", summary: "x", language: "en" }, cookie));
  expect(replayed.status).toBe(302);
  expect(replayed.headers.get("Location")).toBe("/login?redirectTo=%2Foffers%2Fnew");
  expect(await getPrisma().offer.count()).toBe(offersBefore);

  // Log-out ends this browser's session only; the user's other device stays signed in.
  expect((await getOptionalUser(get("/", `${SESSION_COOKIE_NAME}=${otherDevice.id}`)))?.id).toBe(user.id);
});

// ---------------------------------------------------------------------------------------
// Rate limits

test("sign-ups from one address are limited; the next one is refused with 429 and stores nothing, other addresses go on", async () => {
  const ip = uniqueIp();
  for (let index = 0; index < SIGNUP_RATE_LIMIT.maxAttempts; index++) {
    const response = await respond(signupAction, post("/signup", signupFields()), { clientIp: ip });
    expect(response.status).toBe(302);
  }
  const fields = signupFields();
  const blocked = await respond(signupAction, post("/signup", fields), { clientIp: ip });
  expect(blocked.status).toBe(429);
  expect(Number(blocked.headers.get("Retry-After"))).toBeGreaterThan(0);
  expect(JSON.stringify(await blocked.json())).toContain("Too many accounts were created from your network");
  expect(blocked.headers.getSetCookie()).toEqual([]);
  expect(await getPrisma().user.count({ where: { email: fields.email } })).toBe(0);
  expect(await getPrisma().organization.count({ where: { name: fields.organizationName } })).toBe(0);

  const elsewhere = await respond(signupAction, post("/signup", signupFields()), { clientIp: uniqueIp() });
  expect(elsewhere.status).toBe(302);
});

test("invalid sign-up forms do not use up the address's allowance", async () => {
  const ip = uniqueIp();
  for (let index = 0; index < SIGNUP_RATE_LIMIT.maxAttempts + 5; index++) {
    const response = await respond(signupAction, post("/signup", { ...signupFields(), password: "short" }), { clientIp: ip });
    expect(response.status).toBe(400);
  }
  expect((await respond(signupAction, post("/signup", signupFields()), { clientIp: ip })).status).toBe(302);
});

test("probing which addresses have accounts through sign-up is throttled like creating them", async () => {
  const existing = await createUser();
  const ip = uniqueIp();
  const statuses: number[] = [];
  for (let index = 0; index <= SIGNUP_RATE_LIMIT.maxAttempts; index++) {
    statuses.push((await respond(signupAction, post("/signup", signupFields(existing.email)), { clientIp: ip })).status);
  }
  expect(statuses.slice(0, SIGNUP_RATE_LIMIT.maxAttempts)).toEqual(Array(SIGNUP_RATE_LIMIT.maxAttempts).fill(400));
  expect(statuses.at(-1)).toBe(429);
});

test("log-in from one address is refused with 429 after the per-address limit, through the route", async () => {
  const ip = uniqueIp();
  for (let attempt = 0; attempt < LOGIN_RATE_LIMITS.ip.maxAttempts; attempt++) {
    const response = await respond(loginAction, post("/login", { email: uniqueEmail("spray"), password: "password123456" }), { clientIp: ip });
    expect(response.status).toBe(400);
  }
  const user = await createUser();
  const blocked = await respond(loginAction, post("/login", { email: user.email, password: user.password }), { clientIp: ip });
  expect(blocked.status).toBe(429);
  expect(blocked.headers.getSetCookie()).toEqual([]);
});

test("a client cannot pick its rate-limit bucket with X-Forwarded-For unless the server trusts a proxy", () => {
  const request = new Request(`${BASE}/login`, { method: "POST", headers: { "X-Forwarded-For": "203.0.113.9" } });
  expect(getClientIp({ request, context: {} })).toBe("unknown");
  expect(getClientIp({ request, context: { clientIp: "198.51.100.4" } })).toBe("198.51.100.4");
});
