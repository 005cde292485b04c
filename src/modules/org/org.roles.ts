// Roles (configurable sets of permissions) and grants (role + data scope per account), with the
// separation of the three administrators enforced on both.

import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { appendAudit } from '../../platform/audit/audit.ts';
import { writeAffectingSessions } from '../../platform/auth/auth-cache.ts';
import { widerScope, type Principal } from '../../platform/auth/principal.ts';
import type { Db } from '../../platform/db/database.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { auditContext, type RequestContext } from '../../platform/http/context.ts';
import { ADMIN_CLASS_NAMES, adminClassesOf, isPermission, permissionKind, PERMISSIONS, PERMISSION_CODES, type AccountKind, type Permission } from './org.permissions.ts';
import * as repo from './org.repository.ts';
import type { AdminClass, DataScope } from './org.tables.ts';

type Actor = RequestContext & { principal: Principal };

export function listPermissions() {
  return PERMISSION_CODES.map((code) => ({ code, ...PERMISSIONS[code] }));
}

export async function listRoles(deps: Deps) {
  return repo.listRoles(deps.db);
}

function checkPermissionSet(permissions: string[]): AdminClass | null {
  const unknown = permissions.filter((p) => !isPermission(p));
  if (unknown.length > 0) throw invalid('permissions', 'exists', `未知的权限：${unknown.join('、')}`);
  const classes = adminClassesOf(permissions);
  if (classes.length > 1) {
    throw invalid('permissions', 'separation_of_duties', `一个角色不能同时包含${classes.map((c) => ADMIN_CLASS_NAMES[c]).join('和')}的权限（三员分立）`);
  }
  const kinds = new Set(permissions.map(permissionKind));
  if (kinds.has('entity') && kinds.size > 1) {
    throw invalid('permissions', 'entity_mix', '市场主体用户的权限（本主体信息、本主体信用）不能与工作人员或评标专家的权限放在同一角色中');
  }
  if (kinds.has('expert') && kinds.size > 1) {
    throw invalid('permissions', 'expert_mix', '评标专家的权限（本人评分）不能与工作人员或市场主体用户的权限放在同一角色中');
  }
  return classes[0] ?? null;
}

export interface RoleInput {
  code: string;
  name: string;
  description?: string | undefined;
  permissions: string[];
  mfaRequired: boolean;
}

export async function createRole(deps: Deps, actor: Actor, input: RoleInput) {
  const permissions = [...new Set(input.permissions)].sort();
  const adminClass = checkPermissionSet(permissions);
  if (adminClass !== null && !input.mfaRequired) throw invalid('mfaRequired', 'admin_requires_mfa', '含管理员权限的角色必须启用双因素认证');
  if (await repo.findRoleByCode(deps.db, input.code)) throw conflict(`角色代码 ${input.code} 已存在`, 'code');
  const now = actor.now;
  const row = { id: crypto.randomUUID(), code: input.code, name: input.name, description: input.description ?? '', mfa_required: input.mfaRequired, admin_class: adminClass, created_at: now, updated_at: now };
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertRole(trx, row, permissions);
    await appendAudit(trx, auditContext(actor), { action: 'org.role.create', targetType: 'role', targetId: row.id, after: { ...row, permissions } });
  });
  return (await repo.findRole(deps.db, row.id))!;
}

export interface RolePatch {
  version: number;
  name?: string | undefined;
  description?: string | undefined;
  permissions?: string[] | undefined;
  mfaRequired?: boolean | undefined;
}

export async function updateRole(deps: Deps, actor: Actor, id: string, patch: RolePatch) {
  const before = await repo.findRole(deps.db, id);
  if (!before) throw notFound('角色');
  if (before.builtin) throw new AppError('forbidden', '内置管理员角色不能修改（三员分立）');
  const permissions = patch.permissions ? [...new Set(patch.permissions)].sort() : undefined;
  const adminClass = permissions ? checkPermissionSet(permissions) : before.admin_class;
  const mfaRequired = patch.mfaRequired ?? before.mfa_required;
  if (adminClass !== null && !mfaRequired) throw invalid('mfaRequired', 'admin_requires_mfa', '含管理员权限的角色必须启用双因素认证');
  if (permissions && adminClass !== before.admin_class) await ensureHoldersStaySeparated(deps.db, id, adminClass);
  await writeAffectingSessions(deps, async (trx) => {
    const ok = await repo.updateRole(
      trx,
      id,
      patch.version,
      {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.mfaRequired !== undefined ? { mfa_required: patch.mfaRequired } : {}),
        admin_class: adminClass,
      },
      permissions,
      actor.now,
    );
    if (!ok) throw new AppError('conflict', '该角色已被他人修改，请刷新后重试', { errors: [{ field: 'version', rule: 'stale', message: '数据版本已过期' }] });
    await appendAudit(trx, auditContext(actor), { action: 'org.role.update', targetType: 'role', targetId: id, before, after: { ...patch, permissions } });
  });
  return (await repo.findRole(deps.db, id))!;
}

/** A role gaining an administrator class must not give any holder a second class. */
async function ensureHoldersStaySeparated(db: Db, roleId: string, newClass: AdminClass | null): Promise<void> {
  if (newClass === null) return;
  const holders = await db.selectFrom('org.account_roles').select('account_id').where('role_id', '=', roleId).execute();
  const grants = await repo.grantsOfAccounts(db, holders.map((h) => h.account_id));
  if (grants.some((g) => g.role_id !== roleId && g.admin_class !== null && g.admin_class !== newClass)) {
    throw invalid('permissions', 'separation_of_duties', '已有账号同时持有此角色和其他类别管理员角色，修改后将违反三员分立');
  }
}

