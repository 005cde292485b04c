-- 经评审的最低投标价法: the committee adjusts each bid's price as the tender documents' method
-- says (评标价格调整, 七部委12号令 §30) and ranks by the evaluated price. The adjustments are the
-- committee's, recorded by a member for the lot while it evaluates and before any member confirms
-- a sheet (a confirmed member has seen them). The whole set is replaced at each change.
CREATE TABLE trading.price_adjustments (
  lot_id       uuid        NOT NULL REFERENCES trading.evaluations (lot_id),
  seq          integer     NOT NULL CHECK (seq >= 1),
  bid_id       uuid        NOT NULL REFERENCES trading.bids (id),
  amount_fen   bigint      NOT NULL CHECK (amount_fen <> 0),
  reason       text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  recorded_by  uuid        NOT NULL,
  recorded_at  timestamptz NOT NULL,
  PRIMARY KEY (lot_id, seq)
);
