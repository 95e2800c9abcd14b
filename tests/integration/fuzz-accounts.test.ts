// Hostile input against the account forms (log-in, sign-up, password change, log-out, language,
// staff review, notifications): 1,000 generated inputs each, never a 5xx, nothing written when refused.
import fc from "fast-check";
import { afterAll, beforeAll, test } from "vitest";
import { ORGANIZATION_TYPE_CODES } from "~/schemas/vocabulary";
import { action as changePasswordAction } from "~/routes/account.password";
import { action as loginAction } from "~/routes/login";
import { action as logoutAction } from "~/routes/logout";
import { action as notificationsAction } from "~/routes/notifications";
import { action as setLanguageAction } from "~/routes/set-language";
import { action as signupAction } from "~/routes/signup";
import { action as reviewAction } from "~/routes/staff.accounts";
import { getPrisma } from "~/utils/db.server";
import { ensureJobQueue } from "../factories/catalogue";
import { createOrganization, createSessionCookie, createUser, TEST_PASSWORD, uniqueSuffix } from "../factories/users";
import { entriesArbitrary, fuzzTarget, uuidLike, watchUnhandledRejections, type FieldSpec } from "../setup/fuzz";

const rejections = watchUnhandledRejections();
afterAll(() => rejections.assertNone());

let memberEmail = "";
let memberCookies: string[] = [];
let staffCookie = "";
let organizationIds: string[] = [];
let pendingUserIds: string[] = [];
let notificationIds: string[] = [];

beforeAll(async () => {
  await ensureJobQueue();
  const [verified, pendingOrganization] = await Promise.all([createOrganization({ countryCode: "MX" }), createOrganization({ verificationStatus: "pending" })]);
  organizationIds = [verified.id, pendingOrganization.id];
  const [member, staff, ...pending] = await Promise.all([
    createUser({ organizationId: verified.id }),
    createUser({ role: "staff" }),
    ...Array.from({ length: 5 }, () => createUser({ status: "pending", organizationId: verified.id })),
  ]);
  memberEmail = member.email;
  pendingUserIds = pending.map((user) => user.id);
  memberCookies = await Promise.all([createSessionCookie(member.id), createSessionCookie(pending[0]?.id ?? member.id)]);
  staffCookie = await createSessionCookie(staff.id);
  const notifications = await Promise.all(
    [member.id, member.id, staff.id].map((userId) =>
      getPrisma().notification.create({ data: { userId, kind: "mail:notifications.test", params: {}, link: "/offers" }, select: { id: true } }),
    ),
  );
  notificationIds = notifications.map((notification) => notification.id);
}, 60_000);

const email = () => fc.oneof(fc.emailAddress(), fc.constant(memberEmail), fc.constant(memberEmail.toUpperCase()), fc.constant(`fuzz-${uniqueSuffix()}@example.test`));
const password = () => fc.oneof(fc.string({ minLength: 12, maxLength: 40 }), fc.constant(TEST_PASSWORD), fc.string({ maxLength: 11 }), fc.constant("p".repeat(129)));
const redirectTo = () => fc.constantFrom("/dashboard", "/offers?theme=x", "//evil.example", "https://evil.example/", "/\\evil.example", "javascript:alert(1)");

test("logging in", { timeout: 300_000 }, async () => {
  await fuzzTarget({
    name: "POST /login",
    input: entriesArbitrary({ email: email(), password: password(), redirectTo: redirectTo() }),
    toCall: (entries) => ({ route: loginAction, method: "POST", path: "/login", entries }),
  });
});

test("signing up", { timeout: 300_000 }, async () => {
  const fields: FieldSpec = {
    name: fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
    email: email(),
    password: password(),
    organizationChoice: fc.constantFrom("new", "existing"),
    organizationId: uuidLike(organizationIds),
    organizationName: fc.string({ unit: "grapheme", minLength: 1, maxLength: 60 }),
    countryCode: fc.constantFrom("PE", "BR", "US", "FR", "XX", "pe"),
    organizationType: fc.constantFrom(...ORGANIZATION_TYPE_CODES),
  };
  await fuzzTarget({
    name: "POST /signup",
    input: entriesArbitrary(fields),
    toCall: (entries) => ({ route: signupAction, method: "POST", path: "/signup", entries }),
  });
});

test("changing the password", { timeout: 300_000 }, async () => {
  await fuzzTarget({
    name: "POST /account/password",
    input: fc.record({
      // The right current password with a short new one, so nothing changes the test user's password for good.
      entries: entriesArbitrary({ currentPassword: fc.oneof(fc.constant(TEST_PASSWORD), password()), newPassword: fc.string({ maxLength: 11 }) }),
      cookie: fc.constantFrom(...memberCookies, staffCookie),
    }),
    toCall: ({ entries, cookie }) => ({ route: changePasswordAction, method: "POST", path: "/account/password", entries, cookie }),
  });
});

test("logging out", { timeout: 300_000 }, async () => {
  await fuzzTarget({
    name: "POST /logout",
    input: fc.record({ entries: entriesArbitrary({ redirectTo: redirectTo() }), cookie: fc.constantFrom(undefined, "enlace_session=not-a-session", "enlace_session=") }),
    toCall: ({ entries, cookie }) => ({ route: logoutAction, method: "POST", path: "/logout", entries, cookie }),
  });
});

test("choosing the language", { timeout: 300_000 }, async () => {
  await fuzzTarget({
    name: "POST /set-language",
    input: fc.record({ entries: entriesArbitrary({ locale: fc.constantFrom("en", "es", "pt", "fr", "de"), redirectTo: redirectTo() }), cookie: fc.constantFrom(undefined, ...memberCookies) }),
    toCall: ({ entries, cookie }) => ({ route: setLanguageAction, method: "POST", path: "/set-language", entries, cookie }),
  });
});

test("staff reviewing accounts", { timeout: 300_000 }, async () => {
  await fuzzTarget({
    name: "POST /staff/accounts",
    input: fc.record({
      entries: entriesArbitrary({ intent: fc.constantFrom("approve", "refuse"), userId: uuidLike(pendingUserIds), reason: fc.string({ maxLength: 60 }) }),
      cookie: fc.oneof({ weight: 5, arbitrary: fc.constant(staffCookie) }, { weight: 1, arbitrary: fc.constantFrom(...memberCookies) }),
    }),
    toCall: ({ entries, cookie }) => ({ route: reviewAction, method: "POST", path: "/staff/accounts", entries, cookie }),
  });
});

test("reading notifications", { timeout: 300_000 }, async () => {
  await fuzzTarget({
    name: "POST /notifications",
    input: fc.record({
      entries: entriesArbitrary({ intent: fc.constantFrom("open", "read", "read-all"), id: uuidLike(notificationIds), redirectTo: redirectTo() }),
      cookie: fc.constantFrom(...memberCookies, staffCookie),
    }),
    toCall: ({ entries, cookie }) => ({ route: notificationsAction, method: "POST", path: "/notifications", entries, cookie }),
  });
});
