// The matching service against the real PostgreSQL and Meilisearch of the test run, in a
// scratch database of its own: hard rules, capacity, idempotence, staff decisions, learning,
// requests without text, offers that change, the job queue and the command line.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Logger, run, type Runner } from "graphile-worker";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { z } from "zod";
import { enqueueMatching, MATCH_OFFERS_TASK, MATCH_REQUESTS_TASK, matchingTasks } from "~/jobs/matching.server";
import { startWorker } from "~/jobs/queue.server";
import { loadMatchingConfig } from "~/matching/config";
import { PROPOSAL_STATUSES } from "~/matching/decisions";
import { proposeForRequests, rebalanceRecommendations, recomputeAllMatching, reevaluateForOffers } from "~/matching/service.server";
import { changeOfferStatus, updateOffer } from "~/models/offer.server";
import { decideProposal } from "~/models/proposal.server";
import { changeRequestStatus, updateRequest } from "~/models/request.server";
import { offerFormSchema } from "~/schemas/offer";
import { requestFormSchema } from "~/schemas/request";
import { getPrisma } from "~/utils/db.server";
import { createUser } from "../factories/users";
import {
  clearJobQueue,
  idOf,
  importRecords,
  indexPublishedOffers,
  offer,
  organization,
  proposalsOf,
  queuedJobs,
  request,
  useMatchingDatabase,
  type MatchingDatabase,
} from "./matching-setup";

let database: MatchingDatabase;
const now = new Date("2026-11-23T12:00:00Z");
const config = loadMatchingConfig();

beforeAll(async () => {
  database = await useMatchingDatabase();
});

afterAll(async () => {
  await database.cleanup();
});

// Each test starts from an empty catalogue in the scratch database.
beforeEach(async () => {
  const prisma = getPrisma();
  await prisma.proposal.deleteMany();
  await prisma.requestMatching.deleteMany();
  await prisma.offer.deleteMany();
  await prisma.request.deleteMany();
  await prisma.user.deleteMany();
  await prisma.organization.deleteMany();
});

async function staffUser() {
  return createUser({ role: "staff" });
}

test("never pairs an organization with an offer of its own country, nor drafts, archived offers or closed requests", async () => {
  await importRecords({
    organizations: [organization("org-hn", "HN"), organization("org-sv", "SV"), organization("org-gt", "GT")],
    offers: [
      offer("sv-centers", "org-sv"),
      offer("hn-own-centers", "org-hn"),
      offer("gt-draft-centers", "org-gt", { status: "draft" }),
      offer("gt-archived-centers", "org-gt", { status: "archived" }),
    ],
    requests: [
      request("hn-open", "org-hn"),
      request("hn-closed", "org-hn", { status: "closed" }),
      request("hn-draft", "org-hn", { status: "draft" }),
    ],
  });

  await recomputeAllMatching({ config, now });

  expect((await proposalsOf("hn-open")).map((row) => row.offer)).toEqual(["sv-centers"]);
  expect(await proposalsOf("hn-closed")).toEqual([]);
  expect(await proposalsOf("hn-draft")).toEqual([]);
});

test("a request that is closed after matching loses its undecided proposals", async () => {
  await importRecords({
    organizations: [organization("org-hn", "HN"), organization("org-sv", "SV")],
    offers: [offer("sv-centers", "org-sv")],
    requests: [request("hn-open", "org-hn")],
  });
  await recomputeAllMatching({ config, now });
  expect(await proposalsOf("hn-open")).toHaveLength(1);

  await getPrisma().request.update({ where: { key: "hn-open" }, data: { status: "closed" } });
  await proposeForRequests({ requestIds: [await idOf("request", "hn-open")], config, now });

  expect(await proposalsOf("hn-open")).toEqual([]);
  expect(await getPrisma().requestMatching.count()).toBe(0);
});

