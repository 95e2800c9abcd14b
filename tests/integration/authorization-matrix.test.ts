// Every loader and action of every route module, called as each kind of user on organization A's
// and B's records, against the expected answer. The route list is read from app/routes at test
// time: a route (or a new loader/action) without a row here fails the test, naming it.
//
// Adding a route: one row keyed by its route id ("routes/<file name without extension>"), e.g.
//   "routes/staff.pairings._index": { loader: { expect: staffOnly() }, action: { form: { intent: "x" }, expect: staffOnly("invalid") } },
// Pages keyed by id give `params: (world, organization) => ({ id: world.organizations[organization].offerDraft })`
// and are then called on A's and on B's records; `byRelation({...})` spells out each caller.
import { randomUUID } from "node:crypto";
import { beforeAll, expect, test } from "vitest";
import {
  ACTORS,
  activeOrganizationMembers,
  buildWorld,
  byRelation,
  call,
  everyone,
  freshNotification,
  freshPairing,
  freshRecord,
  importRouteModule,
  isDenial,
  matches,
  ORGANIZATIONS,
  organizationMembers,
  readRouteTree,
  relationOf,
  signedIn,
  staffOnly,
  urlFor,
  verifiedUsers,
  visitorsOnly,
  type Probe,
  type RouteEntry,
  type World,
} from "../setup/authorization-matrix";
import { createSessionCookie } from "../factories/users";

const offerParams = (kind: "offerDraft" | "offerPublished") => (world: World, organization: "A" | "B") => ({ id: world.organizations[organization][kind] });
const requestParams = (kind: "requestDraft" | "requestOpen") => (world: World, organization: "A" | "B") => ({ id: world.organizations[organization][kind] });
const freshParams = (kind: "offerDraft" | "offerPublished" | "requestDraft" | "requestOpen") => async (world: World, organization: "A" | "B") => ({
  id: await freshRecord(world, organization, kind),
});

// A draft is seen by its organization (pending members included) and staff; to anyone else it does not exist.
const draftReadable = byRelation({ anonymous: "notFound", pendingOwner: "ok", pendingOutsider: "notFound", owner: "ok", outsider: "notFound", staff: "ok", admin: "ok" });
// Status changes need a verified account of the owning organization, or staff.
const statusChangeOnPublic = (allowed: "redirect" | "ok") =>
  byRelation({ anonymous: "login", pendingOwner: "forbidden", pendingOutsider: "forbidden", owner: allowed, outsider: "forbidden", staff: allowed, admin: allowed });
const statusChangeOnDraft = byRelation({ anonymous: "login", pendingOwner: "forbidden", pendingOutsider: "notFound", owner: "redirect", outsider: "notFound", staff: "redirect", admin: "redirect" });
// Editing: a pending account only edits drafts; outsiders get 403 on what they can read, 404 on what they cannot.
const editDraft = (allowed: "ok" | "invalid") =>
  byRelation({ anonymous: "login", pendingOwner: allowed, pendingOutsider: "notFound", owner: allowed, outsider: "notFound", staff: allowed, admin: allowed });
const editPublishedOffer = (allowed: "ok" | "invalid") =>
  byRelation({ anonymous: "login", pendingOwner: "forbidden", pendingOutsider: "forbidden", owner: allowed, outsider: "forbidden", staff: allowed, admin: allowed });
// Open requests are read by verified members and staff only; a pending member sees its own organization's.
const editOpenRequest = (allowed: "ok" | "invalid") =>
  byRelation({ anonymous: "login", pendingOwner: "forbidden", pendingOutsider: "notFound", owner: allowed, outsider: "forbidden", staff: allowed, admin: allowed });
const statusChangeOnOpenRequest = byRelation({ anonymous: "login", pendingOwner: "forbidden", pendingOutsider: "notFound", owner: "redirect", outsider: "forbidden", staff: "redirect", admin: "redirect" });

// Pairings and cooperations: the two agencies' members (pending ones included) and staff; to anyone else they do not exist.
const brokeringParties = (allowed: "ok") =>
  byRelation({ anonymous: "login", pendingOwner: allowed, pendingOutsider: "notFound", owner: allowed, outsider: "notFound", staff: allowed, admin: allowed });

