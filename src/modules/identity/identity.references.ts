// Keeping a city's reference copies of province entities, experts and their accounts fresh
// between sign-ins and draws (registry.reference.ts and experts.province.ts have what a copy is
// and why; identity.province.ts the sign-in that writes one first). Every minute `serve` on a city
// asks the province for each copy older than GGZY_REFERENCE_REFRESH_MINUTES, oldest first —
// entities with registry.entity-references, experts with experts.expert-refresh — and the
// province answers with the holder's current copy and the state of its accounts:
//   - a copy that changed (another approved version, a suspension, a new name or employer, an
//     expert removed from the pool) is rewritten and audited, an unchanged one only marked fresh;
//   - the city's sessions of an account the province disabled (or no longer holds) are ended,
//     and so are those opened before a password change at the province — as the province ends
//     its own — each audited (identity.reference.sessions_end).
// A province that cannot be reached changes nothing; the next round asks again.

import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Instant, Uuid } from '../../platform/federation/federation.schemas.ts';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { appendAudit, type AuditContext } from '../../platform/audit/audit.ts';
import type { Keys } from '../../platform/crypto/keys.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { startPeriodic } from '../../platform/periodic.ts';
import { AppError } from '../../platform/errors.ts';
import { callPeer, checkedResult, PROVINCE_REGION } from '../../platform/federation/federation.ts';
import { ExpertReference, expertReference, storeExpertReference, type ExpertReferenceT } from '../experts/experts.province.ts';
import { rewriteReference } from '../experts/experts.repository.ts';
import { EntityReference, entityReferenceOrNull, storeEntityReference, type EntityReferenceT } from '../registry/registry.reference.ts';
import * as repo from './identity.repository.ts';

export const ENTITY_REFERENCES = 'registry.entity-references';
export const EXPERT_REFRESH = 'experts.expert-refresh';
/** Copies per request of a refresh round. */
export const REFRESH_BATCH = 100;

const AccountState = Type.Object({
  id: Uuid,
  active: Type.Boolean(),
  passwordChangedAt: Instant,
});
type AccountStateT = Static<typeof AccountState>;
/** One answer per asked id, in order; null for an id the province holds no record of its own under. */
const withAccounts = <T extends TSchema>(reference: T) => Type.Array(Type.Union([Type.Object({ reference, accounts: Type.Array(AccountState) }), Type.Null()]));
export const ReferencesResult = withAccounts(EntityReference);
export const ExpertRefreshResult = withAccounts(ExpertReference);
type WithAccounts<R> = { reference: R; accounts: AccountStateT[] };

/** The province's answer: each holder's copy (or null) and the state of the accounts it holds for it. */
async function answerWithAccounts<R>(db: Kysely<DB>, kind: repo.HolderKind, ids: string[], referenceOf: (id: string) => Promise<R | null>): Promise<(WithAccounts<R> | null)[]> {
  const states = await repo.holderAccountStates(db, kind, ids);
  const out: (WithAccounts<R> | null)[] = [];
  for (const id of ids) {
    const reference = await referenceOf(id);
    const accounts = states.filter((a) => a.holder_id === id).map((a) => ({ id: a.id, active: a.status === 'active', passwordChangedAt: a.password_changed_at.toISOString() }));
    out.push(reference && { reference, accounts });
  }
  return out;
}

/** The province's answer to ENTITY_REFERENCES. */
export function entityReferences(db: Kysely<DB>, keys: Keys, ids: string[]): Promise<(WithAccounts<EntityReferenceT> | null)[]> {
  return answerWithAccounts(db, 'entity', ids, (id) => entityReferenceOrNull(db, keys, id));
}

/** The province's answer to EXPERT_REFRESH: its own experts only (a copy it holds of another node's is not answered for). */
export function expertRefresh(db: Kysely<DB>, keys: Keys, ids: string[]): Promise<(WithAccounts<ExpertReferenceT> | null)[]> {
  return answerWithAccounts(db, 'expert', ids, (id) => expertReference(db, keys, id));
}

/** Ends the city's sessions the province's account states no longer allow; how many ended. */
async function applyAccountStates(trx: Kysely<DB>, kind: repo.HolderKind, holderId: string, accounts: AccountStateT[], audit: AuditContext): Promise<number> {
  const home = new Map(accounts.map((a) => [a.id, a]));
  let ended = 0;
  for (const held of await repo.referenceAccountsOf(trx, kind, holderId, PROVINCE_REGION)) {
    const state = home.get(held.id);
    let n = 0;
    let reason: string;
    if (!state || !state.active) {
      n = await repo.endSessionsCreatedBefore(trx, held.id, 'revoked', audit.at);
      reason = 'disabled_at_province';
    } else if (new Date(state.passwordChangedAt) > held.password_changed_at) {
      const changedAt = new Date(state.passwordChangedAt);
      n = await repo.endSessionsCreatedBefore(trx, held.id, 'password_changed', audit.at, changedAt);
      await repo.updateAccount(trx, held.id, { password_changed_at: changedAt });
      reason = 'password_changed_at_province';
    } else continue;
    if (n === 0) continue;
    ended += n;
    await appendAudit(trx, audit, { action: 'identity.reference.sessions_end', targetType: 'account', targetId: held.id, detail: { reason, sessions: n, node: PROVINCE_REGION } });
  }
  return ended;
}

