// The portal's public reads: notice lists with filters and paging, one notice with its changes,
// a deal by its unified code with the public timeline, search, headline figures, and the version
// that the lists' ETags are made of. Everything here is public; nothing needs a session.

import crypto from 'node:crypto';
import type { Deps } from '../../platform/deps.ts';
import { invalid } from '../../platform/errors.ts';
import { checkUscc } from '../../platform/validation/ids.ts';
import { parseAnyCode } from '../coding/coding.rules.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import { isNoticeKind, NOTICE_STATUSES, PORTAL_CATEGORIES, type NoticeStatus, type PortalCategory } from './portal.catalogue.ts';
import * as repo from './portal.repository.ts';
import { recentIndexDays } from './portal.recent-index.ts';
import { ALL_NOTICES, allOf, bigrams, independentMatches, lexemesOf, matchBound, queryTokens, requiring, withoutCommon, wordsQuery, type TextQuery } from './portal.text.ts';

type PortalDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

export interface NoticeQuery {
  category?: string | undefined;
  kind?: string | undefined;
  /** Province, city or county code (GB/T 2260). */
  region?: string | undefined;
  /** China dates, inclusive: `YYYY-MM-DD`. */
  from?: string | undefined;
  to?: string | undefined;
  status?: string | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export interface NoticePage {
  items: repo.NoticeListRow[];
  /** Matches counted up to the list's depth; `totalCapped` says there are more. */
  total: number;
  totalCapped: boolean;
  page: number;
  pageSize: number;
}

const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The instant a China calendar day starts (00:00 UTC+8). */
function chinaDayStart(text: string, field: string): Date {
  const m = DATE.exec(text);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - CHINA_OFFSET_MS) : null;
  if (!d || Number.isNaN(d.getTime()) || new Date(d.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10) !== text) throw invalid(field, 'date', '日期格式应为 YYYY-MM-DD，且为真实日期');
  return d;
}

/** Checks a list query and turns it into repository filters; every refusal names the field. */
export function noticeFilter(q: NoticeQuery, now: Date): repo.NoticeFilter {
  const f: repo.NoticeFilter = { now };
  if (q.category !== undefined && q.category !== '') {
    if (!Object.hasOwn(PORTAL_CATEGORIES, q.category)) throw invalid('category', 'enum', `交易类别应为 ${Object.keys(PORTAL_CATEGORIES).join('、')} 之一`);
    f.category = q.category as PortalCategory;
  }
  if (q.kind !== undefined && q.kind !== '') {
    if (!isNoticeKind(q.kind)) throw invalid('kind', 'enum', '公告类型不存在');
    f.kind = q.kind;
  }
  if (q.region !== undefined && q.region !== '') {
    const regions = loadRegionTree();
    const r = regions.get(q.region);
    if (!r) throw invalid('region', 'region_code', '行政区划代码不存在');
    if (r.level === 2) f.cityCode = r.code;
    if (r.level === 3) f.regionCode = r.code;
  }
  if (q.from) f.from = chinaDayStart(q.from, 'from');
  if (q.to) f.until = new Date(chinaDayStart(q.to, 'to').getTime() + 24 * 3600_000);
  if (f.from && f.until && f.until.getTime() <= f.from.getTime()) throw invalid('to', 'date_order', '结束日期不能早于开始日期');
  if (q.status !== undefined && q.status !== '') {
    if (!Object.hasOwn(NOTICE_STATUSES, q.status)) throw invalid('status', 'enum', `状态应为 ${Object.keys(NOTICE_STATUSES).join('、')} 之一`);
    f.status = q.status as NoticeStatus;
  }
  return f;
}

function paging(deps: PortalDeps, q: { page?: number | undefined; pageSize?: number | undefined }): { page: number; pageSize: number; offset: number } {
  const { pageSize: defaultSize, maxListDepth } = deps.config.portal;
  const pageSize = q.pageSize ?? defaultSize;
  const page = q.page ?? 1;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw invalid('pageSize', 'range', '每页条数应为 1–100');
  if (!Number.isInteger(page) || page < 1) throw invalid('page', 'range', '页码应为正整数');
  const offset = (page - 1) * pageSize;
  if (offset + pageSize > maxListDepth) throw invalid('page', 'max_depth', `最多翻到第 ${Math.floor(maxListDepth / pageSize)} 页；请用类别、地区或日期缩小范围`);
  return { page, pageSize, offset };
}

export async function listNotices(deps: PortalDeps, q: NoticeQuery): Promise<NoticePage> {
  const f = noticeFilter(q, deps.clock.now());
  const { page, pageSize, offset } = paging(deps, q);
  const cap = deps.config.portal.maxListDepth;
  const [items, counted] = await Promise.all([repo.listNotices(deps.db, f, pageSize, offset), repo.countNotices(deps.db, f, cap)]);
  return { items, total: Math.min(counted, cap), totalCapped: counted > cap, page, pageSize };
}

