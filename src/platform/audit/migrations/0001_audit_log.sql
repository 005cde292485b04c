-- The audit trail (等保三级: every user action, tamper-evident, kept ≥ 6 months).
-- Rows are appended in the same transaction as the change they describe. `seq` is assigned
-- under an advisory lock as the previous seq + 1, so the sequence is gapless and the SM3 hash
-- chain (hash = SM3(prev_hash ‖ canonical row)) links every row to the one before it.
-- Update, delete and truncate are refused by triggers; someone who disables the triggers is
-- still caught by `ggzy audit verify`, which recomputes the chain.
CREATE SCHEMA IF NOT EXISTS audit;

CREATE TABLE audit.audit_log (
  seq            bigint      PRIMARY KEY CHECK (seq > 0),
  occurred_at    timestamptz NOT NULL,
  actor_id       uuid,
  actor_username text,
  action         text        NOT NULL,
  target_type    text,
  target_id      text,
  result         text        NOT NULL CHECK (result IN ('success', 'failure', 'denied')),
  client_ip      text,
  request_id     text,
  before_digest  text,
  after_digest   text,
  detail         jsonb       NOT NULL DEFAULT '{}'::jsonb,
  prev_hash      text        NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash           text        NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);

CREATE INDEX audit_log_occurred_at ON audit.audit_log (occurred_at);
CREATE INDEX audit_log_actor ON audit.audit_log (actor_id, occurred_at);
CREATE INDEX audit_log_action ON audit.audit_log (action, occurred_at);

CREATE FUNCTION audit.refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit.audit_log is append-only (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE ON audit.audit_log
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();

CREATE TRIGGER audit_log_no_truncate
  BEFORE TRUNCATE ON audit.audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
