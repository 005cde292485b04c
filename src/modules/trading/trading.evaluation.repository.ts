// SQL of the steps after the opening: evaluations and scores, the candidates' publicity and
// objections to it, awards, contracts, security releases, and the opening results they read.

import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { EvaluationTables } from './trading.evaluation.tables.ts';
import type { TradingTables } from './trading.tables.ts';

export type EvaluationRow = Selectable<EvaluationTables['trading.evaluations']>;
export type ScoreRow = Selectable<EvaluationTables['trading.evaluation_scores']>;
export type PublicityRow = Selectable<EvaluationTables['trading.candidate_publicities']>;
export type AwardRow = Selectable<EvaluationTables['trading.awards']>;
export type ContractRow = Selectable<EvaluationTables['trading.contracts']>;
export type ReleaseRow = Selectable<EvaluationTables['trading.security_releases']>;
export type AdjustmentRow = Selectable<EvaluationTables['trading.price_adjustments']>;
export type SecurityDecisionRow = Selectable<EvaluationTables['trading.security_decisions']>;
export type OpeningResultRow = Selectable<TradingTables['trading.opening_results']>;
export type ObjectionRow = Selectable<TradingTables['trading.objections']>;

// ---- opening results (read only: the opening writes them) ----

export async function openingResultsOf(db: Db, lotId: string): Promise<OpeningResultRow[]> {
  return db.selectFrom('trading.opening_results').selectAll().where('lot_id', '=', lotId).orderBy('received_at').orderBy('bid_id').execute();
}

export async function openingResultOfEntity(db: Db, lotId: string, entityId: string): Promise<OpeningResultRow | undefined> {
  return db.selectFrom('trading.opening_results').selectAll().where('lot_id', '=', lotId).where('bidder_entity_id', '=', entityId).executeTakeFirst();
}

// ---- evaluations ----

export async function insertEvaluation(db: Db, row: Insertable<EvaluationTables['trading.evaluations']>): Promise<void> {
  await db.insertInto('trading.evaluations').values(row).execute();
}

export async function findEvaluation(db: Db, lotId: string): Promise<EvaluationRow | undefined> {
  return db.selectFrom('trading.evaluations').selectAll().where('lot_id', '=', lotId).executeTakeFirst();
}

export async function updateEvaluation(db: Db, lotId: string, change: Updateable<EvaluationTables['trading.evaluations']>): Promise<EvaluationRow> {
  return db.updateTable('trading.evaluations').set(change).where('lot_id', '=', lotId).returningAll().executeTakeFirstOrThrow();
}

// ---- scores ----

