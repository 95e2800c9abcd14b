// The matching service: when and over what the pure core (engine.ts) runs, and what is stored.
//
//   proposeForRequests     a request was published or edited: retrieve, score, rank, store
//                          (the job; Meilisearch + theme channel + the request's current proposals)
//   reevaluateForOffers    an offer was published, edited or withdrawn: the open requests it
//                          could serve (sharing a theme, or already proposed it) are re-matched
//                          when it would enter their proposals or left them
//   rebalanceRecommendations  the global assignment over the stored proposals (after jobs)
//   recomputeAllMatching   `npm run match`: everything, with every published offer in memory
//
// Retrieval never decides a score: a pair gets the same score whichever channel found it, so
// the job and the full recomputation agree on every pair they both see.
import {
  analyzeMatchingTables,
  consumedCapacity,
  countPublishedOffers,
  countRecommendations,
  findAllPublishedOfferIds,
  findAssignableProposals,
  findDecidedPairings,
  findOfferCapacities,
  findOpenRequestIdsForOffer,
  findOpenRequestsForMatching,
  findProposalsOfRequests,
  findPublishedOffersForMatching,
  findRequestsForMatching,
  findRequestsProposedOffers,
  findRequestsWithStaleMatching,
  findThemePool,
  findTrackRecords,
  findWeakestProposals,
  publishedOfferPages,
  servedRequestIds,
  setRecommendations,
  withdrawProposalsOfRequests,
  writeProposals,
  type ExistingProposal,
  type RequestMatchingState,
  type VersionedOffer,
  type WriteCounts,
} from "~/models/proposal.server";
import { loadMatchingConfig, type MatchingConfig } from "./config";
import { isMatcherOwned } from "./decisions";
import {
  draftProposals,
  rankCandidates,
  recommend,
  recommendGreedily,
  type AssignableRequest,
  type Draft,
  type MatchContext,
  type RankedCandidate,
} from "./engine";
import { FeedbackIndex, staffFeedback } from "./feedback";
import { OfferCatalogue, pickThemeCandidates, THEME_POOL } from "./retrieval";
import { NO_TRACK_RECORD, prepareOffer, prepareRequest, scorePair, type PreparedOffer, type PreparedRequest } from "./scoring";
import { searchOffersForRequest, searchOffersForRequests } from "./search.server";

type RunOptions = { config?: MatchingConfig; now?: Date };

const ANALYZE_AFTER_ROWS = 5_000;

type ProposalsByRequest = Map<string, ExistingProposal[]>;

function groupByRequest(rows: readonly ExistingProposal[]): ProposalsByRequest {
  const grouped: ProposalsByRequest = new Map();
  for (const row of rows) {
    const list = grouped.get(row.requestId);
    if (list) list.push(row);
    else grouped.set(row.requestId, [row]);
  }
  return grouped;
}

function frozenOffers(rows: readonly ExistingProposal[] = []): Set<string> {
  return new Set(rows.filter((row) => !isMatcherOwned(row)).map((row) => row.offerId));
}

function remainingCapacity(
  offers: Iterable<{ id: string; capacityPerYear: number }>,
  consumed: ReadonlyMap<string, number>
): Map<string, number> {
  const remaining = new Map<string, number>();
  for (const offer of offers) remaining.set(offer.id, Math.max(0, offer.capacityPerYear - (consumed.get(offer.id) ?? 0)));
  return remaining;
}

function matchingState(requestId: string, ranked: readonly RankedCandidate[], usedSearch: boolean): RequestMatchingState {
  return { requestId, outcome: ranked.length > 0 ? "proposed" : "no_candidates", candidateCount: ranked.length, usedSearch };
}

// ---------------------------------------------------------------------------------------
// One request at a time (jobs)

// The worker matches one request after another against the same popular offers: their text
// analysis (a quarter of a millisecond each, two hundred per request) is kept, by offer id, for as
// long as the row hashes the same (findThemePool and findPublishedOffersForMatching return the
// hash), so a theme pool whose offers are all known costs one narrow query and no analysis.
const PREPARED_CACHE_SIZE = 5_000;
const preparedCache = new Map<string, { version: string; offer: PreparedOffer }>();

