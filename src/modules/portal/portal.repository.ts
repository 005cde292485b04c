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
 * What reading one notice's row costs, in GIN postings: a walk reads the notice and matches its
 * tsvector, a bitmap reading fetches the row of each match in its step. The GIN index itself
 * costs about one unit per match it yields over the span it covers (its fast scan skips the
 * postings of a common word that the rarer words rule out). Measured on the 1,000,000 notices of
 * bench/portal.ts: 0.55–0.75 µs a match yielded (监理, 98,968 notices: 53–70 ms for its bitmap;
 * 医院 & 设备, 11,954 matches of 227,842 postings: 10 ms), 1.3 µs a notice on a hot walk and up
 * to 8 µs on a cold one (2,202 notices walked for 200 matches of 监理 in a week: 2.8 ms hot,
 * 17.5 ms cold), 10–30 µs a row fetched at random by a bitmap. 6 is the middle of these.
 */
export const ROW_COST = 6;

/** How a search reads its matches: recency steps first (days), and whether they walk. */
export interface SearchPlan {
  steps: number[];
  walk: boolean;
}

/**
 * The plan of a search from how many notices it can match (`bound`, its rarest required word),
 * is expected to match within the filters (`expected`, see searchEstimate, and `low`, the same
 * as if its words were independent: see independentMatches), of `all` notices over `spanDays`;
 * the recent notices' index (portal.recent-index.ts) covers `recentDays`.
 *
 * Steps: the newest `window` matches of the whole table are the newest `window` of the first step
 * that holds that many, so a step that fills the window answers exactly what the unrestricted
 * query would; otherwise the next, then every match. The shortest step expected to fill costs
 * least. Few expected matches and no walk: no step, every match is read at once.
 *
 * Walk or bitmap, from the first step's costs (ROW_COST): a walk follows the recency index of
 * the filters (the newest notices, or the newest of the filtered city, region or kind) and tests
 * each notice until the window is full — window ÷ the words' share among them, at most the
 * filters' notices in the step. Its share is the lower estimate and its steps are chosen from it:
 * a walk that finds its matches later than thought reads a whole step and walks again (医院 &
 * 设备, 1 % of notices where its rarest word is in 11 %: 82 ms walked, 23 ms as bitmaps). A bitmap
 * reading costs the GIN index's matches (only the recent ones for a step inside the recent
 * index) and the rows of the matches in the step. At 1,000,000 notices a word in half of them
 * walks (施工: 350 notices); a word in 1 % is read from the index (采矿权: a walk would test
 * 20,000). The planner's own estimate of a compound query's share is too rough to leave this to it.
 */
export function searchPlan(bound: number, expected: number, all: number, spanDays: number, window: number, recentDays = 0, low = expected): SearchPlan {
  if (all <= 0 || bound <= 0 || spanDays <= 0) return { steps: [], walk: false };
  const stepsFor = (matches: number): number[] => {
    const perDay = matches / spanDays;
    const steps: number[] = [];
    for (const days of SEARCH_STEP_DAYS) {
      if (days >= spanDays) break;
      const previous = steps.at(-1);
      if (previous === undefined ? perDay * days >= STEP_MARGIN * window : days >= previous * STEP_GROWTH) steps.push(days);
    }
    return steps;
  };
  const steps = stepsFor(expected);
  // A walk always takes steps (a walk within a step reads at most the step's notices of the
  // filters): when none is expected to fill, the longest (a year of, say, one county's notices).
  const walkSteps = low > 0 ? stepsFor(low) : [];
  if (walkSteps.length === 0) walkSteps.push(...SEARCH_STEP_DAYS.filter((d) => d < spanDays).slice(-1));
  const walkFirst = walkSteps[0];
  if (walkFirst !== undefined && low > 0) {
    const filtered = (all * expected) / bound; // the notices the filters keep
    const walk = ROW_COST * Math.min((window * filtered) / low, (filtered * walkFirst) / spanDays);
    const first = steps[0];
    const indexed = first !== undefined && first <= recentDays ? Math.min(recentDays, spanDays) / spanDays : 1;
    const bitmap = expected * indexed + (ROW_COST * expected * (first ?? spanDays)) / spanDays;
    if (walk < bitmap) return { steps: walkSteps, walk: true };
  }
  return expected <= RARE_NOTICE_MATCHES ? { steps: [], walk: false } : { steps, walk: false };
}

const DAY_MS = 86_400_000;

export interface NoticeQuery {
  /** The words' tsquery: what is matched and what ranks. */
  words: string;
  /** The same requiring the filter's facet lexemes (portal.text requiring), matched in the GIN index. */
  withFacets: string;
  /**
   * `withFacets` leaves out words nearly every notice holds (portal.text withoutCommon): each
   * notice the GIN index yields is then tested with `words` as well.
   */
  testWords?: boolean;
}

/**
 * Full-text hits, ranked. The ranking reads only the newest `window` matches (each needs its
 * tsvector), so a word in half the notices costs the same as a rare one; a reader who wants
 * older ones narrows by date. Title words weigh most (A = 1.0, B = 0.4, D = 0.1). `plan`
 * (searchPlan) only chooses how the matches are read, never which.
 */
