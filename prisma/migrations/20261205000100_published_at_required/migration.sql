-- A published offer and an open request always carry the moment they were published: the
-- public lists order by it, newest first, along the (status, published_at, created_at, id)
-- indexes (decision record 018). Every writer sets it when publishing; rows that reached these
-- statuses some other way take their creation time.
UPDATE "offer" SET "published_at" = "created_at" WHERE "status" = 'published' AND "published_at" IS NULL;
UPDATE "request" SET "published_at" = "created_at" WHERE "status" = 'open' AND "published_at" IS NULL;

ALTER TABLE "offer" ADD CONSTRAINT "offer_published_at_check" CHECK ("status" <> 'published' OR "published_at" IS NOT NULL);
ALTER TABLE "request" ADD CONSTRAINT "request_published_at_check" CHECK ("status" <> 'open' OR "published_at" IS NOT NULL);