const MATRIX: Record<string, RouteEntry> = {
  "routes/_index": { loader: { expect: everyone() } },
  "routes/account.password": {
    loader: { expect: signedIn() },
    action: { form: { currentPassword: "not the current password", newPassword: "a brand new passphrase" }, expect: signedIn("invalid") },
  },
  "routes/api.offers": { loader: { expect: everyone() } },
  // An API answers 401 rather than sending to the log-in page; pending members get their organization's own.
  "routes/api.requests": { loader: { expect: (relation) => (relation === "anonymous" ? "forbidden" : "ok") } },
  "routes/bulletin.$month": {
    loader: [
      { label: "draft issue", params: (world) => ({ month: world.bulletinDraft.month }), expect: everyone("notFound") },
      { label: "no issue", params: () => ({ month: "1999-01" }), expect: everyone("notFound") },
    ],
  },
  "routes/bulletin._index": { loader: { expect: everyone() } },
  "routes/bulletin.confirm": { loader: { search: "?token=not-a-token", expect: everyone("invalid") } },
  "routes/bulletin.rss[.]xml": { loader: { expect: everyone() } },
  "routes/bulletin.subscribe": { loader: { expect: everyone() }, action: { form: { email: "not an email", locale: "en" }, expect: everyone("invalid") } },
  "routes/bulletin.unsubscribe": {
    loader: { search: "?token=not-a-token", expect: everyone("invalid") },
    action: { form: { intent: "resubscribe", token: "not-a-token" }, expect: everyone("invalid") },
  },
  "routes/countries.$code": { loader: { params: (world, organization) => ({ code: world.organizations[organization].countryCode }), expect: everyone() } },
  "routes/cooperations.$id": {
    loader: { params: (world, organization) => ({ id: world.brokering[organization].cooperationId }), expect: brokeringParties("ok") },
    // Pending members read their cooperations but only verified members and staff write in them.
    action: {
      params: (world, organization) => ({ id: world.brokering[organization].cooperationId }),
      form: { intent: "message", body: "Matrix message" },
      expect: byRelation({ anonymous: "login", pendingOwner: "forbidden", pendingOutsider: "forbidden", owner: "redirect", outsider: "forbidden", staff: "redirect", admin: "redirect" }),
    },
  },
  "routes/dashboard._index": { loader: { expect: signedIn() } },
  "routes/dashboard_.catalogue": { loader: { expect: organizationMembers() } },
  "routes/dashboard_.import": { loader: { expect: organizationMembers() }, action: { form: {}, expect: activeOrganizationMembers("invalid") } },
  "routes/dashboard_.import.export": { loader: { expect: organizationMembers() } },
  "routes/healthz": { loader: { expect: everyone() } },
  "routes/insights._index": { loader: { expect: everyone() } },
  "routes/insights.$file": {
    loader: [
      { label: "public chart", params: () => ({ file: "countries.csv" }), expect: everyone() },
      { label: "chart naming organizations", params: () => ({ file: "organizations.csv" }), expect: staffOnly() },
      { label: "unknown chart", params: () => ({ file: "secrets.csv" }), expect: everyone("notFound") },
    ],
  },
  "routes/login": {
    loader: { expect: visitorsOnly("redirect:/dashboard") },
    // One address per call: the account limit (5 guesses) would answer 429 from the sixth on.
    action: { form: () => ({ email: `nobody-${randomUUID()}@example.test`, password: "not the password" }), expect: everyone("invalid") },
  },
  "routes/logout": { loader: { expect: everyone("redirect:/") }, action: { freshSession: true, form: {}, expect: everyone("login") } },
  "routes/meetings.$id.calendar[.]ics": { loader: { params: (world) => ({ id: world.meetingId }), expect: everyone() } },
  "routes/meetings.$id": {
    loader: { params: (world) => ({ id: world.meetingId }), expect: everyone() },
    action: [
      {
        label: "register",
        params: (world) => ({ id: world.meetingId }),
        form: { intent: "register" },
        expect: byRelation({ anonymous: "login", pendingOwner: "forbidden", pendingOutsider: "forbidden", owner: "redirect", outsider: "redirect", staff: "redirect", admin: "redirect" }),
      },
      // The meeting is in the future: staff get past the guard and are told it has not been held.
      { label: "conclusions", params: (world) => ({ id: world.meetingId }), form: { intent: "conclusions", conclusions: "Agreed." }, expect: staffOnly("conflict") },
    ],
  },
  "routes/meetings._index": { loader: { expect: everyone() } },
  "routes/meetings.new": { loader: { expect: staffOnly() }, action: { form: {}, expect: staffOnly("invalid") } },
  "routes/meetings.time-zone": { loader: { expect: everyone("redirect:/meetings") }, action: { form: { timeZone: "Mars/Olympus_Mons" }, expect: everyone("invalid") } },
  "routes/notifications": {
    loader: { expect: signedIn() },
    action: [
      { label: "read-all", form: { intent: "read-all" }, expect: signedIn("redirect:/notifications") },
      {
        label: "open the organization member's notification",
        params: () => ({}),
        form: async (world, organization) => ({ intent: "open", id: await freshNotification(world, organization) }),
        // Only its recipient opens it (and goes to its link); anyone else is told it was not found.
        expect: (relation) => (relation === "anonymous" ? "login" : relation === "owner" ? "redirect:/offers" : "redirect:/notifications"),
      },
    ],
  },
  "routes/offers.$id": {
    loader: [
      { label: "draft offer", params: offerParams("offerDraft"), expect: draftReadable },
      { label: "published offer", params: offerParams("offerPublished"), expect: everyone() },
    ],
    action: [
      { label: "confirm a published offer", params: freshParams("offerPublished"), form: { intent: "confirm-current" }, expect: statusChangeOnPublic("redirect") },
      { label: "publish a draft offer", params: freshParams("offerDraft"), form: { intent: "publish" }, expect: statusChangeOnDraft },
    ],
  },
  "routes/offers.$id_.edit": {
    loader: [
      { label: "draft offer", params: offerParams("offerDraft"), expect: editDraft("ok") },
      { label: "published offer", params: offerParams("offerPublished"), expect: editPublishedOffer("ok") },
    ],
    action: [
      { label: "draft offer", params: offerParams("offerDraft"), form: { title: "" }, expect: editDraft("invalid") },
      { label: "published offer", params: offerParams("offerPublished"), form: { title: "" }, expect: editPublishedOffer("invalid") },
    ],
  },
  "routes/offers._index": { loader: { expect: everyone() } },
  "routes/offers.new": { loader: { expect: organizationMembers() }, action: { form: {}, expect: organizationMembers("invalid") } },
  "routes/offers[.]csv": { loader: { expect: everyone() } },
  "routes/organizations.$id": { loader: { params: (world, organization) => ({ id: world.organizations[organization].id }), expect: everyone() } },
  "routes/pairings.$id": {
    loader: { params: (world, organization) => ({ id: world.brokering[organization].pairingId }), expect: brokeringParties("ok") },
    // Only a verified member of a side answers; staff confirmed the pairing and do not answer for the agencies.
    action: {
      params: async (world, organization) => ({ id: await freshPairing(world, organization) }),
      form: { intent: "accept" },
      expect: byRelation({ anonymous: "login", pendingOwner: "forbidden", pendingOutsider: "forbidden", owner: "redirect", outsider: "forbidden", staff: "forbidden", admin: "forbidden" }),
    },
  },
  "routes/requests.$id": {
    loader: [
      { label: "draft request", params: requestParams("requestDraft"), expect: byRelation({ anonymous: "login", pendingOwner: "ok", pendingOutsider: "notFound", owner: "ok", outsider: "notFound", staff: "ok", admin: "ok" }) },
      { label: "open request", params: requestParams("requestOpen"), expect: byRelation({ anonymous: "login", pendingOwner: "ok", pendingOutsider: "notFound", owner: "ok", outsider: "ok", staff: "ok", admin: "ok" }) },
    ],
    action: [
      { label: "confirm an open request", params: freshParams("requestOpen"), form: { intent: "confirm-current" }, expect: statusChangeOnOpenRequest },
      { label: "publish a draft request", params: freshParams("requestDraft"), form: { intent: "publish" }, expect: statusChangeOnDraft },
    ],
  },
  "routes/requests.$id_.edit": {
    loader: [
      { label: "draft request", params: requestParams("requestDraft"), expect: editDraft("ok") },
      { label: "open request", params: requestParams("requestOpen"), expect: editOpenRequest("ok") },
    ],
    action: [
      { label: "draft request", params: requestParams("requestDraft"), form: { title: "" }, expect: editDraft("invalid") },
      { label: "open request", params: requestParams("requestOpen"), form: { title: "" }, expect: editOpenRequest("invalid") },
    ],
  },
  "routes/requests._index": { loader: { expect: verifiedUsers() } },
  "routes/requests.new": { loader: { expect: organizationMembers() }, action: { form: {}, expect: organizationMembers("invalid") } },
  "routes/requests[.]csv": { loader: { expect: verifiedUsers() } },
  "routes/search": { loader: { expect: everyone() } },
  "routes/set-language": { loader: { expect: everyone("redirect:/") }, action: { form: { locale: "en" }, expect: everyone("redirect:/") } },
  "routes/signup": { loader: { expect: visitorsOnly("redirect:/dashboard") }, action: { form: {}, expect: everyone("invalid") } },
  "routes/staff._index": { loader: { expect: staffOnly() } },
  "routes/staff.accounts": { loader: { expect: staffOnly() }, action: { form: {}, expect: staffOnly("invalid") } },
  "routes/staff.bulletin.$id": {
    loader: { params: (world) => ({ id: world.bulletinDraft.id }), expect: staffOnly() },
    action: { params: (world) => ({ id: world.bulletinDraft.id }), form: { intent: "no-such-intent" }, expect: staffOnly("invalid") },
  },
  "routes/staff.bulletin._index": { loader: { expect: staffOnly() }, action: { form: { intent: "compose" }, expect: staffOnly("invalid") } },
  "routes/staff.exchange": { loader: { expect: staffOnly() }, action: { form: {}, expect: staffOnly("invalid") } },
  "routes/staff.exchange.export": { loader: { expect: staffOnly() } },
  "routes/staff.pairings._index": { loader: { expect: staffOnly() } },
  "routes/staff.pairings.$id": {
    loader: { params: (world, organization) => ({ id: world.brokering[organization].pairingId }), expect: staffOnly() },
    action: { params: (world, organization) => ({ id: world.brokering[organization].pairingId }), form: { intent: "no-such-intent" }, expect: staffOnly("invalid") },
  },
  "routes/staff.pairings.requests.$requestId": {
    loader: { params: (world, organization) => ({ requestId: world.organizations[organization].requestOpen }), expect: staffOnly() },
    action: { params: (world, organization) => ({ requestId: world.organizations[organization].requestOpen }), form: {}, expect: staffOnly("invalid") },
  },
  "routes/staff.mail.$id": { loader: { params: (world) => ({ id: world.mailId }), expect: staffOnly() } },
  "routes/staff.mail._index": { loader: { expect: staffOnly() } },
  "routes/staff_.stale": { loader: { expect: staffOnly() } },
};

