-- Accounts, sessions and password history (等保三级
-- identity controls: unique accounts, argon2id hashes, lockout, idle timeout, TOTP).
CREATE SCHEMA IF NOT EXISTS identity;

CREATE TABLE identity.accounts (
  id                   uuid        PRIMARY KEY,
  username             text        NOT NULL CHECK (username ~ '^[A-Za-z][A-Za-z0-9_.-]{2,31}$'),
  display_name         text        NOT NULL CHECK (length(display_name) BETWEEN 1 AND 50),
  organisation_id      uuid        NOT NULL REFERENCES org.organisations (id),
  personnel_id         uuid        UNIQUE REFERENCES org.personnel (id),
  password_hash        text        NOT NULL,
  password_changed_at  timestamptz NOT NULL,
  must_change_password boolean     NOT NULL DEFAULT true,
  status               text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  failed_attempts      integer     NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until         timestamptz,
  totp_secret_enc      text,
  totp_enabled         boolean     NOT NULL DEFAULT false,
  -- Last accepted TOTP time step: a code is never accepted twice.
  totp_last_step       bigint,
  last_login_at        timestamptz,
  created_by           uuid,
  created_at           timestamptz NOT NULL,
  updated_at           timestamptz NOT NULL,
  version              integer     NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX accounts_username ON identity.accounts (lower(username));
CREATE INDEX accounts_organisation ON identity.accounts (organisation_id);

-- Only a digest of the session token is stored: a copy of this table opens no session.
CREATE TABLE identity.sessions (
  id           uuid        PRIMARY KEY,
  token_hash   text        NOT NULL UNIQUE,
  account_id   uuid        NOT NULL REFERENCES identity.accounts (id) ON DELETE CASCADE,
  stage        text        NOT NULL CHECK (stage IN ('mfa', 'mfa_enroll', 'password_change', 'active')),
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  ended_at     timestamptz,
  end_reason   text        CHECK (end_reason IN ('logout', 'idle', 'expired', 'revoked', 'password_changed')),
  client_ip    text,
  user_agent   text
);
CREATE INDEX sessions_account ON identity.sessions (account_id) WHERE ended_at IS NULL;

CREATE TABLE identity.password_history (
  account_id    uuid        NOT NULL REFERENCES identity.accounts (id) ON DELETE CASCADE,
  password_hash text        NOT NULL,
  changed_at    timestamptz NOT NULL
);
CREATE INDEX password_history_account ON identity.password_history (account_id, changed_at DESC);
