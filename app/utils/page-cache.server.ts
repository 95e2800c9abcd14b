/**
 * Anonymous visitors' pages whose content follows only the URL, the language and a version of the
 * data they show are kept in memory and sent again while that version holds (decision record 018).
 *
 * The search page costs about 12 ms of this process's CPU to render and 10-20 ms of Meilisearch's
 * to compute; a kept copy costs a lookup and a string replacement. What makes a copy safe to send
 * to someone else:
 * - only requests that carry no cookie but the language and time-zone choices are served or
 *   stored, so no signed-in page (and no flash message) is ever kept;
 * - only 200 HTML responses that set no cookie are stored;
 * - the key holds the URL, those two cookies, the Accept-Language header, the data's version (for
 *   search, the version of each index: search/results-cache.server.ts) and the minute (pages show
 *   the clock: stale flags, "updated 3 days ago");
 * - each response still gets its own CSP nonce: the copy's nonce, 128 random bits minted for the
 *   response it was taken from, is replaced with the new one.
 * When the version cannot be read (Meilisearch down), the request goes to the app as usual.
 */
import { parse as parseCookies } from "cookie";
import type { NextFunction, Request, Response } from "express";
import { LRUCache } from "lru-cache";

type KeptPage = { body: string; nonce: string; headers: Record<string, string> };

// Headers of the kept response that describe its content; the security headers (with the new
// nonce) are set for every response before this middleware runs.
const KEPT_HEADERS = ["content-type", "cache-control", "vary", "content-language"];
const CLOCK_BUCKET_MS = 60_000;
// A page larger than this is not worth the memory.
const MAX_PAGE_BYTES = 512 * 1024;

export type PageCacheOptions = {
  /** Path (without query) → the version of the data that page shows. */
  versions: Record<string, () => Promise<string>>;
  /** Cookies that may accompany a kept page (they are part of the key). */
  allowedCookies: string[];
  /** Pages kept per process; 0 turns the cache off. */
  maxPages: number;
  /** The response's CSP nonce, minted by an earlier middleware. */
  nonceOf: (response: Response) => string | undefined;
  /** Which part answered, for the Server-Timing header of a kept page. */
  serverTimingName?: string;
};

export function createAnonymousPageCache({ versions, allowedCookies, maxPages, nonceOf, serverTimingName = "page" }: PageCacheOptions) {
  const pages = maxPages > 0 ? new LRUCache<string, KeptPage>({ max: maxPages, ttl: 10 * 60_000 }) : undefined;

  function cookieKey(request: Request): string[] | undefined {
    const header = request.headers.cookie;
    if (!header) return [];
    const cookies = parseCookies(header);
    if (Object.keys(cookies).some((name) => !allowedCookies.includes(name))) return undefined;
    return allowedCookies.map((name) => cookies[name] ?? "");
  }

  return async function anonymousPageCache(request: Request, response: Response, next: NextFunction) {
    const version = pages && request.method === "GET" ? versions[request.path] : undefined;
    const cookies = version ? cookieKey(request) : undefined;
    const nonce = nonceOf(response);
    if (!pages || !version || !cookies || !nonce) return next();
    let key: string;
    try {
      key = JSON.stringify([await version(), Math.floor(Date.now() / CLOCK_BUCKET_MS), request.originalUrl, cookies, request.headers["accept-language"] ?? ""]);
    } catch {
      return next();
    }
    const kept = pages.get(key);
    if (kept) {
      response.status(200).set(kept.headers).set("Server-Timing", `${serverTimingName};desc="page-cache"`);
      response.send(kept.body.replaceAll(kept.nonce, nonce));
      return;
    }
    keepWhatIsSent(response, (body) => {
      if (response.statusCode !== 200 || response.getHeader("set-cookie") !== undefined) return;
      if (!String(response.getHeader("content-type") ?? "").startsWith("text/html")) return;
      if (body.length > MAX_PAGE_BYTES) return;
      const headers: Record<string, string> = {};
      for (const name of KEPT_HEADERS) {
        const value = response.getHeader(name);
        if (value !== undefined) headers[name] = String(value);
      }
      pages.set(key, { body: body.toString("utf8"), nonce, headers });
    });
    next();
  };
}

/** Calls `onEnd` with the whole body the app wrote (uncompressed: this runs inside compression). */
function keepWhatIsSent(response: Response, onEnd: (body: Buffer) => void) {
  const chunks: Buffer[] = [];
  let size = 0;
  const write = response.write.bind(response) as (...args: unknown[]) => boolean;
  const end = response.end.bind(response) as (...args: unknown[]) => Response;
  const collect = (chunk: unknown, encoding: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === "function" || size > MAX_PAGE_BYTES) return;
    const buffer = Buffer.isBuffer(chunk) ? chunk : typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8") : Buffer.from(chunk as Uint8Array);
    chunks.push(buffer);
    size += buffer.length;
  };
  response.write = ((chunk: unknown, ...rest: unknown[]) => {
    collect(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as Response["write"];
  response.end = ((chunk?: unknown, ...rest: unknown[]) => {
    collect(chunk, rest[0]);
    if (size <= MAX_PAGE_BYTES) onEnd(Buffer.concat(chunks));
    return end(chunk, ...rest);
  }) as Response["end"];
}
