// All SQL of the identity module.

import type { Kysely, RawBuilder, Selectable, Updateable } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { IdentityTables, SessionEndReason, SessionStage } from './identity.tables.ts';

type Db = Kysely<DB>;
export type AccountRow = Selectable<IdentityTables['identity.accounts']>;
export type SessionRow = IdentityTables['identity.sessions'];

export async function findAccountByUsername(db: Db, username: string): Promise<AccountRow | undefined> {
  return (await db
    .selectFrom('identity.accounts')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
    .executeTakeFirst()) as AccountRow | undefined;
}

export async function findAccount(db: Db, id: string): Promise<AccountRow | undefined> {
  return (await db.selectFrom('identity.accounts').selectAll().where('id', '=', id).executeTakeFirst()) as AccountRow | undefined;
}

/** The account of an evaluation expert (at most one, by the unique index). */
export async function accountOfExpert(db: Db, expertId: string): Promise<{ id: string; username: string } | undefined> {
  return db.selectFrom('identity.accounts').select(['id', 'username']).where('expert_id', '=', expertId).executeTakeFirst();
}

/** Display names of accounts, by id (unknown ids are left out). */
export async function displayNamesOf(db: Db, ids: readonly string[]): Promise<{ id: string; display_name: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('identity.accounts').select(['id', 'display_name']).where('id', 'in', [...ids]).execute();
}