function cachedPrepared(id: string, version: string): PreparedOffer | undefined {
  const entry = preparedCache.get(id);
  if (!entry || entry.version !== version) return undefined;
  // Maps iterate in insertion order: moving a used entry to the end keeps the oldest first.
  preparedCache.delete(id);
  preparedCache.set(id, entry);
  // A copy, so that nothing a caller does to it reaches the next request.
  return { ...entry.offer };
}

function preparedOffer(offer: VersionedOffer): PreparedOffer {
  const cached = cachedPrepared(offer.id, offer.version);
  if (cached) return cached;
  const { version, ...fields } = offer;
  const prepared = prepareOffer(fields);
  preparedCache.delete(offer.id);
  preparedCache.set(offer.id, { version, offer: prepared });
  if (preparedCache.size > PREPARED_CACHE_SIZE) {
    const oldest = preparedCache.keys().next();
    if (!oldest.done) preparedCache.delete(oldest.value);
  }
  return { ...prepared };
}

/** The theme pool, prepared, in its order: whole rows are read only for offers not prepared yet. */
async function preparedThemePool(request: PreparedRequest, onStage: (name: string, ms: number) => void): Promise<PreparedOffer[]> {
  let begun = performance.now();
  const entries = await findThemePool({ themes: request.themes, excludeCountry: request.countryCode, limit: THEME_POOL });
  onStage("retrieve.themes", performance.now() - begun);
  const prepared = new Map<string, PreparedOffer>();
  const missing: string[] = [];
  for (const entry of entries) {
    const cached = cachedPrepared(entry.id, entry.version);
    if (cached) prepared.set(entry.id, cached);
    else missing.push(entry.id);
  }
  begun = performance.now();
  // An offer unpublished between the two reads is simply not in the pool.
  for (const offer of await findPublishedOffersForMatching({ ids: missing, excludeCountry: request.countryCode })) {
    prepared.set(offer.id, preparedOffer(offer));
  }
  onStage("retrieve.pool-rows", performance.now() - begun);
  return entries.flatMap((entry) => prepared.get(entry.id) ?? []);
}

export type ProposeResult = { matched: number; withdrawn: number; noCandidates: number; searchFailed: boolean; written: WriteCounts };

/**
 * Proposes pairings for these requests (open ones; the others lose their undecided proposals).
 * `includeOfferIds` are scored for every request besides what retrieval finds: the offers whose
 * change caused the call.
 */