test("a pairing without a shared working language ranks below every pairing with one, and says so", async () => {
  await importRecords({
    organizations: [organization("org-hn", "HN"), organization("org-br", "BR"), organization("org-gt", "GT")],
    offers: [
      // the better text, but only in Portuguese
      offer("br-centers", "org-br", {
        title: "Red de centros de desarrollo empresarial con universidades para micro y pequeñas empresas",
        workingLanguages: ["pt"],
        evidence: "Evaluación de impacto con grupo de control.",
      }),
      offer("gt-centers", "org-gt", {
        title: "Asesoría a pequeñas empresas",
        summary: "Centros de desarrollo empresarial en los departamentos.",
      }),
    ],
    requests: [request("hn-centers", "org-hn", { title: "Red de centros de desarrollo empresarial con universidades" })],
  });

  await recomputeAllMatching({ config, now });

  const rows = await proposalsOf("hn-centers");
  expect(rows.map((row) => [row.offer, row.sharedLanguage])).toEqual([
    ["gt-centers", true],
    ["br-centers", false],
  ]);
  const reasons = z.object({ en: z.array(z.string()), es: z.array(z.string()) }).parse(rows[1].reasons);
  expect(reasons.en[0]).toMatch(/^No shared working language/);
  expect(reasons.es[0]).toMatch(/^Sin idioma de trabajo común/);
  expect(rows[0].recommended).toBe(true);
});

test("recommendations never exceed an offer's remaining capacity, confirmed pairings included", async () => {
  await importRecords({
    organizations: [organization("org-sv", "SV"), organization("org-hn", "HN"), organization("org-gt", "GT"), organization("org-ni", "NI")],
    offers: [offer("sv-centers", "org-sv", { capacityPerYear: 2 })],
    requests: [
      request("hn-1", "org-hn"),
      request("gt-1", "org-gt"),
      request("ni-1", "org-ni"),
      request("hn-2", "org-hn", { title: "Centros de desarrollo empresarial para mujeres" }),
    ],
  });
  await recomputeAllMatching({ config, now });
  const recommendedBefore = await getPrisma().proposal.count({ where: { recommended: true } });
  expect(recommendedBefore).toBe(2);

  // Staff confirm one pairing: one place left for the three other requests.
  const staff = await staffUser();
  const confirmed = (await proposalsOf("hn-1"))[0];
  const decision = await decideProposal({
    proposalId: confirmed.id,
    expectedVersion: confirmed.version,
    staffId: staff.id,
    decision: { status: "confirmed" },
    now,
  });
  expect(decision.ok).toBe(true);
  await recomputeAllMatching({ config, now });

  expect(await getPrisma().proposal.count({ where: { recommended: true, status: "proposed" } })).toBe(1);
  expect((await proposalsOf("hn-1"))[0].recommended).toBe(false);
});