/** Locks the account row for the rest of the transaction (login attempts on one account queue). */
export async function lockAccount(db: Db, id: string): Promise<AccountRow | undefined> {
  return (await db.selectFrom('identity.accounts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()) as AccountRow | undefined;
}

export async function insertAccount(db: Db, row: Omit<AccountRow, 'version' | 'failed_attempts' | 'totp_enabled' | 'home_node'> & { totp_enabled?: boolean; home_node?: string | null }): Promise<void> {
  await db.insertInto('identity.accounts').values(row).execute();
}

export async function updateAccount(db: Db, id: string, changes: Updateable<IdentityTables['identity.accounts']>): Promise<AccountRow> {
  return (await db.updateTable('identity.accounts').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow()) as AccountRow;
}

/** Optimistic update guarded by version; undefined when stale. */
export async function updateAccountVersioned(db: Db, id: string, version: number, changes: Updateable<IdentityTables['identity.accounts']>): Promise<AccountRow | undefined> {
  return (await db
    .updateTable('identity.accounts')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst()) as AccountRow | undefined;
}

export interface AccountQuery {
  /** Data scope as a condition on `organisation_id` / `created_by` (null: everything). */
  scope: RawBuilder<boolean> | null;
  organisationId?: string | undefined;
  q?: string | undefined;
  status?: string | undefined;
  limit: number;
  offset: number;
}

export async function listAccounts(db: Db, query: AccountQuery): Promise<{ rows: AccountRow[]; total: number }> {
  let qb = db.selectFrom('identity.accounts');
  if (query.scope) qb = qb.where(query.scope);
  if (query.organisationId) qb = qb.where('organisation_id', '=', query.organisationId);
  if (query.status) qb = qb.where('status', '=', query.status as AccountRow['status']);
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    qb = qb.where((eb) => eb.or([eb('username', 'ilike', like), eb('display_name', 'like', like)]));
  }
  const total = await qb.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await qb.selectAll().orderBy('username').limit(query.limit).offset(query.offset).execute();
  return { rows: rows as AccountRow[], total: Number(total.n) };
}

export async function recentPasswordHashes(db: Db, accountId: string, count: number): Promise<string[]> {
  const rows = await db
    .selectFrom('identity.password_history')
    .select('password_hash')
    .where('account_id', '=', accountId)
    .orderBy('changed_at', 'desc')
    .limit(count)
    .execute();
  return rows.map((r) => r.password_hash);
}

export async function insertPasswordHistory(db: Db, accountId: string, hash: string, at: Date): Promise<void> {
  await db.insertInto('identity.password_history').values({ account_id: accountId, password_hash: hash, changed_at: at }).execute();
}

// ---- sessions ----

export async function insertSession(db: Db, row: SessionRow): Promise<void> {
  await db.insertInto('identity.sessions').values(row).execute();
}

export interface SessionWithAccount {
  session_id: string;
  stage: SessionStage;
  last_seen_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  account_id: string;
  username: string;
  display_name: string;
  organisation_id: string | null;
  entity_id: string | null;
  expert_id: string | null;
  status: 'active' | 'disabled';
  totp_enabled: boolean;
  password_changed_at: Date;
  home_node: string | null;
}

/** The request path: one query from token digest to session and account. */
export async function findSessionByTokenHash(db: Db, tokenHash: string): Promise<SessionWithAccount | undefined> {
  return db
    .selectFrom('identity.sessions as s')
    .innerJoin('identity.accounts as a', 'a.id', 's.account_id')
    .select(['s.id as session_id', 's.stage', 's.last_seen_at', 's.expires_at', 's.ended_at', 'a.id as account_id', 'a.username', 'a.display_name', 'a.organisation_id', 'a.entity_id', 'a.expert_id', 'a.status', 'a.totp_enabled', 'a.password_changed_at', 'a.home_node'])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function touchSession(db: Db, sessionId: string, at: Date): Promise<void> {
  await db.updateTable('identity.sessions').set({ last_seen_at: at }).where('id', '=', sessionId).where('ended_at', 'is', null).execute();
}

export async function setSessionStage(db: Db, sessionId: string, stage: SessionStage, at: Date): Promise<void> {
  await db.updateTable('identity.sessions').set({ stage, last_seen_at: at }).where('id', '=', sessionId).execute();
}

export async function endSession(db: Db, sessionId: string, reason: SessionEndReason, at: Date): Promise<boolean> {
  const r = await db.updateTable('identity.sessions').set({ ended_at: at, end_reason: reason }).where('id', '=', sessionId).where('ended_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Ends every open session of an account except `keep` (password change, disable, reset). */
export async function endSessionsOf(db: Db, accountId: string, reason: SessionEndReason, at: Date, keep?: string): Promise<void> {
  let qb = db.updateTable('identity.sessions').set({ ended_at: at, end_reason: reason }).where('account_id', '=', accountId).where('ended_at', 'is', null);
  if (keep) qb = qb.where('id', '<>', keep);
  await qb.execute();
}

// ---- accounts across nodes (identity.references.ts) ----

/** Whose accounts a node keeps reference copies of: a market entity's or an evaluation expert's. */
export type HolderKind = 'entity' | 'expert';
const holderColumn = (kind: HolderKind) => (kind === 'entity' ? 'entity_id' : 'expert_id');

/** The accounts this node holds for these entities or experts (its own, not reference copies). */
export async function holderAccountStates(db: Db, kind: HolderKind, holderIds: readonly string[]): Promise<{ id: string; holder_id: string | null; status: 'active' | 'disabled'; password_changed_at: Date }[]> {
  if (holderIds.length === 0) return [];
  const column = holderColumn(kind);
  return db
    .selectFrom('identity.accounts')
    .select((eb) => ['id', eb.ref(column).as('holder_id'), 'status', 'password_changed_at'])
    .where(column, 'in', [...holderIds])
    .where('home_node', 'is', null)
    .execute();
}

/** The reference accounts of an entity or an expert held for `homeNode`. */
export async function referenceAccountsOf(db: Db, kind: HolderKind, holderId: string, homeNode: string): Promise<{ id: string; username: string; password_changed_at: Date }[]> {
  return db.selectFrom('identity.accounts').select(['id', 'username', 'password_changed_at']).where(holderColumn(kind), '=', holderId).where('home_node', '=', homeNode).execute();
}

/** Ends an account's open sessions created before `before` (all of them without it); how many ended. */
export async function endSessionsCreatedBefore(db: Db, accountId: string, reason: SessionEndReason, at: Date, before?: Date): Promise<number> {
  let qb = db.updateTable('identity.sessions').set({ ended_at: at, end_reason: reason }).where('account_id', '=', accountId).where('ended_at', 'is', null);
  if (before) qb = qb.where('created_at', '<', before);
  const r = await qb.executeTakeFirst();
  return Number(r.numUpdatedRows);
}
