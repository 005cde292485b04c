import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatDealCode } from '../coding/coding.rules.ts';
import { createHarness, problem, type Harness } from '../../../test/support/harness.ts';
import { publishedProject, type Published } from '../trading/trading.test-support.ts';
import { catchUpPortal, PORTAL_CONSUMER, projectPortal, startPortalProjector } from './portal.projector.ts';
import { publishDeal } from './portal.test-support.ts';

interface NoticeListJson {
  items: { id: string; kind: string; title: string; dealCode: string; region: { code: string; name: string }; closesAt: string | null; correctedAt: string | null; url: string }[];
  total: number;
  totalCapped: boolean;
  page: number;
  pageSize: number;
}

describe('the portal, fed by a tender run through the API', () => {
  let h: Harness;
  let deal: Published;

  beforeAll(async () => {
    h = await createHarness();
    deal = await publishedProject(h, 701);
  });
  afterAll(async () => h.close());

  it('shows nothing of a deal until the projector has read its events, then its tender notice', async () => {
    const before = await h.app.inject({ url: '/api/v1/public/notices?kind=tender' });
    expect(before.statusCode).toBe(200);
    expect(before.json<NoticeListJson>().items.find((n) => n.dealCode === deal.dealCode)).toBeUndefined();

    const run = await catchUpPortal(h.deps);
    expect(run).toMatchObject({ caughtUp: true });
    expect(run.read).toBeGreaterThan(0);
    const list = (await h.app.inject({ url: '/api/v1/public/notices?kind=tender' })).json<NoticeListJson>();
    const mine = list.items.find((n) => n.dealCode === deal.dealCode)!;
    expect(mine).toMatchObject({ kind: 'tender', title: '701号项目招标公告', region: { code: '140105' }, closesAt: '2026-03-24T01:30:00.000Z', correctedAt: null });
    expect(mine.region.name).toContain('小店区');

    // A second run reads nothing new and changes nothing.
    expect((await projectPortal(h.deps)).read).toBe(0);
    const consumer = await h.deps.db.selectFrom('platform.event_consumers').selectAll().where('name', '=', PORTAL_CONSUMER).executeTakeFirstOrThrow();
    expect(Number(consumer.position)).toBeGreaterThan(0);
  });

  it('filters by region (city takes its counties, a county only itself), category, type and date', async () => {
    const count = async (q: string) => (await h.app.inject({ url: `/api/v1/public/notices?${q}` })).json<NoticeListJson>().items.filter((n) => n.dealCode === deal.dealCode).length;
    expect(await count('region=140100')).toBe(1);
    expect(await count('region=140105')).toBe(1);
    expect(await count('region=140106')).toBe(0);
    expect(await count('region=140200')).toBe(0);
    expect(await count('region=140000')).toBe(1);
    expect(await count('category=construction')).toBe(1);
    expect(await count('category=procurement')).toBe(0);
    expect(await count('kind=result')).toBe(0);
    // Published on the harness's 2026-03-02 (China time): the day itself is inside both bounds.
    expect(await count('from=2026-03-02&to=2026-03-02')).toBe(1);
    expect(await count('from=2026-03-03')).toBe(0);
    expect(await count('to=2026-03-01')).toBe(0);
    expect(await count('status=open')).toBe(1);
    expect(await count('status=closed')).toBe(0);
  });

  it('refuses a bad filter with the field and the rule, in Chinese', async () => {
    const bad = async (q: string) => {
      const res = await h.app.inject({ url: `/api/v1/public/notices?${q}` });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      return problem(res);
    };
    expect(await bad('region=149999')).toMatchObject({ field: 'region', rule: 'region_code' });
    expect(await bad('from=2026-02-30')).toMatchObject({ field: 'from', rule: 'format' });
    expect(await bad('from=2026-03-05&to=2026-03-01')).toMatchObject({ field: 'to', rule: 'date_order' });
    // The list pages down to GGZY_PORTAL_MAX_DEPTH rows (10,000): page 500 of 20 is the last.
    expect((await h.app.inject({ url: '/api/v1/public/notices?page=500&pageSize=20' })).statusCode).toBe(200);
    expect(await bad('page=501&pageSize=20')).toMatchObject({ field: 'page', rule: 'max_depth' });
    expect((await bad('kind=bogus')).detail).toMatch(/kind/);
  });

  it('opens the deal page by its code as people type it, with the public timeline only', async () => {
    const typed = formatDealCode(deal.dealCode).toLowerCase();
    const res = await h.app.inject({ url: `/api/v1/public/deals/${typed}` });
    expect(res.statusCode).toBe(200);
    const d = res.json<{ dealCode: string; name: string; stageName: string; lots: { lotCode: string; estimatedPrice: string }[]; notices: unknown[]; timeline: { type: string; summary: string }[] }>();
    expect(d).toMatchObject({ dealCode: deal.dealCode, name: '太原市小店区道路改造工程701', stageName: '招标中' });
    expect(d.lots.map((l) => l.estimatedPrice)).toEqual(['12,000,000.00', '3,500,000.50']);
    const types = d.timeline.map((t) => t.type);
    expect(types).toEqual(['project_accepted', 'lot_coded', 'lot_coded', 'notice_published', 'documents_published']);
    // Review steps and who downloaded are not public.
    expect(types).not.toContain('notice_submitted');
    expect(d.timeline[4]!.summary).toContain('招标文件.pdf');

    const lot = await h.app.inject({ url: `/api/v1/public/deals/${deal.lots[0]!.lotCode}` });
    expect(lot.json<{ dealCode: string }>().dealCode).toBe(deal.dealCode);
    expect((await h.app.inject({ url: '/api/v1/public/deals/12345' })).statusCode).toBe(400);
  });

  it('shows an amendment as a change of the tender notice, whose text stays readable, and moves its deadline', async () => {
    const list = (await h.app.inject({ url: '/api/v1/public/notices?kind=tender' })).json<NoticeListJson>();
    const tender = list.items.find((n) => n.dealCode === deal.dealCode)!;
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/trading/projects/${deal.id}/clarifications`,
      headers: { authorization: `Bearer ${deal.owner.token}` },
      payload: { title: '701号项目第1号澄清', body: '第一标段工期调整为 200 日历天。', newDeadline: '2026-03-31T01:30:00.000Z' },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    expect((await catchUpPortal(h.deps)).caughtUp).toBe(true);

    const original = (await h.app.inject({ url: `/api/v1/public/notices/${tender.id}` })).json<{ notice: { body: string; correctedAt: string | null; closesAt: string }; correctedBy: { id: string; kind: string; title: string }[] }>();
    expect(original.notice.body).toBe('本招标项目已由有关部门批准建设，现对该项目进行公开招标。');
    expect(original.notice.correctedAt).not.toBeNull();
    expect(original.notice.closesAt).toBe('2026-03-31T01:30:00.000Z');
    expect(original.correctedBy).toEqual([expect.objectContaining({ kind: 'amendment', title: '701号项目第1号澄清' })]);
    const amendment = (await h.app.inject({ url: `/api/v1/public/notices/${original.correctedBy[0]!.id}` })).json<{ corrects: { id: string } }>();
    expect(amendment.corrects.id).toBe(tender.id);
    const corrected = (await h.app.inject({ url: '/api/v1/public/notices?status=corrected' })).json<NoticeListJson>();
    expect(corrected.items.map((n) => n.id)).toContain(tender.id);
  });

  it('answers 304 to a reader holding the current ETag, and a new tag once something is published', async () => {
    const first = await h.app.inject({ url: '/api/v1/public/notices?region=140100' });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"p\d+-/);
    expect(first.headers['cache-control']).toBe('public, no-cache');
    const again = await h.app.inject({ url: '/api/v1/public/notices?region=140100', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    // Another query has another tag.
    const other = await h.app.inject({ url: '/api/v1/public/notices?region=140200', headers: { 'if-none-match': etag } });
    expect(other.statusCode).toBe(200);

    await publishedProject(h, 702, { owner: deal.owner });
    expect((await h.app.inject({ url: '/api/v1/public/notices?region=140100', headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    expect((await catchUpPortal(h.deps)).caughtUp).toBe(true);
    const changed = await h.app.inject({ url: '/api/v1/public/notices?region=140100', headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('serves RSS and Atom feeds of a list, with the same ETag rule', async () => {
    const rss = await h.app.inject({ url: '/feeds/notices.rss?region=140100&kind=tender' });
    expect(rss.statusCode).toBe(200);
    expect(rss.headers['content-type']).toContain('application/rss+xml');
    expect(rss.body).toContain('<title>701号项目招标公告</title>');
    expect(rss.body).toContain('<language>zh-CN</language>');
    expect(rss.body).toMatch(/<link>http:\/\/localhost(:\d+)?\/notices\/[0-9a-f-]{36}<\/link>/);
    const atom = await h.app.inject({ url: '/feeds/notices.atom?kind=tender' });
    expect(atom.headers['content-type']).toContain('application/atom+xml');
    expect(atom.body).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">');
    expect(atom.body).toContain('702号项目招标公告');
    expect((await h.app.inject({ url: '/feeds/notices.atom?kind=tender', headers: { 'if-none-match': atom.headers.etag as string } })).statusCode).toBe(304);
    expect((await h.app.inject({ url: '/feeds/notices.rss?kind=nope' })).statusCode).toBe(400);
  });

  it('shows a publication within a second when the projector runs as `serve` runs it', async () => {
    const failures: unknown[] = [];
    const projector = startPortalProjector(h.deps, h.deps.config.portal.pollIntervalMs, (err) => failures.push(err));
    try {
      const p = await publishedProject(h, 703, { owner: deal.owner });
      const published = performance.now();
      await vi.waitFor(
        async () => {
          const list = (await h.app.inject({ url: '/api/v1/public/notices?kind=tender' })).json<NoticeListJson>();
          expect(list.items.map((n) => n.dealCode)).toContain(p.dealCode);
        },
        { timeout: 1000, interval: 25 },
      );
      expect(performance.now() - published).toBeLessThan(1000);
      expect(failures).toEqual([]);
    } finally {
      await projector.stop();
    }
  });

  it('jumps to the deal from its code and to the entity lookup from a USCC', async () => {
    const byCode = (await h.app.inject({ url: `/api/v1/public/search?q=${encodeURIComponent(formatDealCode(deal.dealCode))}` })).json<{ redirect: string; mode: string }>();
    expect(byCode).toMatchObject({ mode: 'redirect', redirect: `/deals/${deal.dealCode}` });
    const byLot = (await h.app.inject({ url: `/api/v1/public/search?q=${deal.lots[1]!.lotCode}` })).json<{ redirect: string }>();
    expect(byLot.redirect).toBe(`/deals/${deal.dealCode}`);
    const byUscc = (await h.app.inject({ url: '/api/v1/public/search?q=12140000405200000J' })).json<{ redirect: string | null; mode: string }>();
    // The coding platform's USCC with a wrong 18th check character: searched as text, no jump.
    expect(byUscc.redirect).toBeNull();
    const prefix = (await h.app.inject({ url: `/api/v1/public/search?q=${deal.dealCode.slice(0, 26)}` })).json<{ deals: { dealCode: string }[] }>();
    expect(prefix.deals.map((d) => d.dealCode)).toContain(deal.dealCode);
  });
});

describe('search ranking on a fixed corpus', () => {
  let h: Harness;
  const at = (day: number) => new Date(Date.UTC(2026, 1, day, 2));

  beforeAll(async () => {
    h = await createHarness();
    const uscc = h.deps.config.codingUscc;
    await publishDeal(h.deps.db, uscc, { name: '晋中市榆次区老旧小区改造工程', regionCode: '140702', acceptedAt: at(1), notices: [{ title: '晋中市榆次区老旧小区改造工程施工招标公告', body: '本项目为老旧小区改造，包括屋面防水、外墙保温和管网更新。', at: at(2) }] });
    await publishDeal(h.deps.db, uscc, { name: '太原市迎泽区市政道路维修工程', regionCode: '140106', acceptedAt: at(3), notices: [{ title: '太原市迎泽区市政道路维修工程招标公告', body: '道路面层铣刨重铺，附属设施维修。与老旧小区改造项目同步实施的管网工程另行招标。', at: at(4) }] });
    await publishDeal(h.deps.db, uscc, { name: '大同市云冈区学校食堂设备采购', regionCode: '140214', category: 'goods', acceptedAt: at(5), notices: [{ title: '大同市云冈区学校食堂设备采购招标公告', body: '采购不锈钢厨具、蒸饭柜等设备。', at: at(6) }, { kind: 'result', title: '大同市云冈区学校食堂设备采购中标结果公告', body: '中标人：山西某某厨具有限公司；中标价：1,234,000.00 元', at: at(20) }] });
    expect((await catchUpPortal(h.deps)).caughtUp).toBe(true);
  });
  afterAll(async () => h.close());

  interface SearchJson {
    mode: string;
    matched: number;
    terms: string[];
    items: { title: string; titleHtml: string; snippetHtml: string; rank: number; kind: string }[];
    deals: { name: string }[];
  }
  const search = async (q: string, extra = '') => {
    const res = await h.app.inject({ url: `/api/v1/public/search?q=${encodeURIComponent(q)}${extra}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<SearchJson>();
  };

  it('ranks a notice whose title has the words above one that has them only in its body', async () => {
    const r = await search('老旧小区改造');
    expect(r.mode).toBe('words');
    expect(r.items.map((i) => i.title)).toEqual(['晋中市榆次区老旧小区改造工程施工招标公告', '太原市迎泽区市政道路维修工程招标公告']);
    expect(r.items[0]!.rank).toBeGreaterThan(r.items[1]!.rank);
    expect(r.items[0]!.titleHtml).toContain('<mark>老旧小区改造</mark>');
    expect(r.items[1]!.snippetHtml).toContain('<mark>老旧小区改造</mark>');
    expect(r.deals.map((d) => d.name)).toEqual(['晋中市榆次区老旧小区改造工程']);
  });

  it('requires every word, and narrows by the list filters', async () => {
    expect((await search('道路 食堂')).items).toEqual([]);
    const inCity = await search('招标公告', '&region=140200');
    expect(inCity.items.map((i) => i.title)).toEqual(['大同市云冈区学校食堂设备采购招标公告']);
    const results = await search('食堂', '&kind=result');
    expect(results.items.map((i) => i.kind)).toEqual(['result']);
    // 中标结果 is a word inside the indexed word 中标结果公告: found by its parts, still as words.
    const inside = await search('中标结果');
    expect(inside).toMatchObject({ mode: 'words' });
    expect(inside.items.map((i) => i.title)).toEqual(['大同市云冈区学校食堂设备采购中标结果公告']);
  });

  it('finds a title by a fragment that jieba does not cut as a word, and escapes what it shows', async () => {
    const r = await search('冈区学');
    expect(r.items.length).toBeGreaterThan(0);
    expect(r.items.every((i) => i.title.includes('冈区学'))).toBe(true);
    const xss = await search('<script>食堂');
    expect(JSON.stringify(xss.items)).not.toContain('<script>');
  });

  it('refuses an empty query and a page beyond the search window', async () => {
    expect((await h.app.inject({ url: '/api/v1/public/search?q=' })).statusCode).toBe(400);
    const deep = await h.app.inject({ url: '/api/v1/public/search?q=%E5%B7%A5%E7%A8%8B&page=200&pageSize=10' });
    expect(problem(deep)).toMatchObject({ field: 'page', rule: 'max_depth' });
  });

  it('counts the headline figures from what was published', async () => {
    const s = (await h.app.inject({ url: '/api/v1/public/portal/stats' })).json<{ deals: number; dealsInYear: number }>();
    expect(s).toMatchObject({ deals: 3, dealsInYear: 3 });
    const city = (await h.app.inject({ url: '/api/v1/public/portal/stats?region=140200' })).json<{ deals: number; region: { name: string } }>();
    expect(city.deals).toBe(1);
    expect(city.region.name).toContain('大同市');
  });
});
