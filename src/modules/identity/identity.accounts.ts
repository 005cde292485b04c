// Account administration: the system administrator creates, disables and resets accounts; the
// security administrator grants roles, unlocks and resets second factors (三员分立).

import crypto from 'node:crypto';
import { appendAudit } from '../../platform/audit/audit.ts';
import { writeAffectingSessions } from '../../platform/auth/auth-cache.ts';
import { SCOPE_RANK, scopeOf, type Principal } from '../../platform/auth/principal.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { auditContext, type RequestContext } from '../../platform/http/context.ts';
import { getPersonnel, organisationFacts, organisationNames } from '../org/org.service.ts';
import { grantsOf, replaceGrants, type GrantInput } from '../org/org.roles.ts';
import { inScope, resolveScope, scopeCondition } from '../org/org.scope.ts';
import type { AccountKind, Permission } from '../org/org.permissions.ts';
import * as repo from './identity.repository.ts';
import { atHomeNode } from './identity.province.ts';
import { hashPassword } from './identity.passwords.ts';
import { checkPasswordPolicy, isLocked } from './identity.rules.ts';
import { policyError } from './identity.service.ts';

type Actor = RequestContext & { principal: Principal };

function accountKindOf(row: repo.AccountRow): AccountKind {
  return row.entity_id !== null ? 'entity' : row.expert_id !== null ? 'expert' : 'staff';
}

async function accountInScope(deps: Deps, actor: Actor, id: string, permission: Permission): Promise<repo.AccountRow> {
  const filter = await resolveScope(deps.db, actor.principal, permission);
  const row = await repo.findAccount(deps.db, id);
  if (!row || !inScope(filter, row.organisation_id, row.created_by)) throw notFound('账号');
  return row;
}

export async function toAccountViews(deps: Deps, rows: repo.AccountRow[], now: Date) {
  const [grants, names] = await Promise.all([grantsOf(deps.db, rows.map((r) => r.id)), organisationNames(deps, rows.flatMap((r) => (r.organisation_id === null ? [] : [r.organisation_id])))]);
  return rows.map((r) => ({
    row: r,
    organisationName: r.organisation_id === null ? '' : (names.get(r.organisation_id) ?? ''),
    locked: isLocked(r.locked_until, now),
    roles: grants.get(r.id) ?? [],
  }));
}

/**
 * Display names of accounts for other modules' histories (who filed, who decided). A display
 * name is what every colleague sees on the workbench, so no scope applies.
 */
