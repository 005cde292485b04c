-- A city node's reference copies of the province's evaluation experts (issue 3: the expert pool
-- is the province's, ARCHITECTURE.md). A city draws its panels from the province's pool: the
-- province classifies the candidates, the city draws, and keeps a copy of each expert drawn —
-- the expert row its draw members, evaluation seats and scores point at, personal values sealed
-- under the city's own key — and, when the expert signs in on the city with its province
-- account, a reference account with the expert's role.
--
-- home_node names the node that holds the record of truth (null: this node); a reference copy is
-- never edited on the city, only rewritten from the province's answer (refreshed_at).
ALTER TABLE experts.experts ADD COLUMN home_node text CHECK (home_node ~ '^[0-9]{6}$');
ALTER TABLE experts.experts ADD COLUMN refreshed_at timestamptz;
ALTER TABLE experts.experts ADD CONSTRAINT experts_reference_refreshed CHECK ((home_node IS NULL) = (refreshed_at IS NULL));

-- A reference account now acts for a reference entity or a reference expert; never for staff.
ALTER TABLE identity.accounts DROP CONSTRAINT accounts_reference_entity;
ALTER TABLE identity.accounts ADD CONSTRAINT accounts_reference_holder CHECK (home_node IS NULL OR organisation_id IS NULL);
