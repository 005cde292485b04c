-- A 撤销 bid's security that the tenderer's side decided to keep (招标投标法实施条例 §35): until
-- now the decision was recorded (security_decisions, the deal event) but the security itself
-- stayed 'active', as if it were still held for the lot. It is now 'retained': no longer active,
-- never released.
ALTER TABLE trading.bid_securities DROP CONSTRAINT bid_securities_status_check;
ALTER TABLE trading.bid_securities ADD CONSTRAINT bid_securities_status_check CHECK (status IN ('active', 'superseded', 'released', 'retained'));
