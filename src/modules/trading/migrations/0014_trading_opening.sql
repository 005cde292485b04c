-- The online opening (开标) of each lot: when it started (the bid deadline), until when bidders
-- may decrypt, when decryption ended, and the opening record published then — signed by the
-- platform, with one result row per bid received: decrypted (with the opening items read from
-- the bid package: price, duration, quality, project manager…), failed by the bidder (撤销, still
-- counted), or failed through the platform (撤回). The evaluation reads these rows, never the
-- bid box's own tables.
CREATE TABLE trading.openings (
  lot_id               uuid        PRIMARY KEY REFERENCES trading.lots (id),
  deal_code            text        NOT NULL,
  lot_code             text        NOT NULL,
  started_at           timestamptz NOT NULL,
  decryption_closes_at timestamptz NOT NULL,
  ended_at             timestamptz,
  bids_received        integer     NOT NULL,
  -- The published record (canonical JSON), its signed PDF in the blob store, and the signature.
  record               jsonb,
  document_digest      text,
  signature            text,
  CHECK (decryption_closes_at > started_at),
  CHECK ((ended_at IS NULL) = (record IS NULL))
);

CREATE TABLE trading.opening_results (
  id                uuid        PRIMARY KEY,
  lot_id            uuid        NOT NULL REFERENCES trading.openings (lot_id),
  deal_code         text        NOT NULL,
  lot_code          text        NOT NULL,
  bid_id            uuid        NOT NULL UNIQUE,
  bidder_entity_id  uuid        NOT NULL REFERENCES registry.entities (id),
  bidder_name       text        NOT NULL,
  outcome           text        NOT NULL CHECK (outcome IN ('decrypted', 'bidder_failed', 'platform_failed')),
  received_at       timestamptz NOT NULL,
  -- Only for decrypted bids: the price in fen and the other opening items.
  price_fen         bigint      CHECK (price_fen > 0),
  items             jsonb,
  -- The decrypted bid package in the blob store (SM3), for the evaluation.
  package_digest    text,
  decided_at        timestamptz NOT NULL,
  CHECK ((outcome = 'decrypted') = (price_fen IS NOT NULL AND package_digest IS NOT NULL)),
  UNIQUE (lot_id, bidder_entity_id)
);
