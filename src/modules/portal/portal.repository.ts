// All SQL of the portal (migrations/0017_portal.sql): the projector's writes and the public reads.

import { sql, type Expression, type Insertable, type Selectable, type Updateable, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { PortalTables } from './portal.tables.ts';

export type DealRow = Selectable<PortalTables['portal.deals']>;
export type LotRow = Selectable<PortalTables['portal.lots']>;
export type NoticeRow = Selectable<PortalTables['portal.notices']>;
export type TimelineRow = Selectable<PortalTables['portal.timeline']>;

// ---- projector writes ----

export async function lockDeal(db: Db, dealCode: string): Promise<Omit<DealRow, 'tsv'> | undefined> {
  return db
    .selectFrom('portal.deals')
    .select(['deal_code', 'name', 'category', 'sub_category', 'region_code', 'city_code', 'tenderer_name', 'agency_name', 'tender_method', 'supervising_department', 'stage', 'bid_deadline', 'accepted_at', 'updated_at', 'last_seq'])
    .where('deal_code', '=', dealCode)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertDeal(db: Db, row: Insertable<PortalTables['portal.deals']>): Promise<void> {
  await db
    .insertInto('portal.deals')
    .values({ ...row, tsv: sql<string>`${row.tsv}::tsvector` })
    .execute();
}

/** One more notice holds each lexeme of `tsv` (a tsvector's lexemes are distinct). */
async function countLexemes(db: Db, tsv: string): Promise<void> {
  await sql`
    INSERT INTO portal.lexemes (lexeme, notices)
    SELECT l, 1 FROM unnest(tsvector_to_array(${tsv}::tsvector)) AS l
    ON CONFLICT (lexeme) DO UPDATE SET notices = portal.lexemes.notices + 1
  `.execute(db);
}

/** How many notices hold each of `lexemes` (a lexeme no notice holds is absent). */
export async function noticesWithLexemes(db: Db, lexemes: readonly string[]): Promise<Map<string, number>> {
  if (lexemes.length === 0) return new Map();
  const rows = await db.selectFrom('portal.lexemes').select(['lexeme', 'notices']).where(sql<boolean>`lexeme = ANY(${[...lexemes]}::text[])`).execute();
  return new Map(rows.map((r) => [r.lexeme, r.notices]));
}

export async function setLastSeq(db: Db, dealCode: string, seq: number, at: Date): Promise<void> {
  await db.updateTable('portal.deals').set({ last_seq: seq, updated_at: at }).where('deal_code', '=', dealCode).execute();
}

export async function updateDeal(db: Db, dealCode: string, change: Updateable<Omit<PortalTables['portal.deals'], 'tsv'>>): Promise<void> {
  await db.updateTable('portal.deals').set(change).where('deal_code', '=', dealCode).execute();
}

export async function insertLot(db: Db, row: Insertable<PortalTables['portal.lots']>): Promise<void> {
  await db.insertInto('portal.lots').values(row).onConflict((oc) => oc.column('lot_code').doNothing()).execute();
}

export async function updateLot(db: Db, lotCode: string, change: Updateable<PortalTables['portal.lots']>): Promise<void> {
  await db.updateTable('portal.lots').set(change).where('lot_code', '=', lotCode).execute();
}

export async function setLotStage(db: Db, lotCode: string, stage: string, at: Date): Promise<void> {
  await db.updateTable('portal.lots').set({ stage, updated_at: at }).where('lot_code', '=', lotCode).execute();
}

/** Moves the deal's lots that are in one of `from` (earlier stages) to `to`; failed lots stay. */
export async function advanceOpenLots(db: Db, dealCode: string, from: readonly string[], to: string, at: Date): Promise<void> {
  if (from.length === 0) return;
  await db
    .updateTable('portal.lots')
    .set({ stage: to, updated_at: at })
    .where('deal_code', '=', dealCode)
    .where(sql<boolean>`stage = ANY(${[...from]}::text[])`)
    .execute();
}

export async function lotStages(db: Db, dealCode: string): Promise<string[]> {
  return (await db.selectFrom('portal.lots').select('stage').where('deal_code', '=', dealCode).execute()).map((r) => r.stage);
}

/** A notice arrives once; a replayed event finds it there and changes nothing. */
export async function insertNotice(db: Db, row: Insertable<PortalTables['portal.notices']>): Promise<void> {
  const inserted = await db
    .insertInto('portal.notices')
    .values({ ...row, tsv: sql<string>`${row.tsv}::tsvector` })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) await countLexemes(db, row.tsv);
}

export async function markCorrected(db: Db, id: string, at: Date): Promise<void> {
  await db.updateTable('portal.notices').set({ corrected_at: at }).where('id', '=', id).where('corrected_at', 'is', null).execute();
}

/** A moved bid deadline moves the end of the deal's tender notice and amendments. */
export async function moveBiddingCloses(db: Db, dealCode: string, to: Date): Promise<void> {
  await db.updateTable('portal.notices').set({ closes_at: to }).where('deal_code', '=', dealCode).where('kind', 'in', ['tender', 'amendment']).execute();
}

export async function insertTimeline(db: Db, row: Insertable<PortalTables['portal.timeline']>): Promise<void> {
  await db.insertInto('portal.timeline').values(row).onConflict((oc) => oc.columns(['deal_code', 'seq']).doNothing()).execute();
}

export async function bumpVersion(db: Db, at: Date): Promise<void> {
  await db.updateTable('portal.meta').set({ version: sql<string>`version + 1`, updated_at: at }).where('singleton', '=', true).execute();
}

// ---- public reads ----

export async function version(db: Db): Promise<{ version: string; updatedAt: Date }> {
  const r = await db.selectFrom('portal.meta').select(['version', 'updated_at']).where('singleton', '=', true).executeTakeFirstOrThrow();
  return { version: String(r.version), updatedAt: r.updated_at };
}

export interface NoticeFilter {
  category?: string | undefined;
  kind?: string | undefined;
  /** A city code (its whole city) or a county code (that county). */
  cityCode?: string | undefined;
  regionCode?: string | undefined;
  from?: Date | undefined;
  /** Exclusive. */
  until?: Date | undefined;
  status?: 'open' | 'closed' | 'corrected' | undefined;
  dealCode?: string | undefined;
  now: Date;
}

export const NOTICE_LIST_COLUMNS = ['id', 'deal_code', 'lot_code', 'kind', 'title', 'category', 'sub_category', 'region_code', 'city_code', 'published_at', 'closes_at', 'corrects_id', 'corrected_at'] as const;
export type NoticeListRow = Pick<NoticeRow, (typeof NOTICE_LIST_COLUMNS)[number]>;

function filtered<O>(qb: SelectQueryBuilder<DB, 'portal.notices', O>, f: NoticeFilter): SelectQueryBuilder<DB, 'portal.notices', O> {
  let q = qb;
  if (f.category) q = q.where('category', '=', f.category);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.cityCode) q = q.where('city_code', '=', f.cityCode);
  if (f.regionCode) q = q.where('region_code', '=', f.regionCode);
  if (f.dealCode) q = q.where('deal_code', '=', f.dealCode);
  if (f.from) q = q.where('published_at', '>=', f.from);
  if (f.until) q = q.where('published_at', '<', f.until);
  if (f.status === 'open') q = q.where('closes_at', '>', f.now);
  // A notice without a period (a result, an opening record) is neither open nor closed.
  if (f.status === 'closed') q = q.where('closes_at', '<=', f.now);
  if (f.status === 'corrected') q = q.where('corrected_at', 'is not', null);
  return q;
}

