-- An expert's specialty codes on its own row as well, kept from experts.expert_specialties by
-- statement triggers, so that the eligibility query tests the specialty on the row it already
-- reads instead of joining every link of the specialties asked. A category request asks for all
-- its leaves: a city's category request (1,400 experts in the city) joined 12,000 links of the
-- pool's 40,000, and a province-wide one hashed them all (bench/experts-eligible.ts). The GIN
-- index answers a province-wide request from the codes alone.
-- expert_specialties stays the record (primary flag, foreign keys); this is its copy, rebuilt for
-- every expert a statement touched, in that statement's transaction.
ALTER TABLE experts.experts ADD COLUMN specialty_codes text[] NOT NULL DEFAULT '{}';

UPDATE experts.experts e
   SET specialty_codes = s.codes
  FROM (SELECT expert_id, array_agg(code ORDER BY code) AS codes FROM experts.expert_specialties GROUP BY expert_id) s
 WHERE s.expert_id = e.id;

CREATE INDEX experts_active_specialty_codes ON experts.experts USING gin (specialty_codes) WHERE status = 'active';

-- The transition table is `changed` (the rows inserted or deleted) and, for an update, also
-- `changed_new`; PL/pgSQL plans each statement when it first runs, so the update branch's
-- reference to changed_new is only planned in the update trigger.
CREATE FUNCTION experts.sync_specialty_codes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    UPDATE experts.experts e
       SET specialty_codes = coalesce((SELECT array_agg(s.code ORDER BY s.code) FROM experts.expert_specialties s WHERE s.expert_id = e.id), '{}')
     WHERE e.id IN (SELECT expert_id FROM changed UNION SELECT expert_id FROM changed_new);
  ELSE
    UPDATE experts.experts e
       SET specialty_codes = coalesce((SELECT array_agg(s.code ORDER BY s.code) FROM experts.expert_specialties s WHERE s.expert_id = e.id), '{}')
     WHERE e.id IN (SELECT expert_id FROM changed);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER expert_specialties_insert AFTER INSERT ON experts.expert_specialties
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION experts.sync_specialty_codes();
CREATE TRIGGER expert_specialties_delete AFTER DELETE ON experts.expert_specialties
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION experts.sync_specialty_codes();
CREATE TRIGGER expert_specialties_update AFTER UPDATE ON experts.expert_specialties
  REFERENCING OLD TABLE AS changed NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION experts.sync_specialty_codes();
