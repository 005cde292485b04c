// All SQL of the panel draws. The candidate query reads the facts the exclusion rule needs for
// every expert of the needed specialties in the regions asked (not only the eligible ones), so
// that the draw can say how many were left out and why.

import { sql, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { DrawTables } from './experts.draw.tables.ts';
import type { RegionScopeClause } from '../org/org.region-scope.ts';

type Db = Kysely<DB>;
export type DrawRow = Selectable<DrawTables['experts.draws']>;
export type RoundRow = Selectable<DrawTables['experts.draw_rounds']>;
export type MemberRow = Selectable<DrawTables['experts.draw_members']>;
export type DrawInsert = Omit<DrawRow, 'request'> & { request: string };
export type RoundInsert = Omit<RoundRow, 'needs' | 'eligible' | 'exclusions' | 'result'> & { needs: string; eligible: string; exclusions: string; result: string };

/** A unique index refused the row (SQLSTATE 23505), on `constraint`. */
export function isUniqueViolation(e: unknown, constraint: string): boolean {
  const err = e as { code?: unknown; constraint?: unknown };
  return err.code === '23505' && err.constraint === constraint;
}

export interface CandidateRow {
  id: string;
  status: 'active' | 'suspended' | 'removed';
  employer_uscc: string;
  employer_name: string;
  id_number_enc: string;
  /** The expert's codes among those asked for. */
  codes: string[];
  /** The expert's declared relations with one of the avoided entities. */
  related_avoided: string[];
  unavailable: boolean;
}

/**
 * Every expert holding one of `specialtyCodes` in `regionCodes` (null: every region), with the
 * facts of the exclusion rule. One statement; the relation and period tests are correlated
 * lookups on their (expert_id, …) indexes. The sealed ID number is read for the credit check.
 */
export async function candidates(db: Db, q: { specialtyCodes: string[]; regionCodes: string[] | null; avoidUscc: string[]; on: string }): Promise<CandidateRow[]> {
  if (q.specialtyCodes.length === 0 || (q.regionCodes !== null && q.regionCodes.length === 0)) return [];
  let qb = db
    .selectFrom('experts.experts as e')
    .select(['e.id', 'e.status', 'e.employer_uscc', 'e.employer_name', 'e.id_number_enc'])
    .select(sql<string[]>`ARRAY(SELECT s.code FROM experts.expert_specialties s WHERE s.expert_id = e.id AND s.code = ANY(${q.specialtyCodes}::text[]) ORDER BY s.code)`.as('codes'))
    .select(sql<string[]>`ARRAY(SELECT DISTINCT r.uscc FROM experts.relations r WHERE r.expert_id = e.id AND r.uscc = ANY(${q.avoidUscc}::text[]) ORDER BY r.uscc)`.as('related_avoided'))
    .select(sql<boolean>`EXISTS (SELECT 1 FROM experts.unavailability u WHERE u.expert_id = e.id AND u.from_date <= ${q.on}::date AND u.to_date >= ${q.on}::date)`.as('unavailable'))
    .where(sql<SqlBool>`EXISTS (SELECT 1 FROM experts.expert_specialties s WHERE s.expert_id = e.id AND s.code = ANY(${q.specialtyCodes}::text[]))`);
  if (q.regionCodes !== null) qb = qb.where(sql<SqlBool>`e.region_code = ANY(${q.regionCodes}::text[])`);
  return qb.orderBy('e.id').execute();
}

/** Names and masked contact data of the experts of a draw (staff's view). */
export async function expertsByIds(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('experts.experts')
    .select(['id', 'name', 'employer_name', 'phone_masked', 'region_code'])
    .where(sql<SqlBool>`id = ANY(${ids}::uuid[])`)
    .execute();
}

// ---- draws ----

export async function insertDraw(db: Db, row: DrawInsert): Promise<void> {
  await db.insertInto('experts.draws').values(row).execute();
}

export async function insertRound(db: Db, row: RoundInsert): Promise<void> {
  await db.insertInto('experts.draw_rounds').values(row).execute();
}

export async function insertMembers(db: Db, rows: MemberRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('experts.draw_members').values(rows).execute();
}

export async function findDraw(db: Db, id: string): Promise<DrawRow | undefined> {
  return db.selectFrom('experts.draws').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The draw locked for a state change: answers, top-ups and confirmation queue behind each other. */
export async function lockDraw(db: Db, id: string): Promise<DrawRow | undefined> {
  return db.selectFrom('experts.draws').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function drawsOfDeal(db: Db, dealCode: string, scope: RegionScopeClause | null): Promise<DrawRow[]> {
  let qb = db.selectFrom('experts.draws').selectAll().where('deal_code', '=', dealCode);
  if (scope?.regionCodes) qb = qb.where(sql<SqlBool>`region_code = ANY(${scope.regionCodes}::text[])`);
  if (scope?.createdBy) qb = qb.where('drawn_by', '=', scope.createdBy);
  return qb.orderBy('lot_code').orderBy('drawn_at').execute();
}

export async function confirmedDrawOf(db: Db, dealCode: string, lotCode: string | null): Promise<DrawRow | undefined> {
  let qb = db.selectFrom('experts.draws').selectAll().where('deal_code', '=', dealCode).where('status', '=', 'confirmed');
  qb = lotCode === null ? qb.where('lot_code', 'is', null) : qb.where('lot_code', '=', lotCode);
  return qb.executeTakeFirst();
}

export async function revealedDrawsOfDeal(db: Db, dealCode: string): Promise<DrawRow[]> {
  return db.selectFrom('experts.draws').selectAll().where('deal_code', '=', dealCode).where('revealed_at', 'is not', null).orderBy('lot_code').execute();
}

export async function roundsOf(db: Db, drawId: string): Promise<RoundRow[]> {
  return db.selectFrom('experts.draw_rounds').selectAll().where('draw_id', '=', drawId).orderBy('round_no').execute();
}

export async function membersOf(db: Db, drawId: string): Promise<MemberRow[]> {
  return db.selectFrom('experts.draw_members').selectAll().where('draw_id', '=', drawId).orderBy('round_no').orderBy('specialty_code').orderBy('kind').orderBy('rank').execute();
}

export async function updateMember(db: Db, drawId: string, expertId: string, changes: Partial<Pick<MemberRow, 'state' | 'called_at' | 'replaces_expert_id' | 'answer_reason' | 'answered_at' | 'answered_by'>>): Promise<void> {
  await db.updateTable('experts.draw_members').set(changes).where('draw_id', '=', drawId).where('expert_id', '=', expertId).execute();
}

export async function confirmDraw(db: Db, id: string, by: string, at: Date): Promise<DrawRow> {
  return db.updateTable('experts.draws').set({ status: 'confirmed', confirmed_by: by, confirmed_at: at }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function revealDraw(db: Db, id: string, at: Date): Promise<DrawRow> {
  return db.updateTable('experts.draws').set({ revealed_at: at }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** The audit rows of a draw's rounds (action, after-digest, round number), for verification. */
export async function roundAuditRows(db: Db, drawId: string): Promise<{ action: string; after_digest: string | null; round: number | null }[]> {
  const rows = await db
    .selectFrom('audit.audit_log')
    .select(['action', 'after_digest', sql<number | null>`(detail->>'round')::int`.as('round')])
    .where('target_type', '=', 'expert_draw')
    .where('target_id', '=', drawId)
    .where('action', 'in', ['experts.panel.draw', 'experts.panel.top_up'])
    .orderBy('seq')
    .execute();
  return rows;
}