export interface NoticeView {
  notice: repo.NoticeRow;
  deal: NonNullable<Awaited<ReturnType<typeof repo.findDeal>>>;
  /** The earlier notice this one changes, when it changes one. */
  corrects: repo.NoticeListRow | null;
  /** Later notices that change this one, oldest first. */
  correctedBy: repo.NoticeListRow[];
}

export async function noticeView(deps: PortalDeps, id: string): Promise<NoticeView | null> {
  const notice = await repo.findNotice(deps.db, id);
  if (!notice) return null;
  const [deal, corrects, correctedBy] = await Promise.all([
    repo.findDeal(deps.db, notice.deal_code),
    notice.corrects_id ? repo.findNotice(deps.db, notice.corrects_id) : Promise.resolve(undefined),
    repo.noticesCorrecting(deps.db, id),
  ]);
  return { notice, deal: deal!, corrects: corrects ?? null, correctedBy };
}

export interface DealView {
  deal: NonNullable<Awaited<ReturnType<typeof repo.findDeal>>>;
  lots: repo.LotRow[];
  notices: repo.NoticeListRow[];
  timeline: repo.TimelineRow[];
}

/** A deal by its code as a person types it (hyphens, lower case) or a lot code of it. */
export async function dealView(deps: PortalDeps, code: string): Promise<DealView | null> {
  const parsed = parseAnyCode(code);
  if (!parsed.ok) throw invalid('code', parsed.rule, '不是有效的统一交易标识码或标段编号');
  const dealCode = parsed.value.kind === 'deal' ? parsed.value.deal.code : parsed.value.lot.dealCode;
  const deal = await repo.findDeal(deps.db, dealCode);
  if (!deal) return null;
  const [lots, notices, timeline] = await Promise.all([repo.lotsOfDeal(deps.db, dealCode), repo.noticesOfDeal(deps.db, dealCode), repo.timelineOfDeal(deps.db, dealCode)]);
  return { deal, lots, notices, timeline };
}

export type SearchOutcome =
  | { kind: 'deal'; dealCode: string }
  | { kind: 'entity'; uscc: string }
  | {
      kind: 'results';
      query: string;
      /** The words the query was read as, for highlighting. */
      terms: string[];
      /** How the hits were found: words, title fragments, or similar titles. */
      mode: 'words' | 'fragments' | 'similar' | 'none';
      hits: repo.SearchHit[];
      deals: repo.DealHit[];
      /** Matches ranked (at most the search window). */
      matched: number;
      page: number;
      pageSize: number;
    };

const MAX_QUERY_CHARS = 100;

/**
 * A word in at least this share of all notices is not looked up in the GIN index when the query
 * has rarer words or filters: the rows they yield are tested for it (portal.text withoutCommon).
 */
export const COMMON_WORD_SHARE = 0.5;

/**
 * How many notices `tq` is expected to match within the filters: its bound (the rarest required
 * lexeme's notices) times the share of notices each filter keeps, as if words and filters were
 * independent. Dates and status are not counted: the recency steps bound dates themselves.
 */
export function searchEstimate(tq: TextQuery, stats: repo.SearchStats, f: repo.NoticeFilter): number {
  const all = stats.lexemes.get(ALL_NOTICES) ?? 0;
  if (all === 0) return 0;
  let share = 1;
  for (const facet of repo.facetsOfFilter(f)) share *= (stats.lexemes.get(facet) ?? 0) / all;
  return matchBound(tq, (l) => stats.lexemes.get(l) ?? 0) * share;
}

/**
 * Reads a query: a deal or lot code jumps to the deal, a USCC to the entity lookup; anything
 * else is searched as words (jieba), then as title fragments (bigrams), then by similarity.
 */
