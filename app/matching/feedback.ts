// Learning from staff decisions, in a bounded and explainable way.
//
// A decided pair itself is never proposed again (it keeps its row). Beyond that, each decision
// is a signal for *similar* pairings, by its reason:
//   not-relevant          same offer, for a request sharing themes with the rejected one
//                         (strength x the Jaccard similarity of the two requests' themes)
//   language              same offer, for the same requesting organization or a request whose
//                         teams work in exactly the same languages
//   capacity              same offer, any request, for twelve months after the rejection
//   timing                same offer, for a request wanting to start within six months of the
//                         rejected one's desired start (or both without dates)
//   already-cooperating   any offer of the same offering organization, for the same requesting
//                         organization
//   other                 nothing beyond the pair itself
//   confirmed             same offer, for a request sharing themes (positive, x Jaccard)
// Each signal counts with the strength the configuration gives its reason (0 to 1); their sum
// is clamped to [-1, 1] and scaled by staffFeedback.maxPoints: staff feedback can move a score
// by at most that many points, whatever the number of decisions.
import type { MatchingConfig } from "./config";
import { CAPACITY_CONSUMING_STATUSES, isRejectionReason, type RejectionReason } from "./decisions";

export type DecidedPairing = {
  requestId: string;
  offerId: string;
  status: string;
  rejectionReason: string | null;
  decidedAt: Date | null;
  requestOrganizationId: string;
  requestThemes: readonly string[];
  requestWorkingLanguages: readonly string[];
  requestDesiredStart: Date | null;
  offerOrganizationId: string;
};

export type FeedbackSignal = {
  kind: "rejected" | "confirmed";
  reason: RejectionReason | null;
  /** signed contribution before clamping, from -1 to 1 */
  strength: number;
};

export type FeedbackResult = {
  /** clamped sum of the signals, from -1 to 1 */
  adjustment: number;
  points: number;
  signals: FeedbackSignal[];
};

export const NO_FEEDBACK: FeedbackResult = { adjustment: 0, points: 0, signals: [] };

const DAY_MS = 24 * 60 * 60 * 1000;
const CAPACITY_SIGNAL_DAYS = 365;
const TIMING_WINDOW_DAYS = 183;

type FeedbackRequest = {
  id: string;
  organizationId: string;
  themes: readonly string[];
  workingLanguages: readonly string[];
  desiredStart: Date | null;
};

type FeedbackOffer = { id: string; organizationId: string };

/** Decisions indexed for quick lookup of those that can concern a pair. */
export class FeedbackIndex {
  private readonly byOffer = new Map<string, DecidedPairing[]>();
  private readonly byOrganizations = new Map<string, DecidedPairing[]>();

  constructor(decisions: Iterable<DecidedPairing>) {
    for (const decision of decisions) {
      if (decision.status === "proposed") continue;
      push(this.byOffer, decision.offerId, decision);
      if (decision.rejectionReason === "already-cooperating") {
        push(this.byOrganizations, organizationsKey(decision.requestOrganizationId, decision.offerOrganizationId), decision);
      }
    }
  }

  concerning(request: FeedbackRequest, offer: FeedbackOffer): DecidedPairing[] {
    const sameOffer = this.byOffer.get(offer.id) ?? [];
    const sameOrganizations = this.byOrganizations.get(organizationsKey(request.organizationId, offer.organizationId)) ?? [];
    if (sameOrganizations.length === 0) return sameOffer;
    return [...new Set([...sameOffer, ...sameOrganizations])];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function organizationsKey(requestOrganizationId: string, offerOrganizationId: string): string {
  return `${requestOrganizationId}|${offerOrganizationId}`;
}

export function themeJaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const setB = new Set(b);
  const shared = new Set(a.filter((theme) => setB.has(theme))).size;
  return shared / new Set([...a, ...b]).size;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const setA = new Set(a);
  const setB = new Set(b);
  return setA.size === setB.size && [...setA].every((value) => setB.has(value));
}

function startsClose(a: Date | null, b: Date | null): boolean {
  if (!a || !b) return !a && !b;
  return Math.abs(a.getTime() - b.getTime()) <= TIMING_WINDOW_DAYS * DAY_MS;
}

export function staffFeedback({
  request,
  offer,
  decisions,
  config,
  now,
}: {
  request: FeedbackRequest;
  offer: FeedbackOffer;
  decisions: readonly DecidedPairing[];
  config: MatchingConfig["staffFeedback"];
  now: Date;
}): FeedbackResult {
  const signals: FeedbackSignal[] = [];
  for (const decision of decisions) {
    if (decision.requestId === request.id && decision.offerId === offer.id) continue;
    const sameOffer = decision.offerId === offer.id;
    if (decision.status === "rejected" && isRejectionReason(decision.rejectionReason)) {
      const reason = decision.rejectionReason;
      const weight = config.rejection[reason];
      let strength = 0;
      switch (reason) {
        case "not-relevant":
          if (sameOffer) strength = weight * themeJaccard(request.themes, decision.requestThemes);
          break;
        case "language":
          if (
            sameOffer &&
            (decision.requestOrganizationId === request.organizationId ||
              sameSet(request.workingLanguages, decision.requestWorkingLanguages))
          ) {
            strength = weight;
          }
          break;
        case "capacity":
          if (sameOffer && decision.decidedAt && now.getTime() - decision.decidedAt.getTime() <= CAPACITY_SIGNAL_DAYS * DAY_MS) {
            strength = weight;
          }
          break;
        case "timing":
          if (sameOffer && startsClose(request.desiredStart, decision.requestDesiredStart)) strength = weight;
          break;
        case "already-cooperating":
          if (decision.requestOrganizationId === request.organizationId && decision.offerOrganizationId === offer.organizationId) {
            strength = weight;
          }
          break;
        case "other":
          break;
      }
      if (strength > 0) signals.push({ kind: "rejected", reason, strength: -strength });
    } else if (CAPACITY_CONSUMING_STATUSES.includes(decision.status) && sameOffer) {
      const strength = config.confirmation * themeJaccard(request.themes, decision.requestThemes);
      if (strength > 0) signals.push({ kind: "confirmed", reason: null, strength });
    }
  }
  if (signals.length === 0) return NO_FEEDBACK;
  signals.sort((a, b) => a.strength - b.strength);
  const adjustment = Math.max(
    -1,
    Math.min(
      1,
      signals.reduce((sum, signal) => sum + signal.strength, 0)
    )
  );
  return { adjustment, points: adjustment * config.maxPoints, signals };
}
