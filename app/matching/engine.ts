// The matcher's pure core, shared by the job that proposes for one request and by the full
// recomputation: score and rank a request's candidates, pick what to store, and choose the
// recommended pairings with the global assignment.
import { createHash } from "node:crypto";
import { solveAssignment } from "./assignment";
import type { MatchingConfig } from "./config";
import { FeedbackIndex, staffFeedback } from "./feedback";
import {
  buildReasons,
  explainedConcepts,
  NO_TRACK_RECORD,
  scorePair,
  type PairScore,
  type PreparedOffer,
  type PreparedRequest,
  type TrackRecord,
} from "./scoring";

export type MatchContext = {
  now: Date;
  config: MatchingConfig;
  /** places each offer gave in the last twelve months */
  consumed: ReadonlyMap<string, number>;
  /** by offering organization */
  trackRecords: ReadonlyMap<string, TrackRecord>;
  feedback: FeedbackIndex;
};

export type RankedCandidate = { offer: PreparedOffer; result: PairScore };

/** Best first: a shared working language before anything else, then score, then offer key. */
export function compareRanked(a: RankedCandidate, b: RankedCandidate): number {
  if (a.result.sharedLanguage !== b.result.sharedLanguage) return a.result.sharedLanguage ? -1 : 1;
  if (a.result.score !== b.result.score) return b.result.score - a.result.score;
  return a.offer.key < b.offer.key ? -1 : a.offer.key > b.offer.key ? 1 : 0;
}

/**
 * Scores the request against each candidate offer and returns the pairings worth proposing,
 * best first, at most retrieval.maxCandidates. Hard rules: never an offer of the request's own
 * country, never a pair staff already decided (`frozenOfferIds`), never a pairing whose subjects
 * do not meet rules.minTopicalFit.
 */
export function rankCandidates({
  request,
  offers,
  frozenOfferIds,
  context,
}: {
  request: PreparedRequest;
  offers: Iterable<PreparedOffer>;
  frozenOfferIds: ReadonlySet<string>;
  context: MatchContext;
}): RankedCandidate[] {
  const { config, now } = context;
  const ranked: RankedCandidate[] = [];
  const seen = new Set<string>();
  for (const offer of offers) {
    if (seen.has(offer.id)) continue;
    seen.add(offer.id);
    if (offer.countryCode === request.countryCode || frozenOfferIds.has(offer.id)) continue;
    const feedback = staffFeedback({
      request,
      offer,
      decisions: context.feedback.concerning(request, offer),
      config: config.staffFeedback,
      now,
    });
    const result = scorePair({
      request,
      offer,
      context: {
        now,
        consumed: context.consumed.get(offer.id) ?? 0,
        trackRecord: context.trackRecords.get(offer.organizationId) ?? NO_TRACK_RECORD,
        feedback,
      },
      config,
    });
    if (result.topicalFit < config.rules.minTopicalFit) continue;
    ranked.push({ offer, result });
  }
  ranked.sort(compareRanked);
  return ranked.slice(0, config.retrieval.maxCandidates);
}

export type Draft = {
  requestId: string;
  offerId: string;
  score: number;
  sharedLanguage: boolean;
  rank: number;
  recommended: boolean;
  factors: Record<string, unknown> & { digest: string };
  reasons: { en: string[]; es: string[] };
};

/** The rows to store for a request: its best `alternates` pairings, plus the recommended one. */
export function draftProposals({
  request,
  ranked,
  recommendedOfferId,
  config,
}: {
  request: PreparedRequest;
  ranked: readonly RankedCandidate[];
  recommendedOfferId: string | null;
  config: MatchingConfig;
}): Draft[] {
  const drafts: Draft[] = [];
  ranked.forEach((candidate, index) => {
    const recommended = candidate.offer.id === recommendedOfferId;
    if (index >= config.proposals.alternates && !recommended) return;
    const { result } = candidate;
    const content = {
      factors: result.factors,
      feedback: { points: round2(result.feedback.points), signals: result.feedback.signals },
      topicalFit: round4(result.topicalFit),
      details: { ...result.details, sharedConcepts: explainedConcepts(request, candidate.offer) },
    };
    const reasons = buildReasons({ request, offer: candidate.offer, result });
    const digest = createHash("sha1")
      .update(JSON.stringify([result.score, result.sharedLanguage, content, reasons]))
      .digest("hex")
      .slice(0, 16);
    drafts.push({
      requestId: request.id,
      offerId: candidate.offer.id,
      score: result.score,
      sharedLanguage: result.sharedLanguage,
      rank: index + 1,
      recommended,
      factors: { ...content, digest },
      reasons,
    });
  });
  return drafts;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

// ---------------------------------------------------------------------------------------
// Recommendation

export type AssignableRequest = {
  requestId: string;
  candidates: ReadonlyArray<{ offerId: string; score: number; sharedLanguage: boolean }>;
  /** the offer recommended now, kept when another choice would gain nothing */
  current: string | null;
};

// A pairing that shares a working language outweighs any that does not (the hard rule), then
// the score in hundredths; the current recommendation wins exact ties, so re-running changes
// nothing.
const SHARED_LANGUAGE_BONUS = 10_000;

/**
 * The global assignment: one recommended offer per request at most, never more requests per
 * offer than its remaining capacity, maximizing the total score (app/matching/assignment.ts).
 */
export function recommend({
  requests,
  remainingCapacity,
}: {
  requests: readonly AssignableRequest[];
  remainingCapacity: ReadonlyMap<string, number>;
}): Map<string, string> {
  const offerIndex = new Map<string, number>();
  const offerIds: string[] = [];
  const capacities: number[] = [];
  const tieBreak = requests.length + 1;
  const edges: Array<{ request: number; offer: number; weight: number }> = [];
  requests.forEach((request, requestIndex) => {
    for (const candidate of request.candidates) {
      const capacity = remainingCapacity.get(candidate.offerId) ?? 0;
      if (capacity <= 0) continue;
      let index = offerIndex.get(candidate.offerId);
      if (index === undefined) {
        index = offerIds.length;
        offerIndex.set(candidate.offerId, index);
        offerIds.push(candidate.offerId);
        capacities.push(capacity);
      }
      const points = Math.round(candidate.score * 100) + (candidate.sharedLanguage ? SHARED_LANGUAGE_BONUS : 0);
      if (points <= 0) continue;
      edges.push({ request: requestIndex, offer: index, weight: points * tieBreak + (request.current === candidate.offerId ? 1 : 0) });
    }
  });
  const assigned = solveAssignment({ requestCount: requests.length, capacities, edges });
  const result = new Map<string, string>();
  assigned.forEach((offer, requestIndex) => {
    if (offer >= 0) result.set(requests[requestIndex].requestId, offerIds[offer]);
  });
  return result;
}

/**
 * The recommendation for one request given everyone else's: its best pairing whose offer still
 * has a place. Used by the job right away; the re-balancing job that follows re-solves globally.
 */
export function recommendGreedily({
  ranked,
  remainingCapacity,
  recommendedToOthers,
}: {
  ranked: readonly RankedCandidate[];
  remainingCapacity: ReadonlyMap<string, number>;
  recommendedToOthers: ReadonlyMap<string, number>;
}): string | null {
  for (const candidate of ranked) {
    if (candidate.result.score <= 0) continue;
    const free = (remainingCapacity.get(candidate.offer.id) ?? 0) - (recommendedToOthers.get(candidate.offer.id) ?? 0);
    if (free > 0) return candidate.offer.id;
  }
  return null;
}
