import { expect, test } from "vitest";
import { changePassword, logIn } from "~/auth/credentials.server";
import { getFlash } from "~/auth/flash.server";
import {
  requireActiveMember,
  requireAdmin,
  requireOrganizationMember,
  requireStaff,
  requireUser,
} from "~/auth/guards.server";
import { getLucia, SESSION_COOKIE_NAME } from "~/auth/lucia.server";
import { LOGIN_RATE_LIMITS } from "~/auth/rate-limit.server";
import { getOptionalUser } from "~/auth/session.server";
import { localeCookie } from "~/i18n/i18next.server";
import { action as changePasswordAction } from "~/routes/account.password";
import { loader as dashboardLoader } from "~/routes/dashboard._index";
import { action as loginAction, loader as loginLoader } from "~/routes/login";
import { action as logoutAction, loader as logoutLoader } from "~/routes/logout";
import { action as signupAction, loader as signupLoader } from "~/routes/signup";
import { action as reviewAction, loader as reviewLoader } from "~/routes/staff.accounts";
import { getPrisma } from "~/utils/db.server";
import {
  cookieHeaderFrom,
  createLoggedInUser,
  createOrganization,
  createSessionCookie,
  createUser,
  uniqueEmail,
  uniqueIp,
  uniqueSuffix,
} from "../factories/users";

const BASE = "http://localhost";

type RouteFunction = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response>;

function get(path: string, { cookie }: { cookie?: string } = {}): Request {
  return new Request(`${BASE}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

function post(path: string, fields: Record<string, string>, { cookie }: { cookie?: string } = {}): Request {
  return new Request(`${BASE}${path}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: cookie ? { Cookie: cookie } : {},
  });
}

