import fc from "fast-check";
import { expect, test } from "vitest";
import { assignmentWeight, solveAssignment, type AssignmentProblem } from "~/matching/assignment";
import { recommend } from "~/matching/engine";

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

test("recommendations never exceed remaining capacity, and prefer a shared working language over any score", () => {
  const candidate = fc.record({
    offer: fc.integer({ min: 0, max: 4 }),
    score: fc.double({ min: 0.01, max: 100, noNaN: true }),
    sharedLanguage: fc.boolean(),
  });
  fc.assert(
    fc.property(
      fc.array(fc.uniqueArray(candidate, { selector: (entry) => entry.offer, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
      fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 5, maxLength: 5 }),
      (candidateLists, capacities) => {
        const requests = candidateLists.map((candidates, index) => ({
          requestId: `r${index}`,
          candidates: candidates.map((entry) => ({ offerId: `o${entry.offer}`, score: entry.score, sharedLanguage: entry.sharedLanguage })),
          current: null,
        }));
        const remainingCapacity = new Map(capacities.map((capacity, offer) => [`o${offer}`, capacity]));

        const chosen = recommend({ requests, remainingCapacity });

        const load = new Map<string, number>();
        for (const [requestId, offerId] of chosen) {
          const request = requests.find((entry) => entry.requestId === requestId);
          expect(request?.candidates.some((entry) => entry.offerId === offerId)).toBe(true);
          load.set(offerId, (load.get(offerId) ?? 0) + 1);
        }
        for (const [offerId, count] of load) expect(count).toBeLessThanOrEqual(remainingCapacity.get(offerId) ?? 0);
        // No request left with a cross-language pairing while one of its shared-language
        // candidates still has a free place.
        for (const request of requests) {
          const offerId = chosen.get(request.requestId);
          const pick = request.candidates.find((entry) => entry.offerId === offerId);
          if (pick && pick.sharedLanguage) continue;
          for (const entry of request.candidates.filter((option) => option.sharedLanguage)) {
            expect((load.get(entry.offerId) ?? 0) >= (remainingCapacity.get(entry.offerId) ?? 0)).toBe(true);
          }
        }
      }
    ),
    { numRuns: 500 }
  );
});
