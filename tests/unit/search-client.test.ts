import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createSearchClient } from "~search/client.server";

// A stand-in that records what the client sends; Meilisearch itself is exercised by the
// integration tests. What matters here is a header Meilisearch cannot tell us it received.
const received: http.IncomingHttpHeaders[] = [];
const server = http.createServer((request, response) => {
  received.push(request.headers);
  response.setHeader("Content-Type", "application/json");
  response.end(JSON.stringify({ status: "available" }));
});

beforeAll(() => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve)));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test("the search client asks for uncompressed answers (a compressed one stalls 40 ms on delayed ACK)", async () => {
  const { port } = server.address() as AddressInfo;
  const client = createSearchClient({ host: `http://127.0.0.1:${port}`, apiKey: "key" });
  await expect(client.health()).resolves.toEqual({ status: "available" });
  expect(received.at(-1)?.["accept-encoding"]).toBe("identity");
  expect(received.at(-1)?.authorization).toBe("Bearer key");
});
