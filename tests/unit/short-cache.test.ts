import { afterEach, expect, test, vi } from "vitest";
import { cachedFor, clearShortCache } from "~/utils/short-cache.server";

afterEach(() => {
  clearShortCache();
  vi.useRealTimers();
});

test("a figure is computed once within its time to live, and concurrent readers share the query in flight", async () => {
  let computed = 0;
  const compute = async () => {
    computed += 1;
    return computed;
  };
  const [first, second] = await Promise.all([cachedFor("figure", 10_000, compute), cachedFor("figure", 10_000, compute)]);
  expect([first, second]).toEqual([1, 1]);
  expect(await cachedFor("figure", 10_000, compute)).toBe(1);
  expect(computed).toBe(1);
});

test("a figure is computed again once its time to live has passed", async () => {
  vi.useFakeTimers({ now: new Date("2026-11-23T12:00:00Z") });
  let computed = 0;
  const compute = async () => ++computed;
  expect(await cachedFor("expiring", 10_000, compute)).toBe(1);
  vi.setSystemTime(new Date("2026-11-23T12:00:09Z"));
  expect(await cachedFor("expiring", 10_000, compute)).toBe(1);
  vi.setSystemTime(new Date("2026-11-23T12:00:11Z"));
  expect(await cachedFor("expiring", 10_000, compute)).toBe(2);
});

test("a failure is not remembered: the next reader computes again", async () => {
  let attempts = 0;
  const flaky = async () => {
    attempts += 1;
    if (attempts === 1) throw new Error("database unavailable");
    return "figure";
  };
  await expect(cachedFor("flaky", 10_000, flaky)).rejects.toThrow("database unavailable");
  expect(await cachedFor("flaky", 10_000, flaky)).toBe("figure");
  expect(attempts).toBe(2);
});
