// The capacity-aware global assignment: choose at most one offer per request, at most
// `capacity` requests per offer, maximizing the total weight. An exact min-cost-flow method:
// successive shortest paths with Johnson potentials (Dijkstra on reduced costs).
//
// The flow network is source -> request (capacity 1) -> offer (1, cost -weight) -> sink
// (capacity of the offer), with a free edge sink -> source so that leaving a request unassigned
// is allowed (a maximum-weight, not a maximum-cardinality, matching). Requests are added one
// at a time; after each the flow is optimal for the requests added so far (the residual graph
// has no negative cycle), so after the last it is optimal. Adding request r needs one shortest
// path from r back to the source: through an offer with a free place, or through a chain of
// reassignments that ends by freeing a place or leaving another request unassigned. The path is
// taken only when its cost is negative, i.e. when it raises the total weight.
//
// Weights must be positive integers below 2^40 (sums stay exact in doubles). Tests compare the
// result with brute force on small generated cases.

export type AssignmentEdge = { request: number; offer: number; weight: number };

export type AssignmentProblem = {
  requestCount: number;
  /** remaining capacity of each offer (0 or more) */
  capacities: readonly number[];
  edges: readonly AssignmentEdge[];
};

/** For each request, the index of its assigned offer, or -1. */
export function solveAssignment(problem: AssignmentProblem): Int32Array {
  const requestCount = problem.requestCount;
  const offerCount = problem.capacities.length;
  const nodeCount = requestCount + offerCount + 1;
  const terminal = requestCount + offerCount;

  // Edges of each request, in compressed rows, heaviest first so ties resolve the same way.
  const heaviest = new Map<string, AssignmentEdge>();
  for (const edge of problem.edges) {
    if (!(edge.weight > 0) || !((problem.capacities[edge.offer] ?? 0) > 0)) continue;
    if (edge.request < 0 || edge.request >= requestCount) throw new Error(`edge to unknown request ${edge.request}`);
    const key = `${edge.request}:${edge.offer}`;
    const existing = heaviest.get(key);
    if (!existing || existing.weight < edge.weight) heaviest.set(key, edge);
  }
  const sorted = [...heaviest.values()].sort((a, b) => a.request - b.request || b.weight - a.weight || a.offer - b.offer);
  const rowStart = new Int32Array(requestCount + 1);
  for (const edge of sorted) rowStart[edge.request + 1] += 1;
  for (let request = 0; request < requestCount; request += 1) rowStart[request + 1] += rowStart[request];
  const edgeOffer = new Int32Array(sorted.length);
  const edgeWeight = new Float64Array(sorted.length);
  sorted.forEach((edge, index) => {
    edgeOffer[index] = edge.offer;
    edgeWeight[index] = edge.weight;
  });

  const assigned = new Int32Array(requestCount).fill(-1);
  const assignedWeight = new Float64Array(requestCount);
  const holders: number[][] = Array.from({ length: offerCount }, () => []);

  // Potentials are stored minus a shift that every node shares, so that "add D to every node
  // not reached" costs nothing; `potential(v)` is the real one.
  const stored = new Float64Array(nodeCount);
  let shift = 0;
  const potential = (node: number) => stored[node] + shift;

  const distance = new Float64Array(nodeCount);
  const seen = new Int32Array(nodeCount);
  const done = new Int32Array(nodeCount);
  const parent = new Int32Array(nodeCount);
  let epoch = 0;
  const heap = new MinHeap();
  const finalized: number[] = [];

  for (let request = 0; request < requestCount; request += 1) {
    const first = rowStart[request];
    const last = rowStart[request + 1];
    if (first === last) continue;

    // A potential that makes the new request's edges non-negative in reduced cost.
    let best = -Infinity;
    for (let index = first; index < last; index += 1) {
      best = Math.max(best, potential(requestCount + edgeOffer[index]) + edgeWeight[index]);
    }
    stored[request] = best - shift;

    epoch += 1;
    finalized.length = 0;
    heap.clear();
    distance[request] = 0;
    seen[request] = epoch;
    parent[request] = -1;
    heap.push(0, request);
    let reached = -1;

    const relax = (from: number, to: number, cost: number) => {
      const candidate = distance[from] + cost + potential(from) - potential(to);
      if (seen[to] !== epoch || candidate < distance[to]) {
        seen[to] = epoch;
        distance[to] = candidate;
        parent[to] = from;
        heap.push(candidate, to);
      }
    };

    while (heap.size > 0) {
      const [nodeDistance, node] = heap.pop();
      if (done[node] === epoch || nodeDistance > distance[node]) continue;
      done[node] = epoch;
      finalized.push(node);
      if (node === terminal) {
        reached = node;
        break;
      }
      if (node < requestCount) {
        // request: to any other candidate offer; an assigned request may also be left unassigned
        const current = assigned[node];
        for (let index = rowStart[node]; index < rowStart[node + 1]; index += 1) {
          const offer = edgeOffer[index];
          if (offer === current) continue;
          const offerNode = requestCount + offer;
          if (done[offerNode] !== epoch) relax(node, offerNode, -edgeWeight[index]);
        }
        if (current >= 0 && done[terminal] !== epoch) relax(node, terminal, 0);
      } else {
        const offer = node - requestCount;
        if (holders[offer].length < problem.capacities[offer] && done[terminal] !== epoch) relax(node, terminal, 0);
        for (const holder of holders[offer]) {
          if (done[holder] !== epoch) relax(node, holder, assignedWeight[holder]);
        }
      }
    }
    if (reached < 0) continue;

    const total = distance[terminal];
    // Reduced costs stay non-negative: reached nodes move by their distance, all others by total.
    for (const node of finalized) stored[node] += distance[node] - total;
    shift += total;

    // The real cost of the cycle source -> request -> ... -> source; negative means a gain.
    const pathNodes: number[] = [];
    for (let node = terminal; node !== -1; node = parent[node]) pathNodes.push(node);
    pathNodes.reverse();
    let cost = 0;
    for (let index = 0; index + 1 < pathNodes.length; index += 1) {
      const from = pathNodes[index];
      const to = pathNodes[index + 1];
      if (to === terminal) break;
      if (from < requestCount) cost -= weightOf(from, to - requestCount);
      else cost += assignedWeight[to];
    }
    if (cost >= 0) continue;

    // Apply: every request -> offer step is a new assignment, every offer -> request step a release.
    const moves: Array<[number, number]> = [];
    for (let index = 0; index + 1 < pathNodes.length; index += 1) {
      const from = pathNodes[index];
      const to = pathNodes[index + 1];
      if (to === terminal) {
        if (from < requestCount) release(from);
        break;
      }
      if (from < requestCount) moves.push([from, to - requestCount]);
    }
    for (const [mover] of moves) release(mover);
    for (const [mover, offer] of moves) {
      assigned[mover] = offer;
      assignedWeight[mover] = weightOf(mover, offer);
      holders[offer].push(mover);
    }
  }
  return assigned;

  function weightOf(request: number, offer: number): number {
    for (let index = rowStart[request]; index < rowStart[request + 1]; index += 1) {
      if (edgeOffer[index] === offer) return edgeWeight[index];
    }
    throw new Error(`no edge from request ${request} to offer ${offer}`);
  }

  function release(request: number) {
    const offer = assigned[request];
    if (offer < 0) return;
    const list = holders[offer];
    list.splice(list.indexOf(request), 1);
    assigned[request] = -1;
    assignedWeight[request] = 0;
  }
}

