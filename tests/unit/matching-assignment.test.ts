import fc from "fast-check";
import { expect, test } from "vitest";
import { assignmentWeight, solveAssignment, type AssignmentProblem } from "~/matching/assignment";

// Every feasible assignment, exhaustively: each request takes one of its edges or none.
function bruteForceBest(problem: AssignmentProblem): number {
  const byRequest = Array.from({ length: problem.requestCount }, (_, request) => problem.edges.filter((edge) => edge.request === request));
  const load = problem.capacities.map(() => 0);
  let best = 0;
  function visit(request: number, total: number) {
    if (request === problem.requestCount) {
      best = Math.max(best, total);
      return;
    }
    visit(request + 1, total);
    for (const edge of byRequest[request]) {
      if (load[edge.offer] >= problem.capacities[edge.offer]) continue;
      load[edge.offer] += 1;
      visit(request + 1, total + edge.weight);
      load[edge.offer] -= 1;
    }
  }
  visit(0, 0);
  return best;
}

function loads(problem: AssignmentProblem, assigned: Int32Array): number[] {
  const counts = problem.capacities.map(() => 0);
  for (const offer of assigned) if (offer >= 0) counts[offer] += 1;
  return counts;
}

const smallProblem = fc
  .record({ requestCount: fc.integer({ min: 1, max: 7 }), offerCount: fc.integer({ min: 1, max: 4 }) })
  .chain(({ requestCount, offerCount }) =>
    fc.record({
      requestCount: fc.constant(requestCount),
      capacities: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: offerCount, maxLength: offerCount }),
      edges: fc.uniqueArray(
        fc.record({
          request: fc.integer({ min: 0, max: requestCount - 1 }),
          offer: fc.integer({ min: 0, max: offerCount - 1 }),
          weight: fc.integer({ min: 1, max: 20 }),
        }),
        { selector: (edge) => `${edge.request}:${edge.offer}`, maxLength: requestCount * offerCount }
      ),
    })
  );

test("the assignment reaches the brute-force optimum on small generated cases", () => {
  fc.assert(
    fc.property(smallProblem, (problem) => {
      const assigned = solveAssignment(problem);
      expect(assignmentWeight(problem, assigned)).toBe(bruteForceBest(problem));
    }),
    { numRuns: 2000 }
  );
});

test("the assignment never exceeds an offer's capacity and only uses candidate edges", () => {
  fc.assert(
    fc.property(smallProblem, (problem) => {
      const assigned = solveAssignment(problem);
      const counts = loads(problem, assigned);
      counts.forEach((count, offer) => expect(count).toBeLessThanOrEqual(problem.capacities[offer]));
      assigned.forEach((offer, request) => {
        if (offer >= 0) expect(problem.edges.some((edge) => edge.request === request && edge.offer === offer)).toBe(true);
      });
    }),
    { numRuns: 1000 }
  );
});

test("capacity holds on large generated cases with scarce capacity", () => {
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const requestCount = 3000;
  const offerCount = 400;
  const capacities = Array.from({ length: offerCount }, () => Math.floor(random() * 3));
  const edges = [];
  for (let request = 0; request < requestCount; request += 1) {
    for (let k = 0; k < 20; k += 1)
      edges.push({ request, offer: Math.floor(random() * offerCount), weight: 1 + Math.floor(random() * 10_000) });
  }
  const problem = { requestCount, capacities, edges };

  const assigned = solveAssignment(problem);

  loads(problem, assigned).forEach((count, offer) => expect(count).toBeLessThanOrEqual(capacities[offer]));
  const places = capacities.reduce((sum, capacity) => sum + capacity, 0);
  expect([...assigned].filter((offer) => offer >= 0).length).toBeLessThanOrEqual(places);
});

test("a request keeps its best offer when nobody competes for it, and gives way when that raises the total", () => {
  const uncontested = solveAssignment({
    requestCount: 2,
    capacities: [1, 1],
    edges: [
      { request: 0, offer: 0, weight: 9 },
      { request: 1, offer: 1, weight: 5 },
    ],
  });
  expect([...uncontested]).toEqual([0, 1]);

  // Both prefer offer 0 (one place); request 0 has a good second choice, request 1 has none.
  const contested = solveAssignment({
    requestCount: 2,
    capacities: [1, 1],
    edges: [
      { request: 0, offer: 0, weight: 10 },
      { request: 0, offer: 1, weight: 8 },
      { request: 1, offer: 0, weight: 9 },
    ],
  });
  expect([...contested]).toEqual([1, 0]);
});
