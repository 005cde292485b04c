-- Unified deal codes (统一交易标识码, DOMAIN.md §2): the coding platform's USCC + the China-time
-- day of issue + that day's 6-digit serial + an ISO 7064 MOD 37,2 check character. A code is
-- issued once — inside the transaction that accepts the project, so the two commit together —
-- and is never reused or edited: every record of the deal carries it.
CREATE SCHEMA IF NOT EXISTS coding;

-- The last serial issued per platform and day. Issuing is one upsert … RETURNING in the
-- caller's transaction: concurrent issues queue on the day's row, so serials are unique and
-- gapless, and a rolled-back acceptance gives its serial back.
CREATE TABLE coding.daily_counters (
  platform_uscc text    NOT NULL CHECK (platform_uscc ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
  day           date    NOT NULL,
  last_serial   integer NOT NULL CHECK (last_serial BETWEEN 1 AND 999999),
  PRIMARY KEY (platform_uscc, day)
);

CREATE TABLE coding.codes (
  code          text        PRIMARY KEY CHECK (length(code) = 33 AND code ~ '^[0-9A-Z]{18}[0-9]{14}[0-9A-Z*]$'),
  platform_uscc text        NOT NULL,
  day           date        NOT NULL,
  serial        integer     NOT NULL CHECK (serial BETWEEN 1 AND 999999),
  kind          text        NOT NULL CHECK (kind ~ '^[a-z][a-z_]{0,62}$'),
  subject_id    uuid        NOT NULL,
  title         text        NOT NULL CHECK (length(btrim(title)) > 0),
  region_code   text        NOT NULL REFERENCES org.regions (code),
  category      text        NOT NULL CHECK (length(btrim(category)) > 0),
  issued_at     timestamptz NOT NULL,
  issued_by     uuid        REFERENCES identity.accounts (id),
  UNIQUE (platform_uscc, day, serial),
  -- The parts stored beside the code are the code's own parts.
  CHECK (left(code, 18) = platform_uscc),
  CHECK (substr(code, 27, 6) = lpad(serial::text, 6, '0'))
);

-- What was issued for a subject (the acceptance that issued it), and by region for scoped lists.
CREATE INDEX codes_subject ON coding.codes (subject_id);
CREATE INDEX codes_region_day ON coding.codes (region_code, day);

-- Lots (标段) of a deal: the deal code + the lot's 3-digit serial, gapless per deal.
CREATE TABLE coding.lot_codes (
  lot_code   text        PRIMARY KEY CHECK (length(lot_code) = 36),
  deal_code  text        NOT NULL REFERENCES coding.codes (code),
  serial     integer     NOT NULL CHECK (serial BETWEEN 1 AND 999),
  subject_id uuid        NOT NULL,
  title      text        NOT NULL CHECK (length(btrim(title)) > 0),
  issued_at  timestamptz NOT NULL,
  UNIQUE (deal_code, serial),
  CHECK (lot_code = deal_code || lpad(serial::text, 3, '0'))
);

CREATE INDEX lot_codes_subject ON coding.lot_codes (subject_id);

CREATE FUNCTION coding.refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: a code is never edited or reused (% refused)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER codes_append_only BEFORE UPDATE OR DELETE ON coding.codes
  FOR EACH ROW EXECUTE FUNCTION coding.refuse_change();
CREATE TRIGGER codes_no_truncate BEFORE TRUNCATE ON coding.codes
  FOR EACH STATEMENT EXECUTE FUNCTION coding.refuse_change();
CREATE TRIGGER lot_codes_append_only BEFORE UPDATE OR DELETE ON coding.lot_codes
  FOR EACH ROW EXECUTE FUNCTION coding.refuse_change();
CREATE TRIGGER lot_codes_no_truncate BEFORE TRUNCATE ON coding.lot_codes
  FOR EACH STATEMENT EXECUTE FUNCTION coding.refuse_change();
