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

-- How many notices each list filter value has ('all', 'kind:tender', 'category:construction',
-- 'region:140105', 'city:140100'; portal.repository facetsOf): with the lexeme counts, how many
-- notices a search within those filters is expected to match.
CREATE TABLE portal.notice_facets (
  facet   text    PRIMARY KEY,
  notices integer NOT NULL CHECK (notices >= 0)
);

-- Recomputes every count from the stored notices (this migration, and a bulk load that wrote
-- rows without the projector).
CREATE FUNCTION portal.recount_lexemes() RETURNS void LANGUAGE sql AS $$
  DELETE FROM portal.lexemes;
  INSERT INTO portal.lexemes (lexeme, notices) SELECT word, ndoc FROM ts_stat('SELECT tsv FROM portal.notices');
  DELETE FROM portal.notice_facets;
  INSERT INTO portal.notice_facets (facet, notices)
  SELECT v.facet, count(*)
  FROM portal.notices AS n,
    LATERAL (VALUES ('all'), ('kind:' || n.kind), ('category:' || n.category), ('region:' || n.region_code), ('city:' || n.city_code)) AS v (facet)
  WHERE v.facet IS NOT NULL
  GROUP BY v.facet;
$$;
SELECT portal.recount_lexemes();

-- A city's notices newest first, whatever their kind: the city lists and a search within a city
-- and a date range (notices_city leads with the kind, so it cannot range over dates alone).
CREATE INDEX notices_city_recent ON portal.notices (city_code, published_at DESC, id DESC);
