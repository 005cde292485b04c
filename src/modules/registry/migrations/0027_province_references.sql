-- A city node's reference copies of the province's entities and accounts (issue 3: one
-- registration valid across the province). An entity registered at the province signs in on a
-- city with its province account: the province checks the password (and counts failures), and
-- the city keeps what its own deal records need to point at — the entity row, its approved
-- version (personal values re-sealed under the city's key), the qualification and key-personnel
-- projections, and an account row to hang the city's sessions and role grants on.
--
-- home_node names the node that holds the record of truth (null: this node). A reference copy is
-- never edited on the city: it is rewritten from the province's answer at each sign-in
-- (refreshed_at), and its account has no password here — it cannot authenticate locally.
ALTER TABLE registry.entities ADD COLUMN home_node text CHECK (home_node ~ '^[0-9]{6}$');
ALTER TABLE registry.entities ADD COLUMN refreshed_at timestamptz;
ALTER TABLE registry.entities ADD CONSTRAINT entities_reference_refreshed CHECK ((home_node IS NULL) = (refreshed_at IS NULL));

ALTER TABLE identity.accounts ADD COLUMN home_node text CHECK (home_node ~ '^[0-9]{6}$');
-- A reference account acts for a (reference) entity only: never staff, never an expert.
ALTER TABLE identity.accounts ADD CONSTRAINT accounts_reference_entity CHECK (home_node IS NULL OR (entity_id IS NOT NULL AND organisation_id IS NULL AND expert_id IS NULL));
