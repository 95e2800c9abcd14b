/**
 * CSRF defence for every non-GET request: a browser names the page a request comes from in
 * Origin (or, from older browsers, Referer); one from another site is refused. Framework-neutral
 * so the express server can run it before Remix: it takes fetch `Headers` or node's header record.
 */

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

export type OriginCheckRequest = { method: string; headers: HeaderSource };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

function readHeader(headers: HeaderSource, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  // node lower-cases incoming header names
  const value = headers[name.toLowerCase()];
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
    return parsed.origin;
  } catch {
    return null;
  }
}

/**
 * True when a state-changing request comes from a page of another origin.
 *
 * `allowedOrigins`: the site's own origin(s), e.g. APP_URL. When none is configured the request's
 * own Host header is the reference (compared by host and port, the scheme being unknown behind a
 * proxy).
 *
 * A request with neither Origin nor Referer is let through: browsers send Origin with every
 * non-GET request, so such a request does not come from a browser page and cannot carry a
 * victim's cookies on another site's behalf (curl, scripts, health probes).
 */
export function isCrossOriginMutation(
  request: OriginCheckRequest,
  allowedOrigins?: string | readonly string[] | null,
): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return false;

  const originHeader = readHeader(request.headers, "Origin");
  const refererHeader = readHeader(request.headers, "Referer");
  let source: string | null;
  if (originHeader !== null && originHeader !== "") {
    // "null": sandboxed frames, data: URLs, some cross-origin redirects.
    if (originHeader === "null") return true;
    source = originOf(originHeader);
  } else if (refererHeader !== null && refererHeader !== "") {
    source = originOf(refererHeader);
  } else {
    return false;
  }
  if (source === null) return true;

  const allowed = (typeof allowedOrigins === "string" ? [allowedOrigins] : (allowedOrigins ?? []))
    .map((origin) => originOf(origin))
    .filter((origin): origin is string => origin !== null);
  if (allowed.length > 0) return !allowed.includes(source);

  const host = readHeader(request.headers, "Host");
  if (!host) return true;
  return new URL(source).host !== host.toLowerCase();
}
