// Accounts of market entities, opened by self-registration (registry). The same password
// policy and audit as staff accounts; the account acts for its entity only, through the
// built-in entity user role. Prepared outside the transaction (the argon2id hash takes
// ~100 ms), inserted inside the registry's, so the entity and its account exist together or
// not at all.

import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { appendAudit, type AuditContext } from '../../platform/audit/audit.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { conflict, type AppError } from '../../platform/errors.ts';
import { grantRolesByCode } from '../org/org.roles.ts';
import * as repo from './identity.repository.ts';
import { hashPassword } from './identity.passwords.ts';
import { checkPasswordPolicy } from './identity.rules.ts';
import { policyError } from './identity.service.ts';
import { EXPERT_USER_ROLE } from './identity.expert-accounts.ts';

/** The built-in role of every market entity's account (org.roles.defaults.ts). */
export const ENTITY_USER_ROLE = 'entity_user';

export interface PreparedEntityAccount {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
}

export function usernameTaken(username: string) {
  return conflict(`用户名 ${username} 已被使用，请换一个`, 'username');
}

export async function prepareEntityAccount(deps: Deps, input: { username: string; password: string; displayName: string }): Promise<PreparedEntityAccount> {
  const policy = checkPasswordPolicy(input.password, input.username, deps.config.security.passwordMinLength);
  if (!policy.ok) throw policyError(policy.failures, 'password');
  if (await repo.findAccountByUsername(deps.db, input.username)) throw usernameTaken(input.username);
  return { id: crypto.randomUUID(), username: input.username, displayName: input.displayName, passwordHash: await hashPassword(input.password) };
}

/** Whom an account acts for: a market entity, or (only as a reference account) an expert of the province's pool. */
export type AccountHolder = { entityId: string } | { expertId: string };

/** What a new market-entity (or reference) account is besides its names and password: active, no second factor yet, no forced change. */
export interface HolderAccountRow {
  id: string;
  username: string;
  displayName: string;
  holder: AccountHolder;
  passwordHash: string;
  passwordChangedAt: Date;
  /** Another node's account kept here as a reference (identity.province.ts); null for this node's own. */
  homeNode: string | null;
  totpEnabled: boolean;
}

/**
 * Inserts a market entity's account with the entity user's role (an expert's reference account
 * with the expert's) inside the caller's transaction; a username taken meanwhile fails the
 * transaction with the AppError `taken` makes.
 */
export async function insertHolderAccountRow(trx: Kysely<DB>, row: HolderAccountRow, now: Date, taken: () => AppError): Promise<void> {
  const expertId = 'expertId' in row.holder ? row.holder.expertId : null;
  await repo
    .insertAccount(trx, {
      id: row.id,
      username: row.username,
      display_name: row.displayName,
      organisation_id: null,
      entity_id: 'entityId' in row.holder ? row.holder.entityId : null,
      expert_id: expertId,
      personnel_id: null,
      password_hash: row.passwordHash,
      password_changed_at: row.passwordChangedAt,
      // The user chose this password (or it lives at its home node): no forced change at the first sign-in.
      must_change_password: false,
      status: 'active',
      locked_until: null,
      totp_secret_enc: null,
      totp_enabled: row.totpEnabled,
      totp_last_step: null,
      last_login_at: null,
      created_by: null,
      created_at: now,
      updated_at: now,
      home_node: row.homeNode,
    })
    .catch((e: unknown) => {
      const err = e as { code?: unknown; constraint?: unknown };
      throw err.code === '23505' && err.constraint === 'accounts_username' ? taken() : e;
    });
  await grantRolesByCode(trx, row.id, [{ code: expertId === null ? ENTITY_USER_ROLE : EXPERT_USER_ROLE, scope: 'own' }], now);
}

/** Inserts the account inside the caller's transaction; a username taken meanwhile fails the transaction with 409. */
export async function insertEntityAccount(trx: Kysely<DB>, account: PreparedEntityAccount, entityId: string, audit: AuditContext): Promise<void> {
  const now = audit.at;
  const row = { id: account.id, username: account.username, displayName: account.displayName, holder: { entityId }, passwordHash: account.passwordHash, passwordChangedAt: now, homeNode: null, totpEnabled: false };
  await insertHolderAccountRow(trx, row, now, () => usernameTaken(account.username));
  await appendAudit(trx, { ...audit, actorId: account.id, actorUsername: account.username }, {
    action: 'identity.account.create',
    targetType: 'account',
    targetId: account.id,
    detail: { username: account.username, entityId, roles: [`${ENTITY_USER_ROLE}:own`], selfRegistered: true },
  });
}
