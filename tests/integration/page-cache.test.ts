// The anonymous page cache in front of Remix: a kept page is only ever sent to another anonymous
// visitor of the same URL and language, with that response's own CSP nonce, and only while the
// search indexes it showed are unchanged. An express app stands in for Remix behind it (the
// page's content is a counter of how often it was really rendered); the versions are the test
// run's real Meilisearch indexes.
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createCspNonce } from "~/utils/security-headers.server";
import { createAnonymousPageCache } from "~/utils/page-cache.server";
import { getSearchClient, indexUid } from "~search/client.server";
import { indexesVersion } from "~search/results-cache.server";
import { applySearchSettings } from "~search/settings";
import { waitForSucceededTask } from "~search/tasks.server";

let baseUrl: string;
let close: () => Promise<void>;
let renders = 0;
let versionFails = false;
// A document the test adds to the requests index (a draft, so no search shows it) and removes.
const plantedId = randomUUID();

beforeAll(async () => {
  await applySearchSettings();
  const app = express();
  app.use((_request, response, next) => {
    const nonce = createCspNonce();
    response.locals.cspNonce = nonce;
    response.set("Content-Security-Policy", `script-src 'nonce-${nonce}'`);
    next();
  });
  app.use(
    createAnonymousPageCache({
      versions: {
        "/search": () => (versionFails ? Promise.reject(new Error("engine down")) : indexesVersion([indexUid("offers"), indexUid("requests")])),
      },
      allowedCookies: ["enlace_lng", "enlace_tz"],
      maxPages: 50,
      nonceOf: (response) => response.locals.cspNonce as string,
    }),
  );
  // Stands in for Remix: a page that shows its nonce, the language cookie and a render count.
  app.get("/search", (request, response) => {
    renders += 1;
    const nonce = String(response.locals.cspNonce);
    if (request.query.status) response.status(Number(request.query.status));
    if (request.query.setCookie) response.append("Set-Cookie", "enlace_flash=; Path=/");
    response.type("html");
    response.write(`<!DOCTYPE html><html><body><p>render ${renders} ${String(request.headers.cookie ?? "")}</p>`);
    response.end(`<script nonce="${nonce}">start()</script></body></html>`);
  });
  app.get("/other", (_request, response) => {
    renders += 1;
    response.type("html").send(`<p>render ${renders}</p>`);
  });
  const server = app.listen(0);
  await new Promise((resolve) => server.once("listening", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});

afterAll(async () => {
  await close();
});

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}${path}`, { headers });
  const body = await response.text();
  const headerNonce = /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy") ?? "")?.[1];
  const bodyNonce = /nonce="([^"]+)"/.exec(body)?.[1];
  return { status: response.status, body, headerNonce, bodyNonce, servedBy: response.headers.get("server-timing") };
}

const withoutNonce = (body: string) => body.replace(/nonce="[^"]+"/g, 'nonce=""');

test("an anonymous visitor gets the kept page, with the nonce of their own response", async () => {
  const first = await get("/search?q=kept");
  const again = await get("/search?q=kept");
  expect(again.servedBy).toBe('page;desc="page-cache"');
  expect(withoutNonce(again.body)).toBe(withoutNonce(first.body));
  expect(again.bodyNonce).toBe(again.headerNonce);
  expect(again.bodyNonce).not.toBe(first.bodyNonce);
});

test("a visitor with any other cookie (a session) is never sent a kept page, nor is one kept from them", async () => {
  await get("/search?q=session");
  const kept = await get("/search?q=session");
  expect(kept.servedBy).toContain("page-cache");
  const signedIn = await get("/search?q=session", { Cookie: "enlace_session=abc; enlace_lng=es" });
  expect(signedIn.servedBy).toBeNull();
  expect(signedIn.body).toContain("enlace_session=abc");
  const signedInAgain = await get("/search?q=session", { Cookie: "enlace_session=abc; enlace_lng=es" });
  expect(signedInAgain.servedBy).toBeNull();
  // And the signed-in page did not become the anonymous one.
  expect((await get("/search?q=session")).body).not.toContain("enlace_session");
});

test("each language (cookie or Accept-Language) and each URL has its own page", async () => {
  const english = await get("/search?q=lang", { Cookie: "enlace_lng=en" });
  const spanish = await get("/search?q=lang", { Cookie: "enlace_lng=es" });
  expect(spanish.servedBy).toBeNull();
  expect(spanish.body).toContain("enlace_lng=es");
  const spanishAgain = await get("/search?q=lang", { Cookie: "enlace_lng=es" });
  expect(spanishAgain.servedBy).toContain("page-cache");
  expect(withoutNonce(spanishAgain.body)).toBe(withoutNonce(spanish.body));
  const englishAgain = await get("/search?q=lang", { Cookie: "enlace_lng=en" });
  expect(withoutNonce(englishAgain.body)).toBe(withoutNonce(english.body));
  expect((await get("/search?q=lang", { "Accept-Language": "pt-BR" })).servedBy).toBeNull();
  expect((await get("/search?q=other-words", { Cookie: "enlace_lng=en" })).servedBy).toBeNull();
});

test("responses that set a cookie, errors and pages without a version are not kept", async () => {
  await get("/search?q=flash&setCookie=1");
  expect((await get("/search?q=flash&setCookie=1")).servedBy).toBeNull();
  await get("/search?q=missing&status=404");
  expect((await get("/search?q=missing&status=404")).servedBy).toBeNull();
  const before = renders;
  await get("/other");
  await get("/other");
  expect(renders).toBe(before + 2);
});

test("a change to a search index retires the kept pages; when the version cannot be read the app answers", async () => {
  await get("/search?q=change");
  expect((await get("/search?q=change")).servedBy).toContain("page-cache");
  await waitForSucceededTask(getSearchClient(), getSearchClient().index(indexUid("requests")).addDocuments([{ id: plantedId, status: "draft", stale: false }], { primaryKey: "id" }));
  const afterChange = await get("/search?q=change");
  expect(afterChange.servedBy).toBeNull();
  expect((await get("/search?q=change")).servedBy).toContain("page-cache");

  versionFails = true;
  try {
    const before = renders;
    const answered = await get("/search?q=change");
    expect(answered.status).toBe(200);
    expect(answered.servedBy).toBeNull();
    expect(renders).toBe(before + 1);
  } finally {
    versionFails = false;
    await waitForSucceededTask(getSearchClient(), getSearchClient().index(indexUid("requests")).deleteDocument(plantedId));
  }
});