/** What differs between refreshing entity copies and expert copies. */
interface CopyKind<R> {
  kind: repo.HolderKind;
  action: string;
  result: TSchema;
  /** Ids of the copies refreshed at or before `due`, oldest first. */
  dueIds(db: Kysely<DB>, due: Date, limit: number): Promise<string[]>;
  idOf(reference: R): string;
  markFresh(trx: Kysely<DB>, id: string, now: Date): Promise<void>;
  store(trx: Kysely<DB>, keys: Keys, reference: R, audit: AuditContext): Promise<'created' | 'changed' | 'unchanged'>;
}

const ENTITY_COPIES: CopyKind<EntityReferenceT> = {
  kind: 'entity',
  action: ENTITY_REFERENCES,
  result: ReferencesResult,
  dueIds: async (db, due, limit) =>
    (await db.selectFrom('registry.entities').select('id').where('home_node', '=', PROVINCE_REGION).where('refreshed_at', '<=', due).orderBy('refreshed_at').orderBy('id').limit(limit).execute()).map((r) => r.id),
  idOf: (reference) => reference.entity.id,
  markFresh: async (trx, id, now) => {
    await trx.updateTable('registry.entities').set({ refreshed_at: now }).where('id', '=', id).execute();
  },
  store: (trx, keys, reference, audit) => storeEntityReference(trx, keys, reference, PROVINCE_REGION, audit),
};

const EXPERT_COPIES: CopyKind<ExpertReferenceT> = {
  kind: 'expert',
  action: EXPERT_REFRESH,
  result: ExpertRefreshResult,
  dueIds: async (db, due, limit) =>
    (await db.selectFrom('experts.experts').select('id').where('home_node', '=', PROVINCE_REGION).where('refreshed_at', '<=', due).orderBy('refreshed_at').orderBy('id').limit(limit).execute()).map((r) => r.id),
  idOf: (reference) => reference.id,
  markFresh: (trx, id, now) => rewriteReference(trx, id, { refreshed_at: now }),
  store: (trx, keys, reference, audit) => storeExpertReference(trx, keys, reference, PROVINCE_REGION, audit),
};

type Counts = { checked: number; changed: number; sessionsEnded: number };

async function refreshCopies<R>(deps: Deps, copies: CopyKind<R>, due: Date, batches: number, audit: AuditContext, result: Counts): Promise<void> {
  for (let round = 0; round < batches; round++) {
    const ids = await copies.dueIds(deps.db, due, REFRESH_BATCH);
    if (ids.length === 0) break;
    const answers = checkedResult(copies.result, await callPeer(deps, PROVINCE_REGION, copies.action, { ids }), copies.action) as (WithAccounts<R> | null)[];
    if (answers.length !== ids.length || answers.some((a, i) => a !== null && copies.idOf(a.reference) !== ids[i])) {
      throw new AppError('unavailable', '对端节点的应答无法识别，请稍后再试', { logMessage: `${copies.action} answered out of order` });
    }
    await deps.db.transaction().execute(async (trx) => {
      for (const [i, answer] of answers.entries()) {
        const id = ids[i]!;
        // The province never deletes an entity or an expert (an expert leaves the pool as
        // 'removed'): an id it has no record for is kept as it is, asked again next period.
        if (answer === null) {
          await copies.markFresh(trx, id, audit.at);
          continue;
        }
        if ((await copies.store(trx, deps.keys, answer.reference, audit)) !== 'unchanged') result.changed++;
        result.sessionsEnded += await applyAccountStates(trx, copies.kind, id, answer.accounts, audit);
      }
    });
    result.checked += ids.length;
    if (ids.length < REFRESH_BATCH) break;
  }
}

/**
 * Refreshes, from the province, this city's reference copies (entities, then experts) older than
 * GGZY_REFERENCE_REFRESH_MINUTES at `now`, oldest first, up to `batches` × REFRESH_BATCH of each
 * kind. Throws when the province cannot be reached (the batch in hand changed nothing). Returns
 * how many copies were asked for, how many had changed and how many sessions were ended.
 */
export async function refreshReferences(deps: Deps, now: Date, batches = 10): Promise<Counts> {
  const result = { checked: 0, changed: 0, sessionsEnded: 0 };
  if (deps.config.nodeRole !== 'city') return result;
  const due = new Date(now.getTime() - deps.config.federation.referenceRefreshMinutes * 60_000);
  const audit: AuditContext = { actorId: null, actorUsername: 'system:reference-refresh', clientIp: null, requestId: null, at: now };
  try {
    await refreshCopies(deps, ENTITY_COPIES, due, batches, audit, result);
    await refreshCopies(deps, EXPERT_COPIES, due, batches, audit, result);
  } finally {
    // The holders' name, region and status, and the sessions themselves, are cached; a batch
    // committed before an outage must not wait for the next round to show.
    if (result.changed > 0 || result.sessionsEnded > 0) deps.authCache.invalidate();
  }
  return result;
}

/** Runs refreshReferences every minute on a city node; the returned function stops it. */
export function startReferenceRefresh(deps: Deps, log: FastifyBaseLogger): () => Promise<void> {
  if (deps.config.nodeRole !== 'city') return async () => {};
  return startPeriodic(async () => {
    await refreshReferences(deps, deps.clock.now())
      .then((r) => {
        if (r.changed > 0 || r.sessionsEnded > 0) log.info(r, 'reference copies of province entities and experts refreshed');
      })
      .catch((err: unknown) => log.warn({ err }, 'refreshing reference copies failed; retried in a minute'));
  }, 60_000);
}
