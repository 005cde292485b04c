-- How many notices hold each lexeme of their search vectors (document frequencies),
-- kept by the projector in the transaction that writes the row. A search reads the counts of its
-- lexemes first: they bound how many rows can match, which decides how the query runs. A word in
-- a few notices is answered from the GIN index alone (every match, then newest first); walking
-- the newest notices and testing each one, which is right for a common word, would read most of
-- the table for it (bench/portal.ts, 1,000,000 notices: 10 s). Counts only choose a plan: either
-- plan returns the same rows.
CREATE TABLE portal.lexemes (
  lexeme  text    PRIMARY KEY,
  notices integer NOT NULL CHECK (notices >= 0)
);

-- A notice's vector also holds the list filter values it is found under, as lexemes without
-- positions ('all notices', 'kind tender', 'category construction', 'region 140105', 'city
-- 140100'; portal.text noticeFacets): a search within a city asks the GIN index for the words and
-- the city at once, and the counts above hold how many notices each filter value has. Notices
-- projected before this migration get them here.
--
-- The vector is kept in the row (compressed, STORAGE MAIN) rather than in TOAST: a search that
-- walks the newest notices tests each one's vector, and fetching it from TOAST costs most of that
-- test (a common word's walk over a week of 1,000,000 notices: 10 → 3–7 ms). The body goes to
-- TOAST first when a row is too big. Set before the UPDATE, so the notices it rewrites keep
-- their vectors in the row too.
ALTER TABLE portal.notices ALTER COLUMN tsv SET STORAGE MAIN;
UPDATE portal.notices SET tsv = tsv || array_to_tsvector(array_remove(ARRAY['all notices', 'kind ' || kind, 'category ' || category, 'region ' || region_code, 'city ' || city_code], NULL));

-- Recomputes every count from the stored vectors (this migration, and a bulk load that wrote
-- rows without the projector).
CREATE FUNCTION portal.recount_lexemes() RETURNS void LANGUAGE sql AS $$
  DELETE FROM portal.lexemes;
  INSERT INTO portal.lexemes (lexeme, notices) SELECT word, ndoc FROM ts_stat('SELECT tsv FROM portal.notices');
$$;
SELECT portal.recount_lexemes();

-- A city's notices newest first, whatever their kind: the city lists and a search within a city
-- and a date range (notices_city leads with the kind, so it cannot range over dates alone).
CREATE INDEX notices_city_recent ON portal.notices (city_code, published_at DESC, id DESC);
