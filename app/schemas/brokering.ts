// The brokering forms: staff decisions on pairings, the agencies' consent, the cooperation's
// transitions, activities, documents, messages, outcome reports and follow-ups. Messages are keys
// of the "brokering" namespace; each error sits under the field it belongs to, so a 400 names it.
// Parse form data with conform's parseWithZod, which turns "3" into 3 for z.number().
import { z } from "zod";
import { REJECTION_REASON_CODES } from "~/matching/decisions";
import { MODALITY_CODES } from "~/schemas/vocabulary";
import { isStorableText } from "~/schemas/text";
import { normalizeQuery } from "~search/facets";

export const BROKERING_LIMITS = { note: 2_000, title: 200, text: 4_000, message: 4_000, url: 2_000, place: 300 } as const;

// Stored as text and checked by pairing_consent_decline_reason_check
// (prisma/migrations/20261123000600_brokering): a code must never be renamed.
export const DECLINE_REASON_CODES = ["not-relevant", "timing", "capacity", "language", "other"] as const;
export type DeclineReason = (typeof DECLINE_REASON_CODES)[number];

export const ADOPTION_CODES = ["adopted", "adapted", "not_adopted"] as const;
export const COOPERATION_STATUSES = ["planned", "in_progress", "completed", "cancelled"] as const;
export type CooperationStatusCode = (typeof COOPERATION_STATUSES)[number];
export const PAIRING_SIDES = ["requester", "provider"] as const;
export type PairingSideCode = (typeof PAIRING_SIDES)[number];

/** The staff queue's pairing states: the proposal's status, with "declined" for an agency's refusal. */
export const QUEUE_STATUSES = ["proposed", "confirmed", "accepted", "declined", "rejected"] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

/** Follow-up reminders after completion, in months. */
export const FOLLOW_UP_MONTHS = [6, 12] as const;

export const pairingIdSchema = z.guid();

function text(maxLength: number) {
  return z
    .string({ error: "brokering:validation.required" })
    .trim()
    .min(1, { error: "brokering:validation.required" })
    .max(maxLength, { error: "brokering:validation.tooLong" })
    .refine(isStorableText, { error: "brokering:validation.invalidCharacters" });
}

function optionalText(maxLength: number) {
  return z
    .string()
    .trim()
    .max(maxLength, { error: "brokering:validation.tooLong" })
    .refine(isStorableText, { error: "brokering:validation.invalidCharacters" })
    .optional()
    .transform((value) => (value ? value : null));
}

const version = z
  .number({ error: "brokering:validation.version" })
  .int({ error: "brokering:validation.version" })
  .min(1, { error: "brokering:validation.version" });

function count(max: number) {
  return z
    .number({ error: "brokering:validation.count" })
    .int({ error: "brokering:validation.count" })
    .min(0, { error: "brokering:validation.count" })
    .max(max, { error: "brokering:validation.count" });
}

const link = z
  .url({ protocol: /^https?$/, error: "brokering:validation.invalidLink" })
  .max(BROKERING_LIMITS.url, { error: "brokering:validation.tooLong" });

// ---------------------------------------------------------------------------------------
// Staff

export const staffDecisionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("confirm"),
      version,
      agencyNote: optionalText(BROKERING_LIMITS.note),
      internalNote: optionalText(BROKERING_LIMITS.note),
    }),
    z.object({
      intent: z.literal("reject"),
      version,
      reason: z.enum(REJECTION_REASON_CODES, { error: "brokering:validation.chooseReason" }),
      internalNote: optionalText(BROKERING_LIMITS.note),
    }),
  ],
  { error: "brokering:validation.invalidIntent" },
);
export type StaffDecisionInput = z.output<typeof staffDecisionSchema>;

export const manualPairingSchema = z.object({
  intent: z.literal("pair"),
  offerId: z.guid({ error: "brokering:validation.chooseOffer" }),
});

// Any text is a query: the catalogue search's own normalization cuts it to length and drops
// control characters (a rule here would turn a long paste into an error page).
export const pairingSearchSchema = z.object({
  q: z.string().optional().default("").transform(normalizeQuery),
});

const sortSchema = z.enum(["score", "age"]).catch("score");
const directionSchema = z.enum(["asc", "desc"]).catch("desc");

