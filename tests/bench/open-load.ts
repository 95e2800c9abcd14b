/**
 * An open-model load generator: requests start at a constant arrival rate, one every 1/rate
 * seconds, whether or not earlier ones have answered, as visitors arrive at a site. Latency is
 * measured from when a request was due to start, so a generator that falls behind counts against
 * the server, never for it (no coordinated omission).
 *
 * Why not autocannon's `overallRate`: it lets each connection send its share of a second
 * back-to-back at the top of every second and then pause, so "100 requests per second" arrives
 * as a burst of 20 concurrent requests each second. That measures burst queueing, not a page at
 * a steady 100 requests per second (decision record 016).
 *
 * `measureCapacity` is the closed model, for the other question: how many requests per second
 * a page can be served at all, with a few clients each sending the next as soon as one answers.
 */
import http from "node:http";

export type OpenLoadResult = {
  /** Requests started. */
  requests: number;
  /** Requests answered (any status) per second, from the first start to the last answer. */
  throughputPerSecond: number;
  /** Milliseconds from each request's due start to the end of its response, sorted. */
  latencies: number[];
  /** Network failures and timeouts. */
  errors: number;
  non2xx: number;
  /** How late the generator started requests (ms, worst case): a check that it kept the rate. */
  maxStartDelayMs: number;
};

/** One GET, body drained: its status, or null when it failed or timed out. */
function getStatus({
  baseUrl,
  path,
  agent,
  headers,
  timeoutMs,
  onResponse,
}: {
  baseUrl: string;
  path: string;
  agent: http.Agent;
  headers: Record<string, string>;
  timeoutMs: number;
  onResponse?: (headers: http.IncomingHttpHeaders) => void;
}): Promise<number | null> {
  return new Promise((resolve) => {
    const request = http.get(new URL(path, baseUrl), { agent, headers, timeout: timeoutMs }, (response) => {
      onResponse?.(response.headers);
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
      response.on("error", () => resolve(null));
    });
    request.on("timeout", () => request.destroy(new Error("timeout")));
    request.on("error", () => resolve(null));
  });
}

export async function driveOpenLoad({
  baseUrl,
  nextPath,
  headers = {},
  ratePerSecond,
  seconds,
  timeoutMs = 10_000,
  onResponse,
}: {
  baseUrl: string;
  nextPath: () => string;
  headers?: Record<string, string>;
  ratePerSecond: number;
  seconds: number;
  timeoutMs?: number;
  /** Sees each response's headers (e.g. to count which part of the app answered). */
  onResponse?: (headers: http.IncomingHttpHeaders) => void;
}): Promise<OpenLoadResult> {
  if (!(ratePerSecond > 0) || !(seconds > 0)) throw new Error("ratePerSecond and seconds must be positive");
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const total = Math.round(ratePerSecond * seconds);
  const intervalMs = 1000 / ratePerSecond;
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let maxStartDelayMs = 0;
  const inFlight: Array<Promise<void>> = [];

  const send = async (path: string, dueAt: number) => {
    const status = await getStatus({ baseUrl, path, agent, headers, timeoutMs, onResponse });
    if (status === null) {
      errors += 1;
      return;
    }
    latencies.push(performance.now() - dueAt);
    if (status < 200 || status >= 300) non2xx += 1;
  };

  const started = performance.now();
  for (let index = 0; index < total; index += 1) {
    const dueAt = started + index * intervalMs;
    const wait = dueAt - performance.now();
    // Timers fire late by a millisecond or so; each start is scheduled from the first, so lateness never accumulates.
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    maxStartDelayMs = Math.max(maxStartDelayMs, performance.now() - dueAt);
    inFlight.push(send(nextPath(), dueAt));
  }
  await Promise.all(inFlight);
  const elapsedSeconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { requests: total, throughputPerSecond: latencies.length / elapsedSeconds, latencies, errors, non2xx, maxStartDelayMs };
}

/** Requests per second answered with `concurrency` clients sending back-to-back for `seconds`. */
export async function measureCapacity({
  baseUrl,
  nextPath,
  headers = {},
  concurrency,
  seconds,
}: {
  baseUrl: string;
  nextPath: () => string;
  headers?: Record<string, string>;
  concurrency: number;
  seconds: number;
}): Promise<{ requestsPerSecond: number; failures: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let answered = 0;
  let failures = 0;
  const client = async () => {
    while (performance.now() < deadline) {
      const status = await getStatus({ baseUrl, path: nextPath(), agent, headers, timeoutMs: 10_000 });
      const ok = status !== null && status >= 200 && status < 300;
      if (ok) answered += 1;
      else failures += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  agent.destroy();
  return { requestsPerSecond: answered / ((performance.now() - started) / 1000), failures };
}