test("on generated catalogues, recommended plus confirmed pairings never exceed any offer's capacity", async () => {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const countries = ["SV", "HN", "GT", "NI", "CR", "PA", "CO", "PE"];
  const themes = ["business-development-centers", "msme-finance", "youth-employment", "cash-transfers", "green-economy"];
  const texts: Record<string, [string, string]> = {
    "business-development-centers": [
      "Centros de desarrollo empresarial",
      "Asesoría a pequeñas empresas en centros de desarrollo empresarial.",
    ],
    "msme-finance": ["Garantías de crédito para pymes", "Fondo de garantía para que las pequeñas empresas obtengan préstamos."],
    "youth-employment": ["Primer empleo para jóvenes", "Capacitación en empresas para jóvenes que buscan su primer empleo."],
    "cash-transfers": ["Transferencias monetarias condicionadas", "Transferencias a hogares pobres condicionadas a la asistencia escolar."],
    "green-economy": ["Negocios verdes", "Promoción de negocios verdes y producción sostenible."],
  };
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const organizations = countries.map((country) => organization(`org-${country.toLowerCase()}`, country));
  const offers = Array.from({ length: 12 }, (_, index) => {
    const theme = pick(themes);
    return offer(`offer-${index}`, pick(organizations).key, {
      title: texts[theme][0],
      summary: texts[theme][1],
      themes: [theme],
      capacityPerYear: 1 + Math.floor(random() * 2),
    });
  });
  const requests = Array.from({ length: 30 }, (_, index) => {
    const theme = pick(themes);
    return request(`request-${index}`, pick(organizations).key, { title: texts[theme][0], summary: texts[theme][1], themes: [theme] });
  });
  await importRecords({ organizations, offers, requests });
  await recomputeAllMatching({ config, now });

  // Staff confirm a few pairings, then everything is recomputed and re-balanced.
  const staff = await staffUser();
  const toConfirm = await getPrisma().proposal.findMany({ where: { recommended: true }, take: 4, orderBy: { id: "asc" } });
  for (const row of toConfirm) {
    await decideProposal({ proposalId: row.id, expectedVersion: row.version, staffId: staff.id, decision: { status: "confirmed" }, now });
  }
  await recomputeAllMatching({ config, now });
  await rebalanceRecommendations({ now });

  const capacity = new Map(
    (await getPrisma().offer.findMany({ select: { id: true, capacityPerYear: true } })).map((row) => [row.id, row.capacityPerYear])
  );
  const taken = await getPrisma().proposal.groupBy({
    by: ["offerId"],
    where: { OR: [{ recommended: true }, { status: "confirmed" }] },
    _count: true,
  });
  expect(taken.length).toBeGreaterThan(3);
  for (const row of taken) expect(row._count).toBeLessThanOrEqual(capacity.get(row.offerId) ?? 0);
  // Every open request without a confirmed pairing has at most one recommendation.
  const perRequest = await getPrisma().proposal.groupBy({ by: ["requestId"], where: { recommended: true }, _count: true });
  for (const row of perRequest) expect(row._count).toBe(1);
});

test("recomputation is idempotent: a second run changes no row", async () => {
  await importRecords({
    organizations: [organization("org-hn", "HN"), organization("org-sv", "SV"), organization("org-gt", "GT")],
    offers: [offer("sv-centers", "org-sv"), offer("gt-centers", "org-gt", { title: "Centros de atención a mipymes" })],
    requests: [
      request("hn-centers", "org-hn"),
      request("gt-finance", "org-gt", { title: "Centros de desarrollo empresarial para mujeres" }),
    ],
  });
  const first = await recomputeAllMatching({ config, now });
  const before = await getPrisma().proposal.findMany({ orderBy: { id: "asc" } });

  const second = await recomputeAllMatching({ config, now });
  const rebalanced = await rebalanceRecommendations({ now });

  expect(first.written.inserted).toBe(3);
  expect(second.written).toEqual({ inserted: 0, updated: 0, deleted: 0 });
  expect(rebalanced).toBe(0);
  expect(await getPrisma().proposal.findMany({ orderBy: { id: "asc" } })).toEqual(before);
});

test("staff decisions survive recomputation, and a rejected pair is never proposed again", async () => {
  await importRecords({
    organizations: [organization("org-hn", "HN"), organization("org-sv", "SV"), organization("org-gt", "GT"), organization("org-pa", "PA")],
    offers: [offer("sv-centers", "org-sv"), offer("gt-centers", "org-gt"), offer("pa-centers", "org-pa")],
    requests: [request("hn-centers", "org-hn")],
  });
  await recomputeAllMatching({ config, now });
  const staff = await staffUser();
  const [first, second] = await proposalsOf("hn-centers");
  await decideProposal({
    proposalId: first.id,
    expectedVersion: first.version,
    staffId: staff.id,
    decision: { status: "rejected", reason: "other", note: "They already work together." },
    now,
  });
  await decideProposal({
    proposalId: second.id,
    expectedVersion: second.version,
    staffId: staff.id,
    decision: { status: "confirmed" },
    now,
  });
  const decided = await getPrisma().proposal.findMany({ where: { status: { not: "proposed" } }, orderBy: { id: "asc" } });

  // A new, better offer and a change of weights: everything is recomputed.
  await importRecords({
    organizations: [organization("org-cr", "CR")],
    offers: [
      offer("cr-centers", "org-cr", {
        title: "Red nacional de centros de desarrollo empresarial",
        evidence: "Evaluación de impacto con grupo de control.",
      }),
    ],
  });
  await recomputeAllMatching({ config: { ...config, factors: { ...config.factors, evidence: 20 } }, now });

  expect(await getPrisma().proposal.findMany({ where: { status: { not: "proposed" } }, orderBy: { id: "asc" } })).toEqual(decided);
  const undecided = (await proposalsOf("hn-centers")).filter((row) => row.status === "proposed").map((row) => row.offer);
  expect(undecided).not.toContain(first.offer);
  expect(undecided).not.toContain(second.offer);
  expect(undecided).toContain("cr-centers");
  // The request is served by the confirmed pairing: nothing else is recommended to it.
  expect((await proposalsOf("hn-centers")).some((row) => row.recommended)).toBe(false);
});

