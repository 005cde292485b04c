-- The deal event stream: every state change of a deal (project accepted, notice published, bid
-- received, opening, award, …) appends one row here, in the same transaction as the change, so
-- the stream and the state can never disagree. It is the spine the ledger, the portal,
-- supervision and the data exchange hang on; they read it through `event_consumers` and catch
-- up after an outage.
--
-- `seq` numbers the events of one deal 1, 2, 3… without gaps. It is taken from the deal's head
-- row in `deal_streams` with INSERT … ON CONFLICT DO UPDATE … RETURNING, so concurrent appends
-- to one deal queue on that row, and an append that rolls back takes its seq back with it.
-- `seq` n is therefore only handed out after the event with seq n − 1 has committed.
--
-- `id` orders the whole stream, but identity values are taken at insert time and become
-- visible at commit time, so a transaction that took a lower id can commit after one with a
-- higher id. `txid` (the writing transaction's id) lets a consumer read only what can no
-- longer change: events whose txid is below the oldest transaction still running
-- (pg_snapshot_xmin), in (txid, id) order. A consumer's position is therefore that pair.
-- xid8 and pg_current_xact_id() exist since PostgreSQL 13.

CREATE TABLE platform.deal_streams (
  deal_code text    PRIMARY KEY CHECK (deal_code ~ '^[0-9A-Z]{32}[0-9A-Z*]$'),
  last_seq  integer NOT NULL CHECK (last_seq > 0)
);

CREATE TABLE platform.deal_events (
  id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  deal_code        text        NOT NULL REFERENCES platform.deal_streams (deal_code),
  seq              integer     NOT NULL CHECK (seq > 0),
  lot_code         text        CHECK (lot_code IS NULL OR (lot_code ~ '^[0-9A-Z]{32}[0-9A-Z*][0-9]{3}$' AND left(lot_code, 33) = deal_code)),
  type             text        NOT NULL CHECK (type ~ '^[a-z][a-z_]{0,62}$'),
  payload          jsonb       NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
  actor_account_id uuid,
  actor_name       text,
  occurred_at      timestamptz NOT NULL,
  txid             xid8        NOT NULL DEFAULT pg_current_xact_id(),
  UNIQUE (deal_code, seq)
);

-- The consumers' reading order.
CREATE INDEX deal_events_txid_id ON platform.deal_events (txid, id);

-- Where each consumer (ledger, portal, supervision, data exchange) has read up to: the
-- (txid, id) of the last event it has handled. It advances in the same transaction as the
-- consumer's own writes, so an event is handled exactly once by a consumer that writes to this
-- database (a transactional outbox).
CREATE TABLE platform.event_consumers (
  name          text        PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_.-]{0,62}$'),
  position      bigint      NOT NULL DEFAULT 0,
  position_txid xid8        NOT NULL DEFAULT '0',
  updated_at    timestamptz
);

CREATE FUNCTION platform.deal_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'platform.deal_events is append-only (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER deal_events_append_only
  BEFORE UPDATE OR DELETE ON platform.deal_events
  FOR EACH ROW EXECUTE FUNCTION platform.deal_events_refuse_change();

CREATE TRIGGER deal_events_no_truncate
  BEFORE TRUNCATE ON platform.deal_events
  FOR EACH STATEMENT EXECUTE FUNCTION platform.deal_events_refuse_change();

-- A stream head only ever moves forward by one; deleting it would hand out seq 1 again.
CREATE FUNCTION platform.deal_streams_forward_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' OR NEW.deal_code <> OLD.deal_code OR NEW.last_seq <> OLD.last_seq + 1 THEN
    RAISE EXCEPTION 'platform.deal_streams only moves forward by one (% refused)', TG_OP
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER deal_streams_forward_only
  BEFORE UPDATE OR DELETE ON platform.deal_streams
  FOR EACH ROW EXECUTE FUNCTION platform.deal_streams_forward_only();

CREATE TRIGGER deal_streams_no_truncate
  BEFORE TRUNCATE ON platform.deal_streams
  FOR EACH STATEMENT EXECUTE FUNCTION platform.deal_events_refuse_change();
