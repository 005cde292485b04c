// All SQL of the coding module.

import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CodingTables } from './coding.tables.ts';

type Db = Kysely<DB>;
export type CodeRow = Selectable<CodingTables['coding.codes']>;
export type CodeInsert = Insertable<CodingTables['coding.codes']>;
export type LotRow = Selectable<CodingTables['coding.lot_codes']>;
export type LotInsert = Insertable<CodingTables['coding.lot_codes']>;

/**
 * Takes the next serial of a platform's day: 1 for the day's first code, else the last + 1.
 * The upsert locks the day's row until the caller's transaction ends, so concurrent issues queue
 * there and a rollback gives the serial back. Returns null (and changes nothing) once the day's
 * last serial has reached `max`.
 */
export async function takeDailySerial(trx: Db, platformUscc: string, day: string, max: number): Promise<number | null> {
  const row = await trx
    .insertInto('coding.daily_counters')
    .values({ platform_uscc: platformUscc, day, last_serial: 1 })
    .onConflict((oc) =>
      oc
        .columns(['platform_uscc', 'day'])
        .doUpdateSet({ last_serial: sql<number>`coding.daily_counters.last_serial + 1` })
        .where('coding.daily_counters.last_serial', '<', max),
    )
    .returning('last_serial')
    .executeTakeFirst();
  return row?.last_serial ?? null;
}

export async function insertCode(trx: Db, row: CodeInsert): Promise<void> {
  await trx.insertInto('coding.codes').values(row).execute();
}

export async function findCode(db: Db, code: string): Promise<CodeRow | undefined> {
  return db.selectFrom('coding.codes').selectAll().where('code', '=', code).executeTakeFirst();
}

/** The deal's row, locked until the caller's transaction ends: lots of one deal are numbered one at a time. */
export async function lockCode(trx: Db, code: string): Promise<CodeRow | undefined> {
  return trx.selectFrom('coding.codes').selectAll().where('code', '=', code).forUpdate().executeTakeFirst();
}

export async function lastLotSerial(trx: Db, dealCode: string): Promise<number> {
  const r = await trx
    .selectFrom('coding.lot_codes')
    .select((eb) => eb.fn.max('serial').as('last'))
    .where('deal_code', '=', dealCode)
    .executeTakeFirst();
  return r?.last ?? 0;
}

export async function insertLot(trx: Db, row: LotInsert): Promise<void> {
  await trx.insertInto('coding.lot_codes').values(row).execute();
}

export async function findLot(db: Db, lotCode: string): Promise<LotRow | undefined> {
  return db.selectFrom('coding.lot_codes').selectAll().where('lot_code', '=', lotCode).executeTakeFirst();
}

export async function lotsOf(db: Db, dealCode: string): Promise<LotRow[]> {
  return db.selectFrom('coding.lot_codes').selectAll().where('deal_code', '=', dealCode).orderBy('serial').execute();
}
