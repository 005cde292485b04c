-- A draw run for a procedure's lot (the construction tender's evaluation panel) is managed by that
-- procedure: its answers, top-ups and confirmation must go through the procedure's routes, which
-- append the deal's events and keep the deal's own clock. The generic draw routes refuse such a
-- draw (a change there would be missing from the deal's timeline). NULL: a draw of its own.
ALTER TABLE experts.draws ADD COLUMN managed_by text CHECK (managed_by IN ('trading'));

-- Draws already made for tender lots are the trading module's.
UPDATE experts.draws d SET managed_by = 'trading' WHERE EXISTS (SELECT 1 FROM trading.evaluations e WHERE e.draw_id = d.id);
