// Ranking quality against graded judgments (3 excellent, 2 good, 1 partial, unlisted 0):
//   nDCG@k      gain 2^grade - 1, discount log2(position + 1), over the ideal ordering of all
//               judged offers of the request
//   recall@k    share of the offers graded 1 or more that appear in the first k
//   precision@1 whether the first offer is graded 1 or more
// Averages are over the requests that have at least one offer graded 1 or more; requests
// without any (no good offer exists) are reported apart.

export type Judgments = ReadonlyMap<string, ReadonlyMap<string, number>>;

export type RankingMetrics = { ndcg5: number; recall10: number; precision1: number };

function dcg(grades: readonly number[]): number {
  return grades.reduce((sum, grade, index) => sum + (2 ** grade - 1) / Math.log2(index + 2), 0);
}

export function ndcgAt(k: number, ranked: readonly string[], grades: ReadonlyMap<string, number>): number {
  const ideal = dcg(
    [...grades.values()]
      .filter((grade) => grade > 0)
      .sort((a, b) => b - a)
      .slice(0, k)
  );
  if (ideal === 0) return 0;
  return dcg(ranked.slice(0, k).map((key) => grades.get(key) ?? 0)) / ideal;
}

export function recallAt(k: number, ranked: readonly string[], grades: ReadonlyMap<string, number>): number {
  const relevant = [...grades].filter(([, grade]) => grade > 0).map(([key]) => key);
  if (relevant.length === 0) return 0;
  const top = new Set(ranked.slice(0, k));
  return relevant.filter((key) => top.has(key)).length / relevant.length;
}

export function precisionAt1(ranked: readonly string[], grades: ReadonlyMap<string, number>): number {
  return ranked.length > 0 && (grades.get(ranked[0]) ?? 0) > 0 ? 1 : 0;
}

export function rankingMetrics(ranked: readonly string[], grades: ReadonlyMap<string, number>): RankingMetrics {
  return { ndcg5: ndcgAt(5, ranked, grades), recall10: recallAt(10, ranked, grades), precision1: precisionAt1(ranked, grades) };
}

export function hasRelevant(grades: ReadonlyMap<string, number> | undefined): boolean {
  return grades !== undefined && [...grades.values()].some((grade) => grade > 0);
}

export function meanMetrics(all: readonly RankingMetrics[]): RankingMetrics {
  if (all.length === 0) return { ndcg5: 0, recall10: 0, precision1: 0 };
  const sum = (pick: (metrics: RankingMetrics) => number) => all.reduce((total, metrics) => total + pick(metrics), 0) / all.length;
  return { ndcg5: sum((m) => m.ndcg5), recall10: sum((m) => m.recall10), precision1: sum((m) => m.precision1) };
}

/**
 * A request is cross-lingual when one of its best-graded offers is written in another language
 * than the request: the matcher has to bridge languages to find it.
 */
export function isCrossLingual(
  requestLanguage: string,
  grades: ReadonlyMap<string, number>,
  offerLanguage: (offerKey: string) => string | undefined
): boolean {
  const best = Math.max(0, ...grades.values());
  if (best === 0) return false;
  return [...grades].some(([key, grade]) => grade === best && offerLanguage(key) !== undefined && offerLanguage(key) !== requestLanguage);
}
