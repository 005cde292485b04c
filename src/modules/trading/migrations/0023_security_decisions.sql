-- Bid securities outside the lot's outcome (招标投标法实施条例 §35):
-- * a bid withdrawn before the deadline (撤回) gets its security back within 5 days of the
--   withdrawal: the release is made at the withdrawal and the security stops being active;
-- * a bid withdrawn after the deadline (撤销 — at the opening, one its bidder failed to decrypt)
--   may have its security kept: the tenderer's side decides, once, keep or refund, with a reason.
-- Each release says why it was made. The rows already here all came from the lot's outcome (the
-- contract, or its failure).
ALTER TABLE trading.bid_securities DROP CONSTRAINT bid_securities_status_check;
ALTER TABLE trading.bid_securities ADD CONSTRAINT bid_securities_status_check CHECK (status IN ('active', 'superseded', 'released'));

ALTER TABLE trading.security_releases ADD COLUMN reason text NOT NULL DEFAULT 'lot_outcome' CHECK (reason IN ('lot_outcome', 'withdrawn', 'tenderer_refund'));
ALTER TABLE trading.security_releases ALTER COLUMN reason DROP DEFAULT;

CREATE TABLE trading.security_decisions (
  bid_id            uuid        PRIMARY KEY REFERENCES trading.bids (id),
  lot_id            uuid        NOT NULL REFERENCES trading.lots (id),
  bidder_entity_id  uuid        NOT NULL REFERENCES registry.entities (id),
  decision          text        NOT NULL CHECK (decision IN ('keep', 'refund')),
  reason            text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  decided_by        uuid        NOT NULL,
  decided_at        timestamptz NOT NULL
);
CREATE INDEX security_decisions_lot ON trading.security_decisions (lot_id);