export async function proposeForRequests({
  requestIds,
  includeOfferIds = [],
  config = loadMatchingConfig(),
  now = new Date(),
  onStage,
}: {
  requestIds: readonly string[];
  includeOfferIds?: readonly string[];
  /** Called with each stage's duration: the benchmark shows where the time of one request goes. */
  onStage?: (stage: string, ms: number) => void;
} & RunOptions): Promise<ProposeResult> {
  let stageStarted = performance.now();
  const stage = (name: string) => {
    const finished = performance.now();
    onStage?.(name, finished - stageStarted);
    stageStarted = finished;
  };
  const result: ProposeResult = {
    matched: 0,
    withdrawn: 0,
    noCandidates: 0,
    searchFailed: false,
    written: { inserted: 0, updated: 0, deleted: 0 },
  };
  // Independent reads run together: for one request the round trips are most of the time.
  const [requests, publishedCount] = await Promise.all([
    findRequestsForMatching({ ids: [...new Set(requestIds)] }),
    countPublishedOffers({ atMost: config.retrieval.exhaustiveBelowOffers + 1 }),
  ]);
  const open = requests.filter((request) => request.status === "open");
  const openIds = new Set(open.map((request) => request.id));
  const notOpen = requestIds.filter((id) => !openIds.has(id));
  if (notOpen.length > 0) result.withdrawn = await withdrawProposalsOfRequests({ requestIds: notOpen });
  if (open.length === 0) return result;
  stage("read");

  const exhaustive = publishedCount <= config.retrieval.exhaustiveBelowOffers;
  const timed = async <T>(name: string, promise: Promise<T>): Promise<T> => {
    const begun = performance.now();
    const value = await promise;
    onStage?.(name, performance.now() - begun);
    return value;
  };

  for (const raw of open) {
    const request = prepareRequest(raw);
    const existingRead = findProposalsOfRequests({ requestIds: [request.id] });
    // Awaited below; until then a failure must not count as an unhandled rejection.
    existingRead.catch(() => undefined);

    let usedSearch = true;
    let candidateIds: string[];
    // Offers read for this request, by id: the theme pool is not read twice.
    const fetched = new Map<string, PreparedOffer>();
    if (exhaustive) {
      candidateIds = await findAllPublishedOfferIds({ excludeCountry: request.countryCode });
    } else {
      // The search and the theme channel (its ids, then its offers) proceed side by side.
      const [hits, poolOffers] = await Promise.all([
        timed(
          "retrieve.search",
          searchOffersForRequest({
            request,
            limit: config.retrieval.searchHits,
            maxWords: config.retrieval.searchQueryWords,
            timeoutMs: config.retrieval.searchTimeoutMs,
          }),
        ),
        timed("retrieve.pool", preparedThemePool(request, (name, ms) => onStage?.(name, ms))),
      ]);
      if (hits === null) {
        usedSearch = false;
        result.searchFailed = true;
      }
      for (const offer of poolOffers) fetched.set(offer.id, offer);
      const themed = pickThemeCandidates(request, poolOffers, config.retrieval.themeCandidates).map((offer) => offer.id);
      candidateIds = [...(hits ?? []).map((hit) => hit.id), ...themed];
    }
    const existing = await existingRead;
    const frozen = frozenOffers(existing);
    const carried = existing.filter(isMatcherOwned).map((row) => row.offerId);
    stage("retrieve");
    const ids = [...new Set([...candidateIds, ...carried, ...includeOfferIds])].filter((id) => !frozen.has(id));
    const missing = ids.filter((id) => !fetched.has(id));
    for (const offer of await findPublishedOffersForMatching({ ids: missing, excludeCountry: request.countryCode })) {
      fetched.set(offer.id, preparedOffer(offer));
    }
    const offers = ids.flatMap((id) => fetched.get(id) ?? []);
    stage("fetch");

    const needsRecommendation = !servedRequestIds(existing).has(request.id);
    const offerIds = offers.map((offer) => offer.id);
    const [decisions, trackRecords, recommendedToOthers] = await Promise.all([
      findDecidedPairings({ offerIds, requestOrganizationIds: [request.organizationId] }),
      findTrackRecords({ organizationIds: [...new Set(offers.map((offer) => offer.organizationId))] }),
      needsRecommendation ? countRecommendations({ offerIds, exceptRequestIds: [request.id] }) : new Map<string, number>(),
    ]);
    const consumed = consumedCapacity(decisions, now);
    const context: MatchContext = { now, config, consumed, trackRecords, feedback: new FeedbackIndex(decisions) };
    stage("history");
    const ranked = rankCandidates({ request, offers, frozenOfferIds: frozen, context });
    stage("rank");

    let recommendedOfferId: string | null = null;
    if (needsRecommendation && ranked.length > 0) {
      const candidateOffers = ranked.map((candidate) => candidate.offer);
      recommendedOfferId = recommendGreedily({ ranked, remainingCapacity: remainingCapacity(candidateOffers, consumed), recommendedToOthers });
    }
    stage("recommend");
    const drafts = draftProposals({ request, ranked, recommendedOfferId, config });
    const written = await writeProposals({
      requestIds: [request.id],
      drafts,
      states: [matchingState(request.id, ranked, usedSearch)],
      now: new Date(),
    });
    stage("write");
    result.matched += 1;
    if (ranked.length === 0) result.noCandidates += 1;
    result.written.inserted += written.inserted;
    result.written.updated += written.updated;
    result.written.deleted += written.deleted;
  }
  return result;
}

