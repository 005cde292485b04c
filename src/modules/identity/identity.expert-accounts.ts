// Accounts of evaluation experts, opened by the centre's staff for an expert of the pool. The
// expert signs in with a one-time initial password that must be changed at the first sign-in,
// and enrols a second factor (the built-in expert role requires it, like staff roles): scores
// decide who wins a deal, so a password alone must not be enough to submit them.

import crypto from 'node:crypto';
import { appendAudit } from '../../platform/audit/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { auditContext, type RequestContext } from '../../platform/http/context.ts';
import { grantRolesByCode } from '../org/org.roles.ts';
import { usernameTaken } from './identity.entity-accounts.ts';
import * as repo from './identity.repository.ts';
import { hashPassword } from './identity.passwords.ts';
import { checkPasswordPolicy } from './identity.rules.ts';

/** The built-in role of every evaluation expert's account (org.roles.defaults.ts). */
export const EXPERT_USER_ROLE = 'expert_user';

/** 16 characters from four classes: passes the password policy whatever its minimum up to 16. */
export function initialPassword(): string {
  const pick = (alphabet: string, n: number) => Array.from(crypto.randomBytes(n), (b) => alphabet[b % alphabet.length]).join('');
  const chars = [...pick('ABCDEFGHJKLMNPQRSTUVWXYZ', 4), ...pick('abcdefghijkmnpqrstuvwxyz', 6), ...pick('23456789', 4), ...pick('@#%+=!', 2)];
  // Fisher–Yates with crypto randomness, so the classes are not in fixed places.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

export interface OpenedExpertAccount {
  accountId: string;
  username: string;
  /** Shown once to the staff member, who hands it to the expert; only its hash is stored. */
  initialPassword: string;
}

/**
 * Opens the account of `expert` (the caller has checked its scope over the expert and that the
 * expert has no account yet). The unique index on expert_id answers a race with 409.
 */
export async function openExpertAccount(deps: Deps, actor: RequestContext, expert: { id: string; name: string }, username: string): Promise<OpenedExpertAccount> {
  const password = initialPassword();
  const policy = checkPasswordPolicy(password, username, deps.config.security.passwordMinLength);
  if (!policy.ok) throw new Error(`generated initial password fails the policy: ${policy.failures.map((f) => f.rule).join(',')}`);
  if (await repo.findAccountByUsername(deps.db, username)) throw usernameTaken(username);
  const id = crypto.randomUUID();
  const now = actor.now;
  const passwordHash = await hashPassword(password);
  await deps.db.transaction().execute(async (trx) => {
    await repo
      .insertAccount(trx, {
        id,
        username,
        display_name: expert.name,
        organisation_id: null,
        entity_id: null,
        expert_id: expert.id,
        personnel_id: null,
        password_hash: passwordHash,
        password_changed_at: now,
        must_change_password: true,
        status: 'active',
        locked_until: null,
        totp_secret_enc: null,
        totp_last_step: null,
        last_login_at: null,
        created_by: actor.principal?.accountId ?? null,
        created_at: now,
        updated_at: now,
      })
      .catch((e: unknown) => {
        const err = e as { code?: unknown; constraint?: unknown };
        if (err.code === '23505' && err.constraint === 'accounts_username') throw usernameTaken(username);
        if (err.code === '23505' && err.constraint === 'accounts_expert') throw expertHasAccount();
        throw e;
      });
    await grantRolesByCode(trx, id, [{ code: EXPERT_USER_ROLE, scope: 'own' }], now);
    await appendAudit(trx, auditContext(actor), { action: 'identity.account.create', targetType: 'account', targetId: id, detail: { username, expertId: expert.id, roles: [`${EXPERT_USER_ROLE}:own`] } });
  });
  return { accountId: id, username, initialPassword: password };
}

export function expertHasAccount() {
  return new AppError('conflict', '该专家已开通账号；忘记密码的，请由系统管理员重置密码', { errors: [{ field: 'id', rule: 'one_account', message: '该专家已开通账号' }] });
}

/** The account of an expert, if one is open. */
export async function expertAccountOf(deps: Pick<Deps, 'db'>, expertId: string): Promise<{ id: string; username: string } | undefined> {
  return repo.accountOfExpert(deps.db, expertId);
}
