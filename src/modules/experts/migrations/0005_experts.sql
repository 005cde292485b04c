-- The evaluation expert pool (mission tasks 7 and 8, issue 3): experts with their specialties,
-- unavailability periods and declared avoidance relations. Evaluation panels are later drawn from
-- it, so the tables are shaped for one question answered in one indexed query: "active experts of
-- specialty S in region R, free on day D, none of them tied to the entities E".
-- The specialty code table is reference data, filled from data/specialties.json by the sync that
-- runs after migrations (like org.regions).
CREATE SCHEMA IF NOT EXISTS experts;

CREATE TABLE experts.specialties (
  code        text     PRIMARY KEY CHECK (code ~ '^[A-Z]([0-9]{2})?$'),
  name        text     NOT NULL,
  parent_code text     REFERENCES experts.specialties (code),
  level       smallint NOT NULL CHECK (level IN (1, 2)),
  CHECK ((level = 1) = (parent_code IS NULL))
);

-- ID numbers and phones are personal data: SM4-encrypted, a keyed SM3 blind index for uniqueness
-- (one person, one record, including removed experts, so a removed expert cannot re-enter under a
-- new record), and masked copies for display.
CREATE TABLE experts.experts (
  id               uuid        PRIMARY KEY,
  name             text        NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  id_number_enc    text        NOT NULL,
  id_number_index  text        NOT NULL,
  id_number_masked text        NOT NULL,
  gender           text        NOT NULL CHECK (gender IN ('male', 'female')),
  birth_date       date        NOT NULL,
  phone_enc        text        NOT NULL,
  phone_masked     text        NOT NULL,
  region_code      text        NOT NULL REFERENCES org.regions (code),
  employer_name    text        NOT NULL CHECK (length(employer_name) BETWEEN 2 AND 100),
  employer_uscc    text        NOT NULL CHECK (employer_uscc ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
  titles           text[]      NOT NULL DEFAULT '{}',
  status           text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'removed')),
  status_reason    text,
  created_by       uuid,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  version          integer     NOT NULL DEFAULT 1,
  CHECK ((status = 'active') = (status_reason IS NULL))
);
CREATE UNIQUE INDEX experts_id_number ON experts.experts (id_number_index);
-- The eligibility query filters active experts by a set of region codes.
CREATE INDEX experts_active_region ON experts.experts (region_code) WHERE status = 'active';
-- Avoidance by employer: the avoided entities' experts are found by index, then anti-joined.
CREATE INDEX experts_employer ON experts.experts (employer_uscc);
-- Scope `own`: the experts an account registered.
CREATE INDEX experts_created_by ON experts.experts (created_by);

-- Code first in the key: "experts holding one of these codes" is an index-only range scan.
-- Exactly one primary specialty per expert is kept by the partial unique index plus the service.
CREATE TABLE experts.expert_specialties (
  code       text    NOT NULL REFERENCES experts.specialties (code),
  expert_id  uuid    NOT NULL REFERENCES experts.experts (id) ON DELETE CASCADE,
  is_primary boolean NOT NULL DEFAULT false,
  PRIMARY KEY (code, expert_id)
);
CREATE INDEX expert_specialties_expert ON experts.expert_specialties (expert_id);
CREATE UNIQUE INDEX expert_specialties_one_primary ON experts.expert_specialties (expert_id) WHERE is_primary;

-- Days an expert cannot serve (both ends inclusive).
CREATE TABLE experts.unavailability (
  id         uuid        PRIMARY KEY,
  expert_id  uuid        NOT NULL REFERENCES experts.experts (id) ON DELETE CASCADE,
  from_date  date        NOT NULL,
  to_date    date        NOT NULL,
  reason     text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
  created_by uuid,
  created_at timestamptz NOT NULL,
  CHECK (from_date <= to_date)
);
CREATE INDEX unavailability_expert ON experts.unavailability (expert_id, from_date);
-- "Who is away on day D": periods ending on or after D, then the start filtered.
CREATE INDEX unavailability_to_date ON experts.unavailability (to_date, from_date);

-- Declared ties to entities beyond the employer (回避): a relative's employer, an economic
-- interest, a former employer. Looked up by the entity's USCC when panels are drawn.
CREATE TABLE experts.relations (
  id          uuid        PRIMARY KEY,
  expert_id   uuid        NOT NULL REFERENCES experts.experts (id) ON DELETE CASCADE,
  uscc        text        NOT NULL CHECK (uscc ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
  kind        text        NOT NULL CHECK (kind IN ('relative', 'interest', 'former_employer')),
  note        text        NOT NULL DEFAULT '' CHECK (length(note) <= 200),
  declared_on date        NOT NULL,
  created_by  uuid,
  created_at  timestamptz NOT NULL,
  UNIQUE (expert_id, uscc, kind)
);
CREATE INDEX relations_uscc ON experts.relations (uscc);
