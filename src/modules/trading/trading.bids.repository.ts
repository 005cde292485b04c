// All SQL of the sealed bids (Kysely), one function per query.

import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Db } from '../../platform/db/database.ts';
import type { StoredProfile } from '../registry/registry.tables.ts';
import type { BidStatus, TradingBidTables } from './trading.bids.tables.ts';
import type { LotStatus } from './trading.tables.ts';

export type SealingKeyRow = Selectable<TradingBidTables['trading.sealing_keys']>;
export type BidRow = Selectable<TradingBidTables['trading.bids']>;
export type SealRow = Selectable<TradingBidTables['trading.bid_key_seals']>;
export type RehearsalRow = Selectable<TradingBidTables['trading.bid_rehearsals']>;
export type IssuerRow = Selectable<TradingBidTables['trading.guarantee_issuers']>;
export type SecurityRow = Selectable<TradingBidTables['trading.bid_securities']>;

/** A bid that stands for its bidder: received, or its outcome at the opening. */
export const STANDING: BidStatus[] = ['received', 'decrypted', 'decrypt_failed_bidder', 'decrypt_failed_platform'];

// ---- sealing keys ----

export async function sealingKeysOf(db: Db, entityId: string): Promise<SealingKeyRow[]> {
  return db.selectFrom('trading.sealing_keys').selectAll().where('entity_id', '=', entityId).orderBy('created_at').orderBy('id').execute();
}

