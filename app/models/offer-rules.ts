// Pure rules of the catalogue (offers and requests): evidence level, staleness, status
// transitions, who may change what, and exchange keys for records created in the UI.
// Isomorphic and free of I/O, so pages, models and tests share one definition.

// ---------------------------------------------------------------------------------------
// Evidence level of an offer
//
// The rule (kept deliberately simple and explainable to an agency in one sentence each):
//   evaluated         the evidence field names an evaluation: an impact or external
//                     evaluation, a randomized or quasi-experimental study, a control group,
//                     a counterfactual (in English, Spanish, Portuguese or French);
//   results-reported  otherwise, the evidence field says something (results, figures), or the
//                     description reports a quantified result (a percentage such as "32 %");
//   described         otherwise: the offer only describes how the program works.
// Only the evidence field can make an offer "evaluated": a description that merely mentions
// an evaluation ("we plan to evaluate...") should not earn the strongest badge.

export const EVIDENCE_LEVELS = ["evaluated", "results-reported", "described"] as const;
export type EvidenceLevel = (typeof EVIDENCE_LEVELS)[number];

// Matched against lower-cased text without diacritics, so "evaluación" and "évaluation" match.
const EVALUATION_MARKERS = [
  /\bevaluat/, // evaluation, evaluated (en)
  /\bevaluac/, // evaluación (es)
  /\bevaluad[oa]s?\b/, // evaluado, evaluada (es)
  /\bavaliac/, // avaliação (pt)
  /\bavaliad[oa]s?\b/, // avaliado, avaliada (pt)
  /\bevalue(e|es|s)?\b/, // évalué, évaluée (fr)
  /\bimpact assessment/,
  /\brandomi[sz]/, // randomized, randomised, randomizado, randomisé
  /\baleatori[sz]ad/, // aleatorizado
  /\brcts?\b/,
  /\b(quasi|cuasi|quase)[- ]?experiment/,
  /\bcontrol group/,
  /\bgrupos? (de )?control/, // grupo de control, grupo de controle
  /\bgroupes? (de controle|temoin)/,
  /\bcounterfactual/,
  /\bcontra-?factual/,
  /\bcontrefactuel/,
  /\bdifference-in-difference/,
  /\bdiferencias en diferencias/,
];

// A quantified result in a description: "32%", "32 %", "12,5 %".
const QUANTIFIED_RESULT = /\d(?:[.,]\d+)?\s?%/;

export function foldText(text: string): string {
  return text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();
}

export function evidenceLevel(offer: { evidence?: string | null; description?: string | null }): EvidenceLevel {
  const evidence = foldText(offer.evidence?.trim() ?? "");
  if (evidence !== "" && EVALUATION_MARKERS.some((marker) => marker.test(evidence))) return "evaluated";
  if (evidence !== "") return "results-reported";
  if (offer.description && QUANTIFIED_RESULT.test(offer.description)) return "results-reported";
  return "described";
}

// ---------------------------------------------------------------------------------------
// Staleness
//
// A published offer or an open request is stale when neither an edit nor a "still current"
// confirmation happened in the last 12 months, i.e. max(updatedAt, confirmedCurrentAt) is more
// than 12 calendar months before now. Drafts, archived offers and closed requests are never
// stale: nobody reads them as current.

export const STALE_AFTER_MONTHS = 12;

type DateInput = Date | string;

function toDate(value: DateInput): Date {
  return value instanceof Date ? value : new Date(value);
}

/** The instant before which a record's last confirmation makes it stale. */
export function staleCutoff(now: DateInput = new Date()): Date {
  const cutoff = new Date(toDate(now).getTime());
  cutoff.setUTCMonth(cutoff.getUTCMonth() - STALE_AFTER_MONTHS);
  return cutoff;
}

/** The "last confirmed current" date shown on a record: an edit counts as a confirmation. */
export function lastConfirmedCurrent(record: { updatedAt: DateInput; confirmedCurrentAt: DateInput }): Date {
  const updatedAt = toDate(record.updatedAt);
  const confirmedCurrentAt = toDate(record.confirmedCurrentAt);
  return updatedAt > confirmedCurrentAt ? updatedAt : confirmedCurrentAt;
}

export type CatalogueKind = "offer" | "request";

/** Statuses in which a record is shown to others as current, and so can go stale. */
export const LIVE_STATUS = { offer: "published", request: "open" } as const satisfies Record<CatalogueKind, string>;

export function isStale(
  record: { kind: CatalogueKind; status: string; updatedAt: DateInput; confirmedCurrentAt: DateInput },
  now: DateInput = new Date(),
): boolean {
  if (record.status !== LIVE_STATUS[record.kind]) return false;
  return lastConfirmedCurrent(record) < staleCutoff(now);
}

// ---------------------------------------------------------------------------------------
// Status changes. Every action on a record's status is an `intent` posted by a form.

export const OFFER_INTENTS = ["publish", "unpublish", "archive", "confirm-current"] as const;
export type OfferIntent = (typeof OFFER_INTENTS)[number];
export const REQUEST_INTENTS = ["publish", "unpublish", "close", "confirm-current"] as const;
export type RequestIntent = (typeof REQUEST_INTENTS)[number];

type Transition = { from: readonly string[]; to: string };

