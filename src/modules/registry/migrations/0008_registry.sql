-- The market-entity registry (mission task 1, issue 3): one entity per USCC (legal persons and
-- other organisations) or per ID number (natural persons) in the whole province, ever.
--
-- An entity's profile is kept as versions: the first registration and every later change is a
-- version that its own users draft and submit and platform staff approve or reject; nothing is
-- overwritten, so who changed what and when stays readable. The approved version is projected
-- into the entity row (name, roles: search and filters) and into the qualification and key
-- personnel tables (expiry checks, the bid-time checks of later procedures), rewritten on each
-- approval. Personal data inside a version (ID numbers, phones, bank account numbers) is stored
-- SM4-sealed with a masked copy, as everywhere else.
CREATE SCHEMA IF NOT EXISTS registry;

-- The characters and character pairs of a name (lower-cased), for search by any part of it.
-- Chinese names have no spaces and users type two-character words (宏达, 路桥): trigrams cannot
-- serve a two-character pattern, so the index holds unigrams and bigrams instead; a search asks
-- for the names that hold every gram of the query, then checks the substring itself.
CREATE FUNCTION registry.name_grams(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT g), '{}')
  FROM (
    SELECT substr(lower(name), i, 1) AS g FROM generate_series(1, length(name)) AS i
    UNION
    SELECT substr(lower(name), i, 2) FROM generate_series(1, length(name) - 1) AS i
  ) AS grams
$$;
-- The grams a search asks the index for: enough to be selective, few enough to intersect
-- quickly — a single character alone, else non-overlapping pairs covering the query (the
-- substring check does the rest).
CREATE FUNCTION registry.query_grams(q text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN length(q) < 2 THEN ARRAY[lower(q)]
  ELSE ARRAY(
    SELECT substr(lower(q), i, 2) FROM generate_series(1, length(q) - 1, 2) AS i
    UNION
    SELECT substr(lower(q), length(q) - 1, 2)
  ) END
$$;

CREATE TABLE registry.entities (
  id                 uuid        PRIMARY KEY,
  kind               text        NOT NULL CHECK (kind IN ('organisation', 'person')),
  uscc               text        CHECK (uscc ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
  -- Natural persons: keyed SM3 blind index of the ID number; the number sealed; a masked copy.
  id_number_index    text,
  id_number_enc      text,
  id_number_masked   text,
  name               text        NOT NULL CHECK (length(name) BETWEEN 2 AND 100),
  -- Region of registration (GB/T 2260): the centre of this region reviews the entity.
  region_code        text        NOT NULL REFERENCES org.regions (code),
  -- registering: never approved yet; active: approved; suspended: barred by staff.
  status             text        NOT NULL DEFAULT 'registering' CHECK (status IN ('registering', 'active', 'suspended')),
  -- Why staff suspended the entity (shown to its users and to every reader).
  status_reason      text,
  roles              text[]      NOT NULL DEFAULT '{}',
  current_version_id uuid,
  registered_by      uuid,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  approved_at        timestamptz,
  version            integer     NOT NULL DEFAULT 1,
  name_grams         text[]      GENERATED ALWAYS AS (registry.name_grams(name)) STORED,
  CHECK ((kind = 'organisation') = (uscc IS NOT NULL)),
  CHECK ((kind = 'person') = (id_number_index IS NOT NULL AND id_number_enc IS NOT NULL AND id_number_masked IS NOT NULL)),
  CHECK ((status = 'registering') = (current_version_id IS NULL)),
  CHECK ((status = 'suspended') = (status_reason IS NOT NULL))
);
-- One registration per code in the province, whatever its state.
CREATE UNIQUE INDEX entities_uscc ON registry.entities (uscc) WHERE uscc IS NOT NULL;
CREATE UNIQUE INDEX entities_id_number ON registry.entities (id_number_index) WHERE id_number_index IS NOT NULL;
-- Search by any part of the name.
CREATE INDEX entities_name_grams ON registry.entities USING gin (name_grams);
CREATE INDEX entities_region ON registry.entities (region_code, status);

ALTER TABLE identity.accounts ADD CONSTRAINT accounts_entity_fk FOREIGN KEY (entity_id) REFERENCES registry.entities (id);

CREATE TABLE registry.entity_versions (
  id              uuid        PRIMARY KEY,
  entity_id       uuid        NOT NULL REFERENCES registry.entities (id),
  number          integer     NOT NULL CHECK (number >= 1),
  status          text        NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'rejected', 'superseded')),
  -- The profile (see registry.tables.ts: ProfileData), sensitive values sealed.
  data            jsonb       NOT NULL,
  -- The business licence image in the blob store ({digest, mediaType, size, uploadedAt}) and
  -- what the OCR read from it when it was uploaded.
  licence         jsonb,
  ocr             jsonb,
  ocr_error       text,
  -- The approved version this one changes (null for the first registration).
  base_version_id uuid        REFERENCES registry.entity_versions (id),
  created_by      uuid        NOT NULL,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  submitted_by    uuid,
  submitted_at    timestamptz,
  reviewed_by     uuid,
  reviewed_at     timestamptz,
  review_reason   text,
  UNIQUE (entity_id, number),
  CHECK ((status IN ('draft')) = (submitted_at IS NULL)),
  CHECK ((status IN ('approved', 'rejected', 'superseded')) = (reviewed_at IS NOT NULL)),
  CHECK (status <> 'rejected' OR review_reason IS NOT NULL)
);
-- At most one version under way (being drafted or awaiting review) per entity.
CREATE UNIQUE INDEX entity_versions_one_open ON registry.entity_versions (entity_id) WHERE status IN ('draft', 'submitted');
-- The review queue.
CREATE INDEX entity_versions_submitted ON registry.entity_versions (submitted_at) WHERE status = 'submitted';

ALTER TABLE registry.entities ADD CONSTRAINT entities_current_version_fk FOREIGN KEY (current_version_id) REFERENCES registry.entity_versions (id);

-- Projection of the approved version's qualifications (资质).
CREATE TABLE registry.qualifications (
  id         uuid PRIMARY KEY,
  entity_id  uuid NOT NULL REFERENCES registry.entities (id),
  category   text NOT NULL,
  grade      text NOT NULL,
  number     text NOT NULL,
  issuer     text NOT NULL,
  valid_from date NOT NULL,
  valid_to   date NOT NULL,
  CHECK (valid_from <= valid_to)
);
CREATE INDEX qualifications_entity ON registry.qualifications (entity_id);
-- Expiry warnings scan by end date.
CREATE INDEX qualifications_valid_to ON registry.qualifications (valid_to);

-- Projection of the approved version's key personnel (项目负责人 and the like). The ID number's
-- blind index lets supervision find one person named by two bidders of one lot.
CREATE TABLE registry.key_personnel (
  id                   uuid PRIMARY KEY,
  entity_id            uuid NOT NULL REFERENCES registry.entities (id),
  name                 text NOT NULL,
  role                 text NOT NULL,
  id_number_index      text NOT NULL,
  id_number_masked     text NOT NULL,
  certificate_kind     text NOT NULL,
  certificate_number   text NOT NULL,
  certificate_valid_to date
);
CREATE INDEX key_personnel_entity ON registry.key_personnel (entity_id);
CREATE INDEX key_personnel_id_number ON registry.key_personnel (id_number_index);
