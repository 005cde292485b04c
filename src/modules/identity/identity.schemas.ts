// Request and response schemas of the identity routes, and the mappers from rows.

import { Type } from '@sinclair/typebox';
import { Nullable, NullableTimestamp, StringEnum, Timestamp, Uuid } from '../../platform/http/schemas.ts';
import type { toAccountViews } from './identity.accounts.ts';

const Stage = StringEnum(['mfa', 'mfa_enroll', 'password_change', 'active']);
const Scope = StringEnum(['own', 'organisation', 'region', 'province']);
export const Username = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.-]{2,31}$', description: '3–32 位，字母开头，可含字母、数字、_ . -' });
const Password = Type.String({ minLength: 1, maxLength: 256 });
const TotpCode = Type.String({ pattern: '^[0-9]{6}$' });

export const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Password, tokenType: Type.Optional(StringEnum(['cookie', 'bearer'])) },
  { additionalProperties: false },
);
export const LoginReply = Type.Object({ stage: Stage, csrfToken: Type.String(), token: Type.Optional(Type.String()), expiresAt: Timestamp });
export const CodeBody = Type.Object({ code: TotpCode }, { additionalProperties: false });
export const StageReply = Type.Object({ stage: Stage });
export const EnrolReply = Type.Object({ secret: Type.String(), otpauthUri: Type.String() });
export const PasswordBody = Type.Object({ currentPassword: Password, newPassword: Password }, { additionalProperties: false });

export const Me = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  stage: Stage,
  /** A staff account's organisation; null for a market entity's account. */
  organisation: Nullable(Type.Object({ id: Uuid, name: Type.String(), regionCode: Type.String(), regionName: Type.String() })),
  /** A market entity's account: the entity it acts for; null for staff. */
  entity: Nullable(Type.Object({ id: Uuid, name: Type.String(), regionCode: Type.String(), regionName: Type.String() })),
  /** An evaluation expert's account: the expert it signs in as; null otherwise. */
  expert: Nullable(Type.Object({ id: Uuid, name: Type.String(), regionCode: Type.String(), regionName: Type.String() })),
  roles: Type.Array(Type.Object({ id: Uuid, code: Type.String(), name: Type.String(), scope: Scope })),
  permissions: Type.Array(Type.String()),
  mfaEnabled: Type.Boolean(),
  passwordExpiresAt: NullableTimestamp,
  /** The node that holds this account (its password, second factor and entity profile): "140000" for a province account signed in on a city; null for an account of this node. */
  homeNode: Nullable(Type.String()),
});

export const GrantSchema = Type.Object({ roleId: Uuid, scope: Scope }, { additionalProperties: false });

export const Account = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  organisationId: Nullable(Uuid),
  /** A market entity's account: the entity it acts for. */
  entityId: Nullable(Uuid),
  /** An evaluation expert's account: the expert it signs in as. */
  expertId: Nullable(Uuid),
  organisationName: Type.String(),
  personnelId: Nullable(Uuid),
  status: StringEnum(['active', 'disabled']),
  locked: Type.Boolean(),
  lockedUntil: NullableTimestamp,
  mfaEnabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  roles: Type.Array(Type.Object({ roleId: Uuid, code: Type.String(), name: Type.String(), scope: Scope })),
  lastLoginAt: NullableTimestamp,
  version: Type.Integer(),
});

export const AccountCreate = Type.Object(
  {
    username: Username,
    displayName: Type.String({ minLength: 1, maxLength: 50 }),
    organisationId: Uuid,
    personnelId: Type.Optional(Uuid),
    initialPassword: Password,
  },
  { additionalProperties: false },
);
export const AccountPatch = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    status: Type.Optional(StringEnum(['active', 'disabled'])),
  },
  { additionalProperties: false },
);
export const ResetPasswordBody = Type.Object({ newPassword: Password }, { additionalProperties: false });
export const GrantsBody = Type.Object({ grants: Type.Array(GrantSchema, { maxItems: 20 }) }, { additionalProperties: false });
export const AccountListQuery = Type.Object(
  {
    organisationId: Type.Optional(Uuid),
    q: Type.Optional(Type.String({ maxLength: 50 })),
    status: Type.Optional(StringEnum(['active', 'disabled'])),
    page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  },
  { additionalProperties: false },
);

type AccountView = Awaited<ReturnType<typeof toAccountViews>>[number];

export function mapAccount(v: AccountView) {
  const r = v.row;
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    organisationId: r.organisation_id,
    entityId: r.entity_id,
    expertId: r.expert_id,
    organisationName: v.organisationName,
    personnelId: r.personnel_id,
    status: r.status,
    locked: v.locked,
    lockedUntil: v.locked && r.locked_until ? r.locked_until.toISOString() : null,
    mfaEnabled: r.totp_enabled,
    mustChangePassword: r.must_change_password,
    roles: v.roles.map((g) => ({ roleId: g.roleId, code: g.code, name: g.name, scope: g.scope })),
    lastLoginAt: r.last_login_at?.toISOString() ?? null,
    version: r.version,
  };
}
