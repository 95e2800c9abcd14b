import { expect, test } from "vitest";
import { contentSecurityPolicy, createCspNonce, securityHeaders } from "~/utils/security-headers.server";

test("the policy allows scripts only from the site and with the response's nonce, styles only from files and style attributes", () => {
  const policy = contentSecurityPolicy({ nonce: "abc123", mode: "production" });
  expect(policy).toBe(
    "default-src 'self'; script-src 'self' 'nonce-abc123'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
  );
});

test("the dev server's websocket is allowed in development only; HSTS is sent in production only", () => {
  expect(contentSecurityPolicy({ nonce: "n", mode: "development" })).toContain("connect-src 'self' ws://localhost:* ws://127.0.0.1:*");
  expect(contentSecurityPolicy({ nonce: "n", mode: "production" })).toContain("connect-src 'self';");
  expect(securityHeaders({ nonce: "n", mode: "production" })["Strict-Transport-Security"]).toBe("max-age=31536000; includeSubDomains");
  expect(securityHeaders({ nonce: "n", mode: "development" })["Strict-Transport-Security"]).toBeUndefined();
  expect(securityHeaders({ nonce: "n", mode: "test" })["Strict-Transport-Security"]).toBeUndefined();
});

test("every nonce is new: 16 random bytes", () => {
  const nonces = new Set(Array.from({ length: 200 }, () => createCspNonce()));
  expect(nonces.size).toBe(200);
  for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
});
