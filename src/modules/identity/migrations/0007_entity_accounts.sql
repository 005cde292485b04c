-- Accounts of market entities (issue 3, registry): a bidder's, tenderer's or agency's own users
-- sign in like staff but belong to a registered market entity instead of a platform
-- organisation. An account belongs to exactly one of the two; the link to the registry's
-- entity table is added by the registry's migration (0008), which owns that table.
ALTER TABLE identity.accounts ALTER COLUMN organisation_id DROP NOT NULL;
ALTER TABLE identity.accounts ADD COLUMN entity_id uuid;
ALTER TABLE identity.accounts ADD CONSTRAINT accounts_belongs_once CHECK ((organisation_id IS NULL) <> (entity_id IS NULL));
CREATE INDEX accounts_entity ON identity.accounts (entity_id) WHERE entity_id IS NOT NULL;
