// SQL of tender projects and their lots.

import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { ListScope } from './trading.access.ts';
import type { LotRow, ProjectRow } from './trading.repository.ts';
import type { LotStatus, ProjectStatus, TradingTables } from './trading.tables.ts';

export type ProjectInsert = Insertable<TradingTables['trading.projects']>;
export type ProjectUpdate = Updateable<TradingTables['trading.projects']>;
export type LotInsert = Insertable<TradingTables['trading.lots']>;
export type LotUpdate = Updateable<TradingTables['trading.lots']>;

export async function insertProject(db: Db, row: ProjectInsert, lots: LotInsert[]): Promise<void> {
  await db.insertInto('trading.projects').values(row).execute();
  if (lots.length > 0) await db.insertInto('trading.lots').values(lots).execute();
}

export async function findProject(db: Db, id: string): Promise<ProjectRow | undefined> {
  return db.selectFrom('trading.projects').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findProjectByCode(db: Db, dealCode: string): Promise<ProjectRow | undefined> {
  return db.selectFrom('trading.projects').selectAll().where('deal_code', '=', dealCode).executeTakeFirst();
}

/** The project row locked for the rest of the transaction (every state change starts here). */
export async function lockProject(db: Db, id: string): Promise<ProjectRow | undefined> {
  return db.selectFrom('trading.projects').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Changes a project that is still in `from`; undefined if it moved meanwhile. */
export async function updateProject(db: Db, id: string, from: ProjectStatus, change: ProjectUpdate): Promise<ProjectRow | undefined> {
  return db
    .updateTable('trading.projects')
    .set({ ...change, version: (eb) => eb('version', '+', 1) })
    .where('id', '=', id)
    .where('status', '=', from)
    .returningAll()
    .executeTakeFirst();
}

export async function replaceLots(db: Db, projectId: string, lots: LotInsert[]): Promise<void> {
  await db.deleteFrom('trading.lots').where('project_id', '=', projectId).execute();
  if (lots.length > 0) await db.insertInto('trading.lots').values(lots).execute();
}

export async function lotsOf(db: Db, projectIds: string[]): Promise<LotRow[]> {
  if (projectIds.length === 0) return [];
  return db.selectFrom('trading.lots').selectAll().where('project_id', 'in', projectIds).orderBy('project_id').orderBy('lot_no').execute();
}

export async function findLot(db: Db, id: string): Promise<LotRow | undefined> {
  return db.selectFrom('trading.lots').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateLot(db: Db, id: string, from: LotStatus, change: LotUpdate): Promise<LotRow | undefined> {
  return db
    .updateTable('trading.lots')
    .set({ ...change, version: (eb) => eb('version', '+', 1) })
    .where('id', '=', id)
    .where('status', '=', from)
    .returningAll()
    .executeTakeFirst();
}

export interface ProjectListQuery {
  status: ProjectStatus | undefined;
  q: string | undefined;
  limit: number;
  offset: number;
}

const PUBLIC: ProjectStatus[] = ['bidding', 'after_deadline', 'finished'];

export async function listProjects(db: Db, scope: ListScope, query: ProjectListQuery): Promise<{ rows: ProjectRow[]; total: number }> {
  let q = db.selectFrom('trading.projects');
  if (scope.kind === 'entity') {
    const e = scope.entityId;
    q = q.where((eb) => {
      const ors = [];
      if (scope.party) ors.push(eb('owner_entity_id', '=', e), eb('tenderer_entity_id', '=', e), eb('agency_entity_id', '=', e));
      if (scope.bidder) ors.push(eb('status', 'in', PUBLIC));
      return eb.or(ors);
    });
  } else if (scope.clause) {
    const { regionCodes, createdBy } = scope.clause;
    if (regionCodes) q = q.where('region_code', 'in', regionCodes.length > 0 ? regionCodes : ['']);
    if (createdBy) q = q.where('accepted_by', '=', createdBy);
  }
  if (query.status) q = q.where('status', '=', query.status);
  if (query.q) q = q.where((eb) => eb.or([eb('name', 'like', `%${query.q!.replace(/[\\%_]/g, (c) => `\\${c}`)}%`), eb('deal_code', '=', query.q!.replace(/-/g, '').toUpperCase())]));
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(query.limit).offset(query.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Projects still taking bids whose deadline has come on their own clock (the deal's offset added). */
export async function projectsPastDeadline(db: Db, now: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('trading.projects')
    .select('id')
    .where('status', '=', 'bidding')
    .where(sql<boolean>`bid_deadline <= ${now}::timestamptz + clock_offset_ms * interval '1 millisecond'`)
    .orderBy('bid_deadline')
    .limit(100)
    .execute();
  return rows.map((r) => r.id);
}
