// Keeping a city's reference copies of province entities and accounts fresh between sign-ins
// (registry.reference.ts has what a copy is and why; identity.province.ts the sign-in that writes
// it first). Every minute `serve` on a city asks the province (registry.entity-references) for
// each copy older than GGZY_REFERENCE_REFRESH_MINUTES, oldest first, and the province answers
// with the entity's current copy and the state of its accounts:
//   - a copy that changed (another approved version, a suspension, a new name) is rewritten and
//     audited, an unchanged one only marked fresh;
//   - the city's sessions of an account the province disabled (or no longer holds) are ended,
//     and so are those opened before a password change at the province — as the province ends
//     its own — each audited (identity.reference.sessions_end).
// A province that cannot be reached changes nothing; the next round asks again.

import { Type, type Static } from '@sinclair/typebox';
import { Instant, Uuid } from '../../platform/federation/federation.schemas.ts';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { appendAudit, type AuditContext } from '../../platform/audit/audit.ts';
import type { Keys } from '../../platform/crypto/keys.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { callPeer, checkedResult, PROVINCE_REGION } from '../../platform/federation/federation.ts';
import { EntityReference, entityReferenceOrNull, storeEntityReference } from '../registry/registry.reference.ts';
import * as repo from './identity.repository.ts';

export const ENTITY_REFERENCES = 'registry.entity-references';
/** Entities per request of a refresh round. */
export const REFRESH_BATCH = 100;

const AccountState = Type.Object({
  id: Uuid,
  active: Type.Boolean(),
  passwordChangedAt: Instant,
});
/** One answer per asked id, in order; null for an id the province holds no approved entity of its own under. */
export const ReferencesResult = Type.Array(Type.Union([Type.Object({ reference: EntityReference, accounts: Type.Array(AccountState) }), Type.Null()]));
type Current = NonNullable<Static<typeof ReferencesResult>[number]>;

/** The province's answer to ENTITY_REFERENCES. */
export async function entityReferences(db: Kysely<DB>, keys: Keys, ids: string[]): Promise<(Current | null)[]> {
  const states = await repo.entityAccountStates(db, ids);
  const out: (Current | null)[] = [];
  for (const id of ids) {
    const reference = await entityReferenceOrNull(db, keys, id);
    const accounts = states.filter((a) => a.entity_id === id).map((a) => ({ id: a.id, active: a.status === 'active', passwordChangedAt: a.password_changed_at.toISOString() }));
    out.push(reference && { reference, accounts });
  }
  return out;
}

/** Ends the city's sessions the province's account states no longer allow; how many ended. */
async function applyAccountStates(trx: Kysely<DB>, entityId: string, accounts: Current['accounts'], audit: AuditContext): Promise<number> {
  const home = new Map(accounts.map((a) => [a.id, a]));
  let ended = 0;
  for (const held of await repo.referenceAccountsOf(trx, entityId, PROVINCE_REGION)) {
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

/**
 * Refreshes, from the province, this city's reference copies older than
 * GGZY_REFERENCE_REFRESH_MINUTES at `now`, oldest first, up to `batches` × REFRESH_BATCH of them.
 * Throws when the province cannot be reached (nothing changed). Returns how many copies were
 * asked for, how many had changed and how many sessions were ended.
 */
export async function refreshReferences(deps: Deps, now: Date, batches = 10): Promise<{ checked: number; changed: number; sessionsEnded: number }> {
  const result = { checked: 0, changed: 0, sessionsEnded: 0 };
  if (deps.config.nodeRole !== 'city') return result;
  const due = new Date(now.getTime() - deps.config.federation.referenceRefreshMinutes * 60_000);
  const audit: AuditContext = { actorId: null, actorUsername: 'system:reference-refresh', clientIp: null, requestId: null, at: now };
  for (let round = 0; round < batches; round++) {
    const ids = (await deps.db.selectFrom('registry.entities').select('id').where('home_node', '=', PROVINCE_REGION).where('refreshed_at', '<=', due).orderBy('refreshed_at').orderBy('id').limit(REFRESH_BATCH).execute()).map((r) => r.id);
    if (ids.length === 0) break;
    const answers = checkedResult(ReferencesResult, await callPeer(deps, PROVINCE_REGION, ENTITY_REFERENCES, { ids }), ENTITY_REFERENCES);
    if (answers.length !== ids.length || answers.some((a, i) => a !== null && a.reference.entity.id !== ids[i])) {
      throw new AppError('unavailable', '对端节点的应答无法识别，请稍后再试', { logMessage: `${ENTITY_REFERENCES} answered out of order` });
    }
    await deps.db.transaction().execute(async (trx) => {
      for (const [i, answer] of answers.entries()) {
        const id = ids[i]!;
        // The province never deletes an entity: an id it has no copy for is kept as it is, asked again next period.
        if (answer === null) {
          await trx.updateTable('registry.entities').set({ refreshed_at: now }).where('id', '=', id).execute();
          continue;
        }
        if ((await storeEntityReference(trx, deps.keys, answer.reference, PROVINCE_REGION, audit)) !== 'unchanged') result.changed++;
        result.sessionsEnded += await applyAccountStates(trx, id, answer.accounts, audit);
      }
    });
    result.checked += ids.length;
    if (ids.length < REFRESH_BATCH) break;
  }
  // The entities' name, region and status, and the sessions themselves, are cached.
  if (result.changed > 0 || result.sessionsEnded > 0) deps.authCache.invalidate();
  return result;
}

/** Runs refreshReferences every minute on a city node; the returned function stops it. */
export function startReferenceRefresh(deps: Deps, log: FastifyBaseLogger): () => Promise<void> {
  if (deps.config.nodeRole !== 'city') return async () => {};
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = refreshReferences(deps, deps.clock.now())
      .then((r) => {
        if (r.changed > 0 || r.sessionsEnded > 0) log.info(r, 'reference copies of province entities refreshed');
      })
      .catch((err: unknown) => log.warn({ err }, 'refreshing reference copies failed; retried in a minute'))
      .finally(() => {
        running = null;
      });
  }, 60_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
