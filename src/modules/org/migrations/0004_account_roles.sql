-- Which roles an account holds, each with its data scope. Kept by the org module (it owns
-- roles, permissions and scopes); it refers to identity's accounts, hence after 0003.
CREATE TABLE org.account_roles (
  account_id uuid        NOT NULL REFERENCES identity.accounts (id) ON DELETE CASCADE,
  role_id    uuid        NOT NULL REFERENCES org.roles (id),
  scope      text        NOT NULL CHECK (scope IN ('own', 'organisation', 'region', 'province')),
  granted_by uuid,
  granted_at timestamptz NOT NULL,
  PRIMARY KEY (account_id, role_id)
);
CREATE INDEX account_roles_role ON org.account_roles (role_id);
