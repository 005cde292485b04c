-- A block-range index on the publication time, for a search's recency step read as a bitmap:
-- the step's range intersected with the full-text matches (BitmapAnd). The notices lie in
-- publication order (the projector appends them; bench/portal.ts clusters its corpus the same
-- way), so a range of days is a few block ranges. Reading them costs 0.5–1 ms where the btree's
-- entries for 30 days of 1,000,000 notices (29,516) cost 2–7.5 ms; the planner takes whichever
-- is cheaper, and the btree stays for ordered walks and lists.
CREATE INDEX notices_published_brin ON portal.notices USING brin (published_at);
