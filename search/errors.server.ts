import {
  MeilisearchApiError,
  MeilisearchRequestError,
  MeilisearchRequestTimeOutError,
  MeilisearchTaskTimeOutError,
} from "meilisearch";

/**
 * True when an error means Meilisearch cannot be used right now (unreachable, too slow, restarted
 * without its indexes) rather than that it refused what we sent. The first kind heals by itself
 * and is retried as soon as the engine is back; the second is a bug.
 */
export function isSearchUnavailable(error: unknown): boolean {
  if (error instanceof MeilisearchRequestError) return true;
  if (error instanceof MeilisearchRequestTimeOutError || error instanceof MeilisearchTaskTimeOutError) return true;
  if (error instanceof MeilisearchApiError) {
    return error.response.status >= 500 || error.cause?.code === "index_not_found";
  }
  return false;
}
