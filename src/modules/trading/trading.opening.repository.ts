// SQL of openings and their results.

import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { TradingTables } from './trading.tables.ts';

export type OpeningRow = Selectable<TradingTables['trading.openings']>;
export type ResultRow = Selectable<TradingTables['trading.opening_results']>;

export async function insertOpening(db: Db, row: Insertable<TradingTables['trading.openings']>): Promise<void> {
  await db.insertInto('trading.openings').values(row).execute();
}

export async function findOpening(db: Db, lotId: string): Promise<OpeningRow | undefined> {
  return db.selectFrom('trading.openings').selectAll().where('lot_id', '=', lotId).executeTakeFirst();
}

export async function endOpening(db: Db, lotId: string, change: { ended_at: Date; record: string; document_digest: string; signature: string }): Promise<void> {
  await db.updateTable('trading.openings').set(change).where('lot_id', '=', lotId).where('ended_at', 'is', null).execute();
}

export async function insertResult(db: Db, row: Insertable<TradingTables['trading.opening_results']>): Promise<void> {
  await db.insertInto('trading.opening_results').values(row).execute();
}

export async function resultsOf(db: Db, lotId: string): Promise<ResultRow[]> {
  return db.selectFrom('trading.opening_results').selectAll().where('lot_id', '=', lotId).orderBy('received_at').execute();
}

/** Openings still decrypting (the sweep ends them when due). */
export async function decryptingLots(db: Db): Promise<string[]> {
  return (await db.selectFrom('trading.openings').select('lot_id').where('ended_at', 'is', null).execute()).map((r) => r.lot_id);
}
