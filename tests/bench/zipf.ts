/**
 * Zipf's law for the benchmarks' generated text and traffic: rank r (from 0) is drawn in
 * proportion to 1 / (r + 1)^exponent, as word and query frequencies are.
 */
export function zipfSampler(count: number, uniform: () => number, exponent = 1): () => number {
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 0; rank < count; rank += 1) cumulative.push((total += 1 / (rank + 1) ** exponent));
  return () => {
    const target = uniform() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle] < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}
