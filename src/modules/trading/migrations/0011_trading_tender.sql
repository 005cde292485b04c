-- Construction tendering (工程建设招标, issue 4), the first trading category: the tender project
-- (招标项目) and its lots (标段), its notices, documents, downloads, clarifications and
-- objections. One 统一交易标识码 per tender project, issued when the centre accepts it (the
-- coding module keeps the code; this schema carries it on every row of the deal); each lot gets
-- the project's code + a 3-digit serial. Bids, the opening, the panel, the evaluation and the
-- award live in later migrations. Every state change also appends a row to platform.deal_events
-- in the same transaction. Every row of the deal carries its deal code (一码记录), so that any
-- record read on its own says which deal it belongs to.
CREATE SCHEMA IF NOT EXISTS trading;

CREATE TABLE trading.projects (
  id                      uuid        PRIMARY KEY,
  -- Null until the centre accepts the project; never changed afterwards.
  deal_code               text        UNIQUE CHECK (deal_code ~ '^[0-9A-Z]{32}[0-9A-Z*]$'),
  name                    text        NOT NULL CHECK (length(name) BETWEEN 4 AND 200),
  -- 投资项目统一代码 of the investment project the tender belongs to (format only).
  investment_code         text        CHECK (investment_code ~ '^[0-9]{4}-[0-9]{6}-[0-9]{2}-[0-9]{2}-[0-9]{6}$'),
  -- Catalogue code of the trading category (construction works, survey, design, …).
  category                text        NOT NULL,
  tender_method           text        NOT NULL CHECK (tender_method IN ('open', 'invited')),
  region_code             text        NOT NULL REFERENCES org.regions (code),
  tenderer_entity_id      uuid        NOT NULL REFERENCES registry.entities (id),
  agency_entity_id        uuid        REFERENCES registry.entities (id),
  -- The entity whose account registered the project: the tenderer or its agency.
  owner_entity_id         uuid        NOT NULL REFERENCES registry.entities (id),
  supervising_department  text        NOT NULL CHECK (length(supervising_department) BETWEEN 2 AND 100),
  funding_source          text        NOT NULL,
  description             text        NOT NULL DEFAULT '',
  status                  text        NOT NULL,
  -- Why the centre returned the project, or why the tender failed.
  status_reason           text,
  -- The schedule (all lots share it): documents available from/until, the bid deadline (also
  -- the opening time), the bid validity and the decryption window of the opening.
  documents_from          timestamptz,
  documents_until         timestamptz,
  bid_deadline            timestamptz,
  bid_validity_days       integer     CHECK (bid_validity_days BETWEEN 30 AND 365),
  decryption_minutes      integer     CHECK (decryption_minutes BETWEEN 10 AND 240),
  -- Set while an objection to the tender documents awaits its reply (the activity pauses).
  paused_since            timestamptz,
  -- Demo mode only (GGZY_DEMO_MODE): how far this deal's own clock runs ahead of the platform's,
  -- so a whole tender can be walked through in minutes while every rule still reads real
  -- calendar days. Always 0 in production (the route that moves it is refused there).
  clock_offset_ms         bigint      NOT NULL DEFAULT 0 CHECK (clock_offset_ms >= 0),
  submitted_at            timestamptz,
  accepted_at             timestamptz,
  accepted_by             uuid,
  published_at            timestamptz,
  created_by              uuid        NOT NULL,
  created_at              timestamptz NOT NULL,
  updated_at              timestamptz NOT NULL,
  version                 integer     NOT NULL DEFAULT 1,
  CHECK ((deal_code IS NULL) = (accepted_at IS NULL)),
  CHECK (owner_entity_id = tenderer_entity_id OR owner_entity_id = agency_entity_id),
  CHECK (documents_from IS NULL OR (documents_from < documents_until AND documents_until <= bid_deadline))
);
CREATE INDEX projects_region ON trading.projects (region_code, created_at);
CREATE INDEX projects_owner ON trading.projects (owner_entity_id, created_at);
CREATE INDEX projects_tenderer ON trading.projects (tenderer_entity_id);
-- The deadline sweep: projects whose bid deadline has come and that still take bids.
CREATE INDEX projects_deadline ON trading.projects (bid_deadline) WHERE status = 'bidding';

CREATE TABLE trading.lots (
  id                   uuid        PRIMARY KEY,
  project_id           uuid        NOT NULL REFERENCES trading.projects (id),
  lot_no               integer     NOT NULL CHECK (lot_no BETWEEN 1 AND 999),
  -- Issued with the project's deal code at acceptance.
  lot_code             text        UNIQUE CHECK (lot_code ~ '^[0-9A-Z]{32}[0-9A-Z*][0-9]{3}$'),
  name                 text        NOT NULL CHECK (length(name) BETWEEN 2 AND 200),
  -- works, goods, services, survey, design, supervision: the bid security cap depends on it.
  kind                 text        NOT NULL CHECK (kind IN ('construction', 'goods', 'services', 'survey', 'design', 'supervision')),
  -- Money is integer fen (分) throughout: no floating point ever compares money.
  estimated_price_fen  bigint      NOT NULL CHECK (estimated_price_fen > 0),
  bid_security_fen     bigint      NOT NULL DEFAULT 0 CHECK (bid_security_fen >= 0),
  -- The evaluation method configuration (evaluation module schema), fixed when documents publish.
  evaluation_method    jsonb,
  status               text        NOT NULL,
  status_reason        text,
  updated_at           timestamptz NOT NULL,
  version              integer     NOT NULL DEFAULT 1,
  UNIQUE (project_id, lot_no)
);

