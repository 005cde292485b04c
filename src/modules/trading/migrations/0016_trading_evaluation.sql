-- The tender procedure after the opening (lot by lot): the evaluation with its panel and each
-- member's scores, the report, the candidates' publicity, the award, the contract and the
-- release of the bid securities. Notices (candidates, result, contract, failure) go to
-- trading.notices, objections to the candidates to trading.objections (subject 'candidates').
-- Times that the law's periods count from are the deal's clock.

-- One evaluation per lot, from the panel draw on. The panel itself lives in the expert module's
-- draw (experts.draws); the trading module keeps only the draw's id.
CREATE TABLE trading.evaluations (
  lot_id            uuid        PRIMARY KEY REFERENCES trading.lots (id),
  deal_code         text        NOT NULL,
  lot_code          text        NOT NULL,
  draw_id           uuid        NOT NULL UNIQUE,
  drawn_at          timestamptz NOT NULL,
  started_at        timestamptz,
  reported_at       timestamptz,
  -- The report as built by the evaluation module (canonical JSON), its signed PDF in the blob
  -- store (SM3 digest) and the platform's detached signature (JSON of DocumentSignature).
  report            jsonb,
  report_digest     text        CHECK (report_digest ~ '^[0-9a-f]{64}$'),
  report_signature  jsonb,
  outcome           text        CHECK (outcome IN ('ok', 'insufficient_competition')),
  CHECK ((reported_at IS NULL) = (report IS NULL)),
  CHECK ((report IS NULL) = (outcome IS NULL))
);

-- One row per member of the confirmed panel, made when the evaluation starts: the member's
-- marks (expert points and pass/fail judgements) and rejection votes, re-submitted at will until
-- confirmed; confirmed rows never change.
CREATE TABLE trading.evaluation_scores (
  lot_id        uuid        NOT NULL REFERENCES trading.evaluations (lot_id),
  expert_id     uuid        NOT NULL REFERENCES experts.experts (id),
  seat          integer     NOT NULL CHECK (seat >= 1),
  marks         jsonb       NOT NULL DEFAULT '[]',
  rejections    jsonb       NOT NULL DEFAULT '[]',
  submitted_at  timestamptz,
  confirmed_at  timestamptz,
  version       integer     NOT NULL DEFAULT 1,
  PRIMARY KEY (lot_id, expert_id),
  UNIQUE (lot_id, seat),
  CHECK (confirmed_at IS NULL OR submitted_at IS NOT NULL)
);
CREATE INDEX evaluation_scores_expert ON trading.evaluation_scores (expert_id);

-- The candidates' publicity (中标候选人公示): ≤ 3 ranked candidates from the report.
CREATE TABLE trading.candidate_publicities (
  lot_id           uuid        PRIMARY KEY REFERENCES trading.evaluations (lot_id),
  notice_id        uuid        NOT NULL REFERENCES trading.notices (id),
  candidates       jsonb       NOT NULL,
  publicity_from   timestamptz NOT NULL,
  publicity_until  timestamptz NOT NULL,
  published_by     uuid        NOT NULL,
  CHECK (publicity_until > publicity_from)
);

-- The award (定标) and its notice (中标通知书), signed by the platform.
CREATE TABLE trading.awards (
  lot_id            uuid        PRIMARY KEY REFERENCES trading.candidate_publicities (lot_id),
  bid_id            uuid        NOT NULL REFERENCES trading.opening_results (bid_id),
  winner_entity_id  uuid        NOT NULL REFERENCES registry.entities (id),
  winner_name       text        NOT NULL,
  price_fen         bigint      NOT NULL CHECK (price_fen > 0),
  candidate_rank    integer     NOT NULL CHECK (candidate_rank >= 1),
  -- Why a candidate other than the first was chosen; required then.
  deviation_reason  text,
  awarded_at        timestamptz NOT NULL,
  awarded_by        uuid        NOT NULL,
  notice_digest     text        NOT NULL CHECK (notice_digest ~ '^[0-9a-f]{64}$'),
  notice_signature  jsonb       NOT NULL,
  result_notice_id  uuid        NOT NULL REFERENCES trading.notices (id),
  CHECK ((candidate_rank = 1) OR deviation_reason IS NOT NULL)
);

-- The written contract, at the winning price (招标投标法 §46), its file by digest.
CREATE TABLE trading.contracts (
  lot_id        uuid        PRIMARY KEY REFERENCES trading.awards (lot_id),
  price_fen     bigint      NOT NULL CHECK (price_fen > 0),
  signed_on     date        NOT NULL,
  file_name     text        NOT NULL,
  file_digest   text        NOT NULL CHECK (file_digest ~ '^[0-9a-f]{64}$'),
  file_size     integer     NOT NULL CHECK (file_size > 0),
  notice_id     uuid        NOT NULL REFERENCES trading.notices (id),
  recorded_at   timestamptz NOT NULL,
  recorded_by   uuid        NOT NULL
);

-- The release of each bid's security after the contract, keyed by bid: the bid box's own
-- security records (written separately) are marked from here; due_on is the last day of the
-- 5-day refund period (实施条例 §57).
CREATE TABLE trading.security_releases (
  bid_id            uuid        PRIMARY KEY REFERENCES trading.opening_results (bid_id),
  lot_id            uuid        NOT NULL REFERENCES trading.lots (id),
  bidder_entity_id  uuid        NOT NULL REFERENCES registry.entities (id),
  amount_fen        bigint      NOT NULL CHECK (amount_fen >= 0),
  released_at       timestamptz NOT NULL,
  due_on            date        NOT NULL
);
CREATE INDEX security_releases_lot ON trading.security_releases (lot_id);
