// Appending to and verifying the hash-chained audit trail.
//
// appendAudit runs inside the caller's transaction: the audit row commits or rolls back with
// the change it describes. It takes a transaction-scoped advisory lock so that rows are chained
// in commit order; call it as the last statement of a transaction to hold the lock briefly.

import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { sm3Hex } from '../crypto/sm3.ts';
import type { DB } from '../db/schema.ts';
import type { AuditAction } from './audit.actions.ts';
import type { AuditLogRow } from './audit.tables.ts';
import { canonicalJson } from './canonical.ts';

export const GENESIS_HASH = '0'.repeat(64);
const CHAIN_LOCK_KEY = 0x6175_6474; // "audt"

export interface AuditContext {
  actorId: string | null;
  actorUsername: string | null;
  clientIp: string | null;
  requestId: string | null;
  at: Date;
}

export interface AuditEntry {
  action: AuditAction;
  result?: 'success' | 'failure' | 'denied';
  targetType?: string;
  targetId?: string;
  /** State before and after the change; only their SM3 digests are stored. */
  before?: unknown;
  after?: unknown;
  /** Small, non-personal facts (reason codes, changed field names). Never secrets or PII. */
  detail?: Record<string, unknown>;
}

export function digestOf(state: unknown): string | null {
  return state === undefined ? null : sm3Hex(canonicalJson(state));
}

type ChainFields = Omit<AuditLogRow, 'hash' | 'detail'> & { detail: Record<string, unknown> };

/** The bytes a row's hash covers: every column but the hash itself, in a fixed order. */
export function chainHash(row: ChainFields): string {
  const material = canonicalJson([
    row.seq,
    row.occurred_at.toISOString(),
    row.actor_id,
    row.actor_username,
    row.action,
    row.target_type,
    row.target_id,
    row.result,
    row.client_ip,
    row.request_id,
    row.before_digest,
    row.after_digest,
    row.detail,
  ]);
  return sm3Hex(row.prev_hash + material);
}

export async function appendAudit(trx: Kysely<DB>, ctx: AuditContext, entry: AuditEntry): Promise<number> {
  await sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK_KEY})`.execute(trx);
  const last = await trx
    .selectFrom('audit.audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const row: ChainFields = {
    seq: (last?.seq ?? 0) + 1,
    occurred_at: ctx.at,
    actor_id: ctx.actorId,
    actor_username: ctx.actorUsername,
    action: entry.action,
    target_type: entry.targetType ?? null,
    target_id: entry.targetId ?? null,
    result: entry.result ?? 'success',
    client_ip: ctx.clientIp,
    request_id: ctx.requestId,
    before_digest: digestOf(entry.before),
    after_digest: digestOf(entry.after),
    detail: entry.detail ?? {},
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  const hash = chainHash(row);
  await trx
    .insertInto('audit.audit_log')
    .values({ ...row, detail: JSON.stringify(row.detail), hash })
    .execute();
  return row.seq;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  lastSeq: number;
  firstBroken?: { seq: number; reason: 'hash_mismatch' | 'broken_link' | 'gap' };
}

/** Recomputes the whole chain in pages; reports the first row that does not fit. */
export async function verifyAuditChain(db: Kysely<DB>, pageSize = 5000): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit.audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const r of rows) {
      if (r.seq !== expectedSeq) return { ok: false, checked, lastSeq: expectedSeq - 1, firstBroken: { seq: expectedSeq, reason: 'gap' } };
      if (r.prev_hash !== prevHash) return { ok: false, checked, lastSeq: r.seq, firstBroken: { seq: r.seq, reason: 'broken_link' } };
      const recomputed = chainHash({ ...r, detail: r.detail as unknown as Record<string, unknown> });
      if (recomputed !== r.hash) return { ok: false, checked, lastSeq: r.seq, firstBroken: { seq: r.seq, reason: 'hash_mismatch' } };
      prevHash = r.hash;
      expectedSeq = r.seq + 1;
      checked++;
    }
    if (rows.length < pageSize) return { ok: true, checked, lastSeq: expectedSeq - 1 };
  }
}
