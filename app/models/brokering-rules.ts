// The rules of brokering that need no database: who acts for which side, which cooperation
// transitions exist, and the refusal every model function throws (routes turn it into a 403,
// 404 or 409 with its message). See docs/decisions/006-brokering.md.
import type { CooperationStatusCode, PairingSideCode } from "~/schemas/brokering";

export type BrokeringRefusal =
  | "not-found"
  | "forbidden"
  | "stale"
  | "already-decided"
  | "not-awaiting-answers"
  | "already-answered"
  | "rules"
  | "illegal-transition"
  | "not-active"
  | "not-completed"
  | "outcome-filed"
  | "follow-up-answered"
  | "already-paired";

const STATUS_OF: Record<BrokeringRefusal, 403 | 404 | 409> = {
  "not-found": 404,
  forbidden: 403,
  stale: 409,
  "already-decided": 409,
  "not-awaiting-answers": 409,
  "already-answered": 409,
  rules: 409,
  "illegal-transition": 409,
  "not-active": 409,
  "not-completed": 409,
  "outcome-filed": 409,
  "follow-up-answered": 409,
  "already-paired": 409,
};

/** Thrown inside a transaction: it rolls back, so a refused operation writes nothing. */
export class BrokeringError extends Error {
  override name = "BrokeringError";
  readonly refusal: BrokeringRefusal;
  readonly status: 403 | 404 | 409;
  constructor(refusal: BrokeringRefusal, detail?: string) {
    super(detail ? `${refusal}: ${detail}` : refusal);
    this.refusal = refusal;
    this.status = STATUS_OF[refusal];
  }

  /** The i18n key of the message shown to the person refused. */
  get messageKey(): `brokering:errors.${BrokeringRefusal}` {
    return `brokering:errors.${this.refusal}`;
  }
}

export type BrokeringActor = {
  id: string;
  role: "member" | "staff" | "admin";
  status: "pending" | "active" | "refused";
  organizationId: string | null;
};

export function isStaffActor(actor: Pick<BrokeringActor, "role">): boolean {
  return actor.role === "staff" || actor.role === "admin";
}

/** The side an agency member acts for in a pairing, or null for anyone else (staff included). */
export function sideOf(
  actor: Pick<BrokeringActor, "organizationId">,
  pairing: { requestOrganizationId: string; offerOrganizationId: string },
): PairingSideCode | null {
  if (actor.organizationId === null) return null;
  if (actor.organizationId === pairing.requestOrganizationId) return "requester";
  if (actor.organizationId === pairing.offerOrganizationId) return "provider";
  return null;
}

export const TRANSITION_NAMES = ["start", "complete", "cancel"] as const;
export type CooperationTransition = (typeof TRANSITION_NAMES)[number];

export const COOPERATION_TRANSITIONS: Record<CooperationTransition, { from: readonly CooperationStatusCode[]; to: CooperationStatusCode }> = {
  start: { from: ["planned"], to: "in_progress" },
  complete: { from: ["in_progress"], to: "completed" },
  cancel: { from: ["planned", "in_progress"], to: "cancelled" },
};

export function availableTransitions(status: CooperationStatusCode): CooperationTransition[] {
  return TRANSITION_NAMES.filter((transition) =>
    COOPERATION_TRANSITIONS[transition].from.includes(status),
  );
}

/** Adding activities and documents is for a cooperation that is still being carried out. */
export function acceptsActivities(status: CooperationStatusCode): boolean {
  return status === "planned" || status === "in_progress";
}
