-- The matcher's theme pool (findThemePool) filters every published offer by its themes and its
-- organization's country: with these columns in one btree, PostgreSQL reads narrow index tuples
-- (an index-only scan) instead of every wide offer row.
CREATE INDEX "offer_theme_pool_idx" ON "offer"("status", "updated_at", "id", "organization_id", "themes");
