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
  // Ties (an import updates many at one instant) by id, descending like findThemePool's index.
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
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
  /** offer indexes of each theme, ascending (= most recent first) */
  private readonly byTheme = new Map<string, Int32Array>();
  private readonly postings = new Map<string, { offers: Int32Array; weights: Float32Array }>();
  private readonly maxDocumentFrequency: number;
  // The channels run ten thousand times in a full recomputation: they read countries and
  // accumulate scores in typed arrays, not in the offer objects.
  private readonly countryIds = new Map<string, number>();
  private readonly offerCountry: Uint16Array;
  private readonly scores: Float32Array;
  private readonly touched: Int32Array;

  constructor(offers: readonly PreparedOffer[]) {
    // Index order is recency order, so a theme's postings are already in the SQL channel's order.
    this.offers = [...offers].sort(recencyOrder);
    this.offerCountry = new Uint16Array(this.offers.length);
    this.scores = new Float32Array(this.offers.length);
    this.touched = new Int32Array(this.offers.length);
    this.maxDocumentFrequency = Math.max(MIN_MAX_DOCUMENT_FREQUENCY, Math.floor(MAX_TERM_SHARE * this.offers.length));
    const themeLists = new Map<string, number[]>();
    const building = new Map<string, { offers: number[]; weights: number[] }>();
    this.offers.forEach((offer, index) => {
      this.byId.set(offer.id, index);
      this.offerCountry[index] = this.countryId(offer.countryCode);
      for (const theme of new Set(offer.themes)) {
        const list = themeLists.get(theme);
        if (list) list.push(index);
        else themeLists.set(theme, [index]);
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
    for (const [theme, list] of themeLists) this.byTheme.set(theme, Int32Array.from(list));
    for (const [term, list] of building) {
      this.postings.set(term, { offers: Int32Array.from(list.offers), weights: Float32Array.from(list.weights) });
    }
  }

  private countryId(code: string): number {
    let id = this.countryIds.get(code);
    if (id === undefined) {
      id = this.countryIds.size + 1;
      this.countryIds.set(code, id);
    }
    return id;
  }

  get(id: string): PreparedOffer | undefined {
    const index = this.byId.get(id);
    return index === undefined ? undefined : this.offers[index];
  }

  /** The theme channel: the same rule as findThemePool + pickThemeCandidates. */
  themeCandidates(request: PreparedRequest, limit: number): PreparedOffer[] {
    const lists = [...new Set(request.themes)].flatMap((theme) => {
      const list = this.byTheme.get(theme);
      return list && list.length > 0 ? [list] : [];
    });
    const ownCountry = this.countryIds.get(request.countryCode) ?? 0;
    // A merge of the ascending theme lists meets each offer once, with the number of lists
    // holding it, in recency order: every bucket comes out sorted, and the offers sharing one
    // theme (the most numerous) are only needed up to the pool's size.
    const buckets: number[][] = Array.from({ length: lists.length + 1 }, () => []);
    const positions = new Int32Array(lists.length);
    for (;;) {
      let next = -1;
      for (let list = 0; list < lists.length; list += 1) {
        const position = positions[list];
        if (position < lists[list].length && (next < 0 || lists[list][position] < next)) next = lists[list][position];
      }
      if (next < 0) break;
      let shared = 0;
      for (let list = 0; list < lists.length; list += 1) {
        if (positions[list] < lists[list].length && lists[list][positions[list]] === next) {
          positions[list] += 1;
          shared += 1;
        }
      }
      if (this.offerCountry[next] === ownCountry) continue;
      if (shared > 1 || buckets[1].length < THEME_POOL) buckets[shared].push(next);
      else if (lists.length === 1) break;
    }
    const pool: PreparedOffer[] = [];
    for (let shared = lists.length; shared >= 1 && pool.length < THEME_POOL; shared -= 1) {
      for (const index of buckets[shared]) {
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
    const { scores, touched } = this;
    let touchedCount = 0;
    for (const [term, weight] of terms) {
      const list = this.postings.get(term);
      if (!list) continue;
      for (let position = 0; position < list.offers.length; position += 1) {
        const index = list.offers[position];
        if (scores[index] === 0) touched[touchedCount++] = index;
        scores[index] += weight * list.weights[position];
      }
    }
    // The best `limit` by score, then index, kept sorted in a small array: no sort of every
    // offer touched.
    const ownCountry = this.countryIds.get(request.countryCode) ?? 0;
    const bestIndex: number[] = [];
    const bestScore: number[] = [];
    for (let position = 0; position < touchedCount; position += 1) {
      const index = touched[position];
      const score = scores[index];
      scores[index] = 0;
      if (this.offerCountry[index] === ownCountry) continue;
      const count = bestIndex.length;
      if (count >= limit) {
        const lastScore = bestScore[count - 1];
        if (score < lastScore || (score === lastScore && index > bestIndex[count - 1])) continue;
      }
      let at = count;
      while (at > 0 && (bestScore[at - 1] < score || (bestScore[at - 1] === score && bestIndex[at - 1] > index))) at -= 1;
      bestIndex.splice(at, 0, index);
      bestScore.splice(at, 0, score);
      if (bestIndex.length > limit) {
        bestIndex.pop();
        bestScore.pop();
      }
    }
    return bestIndex.map((index) => this.offers[index]);
  }
}