let world: World;
// When this file's records were written: the API listings below ask for changes since then, so
// records other test files wrote earlier in the run cannot push these off the API's first page.
let worldBuiltSince: Date;

beforeAll(async () => {
  worldBuiltSince = new Date(Date.now() - 1_000);
  world = await buildWorld();
}, 120_000);

function probesOf(entry: RouteEntry, kind: "loader" | "action"): Probe[] {
  const probes = entry[kind];
  if (!probes) return [];
  return Array.isArray(probes) ? probes : [probes];
}

test("every loader and action answers each kind of user as the table says, with zero unexpected allows", { timeout: 300_000 }, async () => {
  const tree = readRouteTree();
  const problems: string[] = [];
  const unexpectedAllows: string[] = [];
  let cells = 0;
  const started = performance.now();

  for (const routeId of Object.keys(MATRIX)) {
    if (!tree.some((route) => route.id === routeId)) problems.push(`${routeId}: has a row in the matrix but no route module (renamed or removed?)`);
  }

  for (const route of tree) {
    const module = await importRouteModule(route.file);
    const entry = MATRIX[route.id];
    for (const kind of ["loader", "action"] as const) {
      const handler = module[kind];
      const probes = entry ? probesOf(entry, kind) : [];
      if (!handler) {
        if (probes.length > 0) problems.push(`${route.id} ${kind}: the table has a row but the module exports no ${kind}`);
        continue;
      }
      if (probes.length === 0) {
        problems.push(`${route.id} ${kind}: no entry in the authorization matrix (add "${route.id}": { ${kind}: { expect: ... } } to MATRIX in tests/integration/authorization-matrix.test.ts)`);
        continue;
      }
      for (const probe of probes) {
        const organizations = probe.params ? ORGANIZATIONS : (["A"] as const);
        for (const organization of organizations) {
          for (const actor of ACTORS) {
            const params = probe.params ? await probe.params(world, organization) : {};
            const form = typeof probe.form === "function" ? await probe.form(world, organization, actor) : probe.form;
            const userId = actor === "anonymous" ? undefined : world.userIds[actor];
            const cookie = probe.freshSession && userId ? await createSessionCookie(userId) : world.cookies[actor];
            const result = await call({
              route: handler,
              method: kind === "loader" ? "GET" : "POST",
              url: urlFor(route.urlPattern, params, probe.search),
              params,
              form,
              cookie,
            });
            cells++;
            const relation = relationOf(actor, organization);
            const expected = probe.expect(relation);
            if (matches(expected, result.outcome)) continue;
            const where = `${route.id} ${kind}${probe.label ? ` (${probe.label})` : ""} as ${actor}${probe.params ? ` on organization ${organization}'s ids` : ""} [${relation}]`;
            const line = `${where}: expected ${expected}, got ${result.outcome} (${result.detail})`;
            problems.push(line);
            if (isDenial(expected) && !isDenial(result.outcome)) unexpectedAllows.push(line);
          }
        }
      }
    }
  }

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.info(`[authorization matrix] ${tree.length} route modules, ${cells} calls in ${seconds} s`);
  expect(unexpectedAllows, "UNEXPECTED ALLOWS").toEqual([]);
  expect(problems).toEqual([]);
});

