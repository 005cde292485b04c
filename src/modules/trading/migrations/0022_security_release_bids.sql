-- A failed lot's securities are released too: at the deadline with too few bids nothing is
-- opened, so a release refers to the bid (trading.bids) rather than to its opening result.
-- Every opening result is a bid, so the rows already here satisfy the new reference; the
-- opening result's own bid_id gets the reference it always implied.
ALTER TABLE trading.security_releases DROP CONSTRAINT security_releases_bid_id_fkey;
ALTER TABLE trading.security_releases ADD CONSTRAINT security_releases_bid_id_fkey FOREIGN KEY (bid_id) REFERENCES trading.bids (id);
ALTER TABLE trading.opening_results ADD CONSTRAINT opening_results_bid_id_fkey FOREIGN KEY (bid_id) REFERENCES trading.bids (id);
