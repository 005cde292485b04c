-- Sealed bids (电子招标投标办法 §26–31): the bidders' sealing keys, every upload attempt with its
-- signed receipt, the key seals of each bid, rehearsals of the decryption, bid securities and
-- the guarantee issuers whose electronic guarantees the platform accepts. The envelope format
-- is specified in src/modules/trading/bid-envelope.ts; the platform never holds a private
-- sealing key, so nothing here lets it read a bid before the bidder hands over the file key.

-- SM2 public keys a bidder seals its file keys to. A bid's file key is sealed to every active
-- key of the entity, so a lost or renewed key does not strand a bid. A revoked key stays (old
-- seals name it) and cannot be registered again.
CREATE TABLE trading.sealing_keys (
  id          uuid        PRIMARY KEY,
  entity_id   uuid        NOT NULL REFERENCES registry.entities (id),
  public_key  text        NOT NULL CHECK (public_key ~ '^04[0-9a-f]{128}$'),
  label       text        NOT NULL CHECK (length(label) BETWEEN 1 AND 50),
  -- SM3 of the public key's 65 bytes: what a key file and the screens show to tell keys apart.
  fingerprint text        NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  created_by  uuid        NOT NULL,
  created_at  timestamptz NOT NULL,
  revoked_at  timestamptz,
  revoked_by  uuid,
  UNIQUE (entity_id, fingerprint)
);
CREATE INDEX sealing_keys_active ON trading.sealing_keys (entity_id) WHERE revoked_at IS NULL;

-- One row per upload attempt. `uploading` while the bytes stream in; `received` once the last
-- byte is on disk and the receipt is issued; `incomplete` when the upload broke off, came
-- too late or was malformed (kept for supervision, failure_reason says which); `replaced` by a
-- later received bid; `withdrawn` by the bidder before the deadline; at the opening
-- `decrypted`, or `decrypt_failed_bidder` (撤销: the bidder did not hand over the right key)
-- or `decrypt_failed_platform` (撤回: the stored file no longer matches its receipt).
CREATE TABLE trading.bids (
  id                uuid        PRIMARY KEY,
  lot_id            uuid        NOT NULL REFERENCES trading.lots (id),
  deal_code         text        NOT NULL,
  lot_code          text        NOT NULL,
  bidder_entity_id  uuid        NOT NULL REFERENCES registry.entities (id),
  attempt           integer     NOT NULL CHECK (attempt >= 1),
  status            text        NOT NULL CHECK (status IN ('uploading', 'received', 'replaced', 'withdrawn', 'incomplete', 'decrypted', 'decrypt_failed_bidder', 'decrypt_failed_platform')),
  failure_reason    text        CHECK (failure_reason IN ('interrupted', 'late', 'malformed', 'refused', 'crashed')),
  submitted_by      uuid        NOT NULL,
  started_at        timestamptz NOT NULL,
  -- The node that streams the upload: after a crash that node marks its own uploads incomplete.
  intake_node       text        NOT NULL,
  blob_digest       text        CHECK (blob_digest ~ '^[0-9a-f]{64}$'),
  size              bigint,
  header            jsonb,
  commit_key        text        CHECK (commit_key ~ '^04[0-9a-f]{128}$'),
  received_at       timestamptz,
  receipt           jsonb,
  receipt_signature text,
  -- Client address, user agent, client tool and version as sent; after the opening, document
  -- metadata for the collusion checks (DOMAIN.md §6). Never the content.
  fingerprint       jsonb       NOT NULL DEFAULT '{}',
  replaced_at       timestamptz,
  withdrawn_at      timestamptz,
  -- Wrong file keys handed over at the opening (each checked against commit_key).
  decrypt_attempts  integer     NOT NULL DEFAULT 0,
  decrypted_at      timestamptz,
  plaintext_digest  text        CHECK (plaintext_digest ~ '^[0-9a-f]{64}$'),
  plaintext_size    bigint,
  decrypt_failure   text,
  updated_at        timestamptz NOT NULL,
  UNIQUE (lot_id, bidder_entity_id, attempt),
  CHECK (status IN ('uploading', 'incomplete') OR (blob_digest IS NOT NULL AND size IS NOT NULL AND commit_key IS NOT NULL AND received_at IS NOT NULL AND receipt IS NOT NULL AND receipt_signature IS NOT NULL)),
  CHECK ((status = 'incomplete') = (failure_reason IS NOT NULL)),
  CHECK (status <> 'decrypted' OR plaintext_digest IS NOT NULL)
);
-- At most one standing bid per lot and bidder (received, or its outcome at the opening).
CREATE UNIQUE INDEX bids_one_standing ON trading.bids (lot_id, bidder_entity_id)
  WHERE status IN ('received', 'decrypted', 'decrypt_failed_bidder', 'decrypt_failed_platform');
