import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { driveOpenLoad, measureCapacity } from "../bench/open-load";

// The load benchmark's generator must spread requests evenly (autocannon's rate limit sends
// each second's requests in one burst) and must time each from when it was due.
describe("open-model load generator", () => {
  const arrivals: number[] = [];
  let server: http.Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      arrivals.push(performance.now());
      const delay = request.url?.startsWith("/slow") ? 30 : 0;
      setTimeout(() => response.writeHead(request.url?.startsWith("/missing") ? 404 : 200).end("ok"), delay);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("starts requests one interval apart, not in bursts", async () => {
    arrivals.length = 0;
    const result = await driveOpenLoad({ baseUrl, nextPath: () => "/", ratePerSecond: 200, seconds: 1 });
    expect(result.requests).toBe(200);
    expect(arrivals).toHaveLength(200);
    expect(result.errors + result.non2xx).toBe(0);
    // 200 per second spread over the second puts about 50 in each quarter of it; a burst would
    // put all 200 in the first. (Quarters, not finer windows: on a busy machine a late timer
    // releases the overdue requests together, by design, which a 50 ms window mistakes for a burst.)
    const quarters = [0, 0, 0, 0];
    for (const arrival of arrivals) quarters[Math.min(3, Math.floor((arrival - arrivals[0]) / 250))] += 1;
    for (const count of quarters) {
      expect(count).toBeGreaterThanOrEqual(20);
      expect(count).toBeLessThanOrEqual(80);
    }
    expect(arrivals.at(-1)! - arrivals[0]).toBeGreaterThan(900);
  });

  it("times each request from its due start and counts non-2xx answers", async () => {
    const slow = await driveOpenLoad({ baseUrl, nextPath: () => "/slow", ratePerSecond: 50, seconds: 0.4 });
    expect(slow.latencies).toHaveLength(20);
    expect(slow.latencies[0]).toBeGreaterThanOrEqual(29);
    const missing = await driveOpenLoad({ baseUrl, nextPath: () => "/missing", ratePerSecond: 50, seconds: 0.2 });
    expect(missing.non2xx).toBe(10);
  });

  it("measures capacity with clients sending back-to-back", async () => {
    // Two clients on a page answered in 30 ms: at most about 66 per second, never more.
    const slow = await measureCapacity({ baseUrl, nextPath: () => "/slow", concurrency: 2, seconds: 1 });
    expect(slow.failures).toBe(0);
    expect(slow.requestsPerSecond).toBeGreaterThan(20);
    expect(slow.requestsPerSecond).toBeLessThan(70);
    const missing = await measureCapacity({ baseUrl, nextPath: () => "/missing", concurrency: 1, seconds: 0.2 });
    expect(missing.requestsPerSecond).toBe(0);
    expect(missing.failures).toBeGreaterThan(0);
  });

  it("counts a server that does not answer as errors", async () => {
    const closed = await driveOpenLoad({ baseUrl: "http://127.0.0.1:1", nextPath: () => "/", ratePerSecond: 50, seconds: 0.1 });
    expect(closed.errors).toBe(5);
    expect(closed.latencies).toHaveLength(0);
    expect(closed.throughputPerSecond).toBe(0);
  });
});
