import { expect, test } from "vitest";
import { isCrossOriginMutation } from "~/auth/origin.server";

const APP = "https://enlace.example.org";

function request(method: string, headers: Record<string, string>) {
  return { method, headers: new Headers(headers) };
}

test("safe methods are never refused, whatever their origin", () => {
  for (const method of ["GET", "HEAD", "OPTIONS", "get"]) {
    expect(isCrossOriginMutation(request(method, { Origin: "https://evil.example" }), APP)).toBe(false);
  }
});

test("a POST from the site's own origin passes; from another origin, scheme or port it is refused", () => {
  expect(isCrossOriginMutation(request("POST", { Origin: APP }), APP)).toBe(false);
  expect(isCrossOriginMutation(request("POST", { Origin: "https://evil.example" }), APP)).toBe(true);
  expect(isCrossOriginMutation(request("POST", { Origin: "http://enlace.example.org" }), APP)).toBe(true);
  expect(isCrossOriginMutation(request("POST", { Origin: "https://enlace.example.org:8443" }), APP)).toBe(true);
  expect(isCrossOriginMutation(request("POST", { Origin: "https://sub.enlace.example.org" }), APP)).toBe(true);
  for (const method of ["PUT", "PATCH", "DELETE"]) {
    expect(isCrossOriginMutation(request(method, { Origin: "https://evil.example" }), APP)).toBe(true);
  }
});

test("an opaque origin ('null') or an unparsable one is refused", () => {
  expect(isCrossOriginMutation(request("POST", { Origin: "null" }), APP)).toBe(true);
  expect(isCrossOriginMutation(request("POST", { Origin: "not a url" }), APP)).toBe(true);
  expect(isCrossOriginMutation(request("POST", { Origin: "file:///etc/passwd" }), APP)).toBe(true);
});

test("without Origin the Referer decides", () => {
  expect(isCrossOriginMutation(request("POST", { Referer: `${APP}/offers/new` }), APP)).toBe(false);
  expect(isCrossOriginMutation(request("POST", { Referer: "https://evil.example/page" }), APP)).toBe(true);
});

test("Origin wins over Referer", () => {
  expect(isCrossOriginMutation(request("POST", { Origin: "https://evil.example", Referer: `${APP}/` }), APP)).toBe(true);
});

test("a request with neither header (not from a browser page) passes", () => {
  expect(isCrossOriginMutation(request("POST", {}), APP)).toBe(false);
});

test("any of several allowed origins passes, and the configured URL's path is ignored", () => {
  const allowed = ["https://enlace.example.org/", "http://localhost:3000"];
  expect(isCrossOriginMutation(request("POST", { Origin: "http://localhost:3000" }), allowed)).toBe(false);
  expect(isCrossOriginMutation(request("POST", { Origin: APP }), allowed)).toBe(false);
  expect(isCrossOriginMutation(request("POST", { Origin: "http://localhost:3001" }), allowed)).toBe(true);
});

test("without a configured origin the Host header is the reference", () => {
  expect(isCrossOriginMutation(request("POST", { Origin: "http://localhost:3000", Host: "localhost:3000" }))).toBe(false);
  expect(isCrossOriginMutation(request("POST", { Origin: "http://evil.example", Host: "localhost:3000" }))).toBe(true);
  expect(isCrossOriginMutation(request("POST", { Origin: "http://localhost:3000" }), [])).toBe(true);
});

test("node's lower-cased header record (express req.headers) works like fetch Headers", () => {
  expect(isCrossOriginMutation({ method: "POST", headers: { origin: "https://evil.example" } }, APP)).toBe(true);
  expect(isCrossOriginMutation({ method: "POST", headers: { origin: APP } }, APP)).toBe(false);
  expect(isCrossOriginMutation({ method: "POST", headers: { referer: ["https://evil.example/"] } }, APP)).toBe(true);
});
