-- Organisations and personnel (mission task 4): the region table (GB/T 2260, filled from the
-- shipped data file by the reference-data sync), the configurable organisation tree, the
-- personnel library and roles composed of permissions. Permission codes are a closed
-- catalogue in code (org.permissions.ts); the database stores which role holds which.
CREATE SCHEMA IF NOT EXISTS org;

CREATE TABLE org.regions (
  code        text     PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
  name        text     NOT NULL,
  level       smallint NOT NULL CHECK (level IN (1, 2, 3)),
  parent_code text     REFERENCES org.regions (code),
  CHECK ((level = 1) = (parent_code IS NULL))
);
CREATE INDEX regions_parent ON org.regions (parent_code);

CREATE TABLE org.organisations (
  id          uuid        PRIMARY KEY,
  parent_id   uuid        REFERENCES org.organisations (id),
  name        text        NOT NULL CHECK (length(name) BETWEEN 2 AND 100),
  short_name  text,
  kind        text        NOT NULL CHECK (kind IN ('trading_centre', 'supervision', 'audit', 'department', 'other')),
  region_code text        NOT NULL REFERENCES org.regions (code),
  industry    text        CHECK (industry IN ('development_reform', 'housing_construction', 'transport', 'water',
                                              'finance', 'natural_resources', 'state_assets', 'other')),
  credit_code text        CHECK (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
  status      text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_by  uuid,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  version     integer     NOT NULL DEFAULT 1,
  CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX organisations_parent ON org.organisations (parent_id);
CREATE INDEX organisations_region ON org.organisations (region_code);
-- Two siblings may not share a name (roots are siblings of each other).
CREATE UNIQUE INDEX organisations_sibling_name
  ON org.organisations (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), name);
CREATE UNIQUE INDEX organisations_credit_code ON org.organisations (credit_code) WHERE credit_code IS NOT NULL;

-- ID numbers and phones are personal data: stored SM4-encrypted, with a keyed SM3 index for
-- uniqueness and a masked copy for display. Nobody reads them in clear through the list API.
CREATE TABLE org.personnel (
  id               uuid        PRIMARY KEY,
  organisation_id  uuid        NOT NULL REFERENCES org.organisations (id),
  name             text        NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  id_number_enc    text        NOT NULL,
  id_number_index  text        NOT NULL,
  id_number_masked text        NOT NULL,
  gender           text        NOT NULL CHECK (gender IN ('male', 'female')),
  birth_date       date        NOT NULL,
  position         text        NOT NULL DEFAULT '',
  phone_enc        text,
  phone_masked     text,
  status           text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'left')),
  created_by       uuid,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  version          integer     NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX personnel_id_number ON org.personnel (id_number_index);
CREATE INDEX personnel_organisation ON org.personnel (organisation_id);

CREATE TABLE org.roles (
  id           uuid        PRIMARY KEY,
  code         text        NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
  name         text        NOT NULL CHECK (length(name) BETWEEN 2 AND 50),
  description  text        NOT NULL DEFAULT '',
  mfa_required boolean     NOT NULL,
  builtin      boolean     NOT NULL DEFAULT false,
  -- Derived from the permissions: at most one administrator class per role (三员分立).
  admin_class  text        CHECK (admin_class IN ('system', 'security', 'audit')),
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  version      integer     NOT NULL DEFAULT 1
);

CREATE TABLE org.role_permissions (
  role_id    uuid NOT NULL REFERENCES org.roles (id) ON DELETE CASCADE,
  permission text NOT NULL CHECK (permission ~ '^[a-z]+(\.[a-z_]+)+$'),
  PRIMARY KEY (role_id, permission)
);
