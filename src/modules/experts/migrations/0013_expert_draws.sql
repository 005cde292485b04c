-- Random draws of evaluation panels (专家抽取, DOMAIN.md §3 "evaluation committee" and
-- "expert avoidance"). Everything an auditor needs to re-run a draw is kept here: the canonical
-- request, and per round (the first draw, then any top-up) the seed, the algorithm version, the
-- sorted eligible lists with their SM3 digest, why each candidate was left out (ids only, no
-- personal data) and the result in order. Rounds are append-only; only the members' answers
-- change afterwards.
CREATE TABLE experts.draws (
  id               uuid        PRIMARY KEY,
  deal_code        text        NOT NULL CHECK (deal_code ~ '^[0-9A-Z]{32}[0-9A-Z*]$'),
  lot_code         text        CHECK (lot_code ~ '^[0-9A-Z]{32}[0-9A-Z*][0-9]{3}$' AND left(lot_code, 33) = deal_code),
  -- The deal's region: the draw's data scope (who may read and act on it) and the ban check's region.
  region_code      text        NOT NULL REFERENCES org.regions (code),
  category         text        NOT NULL,
  evaluation_date  date        NOT NULL,
  request          jsonb       NOT NULL,
  request_digest   text        NOT NULL,
  status           text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed')),
  drawn_by         uuid        NOT NULL,
  drawn_at         timestamptz NOT NULL,
  confirmed_by     uuid,
  confirmed_at     timestamptz,
  -- Members stay anonymous to bidders until the result is published (set by the trading module).
  revealed_at      timestamptz,
  CHECK ((status = 'confirmed') = (confirmed_at IS NOT NULL)),
  CHECK (revealed_at IS NULL OR status = 'confirmed')
);
-- One panel per lot (or per deal without lots): a second draw would let someone draw until a
-- panel suits them.
CREATE UNIQUE INDEX draws_one_per_lot ON experts.draws (deal_code, coalesce(lot_code, ''));

CREATE TABLE experts.draw_rounds (
  draw_id         uuid        NOT NULL REFERENCES experts.draws (id),
  round_no        integer     NOT NULL CHECK (round_no >= 0),
  seed            text        NOT NULL CHECK (seed ~ '^[0-9a-f]{64}$'),
  algorithm       text        NOT NULL,
  needs           jsonb       NOT NULL,
  reserves        integer     NOT NULL CHECK (reserves >= 0),
  eligible        jsonb       NOT NULL,
  eligible_digest text        NOT NULL,
  exclusions      jsonb       NOT NULL,
  result          jsonb       NOT NULL,
  drawn_by        uuid        NOT NULL,
  drawn_at        timestamptz NOT NULL,
  PRIMARY KEY (draw_id, round_no)
);

CREATE TABLE experts.draw_members (
  draw_id            uuid        NOT NULL REFERENCES experts.draws (id),
  expert_id          uuid        NOT NULL REFERENCES experts.experts (id),
  specialty_code     text        NOT NULL,
  round_no           integer     NOT NULL,
  kind               text        NOT NULL CHECK (kind IN ('member', 'reserve')),
  rank               integer     NOT NULL CHECK (rank >= 1),
  state              text        NOT NULL CHECK (state IN ('standby', 'pending', 'accepted', 'declined', 'unreachable')),
  -- When the expert was asked: at the draw for members, when promoted for a reserve.
  called_at          timestamptz,
  replaces_expert_id uuid,
  answer_reason      text        CHECK (length(answer_reason) <= 200),
  answered_at        timestamptz,
  answered_by        uuid,
  -- An expert sits once per draw, whatever the specialty or round.
  PRIMARY KEY (draw_id, expert_id),
  FOREIGN KEY (draw_id, round_no) REFERENCES experts.draw_rounds (draw_id, round_no),
  CHECK ((state = 'standby') = (called_at IS NULL))
);
CREATE INDEX draw_members_expert ON experts.draw_members (expert_id);