export async function insertScoreRows(db: Db, rows: Insertable<EvaluationTables['trading.evaluation_scores']>[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('trading.evaluation_scores').values(rows).execute();
}

export async function scoresOf(db: Db, lotId: string): Promise<ScoreRow[]> {
  return db.selectFrom('trading.evaluation_scores').selectAll().where('lot_id', '=', lotId).orderBy('seat').execute();
}

export async function scoreOf(db: Db, lotId: string, expertId: string): Promise<ScoreRow | undefined> {
  return db.selectFrom('trading.evaluation_scores').selectAll().where('lot_id', '=', lotId).where('expert_id', '=', expertId).executeTakeFirst();
}

/** Changes a member's scores that are not confirmed yet; undefined when they are (or it is no member). */
export async function updateOpenScore(db: Db, lotId: string, expertId: string, change: Updateable<EvaluationTables['trading.evaluation_scores']>): Promise<ScoreRow | undefined> {
  return db
    .updateTable('trading.evaluation_scores')
    .set({ ...change, version: (eb) => eb('version', '+', 1) })
    .where('lot_id', '=', lotId)
    .where('expert_id', '=', expertId)
    .where('confirmed_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export interface ExpertLot {
  lot_id: string;
  lot_name: string;
  lot_code: string;
  lot_status: TradingTables['trading.lots']['status'];
  project_id: string;
  project_name: string;
  deal_code: string;
  seat: number;
  submitted_at: Date | null;
  confirmed_at: Date | null;
}

// ---- price adjustments (经评审的最低投标价法) ----

export async function adjustmentsOf(db: Db, lotId: string): Promise<AdjustmentRow[]> {
  return db.selectFrom('trading.price_adjustments').selectAll().where('lot_id', '=', lotId).orderBy('seq').execute();
}

/** Replaces the lot's adjustments with `rows` (numbered 1…n in the given order). */
export async function replaceAdjustments(db: Db, lotId: string, rows: Omit<Insertable<EvaluationTables['trading.price_adjustments']>, 'lot_id' | 'seq'>[]): Promise<void> {
  await db.deleteFrom('trading.price_adjustments').where('lot_id', '=', lotId).execute();
  if (rows.length > 0) await db.insertInto('trading.price_adjustments').values(rows.map((r, i) => ({ ...r, lot_id: lotId, seq: i + 1 }))).execute();
}

/** The lots whose panel the expert sits on, newest first, a page of them and how many in all. */
export async function lotsOfExpert(db: Db, expertId: string, page: { limit: number; offset: number }): Promise<{ rows: ExpertLot[]; total: number }> {
  const rows = await db
    .selectFrom('trading.evaluation_scores as s')
    .innerJoin('trading.evaluations as e', 'e.lot_id', 's.lot_id')
    .innerJoin('trading.lots as l', 'l.id', 's.lot_id')
    .innerJoin('trading.projects as p', 'p.id', 'l.project_id')
    .select(['l.id as lot_id', 'l.name as lot_name', 'e.lot_code', 'l.status as lot_status', 'p.id as project_id', 'p.name as project_name', 'e.deal_code', 's.seat', 's.submitted_at', 's.confirmed_at'])
    .where('s.expert_id', '=', expertId)
    .orderBy('e.started_at', 'desc')
    .orderBy('l.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const count = await db
    .selectFrom('trading.evaluation_scores as s')
    .innerJoin('trading.evaluations as e', 'e.lot_id', 's.lot_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('s.expert_id', '=', expertId)
    .executeTakeFirstOrThrow();
  return { rows, total: Number(count.n) };
}

// ---- candidates and objections to them ----

export async function insertPublicity(db: Db, row: Insertable<EvaluationTables['trading.candidate_publicities']>): Promise<void> {
  await db.insertInto('trading.candidate_publicities').values(row).execute();
}

export async function findPublicity(db: Db, lotId: string): Promise<PublicityRow | undefined> {
  return db.selectFrom('trading.candidate_publicities').selectAll().where('lot_id', '=', lotId).executeTakeFirst();
}

export async function candidateObjectionsOf(db: Db, lotId: string): Promise<ObjectionRow[]> {
  return db.selectFrom('trading.objections').selectAll().where('lot_id', '=', lotId).where('subject', '=', 'candidates').orderBy('filed_at').orderBy('id').execute();
}

export async function openCandidateObjections(db: Db, lotId: string): Promise<number> {
  const r = await db
    .selectFrom('trading.objections')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('lot_id', '=', lotId)
    .where('subject', '=', 'candidates')
    .where('replied_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

// ---- award, contract, securities ----

export async function insertAward(db: Db, row: Insertable<EvaluationTables['trading.awards']>): Promise<void> {
  await db.insertInto('trading.awards').values(row).execute();
}

export async function findAward(db: Db, lotId: string): Promise<AwardRow | undefined> {
  return db.selectFrom('trading.awards').selectAll().where('lot_id', '=', lotId).executeTakeFirst();
}

export async function insertContract(db: Db, row: Insertable<EvaluationTables['trading.contracts']>): Promise<void> {
  await db.insertInto('trading.contracts').values(row).execute();
}

export async function findContract(db: Db, lotId: string): Promise<ContractRow | undefined> {
  return db.selectFrom('trading.contracts').selectAll().where('lot_id', '=', lotId).executeTakeFirst();
}

/** Records releases; a bid already released keeps its first row (the call may be repeated). */
export async function insertReleases(db: Db, rows: Insertable<EvaluationTables['trading.security_releases']>[]): Promise<ReleaseRow[]> {
  if (rows.length === 0) return [];
  return db.insertInto('trading.security_releases').values(rows).onConflict((oc) => oc.column('bid_id').doNothing()).returningAll().execute();
}

/** The bid box's active security of each bidder of the lot (cash amount or guarantee sum), by entity. */
export async function activeSecurities(db: Db, lotId: string): Promise<Map<string, number>> {
  const rows = await db.selectFrom('trading.bid_securities').select(['bidder_entity_id', 'amount_fen']).where('lot_id', '=', lotId).where('status', '=', 'active').execute();
  return new Map(rows.map((r) => [r.bidder_entity_id, r.amount_fen]));
}

/** The security each bidder of the lot lodged and the lot still holds or kept (active or retained), by entity. */
export async function heldSecurities(db: Db, lotId: string): Promise<Map<string, number>> {
  const rows = await db.selectFrom('trading.bid_securities').select(['bidder_entity_id', 'amount_fen']).where('lot_id', '=', lotId).where('status', 'in', ['active', 'retained']).execute();
  return new Map(rows.map((r) => [r.bidder_entity_id, r.amount_fen]));
}

/** Marks the bidder's active security on the lot retained (a 撤销 bid's, kept by the tenderer); the row, if there was one. */
export async function retainActiveSecurity(db: Db, lotId: string, entityId: string): Promise<{ id: string; amount_fen: number } | undefined> {
  return db.updateTable('trading.bid_securities').set({ status: 'retained' }).where('lot_id', '=', lotId).where('bidder_entity_id', '=', entityId).where('status', '=', 'active').returning(['id', 'amount_fen']).executeTakeFirst();
}

/** Marks the bidder's active security on the lot released; the row as it was, if there was one. */
export async function releaseActiveSecurity(db: Db, lotId: string, entityId: string): Promise<{ id: string; amount_fen: number } | undefined> {
  return db.updateTable('trading.bid_securities').set({ status: 'released' }).where('lot_id', '=', lotId).where('bidder_entity_id', '=', entityId).where('status', '=', 'active').returning(['id', 'amount_fen']).executeTakeFirst();
}

/** The decision on a 撤销 bid's security; undefined when one was already made (one per bid). */
export async function insertSecurityDecision(db: Db, row: Insertable<EvaluationTables['trading.security_decisions']>): Promise<SecurityDecisionRow | undefined> {
  return db.insertInto('trading.security_decisions').values(row).onConflict((oc) => oc.column('bid_id').doNothing()).returningAll().executeTakeFirst();
}

export async function securityDecisionsOf(db: Db, lotId: string): Promise<SecurityDecisionRow[]> {
  return db.selectFrom('trading.security_decisions').selectAll().where('lot_id', '=', lotId).orderBy('decided_at').execute();
}

export async function releasesOf(db: Db, lotId: string): Promise<ReleaseRow[]> {
  return db.selectFrom('trading.security_releases').selectAll().where('lot_id', '=', lotId).orderBy('bid_id').execute();
}
