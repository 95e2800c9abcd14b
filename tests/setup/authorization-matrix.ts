// The machinery of tests/integration/authorization-matrix.test.ts: reads the route tree as Remix
// does, builds a world of two organizations with users of every role, calls loaders and actions
// in-process as each of them, and sorts the answers into outcomes to compare with the table.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { flatRoutes } from "@remix-run/dev/dist/config/flat-routes.js";
import { composeBulletinIssue } from "~/models/bulletin.server";
import { getPrisma } from "~/utils/db.server";
import { ensureJobQueue, insertOffer, insertRequest, type FormFields } from "../factories/catalogue";
import { createOrganization, createSessionCookie, createUser, uniqueIp, uniqueSuffix } from "../factories/users";
import { repositoryRoot } from "./services";

// ---------------------------------------------------------------------------------------
// Who calls, on whose records, and what comes back

export const ACTORS = ["anonymous", "pending", "member", "otherMember", "staff", "admin"] as const;
export type Actor = (typeof ACTORS)[number];

/** Whose ids a page keyed by id is called with: organization A's (of `pending` and `member`) or B's (of `otherMember`). */
export const ORGANIZATIONS = ["A", "B"] as const;
export type OrganizationKey = (typeof ORGANIZATIONS)[number];

/** The caller as the record's organization sees them. */
export type Relation = "anonymous" | "pendingOwner" | "pendingOutsider" | "owner" | "outsider" | "staff" | "admin";

export function relationOf(actor: Actor, organization: OrganizationKey): Relation {
  switch (actor) {
    case "anonymous":
    case "staff":
    case "admin":
      return actor;
    case "pending":
      return organization === "A" ? "pendingOwner" : "pendingOutsider";
    case "member":
      return organization === "A" ? "owner" : "outsider";
    case "otherMember":
      return organization === "B" ? "owner" : "outsider";
  }
}

/**
 * What a call came to. Allowed: ok (2xx), redirect (3xx elsewhere than log-in; "redirect:/path"
 * pins the place), invalid (400: past the guard, refused by validation), conflict (409).
 * Denied: login (sent to /login), forbidden (401/403), notFound (404).
 */
export type Outcome = "ok" | "redirect" | `redirect:${string}` | "login" | "forbidden" | "notFound" | "invalid" | "conflict";

const DENIALS = new Set<string>(["login", "forbidden", "notFound"]);

export function isDenial(outcome: string): boolean {
  return DENIALS.has(outcome);
}

export type Expectation = (relation: Relation) => Outcome;

export type World = {
  organizations: Record<
    OrganizationKey,
    { id: string; countryCode: string; offerDraft: string; offerPublished: string; requestDraft: string; requestOpen: string }
  >;
  userIds: Record<Exclude<Actor, "anonymous">, string>;
  cookies: Record<Actor, string | undefined>;
  meetingId: string;
  bulletinDraft: { id: string; month: string };
  mailId: string;
  /** A staff-confirmed pairing and a cooperation of each organization's open request with organization C's offer. */
  brokering: Record<OrganizationKey, { pairingId: string; cooperationId: string }>;
  /** Organization C, the provider in every pairing of the world. */
  providerOrganizationId: string;
};

export type Probe = {
  /** Names the variant in failure messages, e.g. "draft offer". */
  label?: string;
  /** Route params; a page keyed by id is then called on organization A's and on B's records. */
  params?: (world: World, organization: OrganizationKey) => Promise<Record<string, string>> | Record<string, string>;
  search?: string;
  /** The form an action is posted; may create fresh records so that mutations do not leak between cells. */
  form?: FormFields | ((world: World, organization: OrganizationKey, actor: Actor) => Promise<FormFields> | FormFields);
  /** A session of its own for each call (log-out ends the session it is given). */
  freshSession?: boolean;
  expect: Expectation;
};

export type RouteEntry = { loader?: Probe | Probe[]; action?: Probe | Probe[] };

// ---------------------------------------------------------------------------------------
// Expectations used by most rows