export async function findSealingKey(db: Db, id: string): Promise<SealingKeyRow | undefined> {
  return db.selectFrom('trading.sealing_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertSealingKey(db: Db, row: Insertable<TradingBidTables['trading.sealing_keys']>): Promise<void> {
  await db.insertInto('trading.sealing_keys').values(row).execute();
}

export async function revokeSealingKey(db: Db, id: string, at: Date, by: string): Promise<boolean> {
  const r = await db.updateTable('trading.sealing_keys').set({ revoked_at: at, revoked_by: by }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Serialises changes to one entity's keys with its bids' seals (revocation vs re-sealing). */
export async function lockEntityKeys(db: Db, entityId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('trading.sealing_keys'), hashtext(${entityId}))`.execute(db);
}

/**
 * Pending bids (received, not yet opened) that only this key could open: those with a seal for
 * it and none for another key still active.
 */
export async function bidsOnlySealedTo(db: Db, keyId: string): Promise<{ id: string; lot_code: string }[]> {
  return db
    .selectFrom('trading.bid_key_seals as s')
    .innerJoin('trading.bids as b', 'b.id', 's.bid_id')
    .select(['b.id', 'b.lot_code'])
    .where('s.sealing_key_id', '=', keyId)
    .where('b.status', '=', 'received')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('trading.bid_key_seals as o')
            .innerJoin('trading.sealing_keys as k', 'k.id', 'o.sealing_key_id')
            .select('o.bid_id')
            .whereRef('o.bid_id', '=', 'b.id')
            .where('o.sealing_key_id', '<>', keyId)
            .where('k.revoked_at', 'is', null),
        ),
      ),
    )
    .execute();
}

// ---- bids ----

/** Serialises the attempts of one bidder on one lot (numbering, replacement). */
export async function lockBidderSlot(db: Db, lotId: string, entityId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${lotId}), hashtext(${entityId}))`.execute(db);
}

/** Holds the lot row until commit, so a bid's completion and a status change of the lot (the opening) cannot interleave. */
export async function lockLot(db: Db, lotId: string): Promise<void> {
  await db.selectFrom('trading.lots').select('id').where('id', '=', lotId).forUpdate().executeTakeFirst();
}

export async function insertBid(db: Db, row: Insertable<TradingBidTables['trading.bids']>): Promise<void> {
  await db.insertInto('trading.bids').values(row).execute();
}

/** Inserts the bidder's next attempt on the lot, numbered in the same statement; hold lockBidderSlot first. Returns its number. */
export async function insertNextAttempt(db: Db, row: Omit<Insertable<TradingBidTables['trading.bids']>, 'attempt'>): Promise<number> {
  const next = sql<number>`(SELECT coalesce(max(attempt), 0) + 1 FROM trading.bids WHERE lot_id = ${row.lot_id} AND bidder_entity_id = ${row.bidder_entity_id})`;
  const r = await db
    .insertInto('trading.bids')
    .values({ ...row, attempt: next })
    .returning('attempt')
    .executeTakeFirstOrThrow();
  return r.attempt;
}

/** Updates a bid if it is in one of `from`; false when it was not (a concurrent change). */
export async function moveBid(db: Db, id: string, from: BidStatus[], change: Updateable<TradingBidTables['trading.bids']>): Promise<boolean> {
  const r = await db.updateTable('trading.bids').set(change).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** moveBid that returns the updated row; undefined when the bid was not in one of `from`. */
export async function moveBidReturning(db: Db, id: string, from: BidStatus[], change: Updateable<TradingBidTables['trading.bids']>): Promise<BidRow | undefined> {
  return db.updateTable('trading.bids').set(change).where('id', '=', id).where('status', 'in', from).returningAll().executeTakeFirst();
}

export async function findBid(db: Db, id: string): Promise<BidRow | undefined> {
  return db.selectFrom('trading.bids').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The bidder's standing bid on the lot (at most one, by the partial unique index). */
export async function standingBid(db: Db, lotId: string, entityId: string, forUpdate = false): Promise<BidRow | undefined> {
  let q = db.selectFrom('trading.bids').selectAll().where('lot_id', '=', lotId).where('bidder_entity_id', '=', entityId).where('status', 'in', STANDING);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function attemptsOf(db: Db, lotId: string, entityId: string): Promise<BidRow[]> {
  return db.selectFrom('trading.bids').selectAll().where('lot_id', '=', lotId).where('bidder_entity_id', '=', entityId).orderBy('attempt', 'desc').execute();
}

export async function bidsOfLot(db: Db, lotId: string, statuses: BidStatus[] = STANDING): Promise<(BidRow & { bidder_name: string })[]> {
  return db
    .selectFrom('trading.bids as b')
    .innerJoin('registry.entities as e', 'e.id', 'b.bidder_entity_id')
    .selectAll('b')
    .select('e.name as bidder_name')
    .where('b.lot_id', '=', lotId)
    .where('b.status', 'in', statuses)
    .orderBy('b.received_at')
    .orderBy('b.id')
    .execute();
}

export async function receivedTimes(db: Db, lotId: string): Promise<Date[]> {
  const rows = await db.selectFrom('trading.bids').select('received_at').where('lot_id', '=', lotId).where('status', 'in', STANDING).orderBy('received_at').execute();
  return rows.map((r) => r.received_at!);
}

/** Uploads this node was streaming when it stopped: they can never complete. */
export async function markInterruptedUploads(db: Db, node: string, at: Date): Promise<number> {
  const r = await db.updateTable('trading.bids').set({ status: 'incomplete', failure_reason: 'crashed', updated_at: at }).where('status', '=', 'uploading').where('intake_node', '=', node).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function blobReferenced(db: Db, digest: string): Promise<boolean> {
  const r = await db.selectFrom('trading.bids').select('id').where('blob_digest', '=', digest).where('status', '<>', 'incomplete').limit(1).executeTakeFirst();
  return r !== undefined;
}

// ---- seals and rehearsals ----

export async function insertSeals(db: Db, rows: Insertable<TradingBidTables['trading.bid_key_seals']>[]): Promise<void> {
  if (rows.length) await db.insertInto('trading.bid_key_seals').values(rows).execute();
}

export async function upsertSeal(db: Db, row: Insertable<TradingBidTables['trading.bid_key_seals']>): Promise<void> {
  await db
    .insertInto('trading.bid_key_seals')
    .values(row)
    .onConflict((oc) => oc.columns(['bid_id', 'sealing_key_id']).doUpdateSet({ sealed_key: row.sealed_key, via: row.via, proof: row.proof ?? null, added_by: row.added_by, added_at: row.added_at }))
    .execute();
}

export async function sealsOf(db: Db, bidId: string): Promise<(SealRow & { fingerprint: string; label: string; revoked_at: Date | null })[]> {
  return db
    .selectFrom('trading.bid_key_seals as s')
    .innerJoin('trading.sealing_keys as k', 'k.id', 's.sealing_key_id')
    .selectAll('s')
    .select(['k.fingerprint', 'k.label', 'k.revoked_at'])
    .where('s.bid_id', '=', bidId)
    .orderBy('s.added_at')
    .execute();
}

export async function insertRehearsal(db: Db, row: Insertable<TradingBidTables['trading.bid_rehearsals']>): Promise<void> {
  await db.insertInto('trading.bid_rehearsals').values(row).execute();
}

export async function rehearsalsOf(db: Db, bidId: string): Promise<RehearsalRow[]> {
  return db.selectFrom('trading.bid_rehearsals').selectAll().where('bid_id', '=', bidId).orderBy('at', 'desc').limit(20).execute();
}

// ---- the bidder, as the registry and the download log know it ----

export interface BidderFacts {
  id: string;
  name: string;
  status: string;
  kind: string;
  uscc: string | null;
  profile: StoredProfile | null;
}

export async function bidderFacts(db: Db, entityId: string): Promise<BidderFacts | undefined> {
  const r = await db
    .selectFrom('registry.entities as e')
    .leftJoin('registry.entity_versions as v', 'v.id', 'e.current_version_id')
    .select(['e.id', 'e.name', 'e.status', 'e.kind', 'e.uscc', 'v.data'])
    .where('e.id', '=', entityId)
    .executeTakeFirst();
  return r && { id: r.id, name: r.name, status: r.status, kind: r.kind, uscc: r.uscc, profile: (r.data as StoredProfile | null) ?? null };
}

export interface IntakeFacts {
  bidder: BidderFacts;
  /** It obtained the project's tender documents on the platform (a download is recorded). */
  downloaded: boolean;
  /** Its sealing keys not revoked, oldest first. */
  activeKeys: Pick<SealingKeyRow, 'id' | 'label'>[];
}

/** What intake checks about a bidder, in one round trip: bidderFacts, its download of the project's documents, its active sealing keys. */
export async function intakeFacts(db: Db, projectId: string, entityId: string): Promise<IntakeFacts | undefined> {
  const r = await db
    .selectFrom('registry.entities as e')
    .leftJoin('registry.entity_versions as v', 'v.id', 'e.current_version_id')
    .select(['e.id', 'e.name', 'e.status', 'e.kind', 'e.uscc', 'v.data'])
    .select((eb) => [
      eb.exists(eb.selectFrom('trading.downloads as d').select('d.id').where('d.project_id', '=', projectId).whereRef('d.entity_id', '=', 'e.id')).as('downloaded'),
      jsonArrayFrom(eb.selectFrom('trading.sealing_keys as k').select(['k.id', 'k.label']).whereRef('k.entity_id', '=', 'e.id').where('k.revoked_at', 'is', null).orderBy('k.created_at').orderBy('k.id')).as('active_keys'),
    ])
    .where('e.id', '=', entityId)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    bidder: { id: r.id, name: r.name, status: r.status, kind: r.kind, uscc: r.uscc, profile: (r.data as StoredProfile | null) ?? null },
    downloaded: r.downloaded === true,
    activeKeys: r.active_keys,
  };
}

// ---- guarantee issuers and securities ----

export async function insertIssuer(db: Db, row: Insertable<TradingBidTables['trading.guarantee_issuers']>): Promise<void> {
  await db.insertInto('trading.guarantee_issuers').values(row).execute();
}

export async function issuerByUscc(db: Db, uscc: string): Promise<IssuerRow | undefined> {
  return db.selectFrom('trading.guarantee_issuers').selectAll().where('uscc', '=', uscc).executeTakeFirst();
}

export async function listIssuers(db: Db): Promise<IssuerRow[]> {
  return db.selectFrom('trading.guarantee_issuers').selectAll().orderBy('name').execute();
}

export async function supersedeSecurities(db: Db, lotId: string, entityId: string): Promise<void> {
  await db.updateTable('trading.bid_securities').set({ status: 'superseded' }).where('lot_id', '=', lotId).where('bidder_entity_id', '=', entityId).where('status', '=', 'active').execute();
}

export async function insertSecurity(db: Db, row: Insertable<TradingBidTables['trading.bid_securities']>): Promise<void> {
  await db.insertInto('trading.bid_securities').values(row).execute();
}

export async function activeSecurity(db: Db, lotId: string, entityId: string): Promise<SecurityRow | undefined> {
  return db.selectFrom('trading.bid_securities').selectAll().where('lot_id', '=', lotId).where('bidder_entity_id', '=', entityId).where('status', '=', 'active').executeTakeFirst();
}

// ---- the opening ----

/** At the end of the decryption window: every bid still not decrypted counts as the bidder's failure (撤销). */
export async function markUndecrypted(db: Db, lotId: string, at: Date): Promise<string[]> {
  const rows = await db
    .updateTable('trading.bids')
    .set({ status: 'decrypt_failed_bidder', decrypt_failure: 'not_decrypted', updated_at: at })
    .where('lot_id', '=', lotId)
    .where('status', '=', 'received')
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** The project's bid validity period in days (lotWindow does not carry it). */
export async function bidValidityDays(db: Db, projectId: string): Promise<number> {
  const r = await db.selectFrom('trading.projects').select('bid_validity_days').where('id', '=', projectId).executeTakeFirstOrThrow();
  return r.bid_validity_days ?? 90;
}

export type MyBidListRow = BidRow & { project_id: string; project_name: string; lot_name: string; lot_status: LotStatus; bid_deadline: Date | null };

/**
 * The entity's bids across lots: per lot its latest attempt (the standing bid, or what became of
 * the last one — withdrawn, incomplete, replaced never shows since a replacement is newer),
 * newest first, with the total number of lots it has bid on.
 */
export async function bidsOfEntity(db: Db, entityId: string, page: { limit: number; offset: number }): Promise<{ rows: MyBidListRow[]; total: number }> {
  const latest = db
    .selectFrom('trading.bids')
    .selectAll()
    .distinctOn('lot_id')
    .where('bidder_entity_id', '=', entityId)
    .orderBy('lot_id')
    .orderBy('attempt', 'desc');
  const rows = await db
    .selectFrom(latest.as('b'))
    .innerJoin('trading.lots as l', 'l.id', 'b.lot_id')
    .innerJoin('trading.projects as p', 'p.id', 'l.project_id')
    .selectAll('b')
    .select(['p.id as project_id', 'p.name as project_name', 'l.name as lot_name', 'l.status as lot_status', 'p.bid_deadline'])
    .orderBy('b.started_at', 'desc')
    .orderBy('b.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const count = await db.selectFrom('trading.bids').select((eb) => eb.fn.count<string>('lot_id').distinct().as('n')).where('bidder_entity_id', '=', entityId).executeTakeFirstOrThrow();
  return { rows: rows as MyBidListRow[], total: Number(count.n) };
}
