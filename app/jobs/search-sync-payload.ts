import { z } from "zod";

export const SEARCH_SYNC_TASK = "search-sync";
// A named queue runs its jobs one at a time: each job reads the rows and pushes them to
// Meilisearch before the next one reads, so an older read can never overwrite a newer one.
export const SEARCH_SYNC_QUEUE = "search-sync";
// With graphile-worker's backoff (exp(min(attempt, 10)) seconds, about 6 h at most) this keeps
// retrying for weeks; the worker also re-runs waiting sync jobs as soon as Meilisearch is back.
export const SEARCH_SYNC_MAX_ATTEMPTS = 200;

export const searchSyncPayloadSchema = z.object({
  offerIds: z.array(z.guid()).optional(),
  requestIds: z.array(z.guid()).optional(),
  organizationIds: z.array(z.guid()).optional(),
  countryCodes: z.array(z.string().length(2)).optional(),
});

export type SearchSyncPayload = z.infer<typeof searchSyncPayloadSchema>;