test("the matcher knows every proposal status the database has", async () => {
  const rows = await getPrisma().$queryRaw<Array<{ status: string }>>`
    SELECT unnest(enum_range(NULL::"ProposalStatus"))::text AS status`;

  expect(rows.map((row) => row.status).sort()).toEqual([...PROPOSAL_STATUSES].sort());
});

test("of two staff deciding the same proposal at once, exactly one wins", async () => {
  await importRecords({
    organizations: [organization("org-hn", "HN"), organization("org-sv", "SV")],
    offers: [offer("sv-centers", "org-sv")],
    requests: [request("hn-centers", "org-hn")],
  });
  await recomputeAllMatching({ config, now });
  const [row] = await proposalsOf("hn-centers");
  const [ana, ben] = [await staffUser(), await staffUser()];

  const results = await Promise.all([
    decideProposal({ proposalId: row.id, expectedVersion: row.version, staffId: ana.id, decision: { status: "confirmed" } }),
    decideProposal({
      proposalId: row.id,
      expectedVersion: row.version,
      staffId: ben.id,
      decision: { status: "rejected", reason: "timing" },
    }),
  ]);

  expect(results.filter((result) => result.ok)).toHaveLength(1);
  expect(results.filter((result) => !result.ok)).toEqual([{ ok: false, conflict: "already-decided" }]);
});

test("a not-relevant rejection lowers similar pairings with the same offer, by at most the configured points", async () => {
  await importRecords({
    organizations: [organization("org-hn", "HN"), organization("org-gt", "GT"), organization("org-sv", "SV"), organization("org-ni", "NI")],
    offers: [offer("sv-centers", "org-sv")],
    requests: [request("hn-centers", "org-hn"), request("gt-centers", "org-gt"), request("ni-centers", "org-ni")],
  });
  await recomputeAllMatching({ config, now });
  const before = (await proposalsOf("gt-centers"))[0].score;
  const staff = await staffUser();
  for (const key of ["hn-centers", "ni-centers"]) {
    const [row] = await proposalsOf(key);
    await decideProposal({
      proposalId: row.id,
      expectedVersion: row.version,
      staffId: staff.id,
      decision: { status: "rejected", reason: "not-relevant" },
      now,
    });
  }

  await recomputeAllMatching({ config, now });

  const [after] = await proposalsOf("gt-centers");
  expect(before - after.score).toBeCloseTo(config.staffFeedback.maxPoints, 1);
  const factors = z
    .object({ feedback: z.object({ points: z.number(), signals: z.array(z.object({ reason: z.string().nullable() })) }) })
    .parse(after.factors);
  expect(factors.feedback.points).toBe(-config.staffFeedback.maxPoints);
  expect(factors.feedback.signals.map((signal) => signal.reason)).toEqual(["not-relevant", "not-relevant"]);
  expect(z.object({ en: z.array(z.string()) }).parse(after.reasons).en[0]).toMatch(/^Staff rejected a similar pairing as not relevant/);
});