export function everyone(outcome: Outcome = "ok"): Expectation {
  return () => outcome;
}

/** Any signed-in user; visitors are sent to log in. */
export function signedIn(outcome: Outcome = "ok"): Expectation {
  return (relation) => (relation === "anonymous" ? "login" : outcome);
}

export function staffOnly(outcome: Outcome = "ok"): Expectation {
  return (relation) => (relation === "anonymous" ? "login" : relation === "staff" || relation === "admin" ? outcome : "forbidden");
}

/** Users of an organization, pending ones included; staff belong to none. */
export function organizationMembers(outcome: Outcome = "ok"): Expectation {
  return (relation) => (relation === "anonymous" ? "login" : relation === "staff" || relation === "admin" ? "forbidden" : outcome);
}

/** Verified members of an organization only. */
export function activeOrganizationMembers(outcome: Outcome = "ok"): Expectation {
  return (relation) => {
    if (relation === "anonymous") return "login";
    if (relation === "owner" || relation === "outsider") return outcome;
    return "forbidden";
  };
}

/** Verified members and staff; pending accounts get 403. */
export function verifiedUsers(outcome: Outcome = "ok"): Expectation {
  return (relation) => (relation === "anonymous" ? "login" : relation === "pendingOwner" || relation === "pendingOutsider" ? "forbidden" : outcome);
}

/** Pages for visitors (log-in, sign-up): a signed-in user is sent on. */
export function visitorsOnly(signedInOutcome: Outcome): Expectation {
  return (relation) => (relation === "anonymous" ? "ok" : signedInOutcome);
}

/** A spelled-out row, for pages where each relation has its own answer. */
export function byRelation(outcomes: Record<Relation, Outcome>): Expectation {
  return (relation) => outcomes[relation];
}

// ---------------------------------------------------------------------------------------
// The route tree, read as the Remix compiler reads it

export type RouteModuleInfo = { id: string; file: string; urlPattern: string };

