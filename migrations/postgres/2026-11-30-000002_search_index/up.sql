-- Substring search without a full scan: a trigram GIN index over
-- customers.search_text (already lower-cased), used by LIKE '%…%' for
-- queries of three or more characters. Shorter ones (common in Chinese) have
-- no trigram and keep LIKE within the caller's scope.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX customers_search_trgm ON customers USING gin (search_text gin_trgm_ops);
