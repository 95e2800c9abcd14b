// Staff decisions on pairings: the rejection reason codes and which statuses mean what to the
// matcher. Isomorphic (zod only), so the brokering forms and the matcher share one definition.
import { z } from "zod";

// Stored as text and checked by proposal_rejection_reason_check
// (prisma/migrations/20261123000400_matching): a code must never be renamed.
export const REJECTION_REASON_CODES = ["not-relevant", "language", "capacity", "timing", "already-cooperating", "other"] as const;
export type RejectionReason = (typeof REJECTION_REASON_CODES)[number];
export const rejectionReasonSchema = z.enum(REJECTION_REASON_CODES);

export const REJECTION_REASON_LABELS = {
  "not-relevant": { en: "Not relevant", es: "No pertinente" },
  language: { en: "No common working language", es: "Sin idioma de trabajo común" },
  capacity: { en: "The offering team has no capacity", es: "El equipo oferente no tiene capacidad" },
  timing: { en: "Timing does not fit", es: "Los plazos no coinciden" },
  "already-cooperating": { en: "The two already cooperate", es: "Ya cooperan entre sí" },
  other: { en: "Other", es: "Otro" },
} as const satisfies Record<RejectionReason, { en: string; es: string }>;

export function isRejectionReason(value: unknown): value is RejectionReason {
  return REJECTION_REASON_CODES.some((code) => code === value);
}

// The matcher's view of a pairing's status. Brokering adds the agencies' answers: an accepted
// pairing belongs in both lists below, a declined one in neither.
export const PROPOSAL_STATUSES = ["proposed", "confirmed", "rejected", "accepted", "declined"] as const;
export type ProposalStatusCode = (typeof PROPOSAL_STATUSES)[number];

/** Statuses whose pairing takes one of the offer's cooperations for the year it was decided. */
export const CAPACITY_CONSUMING_STATUSES: readonly string[] = ["confirmed", "accepted"];

/** Statuses after which the request counts as served: it gets no new recommendation. */
export const SERVING_STATUSES: readonly string[] = ["confirmed", "accepted"];

/** Only undecided matcher rows may be rewritten by a recomputation. */
export function isMatcherOwned(row: { status: string; source: string }): boolean {
  return row.status === "proposed" && row.source === "matcher";
}