CREATE INDEX bids_lot ON trading.bids (lot_id, status);
CREATE INDEX bids_bidder ON trading.bids (bidder_entity_id, started_at);
CREATE INDEX bids_uploading ON trading.bids (intake_node) WHERE status = 'uploading';

-- K sealed to one sealing key (SM2, C1‖C3‖C2 hex). Outside the envelope, so a seal for a
-- renewed key is added without touching the file; `via` says whether it came with the upload
-- or later with a proof signed by the commitment key.
CREATE TABLE trading.bid_key_seals (
  bid_id          uuid        NOT NULL REFERENCES trading.bids (id),
  sealing_key_id  uuid        NOT NULL REFERENCES trading.sealing_keys (id),
  sealed_key      text        NOT NULL CHECK (sealed_key ~ '^[0-9a-f]{224,226}$'),
  via             text        NOT NULL CHECK (via IN ('upload', 'reseal')),
  proof           text,
  added_by        uuid        NOT NULL,
  added_at        timestamptz NOT NULL,
  PRIMARY KEY (bid_id, sealing_key_id)
);
CREATE INDEX bid_key_seals_key ON trading.bid_key_seals (sealing_key_id);

-- Decryption rehearsals: the bidder proved (or failed to prove) it can recover K.
CREATE TABLE trading.bid_rehearsals (
  id              uuid        PRIMARY KEY,
  bid_id          uuid        NOT NULL REFERENCES trading.bids (id),
  sealing_key_id  uuid        REFERENCES trading.sealing_keys (id),
  ok              boolean     NOT NULL,
  account_id      uuid        NOT NULL,
  at              timestamptz NOT NULL
);
CREATE INDEX bid_rehearsals_bid ON trading.bid_rehearsals (bid_id, at);

-- Guarantee issuers (banks, guarantee companies, insurers) registered by the centre's staff:
-- an electronic guarantee is accepted only under the signature of an active issuer's key.
CREATE TABLE trading.guarantee_issuers (
  id          uuid        PRIMARY KEY,
  name        text        NOT NULL CHECK (length(name) BETWEEN 2 AND 100),
  uscc        text        NOT NULL UNIQUE CHECK (uscc ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
  public_key  text        NOT NULL CHECK (public_key ~ '^04[0-9a-f]{128}$'),
  status      text        NOT NULL CHECK (status IN ('active', 'suspended')),
  created_by  uuid        NOT NULL,
  created_at  timestamptz NOT NULL
);

-- Bid security (投标保证金) of a bidder for a lot. Per lot and bidder, not per upload: replacing
-- a bid does not ask for a second security. A new one supersedes the earlier.
CREATE TABLE trading.bid_securities (
  id                      uuid        PRIMARY KEY,
  lot_id                  uuid        NOT NULL REFERENCES trading.lots (id),
  bidder_entity_id        uuid        NOT NULL REFERENCES registry.entities (id),
  -- The standing bid when the security was lodged (informative; the security follows the bidder).
  bid_id                  uuid        REFERENCES trading.bids (id),
  form                    text        NOT NULL CHECK (form IN ('cash', 'guarantee')),
  amount_fen              bigint      NOT NULL CHECK (amount_fen > 0),
  -- Cash: the paying account, only masked and as the registry's keyed digest (never in clear).
  paying_account_masked   text,
  paying_account_digest   text,
  -- Guarantee: the signed document as sent, its signature and issuer.
  guarantee               jsonb,
  guarantee_signature     text,
  issuer_id               uuid        REFERENCES trading.guarantee_issuers (id),
  -- A guarantee is verified when its signature and terms check out; cash when the bank's
  -- arrival notice is matched (later: the settlement interface).
  verified                boolean     NOT NULL,
  status                  text        NOT NULL CHECK (status IN ('active', 'superseded')),
  submitted_by            uuid        NOT NULL,
  submitted_at            timestamptz NOT NULL,
  CHECK ((form = 'cash') = (paying_account_digest IS NOT NULL)),
  CHECK ((form = 'guarantee') = (guarantee IS NOT NULL AND issuer_id IS NOT NULL))
);
CREATE UNIQUE INDEX bid_securities_active ON trading.bid_securities (lot_id, bidder_entity_id) WHERE status = 'active';