test("the route tree the matrix reads is the one Remix builds: known routes and their URLs", () => {
  const tree = readRouteTree();
  const urls = Object.fromEntries(tree.map((route) => [route.id, route.urlPattern]));
  expect(urls["routes/offers.$id_.edit"]).toBe("/offers/:id/edit");
  expect(urls["routes/bulletin.rss[.]xml"]).toBe("/bulletin/rss.xml");
  expect(urls["routes/_index"]).toBe("/");
  expect(tree.length).toBeGreaterThanOrEqual(39);
});

// ---------------------------------------------------------------------------------------
// What lists and downloads show: an allowed page must not carry records its reader may not see.

// Lists, downloads and pages that embed records, with a query that puts the world's records in the answer.
const LISTINGS: Array<{ routeId: string; search?: (since: string) => string; params?: (world: World) => Record<string, string> }> = [
  { routeId: "routes/_index" },
  { routeId: "routes/api.offers", search: (since) => `?updatedSince=${encodeURIComponent(since)}&pageSize=200` },
  { routeId: "routes/api.requests", search: (since) => `?updatedSince=${encodeURIComponent(since)}&pageSize=200` },
  { routeId: "routes/offers[.]csv" },
  { routeId: "routes/requests[.]csv" },
  { routeId: "routes/offers._index", search: () => "?country=BR" },
  { routeId: "routes/requests._index", search: () => "?country=BR" },
  { routeId: "routes/dashboard_.catalogue" },
  { routeId: "routes/dashboard_.import.export" },
  { routeId: "routes/organizations.$id", params: (world) => ({ id: world.organizations.B.id }) },
  { routeId: "routes/organizations.$id", params: (world) => ({ id: world.organizations.A.id }) },
  { routeId: "routes/countries.$code", params: () => ({ code: "BR" }) },
  { routeId: "routes/search", search: () => "?q=Test" },
];

