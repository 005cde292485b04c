// All SQL of the deal event stream (migrations/0009_deal_events.sql).

import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { EventsTables } from './events.tables.ts';

type Db = Kysely<DB>;
export type DealEventRow = Selectable<EventsTables['platform.deal_events']>;
export type DealEventInsert = Omit<Insertable<EventsTables['platform.deal_events']>, 'id' | 'txid' | 'seq'>;
export type ConsumerRow = Selectable<EventsTables['platform.event_consumers']>;

/** A place in the consumers' reading order: the (txid, id) of the last event handled. */
export interface StreamPosition {
  txid: string;
  id: string;
}

/**
 * Takes the deal's next seq. The upsert locks the deal's head row until the caller's transaction
 * ends, so a second append to the same deal waits and then reads the committed value.
 */
export async function nextSeq(trx: Db, dealCode: string): Promise<number> {
  const row = await trx
    .insertInto('platform.deal_streams')
    .values({ deal_code: dealCode, last_seq: 1 })
    .onConflict((oc) => oc.column('deal_code').doUpdateSet({ last_seq: sql<number>`platform.deal_streams.last_seq + 1` }))
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return row.last_seq;
}

export async function insertEvent(trx: Db, seq: number, row: DealEventInsert): Promise<number> {
  const r = await trx.insertInto('platform.deal_events').values({ ...row, seq }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function eventsOfDeal(db: Db, dealCode: string, filter: { types?: readonly string[] | undefined; lotCode?: string | undefined }): Promise<DealEventRow[]> {
  let qb = db.selectFrom('platform.deal_events').selectAll().where('deal_code', '=', dealCode);
  if (filter.types) qb = qb.where(sql<boolean>`type = ANY(${[...filter.types]}::text[])`);
  if (filter.lotCode !== undefined) qb = qb.where('lot_code', '=', filter.lotCode);
  return qb.orderBy('seq').execute();
}

/**
 * Events after `after` in (txid, id) order, only from transactions older than the oldest one
 * still running: those can no longer change, so a later read never finds an event before the
 * position it has reached. The snapshot and the rows come from one statement.
 */
export async function eventsCommittedAfter(db: Db, after: StreamPosition, limit: number): Promise<DealEventRow[]> {
  return db
    .selectFrom('platform.deal_events')
    .selectAll()
    .where(sql<boolean>`(txid, id) > (${after.txid}::xid8, ${after.id}::bigint)`)
    .where(sql<boolean>`txid < pg_snapshot_xmin(pg_current_snapshot())`)
    .orderBy('txid')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** The (txid, id) of the last event this statement's snapshot sees committed, if any. */
export async function lastCommittedEvent(db: Db): Promise<StreamPosition | undefined> {
  const row = await db.selectFrom('platform.deal_events').select(['txid', 'id']).orderBy('txid', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? { txid: row.txid, id: String(row.id) } : undefined;
}

export async function findConsumer(db: Db, name: string): Promise<ConsumerRow | undefined> {
  return db.selectFrom('platform.event_consumers').selectAll().where('name', '=', name).executeTakeFirst();
}

/**
 * Moves a consumer to `to`, never backwards; locks the consumer's row until the caller's
 * transaction ends (two workers of one consumer then cannot both handle a batch). Returns
 * false when the stored position is already past `to`.
 */
export async function moveConsumer(trx: Db, name: string, to: StreamPosition, at: Date): Promise<boolean> {
  const r = await trx
    .insertInto('platform.event_consumers')
    .values({ name, position: sql<number>`${to.id}::bigint`, position_txid: sql<string>`${to.txid}::xid8`, updated_at: at })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ position: sql<number>`excluded.position`, position_txid: sql<string>`excluded.position_txid`, updated_at: at })
        .where(sql<boolean>`(platform.event_consumers.position_txid, platform.event_consumers.position) <= (excluded.position_txid, excluded.position)`),
    )
    .returning('name')
    .executeTakeFirst();
  return r !== undefined;
}
