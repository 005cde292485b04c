-- Indexes for the two list statuses that 0017's indexes cannot count within the list's depth
-- (bench/portal.ts, 1,000,000 notices). A list counts its matches up to maxListDepth + 1; when a
-- status holds fewer than that, the count has to see every notice to be sure, and with no index on
-- the status that is the whole table.

-- status=open (closes_at > now): what is still running is a few thousand recent notices; a range
-- of this index counts them and hands the list its rows. The kind is in it too, so that open tender
-- notices are counted in the index rather than by intersecting with all 200,000 tender notices.
CREATE INDEX notices_closes ON portal.notices (closes_at, kind) WHERE closes_at IS NOT NULL;

-- status=corrected: the notices a later one changed (≈ 2 % of them), newest first, for the list
-- and its count alike.
CREATE INDEX notices_corrected ON portal.notices (published_at DESC, id DESC) WHERE corrected_at IS NOT NULL;
