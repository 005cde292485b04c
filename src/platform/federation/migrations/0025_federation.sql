-- The federation's replay guard. A node takes each envelope id from each peer once: the insert
-- of (peer, id) either succeeds, and the message is handled, or meets the primary key, and the
-- message is refused as a replay. Envelopes older than the allowed clock skew are refused before
-- this table is asked, so a row is only needed while its envelope is inside that window; rows
-- older than twice the window are purged on the way (received_at's index).
CREATE SCHEMA IF NOT EXISTS federation;

CREATE TABLE federation.received_messages (
  peer_region  text        NOT NULL CHECK (peer_region ~ '^[0-9]{6}$'),
  message_id   uuid        NOT NULL,
  action       text        NOT NULL,
  received_at  timestamptz NOT NULL,
  PRIMARY KEY (peer_region, message_id)
);

CREATE INDEX received_messages_received_at ON federation.received_messages (received_at);