/**
 * After offers changed: the open requests each could now serve better than their weakest
 * proposal, and those that proposed it, are matched again with the offer included.
 */
export async function reevaluateForOffers({
  offerIds,
  config = loadMatchingConfig(),
  now = new Date(),
}: { offerIds: readonly string[] } & RunOptions): Promise<{ requests: string[] }> {
  const includeByRequest = new Map<string, Set<string>>();
  const include = (requestId: string, offerId: string) => {
    const set = includeByRequest.get(requestId) ?? new Set<string>();
    set.add(offerId);
    includeByRequest.set(requestId, set);
  };
  for (const { requestId, offerId } of await findRequestsProposedOffers({ offerIds })) include(requestId, offerId);

  const offers = (await findPublishedOffersForMatching({ ids: offerIds })).map(preparedOffer);
  for (const offer of offers) {
    const requestIds = await findOpenRequestIdsForOffer({ themes: offer.themes, excludeCountry: offer.countryCode, ids: [] });
    if (requestIds.length === 0) continue;
    const requests = (await findRequestsForMatching({ ids: requestIds }))
      .filter((request) => request.status === "open")
      .map(prepareRequest);
    const decisions = await findDecidedPairings({
      offerIds: [offer.id],
      requestOrganizationIds: requests.map((request) => request.organizationId),
    });
    const feedback = new FeedbackIndex(decisions);
    const consumed = consumedCapacity(decisions, now).get(offer.id) ?? 0;
    const trackRecord = (await findTrackRecords({ organizationIds: [offer.organizationId] })).get(offer.organizationId) ?? NO_TRACK_RECORD;
    const weakest = await findWeakestProposals({ requestIds: requests.map((request) => request.id) });
    for (const request of requests) {
      const result = scorePair({
        request,
        offer,
        context: {
          now,
          consumed,
          trackRecord,
          feedback: staffFeedback({ request, offer, decisions: feedback.concerning(request, offer), config: config.staffFeedback, now }),
        },
        config,
      });
      if (result.topicalFit < config.rules.minTopicalFit) continue;
      const floor = weakest.get(request.id);
      const better =
        !floor ||
        floor.count < config.proposals.alternates ||
        (result.sharedLanguage && !floor.sharedLanguage) ||
        (result.sharedLanguage === floor.sharedLanguage && result.score > floor.score);
      if (better) include(request.id, offer.id);
    }
  }

  // Requests needing the same offers are matched together, each once.
  const groups = new Map<string, { offers: string[]; requests: string[] }>();
  for (const [requestId, offerSet] of includeByRequest) {
    const offersOfRequest = [...offerSet].sort();
    const key = offersOfRequest.join(",");
    const group = groups.get(key) ?? { offers: offersOfRequest, requests: [] };
    group.requests.push(requestId);
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    await proposeForRequests({ requestIds: group.requests, includeOfferIds: group.offers, config, now });
  }
  return { requests: [...includeByRequest.keys()] };
}

/** The global assignment over the stored proposals; returns how many flags changed. */
export async function rebalanceRecommendations({ now = new Date() }: { now?: Date } = {}): Promise<number> {
  // `now` decides which decisions still take capacity (the last twelve months).
  const stored = await findAssignableProposals();
  const offerIds = [...new Set(stored.map((row) => row.offerId))];
  const [capacities, decisions] = await Promise.all([
    findOfferCapacities({ offerIds }),
    findDecidedPairings({ offerIds, requestOrganizationIds: [] }),
  ]);
  const consumed = consumedCapacity(decisions, now);
  const remaining = new Map<string, number>();
  for (const [offerId, capacity] of capacities) remaining.set(offerId, Math.max(0, capacity - (consumed.get(offerId) ?? 0)));

  const byRequest = new Map<
    string,
    { requestId: string; candidates: Array<{ offerId: string; score: number; sharedLanguage: boolean }>; current: string | null }
  >();
  for (const row of stored) {
    const entry = byRequest.get(row.requestId) ?? { requestId: row.requestId, candidates: [], current: null };
    entry.candidates.push({ offerId: row.offerId, score: row.score, sharedLanguage: row.sharedLanguage });
    if (row.recommended) entry.current = row.offerId;
    byRequest.set(row.requestId, entry);
  }
  const requests = [...byRequest.values()].sort((a, b) => (a.requestId < b.requestId ? -1 : 1));
  const chosen = recommend({ requests, remainingCapacity: remaining });
  const changed = requests.some((request) => (chosen.get(request.requestId) ?? null) !== request.current);
  if (!changed) return 0;
  return setRecommendations({ recommended: [...chosen].map(([requestId, offerId]) => ({ requestId, offerId })), now: new Date() });
}

