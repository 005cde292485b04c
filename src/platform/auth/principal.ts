// Who is calling: the account behind a session, with its effective permissions and the widest
// data scope it holds for each. Built once per request by the identity module.

import type { SessionStage } from '../../modules/identity/identity.tables.ts';
import type { Permission } from '../../modules/org/org.permissions.ts';
import type { AdminClass, DataScope } from '../../modules/org/org.tables.ts';

export interface Principal {
  accountId: string;
  username: string;
  displayName: string;
  /** The platform organisation of a staff account; null for a market entity's account. */
  organisationId: string | null;
  /** The registered market entity a market entity's account acts for; null for staff. */
  entityId: string | null;
  /** The pool expert an evaluation expert's account signs in as; null otherwise. */
  expertId: string | null;
  /** Region of the account's organisation, or of the entity's registration (anchor of the `region` scope). */
  regionCode: string;
  sessionId: string;
  stage: SessionStage;
  /** Permission → the widest data scope any of the account's grants gives it. */
  grants: ReadonlyMap<Permission, DataScope>;
  adminClass: AdminClass | null;
  via: 'cookie' | 'bearer';
  /** Facts shown by GET /auth/me, resolved with the session so that call needs no query. */
  /** Name of the organisation, of the entity, or (an expert's account) of the expert. */
  organisationName: string;
  roles: { id: string; code: string; name: string; scope: DataScope }[];
  mfaEnabled: boolean;
  passwordChangedAt: Date;
  /** A reference account of another node's account (identity.province.ts): the node that holds it; null here. */
  homeNode: string | null;
}

/** What the session cache keeps per token digest. */
export interface SessionSnapshot {
  principal: Omit<Principal, 'via'>;
  expiresAtMs: number;
  /** Last activity as stored (written at most every touch interval). */
  storedLastSeenMs: number;
  /** Last activity seen by this process (exact). */
  lastSeenMs: number;
  /** The principal as handed to requests, one object per way of carrying the token. */
  views: Partial<Record<Principal['via'], Principal>>;
}

export const SCOPE_RANK: Record<DataScope, number> = { own: 0, organisation: 1, region: 2, province: 3 };

export function widerScope(a: DataScope | undefined, b: DataScope): DataScope {
  return a === undefined || SCOPE_RANK[b] > SCOPE_RANK[a] ? b : a;
}

export function scopeOf(principal: Principal, permission: Permission): DataScope | undefined {
  return principal.stage === 'active' ? principal.grants.get(permission) : undefined;
}

export const SCOPE_NAMES: Record<DataScope, string> = {
  own: '本人',
  organisation: '本机构',
  region: '本区域',
  province: '全省',
};
