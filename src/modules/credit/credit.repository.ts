// All SQL of the credit module.

import { sql, type Expression, type Insertable, type RawBuilder, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { RecordStatus, RecordType, SubjectKind } from './credit.rules.ts';
import type { CreditTables } from './credit.tables.ts';
import type { RegionScopeClause as ScopeClause } from '../org/org.region-scope.ts';

type Db = Kysely<DB>;
export type RecordRow = Selectable<CreditTables['credit.records']>;
export type RecordInsert = Omit<Insertable<CreditTables['credit.records']>, 'version'>;
export type ObjectionRow = Selectable<CreditTables['credit.objections']>;
export type ObjectionInsert = Insertable<CreditTables['credit.objections']>;
export type RepairRow = Selectable<CreditTables['credit.repairs']>;
export type RepairInsert = Insertable<CreditTables['credit.repairs']>;

/** Rows the caller may see: all (null), or those issued in these regions, or created by this account. */
export type { ScopeClause };

function anyText(column: string, values: readonly string[]): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} = ANY(${values}::text[])`;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A unique index refused the row (SQLSTATE 23505), on `constraint`. */
export function isUniqueViolation(e: unknown, constraint: string): boolean {
  const err = e as { code?: unknown; constraint?: unknown };
  return err.code === '23505' && err.constraint === constraint;
}

// ---- records ----

export async function insertRecord(db: Db, row: RecordInsert): Promise<void> {
  await db.insertInto('credit.records').values(row).execute();
}

/** Many records at once (imports, the benchmark), in chunks well under 65,535 parameters. The caller provides the transaction. */
export async function insertRecordsBulk(db: Db, rows: readonly RecordInsert[]): Promise<void> {
  const CHUNK = 1000;
  for (let i = 0; i < rows.length; i += CHUNK) await db.insertInto('credit.records').values(rows.slice(i, i + CHUNK)).execute();
}

export async function findRecord(db: Db, id: string): Promise<RecordRow | undefined> {
  return db.selectFrom('credit.records').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface RecordListQuery {
  scope: ScopeClause | null;
  type?: RecordType | undefined;
  status?: RecordStatus | undefined;
  regionCodes?: string[] | undefined;
  q?: string | undefined;
  limit: number;
  offset: number;
}

/** The scope as one condition on the records table under `alias` (always true for null). */
function inScope(scope: ScopeClause | null, alias: string): Expression<SqlBool> {
  const parts: RawBuilder<unknown>[] = [sql`true`];
  if (scope?.regionCodes) parts.push(sql`${sql.ref(`${alias}.region_code`)} = ANY(${scope.regionCodes}::text[])`);
  if (scope?.createdBy) parts.push(sql`${sql.ref(`${alias}.created_by`)} = ${scope.createdBy}::uuid`);
  return sql<SqlBool>`${sql.join(parts, sql` AND `)}`;
}

export async function listRecords(db: Db, q: RecordListQuery): Promise<{ rows: RecordRow[]; total: number }> {
  let qb = db.selectFrom('credit.records as r').where(inScope(q.scope, 'r'));
  if (q.type) qb = qb.where('r.type', '=', q.type);
  if (q.status) qb = qb.where('r.status', '=', q.status);
  if (q.regionCodes) qb = qb.where(anyText('r.region_code', q.regionCodes));
  if (q.q) qb = qb.where('r.subject_name', 'like', `%${escapeLike(q.q)}%`);
  const total = await qb.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await qb.selectAll('r').orderBy('r.created_at', 'desc').orderBy('r.id').limit(q.limit).offset(q.offset).execute();
  return { rows, total: Number(total.n) };
}

/** Every record of one subject, newest decision first. */
export async function recordsOfSubject(db: Db, kind: SubjectKind, key: string, scope: ScopeClause | null): Promise<RecordRow[]> {
  const qb = db
    .selectFrom('credit.records as r')
    .where(inScope(scope, 'r'))
    .selectAll('r')
    .where('r.subject_key', '=', key)
    .where('r.subject_kind', '=', kind);
  return qb.orderBy('r.decision_date', 'desc').orderBy('r.id').execute();
}

/** Columns the participation check reads: the ban, and what a blocking answer shows. */
export type BanRow = Pick<RecordRow, 'id' | 'title' | 'severity' | 'legal_basis' | 'status' | 'ban_categories' | 'ban_region_code' | 'ban_from' | 'ban_to'>;

/**
 * The subject's live bans covering `day`: one range scan of the partial index records_live_bans
 * (subject key, then bans ending on or after the day). Category and region are tested by the
 * caller on these few rows, against the region tree.
 */
export async function liveBans(db: Db, subjectKey: string, day: string): Promise<BanRow[]> {
  return db
    .selectFrom('credit.records')
    .select(['id', 'title', 'severity', 'legal_basis', 'status', 'ban_categories', 'ban_region_code', 'ban_from', 'ban_to'])
    .where('subject_key', '=', subjectKey)
    .where('ban_from', 'is not', null)
    .where('status', 'in', ['effective', 'under_objection'])
    .where('ban_to', '>=', day)
    .where('ban_from', '<=', day)
    .execute();
}

/** Records the public sees on `day`: published, inside their disclosure period, neither revoked nor repaired. */
export async function disclosedRecords(db: Db, by: { uscc: string } | { name: string }, day: string, limit: number): Promise<RecordRow[]> {
  let qb = db
    .selectFrom('credit.records')
    .selectAll()
    .where('disclosure_to', '>=', day)
    .where('decision_date', '<=', day)
    .where('status', 'in', ['effective', 'under_objection']);
  qb = 'uscc' in by ? qb.where('subject_kind', '=', 'organisation').where('subject_key', '=', by.uscc) : qb.where('subject_name', 'like', `%${escapeLike(by.name)}%`);
  return qb.orderBy('decision_date', 'desc').orderBy('id').limit(limit).execute();
}

/** Moves a record from one of `from` to `to` (guarded); the new row, or undefined if its status moved on. */
export async function setRecordStatus(db: Db, id: string, from: readonly RecordStatus[], to: RecordStatus, now: Date): Promise<RecordRow | undefined> {
  return db
    .updateTable('credit.records')
    .set((eb) => ({ status: to, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .returningAll()
    .executeTakeFirst();
}

// ---- objections ----

export async function insertObjection(db: Db, row: ObjectionInsert): Promise<void> {
  await db.insertInto('credit.objections').values(row).execute();
}

export async function findObjection(db: Db, id: string): Promise<ObjectionRow | undefined> {
  return db.selectFrom('credit.objections').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function decideObjection(db: Db, id: string, change: Pick<ObjectionRow, 'status' | 'decision_reason' | 'decided_by' | 'decided_at'>): Promise<ObjectionRow | undefined> {
  return db.updateTable('credit.objections').set(change).where('id', '=', id).where('status', '=', 'pending').returningAll().executeTakeFirst();
}

export async function listObjections(db: Db, q: { scope: ScopeClause | null; status?: ObjectionRow['status'] | undefined; limit: number; offset: number }): Promise<{ rows: (ObjectionRow & { record_title: string; subject_name: string })[]; total: number }> {
  let qb = db.selectFrom('credit.objections as o').innerJoin('credit.records as r', 'r.id', 'o.record_id').where(inScope(q.scope, 'r'));
  if (q.status) qb = qb.where('o.status', '=', q.status);
  const total = await qb.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await qb.selectAll('o').select(['r.title as record_title', 'r.subject_name']).orderBy('o.filed_at').orderBy('o.id').limit(q.limit).offset(q.offset).execute();
  return { rows, total: Number(total.n) };
}

// ---- repairs ----

export async function insertRepair(db: Db, row: RepairInsert): Promise<void> {
  await db.insertInto('credit.repairs').values(row).execute();
}

export async function findRepair(db: Db, id: string): Promise<RepairRow | undefined> {
  return db.selectFrom('credit.repairs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function decideRepair(db: Db, id: string, change: Pick<RepairRow, 'status' | 'decision_reason' | 'decided_by' | 'decided_at'>): Promise<RepairRow | undefined> {
  return db.updateTable('credit.repairs').set(change).where('id', '=', id).where('status', '=', 'pending').returningAll().executeTakeFirst();
}

export async function listRepairs(db: Db, q: { scope: ScopeClause | null; status?: RepairRow['status'] | undefined; limit: number; offset: number }): Promise<{ rows: (RepairRow & { record_title: string; subject_name: string })[]; total: number }> {
  let qb = db.selectFrom('credit.repairs as p').innerJoin('credit.records as r', 'r.id', 'p.record_id').where(inScope(q.scope, 'r'));
  if (q.status) qb = qb.where('p.status', '=', q.status);
  const total = await qb.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await qb.selectAll('p').select(['r.title as record_title', 'r.subject_name']).orderBy('p.requested_at').orderBy('p.id').limit(q.limit).offset(q.offset).execute();
  return { rows, total: Number(total.n) };
}

/** Objections and repair requests of several records, two queries whatever their number. */
export async function stepsOf(db: Db, recordIds: string[]): Promise<{ objections: ObjectionRow[]; repairs: RepairRow[] }> {
  if (recordIds.length === 0) return { objections: [], repairs: [] };
  const ids = sql<SqlBool>`record_id = ANY(${recordIds}::uuid[])`;
  const [objections, repairs] = await Promise.all([
    db.selectFrom('credit.objections').selectAll().where(ids).orderBy('filed_at').orderBy('id').execute(),
    db.selectFrom('credit.repairs').selectAll().where(ids).orderBy('requested_at').orderBy('id').execute(),
  ]);
  return { objections, repairs };
}
