// The search's ways of reading matches on a real database: the lexeme and facet counts that
// choose between them are kept exactly by the projector, and every reading answers every query
// alike — the counts may only change how fast a search is, never what it finds.

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../test/support/harness.ts';
import { catchUpPortal } from './portal.projector.ts';
import { searchEstimate } from './portal.service.ts';
import * as repo from './portal.repository.ts';
import { publishDeal, type CorpusDeal } from './portal.test-support.ts';
import { allOf, bigrams, matchBound, queryTokens, requiring, withoutCommon, wordsQuery } from './portal.text.ts';

const USCC = '12140000405200000H';
const DAY = 86_400_000;
const PLACES: [string, string][] = [
  ['140105', '太原市小店区'],
  ['140106', '太原市迎泽区'],
  ['140214', '大同市云冈区'],
  ['140702', '晋中市榆次区'],
  ['140802', '运城市盐湖区'],
];
const PROJECTS = ['老旧小区改造工程', '排水管网改造工程', '幼儿园新建工程', '人民医院门诊楼工程', '市政道路维修工程', '物业管理服务采购项目', '高标准农田建设项目'];
const KINDS = ['tender', 'result', 'candidates', 'amendment'] as const;

let h: Harness;
let now: Date;

/** 70 deals of 2–3 notices each, one every 10 days back from now, in five counties. */
function corpus(): CorpusDeal[] {
  return Array.from({ length: 70 }, (_, i) => {
    const [regionCode, place] = PLACES[i % PLACES.length]!;
    const name = `${place}${i % 23 === 0 ? '鹳雀楼' : ''}${PROJECTS[(i * 3) % PROJECTS.length]!}`;
    const at = new Date(now.getTime() - (i * 10 + 5) * DAY);
    const notices = KINDS.slice(0, 2 + (i % 2)).map((kind, k) => ({
      kind,
      title: `${name}${{ tender: '招标公告', result: '中标结果公告', candidates: '中标候选人公示', amendment: '变更公告' }[kind]}`,
      body: `${name}位于${place}，${k === 0 ? '施工内容包括道路、排水和绿化。' : '中标人为山西某某建设有限公司。'}监督部门：${place}住房和城乡建设局。`,
      at: new Date(at.getTime() + k * 2 * DAY),
    }));
    return { name, regionCode, acceptedAt: at, notices };
  });
}

beforeAll(async () => {
  h = await createHarness();
  now = h.clock.now();
  for (const d of corpus()) await publishDeal(h.deps.db, USCC, d);
  expect((await catchUpPortal(h.deps)).caughtUp).toBe(true);
});
afterAll(async () => h?.close());

const stat = async () =>
  new Map((await sql<{ word: string; ndoc: number }>`SELECT word, ndoc FROM ts_stat('SELECT tsv FROM portal.notices')`.execute(h.deps.db)).rows.map((r) => [r.word, Number(r.ndoc)]));
const counts = async () => new Map((await h.deps.db.selectFrom('portal.lexemes').select(['lexeme', 'notices']).execute()).map((r) => [r.lexeme, r.notices]));
const facets = async () => new Map([...(await counts())].filter(([lexeme]) => lexeme.includes(' ')));

describe('lexeme counts', () => {
  it('hold, for every lexeme, the number of notices whose vector has it, as the projector wrote them', async () => {
    const expected = await stat();
    expect(expected.size).toBeGreaterThan(100);
    expect(await counts()).toEqual(expected);
  });

  it('hold the notices of each kind, category, region and city, and of all', async () => {
    const expected = new Map<string, number>();
    const add = (facet: string) => expected.set(facet, (expected.get(facet) ?? 0) + 1);
    for (const d of corpus()) {
      for (const n of d.notices) {
        for (const facet of ['all notices', `kind ${n.kind}`, 'category construction', `region ${d.regionCode}`, `city ${d.regionCode!.slice(0, 4)}00`]) add(facet);
      }
    }
    expect(expected.get('all notices')).toBe(175);
    expect(await facets()).toEqual(expected);
  });

  it('do not count a notice twice when its event is applied again, and recount to the same', async () => {
    const [lexemes, byFacet] = [await counts(), await facets()];
    const n = await h.deps.db.selectFrom('portal.notices').selectAll().limit(1).executeTakeFirstOrThrow();
    await repo.insertNotice(h.deps.db, n);
    expect(await counts()).toEqual(lexemes);
    expect(await facets()).toEqual(byFacet);
    await sql`SELECT portal.recount_lexemes()`.execute(h.deps.db);
    expect(await counts()).toEqual(lexemes);
    expect(await facets()).toEqual(byFacet);
  });

  it('bound the matches of a query from above', async () => {
    const rows = await counts();
    for (const q of ['老旧小区', '中标结果', '鹳雀楼 招标公告', '排水 绿化', '人民医院']) {
      const tq = wordsQuery(queryTokens(q))!;
      const found = await h.deps.db.selectFrom('portal.notices').select((eb) => eb.fn.countAll<string>().as('n')).where(sql<boolean>`tsv @@ ${tq.tsquery}::tsquery`).executeTakeFirstOrThrow();
      expect(Number(found.n)).toBeGreaterThan(0);
      expect(matchBound(tq, (l) => rows.get(l) ?? 0)).toBeGreaterThanOrEqual(Number(found.n));
    }
  });
});

