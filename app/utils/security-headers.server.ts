/**
 * The security headers of every response: a Content-Security-Policy whose scripts need a nonce
 * minted for that one response, HSTS in production, and the small headers that turn off
 * features the site never uses. Framework-neutral so the express server applies it before Remix
 * and the tests can read the policy without a server. See docs/decisions/009-security-headers.md.
 */
import { randomBytes } from "node:crypto";

export type SecurityHeaderOptions = {
  nonce: string;
  mode: "development" | "production" | "test";
};

/** 128 bits from the CSPRNG, base64: fresh for every response, so an attacker cannot predict it. */
export function createCspNonce(): string {
  return randomBytes(16).toString("base64");
}

export function contentSecurityPolicy({ nonce, mode }: SecurityHeaderOptions): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    // Remix's inline scripts (hydration data, route modules, scroll restoration) carry the nonce.
    "script-src": ["'self'", `'nonce-${nonce}'`],
    // No inline <style> elements and no inline scripts; but style="" attributes are allowed: the
    // staff pages preview e-mails in sandboxed srcdoc frames, which inherit this policy (even after
    // a client-side navigation from any page), and mail HTML can only be styled with attributes.
    // Attributes hold no selectors, so they cannot read the page. Decision 009.
    "style-src": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    // `remix dev` pushes rebuilds to the page over a websocket on another port.
    "connect-src": mode === "development" ? ["'self'", "ws://localhost:*", "ws://127.0.0.1:*"] : ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "object-src": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(" ")}`)
    .join("; ");
}

export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Security-Policy": contentSecurityPolicy(options),
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Content-Type-Options": "nosniff",
    // Older browsers that ignore frame-ancestors.
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  // Only production runs behind HTTPS; HSTS on a developer's localhost would pin it to HTTPS.
  if (options.mode === "production") headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  return headers;
}

/** The nonce the server minted for this request, handed through Remix's load context. */
export function cspNonceFrom(loadContext: unknown): string | undefined {
  if (typeof loadContext !== "object" || loadContext === null || !("cspNonce" in loadContext)) return undefined;
  const { cspNonce } = loadContext;
  return typeof cspNonce === "string" ? cspNonce : undefined;
}