export async function search(deps: PortalDeps, text: string, q: NoticeQuery): Promise<SearchOutcome> {
  const query = text.trim().slice(0, MAX_QUERY_CHARS);
  if (query.length === 0) throw invalid('q', 'required', '请输入要查找的内容');
  const compact = query.replace(/[\s-]/g, '').toUpperCase();
  if (compact.length === 33 || compact.length === 36) {
    const code = parseAnyCode(compact);
    if (code.ok) return { kind: 'deal', dealCode: code.value.kind === 'deal' ? code.value.deal.code : code.value.lot.dealCode };
  }
  if (compact.length === 18 && checkUscc(compact).ok) return { kind: 'entity', uscc: compact };

  const f = noticeFilter(q, deps.clock.now());
  const { page, pageSize, offset } = paging(deps, { page: q.page, pageSize: q.pageSize ?? 10 });
  const window = deps.config.portal.searchWindow;
  if (offset >= window) throw invalid('page', 'max_depth', `搜索结果最多显示前 ${window} 条；请加上类别、地区或日期`);
  const empty = { kind: 'results' as const, query, page, pageSize };

  // A code typed in part finds the deals it starts.
  const deals = /^[0-9A-Z]{8,32}$/.test(compact) && /\d/.test(compact) ? await repo.dealsByCodePrefix(deps.db, compact, 10) : [];

  const words = queryTokens(query);
  const wordQuery = wordsQuery(words);
  const fragments = [...new Set(bigrams(query))];
  const fragmentQuery = allOf(fragments);
  // How many notices hold each lexeme and each filter value (facet lexemes): how many the query
  // is expected to match, which decides how its matches are read (repo.searchPlan). One statement.
  const facets = repo.facetsOfFilter(f);
  const stats = await repo.searchStats(deps.db, [ALL_NOTICES, ...facets, ...(wordQuery ? lexemesOf(wordQuery) : []), ...(fragmentQuery ? lexemesOf(fragmentQuery) : [])]);
  const spanDays = stats.oldest ? (f.now.getTime() - stats.oldest.getTime()) / DAY_MS : 0;
  const plan = (tq: TextQuery) => {
    const rowsWith = (l: string) => stats.lexemes.get(l) ?? 0;
    const [bound, all, expected] = [matchBound(tq, rowsWith), rowsWith(ALL_NOTICES), searchEstimate(tq, stats, f)];
    // The same filters' share, with the words as if independent (the lower estimate).
    const low = bound > 0 ? (expected * independentMatches(tq, rowsWith, all)) / bound : 0;
    return repo.searchPlan(bound, expected, all, spanDays, window, recentIndexDays(f.now), low);
  };
  const noticeQuery = (tq: TextQuery): repo.NoticeQuery => {
    const narrower = withoutCommon(tq, (l) => stats.lexemes.get(l) ?? 0, stats.lexemes.get(ALL_NOTICES) ?? 0, COMMON_WORD_SHARE, facets.length);
    return narrower ? { words: tq.tsquery, withFacets: requiring(narrower, facets), testWords: true } : { words: tq.tsquery, withFacets: requiring(tq, facets) };
  };
  if (wordQuery) {
    const r = await repo.searchNotices(deps.db, noticeQuery(wordQuery), f, window, pageSize, offset, plan(wordQuery));
    if (r.matched > 0 || page > 1) {
      const dealHits = deals.length > 0 || page > 1 ? deals : await repo.dealsNamed(deps.db, wordQuery.tsquery, [...new Set(r.hits.map((h) => h.deal_code))], 5);
      return { ...empty, terms: words, mode: 'words', hits: r.hits, deals: dealHits, matched: r.matched };
    }
  }
  if (fragmentQuery) {
    const r = await repo.searchNotices(deps.db, noticeQuery(fragmentQuery), f, window, pageSize, offset, plan(fragmentQuery));
    if (r.matched > 0) return { ...empty, terms: fragments, mode: 'fragments', hits: r.hits, deals, matched: r.matched };
  }
  const similar = page === 1 ? await repo.similarTitles(deps.db, query, f, pageSize) : [];
  return { ...empty, terms: fragments.length > 0 ? fragments : words, mode: similar.length > 0 ? 'similar' : 'none', hits: similar, deals, matched: similar.length };
}

const statsCache = new Map<string, { version: string; at: number; value: repo.PortalStats }>();
const STATS_MAX_AGE_MS = 10_000;

/** Headline figures of the province or a city; recomputed when the portal changed, at most every 10 s. */
export async function headline(deps: PortalDeps, cityCode: string | undefined): Promise<repo.PortalStats> {
  const now = deps.clock.now();
  const { version } = await repo.version(deps.db);
  const key = cityCode ?? '';
  const hit = statsCache.get(key);
  if (hit && (hit.version === version || now.getTime() - hit.at < STATS_MAX_AGE_MS) && now.getTime() >= hit.at) return hit.value;
  const china = new Date(now.getTime() + CHINA_OFFSET_MS);
  const yearStart = new Date(Date.UTC(china.getUTCFullYear(), 0, 1) - CHINA_OFFSET_MS);
  const dayStart = new Date(Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate()) - CHINA_OFFSET_MS);
  const value = await repo.stats(deps.db, cityCode, now, yearStart, dayStart);
  statsCache.set(key, { version, at: now.getTime(), value });
  return value;
}

/**
 * The entity tag of a public list: the portal's version (moved by every applied batch) and what
 * was asked. Computing it costs one row; a client holding it gets 304 without the list query.
 * A list whose rows depend on the time as well (a status filter, a page showing 进行中/已截止)
 * also carries the minute.
 */
export async function listEtag(deps: PortalDeps, what: string, timeDependent: boolean): Promise<string> {
  const { version } = await repo.version(deps.db);
  const minute = timeDependent ? String(Math.floor(deps.clock.now().getTime() / 60_000)) : '';
  const digest = crypto.createHash('sm3').update(`${version}\n${minute}\n${what}`).digest('base64url').slice(0, 22);
  return `W/"p${version}-${digest}"`;
}

/** Whether an If-None-Match header names `etag` (weak comparison, RFC 9110 §13.1.2). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}
