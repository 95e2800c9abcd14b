// setupFiles of every project: an unexpected console.error fails the test that caused it.
// A test that expects one replaces the implementation, which also keeps the output quiet:
//   vi.mocked(console.error).mockImplementation(() => {});
import { afterEach, beforeEach, vi, type MockInstance } from "vitest";

let spy: MockInstance<typeof console.error> | undefined;
let unexpected: unknown[][] = [];

beforeEach(() => {
  unexpected = [];
  const original = console.error;
  spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    unexpected.push(args);
    original(...args);
  });
});

afterEach(() => {
  spy?.mockRestore();
  spy = undefined;
  const calls = unexpected;
  unexpected = [];
  if (calls.length === 0) return;
  const first = calls[0]?.map((argument) => (argument instanceof Error ? (argument.stack ?? argument.message) : String(argument))).join(" ");
  throw new Error(
    `console.error was called ${calls.length} time(s) during this test; the first call: ${first}\n` +
      "If the test expects it, replace it: vi.mocked(console.error).mockImplementation(() => {})",
  );
});
