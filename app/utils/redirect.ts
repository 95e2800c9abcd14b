const SITE = "http://site.invalid";

/**
 * Only same-site paths: a crafted `redirectTo=//evil.example` must not leave the site. The path
 * comes back percent-encoded, since a Location header can only carry ASCII.
 */
export function safeRedirectPath(target: unknown, fallback = "/"): string {
  if (typeof target !== "string" || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) {
    return fallback;
  }
  const url = new URL(target, SITE);
  if (url.origin !== SITE) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
