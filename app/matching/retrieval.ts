// Candidate retrieval without the search engine: the theme channel (offers sharing the
// request's declared themes) and the concept channel (offers whose texts share the request's
// thesaurus concepts and word stems). The full recomputation holds every published offer in
// memory and uses both; the job for one request asks PostgreSQL for the theme channel
// (app/models/proposal.server.ts, same rule) and Meilisearch for the text.
import type { PreparedOffer, PreparedRequest } from "./scoring";

/** Offers sharing the most themes are taken first, up to this many, then re-ranked by concepts. */
export const THEME_POOL = 200;

// Terms carried by more offers than this add nothing but work to the concept channel.
const MAX_TERM_SHARE = 0.05;
const MIN_MAX_DOCUMENT_FREQUENCY = 50;
const QUERY_TERMS = 16;

/** Orders offers like the SQL of the theme channel: most recently updated first, then id. */
function recencyOrder(a: PreparedOffer, b: PreparedOffer): number {
  const byDate = b.updatedAt.getTime() - a.updatedAt.getTime();
  if (byDate !== 0) return byDate;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function sharedConceptCount(request: PreparedRequest, offer: PreparedOffer): number {
  let count = 0;
  for (const concept of request.profile.concepts) if (offer.profile.concepts.has(concept)) count += 1;
  return count;
}

/**
 * Re-ranks the theme pool (already ordered by shared themes, then recency) by shared themes,
 * then shared concepts; keeps `limit`.
 */
export function pickThemeCandidates(request: PreparedRequest, pool: readonly PreparedOffer[], limit: number): PreparedOffer[] {
  const themes = new Set<string>(request.themes);
  return pool
    .map((offer, position) => ({
      offer,
      position,
      shared: offer.themes.filter((theme) => themes.has(theme)).length,
      concepts: sharedConceptCount(request, offer),
    }))
    .sort((a, b) => b.shared - a.shared || b.concepts - a.concepts || a.position - b.position)
    .slice(0, limit)
    .map((entry) => entry.offer);
}

/** Every published offer, indexed for the two channels. */
export class OfferCatalogue {
  readonly offers: PreparedOffer[];
  private readonly byId = new Map<string, number>();
  private readonly byTheme = new Map<string, number[]>();
  private readonly postings = new Map<string, { offers: Int32Array; weights: Float32Array }>();
  private readonly maxDocumentFrequency: number;
  private readonly counts: Uint8Array;
  private readonly scores: Float32Array;

  constructor(offers: readonly PreparedOffer[]) {
    // Index order is recency order, so a theme's postings are already in the SQL channel's order.
    this.offers = [...offers].sort(recencyOrder);
    this.counts = new Uint8Array(this.offers.length);
    this.scores = new Float32Array(this.offers.length);
    this.maxDocumentFrequency = Math.max(MIN_MAX_DOCUMENT_FREQUENCY, Math.floor(MAX_TERM_SHARE * this.offers.length));
    const building = new Map<string, { offers: number[]; weights: number[] }>();
    this.offers.forEach((offer, index) => {
      this.byId.set(offer.id, index);
      for (const theme of new Set(offer.themes)) {
        const list = this.byTheme.get(theme);
        if (list) list.push(index);
        else this.byTheme.set(theme, [index]);
      }
      if (offer.profile.norm === 0) return;
      for (const [term, weight] of offer.profile.vector) {
        let list = building.get(term);
        if (!list) {
          list = { offers: [], weights: [] };
          building.set(term, list);
        }
        list.offers.push(index);
        list.weights.push(weight / offer.profile.norm);
      }
    });
    for (const [term, list] of building) {
      this.postings.set(term, { offers: Int32Array.from(list.offers), weights: Float32Array.from(list.weights) });
    }
  }

  get(id: string): PreparedOffer | undefined {
    const index = this.byId.get(id);
    return index === undefined ? undefined : this.offers[index];
  }

  /** The theme channel: the same rule as findOffersSharingThemes + pickThemeCandidates. */
  themeCandidates(request: PreparedRequest, limit: number): PreparedOffer[] {
    const themes = [...new Set(request.themes)];
    const touched: number[] = [];
    for (const theme of themes) {
      for (const index of this.byTheme.get(theme) ?? []) {
        if (this.offers[index].countryCode === request.countryCode) continue;
        if (this.counts[index] === 0) touched.push(index);
        this.counts[index] += 1;
      }
    }
    const buckets: number[][] = [];
    for (const index of touched) {
      const shared = this.counts[index];
      (buckets[shared] ??= []).push(index);
      this.counts[index] = 0;
    }
    const pool: PreparedOffer[] = [];
    for (let shared = buckets.length - 1; shared >= 1 && pool.length < THEME_POOL; shared -= 1) {
      const bucket = buckets[shared];
      if (!bucket) continue;
      const ordered = Int32Array.from(bucket).sort();
      for (const index of ordered) {
        if (pool.length >= THEME_POOL) break;
        pool.push(this.offers[index]);
      }
    }
    return pickThemeCandidates(request, pool, limit);
  }

  /** The concept channel: offers whose texts are closest to the request's, by its strongest terms. */
  conceptCandidates(request: PreparedRequest, limit: number): PreparedOffer[] {
    const terms = [...request.profile.vector]
      .filter(([term]) => {
        const list = this.postings.get(term);
        return list !== undefined && list.offers.length <= this.maxDocumentFrequency;
      })
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, QUERY_TERMS);
    const touched: number[] = [];
    for (const [term, weight] of terms) {
      const list = this.postings.get(term);
      if (!list) continue;
      for (let position = 0; position < list.offers.length; position += 1) {
        const index = list.offers[position];
        if (this.scores[index] === 0) touched.push(index);
        this.scores[index] += weight * list.weights[position];
      }
    }
    const scored = touched
      .filter((index) => this.offers[index].countryCode !== request.countryCode)
      .map((index) => ({ index, score: this.scores[index] }));
    for (const index of touched) this.scores[index] = 0;
    scored.sort((a, b) => b.score - a.score || a.index - b.index);
    return scored.slice(0, limit).map((entry) => this.offers[entry.index]);
  }
}