export async function listNotices(db: Db, f: NoticeFilter, limit: number, offset: number): Promise<NoticeListRow[]> {
  return filtered(db.selectFrom('portal.notices').select([...NOTICE_LIST_COLUMNS]), f)
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** The number of notices matching, counted up to `cap` (a list says "cap+" beyond it). */
export async function countNotices(db: Db, f: NoticeFilter, cap: number): Promise<number> {
  const inner = filtered(db.selectFrom('portal.notices').select(sql<number>`1`.as('one')), f).limit(cap + 1);
  const r = await db.selectFrom(inner.as('m')).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function findNotice(db: Db, id: string): Promise<NoticeRow | undefined> {
  return db.selectFrom('portal.notices').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function noticesCorrecting(db: Db, id: string): Promise<NoticeListRow[]> {
  return db.selectFrom('portal.notices').select([...NOTICE_LIST_COLUMNS]).where('corrects_id', '=', id).orderBy('published_at').execute();
}

export async function noticesOfDeal(db: Db, dealCode: string): Promise<NoticeListRow[]> {
  return db.selectFrom('portal.notices').select([...NOTICE_LIST_COLUMNS]).where('deal_code', '=', dealCode).orderBy('published_at').orderBy('id').execute();
}

export async function findDeal(db: Db, dealCode: string): Promise<Omit<DealRow, 'tsv'> | undefined> {
  return db
    .selectFrom('portal.deals')
    .select(['deal_code', 'name', 'category', 'sub_category', 'region_code', 'city_code', 'tenderer_name', 'agency_name', 'tender_method', 'supervising_department', 'stage', 'bid_deadline', 'accepted_at', 'updated_at', 'last_seq'])
    .where('deal_code', '=', dealCode)
    .executeTakeFirst();
}

export async function lotsOfDeal(db: Db, dealCode: string): Promise<LotRow[]> {
  return db.selectFrom('portal.lots').selectAll().where('deal_code', '=', dealCode).orderBy('lot_no').execute();
}

export async function timelineOfDeal(db: Db, dealCode: string): Promise<TimelineRow[]> {
  return db.selectFrom('portal.timeline').selectAll().where('deal_code', '=', dealCode).orderBy('seq').execute();
}

export type SearchHit = NoticeListRow & { body: string; rank: number };

/** A query whose rows a CTE names: the two ways of reading a search's candidates share it. */
type Candidates<O> = Expression<O>;

/**
 * Below this many possible matches (portal.lexemes' bound) a search reads every match from the
 * GIN index and keeps the newest; above it, it walks the recency steps. At 1,000,000 notices
 * reading 2,000 matches costs about what one recency step costs (bench/portal.ts).
 */
export const RARE_NOTICE_MATCHES = 2_000;

/** Whether a search that can match at most `bound` notices reads every match (see above). */
export function readsEveryMatch(bound: number): boolean {
  return bound <= RARE_NOTICE_MATCHES;
}

/**
 * The recency steps of a search (days before now). The newest `window` matches of the whole table
 * are the newest `window` of the first step that holds that many, so a step that fills the window
 * answers exactly what the unrestricted query would; otherwise the next step, then every match. A
 * bound lets the planner intersect the GIN match with a range of notices_recent (BitmapAnd) and
 * read only the matches in that range, where a word in a few percent of 1,000,000 notices would
 * otherwise fetch every one of its tens of thousands of rows to find the newest (bench/portal.ts).
 */
const SEARCH_STEPS_DAYS = [60, 365] as const;
const DAY_MS = 86_400_000;

/**
 * Full-text hits, ranked. The ranking reads only the newest `window` matches (each needs its
 * tsvector), so a word in half the notices costs the same as a rare one; a reader who wants
 * older ones narrows by date. Title words weigh most (A = 1.0, B = 0.4, D = 0.1). `bound` is the
 * most notices the query can match (text matchBound over portal.lexemes); it only chooses how
 * the matches are read, never which.
 */
export async function searchNotices(db: Db, tsquery: string, f: NoticeFilter, window: number, limit: number, offset: number, bound: number): Promise<{ hits: SearchHit[]; matched: number }> {
  if (!readsEveryMatch(bound)) {
    for (const days of SEARCH_STEPS_DAYS) {
      const since = new Date(f.now.getTime() - days * DAY_MS);
      // A date filter as narrow as the step already: the step would be the whole query.
      if (f.from && f.from.getTime() >= since.getTime()) break;
      const r = await searchWindow(db, tsquery, { ...f, from: since }, window, limit, offset, 'newest');
      if (r.matched >= window) return r;
    }
  }
  // Few matches, or the filters left few: walking the newest notices for them would read most of
  // the table, so every match comes from the index and the newest are kept.
  return searchWindow(db, tsquery, f, window, limit, offset, 'every');
}

/**
 * The page of the newest `window` matches, ranked. 'newest' lets the planner walk a recency
 * index and test each notice (a common word: the window fills within a few hundred rows);
 * 'every' materialises all matches first (a bitmap scan of the GIN index, no per-row test).
 */
async function searchWindow(db: Db, tsquery: string, f: NoticeFilter, window: number, limit: number, offset: number, read: 'newest' | 'every'): Promise<{ hits: SearchHit[]; matched: number }> {
  const matching = filtered(db.selectFrom('portal.notices').select(['id', 'published_at']), f).where(sql<boolean>`tsv @@ ${tsquery}::tsquery`);
  const candidates: Candidates<{ id: string; published_at: Date; tsv: string }> =
    read === 'newest'
      ? matching.select('tsv').orderBy('published_at', 'desc').limit(window)
      : db
          .with((cte) => cte('m').materialized(), () => matching)
          .selectFrom((eb) => eb.selectFrom('m').select(['m.id', 'm.published_at']).orderBy('m.published_at', 'desc').limit(window).as('newest'))
          .innerJoin('portal.notices as t', 't.id', 'newest.id')
          .select(['newest.id', 'newest.published_at', 't.tsv']);
  const base = db.with('c', () => candidates);
  // Ranked from the candidates' own tsvectors; only the page's rows are joined for their text.
  const ranked = await base
    .with('r', (qb) =>
      qb
        .selectFrom('c')
        .select(['c.id', 'c.published_at'])
        .select(sql<number>`ts_rank_cd('{0.1, 0, 0.4, 1.0}', c.tsv, ${tsquery}::tsquery)`.as('rank'))
        .select(sql<string>`count(*) OVER ()`.as('matched'))
        .orderBy('rank', 'desc')
        .orderBy('c.published_at', 'desc')
        .limit(limit)
        .offset(offset),
    )
    .selectFrom('r')
    .innerJoin('portal.notices as n', 'n.id', 'r.id')
    .select([...NOTICE_LIST_COLUMNS.map((c) => `n.${c}` as const), 'n.body', 'r.rank', 'r.matched'])
    .orderBy('r.rank', 'desc')
    .orderBy('r.published_at', 'desc')
    .execute();
  const matched = ranked.length > 0 ? Number(ranked[0]!.matched) : 0;
  return { hits: ranked.map(({ matched: _m, ...h }) => ({ ...h, rank: Number(h.rank) })), matched };
}

/** Titles like the query (pg_trgm word similarity), the fallback when no word matches. */
export async function similarTitles(db: Db, query: string, f: NoticeFilter, limit: number): Promise<SearchHit[]> {
  const rows = await filtered(db.selectFrom('portal.notices').select([...NOTICE_LIST_COLUMNS, 'body']), f)
    .select(sql<number>`word_similarity(${query}, title)`.as('rank'))
    .where(sql<boolean>`${query} <% title`)
    .orderBy('rank', 'desc')
    .orderBy('published_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, rank: Number(r.rank) }));
}

export type DealHit = Pick<DealRow, 'deal_code' | 'name' | 'category' | 'sub_category' | 'region_code' | 'city_code' | 'tenderer_name' | 'stage' | 'accepted_at'>;
const DEAL_HIT_COLUMNS = ['deal_code', 'name', 'category', 'sub_category', 'region_code', 'city_code', 'tenderer_name', 'stage', 'accepted_at'] as const;

/**
 * The deals among `dealCodes` (those of a search's notice hits) whose own name or parties hold
 * the query, best first. A deal is named in its notices' vectors too, so a deal the query names
 * has its notices among the hits; reading the deals of the hits costs a few key lookups where a
 * search of its own over every deal cost as much as the notices' (bench/portal.ts).
 */
export async function dealsNamed(db: Db, tsquery: string, dealCodes: readonly string[], limit: number): Promise<DealHit[]> {
  if (dealCodes.length === 0) return [];
  return db
    .selectFrom('portal.deals')
    .select([...DEAL_HIT_COLUMNS])
    .where(sql<boolean>`deal_code = ANY(${[...dealCodes]}::text[])`)
    .where(sql<boolean>`tsv @@ ${tsquery}::tsquery`)
    .orderBy(sql`ts_rank_cd('{0.1, 0, 0.4, 1.0}', tsv, ${tsquery}::tsquery)`, 'desc')
    .orderBy('accepted_at', 'desc')
    .limit(limit)
    .execute();
}

/** Deals whose code starts with the given characters (a partly typed or copied code). */
export async function dealsByCodePrefix(db: Db, prefix: string, limit: number): Promise<DealHit[]> {
  return db
    .selectFrom('portal.deals')
    .select([...DEAL_HIT_COLUMNS])
    .where(sql<boolean>`deal_code LIKE ${prefix.replace(/[\\%_]/g, '\\$&') + '%'}`)
    .orderBy('deal_code')
    .limit(limit)
    .execute();
}

export interface PortalStats {
  deals: number;
  dealsInYear: number;
  noticesToday: number;
  openTenders: number;
  awardedLots: number;
  /** Sum in fen, as a decimal string (a bigint sum). */
  awardedFen: string;
}

/** Headline figures, optionally of one city. */
export async function stats(db: Db, cityCode: string | undefined, now: Date, yearStart: Date, dayStart: Date): Promise<PortalStats> {
  const city = cityCode ? sql`AND city_code = ${cityCode}` : sql``;
  const cityOfDeal = cityCode ? sql`AND d.city_code = ${cityCode}` : sql``;
  const r = await sql<{ deals: string; deals_in_year: string; notices_today: string; open_tenders: string; awarded_lots: string; awarded_fen: string | null }>`
    SELECT
      (SELECT count(*) FROM portal.deals WHERE true ${city}) AS deals,
      (SELECT count(*) FROM portal.deals WHERE accepted_at >= ${yearStart} ${city}) AS deals_in_year,
      (SELECT count(*) FROM portal.notices WHERE published_at >= ${dayStart} ${city}) AS notices_today,
      (SELECT count(*) FROM portal.notices WHERE kind = 'tender' AND closes_at > ${now} ${city}) AS open_tenders,
      (SELECT count(*) FROM portal.lots l JOIN portal.deals d USING (deal_code) WHERE l.award_price_fen IS NOT NULL ${cityOfDeal}) AS awarded_lots,
      (SELECT sum(l.award_price_fen) FROM portal.lots l JOIN portal.deals d USING (deal_code) WHERE l.award_price_fen IS NOT NULL ${cityOfDeal}) AS awarded_fen
  `.execute(db);
  const row = r.rows[0]!;
  return { deals: Number(row.deals), dealsInYear: Number(row.deals_in_year), noticesToday: Number(row.notices_today), openTenders: Number(row.open_tenders), awardedLots: Number(row.awarded_lots), awardedFen: row.awarded_fen ?? '0' };
}
