// Accounts created outside a user's session: the first administrator (CLI), demo data and
// test factories. Same rules as the API (password policy, 三员分立), same audit trail; the
// actor is recorded as the command line.

import crypto from 'node:crypto';
import { appendAudit, type AuditContext } from '../../platform/audit/audit.ts';
import { sealSm4 } from '../../platform/crypto/sm4.ts';
import type { Deps } from '../../platform/deps.ts';
import { grantRolesByCode } from '../org/org.roles.ts';
import type { DataScope } from '../org/org.tables.ts';
import * as repo from './identity.repository.ts';
import { hashPassword } from './identity.passwords.ts';
import { checkPasswordPolicy } from './identity.rules.ts';

export interface DirectAccount {
  username: string;
  displayName: string;
  password: string;
  organisationId: string;
  roles: { code: string; scope: DataScope }[];
  mustChangePassword: boolean;
  /** Pre-enrolled TOTP secret (base32), for demo accounts and tests. */
  totpSecret?: string | undefined;
}

export function cliAuditContext(at: Date, who = 'cli'): AuditContext {
  return { actorId: null, actorUsername: who, clientIp: 'local', requestId: null, at };
}

export async function createAccountDirect(deps: Deps, input: DirectAccount, audit: AuditContext): Promise<string> {
  const policy = checkPasswordPolicy(input.password, input.username, deps.config.security.passwordMinLength);
  if (!policy.ok) throw new Error(`密码不符合安全策略：${policy.failures.map((f) => f.message).join('；')}`);
  if (await repo.findAccountByUsername(deps.db, input.username)) throw new Error(`用户名 ${input.username} 已存在`);
  const id = crypto.randomUUID();
  const now = audit.at;
  const passwordHash = await hashPassword(input.password);
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertAccount(trx, {
      id,
      username: input.username,
      display_name: input.displayName,
      organisation_id: input.organisationId,
      entity_id: null,
      expert_id: null,
      personnel_id: null,
      password_hash: passwordHash,
      password_changed_at: now,
      must_change_password: input.mustChangePassword,
      status: 'active',
      locked_until: null,
      totp_secret_enc: input.totpSecret ? sealSm4(deps.keys.master, input.totpSecret, `account:${id}:totp`) : null,
      totp_last_step: null,
      last_login_at: null,
      created_by: null,
      created_at: now,
      updated_at: now,
    });
    if (input.totpSecret) await repo.updateAccount(trx, id, { totp_enabled: true });
    await grantRolesByCode(trx, id, input.roles, now);
    await appendAudit(trx, audit, {
      action: 'identity.account.create',
      targetType: 'account',
      targetId: id,
      detail: { username: input.username, roles: input.roles.map((r) => `${r.code}:${r.scope}`) },
    });
  });
  return id;
}
