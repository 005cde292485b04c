// All SQL of the portal (migrations/0017_portal.sql): the projector's writes and the public reads.

import { sql, type Expression, type Insertable, type Selectable, type Updateable, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { PortalTables } from './portal.tables.ts';
import { facetLexeme } from './portal.text.ts';

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

/** The facet lexemes a list filter requires (portal.text noticeFacets; dates and status are not facets). */
export function facetsOfFilter(f: NoticeFilter): string[] {
  return [f.kind && facetLexeme('kind', f.kind), f.category && facetLexeme('category', f.category), f.regionCode && facetLexeme('region', f.regionCode), f.cityCode && facetLexeme('city', f.cityCode)].filter((x): x is string => Boolean(x));
}

export interface SearchStats {
  /** Notices holding each lexeme asked for, facets included (absent: none). */
  lexemes: Map<string, number>;
  /** The oldest notice's publication, null for an empty portal. */
  oldest: Date | null;
}

/** What a search needs to plan itself, in one statement: lexeme counts and the oldest notice. */
export async function searchStats(db: Db, lexemes: readonly string[]): Promise<SearchStats> {
  const rows = await sql<{ k: string | null; n: number | null; at: Date | null }>`
    SELECT lexeme AS k, notices AS n, NULL::timestamptz AS at FROM portal.lexemes WHERE lexeme = ANY(${[...lexemes]}::text[])
    UNION ALL SELECT NULL, NULL, (SELECT published_at FROM portal.notices ORDER BY published_at LIMIT 1)
  `.execute(db);
  const out: SearchStats = { lexemes: new Map(), oldest: null };
  for (const r of rows.rows) {
    if (r.k === null) out.oldest = r.at;
    else out.lexemes.set(r.k, Number(r.n));
  }
  return out;
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
 * Below this many expected matches a search reads every match from the GIN index and keeps the
 * newest; above it, it walks recency steps. At 1,000,000 notices reading 2,000 matches costs
 * about what one recency step costs (bench/portal.ts).
 */
export const RARE_NOTICE_MATCHES = 2_000;

/** The sizes a recency step takes (days before now), smallest first. */
export const SEARCH_STEP_DAYS = [7, 14, 30, 60, 120, 365] as const;
// A step is expected to hold twice the window before it is tried (an estimate, not a count).
const STEP_MARGIN = 2;
// A step that did not fill is followed by one at least this many times as long.
const STEP_GROWTH = 4;

/**
 * Above this share of all notices holding the query's words, a recency step walks a btree index
 * (the newest notices, or the newest of the filtered city, region or kind) and tests each notice
 * rather than intersecting with the GIN index: the posting lists of words that common cost more
 * to read than the few hundred notices the walk needs (中标 & 结果, 37 % of 1,000,000 notices:
 * 94 ms for the GIN bitmap of a 14-day step, 11 ms for the walk). The planner's own estimate of a
 * compound query's share is too rough to rely on here.
 */
export const WALK_SHARE = 0.2;

/** How a search reads its matches: recency steps first (days), and whether they walk. */
export interface SearchPlan {
  steps: number[];
  walk: boolean;
}

/**
 * The plan of a search from how many notices it can match (`bound`, its rarest required word)
 * and is expected to match within the filters (`expected`, see searchEstimate), of `all`
 * notices over `spanDays`. The newest `window` matches of the whole table are the newest
 * `window` of the first step that holds that many, so a step that fills the window answers
 * exactly what the unrestricted query would; otherwise the next, then every match. A step lets
 * the planner intersect the GIN match with a date range (BitmapAnd) and read only the matches in
 * it; the shortest step expected to fill costs least (the range's index entries are part of the
 * cost: 60 days of 1,000,000 notices are 56,000 of them). Few expected matches: no step, every
 * match is read at once.
 */
export function searchPlan(bound: number, expected: number, all: number, spanDays: number, window: number): SearchPlan {
  const walk = all > 0 && bound / all >= WALK_SHARE;
  // Reading every match of words this common reads their whole posting lists; a walk within a
  // step reads at most the step's notices of the filters. So a walk always takes steps: when
  // none is expected to fill, the longest (a year of, say, one county's notices).
  if (expected <= RARE_NOTICE_MATCHES && !walk) return { steps: [], walk };
  const perDay = expected / Math.max(1, spanDays);
  const steps: number[] = [];
  for (const days of SEARCH_STEP_DAYS) {
    if (days >= spanDays) break;
    const previous = steps.at(-1);
    if (previous === undefined ? perDay * days >= STEP_MARGIN * window : days >= previous * STEP_GROWTH) steps.push(days);
  }
  if (walk && steps.length === 0) {
    const longest = SEARCH_STEP_DAYS.filter((d) => d < spanDays).at(-1);
    if (longest !== undefined) steps.push(longest);
  }
  return { steps, walk };
}

const DAY_MS = 86_400_000;

export interface NoticeQuery {
  /** The words' tsquery: what is matched and what ranks. */
  words: string;
  /** The same requiring the filter's facet lexemes (portal.text requiring), matched in the GIN index. */
  withFacets: string;
}

/**
 * Full-text hits, ranked. The ranking reads only the newest `window` matches (each needs its
 * tsvector), so a word in half the notices costs the same as a rare one; a reader who wants
 * older ones narrows by date. Title words weigh most (A = 1.0, B = 0.4, D = 0.1). `plan`
 * (searchPlan) only chooses how the matches are read, never which.
 */
export async function searchNotices(db: Db, q: NoticeQuery, f: NoticeFilter, window: number, limit: number, offset: number, plan: SearchPlan): Promise<{ hits: SearchHit[]; matched: number }> {
  for (const days of plan.steps) {
    const since = new Date(f.now.getTime() - days * DAY_MS);
    // A date filter as narrow as the step already: the step would be the whole query.
    if (f.from && f.from.getTime() >= since.getTime()) break;
    const r = await searchWindow(db, q, { ...f, from: since }, window, limit, offset, plan.walk ? 'walk' : 'newest');
    if (r.matched >= window) return r;
  }
  // Few matches, or the filters left few: walking the newest notices for them would read most of
  // the table, so every match comes from the index and the newest are kept.
  return searchWindow(db, q, f, window, limit, offset, 'every');
}

/**
 * The page of the newest `window` matches, ranked. 'newest' leaves the plan to the planner;
 * 'walk' makes it walk a recency index and test each notice (no bitmap scans, so no GIN: a
 * common word fills the window within a few hundred rows); 'every' materialises all matches
 * first (a bitmap scan of the GIN index, no per-row test).
 */
async function searchWindow(db: Db, q: NoticeQuery, f: NoticeFilter, window: number, limit: number, offset: number, read: 'newest' | 'walk' | 'every'): Promise<{ hits: SearchHit[]; matched: number }> {
  if (read !== 'newest' && !db.isTransaction) {
    // The planner is told which reading: its own choice flips with its estimates of a word's
    // share, which are rough for compound queries and shift with the table's physical order.
    return db.transaction().execute(async (trx) => {
      // 'walk': index scans only, no bitmap (the GIN index), no sequential scan of the table.
      // 'every': bitmap scans only (the GIN index, and a date range's), no index walk.
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      if (read === 'walk') await sql`SET LOCAL enable_bitmapscan = off`.execute(trx);
      else {
        await sql`SET LOCAL enable_indexscan = off`.execute(trx);
        // Room for exact bitmaps of a common word's notices (100,000 and more at 1,000,000
        // notices): at the default 4 MB they turn lossy, and every notice on a lossy page is
        // tested again (a medium word in a city, before the facet lexemes: 105 → 33 ms).
        await sql`SET LOCAL work_mem = '16MB'`.execute(trx);
      }
      return searchWindow(trx, q, f, window, limit, offset, read);
    });
  }
  // A walk follows the filters' btree index (their columns) and tests the words; the other
  // readings ask the GIN index for words and facets together and leave the columns out, which
  // would only make the planner intersect a whole city's or kind's index entries as well.
  const matching =
    read === 'walk'
      ? filtered(db.selectFrom('portal.notices').select(['id', 'published_at']), f).where(sql<boolean>`tsv @@ ${q.words}::tsquery`)
      : filtered(db.selectFrom('portal.notices').select(['id', 'published_at']), { ...f, kind: undefined, category: undefined, cityCode: undefined, regionCode: undefined }).where(sql<boolean>`tsv @@ ${q.withFacets}::tsquery`);
  const tsquery = q.words;
  const candidates: Candidates<{ id: string; published_at: Date; tsv: string }> =
    read !== 'every'
      ? matching.select('tsv').orderBy('published_at', 'desc').orderBy('id', 'desc').limit(window)
      : db
          .with((cte) => cte('m').materialized(), () => matching)
          .selectFrom((eb) => eb.selectFrom('m').select(['m.id', 'm.published_at']).orderBy('m.published_at', 'desc').orderBy('m.id', 'desc').limit(window).as('newest'))
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
        .orderBy('c.id', 'desc')
        .limit(limit)
        .offset(offset),
    )
    .selectFrom('r')
    .innerJoin('portal.notices as n', 'n.id', 'r.id')
    .select([...NOTICE_LIST_COLUMNS.map((c) => `n.${c}` as const), 'n.body', 'r.rank', 'r.matched'])
    .orderBy('r.rank', 'desc')
    .orderBy('r.published_at', 'desc')
    .orderBy('r.id', 'desc')
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
