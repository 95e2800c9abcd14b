import { getEnv } from "~/utils/env.server";

/**
 * An absolute link to a page of the site, for mail and feeds, which are read away from the site.
 * APP_URL names the public address; without it (development) the local server's.
 */
export function absoluteUrl(path: string): string {
  const env = getEnv();
  return new URL(path, env.APP_URL ?? `http://localhost:${env.PORT}`).toString();
}