-- Notices of the deal: tender notice, amendments, opening record, candidates, result, failure.
-- A published notice is never edited; a correction is a new notice pointing at the one it corrects.
CREATE TABLE trading.notices (
  id              uuid        PRIMARY KEY,
  project_id      uuid        NOT NULL REFERENCES trading.projects (id),
  deal_code       text        NOT NULL,
  lot_id          uuid        REFERENCES trading.lots (id),
  kind            text        NOT NULL CHECK (kind IN ('tender', 'amendment', 'opening_record', 'failure', 'candidates', 'result', 'contract')),
  title           text        NOT NULL CHECK (length(title) BETWEEN 4 AND 200),
  body            text        NOT NULL,
  status          text        NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'rejected', 'published')),
  review_reason   text,
  corrects_id     uuid        REFERENCES trading.notices (id),
  -- Signed documents (PDF or canonical JSON) published with the notice, by SM3 digest.
  document_digest text,
  signature       text,
  publish_at      timestamptz,
  published_at    timestamptz,
  created_by      uuid,
  created_at      timestamptz NOT NULL,
  reviewed_by     uuid,
  reviewed_at     timestamptz,
  version         integer     NOT NULL DEFAULT 1
);
CREATE INDEX notices_project ON trading.notices (project_id, created_at);
CREATE INDEX notices_published ON trading.notices (published_at) WHERE status = 'published';

-- Tender documents and the files of clarifications, by blob digest; a new version supersedes.
CREATE TABLE trading.documents (
  id           uuid        PRIMARY KEY,
  project_id   uuid        NOT NULL REFERENCES trading.projects (id),
  deal_code    text        NOT NULL,
  kind         text        NOT NULL CHECK (kind IN ('tender_documents', 'clarification', 'drawing', 'bill_of_quantities')),
  file_name    text        NOT NULL,
  media_type   text        NOT NULL,
  blob_digest  text        NOT NULL CHECK (blob_digest ~ '^[0-9a-f]{64}$'),
  size         bigint      NOT NULL,
  uploaded_by  uuid        NOT NULL,
  uploaded_at  timestamptz NOT NULL,
  published_at timestamptz
);
CREATE INDEX documents_project ON trading.documents (project_id, uploaded_at);

-- Every download of a published document by a market entity (a bid requires one).
CREATE TABLE trading.downloads (
  id           uuid        PRIMARY KEY,
  project_id   uuid        NOT NULL REFERENCES trading.projects (id),
  deal_code    text        NOT NULL,
  document_id  uuid        NOT NULL REFERENCES trading.documents (id),
  entity_id    uuid        NOT NULL REFERENCES registry.entities (id),
  account_id   uuid        NOT NULL,
  client_ip    text,
  at           timestamptz NOT NULL
);
CREATE INDEX downloads_project_entity ON trading.downloads (project_id, entity_id);

CREATE TABLE trading.clarifications (
  id                uuid        PRIMARY KEY,
  project_id        uuid        NOT NULL REFERENCES trading.projects (id),
  deal_code         text        NOT NULL,
  number            integer     NOT NULL,
  title             text        NOT NULL,
  body              text        NOT NULL,
  document_id       uuid        REFERENCES trading.documents (id),
  issued_by         uuid        NOT NULL,
  issued_at         timestamptz NOT NULL,
  deadline_before   timestamptz NOT NULL,
  deadline_after    timestamptz NOT NULL,
  UNIQUE (project_id, number)
);

CREATE TABLE trading.objections (
  id           uuid        PRIMARY KEY,
  project_id   uuid        NOT NULL REFERENCES trading.projects (id),
  deal_code    text        NOT NULL,
  lot_id       uuid        REFERENCES trading.lots (id),
  -- What is objected to: the tender documents, the opening, or the candidates.
  subject      text        NOT NULL CHECK (subject IN ('documents', 'opening', 'candidates')),
  entity_id    uuid        NOT NULL REFERENCES registry.entities (id),
  filed_by     uuid        NOT NULL,
  filed_at     timestamptz NOT NULL,
  content      text        NOT NULL CHECK (length(content) BETWEEN 10 AND 5000),
  reply_due    timestamptz NOT NULL,
  reply        text,
  replied_by   uuid,
  replied_at   timestamptz,
  CHECK ((reply IS NULL) = (replied_at IS NULL))
);
CREATE INDEX objections_project ON trading.objections (project_id, filed_at);