test("a request with no usable text gets theme-based proposals; one whose themes no offer shares gets an explicit no-candidates state", async () => {
  await importRecords({
    organizations: [organization("org-hn", "HN"), organization("org-sv", "SV")],
    offers: [
      offer("sv-centers", "org-sv"),
      offer("sv-procurement", "org-sv", {
        title: "Compras públicas",
        summary: "Acceso de mipymes a las compras públicas.",
        themes: ["public-procurement"],
      }),
    ],
    requests: [
      request("hn-untitled", "org-hn", { title: "Solicitud", summary: "Por definir.", themes: ["public-procurement"] }),
      request("hn-nothing", "org-hn", { title: "Solicitud", summary: "Por definir.", themes: ["labor-migration"] }),
    ],
  });

  await recomputeAllMatching({ config, now });

  expect((await proposalsOf("hn-untitled")).map((row) => row.offer)).toEqual(["sv-procurement"]);
  expect(await proposalsOf("hn-nothing")).toEqual([]);
  const states = await getPrisma().requestMatching.findMany({
    select: { request: { select: { key: true } }, outcome: true, candidateCount: true },
  });
  expect(states.map((state) => [state.request.key, state.outcome, state.candidateCount]).sort()).toEqual([
    ["hn-nothing", "no_candidates", 0],
    ["hn-untitled", "proposed", 1],
  ]);
});

test("retrieval through the search and theme channels finds what an exhaustive match finds", async () => {
  await importRecords({
    organizations: [organization("org-hn", "HN"), organization("org-sv", "SV"), organization("org-br", "BR")],
    offers: [
      offer("sv-centers", "org-sv"),
      // other theme, same subject: only text retrieval finds it
      offer("br-support", "org-br", {
        language: "pt",
        title: "Centros de desenvolvimento empresarial para pequenos negócios",
        summary: "Rede de centros de desenvolvimento empresarial que atendem micro e pequenas empresas.",
        themes: ["entrepreneurship"],
        workingLanguages: ["pt", "es"],
      }),
      offer("sv-transfers", "org-sv", {
        title: "Transferencias monetarias",
        summary: "Transferencias a hogares pobres.",
        themes: ["cash-transfers"],
      }),
    ],
    requests: [request("hn-centers", "org-hn")],
  });
  await indexPublishedOffers();
  const channels = { ...config, retrieval: { ...config.retrieval, exhaustiveBelowOffers: 0 } };

  const summary = await recomputeAllMatching({ config: channels, now });
  const viaChannels = (await proposalsOf("hn-centers")).map((row) => row.offer);
  await proposeForRequests({ requestIds: [await idOf("request", "hn-centers")], config: channels, now });
  const viaJob = (await proposalsOf("hn-centers")).map((row) => row.offer);

  expect(summary.search).toBe("used");
  expect(viaChannels).toEqual(["sv-centers", "br-support"]);
  expect(viaJob).toEqual(viaChannels);
  expect(await getPrisma().requestMatching.findFirst({ select: { usedSearch: true } })).toEqual({ usedSearch: true });
});

test("the worker's prepared offers follow their rows: text rewritten by SQL that leaves updated_at alone is analysed again", async () => {
  await importRecords({
    organizations: [organization("org-hn", "HN"), organization("org-sv", "SV")],
    offers: [
      offer("sv-rewritten", "org-sv", {
        title: "Transferencias monetarias condicionadas",
        summary: "Pagos mensuales a hogares pobres con niños en la escuela.",
      }),
    ],
    requests: [request("hn-centers", "org-hn")],
  });
  // The theme channel only (nothing indexed), through the path a job takes.
  const channels = { ...config, retrieval: { ...config.retrieval, exhaustiveBelowOffers: 0 } };
  const requestId = await idOf("request", "hn-centers");
  await proposeForRequests({ requestIds: [requestId], config: channels, now });
  const [before] = await proposalsOf("hn-centers");

  const rewritten = await getPrisma().$executeRaw`
    UPDATE "offer" SET title = 'Centros de desarrollo empresarial para micro y pequeñas empresas',
           summary = 'Red de centros de desarrollo empresarial que asesoran a micro y pequeñas empresas.'
     WHERE key = 'sv-rewritten'`;
  expect(rewritten).toBe(1);
  await proposeForRequests({ requestIds: [requestId], config: channels, now });
  const [after] = await proposalsOf("hn-centers");

  expect(before.offer).toBe("sv-rewritten");
  expect(after.offer).toBe("sv-rewritten");
  // Analysed from its new text: the shared subject now counts.
  expect(after.score).toBeGreaterThan(before.score);
});