describe('the two readings of a search', () => {
  it('read every match up to RARE_NOTICE_MATCHES expected, else from the shortest step expected to fill', () => {
    // Words rare among 10,000,000 notices: a walk would test too many, so the steps are bitmaps.
    const steps = (expected: number, span: number) => repo.searchPlan(expected, expected, 10_000_000, span, 200);
    expect(steps(0, 1095)).toEqual({ steps: [], walk: false });
    expect(steps(repo.RARE_NOTICE_MATCHES, 1095)).toEqual({ steps: [], walk: false });
    expect(steps(repo.RARE_NOTICE_MATCHES + 1, 1095)).toEqual({ steps: [365], walk: false });
    // 17,446 notices over 3 years: about 16 a day, 30 days hold twice the window.
    expect(steps(17_446, 1095)).toEqual({ steps: [30, 120], walk: false });
    // About 55 a day: 7 days hold 383 (less than twice the window), 14 days 767; failed steps grow at least fourfold.
    expect(steps(60_000, 1095)).toEqual({ steps: [14, 60, 365], walk: false });
    // Exactly twice the window in 14 days.
    expect(steps(400 * 100, 1400)).toEqual({ steps: [14, 60, 365], walk: false });
    expect(steps(400 * 100 - 1, 1400)).toEqual({ steps: [30, 120], walk: false });
    // No step as long as the notices' whole span (it would be the whole query).
    expect(steps(20_000, 50)).toEqual({ steps: [7, 30], walk: false });
    expect(steps(100_000, 0)).toEqual({ steps: [], walk: false });
    expect(repo.searchPlan(10, 10, 0, 0, 200)).toEqual({ steps: [], walk: false });
  });

  it('walk where testing the newest notices costs less than the bitmap (ROW_COST), always within a step', () => {
    // One word, no filter, 1,000,000 notices over 3 years, a window of 200: the first step is 14
    // days; a walk tests 200 × 1,000,000 / x notices, the bitmap costs x (1 + ROW_COST × 14 / 1095).
    const x = Math.sqrt((repo.ROW_COST * 200 * 1_000_000) / (1 + (repo.ROW_COST * 14) / 1095));
    expect(Math.ceil(x)).toBe(33_385);
    expect(repo.searchPlan(33_385, 33_385, 1_000_000, 1095, 200)).toEqual({ steps: [14, 60, 365], walk: true });
    expect(repo.searchPlan(33_384, 33_384, 1_000_000, 1095, 200)).toEqual({ steps: [14, 60, 365], walk: false });
    // Inside the recent notices' index (97 days here) the bitmap reads only its postings.
    expect(repo.searchPlan(33_385, 33_385, 1_000_000, 1095, 200, 97)).toEqual({ steps: [14, 60, 365], walk: false });
    expect(repo.searchPlan(33_385, 33_385, 1_000_000, 1095, 200, 13)).toEqual({ steps: [14, 60, 365], walk: true });
    // 医院 & 设备: its rarer word is in 19 %, the two together in about 1.3 % (independent): the
    // walk is judged by the lower estimate, and against the recent index it loses.
    expect(repo.searchPlan(193_040, 193_040, 1_000_000, 1095, 200, 97)).toEqual({ steps: [7, 30, 120], walk: true });
    expect(repo.searchPlan(193_040, 193_040, 1_000_000, 1095, 200, 97, 12_900)).toEqual({ steps: [7, 30, 120], walk: false });
    // Without it, the walk still wins, over the steps the lower estimate expects to fill.
    expect(repo.searchPlan(193_040, 193_040, 1_000_000, 1095, 200, 0, 12_900)).toEqual({ steps: [60, 365], walk: true });
    // A common word in one county: expected too few for any step to fill, so the year is walked.
    expect(repo.searchPlan(369_444, 1_500, 1_000_000, 1095, 200)).toEqual({ steps: [365], walk: true });
    expect(repo.searchPlan(369_444, 1_500, 1_000_000, 200, 200)).toEqual({ steps: [60], walk: true });
    // 300 expected: fetching them costs less than walking the 487 notices of the longest step.
    expect(repo.searchPlan(369_444, 300, 1_000_000, 200, 200)).toEqual({ steps: [], walk: false });
  });

  it('expect the matches of a query within filters from the lexeme and filter shares', () => {
    const tq = wordsQuery(['排水'])!;
    const stats = { lexemes: new Map([['排水', 5000], ['all notices', 100_000], ['city 140100', 20_000], ['kind result', 10_000]]), oldest: null };
    expect(searchEstimate(tq, stats, { now })).toBe(5000);
    expect(searchEstimate(tq, stats, { now, cityCode: '140100', kind: 'result' })).toBeCloseTo(100);
    expect(searchEstimate(tq, stats, { now, regionCode: '140105' })).toBe(0);
    expect(searchEstimate(tq, { ...stats, lexemes: new Map([['排水', 5000]]) }, { now })).toBe(0);
  });

  it('answer every query, filter and page alike', async () => {
    const queries = ['老旧小区', '招标公告', '中标结果', '鹳雀楼', '排水 绿化', '幼儿园新建', '医院'];
    const filters = [{}, { regionCode: '140105' }, { cityCode: '140200' }, { kind: 'result' }, { from: new Date(now.getTime() - 200 * DAY) }];
    const rows = await counts();
    let compared = 0;
    let narrowed = 0;
    for (const q of queries) {
      for (const tq of [wordsQuery(queryTokens(q)), allOf([...new Set(bigrams(q))])]) {
        for (const extra of filters) {
          for (const [limit, offset] of [[5, 0], [5, 5], [10, 0]] as const) {
            const f = { ...extra, now };
            // A window of 8 over 170 notices: a short step fills for common words and not for rare ones.
            const facets = repo.facetsOfFilter(f);
            const nq = { words: tq!.tsquery, withFacets: requiring(tq!, facets) };
            const every = await repo.searchNotices(h.deps.db, nq, f, 8, limit, offset, { steps: [], walk: false });
            // The GIN lookup without the words in more than a tenth of the notices, the rows it yields tested for them.
            const narrower = withoutCommon(tq!, (l) => rows.get(l) ?? 0, rows.get('all notices')!, 0.1, facets.length);
            const lookups = narrower ? [nq, { ...nq, withFacets: requiring(narrower, facets), testWords: true }] : [nq];
            if (narrower) narrowed++;
            for (const lookup of lookups) {
              for (const plan of [{ steps: [], walk: false }, { steps: [7, 30, 120], walk: false }, { steps: [60, 365], walk: false }, { steps: [14], walk: true }, { steps: [30, 365], walk: true }]) {
                const stepped = await repo.searchNotices(h.deps.db, lookup, f, 8, limit, offset, plan);
                const steps = `${JSON.stringify(plan)} ${lookup.withFacets}`;
                expect(stepped.matched, `${q} ${JSON.stringify(extra)} ${steps}`).toBe(every.matched);
                expect(stepped.hits.map((x) => [x.id, x.rank]), `${q} ${JSON.stringify(extra)} ${offset} ${steps}`).toEqual(every.hits.map((x) => [x.id, x.rank]));
              }
            }
            if (every.matched > 0) compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
    expect(narrowed).toBeGreaterThan(20);
  });

  it('names the deals of the hits that the query names itself, not those only a notice mentions', async () => {
    const tq = wordsQuery(queryTokens('鹳雀楼'))!;
    const r = await repo.searchNotices(h.deps.db, { words: tq.tsquery, withFacets: tq.tsquery }, { now }, 200, 10, 0, { steps: [], walk: false });
    // Four deals carry the landmark, with 2 + 3 + 2 + 3 notices.
    expect(r.matched).toBe(10);
    const deals = await repo.dealsNamed(h.deps.db, tq.tsquery, [...new Set(r.hits.map((x) => x.deal_code))], 5);
    expect(deals.length).toBeGreaterThan(0);
    expect(deals.every((d) => d.name.includes('鹳雀楼'))).toBe(true);
    const body = wordsQuery(queryTokens('绿化'))!;
    const hits = await repo.searchNotices(h.deps.db, { words: body.tsquery, withFacets: body.tsquery }, { now }, 200, 10, 0, { steps: [], walk: false });
    expect(hits.matched).toBeGreaterThan(0);
    expect(await repo.dealsNamed(h.deps.db, body.tsquery, [...new Set(hits.hits.map((x) => x.deal_code))], 5)).toEqual([]);
  });
});
