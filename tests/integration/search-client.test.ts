// What travels between the app's search client and the test run's Meilisearch, read on the wire
// through a pass-through TCP relay: the client asks for uncompressed answers and gets them. A
// compressed answer is written in two packets and waits about 40 ms for a delayed ACK
// (decision record 017). Node's fetch asks for gzip unless told otherwise.
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createSearchClient } from "~search/client.server";

type Exchange = { request: string; response: string };
// One per connection: the client's request opens the first, the control its own.
const exchanges: Exchange[] = [];
const connections = new Set<net.Socket>();
let relay: net.Server;
let relayUrl: string;
const engine = new URL(process.env.MEILI_URL ?? "http://127.0.0.1:7700");
const apiKey = process.env.MEILI_MASTER_KEY ?? "";

beforeAll(async () => {
  relay = net.createServer((client) => {
    const exchange: Exchange = { request: "", response: "" };
    exchanges.push(exchange);
    const upstream = net.connect(Number(engine.port), engine.hostname);
    connections.add(client).add(upstream);
    client.on("data", (chunk) => {
      exchange.request += chunk.toString("latin1");
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      exchange.response += chunk.toString("latin1");
      client.write(chunk);
    });
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  const { port } = relay.address() as net.AddressInfo;
  relayUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  // The client keeps its connection alive; closing the relay would wait for it.
  for (const connection of connections) connection.destroy();
  await new Promise<void>((resolve) => relay.close(() => resolve()));
});

/** Header lines (lower-cased names) of every HTTP message in a recorded stream. */
function headerValues(stream: string, name: string): string[] {
  const pattern = new RegExp(`^${name}:\\s*(.*)$`, "gim");
  return [...stream.matchAll(pattern)].map((match) => match[1].trim().toLowerCase());
}

/** A request of its own connection that asks for gzip, as Node's fetch and browsers do. */
function requestAskingForGzip(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${relayUrl}${path}`, { agent: false, headers: { Authorization: `Bearer ${apiKey}`, "Accept-Encoding": "gzip, deflate" } }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.on("error", reject);
  });
}

test("the app's search client asks Meilisearch for identity encoding and gets uncompressed answers, where asking for gzip gets gzip", async () => {
  const stats = await createSearchClient({ host: relayUrl, apiKey }).getStats();
  expect(stats.databaseSize).toBeGreaterThan(0);
  expect(await requestAskingForGzip("/stats")).toBe(200);

  expect(exchanges).toHaveLength(2);
  const [ours, control] = exchanges;
  expect(headerValues(ours.request, "accept-encoding")).toEqual(["identity"]);
  expect(headerValues(ours.response, "content-encoding")).toEqual([]);
  // The control shows the engine would have compressed the same answer.
  expect(headerValues(control.response, "content-encoding")).toEqual(["gzip"]);
});