test("publishing an offer re-evaluates the open requests it could serve", async () => {
  await importRecords({
    organizations: [organization("org-hn", "HN"), organization("org-sv", "SV"), organization("org-gt", "GT")],
    offers: [
      offer("gt-centers", "org-gt", {
        title: "Asesoría contable para pequeñas empresas",
        summary: "Talleres de contabilidad básica para microempresas.",
      }),
    ],
    requests: [request("hn-centers", "org-hn")],
  });
  await recomputeAllMatching({ config, now });
  expect((await proposalsOf("hn-centers")).map((row) => row.offer)).toEqual(["gt-centers"]);

  await importRecords({ offers: [offer("sv-centers", "org-sv", { title: "Red nacional de centros de desarrollo empresarial" })] });
  const { requests } = await reevaluateForOffers({ offerIds: [await idOf("offer", "sv-centers")], config, now });

  expect(requests).toEqual([await idOf("request", "hn-centers")]);
  expect((await proposalsOf("hn-centers")).map((row) => row.offer)).toEqual(["sv-centers", "gt-centers"]);
});

test("a request published through the queue gets its proposals from the worker within seconds", async () => {
  await importRecords({
    organizations: [organization("org-hn", "HN"), organization("org-sv", "SV")],
    offers: [offer("sv-centers", "org-sv")],
    requests: [request("hn-centers", "org-hn", { status: "draft" })],
  });
  const requestId = await idOf("request", "hn-centers");
  let runner: Runner | undefined;
  try {
    runner = await run({
      connectionString: database.url,
      taskList: matchingTasks,
      concurrency: 1,
      pollInterval: 200,
      noHandleSignals: true,
      logger: quietLogger,
    });
    const published = Date.now();
    await getPrisma().$transaction(async (tx) => {
      await tx.request.update({ where: { id: requestId }, data: { status: "open", publishedAt: new Date() } });
      await enqueueMatching(tx, { requestIds: [requestId] });
    });

    let rows = await proposalsOf("hn-centers");
    while (rows.length === 0 && Date.now() - published < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      rows = await proposalsOf("hn-centers");
    }
    expect(rows.map((row) => row.offer)).toEqual(["sv-centers"]);
    expect(Date.now() - published).toBeLessThan(5_000);
  } finally {
    await runner?.stop();
  }
});

const quietLogger = new Logger(() => () => {});

// Through the models the routes call, with the worker the server runs (app/jobs/tasks.server.ts).
test("publishing a request through the model gets its proposals from the server's worker within seconds", async () => {
  await importRecords({
    organizations: [organization("org-hn", "HN"), organization("org-sv", "SV")],
    offers: [offer("sv-centers", "org-sv")],
    requests: [request("hn-centers", "org-hn", { status: "draft" })],
  });
  await clearJobQueue(database.url);
  const staff = await staffUser();
  const requestId = await idOf("request", "hn-centers");

  const published = await changeRequestStatus({ id: requestId, actor: staff, intent: "publish" });
  expect(published).toEqual({ ok: true, status: "open" });
  expect(await queuedJobs(MATCH_REQUESTS_TASK)).toBe(1);

  const stopWorker = await startWorker({ connectionString: database.url, pollIntervalMs: 200, recoveryIntervalMs: 60_000 });
  try {
    const started = Date.now();
    let rows = await proposalsOf("hn-centers");
    while (rows.length === 0 && Date.now() - started < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      rows = await proposalsOf("hn-centers");
    }
    expect(rows.map((row) => [row.offer, row.status])).toEqual([["sv-centers", "proposed"]]);
    // Seconds, with room for a machine busy with other test files.
    expect(Date.now() - started).toBeLessThan(8_000);

    // Closing it through the model withdraws the undecided proposal, again through the queue.
    expect(await changeRequestStatus({ id: requestId, actor: staff, intent: "close" })).toEqual({ ok: true, status: "closed" });
    const closedAt = Date.now();
    while ((await proposalsOf("hn-centers")).length > 0 && Date.now() - closedAt < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await proposalsOf("hn-centers")).toEqual([]);
  } finally {
    await stopWorker();
  }
});