export async function deleteRole(deps: Deps, actor: Actor, id: string) {
  const before = await repo.findRole(deps.db, id);
  if (!before) throw notFound('角色');
  if (before.builtin) throw new AppError('forbidden', '内置管理员角色不能删除');
  if ((await repo.countGrantsOfRole(deps.db, id)) > 0) throw conflict('该角色仍分配给账号，请先收回');
  await writeAffectingSessions(deps, async (trx) => {
    await repo.deleteRole(trx, id);
    await appendAudit(trx, auditContext(actor), { action: 'org.role.delete', targetType: 'role', targetId: id, before });
  });
}

// ---- grants ----

export interface GrantInput {
  roleId: string;
  scope: DataScope;
}

export async function grantsOf(db: Db, accountIds: string[]) {
  const rows = await repo.grantsOfAccounts(db, accountIds);
  const out = new Map<string, { roleId: string; code: string; name: string; scope: DataScope; adminClass: AdminClass | null; mfaRequired: boolean }[]>();
  for (const r of rows) {
    const list = out.get(r.account_id) ?? [];
    list.push({ roleId: r.role_id, code: r.code, name: r.name, scope: r.scope, adminClass: r.admin_class, mfaRequired: r.mfa_required });
    out.set(r.account_id, list);
  }
  return out;
}

/**
 * Replaces an account's grants inside the caller's transaction. Refuses roles of two
 * administrator classes on one account, and any change to one's own grants.
 */
export async function replaceGrants(trx: Kysely<DB>, actor: Actor, accountId: string, grants: GrantInput[], accountKind: AccountKind) {
  if (accountId === actor.principal.accountId) throw new AppError('forbidden', '不能为自己分配角色（三员分立）');
  const roleIds = [...new Set(grants.map((g) => g.roleId))];
  if (roleIds.length !== grants.length) throw invalid('grants', 'unique', '同一角色只能分配一次');
  const roles = await Promise.all(roleIds.map((id) => repo.findRole(trx, id)));
  const missing = roleIds.filter((_, i) => !roles[i]);
  if (missing.length > 0) throw invalid('grants', 'exists', `角色不存在：${missing.join('、')}`);
  // Each kind of account holds roles of its own kind only: a market entity's account entity-side
  // roles, an expert's account expert-side roles, staff neither. A role's kind is that of its
  // permissions (a role may not mix kinds); a role without entity or expert permissions is staff's.
  const roleKind = (permissions: string[]): AccountKind => permissions.map(permissionKind).find((k) => k !== 'staff') ?? 'staff';
  const wrongSide = roles.filter((r) => roleKind(r!.permissions) !== accountKind);
  if (wrongSide.length > 0) {
    const names = wrongSide.map((r) => r!.name).join('、');
    const message = { entity: `市场主体账号只能分配市场主体用户角色，不能分配：${names}`, expert: `评标专家账号只能分配评标专家角色，不能分配：${names}`, staff: `工作人员账号不能分配市场主体用户或评标专家角色：${names}` }[accountKind];
    throw invalid('grants', 'account_kind', message);
  }
  const classes = new Set(roles.map((r) => r!.admin_class).filter((c): c is AdminClass => c !== null));
  if (classes.size > 1) {
    throw invalid('grants', 'separation_of_duties', `一个账号不能同时担任${[...classes].map((c) => ADMIN_CLASS_NAMES[c]).join('和')}（三员分立）`);
  }
  const before = await repo.grantsOfAccounts(trx, [accountId]);
  await repo.replaceGrants(
    trx,
    accountId,
    grants.map((g) => ({ role_id: g.roleId, scope: g.scope })),
    actor.principal.accountId,
    actor.now,
  );
  await appendAudit(trx, auditContext(actor), {
    action: 'identity.account.grant',
    targetType: 'account',
    targetId: accountId,
    before: before.map((g) => ({ roleId: g.role_id, scope: g.scope })),
    after: grants,
    detail: { roles: roles.map((r) => r!.code) },
  });
}

/** Whether any of the account's roles demands a second factor. */
export async function mfaRequiredFor(db: Db, accountId: string): Promise<boolean> {
  return (await repo.grantsOfAccounts(db, [accountId])).some((g) => g.mfa_required);
}

/** The request path: the account's permissions with their widest scope. */
export async function principalGrants(db: Db, accountId: string): Promise<{ grants: Map<Permission, DataScope>; adminClass: AdminClass | null }> {
  const rows = await repo.permissionGrantsOf(db, accountId);
  const grants = new Map<Permission, DataScope>();
  let adminClass: AdminClass | null = null;
  for (const r of rows) {
    if (!isPermission(r.permission)) continue;
    grants.set(r.permission, widerScope(grants.get(r.permission), r.scope));
    adminClass ??= r.admin_class;
  }
  return { grants, adminClass };
}

/**
 * Grants roles by code inside the caller's transaction, for accounts made outside a session
 * (CLI, demo data). The same separation rule as replaceGrants applies.
 */
export async function grantRolesByCode(trx: Kysely<DB>, accountId: string, grants: { code: string; scope: DataScope }[], now: Date): Promise<void> {
  const rows = [];
  for (const g of grants) {
    const role = await repo.findRoleByCode(trx, g.code);
    if (!role) throw new Error(`角色 ${g.code} 不存在`);
    rows.push({ role, scope: g.scope });
  }
  const classes = new Set(rows.map((r) => r.role.admin_class).filter((c): c is AdminClass => c !== null));
  if (classes.size > 1) throw new Error(`一个账号不能同时担任${[...classes].map((c) => ADMIN_CLASS_NAMES[c]).join('和')}（三员分立）`);
  await repo.replaceGrants(trx, accountId, rows.map((r) => ({ role_id: r.role.id, scope: r.scope })), null, now);
}