export async function searchNotices(db: Db, q: NoticeQuery, f: NoticeFilter, window: number, limit: number, offset: number, plan: SearchPlan): Promise<{ hits: SearchHit[]; matched: number }> {
  const steps: NoticeFilter[] = [];
  for (const days of plan.steps) {
    const since = new Date(f.now.getTime() - days * DAY_MS);
    // A date filter as narrow as the step already: the step would be the whole query.
    if (f.from && f.from.getTime() >= since.getTime()) break;
    steps.push({ ...f, from: since });
  }
  const read = async (cx: Db, tune: boolean): Promise<{ hits: SearchHit[]; matched: number }> => {
    const walk = plan.walk && steps.length > 0;
    if (tune) await readAs(cx, walk ? 'walk' : 'bitmap');
    for (const step of steps) {
      const r = await searchWindow(cx, q, step, window, limit, offset, walk ? 'walk' : 'bitmap');
      if (r.matched >= window) return r;
    }
    // Few matches, or the filters left few: walking the newest notices for them would read most
    // of the table, so every match comes from the index and the newest are kept.
    if (tune && walk) await readAs(cx, 'bitmap');
    return searchWindow(cx, q, f, window, limit, offset, 'every');
  };
  // Inside a caller's transaction the planner is left as the caller set it.
  if (db.isTransaction) return read(db, false);
  // The planner is told which reading (searchPlan chose it): its own choice flips with its
  // estimates of a word's share, which are rough for compound queries and shift with the
  // table's statistics. The steps and the reading of every match after them share one
  // transaction, and so one round trip to set the planner per reading.
  return db.transaction().execute((trx) => read(trx, true));
}

/**
 * Sets the planner, for the rest of the transaction, to one reading, in ONE statement (each
 * SET LOCAL was a round trip of its own). 'walk': index scans only, no bitmap (the GIN index),
 * no sequential scan of the table. 'bitmap': the GIN index (the recent notices' one for a step
 * inside it) and the date range's, with no sequential scan — its order is one no index provides
 * (searchWindow), so no index walk either — and room for exact bitmaps of a common word's
 * notices (100,000 and more at 1,000,000 notices): at the default 4 MB they turn lossy, and
 * every notice on a lossy page is tested again (a medium word in a city, before the facet
 * lexemes: 105 → 33 ms). A walk is followed, if at all, by 'bitmap' (never the other way), so
 * work_mem is only raised.
 */
async function readAs(trx: Db, read: 'walk' | 'bitmap'): Promise<void> {
  const walk = read === 'walk';
  await sql`SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', ${walk ? 'off' : 'on'}, true)${walk ? sql`` : sql`, set_config('work_mem', '16MB', true)`}`.execute(trx);
}

/**
 * The page of the newest `window` matches, ranked. 'walk' walks a recency index and tests each
 * notice (no bitmap scans, so no GIN: a common word fills the window within a few hundred
 * rows); 'bitmap' reads the step's matches from the GIN index and sorts them; 'every'
 * materialises all matches first (a bitmap scan of the GIN index), then keeps the newest. The
 * planner settings are the caller's (readAs).
 */
async function searchWindow(db: Db, q: NoticeQuery, f: NoticeFilter, window: number, limit: number, offset: number, read: 'walk' | 'bitmap' | 'every'): Promise<{ hits: SearchHit[]; matched: number }> {
  // A walk follows the filters' btree index (their columns) and tests the words; the other
  // readings ask the GIN index for words and facets together and leave the columns out, which
  // would only make the planner intersect a whole city's or kind's index entries as well.
  const matching =
    read === 'walk'
      ? filtered(db.selectFrom('portal.notices').select(['id', 'published_at']), f).where(sql<boolean>`tsv @@ ${q.words}::tsquery`)
      : filtered(db.selectFrom('portal.notices').select(['id', 'published_at']), { ...f, kind: undefined, category: undefined, cityCode: undefined, regionCode: undefined })
          .where(sql<boolean>`tsv @@ ${q.withFacets}::tsquery`)
          // The function, not the operator: the planner must not hand this test to the GIN index too.
          .$if(q.testWords === true, (qb) => qb.where(sql<boolean>`ts_match_vq(tsv, ${q.words}::tsquery)`));
  const tsquery = q.words;
  // A walk has each notice's tsvector at hand already (it tests it). A bitmap reading sorts only
  // the matches' ids and times and joins the newest `window` for theirs: carrying the tsvectors
  // (2.5 kB each) through the sort of a step's 1,099 matches cost 8 of its 65 ms.
  // Ordered by an expression no index provides: a walk down the recency index cannot produce this
  // order, so the planner reads the step as a bitmap without index scans being turned off, and
  // the window's rows are then joined by their primary key (index scans: 200 bitmap lookups
  // instead cost 6 ms).
  const newest = (from: typeof matching): Candidates<{ id: string; published_at: Date; tsv: string }> =>
    db
      .selectFrom(from.orderBy(sql`published_at + interval '0 s'`, 'desc').orderBy('id', 'desc').limit(window).as('newest'))
      .innerJoin('portal.notices as t', 't.id', 'newest.id')
      .select(['newest.id', 'newest.published_at', 't.tsv']);
  const candidates: Candidates<{ id: string; published_at: Date; tsv: string }> =
    read === 'walk'
      ? matching.select('tsv').orderBy('published_at', 'desc').orderBy('id', 'desc').limit(window)
      : read === 'bitmap'
        ? newest(matching)
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
