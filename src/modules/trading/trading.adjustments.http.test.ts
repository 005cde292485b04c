// 评标价调整 under 经评审的最低投标价法 through HTTP: who may record them, what is refused (each
// field and rule named, nothing stored), the lock once a member confirms, and the report ranking
// by bid price + adjustments. Negative cases first.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, problem, type Harness } from '../../../test/support/harness.ts';
import { parseSignedYuan } from './trading.adjustments.ts';
import { evaluatingLot, expertAccount, openedLot, staffAccount, type OpenedLot, type Panel, type Signed } from './trading.test-support.ts';

let h: Harness;
let staff: Signed;
let lot: OpenedLot;
let panel: Panel;
const LOWEST = { kind: 'lowest_evaluated_price', passFail: [{ id: 'q1', name: '资格条件', category: 'qualification' }] };

beforeAll(async () => {
  h = await createHarness();
  staff = await staffAccount(h, '140100');
  // 9,800,000 / 9,900,000 / 10,000,000 yuan.
  lot = await openedLot(h, 1, [{ priceFen: 980_000_000 }, { priceFen: 990_000_000 }, { priceFen: 1_000_000_000 }]);
  await h.deps.db.updateTable('trading.lots').set({ evaluation_method: JSON.stringify(LOWEST) }).where('id', '=', lot.lotId).execute();
  panel = await evaluatingLot(h, lot.lotId, staff);
});
afterAll(async () => h.close());

const send = (method: 'GET' | 'PUT' | 'POST', url: string, token: string, payload?: unknown) => h.app.inject({ method, url, headers: bearer(token), ...(payload !== undefined ? { payload: payload as object } : {}) });
const url = () => `/api/v1/trading/lots/${lot.lotId}/evaluation/adjustments`;
const member = (i: number) => panel.members[i]!.account.token;
const bid = (i: number) => lot.results[i]!.bidId;
const stored = () => h.deps.db.selectFrom('trading.price_adjustments').selectAll().where('lot_id', '=', lot.lotId).execute();

describe('parseSignedYuan', () => {
  it('reads signed yuan to the fen and refuses anything else', () => {
    expect(parseSignedYuan('+12000')).toBe(1_200_000);
    expect(parseSignedYuan('-3500.5')).toBe(-350_050);
    expect(parseSignedYuan('0.01')).toBe(1);
    for (const bad of ['12,000', '1.234', '--1', '', '01', '1e5']) expect(parseSignedYuan(bad), bad).toBeUndefined();
  });
});

