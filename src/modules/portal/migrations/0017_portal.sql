-- The public portal's read model. It is filled only from the deal event stream (the portal's
-- consumer in platform.event_consumers), never from the procedures' tables, so the portal can run
-- on a read replica and be rebuilt by replaying the stream. Rows are never deleted: a notice that
-- a later one changes is marked, and both stay readable.

-- Trigram matching of names and codes (fuzzy fallback of the search).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE SCHEMA IF NOT EXISTS portal;

-- One row per deal (from project_accepted): its public facts and its current public stage.
CREATE TABLE portal.deals (
  deal_code              text        PRIMARY KEY CHECK (deal_code ~ '^[0-9A-Z]{32}[0-9A-Z*]$'),
  name                   text        NOT NULL,
  category               text        NOT NULL,
  sub_category           text        NOT NULL,
  region_code            text        NOT NULL,
  -- The region's city (GB/T 2260 level 2); null for a province-level deal.
  city_code              text,
  tenderer_name          text        NOT NULL,
  agency_name            text,
  tender_method          text,
  supervising_department text,
  stage                  text        NOT NULL,
  bid_deadline           timestamptz,
  accepted_at            timestamptz NOT NULL,
  updated_at             timestamptz NOT NULL,
  -- The deal's last event applied: events are applied in the deal's seq order exactly once.
  last_seq               integer     NOT NULL,
  tsv                    tsvector    NOT NULL
);
CREATE INDEX deals_recent ON portal.deals (accepted_at DESC);
CREATE INDEX deals_city ON portal.deals (city_code, accepted_at DESC);
CREATE INDEX deals_tsv ON portal.deals USING gin (tsv);
CREATE INDEX deals_name_trgm ON portal.deals USING gin (name gin_trgm_ops);
CREATE INDEX deals_code_prefix ON portal.deals (deal_code text_pattern_ops);

CREATE TABLE portal.lots (
  lot_code            text        PRIMARY KEY CHECK (lot_code ~ '^[0-9A-Z]{32}[0-9A-Z*][0-9]{3}$'),
  deal_code           text        NOT NULL REFERENCES portal.deals (deal_code),
  lot_no              integer     NOT NULL,
  name                text        NOT NULL,
  estimated_price_fen bigint,
  stage               text        NOT NULL,
  winner_name         text,
  award_price_fen     bigint,
  contract_price_fen  bigint,
  updated_at          timestamptz NOT NULL
);
CREATE INDEX lots_deal ON portal.lots (deal_code, lot_no);

-- Every published notice, with its text as published. `corrected_at` marks a notice a later one
-- changed (the later one names it in corrects_id); `closes_at` is when what it announces ends
-- (the bid deadline of a tender notice, moved by amendments; the end of a publicity).
CREATE TABLE portal.notices (
  id            uuid        PRIMARY KEY,
  deal_code     text        NOT NULL REFERENCES portal.deals (deal_code),
  lot_code      text,
  kind          text        NOT NULL CHECK (kind IN ('tender', 'amendment', 'opening_record', 'failure', 'candidates', 'result', 'contract')),
  title         text        NOT NULL,
  body          text        NOT NULL,
  category      text        NOT NULL,
  sub_category  text        NOT NULL,
  region_code   text        NOT NULL,
  city_code     text,
  published_at  timestamptz NOT NULL,
  closes_at     timestamptz,
  corrects_id   uuid        REFERENCES portal.notices (id),
  corrected_at  timestamptz,
  document_sm3  text        CHECK (document_sm3 ~ '^[0-9a-f]{64}$'),
  -- Structured public facts shown with the text (opening record rows, candidates).
  details       jsonb,
  event_id      bigint      NOT NULL,
  tsv           tsvector    NOT NULL
);
-- The lists: newest first, by any one of the filters a reader picks first; the planner combines
-- the rest as filters on the index order (see bench/portal.ts for what each costs at 1,000,000).
CREATE INDEX notices_recent ON portal.notices (published_at DESC, id DESC);
CREATE INDEX notices_kind ON portal.notices (kind, published_at DESC, id DESC);
CREATE INDEX notices_category ON portal.notices (category, kind, published_at DESC, id DESC);
CREATE INDEX notices_city ON portal.notices (city_code, kind, published_at DESC, id DESC);
CREATE INDEX notices_region ON portal.notices (region_code, published_at DESC, id DESC);
CREATE INDEX notices_deal ON portal.notices (deal_code, published_at);
CREATE INDEX notices_corrects ON portal.notices (corrects_id) WHERE corrects_id IS NOT NULL;
CREATE INDEX notices_tsv ON portal.notices USING gin (tsv);
CREATE INDEX notices_title_trgm ON portal.notices USING gin (title gin_trgm_ops);

-- The public timeline of a deal: the events a member of the public may see, in the deal's order,
-- with a summary written for them (no bidder before the opening, no expert before the result).
CREATE TABLE portal.timeline (
  deal_code   text        NOT NULL REFERENCES portal.deals (deal_code),
  seq         integer     NOT NULL,
  lot_code    text,
  type        text        NOT NULL,
  label       text        NOT NULL,
  summary     text        NOT NULL,
  notice_id   uuid,
  occurred_at timestamptz NOT NULL,
  PRIMARY KEY (deal_code, seq)
);

-- A counter moved by every applied batch: the lists' ETag, so re-reading an unchanged list is a
-- one-row lookup and a 304.
CREATE TABLE portal.meta (
  singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
  version    bigint      NOT NULL,
  updated_at timestamptz NOT NULL
);
INSERT INTO portal.meta (singleton, version, updated_at) VALUES (true, 0, '2000-01-01T00:00:00Z');
