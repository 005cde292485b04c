-- The credit library (mission tasks 2 and 11, issue 3): credit records of organisations and
-- persons, with their bans, objections and repair requests. The market-entity registry does not
-- exist yet, so a subject is identified by its own key: a USCC for an organisation, a keyed SM3
-- blind index of the ID number for a person (the number itself is SM4-encrypted, as for experts).
-- Every trading procedure asks "may this subject take part in category C in region R today?",
-- so the ban columns are shaped for one index lookup by subject key.
CREATE SCHEMA IF NOT EXISTS credit;

CREATE TABLE credit.records (
  id                    uuid        PRIMARY KEY,
  subject_kind          text        NOT NULL CHECK (subject_kind IN ('organisation', 'person')),
  -- USCC (organisation) or blind index of the ID number (person).
  subject_key           text        NOT NULL,
  subject_name          text        NOT NULL CHECK (length(subject_name) BETWEEN 1 AND 100),
  id_number_enc         text,
  id_number_masked      text,
  participant_role      text        NOT NULL,
  type                  text        NOT NULL CHECK (type IN ('violation', 'blacklist', 'blacklist_removal', 'reward', 'performance', 'social')),
  severity              text        CHECK (severity IN ('minor', 'ordinary', 'serious')),
  title                 text        NOT NULL,
  facts                 text        NOT NULL,
  legal_basis           text        NOT NULL,
  source_department     text        NOT NULL,
  -- The issuing region: the data scope of the record.
  region_code           text        NOT NULL REFERENCES org.regions (code),
  decision_number       text        NOT NULL,
  decision_date         date        NOT NULL,
  evidence              jsonb       NOT NULL DEFAULT '[]',
  effective_from        date        NOT NULL,
  effective_to          date,
  status                text        NOT NULL DEFAULT 'effective' CHECK (status IN ('effective', 'under_objection', 'revoked', 'repaired')),
  -- Months of public disclosure from the decision date, and its last day; null: not published.
  disclosure_months     smallint,
  disclosure_to         date,
  -- A ban (禁止参与): trading categories ('*' = all), the region it covers, both days inclusive (CST).
  ban_categories        text[],
  ban_region_code       text        REFERENCES org.regions (code),
  ban_from              date,
  ban_to                date,
  not_repairable_reason text        CHECK (not_repairable_reason IN ('collusion', 'qualification_lending')),
  created_by            uuid,
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL,
  version               integer     NOT NULL DEFAULT 1,
  CHECK ((subject_kind = 'person') = (id_number_enc IS NOT NULL)),
  CHECK ((type IN ('violation', 'blacklist')) = (severity IS NOT NULL)),
  CHECK (effective_to IS NULL OR effective_from <= effective_to),
  CHECK ((disclosure_months IS NULL) = (disclosure_to IS NULL)),
  CHECK ((ban_from IS NULL) = (ban_to IS NULL) AND (ban_from IS NULL) = (ban_categories IS NULL) AND (ban_from IS NULL) = (ban_region_code IS NULL)),
  CHECK (ban_from IS NULL OR ban_from <= ban_to)
);
-- The participation check: a subject's live bans ending on or after the day. Partial, so the
-- index holds only bans, and revoked or repaired records drop out of it.
CREATE INDEX records_live_bans ON credit.records (subject_key, ban_to) INCLUDE (ban_from) WHERE ban_from IS NOT NULL AND status IN ('effective', 'under_objection');
-- A subject's archive and the public query by USCC.
CREATE INDEX records_subject ON credit.records (subject_key, decision_date);
-- Data scope: records issued within a region subtree, or created by one account.
CREATE INDEX records_region ON credit.records (region_code, created_at);
CREATE INDEX records_created_by ON credit.records (created_by);

-- Objections (异议) against a record; at most one pending per record.
CREATE TABLE credit.objections (
  id              uuid        PRIMARY KEY,
  record_id       uuid        NOT NULL REFERENCES credit.records (id),
  reason          text        NOT NULL,
  evidence        jsonb       NOT NULL DEFAULT '[]',
  filed_by        uuid        NOT NULL,
  filed_on_behalf text        NOT NULL,
  filed_at        timestamptz NOT NULL,
  filed_on        date        NOT NULL,
  due_on          date        NOT NULL,
  status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'upheld', 'dismissed')),
  decision_reason text,
  decided_by      uuid,
  decided_at      timestamptz,
  CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX objections_one_pending ON credit.objections (record_id) WHERE status = 'pending';
CREATE INDEX objections_record ON credit.objections (record_id);

-- Repair requests (信用修复); at most one pending per record.
CREATE TABLE credit.repairs (
  id              uuid        PRIMARY KEY,
  record_id       uuid        NOT NULL REFERENCES credit.records (id),
  obligations     text        NOT NULL,
  evidence        jsonb       NOT NULL DEFAULT '[]',
  commitment_text text        NOT NULL,
  requested_by    uuid        NOT NULL,
  requested_at    timestamptz NOT NULL,
  status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  decision_reason text,
  decided_by      uuid,
  decided_at      timestamptz,
  CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX repairs_one_pending ON credit.repairs (record_id) WHERE status = 'pending';
CREATE INDEX repairs_record ON credit.repairs (record_id);
