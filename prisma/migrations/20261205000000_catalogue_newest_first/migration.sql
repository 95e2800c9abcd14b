-- The public lists (published offers, open requests) newest first: a backward walk of these
-- indexes reads one page of rows instead of sorting every published record.
CREATE INDEX "offer_status_published_at_created_at_id_idx" ON "offer"("status", "published_at", "created_at", "id");

CREATE INDEX "request_status_published_at_created_at_id_idx" ON "request"("status", "published_at", "created_at", "id");