export const pairingQueueQuerySchema = z.object({
  sort: sortSchema.optional().default("score"),
  dir: directionSchema.optional().default("desc"),
  status: z.enum(QUEUE_STATUSES).optional().catch(undefined),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional()
    .catch(undefined),
  // Values reach SQL as parameters; one PostgreSQL cannot hold (NUL) would fail the page.
  subregion: z.string().max(40).refine(isStorableText).optional().catch(undefined),
  theme: z.string().max(80).refine(isStorableText).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().default(1).catch(1),
});
export type PairingQueueQuery = z.output<typeof pairingQueueQuerySchema>;

// ---------------------------------------------------------------------------------------
// Agencies

export const consentSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("accept") }),
    z.object({
      intent: z.literal("decline"),
      reason: z.enum(DECLINE_REASON_CODES, { error: "brokering:validation.chooseReason" }),
      note: optionalText(BROKERING_LIMITS.note),
    }),
  ],
  { error: "brokering:validation.invalidIntent" },
);
export type ConsentInput = z.output<typeof consentSchema>;

// ---------------------------------------------------------------------------------------
// Cooperation

export const cooperationTransitionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("start"), version }),
    z.object({ intent: z.literal("complete"), version }),
    z.object({ intent: z.literal("cancel"), version, cancelReason: text(BROKERING_LIMITS.note) }),
  ],
  { error: "brokering:validation.invalidIntent" },
);
export type CooperationTransitionInput = z.output<typeof cooperationTransitionSchema>;

const isoDate = z
  .string({ error: "brokering:validation.required" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "brokering:validation.invalidDate" })
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), { error: "brokering:validation.invalidDate" });

export const activitySchema = z
  .object({
    intent: z.literal("activity"),
    title: text(BROKERING_LIMITS.title),
    modality: z.enum(MODALITY_CODES, { error: "brokering:validation.chooseModality" }),
    startsOn: isoDate,
    endsOn: isoDate,
    place: optionalText(BROKERING_LIMITS.place),
    link: link.optional(),
    participants: z
      .number({ error: "brokering:validation.participants" })
      .int({ error: "brokering:validation.participants" })
      .min(1, { error: "brokering:validation.participants" })
      .max(10_000, { error: "brokering:validation.participants" }),
  })
  .superRefine((value, context) => {
    if (value.endsOn < value.startsOn) {
      context.addIssue({ code: "custom", path: ["endsOn"], message: "brokering:validation.endsBeforeStart" });
    }
    if (!value.place && !value.link) {
      context.addIssue({ code: "custom", path: ["place"], message: "brokering:validation.placeOrLink" });
    }
  });
export type ActivityInput = z.output<typeof activitySchema>;

export const documentSchema = z.object({
  intent: z.literal("document"),
  title: text(BROKERING_LIMITS.title),
  url: link,
});

export const messageSchema = z.object({
  intent: z.literal("message"),
  body: text(BROKERING_LIMITS.message),
});

export const outcomeSchema = z.object({
  intent: z.literal("outcome"),
  transferred: text(BROKERING_LIMITS.text),
  peopleTrained: count(1_000_000),
  trainersCertified: count(1_000_000),
  rating: z
    .number({ error: "brokering:validation.rating" })
    .int({ error: "brokering:validation.rating" })
    .min(1, { error: "brokering:validation.rating" })
    .max(5, { error: "brokering:validation.rating" }),
  adoption: z.enum(ADOPTION_CODES, { error: "brokering:validation.chooseAdoption" }),
});
export type OutcomeInput = z.output<typeof outcomeSchema>;

export const followUpAnswerSchema = z.object({
  intent: z.literal("follow-up"),
  followUpId: z.guid({ error: "brokering:validation.invalidIntent" }),
  stillInUse: z.enum(["yes", "no"], { error: "brokering:validation.chooseStillInUse" }).transform((value) => value === "yes"),
  note: optionalText(BROKERING_LIMITS.note),
});

/** Every form of the cooperation page, told apart by `intent`. */
export const cooperationIntentSchema = z.object({
  intent: z.enum(["start", "complete", "cancel", "activity", "document", "message", "outcome", "follow-up"], {
    error: "brokering:validation.invalidIntent",
  }),
});

/** The matcher's named factors (app/matching/weights.json), for their labels. */
export const FACTOR_NAMES = ["textRelevance", "themeFit", "modalityFit", "language", "timing", "capacity", "subregion", "evidence", "trackRecord"] as const;
export type FactorName = (typeof FACTOR_NAMES)[number];

export function isFactorName(value: string): value is FactorName {
  return FACTOR_NAMES.some((name) => name === value);
}

export function isDeclineReason(value: unknown): value is DeclineReason {
  return DECLINE_REASON_CODES.some((code) => code === value);
}
