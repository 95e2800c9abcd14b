-- Degraded-mode search: when Meilisearch is unreachable, /search falls back to PostgreSQL
-- full-text search (app/models/search-fallback.server.ts). No tables or columns change, so
-- schema.prisma is unaffected.

CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE because its dictionary could be swapped at run time; naming the
-- dictionary explicitly makes the result fixed, so the functions below can be IMMUTABLE.
CREATE OR REPLACE FUNCTION enlace_unaccent(input text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, input) $$;

-- The text search configuration of a content language (exchange-format language codes).
CREATE OR REPLACE FUNCTION enlace_search_config(language text) RETURNS regconfig
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT CASE language
      WHEN 'es' THEN 'pg_catalog.spanish'::regconfig
      WHEN 'pt' THEN 'pg_catalog.portuguese'::regconfig
      WHEN 'fr' THEN 'pg_catalog.french'::regconfig
      ELSE 'pg_catalog.english'::regconfig
    END
  $$;

-- A record's searchable text, stemmed in its own language and also kept as plain words ('simple'),
-- so a query matches either a stem of the record's language or the exact word. Accents are
-- removed on both sides. Weights rank title over summary over the rest.
CREATE OR REPLACE FUNCTION enlace_search_vector(language text, title text, summary text, body text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT
      setweight(to_tsvector(enlace_search_config(language), enlace_unaccent(coalesce(title, ''))), 'A') ||
      setweight(to_tsvector('pg_catalog.simple'::regconfig, enlace_unaccent(coalesce(title, ''))), 'A') ||
      setweight(to_tsvector(enlace_search_config(language), enlace_unaccent(coalesce(summary, ''))), 'B') ||
      setweight(to_tsvector('pg_catalog.simple'::regconfig, enlace_unaccent(coalesce(summary, ''))), 'B') ||
      setweight(to_tsvector(enlace_search_config(language), enlace_unaccent(coalesce(body, ''))), 'C') ||
      setweight(to_tsvector('pg_catalog.simple'::regconfig, enlace_unaccent(coalesce(body, ''))), 'C')
  $$;

-- A query in any of the four languages: the union of its stems in each and its plain words.
CREATE OR REPLACE FUNCTION enlace_search_query(query text) RETURNS tsquery
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$
    SELECT
      websearch_to_tsquery('pg_catalog.simple'::regconfig, enlace_unaccent(query)) ||
      websearch_to_tsquery('pg_catalog.english'::regconfig, enlace_unaccent(query)) ||
      websearch_to_tsquery('pg_catalog.spanish'::regconfig, enlace_unaccent(query)) ||
      websearch_to_tsquery('pg_catalog.portuguese'::regconfig, enlace_unaccent(query)) ||
      websearch_to_tsquery('pg_catalog.french'::regconfig, enlace_unaccent(query))
  $$;