describe('the committee’s price adjustments', () => {
  it('refuses staff, the bidders and the tenderer, and a lot whose method has none', async () => {
    expect((await send('PUT', url(), staff.token, { adjustments: [] })).statusCode).toBe(403);
    expect((await send('PUT', url(), lot.bidders[0]!.token, { adjustments: [] })).statusCode).toBe(403);
    expect((await send('GET', url(), lot.tenderer.token)).statusCode).toBe(403);
    // An expert of another panel: the lot is not disclosed.
    const other = await openedLot(h, 20, [{ priceFen: 980_000_000 }, { priceFen: 990_000_000 }, { priceFen: 1_000_000_000 }]);
    const otherPanel = await evaluatingLot(h, other.lotId, staff);
    const pool = await h.deps.db.selectFrom('experts.experts').select('id').execute();
    const outsider = await expertAccount(h, pool.find((e) => !panel.members.some((m) => m.expertId === e.id))!.id);
    expect((await send('GET', url(), outsider.token)).statusCode).toBe(404);
    expect((await send('PUT', url(), outsider.token, { adjustments: [] })).statusCode).toBe(404);
    // 综合评估法 has no evaluated price.
    const comprehensive = await send('PUT', `/api/v1/trading/lots/${other.lotId}/evaluation/adjustments`, otherPanel.members[0]!.account.token, { adjustments: [{ bidId: other.results[0]!.bidId, amount: '1000', reason: '偏差' }] });
    expect(problem(comprehensive)).toMatchObject({ code: 'conflict', rule: 'not_applicable' });
  });

  it('names the field and rule of each bad adjustment and stores nothing', async () => {
    const bad = await send('PUT', url(), member(0), {
      adjustments: [
        { bidId: '00000000-0000-4000-8000-000000000000', amount: '1000', reason: '偏差' },
        { bidId: bid(0), amount: '12,000', reason: '偏差' },
        { bidId: bid(1), amount: '0', reason: '偏差' },
        { bidId: bid(2), amount: '1000', reason: '  ' },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(problem(bad).errors!.map((e) => [e.field, e.rule])).toEqual([
      ['adjustments.0.bidId', 'unknown_bid'],
      ['adjustments.1.amount', 'money'],
      ['adjustments.2.amount', 'money'],
      ['adjustments.3.reason', 'reason_required'],
    ]);
    // The evaluated price must stay above zero: -9,800,000.00 on a 9,800,000.00 bid is the boundary.
    expect(problem(await send('PUT', url(), member(0), { adjustments: [{ bidId: bid(0), amount: '-9800000', reason: '测试' }] }))).toMatchObject({ field: 'adjustments', rule: 'evaluated_price' });
    expect(problem(await send('PUT', url(), member(0), { adjustments: [{ bidId: bid(0), amount: '12000', reason: '偏差', extra: 1 }] }))).toMatchObject({ code: 'validation_failed' });
    expect(await stored()).toEqual([]);
  });

  it('records and replaces the set, by seat on the timeline; every member sees it', async () => {
    const first = await send('PUT', url(), member(0), { adjustments: [{ bidId: bid(0), amount: '+300000', reason: '工期偏差：按招标文件第 3.2 条每延长 10 天加价 10 万元' }] });
    expect(first.statusCode, first.body).toBe(200);
    const set = { adjustments: [
      { bidId: bid(0), amount: '+300000', reason: '工期偏差：按招标文件第 3.2 条每延长 10 天加价 10 万元' },
      { bidId: bid(1), amount: '-50000.50', reason: '付款条件优于招标文件：按第 3.4 条折算' },
    ] };
    const second = await send('PUT', url(), member(1), set);
    expect(second.json()).toEqual({ items: [
      { seq: 1, bidId: bid(0), amount: '300000.00', amountFen: 30_000_000, reason: set.adjustments[0]!.reason, recordedAt: h.clock.now().toISOString() },
      { seq: 2, bidId: bid(1), amount: '-50000.50', amountFen: -5_000_050, reason: set.adjustments[1]!.reason, recordedAt: h.clock.now().toISOString() },
    ] });
    expect((await send('GET', url(), member(4))).json<{ items: unknown[] }>().items).toHaveLength(2);
    const events = (await send('GET', `/api/v1/trading/projects/${lot.projectId}/timeline`, staff.token)).json<{ events: { type: string; actor: { name: string } | null; payload: Record<string, unknown> }[] }>().events.filter((e) => e.type === 'price_adjusted');
    expect(events.map((e) => [e.actor?.name, e.payload])).toEqual([
      ['评标委员会成员（1 号席位）', { adjustments: 1, bids: 1 }],
      ['评标委员会成员（2 号席位）', { adjustments: 2, bids: 2 }],
    ]);
  });

  it('locks once a member confirms; the report ranks by the evaluated price', async () => {
    const sheet = { marks: lot.results.map((r) => ({ bidId: r.bidId, criterionId: 'q1', pass: true })), rejections: [] };
    for (const [i, m] of panel.members.entries()) {
      expect((await send('PUT', `/api/v1/trading/lots/${lot.lotId}/scores/mine`, m.account.token, sheet)).statusCode).toBe(200);
      expect((await send('POST', `/api/v1/trading/lots/${lot.lotId}/scores/mine/confirm`, m.account.token)).statusCode).toBe(200);
      if (i === 0) expect(problem(await send('PUT', url(), member(1), { adjustments: [] }))).toMatchObject({ code: 'conflict', rule: 'sheets_confirmed' });
    }
    expect(await stored()).toHaveLength(2);
    const report = await send('POST', `/api/v1/trading/lots/${lot.lotId}/evaluation/report`, staff.token);
    expect(report.statusCode, report.body).toBe(200);
    const r = report.json<{ report: { candidates: { bidId: string; rank: number }[]; bids: { bidId: string; evaluatedPriceFen: number; adjustments: unknown[] }[] } }>().report;
    // 9,800,000 + 300,000 = 10,100,000; 9,900,000 − 50,000.50 = 9,849,999.50; 10,000,000.
    expect(Object.fromEntries(r.bids.map((b) => [b.bidId, b.evaluatedPriceFen]))).toEqual({ [bid(0)]: 1_010_000_000, [bid(1)]: 984_999_950, [bid(2)]: 1_000_000_000 });
    expect(r.candidates.map((c) => c.bidId)).toEqual([bid(1), bid(2), bid(0)]);
    // After the report nothing changes any more.
    expect(problem(await send('PUT', url(), member(0), { adjustments: [] }))).toMatchObject({ code: 'conflict' });
  });
});