/** The response of a loader or action, whether it returned it or threw it (guards throw). */
async function respond(route: RouteFunction, request: Request, context: Record<string, unknown> = {}): Promise<Response> {
  try {
    return await route({ request, params: {}, context });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const formErrorsSchema = (body: unknown): Record<string, string[]> => {
  if (typeof body !== "object" || body === null || !("result" in body)) throw new Error("no submission result");
  const result = body.result;
  if (typeof result !== "object" || result === null || !("error" in result)) return {};
  const error = result.error;
  if (typeof error !== "object" || error === null) return {};
  return Object.fromEntries(Object.entries(error).map(([field, messages]) => [field, Array.isArray(messages) ? messages : []]));
};

async function errorsOf(response: Response): Promise<Record<string, string[]>> {
  return formErrorsSchema(await response.json());
}

function newOrganizationSignup(overrides: Record<string, string> = {}) {
  const suffix = uniqueSuffix();
  return {
    name: "Ana Pérez",
    email: uniqueEmail("signup"),
    password: "a long enough passphrase",
    organizationChoice: "new",
    organizationName: `Agencia de Prueba ${suffix}`,
    countryCode: "PE",
    organizationType: "agency",
    ...overrides,
  };
}

async function countStored({ email, organizationName }: { email: string; organizationName?: string }) {
  const prisma = getPrisma();
  const [users, organizations] = await Promise.all([
    prisma.user.count({ where: { email: email.toLowerCase() } }),
    organizationName ? prisma.organization.count({ where: { name: organizationName } }) : 0,
  ]);
  return { users, organizations };
}

// ---------------------------------------------------------------------------------------
// Sign-up

test("sign-up with a new organization stores a pending member, a pending organization and an argon2id hash", async () => {
  const fields = newOrganizationSignup({ email: `  Mixed.Case-${uniqueSuffix()}@Example.TEST ` });
  const response = await respond(signupAction, post("/signup", fields));

  expect(response.status).toBe(302);
  expect(response.headers.get("Location")).toBe("/dashboard");
  const email = fields.email.trim().toLowerCase();
  const user = await getPrisma().user.findUniqueOrThrow({
    where: { email },
    select: { id: true, role: true, status: true, passwordHash: true, organization: true, preferredLanguage: true },
  });
  expect(user.role).toBe("member");
  expect(user.status).toBe("pending");
  expect(user.passwordHash).toMatch(/^\$argon2id\$/);
  expect(user.passwordHash).not.toContain(fields.password);
  expect(user.organization).toMatchObject({
    name: fields.organizationName,
    countryCode: "PE",
    type: "agency",
    verificationStatus: "pending",
  });
  expect(user.organization?.key).toMatch(/^agencia-de-prueba-[a-z0-9]+-[0-9a-f]{8}$/);

  // The new member is signed in: the response's cookie is a session of theirs.
  const cookie = cookieHeaderFrom(response);
  expect((await getOptionalUser(get("/", { cookie })))?.id).toBe(user.id);
});

test("sign-up can join an existing verified organization without creating one", async () => {
  const organization = await createOrganization({ verificationStatus: "verified" });
  const email = uniqueEmail("joiner");
  const before = await getPrisma().organization.count();
  const response = await respond(
    signupAction,
    post("/signup", { name: "Luis Gómez", email, password: "another long passphrase", organizationChoice: "existing", organizationId: organization.id }),
  );

  expect(response.status).toBe(302);
  const user = await getPrisma().user.findUniqueOrThrow({ where: { email }, select: { organizationId: true, status: true } });
  expect(user).toEqual({ organizationId: organization.id, status: "pending" });
  expect(await getPrisma().organization.count()).toBe(before);
});

test("sign-up with invalid fields answers 400 with a message per field and stores nothing", async () => {
  const fields = newOrganizationSignup({
    name: "",
    email: "not-an-email",
    password: "short",
    countryCode: "",
    organizationType: "spaceship-builder",
  });
  const before = await countStored({ email: fields.email, organizationName: fields.organizationName });
  const response = await respond(signupAction, post("/signup", fields));

  expect(response.status).toBe(400);
  const body: unknown = await response.clone().json();
  const errors = formErrorsSchema(body);
  expect(Object.keys(errors).sort()).toEqual(["countryCode", "email", "name", "organizationType", "password"]);
  expect(errors.password).toEqual(["auth:validation.passwordTooShort"]);
  expect(errors.email).toEqual(["auth:validation.emailInvalid"]);
  // What the user typed comes back, except the password.
  expect(JSON.stringify(body)).toContain("not-an-email");
  expect(JSON.stringify(body)).not.toContain('"short"');
  expect(await countStored({ email: fields.email, organizationName: fields.organizationName })).toEqual(before);
});

test("sign-up refuses a password longer than 128 characters", async () => {
  const fields = newOrganizationSignup({ password: "x".repeat(129) });
  const response = await respond(signupAction, post("/signup", fields));
  expect(response.status).toBe(400);
  expect((await errorsOf(response)).password).toEqual(["auth:validation.passwordTooLong"]);
  expect(await countStored(fields)).toEqual({ users: 0, organizations: 0 });
});

test("sign-up without an organization choice still names every other invalid field", async () => {
  const response = await respond(signupAction, post("/signup", { name: "", email: "", password: "" }));
  expect(response.status).toBe(400);
  expect(Object.keys(await errorsOf(response)).sort()).toEqual(["email", "name", "organizationChoice", "password"]);
});

test("sign-up with an email already registered, in any letter case, answers 400 on the email field and stores nothing", async () => {
  const existing = await createUser();
  const fields = newOrganizationSignup({ email: existing.email.toUpperCase() });
  const response = await respond(signupAction, post("/signup", fields));

  expect(response.status).toBe(400);
  expect(await errorsOf(response)).toEqual({ email: ["auth:signup.emailTaken"] });
  expect(await countStored({ email: existing.email, organizationName: fields.organizationName })).toEqual({
    users: 1,
    organizations: 0,
  });
});

test("two simultaneous sign-ups with one email give one account and one 400, never a 500", async () => {
  const email = uniqueEmail("race");
  const responses = await Promise.all(
    [0, 1].map(() => respond(signupAction, post("/signup", newOrganizationSignup({ email })))),
  );
  expect(responses.map((response) => response.status).sort()).toEqual([302, 400]);
  expect(await countStored({ email })).toEqual({ users: 1, organizations: 0 });
});

test("sign-up cannot join an organization that staff have not verified", async () => {
  const pendingOrganization = await createOrganization({ verificationStatus: "pending" });
  const email = uniqueEmail("sneaky");
  const response = await respond(
    signupAction,
    post("/signup", { name: "X", email, password: "a long enough passphrase", organizationChoice: "existing", organizationId: pendingOrganization.id }),
  );
  expect(response.status).toBe(400);
  expect(await errorsOf(response)).toEqual({ organizationId: ["auth:signup.organizationUnavailable"] });
  expect(await countStored({ email })).toEqual({ users: 0, organizations: 0 });
});

test("sign-up with a country outside the Americas answers 400 on the country and rolls everything back", async () => {
  const fields = newOrganizationSignup({ countryCode: "FR" });
  const response = await respond(signupAction, post("/signup", fields));
  expect(response.status).toBe(400);
  expect(await errorsOf(response)).toEqual({ countryCode: ["auth:signup.countryUnavailable"] });
  expect(await countStored(fields)).toEqual({ users: 0, organizations: 0 });
});

test("the sign-up page lists countries with localized names and only verified organizations", async () => {
  const verified = await createOrganization({ verificationStatus: "verified" });
  const pending = await createOrganization({ verificationStatus: "pending" });
  const response = await respond(signupLoader, new Request(`${BASE}/signup`, { headers: { "Accept-Language": "es" } }));
  const data = await response.json();

  expect(data.countries).toContainEqual({ value: "BR", label: "Brasil" });
  expect(data.countries).toContainEqual({ value: "US", label: "Estados Unidos" });
  expect(data.countries.map((country: { value: string }) => country.value)).not.toContain("FR");
  const organizationIds = data.organizations.map((organization: { value: string }) => organization.value);
  expect(organizationIds).toContain(verified.id);
  expect(organizationIds).not.toContain(pending.id);
  expect(data.organizationTypes).toContainEqual({ value: "ministry", label: "Ministerio" });
});

// ---------------------------------------------------------------------------------------
// Log-in and log-out

test("a wrong password and an unknown email get the identical answer", async () => {
  const user = await createUser();
  const wrongPassword = await respond(
    loginAction,
    post("/login", { email: user.email, password: "not the password at all" }),
    { clientIp: uniqueIp() },
  );
  const unknownEmail = await respond(
    loginAction,
    post("/login", { email: uniqueEmail("nobody"), password: "not the password at all" }),
    { clientIp: uniqueIp() },
  );

  expect(wrongPassword.status).toBe(400);
  expect(unknownEmail.status).toBe(wrongPassword.status);
  const wrongErrors = await errorsOf(wrongPassword);
  expect(wrongErrors).toEqual({ "": ["auth:login.invalidCredentials"] });
  expect(await errorsOf(unknownEmail)).toEqual(wrongErrors);
  expect(wrongPassword.headers.getSetCookie()).toEqual([]);
});

test("a pending account logs in, gets a session cookie holding only the session id, and its language", async () => {
  const user = await createUser({ status: "pending", preferredLanguage: "es" });
  const response = await respond(
    loginAction,
    post("/login", { email: user.email.toUpperCase(), password: user.password }),
    { clientIp: uniqueIp() },
  );

  expect(response.status).toBe(302);
  expect(response.headers.get("Location")).toBe("/dashboard");
  const setCookies = response.headers.getSetCookie();
  const sessionCookie = setCookies.find((cookie) => cookie.startsWith(`${SESSION_COOKIE_NAME}=`));
  expect(sessionCookie).toBeDefined();
  expect(sessionCookie).toMatch(/; HttpOnly/);
  expect(sessionCookie).toMatch(/; SameSite=Lax/);
  expect(sessionCookie).not.toMatch(/; Secure/); // tests run outside production
  const sessionId = sessionCookie?.split(";")[0].split("=")[1];
  const session = await getPrisma().session.findUniqueOrThrow({ where: { id: sessionId }, select: { userId: true } });
  expect(session.userId).toBe(user.id);

  const languageCookie = setCookies.find((cookie) => cookie.startsWith("enlace_lng="));
  expect(await localeCookie.parse(languageCookie?.split(";")[0] ?? null)).toBe("es");
});

test("log-in returns to the page the visitor was going to, but never to another site", async () => {
  const user = await createUser();
  const back = await respond(
    loginAction,
    post("/login", { email: user.email, password: user.password, redirectTo: "/staff/accounts?page=2" }),
    { clientIp: uniqueIp() },
  );
  expect(back.headers.get("Location")).toBe("/staff/accounts?page=2");

  const offsite = await respond(
    loginAction,
    post("/login", { email: user.email, password: user.password, redirectTo: "//evil.example/phish" }),
    { clientIp: uniqueIp() },
  );
  expect(offsite.headers.get("Location")).toBe("/dashboard");
});

test("a refused account cannot log in and is told why, but only with its right password", async () => {
  const user = await createUser({ status: "refused" });
  const right = await respond(loginAction, post("/login", { email: user.email, password: user.password }), {
    clientIp: uniqueIp(),
  });
  expect(right.status).toBe(403);
  expect(await errorsOf(right)).toEqual({ "": ["auth:login.refused"] });
  expect(right.headers.getSetCookie()).toEqual([]);
  expect(await getPrisma().session.count({ where: { userId: user.id } })).toBe(0);

  const wrong = await respond(loginAction, post("/login", { email: user.email, password: "guessing the password" }), {
    clientIp: uniqueIp(),
  });
  expect(await errorsOf(wrong)).toEqual({ "": ["auth:login.invalidCredentials"] });
});

test("invalid log-in fields answer 400 per field without echoing the password", async () => {
  const response = await respond(loginAction, post("/login", { email: "nope", password: "" }), { clientIp: uniqueIp() });
  expect(response.status).toBe(400);
  expect(await errorsOf(response)).toEqual({
    email: ["auth:validation.emailInvalid"],
    password: ["auth:validation.passwordRequired"],
  });
});

test("log-out ends the session: the old cookie is anonymous afterwards", async () => {
  const { user, cookie } = await createLoggedInUser();
  expect((await getOptionalUser(get("/", { cookie })))?.id).toBe(user.id);

  const response = await respond(logoutAction, post("/logout", {}, { cookie }));
  expect(response.status).toBe(302);
  expect(response.headers.getSetCookie().some((value) => value.startsWith(`${SESSION_COOKIE_NAME}=;`))).toBe(true);

  expect(await getOptionalUser(get("/", { cookie }))).toBeNull();
  const dashboard = await respond(dashboardLoader, get("/dashboard", { cookie }));
  expect(dashboard.status).toBe(302);
  expect(dashboard.headers.get("Location")).toBe("/login?redirectTo=%2Fdashboard");
});

test("log-out only happens by POST: a GET is sent home and the session stays", async () => {
  const { user, cookie } = await createLoggedInUser();
  const response = await respond(logoutLoader, get("/logout", { cookie }));
  expect(response.headers.get("Location")).toBe("/");
  expect((await getOptionalUser(get("/", { cookie })))?.id).toBe(user.id);
});

test("a signed-in visitor opening the log-in page goes on to the dashboard", async () => {
  const { cookie } = await createLoggedInUser();
  const response = await respond(loginLoader, get("/login", { cookie }));
  expect(response.headers.get("Location")).toBe("/dashboard");
});

// ---------------------------------------------------------------------------------------
// Sessions

test("a session in the second half of its life is extended by 30 days; an expired one is deleted", async () => {
  const user = await createUser();
  const lucia = getLucia();
  const day = 24 * 60 * 60 * 1000;

  const aging = await lucia.createSession(user.id, {});
  await getPrisma().session.update({ where: { id: aging.id }, data: { expiresAt: new Date(Date.now() + 10 * day) } });
  expect(await getOptionalUser(get("/", { cookie: `${SESSION_COOKIE_NAME}=${aging.id}` }))).not.toBeNull();
  const renewed = await getPrisma().session.findUniqueOrThrow({ where: { id: aging.id }, select: { expiresAt: true } });
  expect(renewed.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * day);

  const expired = await lucia.createSession(user.id, {});
  await getPrisma().session.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  expect(await getOptionalUser(get("/", { cookie: `${SESSION_COOKIE_NAME}=${expired.id}` }))).toBeNull();
  expect(await getPrisma().session.count({ where: { id: expired.id } })).toBe(0);
});

test("a session of an account that staff refused later is anonymous", async () => {
  const { user, cookie } = await createLoggedInUser({ status: "pending" });
  await getPrisma().user.update({ where: { id: user.id }, data: { status: "refused" } });
  expect(await getOptionalUser(get("/", { cookie }))).toBeNull();
});

// ---------------------------------------------------------------------------------------
// Password change

test("changing the password ends every session of the user and starts a fresh one", async () => {
  const user = await createUser();
  const thisBrowser = await createSessionCookie(user.id);
  const otherDevice = await createSessionCookie(user.id);
  const newPassword = "a completely new passphrase";

  const response = await respond(
    changePasswordAction,
    post("/account/password", { currentPassword: user.password, newPassword }, { cookie: thisBrowser }),
    { clientIp: uniqueIp() },
  );

  expect(response.status).toBe(302);
  expect(response.headers.get("Location")).toBe("/dashboard");
  expect(await getOptionalUser(get("/", { cookie: thisBrowser }))).toBeNull();
  expect(await getOptionalUser(get("/", { cookie: otherDevice }))).toBeNull();
  const fresh = cookieHeaderFrom(response, thisBrowser);
  expect((await getOptionalUser(get("/", { cookie: fresh })))?.id).toBe(user.id);
  expect(await getPrisma().session.count({ where: { userId: user.id } })).toBe(1);

  // The flash message travels with the new session cookie.
  const { flash } = await getFlash(get("/dashboard", { cookie: fresh }));
  expect(flash?.type).toBe("success");

  const oldLogin = await logIn({ email: user.email, password: user.password, ip: uniqueIp() });
  expect(oldLogin.ok).toBe(false);
  const newLogin = await logIn({ email: user.email, password: newPassword, ip: uniqueIp() });
  expect(newLogin.ok).toBe(true);
});

test("a wrong current password changes nothing and keeps the sessions", async () => {
  const { user, cookie } = await createLoggedInUser();
  const response = await respond(
    changePasswordAction,
    post("/account/password", { currentPassword: "this is not it at all", newPassword: "a completely new passphrase" }, { cookie }),
    { clientIp: uniqueIp() },
  );
  expect(response.status).toBe(400);
  expect(await errorsOf(response)).toEqual({ currentPassword: ["auth:password.wrongCurrentPassword"] });
  expect((await getOptionalUser(get("/", { cookie })))?.id).toBe(user.id);
  expect((await logIn({ email: user.email, password: user.password, ip: uniqueIp() })).ok).toBe(true);
});

test("changing the password needs a session", async () => {
  const response = await respond(
    changePasswordAction,
    post("/account/password", { currentPassword: "whatever it is", newPassword: "a completely new passphrase" }),
  );
  expect(response.status).toBe(302);
  expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Faccount%2Fpassword");
});

// ---------------------------------------------------------------------------------------
// Staff review

test("staff approve a pending account, which activates it and verifies the organization it registered", async () => {
  const organization = await createOrganization({ verificationStatus: "pending" });
  const member = await createUser({ status: "pending", organizationId: organization.id });
  const { user: staff, cookie } = await createLoggedInUser({ role: "staff" });

  const queue = await (await respond(reviewLoader, get("/staff/accounts", { cookie }))).json();
  expect(queue.accounts.map((account: { id: string }) => account.id)).toContain(member.id);

  const response = await respond(reviewAction, post("/staff/accounts", { intent: "approve", userId: member.id }, { cookie }));
  expect(response.status).toBe(302);
  expect(response.headers.get("Location")).toBe("/staff/accounts");
  const { flash } = await getFlash(get("/staff/accounts", { cookie: cookieHeaderFrom(response, cookie) }));
  expect(flash?.text).toContain(member.name);

  const stored = await getPrisma().user.findUniqueOrThrow({
    where: { id: member.id },
    select: { status: true, reviewedById: true, reviewedAt: true, organization: { select: { verificationStatus: true } } },
  });
  expect(stored.status).toBe("active");
  expect(stored.reviewedById).toBe(staff.id);
  expect(stored.reviewedAt).toBeInstanceOf(Date);
  expect(stored.organization?.verificationStatus).toBe("verified");
});

test("staff refuse a pending account with a reason: stored, its sessions end, its new organization is refused", async () => {
  const organization = await createOrganization({ verificationStatus: "pending" });
  const { user: member, cookie: memberCookie } = await createLoggedInUser({ status: "pending", organizationId: organization.id });
  const { cookie } = await createLoggedInUser({ role: "admin" });

  const response = await respond(
    reviewAction,
    post("/staff/accounts", { intent: "refuse", userId: member.id, reason: "  Not a public agency.  " }, { cookie }),
  );
  expect(response.status).toBe(302);

  const stored = await getPrisma().user.findUniqueOrThrow({
    where: { id: member.id },
    select: { status: true, refusalReason: true, organization: { select: { verificationStatus: true } } },
  });
  expect(stored).toEqual({ status: "refused", refusalReason: "Not a public agency.", organization: { verificationStatus: "refused" } });
  expect(await getOptionalUser(get("/", { cookie: memberCookie }))).toBeNull();
  expect((await logIn({ email: member.email, password: member.password, ip: uniqueIp() })).ok).toBe(false);
});

test("refusing without a reason answers 400 on the reason and changes nothing", async () => {
  const member = await createUser({ status: "pending" });
  const { cookie } = await createLoggedInUser({ role: "staff" });
  const response = await respond(
    reviewAction,
    post("/staff/accounts", { intent: "refuse", userId: member.id, reason: "   " }, { cookie }),
  );
  expect(response.status).toBe(400);
  const body = await response.json();
  expect(body.userId).toBe(member.id);
  expect(formErrorsSchema(body)).toEqual({ reason: ["auth:validation.refusalReasonRequired"] });
  const stored = await getPrisma().user.findUniqueOrThrow({ where: { id: member.id }, select: { status: true } });
  expect(stored.status).toBe("pending");
});

test("reviewing an account that is no longer pending changes nothing and says so", async () => {
  const member = await createUser({ status: "active" });
  const { cookie } = await createLoggedInUser({ role: "staff" });
  const response = await respond(
    reviewAction,
    post("/staff/accounts", { intent: "refuse", userId: member.id, reason: "Too late" }, { cookie }),
  );
  expect(response.status).toBe(302);
  const { flash } = await getFlash(get("/staff/accounts", { cookie: cookieHeaderFrom(response, cookie) }));
  expect(flash?.type).toBe("warning");
  const stored = await getPrisma().user.findUniqueOrThrow({ where: { id: member.id }, select: { status: true } });
  expect(stored.status).toBe("active");
});

test("a member calling the staff review gets 403 and approves nothing; an anonymous visitor is sent to log in", async () => {
  const pending = await createUser({ status: "pending" });
  const { cookie } = await createLoggedInUser({ role: "member" });

  const asMember = await respond(reviewAction, post("/staff/accounts", { intent: "approve", userId: pending.id }, { cookie }));
  expect(asMember.status).toBe(403);
  expect((await respond(reviewLoader, get("/staff/accounts", { cookie }))).status).toBe(403);

  const anonymous = await respond(reviewAction, post("/staff/accounts", { intent: "approve", userId: pending.id }));
  expect(anonymous.status).toBe(302);
  expect(anonymous.headers.get("Location")).toBe("/login?redirectTo=%2Fstaff%2Faccounts");

  const stored = await getPrisma().user.findUniqueOrThrow({ where: { id: pending.id }, select: { status: true } });
  expect(stored.status).toBe("pending");
});

// ---------------------------------------------------------------------------------------
// Guards

test("guards: pending members may not publish, members stay in their organization, staff pages need staff", async () => {
  const { user: pending, cookie: pendingCookie } = await createLoggedInUser({ status: "pending" });
  const { user: active, cookie: activeCookie } = await createLoggedInUser({ status: "active" });
  const { cookie: staffCookie } = await createLoggedInUser({ role: "staff" });
  const { cookie: adminCookie } = await createLoggedInUser({ role: "admin" });
  const statusOf = async (guard: Promise<unknown>) => {
    try {
      await guard;
      return 200;
    } catch (thrown) {
      if (thrown instanceof Response) return thrown.status;
      throw thrown;
    }
  };
  const page = (cookie?: string) => get("/somewhere?x=1", { cookie });

  expect(await statusOf(requireUser(page()))).toBe(302);
  expect(await statusOf(requireUser(page(pendingCookie)))).toBe(200);
  expect(await statusOf(requireActiveMember(page(pendingCookie)))).toBe(403);
  expect((await requireActiveMember(page(activeCookie))).organizationId).toBe(active.organizationId);
  expect(await statusOf(requireActiveMember(page(staffCookie)))).toBe(403);

  expect(await statusOf(requireStaff(page(activeCookie)))).toBe(403);
  expect(await statusOf(requireStaff(page(staffCookie)))).toBe(200);
  expect(await statusOf(requireStaff(page(adminCookie)))).toBe(200);
  expect(await statusOf(requireAdmin(page(staffCookie)))).toBe(403);
  expect(await statusOf(requireAdmin(page(adminCookie)))).toBe(200);

  const pendingOrganization = pending.organizationId ?? "";
  expect(await statusOf(requireOrganizationMember(page(pendingCookie), pendingOrganization))).toBe(200);
  expect(await statusOf(requireOrganizationMember(page(activeCookie), pendingOrganization))).toBe(403);
  expect(await statusOf(requireOrganizationMember(page(staffCookie), pendingOrganization))).toBe(403);
  expect(await statusOf(requireOrganizationMember(page(staffCookie), pendingOrganization, { allowStaff: true }))).toBe(200);

  const thrown: unknown = await requireUser(page()).catch((error: unknown) => error);
  expect(thrown instanceof Response && thrown.headers.get("Location")).toBe("/login?redirectTo=%2Fsomewhere%3Fx%3D1");
});

test("the dashboard shows the member's organization and the pending notice data", async () => {
  const organization = await createOrganization({ name: `Ministerio de Prueba ${uniqueSuffix()}`, countryCode: "CO", type: "ministry" });
  const { cookie } = await createLoggedInUser({ status: "pending", organizationId: organization.id });
  const response = await respond(dashboardLoader, new Request(`${BASE}/dashboard`, { headers: { Cookie: cookie, "Accept-Language": "es" } }));
  const data = await response.json();
  expect(data.user.status).toBe("pending");
  expect(data.organization).toEqual({
    name: organization.name,
    countryName: "Colombia",
    typeLabel: "Ministerio",
    verificationStatus: "verified",
  });
});

// ---------------------------------------------------------------------------------------
// Rate limits

test("after too many wrong passwords for an account, even the right password is refused, from any IP", async () => {
  const user = await createUser();
  const { maxAttempts } = LOGIN_RATE_LIMITS.account;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const response = await respond(loginAction, post("/login", { email: user.email, password: `wrong guess ${attempt}` }), {
      clientIp: uniqueIp(),
    });
    expect(response.status).toBe(400);
  }

  const blocked = await respond(loginAction, post("/login", { email: user.email, password: user.password }), {
    clientIp: uniqueIp(),
  });
  expect(blocked.status).toBe(429);
  expect(Number(blocked.headers.get("Retry-After"))).toBeGreaterThan(0);
  const [message] = (await errorsOf(blocked))[""];
  expect(message).toMatch(/^Too many log-in attempts\. For your security, wait 15 minutes and try again\.$/);
  expect(blocked.headers.getSetCookie()).toEqual([]);
});

test("after too many failures from one IP, every account is refused from that IP but not from others", async () => {
  const ip = uniqueIp();
  const user = await createUser();
  for (let attempt = 0; attempt < LOGIN_RATE_LIMITS.ip.maxAttempts; attempt++) {
    const outcome = await logIn({ email: uniqueEmail("spray"), password: "password123456", ip });
    expect(outcome).toEqual({ ok: false, problem: "invalid-credentials" });
  }

  expect(await logIn({ email: user.email, password: user.password, ip })).toMatchObject({ ok: false, problem: "rate-limited" });
  expect(await logIn({ email: user.email, password: user.password, ip: uniqueIp() })).toMatchObject({ ok: true });
});

test("simultaneous guesses cannot slip past the account limit", async () => {
  const user = await createUser();
  const { maxAttempts } = LOGIN_RATE_LIMITS.account;
  const outcomes = await Promise.all(
    Array.from({ length: maxAttempts + 3 }, (_, index) => logIn({ email: user.email, password: `parallel ${index}`, ip: uniqueIp() })),
  );
  const problems = outcomes.map((outcome) => (outcome.ok ? "ok" : outcome.problem));
  expect(problems.filter((problem) => problem === "invalid-credentials")).toHaveLength(maxAttempts);
  expect(problems.filter((problem) => problem === "rate-limited")).toHaveLength(3);
});

test("a successful log-in clears the account's failures and does not count against the IP", async () => {
  const user = await createUser();
  const ip = uniqueIp();
  const almost = LOGIN_RATE_LIMITS.account.maxAttempts - 1;
  for (let round = 0; round < 2; round++) {
    for (let attempt = 0; attempt < almost; attempt++) {
      expect((await logIn({ email: user.email, password: `typo ${attempt}`, ip })).ok).toBe(false);
    }
    expect((await logIn({ email: user.email, password: user.password, ip })).ok).toBe(true);
  }
  const row = await getPrisma().loginThrottle.findUniqueOrThrow({ where: { scope_key: { scope: "ip", key: ip } } });
  expect(row.attempts).toBe(2 * almost);
});

test("changing the password is throttled like a log-in", async () => {
  const user = await createUser();
  for (let attempt = 0; attempt < LOGIN_RATE_LIMITS.account.maxAttempts; attempt++) {
    const outcome = await changePassword({
      userId: user.id,
      email: user.email,
      currentPassword: `guess ${attempt}`,
      newPassword: "a completely new passphrase",
      ip: uniqueIp(),
    });
    expect(outcome).toEqual({ ok: false, problem: "wrong-current-password" });
  }
  const blocked = await changePassword({
    userId: user.id,
    email: user.email,
    currentPassword: user.password,
    newPassword: "a completely new passphrase",
    ip: uniqueIp(),
  });
  expect(blocked).toMatchObject({ ok: false, problem: "rate-limited" });
});
