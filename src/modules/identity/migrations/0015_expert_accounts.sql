-- Accounts of evaluation experts (评标专家): an expert drawn for a panel signs in at the
-- evaluation venue to read the opened bids and submit its scores. An account now belongs to
-- exactly one of: a platform organisation (staff), a registered market entity, or an expert of
-- the pool; an expert has at most one account. The expert pool's table exists since 0005, so
-- the link is made here with the column.
ALTER TABLE identity.accounts ADD COLUMN expert_id uuid REFERENCES experts.experts (id);
ALTER TABLE identity.accounts DROP CONSTRAINT accounts_belongs_once;
ALTER TABLE identity.accounts ADD CONSTRAINT accounts_belongs_once CHECK (num_nonnulls(organisation_id, entity_id, expert_id) = 1);
CREATE UNIQUE INDEX accounts_expert ON identity.accounts (expert_id) WHERE expert_id IS NOT NULL;