export function readRouteTree(): RouteModuleInfo[] {
  const appDirectory = path.join(repositoryRoot, "app");
  // remix.config.js ignoredRouteFiles
  const manifest = flatRoutes(appDirectory, ["**/.*", "**/*.test.*"]);
  const routes = Object.values(manifest);
  const byId = new Map(routes.map((route) => [route.id, route]));
  function fullPath(id: string | undefined): string {
    const route = id ? byId.get(id) : undefined;
    if (!route) return "";
    const parent = fullPath(route.parentId);
    return route.path ? `${parent}/${route.path}` : parent;
  }
  return routes
    .map((route) => ({ id: route.id, file: path.join(appDirectory, route.file), urlPattern: fullPath(route.id) || "/" }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

type RouteFunction = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;

export type RouteModule = { loader?: RouteFunction; action?: RouteFunction };

export async function importRouteModule(file: string): Promise<RouteModule> {
  const module: Record<string, unknown> = await import(pathToFileURL(file).href);
  const pick = (name: "loader" | "action"): RouteFunction | undefined => {
    const value = module[name];
    return typeof value === "function" ? (args) => Promise.resolve(value(args)) : undefined;
  };
  return { loader: pick("loader"), action: pick("action") };
}

export function urlFor(pattern: string, params: Record<string, string>, search = ""): string {
  const pathname = pattern.replace(/:([A-Za-z0-9_]+)\??/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for the route param "${name}" of ${pattern}`);
    return encodeURIComponent(value);
  });
  return `http://localhost${pathname}${search}`;
}

// ---------------------------------------------------------------------------------------
// Calling

export type CallResult = { outcome: string; detail: string };

export function classify(response: Response): CallResult {
  const { status } = response;
  const location = response.headers.get("Location") ?? "";
  if (status >= 200 && status < 300) return { outcome: "ok", detail: String(status) };
  if (status >= 300 && status < 400) {
    const where = location.split("?")[0] ?? "";
    return { outcome: where === "/login" ? "login" : `redirect:${where}`, detail: `${status} ${location}` };
  }
  if (status === 400) return { outcome: "invalid", detail: "400" };
  if (status === 401 || status === 403) return { outcome: "forbidden", detail: String(status) };
  if (status === 404) return { outcome: "notFound", detail: "404" };
  if (status === 409) return { outcome: "conflict", detail: "409" };
  return { outcome: `status ${status}`, detail: String(status) };
}

export function matches(expected: Outcome, actual: string): boolean {
  if (expected === "redirect") return actual.startsWith("redirect:");
  return expected === actual;
}

export async function call({
  route,
  method,
  url,
  params,
  form,
  cookie,
}: {
  route: RouteFunction;
  method: "GET" | "POST";
  url: string;
  params: Record<string, string>;
  form?: FormFields;
  cookie?: string;
}): Promise<CallResult> {
  const headers = new Headers(cookie ? { Cookie: cookie } : {});
  let body: URLSearchParams | undefined;
  if (method === "POST") {
    body = new URLSearchParams();
    for (const [name, value] of Object.entries(form ?? {})) {
      for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
    }
  }
  const request = new Request(url, { method, headers, body });
  try {
    const result = await route({ request, params, context: { clientIp: uniqueIp() } });
    if (result instanceof Response) return classify(result);
    // A loader may return plain data, which Remix serves as 200 JSON.
    return { outcome: "ok", detail: "200 (data)" };
  } catch (thrown) {
    if (thrown instanceof Response) return classify(thrown);
    const message = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
    return { outcome: "error", detail: message.slice(0, 300) };
  }
}

// ---------------------------------------------------------------------------------------
// The world

function monthKey(date: Date): string {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
}

export async function buildWorld(): Promise<World> {
  await ensureJobQueue();
  const prisma = getPrisma();
  const [organizationA, organizationB] = await Promise.all([
    createOrganization({ countryCode: "CL", name: `Matrix Agency A ${uniqueSuffix()}` }),
    createOrganization({ countryCode: "BR", name: `Matrix Agency B ${uniqueSuffix()}` }),
  ]);
  async function records(organizationId: string) {
    const [offerDraft, offerPublished, requestDraft, requestOpen] = await Promise.all([
      insertOffer({ organizationId, status: "draft" }),
      insertOffer({ organizationId, status: "published" }),
      insertRequest({ organizationId, status: "draft" }),
      insertRequest({ organizationId, status: "open" }),
    ]);
    return { offerDraft: offerDraft.id, offerPublished: offerPublished.id, requestDraft: requestDraft.id, requestOpen: requestOpen.id };
  }
  const [recordsA, recordsB, pending, member, otherMember, staff, admin] = await Promise.all([
    records(organizationA.id),
    records(organizationB.id),
    createUser({ status: "pending", organizationId: organizationA.id }),
    createUser({ organizationId: organizationA.id }),
    createUser({ organizationId: organizationB.id }),
    createUser({ role: "staff" }),
    createUser({ role: "admin" }),
  ]);
  const userIds = { pending: pending.id, member: member.id, otherMember: otherMember.id, staff: staff.id, admin: admin.id };
  const cookies: Record<Actor, string | undefined> = {
    anonymous: undefined,
    pending: await createSessionCookie(pending.id),
    member: await createSessionCookie(member.id),
    otherMember: await createSessionCookie(otherMember.id),
    staff: await createSessionCookie(staff.id),
    admin: await createSessionCookie(admin.id),
  };

  const meeting = await prisma.meeting.create({
    data: { title: `Matrix meeting ${uniqueSuffix()}`, startsAt: new Date(Date.now() + 30 * 86_400_000), themes: ["entrepreneurship"], agenda: "Agenda", link: "https://meet.example.org/matrix" },
    select: { id: true },
  });
  // A month no other test composes: the issue stays a draft, which no public page may show.
  const month = new Date(Date.UTC(2097, Math.floor(Math.random() * 12), 1));
  const composed = await composeBulletinIssue({
    month,
    actorId: staff.id,
    now: new Date(),
    texts: { titleEn: "Matrix", titleEs: "Matriz", introEn: "Intro", introEs: "Intro" },
  });
  const mail = await prisma.mailMessage.create({
    data: {
      dedupeKey: `matrix-${uniqueSuffix()}`,
      recipient: "matrix@example.test",
      locale: "en",
      template: "notification",
      subject: "Matrix",
      text: "Matrix",
      html: "<p>Matrix</p>",
      status: "sent",
    },
    select: { id: true },
  });

  // Organization C provides the offer of both organizations' pairings, so that B is an outsider to A's and A to B's.
  const organizationC = await createOrganization({ countryCode: "AR", name: `Matrix Agency C ${uniqueSuffix()}` });
  const [pairedOffer, cooperatingOffer] = await Promise.all([
    insertOffer({ organizationId: organizationC.id, status: "published" }),
    insertOffer({ organizationId: organizationC.id, status: "published" }),
  ]);
  async function brokering(requestId: string) {
    const proposal = (status: "confirmed" | "accepted", offerId: string) =>
      prisma.proposal.create({
        data: { requestId, offerId, status, source: "manual", score: 80, sharedLanguage: true, factors: {}, reasons: { en: [], es: [] } },
        select: { id: true },
      });
    const [pairing, accepted] = await Promise.all([proposal("confirmed", pairedOffer.id), proposal("accepted", cooperatingOffer.id)]);
    const cooperation = await prisma.cooperation.create({ data: { proposalId: accepted.id, requestId, offerId: cooperatingOffer.id }, select: { id: true } });
    return { pairingId: pairing.id, cooperationId: cooperation.id };
  }
  const [brokeringA, brokeringB] = await Promise.all([brokering(recordsA.requestOpen), brokering(recordsB.requestOpen)]);

  return {
    brokering: { A: brokeringA, B: brokeringB },
    providerOrganizationId: organizationC.id,
    organizations: {
      A: { id: organizationA.id, countryCode: "CL", ...recordsA },
      B: { id: organizationB.id, countryCode: "BR", ...recordsB },
    },
    userIds,
    cookies,
    meetingId: meeting.id,
    bulletinDraft: { id: composed.id, month: monthKey(month) },
    mailId: mail.id,
  };
}

/** A new published offer or open request, for actions that change the record they are given. */
export async function freshRecord(world: World, organization: OrganizationKey, kind: "offerDraft" | "offerPublished" | "requestDraft" | "requestOpen") {
  const organizationId = world.organizations[organization].id;
  switch (kind) {
    case "offerDraft":
      return (await insertOffer({ organizationId, status: "draft" })).id;
    case "offerPublished":
      return (await insertOffer({ organizationId, status: "published" })).id;
    case "requestDraft":
      return (await insertRequest({ organizationId, status: "draft" })).id;
    case "requestOpen":
      return (await insertRequest({ organizationId, status: "open" })).id;
  }
}

/** A notification of the organization's verified member, linking to /offers. */
export async function freshNotification(world: World, organization: OrganizationKey): Promise<string> {
  const userId = organization === "A" ? world.userIds.member : world.userIds.otherMember;
  const created = await getPrisma().notification.create({
    data: { userId, kind: "mail:notifications.test", params: {}, link: "/offers" },
    select: { id: true },
  });
  return created.id;
}

/** A new staff-confirmed pairing of the organization's open request with a new offer of organization C. */
export async function freshPairing(world: World, organization: OrganizationKey): Promise<string> {
  const offer = await insertOffer({ organizationId: world.providerOrganizationId, status: "published" });
  const proposal = await getPrisma().proposal.create({
    data: {
      requestId: world.organizations[organization].requestOpen,
      offerId: offer.id,
      status: "confirmed",
      source: "manual",
      score: 80,
      sharedLanguage: true,
      factors: {},
      reasons: { en: [], es: [] },
      // Staff confirmation asks both agencies.
      consents: { create: [{ side: "requester" }, { side: "provider" }] },
    },
    select: { id: true },
  });
  return proposal.id;
}
