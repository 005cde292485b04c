import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendDealEvent } from '../../platform/events/deal-events.ts';
import { cliAuditContext } from '../identity/identity.bootstrap.ts';
import { createRecordDirect } from '../credit/credit.service.ts';
import { formatDealCode } from '../coding/coding.rules.ts';
import { idNumberFor, usccFor } from '../experts/experts.fixtures.ts';
import { createHarness, problem, type Harness } from '../../../test/support/harness.ts';
import { activeEntity, publishedProject, type Published } from '../trading/trading.test-support.ts';
import { catchUpPortal } from './portal.projector.ts';
import { publishDeal } from './portal.test-support.ts';

// The harness clock: Monday 2026-03-02 09:00 CST. Corpus notices are published in February.
const at = (day: number, hour = 2) => new Date(Date.UTC(2026, 1, day, hour));
const HOSTILE = '<script>alert("x")</script>晋中市榆次区&quot;恶意&标题';

interface Deal {
  dealCode: string;
  lotCode: string;
  noticeIds: string[];
}

/** Appends the events after the bidding of a corpus deal: opening record, candidates, result (payloads as trading publishes them). */
async function awardDeal(h: Harness, d: Deal, winner: string): Promise<{ opening: string; candidates: string; result: string; sm3: string }> {
  const ids = { opening: crypto.randomUUID(), candidates: crypto.randomUUID(), result: crypto.randomUUID() };
  // The result notice is a signed PDF in the blob store, named by its SM3.
  const { digest } = await h.deps.blobs.put(Buffer.from('%PDF-1.7\n中标结果公告\n%%EOF\n'));
  const notice = (id: string, kind: string, title: string, day: number) => ({ id, kind, title, body: `${title}\n第二行`, lotCode: d.lotCode, correctsId: null, documentSm3: kind === 'result' ? digest : null, publishedAt: at(day).toISOString() });
  await h.deps.db.transaction().execute(async (trx) => {
    await appendDealEvent(trx, {
      dealCode: d.dealCode,
      lotCode: d.lotCode,
      type: 'opening_published',
      payload: {
        notice: notice(ids.opening, 'opening_record', '大同市云冈区学校食堂设备采购开标记录', 24),
        bids: [
          { bidder: winner, outcome: 'decrypted', price: '1,234,000.00', items: { durationDays: 30, qualityStandard: '合格' } },
          { bidder: '<b>大同某某商贸有限公司</b>', outcome: 'not_decrypted', price: null, items: {} },
        ],
      },
      at: at(24),
    });
    await appendDealEvent(trx, {
      dealCode: d.dealCode,
      lotCode: d.lotCode,
      type: 'candidates_published',
      payload: { notice: notice(ids.candidates, 'candidates', '大同市云冈区学校食堂设备采购中标候选人公示', 25), publicityUntil: at(28).toISOString(), candidates: [{ rank: 1, bidderName: winner, priceFen: 123_400_000 }] },
      at: at(25),
    });
    await appendDealEvent(trx, {
      dealCode: d.dealCode,
      lotCode: d.lotCode,
      type: 'result_published',
      payload: { notice: notice(ids.result, 'result', '大同市云冈区学校食堂设备采购中标结果公告', 28), winnerName: winner, priceFen: 123_400_000 },
      at: at(28),
    });
  });
  return { ...ids, sm3: digest };
}

