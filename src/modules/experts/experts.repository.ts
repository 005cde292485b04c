// All SQL of the experts module.

import { sql, type Expression, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { ExpertsTables } from './experts.tables.ts';
import type { RegionScopeClause as ScopeClause } from '../org/org.region-scope.ts';

type Db = Kysely<DB>;
export type ExpertRow = Selectable<ExpertsTables['experts.experts']>;
export type ExpertInsert = Omit<ExpertRow, 'version' | 'home_node' | 'refreshed_at'> & Partial<Pick<ExpertRow, 'home_node' | 'refreshed_at'>>;
export type SpecialtyLink = ExpertsTables['experts.expert_specialties'];
export type PeriodRow = ExpertsTables['experts.unavailability'];
export type RelationRow = ExpertsTables['experts.relations'];

/** Rows the caller may see: all, or those in these regions, or those it created. */
export type { ScopeClause };

/** `column = ANY($1::text[])`: one parameter however long the list, and an index can use it. */
function anyText(column: string, values: readonly string[]): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} = ANY(${values}::text[])`;
}

/** A unique index refused the row (SQLSTATE 23505), on `constraint`. */
export function isUniqueViolation(e: unknown, constraint: string): boolean {
  const err = e as { code?: unknown; constraint?: unknown };
  return err.code === '23505' && err.constraint === constraint;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// ---- experts ----

export async function insertExpert(db: Db, row: ExpertInsert, specialties: Omit<SpecialtyLink, 'expert_id'>[]): Promise<void> {
  await db.insertInto('experts.experts').values(row).execute();
  await db
    .insertInto('experts.expert_specialties')
    .values(specialties.map((s) => ({ ...s, expert_id: row.id })))
    .execute();
}

/**
 * Many experts at once (imports, the benchmark): multi-row inserts in chunks that stay well under
 * PostgreSQL's 65,535 parameters per statement. The caller provides the transaction.
 */
export async function insertExpertsBulk(db: Db, input: { experts: ExpertInsert[]; specialties: SpecialtyLink[]; relations: RelationRow[]; periods: PeriodRow[] }): Promise<void> {
  const CHUNK = 1000;
  for (let i = 0; i < input.experts.length; i += CHUNK) await db.insertInto('experts.experts').values(input.experts.slice(i, i + CHUNK)).execute();
  for (let i = 0; i < input.specialties.length; i += CHUNK * 3) await db.insertInto('experts.expert_specialties').values(input.specialties.slice(i, i + CHUNK * 3)).execute();
  for (let i = 0; i < input.relations.length; i += CHUNK) await db.insertInto('experts.relations').values(input.relations.slice(i, i + CHUNK)).execute();
  for (let i = 0; i < input.periods.length; i += CHUNK) await db.insertInto('experts.unavailability').values(input.periods.slice(i, i + CHUNK)).execute();
}

export async function findExpert(db: Db, id: string): Promise<ExpertRow | undefined> {
  return db.selectFrom('experts.experts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The expert row locked for a rewrite of its reference copy (experts.province.ts). */
export async function lockExpert(db: Db, id: string): Promise<ExpertRow | undefined> {
  return db.selectFrom('experts.experts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** A reference copy rewritten from its home node's answer (no version check: nobody edits a copy). */
export async function rewriteReference(db: Db, id: string, changes: Partial<Omit<ExpertRow, 'id' | 'version'>>): Promise<void> {
  await db.updateTable('experts.experts').set(changes).where('id', '=', id).execute();
}

export async function findExpertByIdIndex(db: Db, index: string): Promise<ExpertRow | undefined> {
  return db.selectFrom('experts.experts').selectAll().where('id_number_index', '=', index).executeTakeFirst();
}

export interface ExpertListQuery {
  scope: ScopeClause | null;
  /** Leaf codes (a category already expanded). */
  specialtyCodes?: string[] | undefined;
  regionCodes?: string[] | undefined;
  status?: string | undefined;
  q?: string | undefined;
  limit: number;
  offset: number;
}

export async function listExperts(db: Db, query: ExpertListQuery): Promise<{ rows: ExpertRow[]; total: number }> {
  let qb = db.selectFrom('experts.experts as e');
  if (query.scope) {
    const { regionCodes, createdBy } = query.scope;
    if (regionCodes) qb = qb.where(anyText('e.region_code', regionCodes));
    if (createdBy) qb = qb.where('e.created_by', '=', createdBy);
  }
  if (query.regionCodes) qb = qb.where(anyText('e.region_code', query.regionCodes));
  if (query.status) qb = qb.where('e.status', '=', query.status as ExpertRow['status']);
  if (query.q) qb = qb.where('e.name', 'like', `%${escapeLike(query.q)}%`);
  if (query.specialtyCodes) {
    const codes = query.specialtyCodes;
    qb = qb.where((eb) => eb.exists(eb.selectFrom('experts.expert_specialties as s').select(sql.lit(1).as('one')).whereRef('s.expert_id', '=', 'e.id').where(anyText('s.code', codes))));
  }
  const total = await qb.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await qb.selectAll('e').orderBy('e.created_at', 'desc').orderBy('e.id').limit(query.limit).offset(query.offset).execute();
  return { rows, total: Number(total.n) };
}

/** Optimistic update: the new row, or undefined when `version` is stale. */
export async function updateExpert(
  db: Db,
  id: string,
  version: number,
  changes: Partial<Pick<ExpertRow, 'name' | 'phone_enc' | 'phone_masked' | 'region_code' | 'employer_name' | 'employer_uscc' | 'titles' | 'status' | 'status_reason'>>,
  now: Date,
): Promise<ExpertRow | undefined> {
  return db
    .updateTable('experts.experts')
    .set({ ...changes, updated_at: now, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

/** A change to a part of the expert (periods, relations) is a change of the expert: new version. */
export async function touchExpert(db: Db, id: string, now: Date): Promise<ExpertRow> {
  return db
    .updateTable('experts.experts')
    .set((eb) => ({ updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function replaceSpecialties(db: Db, expertId: string, specialties: Omit<SpecialtyLink, 'expert_id'>[]): Promise<void> {
  await db.deleteFrom('experts.expert_specialties').where('expert_id', '=', expertId).execute();
  await db
    .insertInto('experts.expert_specialties')
    .values(specialties.map((s) => ({ ...s, expert_id: expertId })))
    .execute();
}

/** Specialties, periods and relations of several experts, three queries whatever their number. */
export async function partsOf(db: Db, ids: string[]): Promise<{ specialties: SpecialtyLink[]; periods: PeriodRow[]; relations: RelationRow[] }> {
  if (ids.length === 0) return { specialties: [], periods: [], relations: [] };
  const [specialties, periods, relations] = await Promise.all([
    db.selectFrom('experts.expert_specialties').selectAll().where('expert_id', 'in', ids).orderBy('expert_id').orderBy('is_primary', 'desc').orderBy('code').execute(),
    db.selectFrom('experts.unavailability').selectAll().where('expert_id', 'in', ids).orderBy('from_date').orderBy('id').execute(),
    db.selectFrom('experts.relations').selectAll().where('expert_id', 'in', ids).orderBy('declared_on').orderBy('id').execute(),
  ]);
  return { specialties, periods, relations };
}

export async function specialtiesOf(db: Db, ids: string[]): Promise<SpecialtyLink[]> {
  if (ids.length === 0) return [];
  // One array parameter: the panel draw may ask for the whole pool's candidates at once.
  return db
    .selectFrom('experts.expert_specialties')
    .selectAll()
    .where(sql<SqlBool>`expert_id = ANY(${ids}::uuid[])`)
    .orderBy('is_primary', 'desc')
    .orderBy('code')
    .execute();
}

// ---- unavailability and relations ----

export async function insertPeriod(db: Db, row: PeriodRow): Promise<void> {
  await db.insertInto('experts.unavailability').values(row).execute();
}

export async function deletePeriod(db: Db, expertId: string, periodId: string): Promise<PeriodRow | undefined> {
  return db.deleteFrom('experts.unavailability').where('id', '=', periodId).where('expert_id', '=', expertId).returningAll().executeTakeFirst();
}

export async function findRelation(db: Db, expertId: string, uscc: string, kind: RelationRow['kind']): Promise<RelationRow | undefined> {
  return db.selectFrom('experts.relations').selectAll().where('expert_id', '=', expertId).where('uscc', '=', uscc).where('kind', '=', kind).executeTakeFirst();
}

export async function insertRelation(db: Db, row: RelationRow): Promise<void> {
  await db.insertInto('experts.relations').values(row).execute();
}

export async function deleteRelation(db: Db, expertId: string, relationId: string): Promise<RelationRow | undefined> {
  return db.deleteFrom('experts.relations').where('id', '=', relationId).where('expert_id', '=', expertId).returningAll().executeTakeFirst();
}

// ---- eligibility ----

export interface EligibleQuery {
  /** Leaf codes the requested specialty matches. */
  specialtyCodes: string[];
  /** The requested region's subtree, already cut to the caller's scope; null: every region. */
  regionCodes: string[] | null;
  createdBy: string | null;
  avoidUscc: string[];
  on: string;
  limit: number | null;
}

/** What a candidate shows: masked data only (the encrypted columns are never read here). */
export const CANDIDATE_COLUMNS = ['e.id', 'e.name', 'e.id_number_masked', 'e.gender', 'e.phone_masked', 'e.region_code', 'e.employer_name', 'e.employer_uscc', 'e.titles'] as const;
export type CandidateRow = Pick<ExpertRow, 'id' | 'name' | 'id_number_masked' | 'gender' | 'phone_masked' | 'region_code' | 'employer_name' | 'employer_uscc' | 'titles'>;

/**
 * Active experts of the specialty in the regions, free on the day, tied to none of the avoided
 * entities — one statement. The avoided and absent experts are each found by index (employer,
 * relation USCC, period end) and anti-joined, so no per-expert work grows with the avoid list;
 * the specialty test is an overlap with the row's own copy of its codes (GIN-indexed for a
 * province-wide request). The count comes from a window over the same rows, so the page and its
 * total cannot disagree; only the shown columns are read, as the window holds every matching row.
 *
 * random_page_cost is lowered for this statement only: the default (4) prices a disk seek, so
 * the planner would scan the whole pool rather than look up the few hundred experts holding one
 * specialty. PGlite keeps the database in memory and servers run on SSDs, where 1.1 is the usual
 * setting; measured on PGlite (bench/experts-eligible.ts) a province-wide leaf request drops from
 * ~17 ms to ~9 ms.
 */
export async function eligibleExperts(db: Db, q: EligibleQuery): Promise<{ rows: CandidateRow[]; total: number }> {
  if (q.specialtyCodes.length === 0 || (q.regionCodes !== null && q.regionCodes.length === 0)) return { rows: [], total: 0 };
  let qb = db
    .with('avoided', (w) =>
      w
        .selectFrom('experts.experts')
        .select('id as expert_id')
        .where(anyText('employer_uscc', q.avoidUscc))
        .union(w.selectFrom('experts.relations').select('expert_id').where(anyText('uscc', q.avoidUscc))),
    )
    .with('absent', (w) => w.selectFrom('experts.unavailability').select('expert_id').where('to_date', '>=', q.on).where('from_date', '<=', q.on))
    .selectFrom('experts.experts as e')
    .select(CANDIDATE_COLUMNS)
    .select(sql<number>`count(*) OVER ()`.as('total'))
    .where('e.status', '=', 'active')
    // The row's copy of its specialty codes (migration 0029), GIN-indexed for the active pool.
    .where(sql<SqlBool>`e.specialty_codes && ${q.specialtyCodes}::text[]`)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('avoided as a').select(sql.lit(1).as('one')).whereRef('a.expert_id', '=', 'e.id'))))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('absent as u').select(sql.lit(1).as('one')).whereRef('u.expert_id', '=', 'e.id'))));
  if (q.regionCodes !== null) qb = qb.where(anyText('e.region_code', q.regionCodes));
  if (q.createdBy) qb = qb.where('e.created_by', '=', q.createdBy);
  let ordered = qb.orderBy('e.name').orderBy('e.id');
  if (q.limit !== null) ordered = ordered.limit(q.limit);
  const compiled = ordered.compile();
  // Inside a caller's transaction the hint would outlive this statement: run without it there.
  const result = db.isTransaction
    ? await db.executeQuery(compiled)
    : await db.transaction().execute(async (trx) => {
        await sql`SET LOCAL random_page_cost = 1.1`.execute(trx);
        return trx.executeQuery(compiled);
      });
  return { rows: result.rows, total: result.rows.length > 0 ? Number(result.rows[0]!.total) : 0 };
}