test("publishing an offer through the model brings it to the open requests it could serve", async () => {
  await importRecords({
    organizations: [organization("org-hn", "HN"), organization("org-sv", "SV"), organization("org-gt", "GT")],
    offers: [
      offer("gt-accounting", "org-gt", {
        title: "Asesoría contable para pequeñas empresas",
        summary: "Talleres de contabilidad básica para microempresas.",
      }),
      offer("sv-centers", "org-sv", { status: "draft", title: "Red nacional de centros de desarrollo empresarial" }),
    ],
    requests: [request("hn-centers", "org-hn")],
  });
  await recomputeAllMatching({ config });
  expect((await proposalsOf("hn-centers")).map((row) => row.offer)).toEqual(["gt-accounting"]);
  await clearJobQueue(database.url);
  const staff = await staffUser();

  const published = await changeOfferStatus({ id: await idOf("offer", "sv-centers"), actor: staff, intent: "publish" });
  expect(published).toEqual({ ok: true, status: "published" });
  expect(await queuedJobs(MATCH_OFFERS_TASK)).toBe(1);

  const stopWorker = await startWorker({ connectionString: database.url, pollIntervalMs: 200, recoveryIntervalMs: 60_000 });
  try {
    const started = Date.now();
    let offers = (await proposalsOf("hn-centers")).map((row) => row.offer);
    while (offers.length < 2 && Date.now() - started < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      offers = (await proposalsOf("hn-centers")).map((row) => row.offer);
    }
    expect(offers).toEqual(["sv-centers", "gt-accounting"]);
  } finally {
    await stopWorker();
  }
});

test("editing a request or an offer through the model queues matching in the same transaction", async () => {
  await importRecords({
    organizations: [organization("org-hn", "HN"), organization("org-sv", "SV")],
    offers: [offer("sv-centers", "org-sv")],
    requests: [request("hn-centers", "org-hn")],
  });
  await clearJobQueue(database.url);
  const staff = await staffUser();
  const requestRow = await getPrisma().request.findUniqueOrThrow({ where: { key: "hn-centers" } });
  const offerRow = await getPrisma().offer.findUniqueOrThrow({ where: { key: "sv-centers" } });

  const requestSaved = await updateRequest({
    id: requestRow.id,
    actor: staff,
    data: requestFormSchema.parse({
      title: "Red de centros de desarrollo empresarial en zonas rurales",
      summary: requestRow.summary,
      language: requestRow.language,
      themes: requestRow.themes,
      modalities: requestRow.modalities,
      workingLanguages: requestRow.workingLanguages,
    }),
  });
  const offerSaved = await updateOffer({
    id: offerRow.id,
    actor: staff,
    data: offerFormSchema.parse({
      title: "Centros de desarrollo empresarial rurales",
      summary: offerRow.summary,
      language: offerRow.language,
      themes: offerRow.themes,
      modalities: offerRow.modalities,
      workingLanguages: offerRow.workingLanguages,
      capacityPerYear: offerRow.capacityPerYear,
      costSharing: offerRow.costSharing,
    }),
  });

  expect([requestSaved, offerSaved]).toEqual([true, true]);
  expect(await queuedJobs(MATCH_REQUESTS_TASK)).toBe(1);
  expect(await queuedJobs(MATCH_OFFERS_TASK)).toBe(1);
});

// ---------------------------------------------------------------------------------------
// The command line

const exec = promisify(execFile);