/** Total weight of an assignment (for tests and reports). */
export function assignmentWeight(problem: AssignmentProblem, assigned: ArrayLike<number>): number {
  let total = 0;
  for (let request = 0; request < problem.requestCount; request += 1) {
    const offer = assigned[request];
    if (offer < 0) continue;
    let best = 0;
    for (const edge of problem.edges) if (edge.request === request && edge.offer === offer) best = Math.max(best, edge.weight);
    total += best;
  }
  return total;
}

// A binary heap of (key, value) ordered by key, then value: deterministic on ties.
class MinHeap {
  private keys: number[] = [];
  private values: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  clear() {
    this.keys.length = 0;
    this.values.length = 0;
  }

  push(key: number, value: number) {
    const keys = this.keys;
    const values = this.values;
    let index = keys.length;
    keys.push(key);
    values.push(value);
    while (index > 0) {
      const up = (index - 1) >> 1;
      if (keys[up] < key || (keys[up] === key && values[up] <= value)) break;
      keys[index] = keys[up];
      values[index] = values[up];
      index = up;
    }
    keys[index] = key;
    values[index] = value;
  }

  pop(): [number, number] {
    const keys = this.keys;
    const values = this.values;
    const top: [number, number] = [keys[0], values[0]];
    const lastKey = keys.pop() ?? 0;
    const lastValue = values.pop() ?? 0;
    const size = keys.length;
    if (size > 0) {
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        if (left >= size) break;
        const right = left + 1;
        let child = left;
        if (right < size && (keys[right] < keys[left] || (keys[right] === keys[left] && values[right] < values[left]))) child = right;
        if (keys[child] > lastKey || (keys[child] === lastKey && values[child] >= lastValue)) break;
        keys[index] = keys[child];
        values[index] = values[child];
        index = child;
      }
      keys[index] = lastKey;
      values[index] = lastValue;
    }
    return top;
  }
}