export async function accountDisplayNames(deps: Deps, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await repo.displayNamesOf(deps.db, [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export async function listAccounts(deps: Deps, actor: Actor, query: { organisationId?: string; q?: string; status?: string; page: number; pageSize: number }) {
  const filter = await resolveScope(deps.db, actor.principal, 'identity.account.read');
  const { rows, total } = await repo.listAccounts(deps.db, {
    scope: scopeCondition(filter, 'organisation_id', 'created_by'),
    organisationId: query.organisationId,
    q: query.q,
    status: query.status,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return { items: await toAccountViews(deps, rows, actor.now), total };
}

export async function getAccount(deps: Deps, actor: Actor, id: string) {
  const row = await accountInScope(deps, actor, id, 'identity.account.read');
  return (await toAccountViews(deps, [row], actor.now))[0]!;
}

export interface AccountInput {
  username: string;
  displayName: string;
  organisationId: string;
  personnelId?: string | undefined;
  initialPassword: string;
}

export async function createAccount(deps: Deps, actor: Actor, input: AccountInput) {
  const filter = await resolveScope(deps.db, actor.principal, 'identity.account.write');
  const org = await organisationFacts(deps, input.organisationId);
  if (!org || !inScope(filter, org.id, org.createdBy)) throw invalid('organisationId', 'exists', '所属机构不存在或不在您的数据范围内');
  if (org.status !== 'active') throw invalid('organisationId', 'active', '所属机构已停用');
  if (input.personnelId) {
    const person = await getPersonnel(deps, actor, input.personnelId).catch(() => undefined);
    if (!person) throw invalid('personnelId', 'exists', '关联人员不存在或不在您的数据范围内');
    if (person.organisation_id !== input.organisationId) throw invalid('personnelId', 'same_organisation', '关联人员必须属于账号所在机构');
  }
  const policy = checkPasswordPolicy(input.initialPassword, input.username, deps.config.security.passwordMinLength);
  if (!policy.ok) throw policyError(policy.failures, 'initialPassword');
  if (await repo.findAccountByUsername(deps.db, input.username)) throw conflict(`用户名 ${input.username} 已被使用`, 'username');

  const now = actor.now;
  const row = {
    id: crypto.randomUUID(),
    username: input.username,
    display_name: input.displayName,
    organisation_id: input.organisationId,
    entity_id: null,
    expert_id: null,
    personnel_id: input.personnelId ?? null,
    password_hash: await hashPassword(input.initialPassword),
    password_changed_at: now,
    must_change_password: true,
    status: 'active' as const,
    locked_until: null,
    totp_secret_enc: null,
    totp_last_step: null,
    last_login_at: null,
    created_by: actor.principal.accountId,
    created_at: now,
    updated_at: now,
  };
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertAccount(trx, row);
    await appendAudit(trx, auditContext(actor), {
      action: 'identity.account.create',
      targetType: 'account',
      targetId: row.id,
      after: { ...row, password_hash: undefined },
      detail: { username: row.username },
    });
  });
  return getAccount(deps, actor, row.id);
}

export async function updateAccount(deps: Deps, actor: Actor, id: string, patch: { version: number; displayName?: string | undefined; status?: 'active' | 'disabled' | undefined }) {
  const before = await accountInScope(deps, actor, id, 'identity.account.write');
  if (id === actor.principal.accountId && patch.status === 'disabled') throw invalid('status', 'not_self', '不能停用自己的账号');
  await writeAffectingSessions(deps, async (trx) => {
    const after = await repo.updateAccountVersioned(trx, id, patch.version, {
      ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      updated_at: actor.now,
    });
    if (!after) throw new AppError('conflict', '该账号已被他人修改，请刷新后重试', { errors: [{ field: 'version', rule: 'stale', message: '数据版本已过期' }] });
    if (patch.status === 'disabled') await repo.endSessionsOf(trx, id, 'revoked', actor.now);
    await appendAudit(trx, auditContext(actor), {
      action: 'identity.account.update',
      targetType: 'account',
      targetId: id,
      before: { display_name: before.display_name, status: before.status },
      after: { display_name: after.display_name, status: after.status },
    });
  });
  return getAccount(deps, actor, id);
}

export async function resetPassword(deps: Deps, actor: Actor, id: string, newPassword: string) {
  const account = await accountInScope(deps, actor, id, 'identity.account.write');
  if (id === actor.principal.accountId) throw invalid('id', 'not_self', '请通过“修改密码”更改自己的密码');
  atHomeNode(account, 'reset_password');
  const policy = checkPasswordPolicy(newPassword, account.username, deps.config.security.passwordMinLength);
  if (!policy.ok) throw policyError(policy.failures, 'newPassword');
  const hash = await hashPassword(newPassword);
  await writeAffectingSessions(deps, async (trx) => {
    await repo.insertPasswordHistory(trx, id, account.password_hash, actor.now);
    await repo.updateAccount(trx, id, { password_hash: hash, password_changed_at: actor.now, must_change_password: true, updated_at: actor.now });
    await repo.endSessionsOf(trx, id, 'revoked', actor.now);
    await appendAudit(trx, auditContext(actor), { action: 'identity.account.reset_password', targetType: 'account', targetId: id });
  });
}

export async function unlockAccount(deps: Deps, actor: Actor, id: string) {
  const before = await accountInScope(deps, actor, id, 'identity.account.unlock');
  await writeAffectingSessions(deps, async (trx) => {
    await repo.updateAccount(trx, id, { failed_attempts: 0, locked_until: null, updated_at: actor.now });
    await appendAudit(trx, auditContext(actor), {
      action: 'identity.account.unlock',
      targetType: 'account',
      targetId: id,
      before: { failed_attempts: before.failed_attempts, locked_until: before.locked_until },
    });
  });
}

export async function resetSecondFactor(deps: Deps, actor: Actor, id: string) {
  const account = await accountInScope(deps, actor, id, 'identity.account.unlock');
  if (id === actor.principal.accountId) throw invalid('id', 'not_self', '不能重置自己的双因素认证');
  atHomeNode(account, 'reset_mfa');
  await writeAffectingSessions(deps, async (trx) => {
    await repo.updateAccount(trx, id, { totp_secret_enc: null, totp_enabled: false, totp_last_step: null, updated_at: actor.now });
    await repo.endSessionsOf(trx, id, 'revoked', actor.now);
    await appendAudit(trx, auditContext(actor), { action: 'identity.account.reset_mfa', targetType: 'account', targetId: id });
  });
}

export async function setGrants(deps: Deps, actor: Actor, id: string, grants: GrantInput[]) {
  const account = await accountInScope(deps, actor, id, 'identity.account.grant');
  const own = scopeOf(actor.principal, 'identity.account.grant')!;
  const wider = grants.find((g) => SCOPE_RANK[g.scope] > SCOPE_RANK[own]);
  if (wider) throw invalid('grants', 'exceeds_own_scope', '分配的数据范围不能超过您自己的数据范围');
  await writeAffectingSessions(deps, (trx) => replaceGrants(trx, actor, id, grants, accountKindOf(account)));
  return getAccount(deps, actor, id);
}
