import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { AuditLogRow } from './audit.tables.ts';

export interface AuditQuery {
  from?: Date | undefined;
  to?: Date | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  result?: AuditLogRow['result'] | undefined;
  limit: number;
  offset: number;
}

export async function listAuditEvents(db: Kysely<DB>, q: AuditQuery) {
  let qb = db.selectFrom('audit.audit_log');
  if (q.from) qb = qb.where('occurred_at', '>=', q.from);
  if (q.to) qb = qb.where('occurred_at', '<', q.to);
  if (q.actor) qb = qb.where('actor_username', '=', q.actor);
  if (q.action) qb = qb.where('action', 'like', `${q.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (q.result) qb = qb.where('result', '=', q.result);
  const total = await qb.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await qb.selectAll().orderBy('seq', 'desc').limit(q.limit).offset(q.offset).execute();
  return { rows, total: Number(total.n) };
}