// ---------------------------------------------------------------------------------------
// Everything (`npm run match`)

export type RecomputeSummary = {
  requests: number;
  offers: number;
  withProposals: number;
  noCandidates: number;
  proposals: number;
  recommended: number;
  search: "used" | "not needed" | "skipped" | "unavailable";
  withdrawn: number;
  written: WriteCounts;
  timings: Record<string, number>;
};

export async function recomputeAllMatching({
  config = loadMatchingConfig(),
  now = new Date(),
  useSearch = true,
  log = () => {},
}: RunOptions & { useSearch?: boolean; log?: (line: string) => void } = {}): Promise<RecomputeSummary> {
  // Scores use `now`; bookkeeping uses the clock, so a job that matched a request while this
  // run was computing is recognised by its later matched_at.
  const startedAt = new Date();
  const timings: Record<string, number> = {};
  let lap = performance.now();
  const time = (label: string) => {
    const at = performance.now();
    timings[label] = Math.round(at - lap);
    lap = at;
  };

  const withdrawn = await withdrawProposalsOfRequests({ requestIds: await findRequestsWithStaleMatching() });
  const rawRequests = await findOpenRequestsForMatching();
  const offers: PreparedOffer[] = [];
  for await (const page of publishedOfferPages()) for (const offer of page) offers.push(prepareOffer(offer));
  const requests = rawRequests.map(prepareRequest);
  time("load");
  log(`${requests.length} open requests, ${offers.length} published offers read and analysed`);

  const catalogue = new OfferCatalogue(offers);
  const [decisions, existing, trackRecords] = await Promise.all([
    findDecidedPairings({ all: true }),
    findProposalsOfRequests({ requestIds: "all" }),
    findTrackRecords({ organizationIds: "all" }),
  ]);
  const consumed = consumedCapacity(decisions, now);
  const existingByRequest = groupByRequest(existing);
  const served = servedRequestIds(existing);
  const context: MatchContext = { now, config, consumed, trackRecords, feedback: new FeedbackIndex(decisions) };
  time("state");

  const exhaustive = offers.length <= config.retrieval.exhaustiveBelowOffers;
  let search: RecomputeSummary["search"] = exhaustive ? "not needed" : "skipped";
  let hitsByRequest: Map<string, Array<{ id: string }>> | null = null;
  if (!exhaustive && useSearch && requests.length <= config.retrieval.fullRunSearchMaxRequests) {
    hitsByRequest = await searchOffersForRequests({
      requests,
      limit: config.retrieval.searchHits,
      maxWords: config.retrieval.searchQueryWords,
      timeoutMs: config.retrieval.searchTimeoutMs,
    });
    search = hitsByRequest ? "used" : "unavailable";
  } else if (!exhaustive && useSearch) {
    log(
      `search channel skipped: ${requests.length} requests is above retrieval.fullRunSearchMaxRequests (${config.retrieval.fullRunSearchMaxRequests}); themes and concepts only`
    );
  }
  time("search");

  // Only what the assignment needs is kept of every ranked pairing; the rows to store (the best
  // `alternates`) are drafted right away. Keeping every pairing's full breakdown for ten
  // thousand requests would cost gigabytes.
  type Ranked = { request: PreparedRequest; frozen: Set<string>; candidates: AssignableRequest["candidates"]; drafts: Draft[] };
  const rankedRequests: Ranked[] = [];
  for (const request of requests) {
    const rows = existingByRequest.get(request.id);
    const frozen = frozenOffers(rows);
    let candidates: Iterable<PreparedOffer>;
    if (exhaustive) {
      candidates = catalogue.offers;
    } else {
      const set = new Set<PreparedOffer>();
      for (const offer of catalogue.themeCandidates(request, config.retrieval.themeCandidates)) set.add(offer);
      for (const offer of catalogue.conceptCandidates(request, config.retrieval.conceptCandidates)) set.add(offer);
      for (const hit of hitsByRequest?.get(request.id) ?? []) {
        const offer = catalogue.get(hit.id);
        if (offer) set.add(offer);
      }
      for (const row of rows ?? []) {
        const offer = isMatcherOwned(row) ? catalogue.get(row.offerId) : undefined;
        if (offer) set.add(offer);
      }
      candidates = set;
    }
    const ranked = rankCandidates({ request, offers: candidates, frozenOfferIds: frozen, context });
    rankedRequests.push({
      request,
      frozen,
      candidates: ranked.map((candidate) => ({
        offerId: candidate.offer.id,
        score: candidate.result.score,
        sharedLanguage: candidate.result.sharedLanguage,
      })),
      drafts: draftProposals({ request, ranked: ranked.slice(0, config.proposals.alternates), recommendedOfferId: null, config }),
    });
  }
  time("score");

  const assignable = rankedRequests
    .filter(({ request }) => !served.has(request.id))
    .map(({ request, candidates }) => ({
      requestId: request.id,
      candidates,
      current: existingByRequest.get(request.id)?.find((row) => row.recommended && isMatcherOwned(row))?.offerId ?? null,
    }));
  const recommended = recommend({ requests: assignable, remainingCapacity: remainingCapacity(offers, consumed) });
  time("assign");

  const drafts: Draft[] = [];
  const states: RequestMatchingState[] = [];
  const usedSearch = search !== "unavailable";
  for (const { request, frozen, candidates, drafts: best } of rankedRequests) {
    const recommendedOfferId = recommended.get(request.id) ?? null;
    for (const draft of best) draft.recommended = draft.offerId === recommendedOfferId;
    drafts.push(...best);
    const position = candidates.findIndex((candidate) => candidate.offerId === recommendedOfferId);
    const offer = recommendedOfferId ? catalogue.get(recommendedOfferId) : undefined;
    if (position >= best.length && offer) {
      // Recommended beyond the alternates (their offers had no place left): scored again, the
      // same score since a pair's score depends on the pair only, and stored at its rank.
      const again = rankCandidates({ request, offers: [offer], frozenOfferIds: frozen, context });
      for (const draft of draftProposals({ request, ranked: again, recommendedOfferId, config })) {
        drafts.push({ ...draft, rank: position + 1 });
      }
    }
    states.push({
      requestId: request.id,
      outcome: candidates.length > 0 ? "proposed" : "no_candidates",
      candidateCount: candidates.length,
      usedSearch,
    });
  }
  time("draft");
  const written = await writeProposals({
    requestIds: requests.map((request) => request.id),
    drafts,
    states,
    now: new Date(),
    skipRequestsMatchedAfter: startedAt,
  });
  // A first run or a big change rewrites most rows: the planner must learn the new table.
  if (written.inserted + written.updated + written.deleted > ANALYZE_AFTER_ROWS) await analyzeMatchingTables();
  time("write");

  return {
    requests: requests.length,
    offers: offers.length,
    withProposals: states.filter((state) => state.outcome === "proposed").length,
    noCandidates: states.filter((state) => state.outcome === "no_candidates").length,
    proposals: drafts.length,
    recommended: recommended.size,
    search,
    withdrawn,
    written,
    timings,
  };
}