test("`npm run match -- --json` prints every open request's proposals, best first, with exchange keys", async () => {
  await importRecords({
    organizations: [organization("org-hn", "HN"), organization("org-sv", "SV"), organization("org-gt", "GT")],
    offers: [
      offer("sv-centers", "org-sv"),
      offer("gt-centers", "org-gt", {
        title: "Asesoría contable para pequeñas empresas",
        summary: "Talleres de contabilidad básica para microempresas.",
      }),
    ],
    requests: [
      request("hn-centers", "org-hn"),
      request("gt-untitled", "org-gt", { title: "Solicitud", summary: "Por definir.", themes: ["labor-migration"] }),
    ],
  });

  const { stdout } = await exec(process.execPath, ["--import", "tsx", "app/cli/match.ts", "--json"], {
    env: { ...process.env, DATABASE_URL: database.url },
    timeout: 60_000,
  });

  const output = z
    .strictObject({
      requests: z.array(
        z.strictObject({
          request: z.string(),
          proposals: z.array(
            z.strictObject({
              offer: z.string(),
              score: z.number().min(0).max(100),
              recommended: z.boolean(),
              reasons: z.array(z.string()).min(1),
            })
          ),
        })
      ),
    })
    .parse(JSON.parse(stdout));
  expect(output.requests.map((entry) => [entry.request, entry.proposals.map((proposal) => proposal.offer)])).toEqual([
    ["gt-untitled", []],
    ["hn-centers", ["sv-centers", "gt-centers"]],
  ]);
  const [best, next] = output.requests[1].proposals;
  expect(best.score).toBeGreaterThan(next.score);
  expect(best.recommended).toBe(true);
});

test("`npm run match` searches the Meilisearch instance and index prefix its environment names", async () => {
  await importRecords({
    organizations: [organization("org-hn", "HN"), organization("org-sv", "SV")],
    offers: [offer("sv-centers", "org-sv")],
    requests: [request("hn-centers", "org-hn")],
  });
  await indexPublishedOffers();
  const dir = mkdtempSync(path.join(os.tmpdir(), "enlace-weights-"));
  try {
    // Retrieval through the channels even for this small catalogue, so the search is used.
    const file = path.join(dir, "weights.json");
    writeFileSync(file, JSON.stringify({ ...config, retrieval: { ...config.retrieval, exhaustiveBelowOffers: 0 } }));
    const environment = {
      ...process.env,
      DATABASE_URL: database.url,
      MEILI_URL: process.env.MEILI_URL,
      MEILI_MASTER_KEY: process.env.MEILI_MASTER_KEY,
    };
    const match = (prefix: string) =>
      exec(process.execPath, ["--import", "tsx", "app/cli/match.ts", "--json", "--weights", file], {
        env: { ...environment, MEILI_INDEX_PREFIX: prefix },
        timeout: 60_000,
      });

    const ownIndex = await match(process.env.MEILI_INDEX_PREFIX ?? "");
    const otherIndex = await match("nothing_here_");

    expect(ownIndex.stderr).toContain("search used");
    expect(otherIndex.stderr).toContain("search unavailable");
    const offersOf = (stdout: string) => z.object({ requests: z.array(z.object({ proposals: z.array(z.object({ offer: z.string() })) })) }).parse(JSON.parse(stdout)).requests[0].proposals.map((proposal) => proposal.offer);
    expect(offersOf(ownIndex.stdout)).toEqual(["sv-centers"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a corrupt weights file stops `npm run match` with a message naming the field, before anything is written", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "enlace-weights-"));
  try {
    const file = path.join(dir, "weights.json");
    const weights = JSON.parse(JSON.stringify(config));
    weights.factors.themeFit = "heavy";
    writeFileSync(file, JSON.stringify(weights));

    const failure = await exec(process.execPath, ["--import", "tsx", "app/cli/match.ts", "--weights", file], {
      env: { ...process.env, DATABASE_URL: database.url },
      timeout: 60_000,
    }).then(
      () => null,
      (error: unknown) => error
    );

    const result = z.object({ code: z.number(), stderr: z.string() }).parse(failure);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("factors.themeFit");
    expect(await getPrisma().proposal.count()).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