const OFFER_TRANSITIONS: Record<OfferIntent, Transition> = {
  publish: { from: ["draft", "archived"], to: "published" },
  unpublish: { from: ["published"], to: "draft" },
  archive: { from: ["draft", "published"], to: "archived" },
  "confirm-current": { from: ["published"], to: "published" },
};

const REQUEST_TRANSITIONS: Record<RequestIntent, Transition> = {
  publish: { from: ["draft", "closed"], to: "open" },
  unpublish: { from: ["open"], to: "draft" },
  close: { from: ["draft", "open"], to: "closed" },
  "confirm-current": { from: ["open"], to: "open" },
};

/** The status a record moves to, or null when the intent does not apply to its status. */
export function nextOfferStatus(status: string, intent: OfferIntent): string | null {
  const transition = OFFER_TRANSITIONS[intent];
  return transition.from.includes(status) ? transition.to : null;
}

export function nextRequestStatus(status: string, intent: RequestIntent): string | null {
  const transition = REQUEST_TRANSITIONS[intent];
  return transition.from.includes(status) ? transition.to : null;
}

/** The intents a record's page offers as buttons, in display order. */
export function availableOfferIntents(status: string): OfferIntent[] {
  return OFFER_INTENTS.filter((intent) => nextOfferStatus(status, intent) !== null);
}

export function availableRequestIntents(status: string): RequestIntent[] {
  return REQUEST_INTENTS.filter((intent) => nextRequestStatus(status, intent) !== null);
}

// ---------------------------------------------------------------------------------------
// Who may do what. The guards in app/auth decide who is logged in; these decide what that
// person may do with one record.

export type CatalogueActor = {
  id: string;
  role: "member" | "staff" | "admin";
  status: "pending" | "active" | "refused";
  organizationId: string | null;
};

export function isStaff(actor: Pick<CatalogueActor, "role"> | null | undefined): boolean {
  return actor?.role === "staff" || actor?.role === "admin";
}

/** A member whose account staff verified, or staff: may read requests and publish. */
export function isVerified(actor: Pick<CatalogueActor, "role" | "status"> | null | undefined): boolean {
  if (!actor) return false;
  return isStaff(actor) || actor.status === "active";
}

export function belongsTo(actor: CatalogueActor | null | undefined, organizationId: string): boolean {
  return actor?.organizationId === organizationId && actor.status !== "refused";
}

export type WriteDecision = "allowed" | "not-owner" | "pending";

/**
 * Editing: staff edit any record; a member edits their organization's records. A pending
 * account may only work on drafts: changing a record others can read would publish unverified
 * content just as publishing does.
 */
export function decideEdit(actor: CatalogueActor, record: { organizationId: string; status: string }): WriteDecision {
  if (isStaff(actor)) return "allowed";
  if (!belongsTo(actor, record.organizationId)) return "not-owner";
  if (actor.status !== "active" && record.status !== "draft") return "pending";
  return "allowed";
}

/** Every status change (publish, unpublish, archive, close, confirm) needs a verified account. */
export function decideStatusChange(actor: CatalogueActor, record: { organizationId: string }): WriteDecision {
  if (isStaff(actor)) return "allowed";
  if (!belongsTo(actor, record.organizationId)) return "not-owner";
  if (actor.status !== "active") return "pending";
  return "allowed";
}

// ---------------------------------------------------------------------------------------
// Exchange keys of records created in the UI: readable, unique, and valid in the exchange
// format (^[a-z0-9][a-z0-9-]{1,79}$), e.g. "conamype-centros-de-desarrollo-empresarial-k3x9q2".

export const KEY_SUFFIX_LENGTH = 6;
const MAX_KEY_LENGTH = 80;

export function slugify(text: string): string {
  return foldText(text)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

export function buildRecordKey({ organizationKey, title, suffix }: { organizationKey: string; title: string; suffix: string }): string {
  const tail = `-${slugify(suffix)}`;
  const base = [slugify(organizationKey), slugify(title)].filter((part) => part !== "").join("-");
  const trimmed = base.slice(0, MAX_KEY_LENGTH - tail.length).replace(/-+$/, "");
  const key = `${trimmed}${tail}`;
  return /^[a-z0-9]/.test(key) ? key : `r${key}`.slice(0, MAX_KEY_LENGTH);
}

const SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

export function randomKeySuffix(random: () => number = Math.random): string {
  let suffix = "";
  for (let index = 0; index < KEY_SUFFIX_LENGTH; index += 1) {
    suffix += SUFFIX_ALPHABET[Math.floor(random() * SUFFIX_ALPHABET.length)];
  }
  return suffix;
}

// ---------------------------------------------------------------------------------------
// A request started from an offer ("request this program") is prefilled from it. The title is
// content, so it is written in the offer's language, not the reader's.

const REPLICATION_PREFIX: Record<string, string> = {
  en: "Replicating:",
  es: "Replicar:",
  pt: "Replicar:",
  fr: "Reproduire :",
};

export const MAX_TITLE_LENGTH = 200;

export function replicationTitle(offer: { title: string; language: string }): string {
  const prefix = REPLICATION_PREFIX[offer.language] ?? REPLICATION_PREFIX.en;
  const title = `${prefix} ${offer.title}`;
  return title.length <= MAX_TITLE_LENGTH ? title : `${title.slice(0, MAX_TITLE_LENGTH - 1).trimEnd()}…`;
}