type Readable = "draft" | "open request";

/** Whether `actor` may read organization `owner`'s record of this kind (app/models/*: offerVisibility, requestVisibility). */
function mayRead(actor: (typeof ACTORS)[number], owner: "A" | "B", kind: Readable): boolean {
  if (actor === "staff" || actor === "admin") return true;
  const organization = actor === "pending" || actor === "member" ? "A" : actor === "otherMember" ? "B" : null;
  if (organization === owner) return true;
  return kind === "open request" && (actor === "member" || actor === "otherMember");
}

test("lists, downloads and record pages never show another organization's drafts, nor open requests to visitors and pending outsiders", { timeout: 300_000 }, async () => {
  const { getPrisma } = await import("~/utils/db.server");
  const tree = readRouteTree();
  const since = worldBuiltSince.toISOString();
  const secrets: Array<{ owner: "A" | "B"; kind: Readable; title: string; label: string }> = [];
  for (const owner of ORGANIZATIONS) {
    const records = world.organizations[owner];
    const [offerDraft, requestDraft, requestOpen] = await Promise.all([
      getPrisma().offer.findUniqueOrThrow({ where: { id: records.offerDraft }, select: { title: true } }),
      getPrisma().request.findUniqueOrThrow({ where: { id: records.requestDraft }, select: { title: true } }),
      getPrisma().request.findUniqueOrThrow({ where: { id: records.requestOpen }, select: { title: true } }),
    ]);
    secrets.push(
      { owner, kind: "draft", title: offerDraft.title, label: `${owner}'s draft offer` },
      { owner, kind: "draft", title: requestDraft.title, label: `${owner}'s draft request` },
      { owner, kind: "open request", title: requestOpen.title, label: `${owner}'s open request` },
    );
  }

  const leaks: string[] = [];
  const seenByStaffInApi = new Set<string>();
  let pages = 0;
  for (const listing of LISTINGS) {
    const route = tree.find((candidate) => candidate.id === listing.routeId);
    if (!route) throw new Error(`${listing.routeId}: no such route (update LISTINGS)`);
    const { loader } = await importRouteModule(route.file);
    if (!loader) throw new Error(`${listing.routeId}: no loader`);
    const params = listing.params?.(world) ?? {};
    for (const actor of ACTORS) {
      const cookie = world.cookies[actor];
      const request = new Request(urlFor(route.urlPattern, params, listing.search?.(since)), { headers: cookie ? { Cookie: cookie } : {} });
      let body: string;
      try {
        const result = await loader({ request, params, context: { clientIp: "192.0.2.1" } });
        body = result instanceof Response ? await result.text() : JSON.stringify(result);
      } catch (thrown) {
        if (!(thrown instanceof Response)) throw thrown;
        body = await thrown.text();
      }
      pages++;
      if (actor === "staff" && listing.routeId === "routes/api.offers") {
        for (const secret of secrets) if (body.includes(secret.title)) seenByStaffInApi.add(secret.label);
      }
      for (const secret of secrets) {
        if (body.includes(secret.title) && !mayRead(actor, secret.owner, secret.kind)) {
          leaks.push(`${listing.routeId}${listing.params ? ` ${JSON.stringify(params)}` : ""} as ${actor} shows ${secret.label} ("${secret.title}")`);
        }
      }
    }
  }
  console.info(`[authorization matrix] ${pages} list answers read for ${secrets.length} records each`);
  expect(leaks).toEqual([]);
  // The check can see: staff read every offer, so the API answer held both drafts.
  expect([...seenByStaffInApi].sort()).toEqual(["A's draft offer", "B's draft offer"]);
});