describe('the portal pages', () => {
  let h: Harness;
  let tender: Deal;
  let amendment: string;
  let datong: Deal;
  let awarded: { opening: string; candidates: string; result: string; sm3: string };
  let hostile: Deal;
  let real: Published;
  const get = (url: string, headers: Record<string, string> = {}) => h.app.inject({ url, headers });

  beforeAll(async () => {
    h = await createHarness({ GGZY_PORTAL_PAGE_SIZE: '5', GGZY_PORTAL_MAX_DEPTH: '100' });
    const uscc = h.deps.config.codingUscc;
    tender = await publishDeal(h.deps.db, uscc, {
      name: '太原市小店区学府街道路改造工程',
      regionCode: '140105',
      acceptedAt: at(1),
      notices: [{ title: '太原市小店区学府街道路改造工程施工招标公告', body: '一、招标条件\n本项目已批准建设。\n二、项目概况\n道路全长 1.2 公里。', at: at(2), bidDeadline: new Date('2026-03-24T01:30:00Z') }],
    });
    // The amendment of the tender notice, on the same deal.
    amendment = crypto.randomUUID();
    await h.deps.db.transaction().execute(async (trx) => {
      const deadline = '2026-03-24T01:30:00.000Z';
      await appendDealEvent(trx, {
        dealCode: tender.dealCode,
        type: 'clarification_issued',
        payload: { noticeId: amendment, number: 1, title: '学府街道路改造工程第1号澄清', deadlineBefore: deadline, deadlineAfter: deadline, notice: { id: amendment, kind: 'amendment', title: '学府街道路改造工程第1号澄清', body: '工期调整为 200 日历天。', lotCode: null, correctsId: tender.noticeIds[0], documentSm3: null, publishedAt: at(5).toISOString() } },
        at: at(5),
      });
    });
    datong = await publishDeal(h.deps.db, uscc, { name: '大同市云冈区学校食堂设备采购', regionCode: '140214', category: 'goods', tendererName: '大同市云冈区教育局', acceptedAt: at(3), notices: [{ title: '大同市云冈区学校食堂设备采购招标公告', body: '采购不锈钢厨具、蒸饭柜等设备。', at: at(3), bidDeadline: at(23) }] });
    awarded = await awardDeal(h, datong, '山西某某厨具有限公司');
    hostile = await publishDeal(h.deps.db, uscc, { name: HOSTILE, regionCode: '140702', acceptedAt: at(6), notices: [{ title: HOSTILE, body: '<img src=x onerror=alert(1)>\n正文', at: at(6) }] });
    // Enough notices in 临汾 to page through and to reach the list's depth (100).
    await publishDeal(h.deps.db, uscc, {
      name: '临汾市尧都区农村公路养护工程',
      regionCode: '141002',
      acceptedAt: at(7),
      notices: Array.from({ length: 101 }, (_, i) => ({ kind: 'result' as const, title: `临汾市尧都区农村公路养护工程第${i + 1}批中标结果公告`, body: '中标结果。', at: new Date(at(8).getTime() + i * 60_000) })),
    });
    real = await publishedProject(h, 711);
    expect((await catchUpPortal(h.deps)).caughtUp).toBe(true);
  });
  afterAll(async () => h.close());

  it('serves the home page as zh-CN HTML with the search box, the latest of each type, the figures, the city channels and the workbench entry', async () => {
    const res = await get('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const b = res.body;
    expect(b).toMatch(/^<!doctype html><html lang="zh-CN">/);
    expect(b).toContain('<meta name="viewport" content="width=device-width,initial-scale=1">');
    expect(b).toMatch(/<meta name="description" content="[^"]+">/);
    expect(b).toMatch(/<link rel="canonical" href="http:\/\/localhost(:\d+)?\/">/);
    expect(b).toContain('<form class="search" role="search" action="/search" method="get">');
    expect(b).toContain('<a href="/workbench/">登录工作台</a>');
    expect(b).toContain('<a href="/notices?kind=tender">更多<span class="sr">招标公告</span></a>');
    expect(b).toContain('711号项目招标公告');
    expect(b).toContain('大同市云冈区学校食堂设备采购中标结果公告');
    expect(b).toContain('<a href="/city/140100-taiyuan/">太原市</a>');
    expect(b).toMatch(/<dt>交易项目<\/dt><dd>\d+<\/dd>/);
    expect(b).toContain('<dt>中标金额（元）</dt><dd>1,234,000.00</dd>');
    expect(b).not.toContain('<script');
    // The workbench keeps its own address.
    expect((await get('/workbench')).headers.location).toBe('/workbench/');
  });

  it('lists notices with filters, status badges and paging, capped at the list depth', async () => {
    const all = await get('/notices');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('共 100+ 条');
    expect(all.body).toContain('rel="next"');
    expect(all.body).toContain('<a href="/notices?page=20"><span class="sr">第</span>20<span class="sr">页</span></a>');
    expect(all.body).not.toContain('page=21');

    const tenders = await get('/notices?kind=tender&region=140100');
    expect(tenders.body).toContain('共 2 条');
    expect(tenders.body).toContain('太原市小店区学府街道路改造工程施工招标公告');
    expect(tenders.body).toContain('<span class="badge b-corrected">已变更</span>');
    expect(tenders.body).toContain('<span class="badge b-open">进行中</span>');
    expect(tenders.body).toContain('<option value="140100" selected>太原市（全市）</option>');
    expect(tenders.body).not.toContain('大同市云冈区学校食堂');

    const county = await get('/notices?region=140214&kind=&category=&status=closed');
    // 已截止 takes the notices whose period ended; those without one (a result, an opening record)
    // are neither open nor closed.
    expect(county.body).toContain('共 2 条');
    expect(county.body).not.toContain('中标结果公告</a>');
    expect(county.body).toContain('大同市云冈区学校食堂设备采购招标公告');
    expect(county.body).toContain('<span class="badge b-closed">已截止</span>');
    const dated = await get('/notices?from=2026-02-25&to=2026-02-28&region=140200');
    expect(dated.body).toContain('共 2 条');
    expect(dated.body).toContain('中标候选人公示');

    const second = await get('/notices?region=141000&page=2');
    expect(second.body).toContain('共 100+ 条，第 2 页');
    expect(second.body).toContain('<a href="/notices?region=141000" rel="prev">上一页</a>');
    expect(second.body).toContain('<span aria-current="page"><span class="sr">第</span>2<span class="sr">页（当前页）</span></span>');
    expect(second.body).toContain('第96批中标结果公告');

    const bad = await get('/notices?region=149999');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('text/html');
    expect(bad.body).toContain('行政区划代码不存在');
    expect((await get('/notices?page=abc')).statusCode).toBe(400);
    expect((await get('/notices?from=2026-03-05&to=2026-03-01')).body).toContain('结束日期不能早于开始日期');
  });

  it('answers 304 to a reader of a list holding its ETag, until something is published', async () => {
    const first = await get('/notices?kind=tender');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"p\d+-/);
    const again = await get('/notices?kind=tender', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect((await get('/', { 'if-none-match': etag })).statusCode).toBe(200);
    const home = await get('/');
    expect((await get('/', { 'if-none-match': home.headers.etag as string })).statusCode).toBe(304);
    // A list showing badges changes with the minute.
    h.clock.advance(60_000);
    expect((await get('/notices?kind=tender', { 'if-none-match': etag })).statusCode).toBe(200);
  });

  it('shows a notice: its text escaped with line breaks kept, the deal link, the change banner and the amendment link back', async () => {
    const res = await get(`/notices/${tender.noticeIds[0]}`);
    expect(res.statusCode).toBe(200);
    const b = res.body;
    expect(b).toContain('<h1>太原市小店区学府街道路改造工程施工招标公告</h1>');
    expect(b).toContain('<div class="body">一、招标条件\n本项目已批准建设。\n二、项目概况\n道路全长 1.2 公里。</div>');
    expect(b).toContain(`<a href="/deals/${tender.dealCode}"><code>${formatDealCode(tender.dealCode)}</code></a>`);
    expect(b).toContain('<strong>本公告已被变更。</strong>');
    expect(b).toContain(`<a href="/notices/${amendment}">学府街道路改造工程第1号澄清</a>`);
    expect(b).toContain('2026年2月2日 10:00');
    const a = await get(`/notices/${amendment}`);
    expect(a.body).toContain(`本公告是对 <a href="/notices/${tender.noticeIds[0]}">太原市小店区学府街道路改造工程施工招标公告</a> 的变更`);
  });

  it('shows the opening record, the candidates and the winner as tables, escaped', async () => {
    const opening = (await get(`/notices/${awarded.opening}`)).body;
    expect(opening).toContain('<th scope="col">投标报价（元）</th><th scope="col">工期（日历天）</th><th scope="col">质量标准</th>');
    expect(opening).toContain('<td>1</td><td>山西某某厨具有限公司</td><td>解密成功</td><td>1,234,000.00</td><td>30</td><td>合格</td>');
    expect(opening).toContain('&lt;b&gt;大同某某商贸有限公司&lt;/b&gt;');
    expect(opening).not.toContain('<b>大同');
    const candidates = (await get(`/notices/${awarded.candidates}`)).body;
    expect(candidates).toContain('<td>1</td><td>山西某某厨具有限公司</td><td>1,234,000.00 元</td>');
    expect(candidates).toContain('<dt>公示截止</dt>');
    const result = (await get(`/notices/${awarded.result}`)).body;
    expect(result).toContain('<dt>中标人</dt><dd>山西某某厨具有限公司</dd><dt>中标价</dt><dd>1,234,000.00 元</dd>');
    expect(result).toContain(`<a href="/notices/${awarded.result}/document.pdf">下载签章公告文件（PDF）</a>`);
    expect(result).toContain(`文件 SM3 摘要：<code>${awarded.sm3}</code>`);
    expect(opening).not.toContain('document.pdf');
    const pdf = await get(`/notices/${awarded.result}/document.pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
  });

  it('escapes a hostile title everywhere it shows', async () => {
    for (const url of [`/notices/${hostile.noticeIds[0]}`, `/deals/${hostile.dealCode}`, '/notices?region=140702', '/']) {
      const b = (await get(url)).body;
      expect(b, url).not.toContain('<script>alert');
      expect(b, url).not.toContain('<img src=x');
      if (url !== '/') expect(b, url).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;晋中市榆次区&amp;quot;恶意&amp;标题');
    }
    const search = await get(`/search?q=${encodeURIComponent('恶意 <script>')}`);
    expect(search.statusCode).toBe(200);
    expect(search.body).not.toContain('<script>alert');
  });

  it('shows a deal by its code with lots, notices and the public timeline; other spellings and lot codes move to it', async () => {
    const res = await get(`/deals/${datong.dealCode}`);
    expect(res.statusCode).toBe(200);
    const b = res.body;
    expect(b).toContain('<h1>大同市云冈区学校食堂设备采购</h1>');
    expect(b).toContain(`<dt>统一交易标识码</dt><dd><code>${formatDealCode(datong.dealCode)}</code></dd>`);
    expect(b).toContain('<dt>招标人</dt><dd>大同市云冈区教育局</dd>');
    expect(b).toContain('<td>1,000,000.00</td><td>已定标</td><td>山西某某厨具有限公司</td><td>1,234,000.00</td><td>—</td>');
    expect(b).toContain('<h2 id="n-h">公告（4）</h2>');
    const timeline = b.slice(b.indexOf('<ol class="timeline">'));
    const labels = [...timeline.matchAll(/<strong>([^<]+)<\/strong>/g)].map((m) => m[1]);
    expect(labels).toEqual(['项目受理并赋码', '标段赋码', '招标公告发布', '开标结果公布', '中标候选人公示', '中标结果公告']);
    expect(timeline).toContain('中标结果公告：中标人 山西某某厨具有限公司，中标价 1,234,000.00 元');

    const typed = await get(`/deals/${formatDealCode(datong.dealCode).toLowerCase()}`);
    expect(typed.statusCode).toBe(301);
    expect(typed.headers.location).toBe(`/deals/${datong.dealCode}`);
    expect((await get(`/deals/${datong.lotCode}`)).headers.location).toBe(`/deals/${datong.dealCode}`);
    const missing = await get('/deals/12345');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('未找到该交易');
  });

  it('shows the deal of a tender run through the API, with its documents on the timeline', async () => {
    const b = (await get(`/deals/${real.dealCode}`)).body;
    expect(b).toContain('<h1>太原市小店区道路改造工程711</h1>');
    expect(b).toContain('<td>12,000,000.00</td><td>招标中</td>');
    expect(b).toContain('711号项目招标公告');
    expect(b).toContain('招标文件.pdf');
    expect(b).toContain('<dt>招标方式</dt><dd>公开招标</dd>');
  });

  it('searches with highlighted terms and deal hits, and jumps to a deal or an entity by its code', async () => {
    const res = await get(`/search?q=${encodeURIComponent('食堂设备')}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<mark>食堂</mark><mark>设备</mark>');
    expect(res.body).toContain('<h2 id="deal-h">交易项目</h2>');
    expect(res.body).toContain(`href="/deals/${datong.dealCode}"`);
    expect(res.body).toContain('<meta name="robots" content="noindex">');
    const filtered = await get(`/search?q=${encodeURIComponent('招标公告')}&region=140200`);
    expect(filtered.body).toContain('大同市云冈区学校食堂设备采购<mark>招标公告</mark>');
    expect(filtered.body).not.toContain('学府街');

    const byCode = await get(`/search?q=${encodeURIComponent(formatDealCode(tender.dealCode))}`);
    expect(byCode.statusCode).toBe(303);
    expect(byCode.headers.location).toBe(`/deals/${tender.dealCode}`);
    const uscc = usccFor(4242);
    const byUscc = await get(`/search?q=${uscc}`);
    expect(byUscc.statusCode).toBe(303);
    expect(byUscc.headers.location).toBe(`/entities?uscc=${uscc}`);
    expect((await get('/search')).statusCode).toBe(200);
    const none = await get(`/search?q=${encodeURIComponent('量子计算机')}`);
    expect(none.body).toContain('没有找到与“量子计算机”相关的公告');
  });

  it('scopes a city channel to its deals, and moves a wrong name to the right one', async () => {
    const home = await get('/city/140200-datong/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('<a class="brand" href="/city/140200-datong/">大同市公共资源交易平台');
    expect(home.body).toContain('大同市云冈区学校食堂设备采购招标公告');
    expect(home.body).not.toContain('学府街');
    expect(home.body).toContain('<a href="/city/140200-datong/notices?region=140214">云冈区</a>');
    expect(home.body).toContain('<dt>交易项目</dt><dd>1</dd>');
    const list = await get('/city/140200-datong/notices');
    expect(list.body).toContain('共 4 条');
    expect(list.body).not.toContain('711号项目');
    expect(list.body).toContain('<option value="" selected>大同市（全市）</option>');
    expect((await get('/city/140200-datong/notices?region=140105')).statusCode).toBe(400);

    const wrong = await get('/city/140200-taiyuan/notices?kind=tender');
    expect(wrong.statusCode).toBe(301);
    expect(wrong.headers.location).toBe('/city/140200-datong/notices?kind=tender');
    expect((await get('/city/140200')).headers.location).toBe('/city/140200-datong/');
    expect((await get('/city/149900-nowhere/')).statusCode).toBe(404);
  });

  it('answers robots.txt, the sitemap and a Chinese 404 page', async () => {
    const robots = await get('/robots.txt');
    expect(robots.body).toContain('Disallow: /workbench/');
    expect(robots.body).toMatch(/Sitemap: http:\/\/localhost(:\d+)?\/sitemap.xml/);
    const sitemap = await get('/sitemap.xml');
    expect(sitemap.headers['content-type']).toContain('application/xml');
    expect(sitemap.body).toContain(`/notices/${tender.noticeIds[0]}</loc>`);
    expect(sitemap.body).toContain(`/deals/${datong.dealCode}</loc>`);
    expect(sitemap.body).toContain('/city/141100-lvliang/</loc>');
    const missing = await get('/no/such/page');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('text/html');
    expect(missing.body).toContain('<h1>页面不存在</h1>');
    expect((await get('/notices/not-a-uuid')).statusCode).toBe(404);
    expect((await get(`/notices/${crypto.randomUUID()}`)).statusCode).toBe(404);
    // The API keeps its problem+json 404.
    const api = await get('/api/v1/public/nothing');
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toContain('application/problem+json');
  });
});

describe('the lookup pages', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await createHarness();
    const audit = cliAuditContext(h.clock.now(), 'test');
    const base = { role: 'bidder' as const, type: 'violation' as const, severity: 'ordinary' as const, facts: '提供虚假业绩证明。', legalBasis: '《中华人民共和国招标投标法》第五十四条', sourceDepartment: '太原市住房和城乡建设局', regionCode: '140100' };
    await createRecordDirect(h.deps, { ...base, subjectKind: 'organisation', uscc: usccFor(501), subjectName: '山西诚信示范建设有限公司', title: '提供虚假材料谋取中标', decisionNumber: '并建罚〔2026〕1号', decisionDate: '2026-02-20', effectiveFrom: '2026-02-20' }, audit);
    // Decided long ago: its disclosure period (one year) is over.
    await createRecordDirect(h.deps, { ...base, subjectKind: 'organisation', uscc: usccFor(501), subjectName: '山西诚信示范建设有限公司', title: '早已期满的记录', decisionNumber: '并建罚〔2023〕9号', decisionDate: '2023-01-10', effectiveFrom: '2023-01-10', disclosureMonths: 12 }, audit);
    await createRecordDirect(h.deps, { ...base, subjectKind: 'person', idNumber: idNumberFor(77), subjectName: '张示范', role: 'staff', title: '出借注册建造师证书', decisionNumber: '并建罚〔2026〕2号', decisionDate: '2026-02-21', effectiveFrom: '2026-02-21' }, audit);
    await activeEntity(h, 601, ['bidder', 'supplier']);
  });
  afterAll(async () => h.close());

  it('shows the credit records inside their disclosure period, by USCC or name, with ID numbers masked', async () => {
    const byCode = await h.app.inject({ url: `/credit?q=${usccFor(501)}` });
    expect(byCode.statusCode).toBe(200);
    expect(byCode.body).toContain('提供虚假材料谋取中标');
    expect(byCode.body).toContain('并建罚〔2026〕1号');
    expect(byCode.body).not.toContain('早已期满的记录');
    const person = await h.app.inject({ url: `/credit?q=${encodeURIComponent('张示范')}` });
    expect(person.body).toContain('出借注册建造师证书');
    const id = idNumberFor(77);
    expect(person.body).not.toContain(id);
    expect(person.body).toContain(`${id.slice(0, 6)}********${id.slice(-4)}`);
    expect((await h.app.inject({ url: '/credit?q=%E5%BC%A0' })).statusCode).toBe(400);
    const empty = await h.app.inject({ url: '/credit' });
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('<label for="l-q">统一社会信用代码或主体名称</label>');
  });

  it('answers 304 to a reader holding the lookup page, and a new page once a record is added', async () => {
    for (const url of [`/credit?q=${usccFor(501)}`, `/entities?uscc=${usccFor(601)}`, '/credit']) {
      const first = await h.app.inject({ url });
      const etag = first.headers.etag as string;
      expect(etag, url).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
      expect(first.headers['cache-control']).toBe('no-cache');
      const again = await h.app.inject({ url, headers: { 'if-none-match': etag } });
      expect(again.statusCode, url).toBe(304);
      expect(again.body).toBe('');
      expect((await h.app.inject({ url, headers: { 'if-none-match': '"other"' } })).statusCode).toBe(200);
    }
    const url = `/credit?q=${usccFor(502)}`;
    const before = await h.app.inject({ url });
    await createRecordDirect(
      h.deps,
      { role: 'bidder', type: 'violation', severity: 'ordinary', facts: '串通投标。', legalBasis: '《中华人民共和国招标投标法》第五十三条', sourceDepartment: '太原市住房和城乡建设局', regionCode: '140100', subjectKind: 'organisation', uscc: usccFor(502), subjectName: '山西新记录建设有限公司', title: '新近作出的处罚', decisionNumber: '并建罚〔2026〕3号', decisionDate: '2026-02-22', effectiveFrom: '2026-02-22' },
      cliAuditContext(h.clock.now(), 'test'),
    );
    const after = await h.app.inject({ url, headers: { 'if-none-match': before.headers.etag as string } });
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('新近作出的处罚');
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });

  it('finds an entity by name or USCC with its public facts only', async () => {
    for (const url of [`/entities?q=${encodeURIComponent('晋建建设')}`, `/entities?uscc=${usccFor(601)}`, `/entities?q=${usccFor(601)}`]) {
      const res = await h.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      const b = res.body;
      expect(b).toContain('<h3>山西晋建建设工程有限公司601</h3>');
      expect(b).toContain(`<code>${usccFor(601)}</code>`);
      expect(b).toContain('<dt>法定代表人</dt><dd>王建国</dd>');
      expect(b).toContain('<dt>主体角色</dt><dd>投标人、供应商</dd>');
      expect(b).toContain('<td>建筑工程施工总承包</td><td>一级</td>');
      expect(b).toContain('<td>有效</td>');
      // Never the ID numbers, the contact's phone, the bank account or the key personnel.
      expect(b).not.toContain(idNumberFor(601));
      expect(b).not.toContain('13912345678');
      expect(b).not.toContain('139****5678');
      expect(b).not.toContain('14050110000000000123');
      expect(b).not.toContain('赵工');
    }
    expect((await h.app.inject({ url: '/entities?q=%E6%99%8B' })).statusCode).toBe(400);
    expect((await h.app.inject({ url: `/entities?q=${encodeURIComponent('不存在的公司名称')}` })).body).toContain('未查到');
  });

  it('answers the same lookup as JSON, and refuses a bad query with the field and rule', async () => {
    const res = await h.app.inject({ url: `/api/v1/public/entities?q=${encodeURIComponent('晋建')}` });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ items: Record<string, unknown>[]; more: boolean }>();
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ name: '山西晋建建设工程有限公司601', uscc: usccFor(601), legalRepresentative: '王建国', status: 'active', statusName: '正常', region: { code: '140100' } });
    expect(JSON.stringify(body)).not.toMatch(/idNumber|phone|bank|contacts|keyPersonnel/);
    const bad = await h.app.inject({ url: '/api/v1/public/entities?uscc=12140000405200000J' });
    expect(bad.statusCode).toBe(400);
    expect(problem(bad)).toMatchObject({ field: 'uscc' });
    const both = await h.app.inject({ url: `/api/v1/public/entities?q=abc&uscc=${usccFor(601)}` });
    expect(problem(both)).toMatchObject({ field: 'q', rule: 'one_of' });
  });
});
