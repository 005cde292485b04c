// Tender project registration and acceptance through HTTP: negative cases first, then the code
// issued at acceptance, lot codes, and the first events of the deal's timeline.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, problem, type Harness } from '../../../test/support/harness.ts';
import { isValidDealCode } from '../coding/coding.rules.ts';
import { activeEntity, projectBody, staffOf } from './trading.test-support.ts';

let h: Harness;
let tenderer: Awaited<ReturnType<typeof activeEntity>>;
let agency: Awaited<ReturnType<typeof activeEntity>>;
let bidder: Awaited<ReturnType<typeof activeEntity>>;
let taiyuan: string;
let datong: string;
let supervisor: string;

beforeAll(async () => {
  h = await createHarness();
  tenderer = await activeEntity(h, 11, ['tenderer']);
  agency = await activeEntity(h, 12, ['agency']);
  bidder = await activeEntity(h, 13, ['bidder']);
  taiyuan = await staffOf(h, '140100');
  datong = await staffOf(h, '140200');
  supervisor = await staffOf(h, '140100', 'supervisor');
});
afterAll(async () => h.close());

const send = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: unknown) => h.app.inject({ method, url, headers: bearer(token), payload: payload as object });

describe('registering a tender project', () => {
  it('refuses staff, bidders without the tenderer or agency role, and bad input, naming the field', async () => {
    expect((await send('POST', '/api/v1/trading/projects', taiyuan, projectBody(1))).statusCode).toBe(403);

    const asBidder = await send('POST', '/api/v1/trading/projects', bidder.token, projectBody(1));
    expect(asBidder.statusCode).toBe(400);
    expect(problem(asBidder)).toMatchObject({ field: 'tendererEntityId', rule: 'required' });

    const badPrice = await send('POST', '/api/v1/trading/projects', tenderer.token, projectBody(1, { lots: [{ name: '第一标段', kind: 'construction', estimatedPrice: '0' }] }));
    expect(problem(badPrice)).toMatchObject({ field: 'lots.0.estimatedPrice', rule: 'money' });

    const dupLot = await send('POST', '/api/v1/trading/projects', tenderer.token, projectBody(1, { lots: [{ name: '标段甲', kind: 'construction', estimatedPrice: '1' }, { name: '标段甲', kind: 'goods', estimatedPrice: '2' }] }));
    expect(problem(dupLot)).toMatchObject({ field: 'lots.1.name', rule: 'unique' });

    const outside = await send('POST', '/api/v1/trading/projects', tenderer.token, projectBody(1, { regionCode: '149999' }));
    expect(problem(outside)).toMatchObject({ field: 'regionCode', rule: 'region' });

    const agencyAlone = await send('POST', '/api/v1/trading/projects', agency.token, projectBody(1));
    expect(problem(agencyAlone)).toMatchObject({ field: 'tendererEntityId', rule: 'required' });

    const notTenderer = await send('POST', '/api/v1/trading/projects', agency.token, projectBody(1, { tendererEntityId: bidder.entityId }));
    expect(problem(notTenderer)).toMatchObject({ field: 'tendererEntityId', rule: 'tenderer' });

    const count = await h.deps.db.selectFrom('trading.projects').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('lets an agency register for a tenderer; both see it, nobody else does before publication', async () => {
    const res = await send('POST', '/api/v1/trading/projects', agency.token, projectBody(2, { tendererEntityId: tenderer.entityId }));
    expect(res.statusCode).toBe(201);
    const p = res.json<{ id: string; status: string; dealCode: string | null; tendererEntityId: string; agencyEntityId: string; lots: { estimatedPriceFen: number; lotCode: string | null }[] }>();
    expect(p).toMatchObject({ status: 'draft', dealCode: null, tendererEntityId: tenderer.entityId, agencyEntityId: agency.entityId });
    expect(p.lots.map((l) => l.estimatedPriceFen)).toEqual([1_200_000_000, 350_000_050]);

    expect((await send('GET', `/api/v1/trading/projects/${p.id}`, tenderer.token)).statusCode).toBe(200);
    expect((await send('GET', `/api/v1/trading/projects/${p.id}`, bidder.token)).statusCode).toBe(404);
    // The tenderer reads it but only the registering agency manages it.
    expect((await send('POST', `/api/v1/trading/projects/${p.id}/submit`, tenderer.token)).statusCode).toBe(403);
  });
});

describe('acceptance by the trading centre', () => {
  async function submitted(n: number): Promise<string> {
    const res = await send('POST', '/api/v1/trading/projects', tenderer.token, projectBody(n));
    const id = res.json<{ id: string }>().id;
    const sub = await send('POST', `/api/v1/trading/projects/${id}/submit`, tenderer.token);
    expect(sub.json<{ status: string }>().status).toBe('submitted');
    return id;
  }

  it('refuses a step out of order with the reason, another city, and an entity', async () => {
    const res = await send('POST', '/api/v1/trading/projects', tenderer.token, projectBody(3));
    const id = res.json<{ id: string }>().id;
    const early = await send('POST', `/api/v1/trading/projects/${id}/accept`, taiyuan);
    expect(early.statusCode).toBe(409);
    expect(problem(early).detail).toBe('招标项目当前为「登记中」，不能受理项目；该操作仅在「待受理」时可以进行');
    await send('POST', `/api/v1/trading/projects/${id}/submit`, tenderer.token);
    expect((await send('POST', `/api/v1/trading/projects/${id}/accept`, datong)).statusCode).toBe(404);
    expect((await send('POST', `/api/v1/trading/projects/${id}/accept`, tenderer.token)).statusCode).toBe(403);
    expect((await send('POST', `/api/v1/trading/projects/${id}/accept`, supervisor)).statusCode).toBe(403);
  });

  it('returns with a reason; the tenderer corrects and resubmits', async () => {
    const id = await submitted(4);
    const ret = await send('POST', `/api/v1/trading/projects/${id}/return`, taiyuan, { reason: '缺少项目审批文件' });
    expect(ret.json()).toMatchObject({ status: 'returned', statusReason: '缺少项目审批文件' });
    const fix = await send('PUT', `/api/v1/trading/projects/${id}`, tenderer.token, projectBody(4, { name: '太原市小店区道路改造工程（修订）' }));
    expect(fix.json()).toMatchObject({ status: 'returned', name: '太原市小店区道路改造工程（修订）' });
    expect((await send('POST', `/api/v1/trading/projects/${id}/submit`, tenderer.token)).json()).toMatchObject({ status: 'submitted', statusReason: null });
  });

  it('issues a valid unified deal code and lot codes in the acceptance, and starts the timeline', async () => {
    const id = await submitted(5);
    const res = await send('POST', `/api/v1/trading/projects/${id}/accept`, taiyuan);
    expect(res.statusCode).toBe(200);
    const p = res.json<{ dealCode: string; status: string; lots: { lotCode: string; lotNo: number }[] }>();
    expect(p.status).toBe('accepted');
    expect(isValidDealCode(p.dealCode)).toBe(true);
    expect(p.lots.map((l) => l.lotCode)).toEqual([`${p.dealCode}001`, `${p.dealCode}002`]);

    const again = await send('POST', `/api/v1/trading/projects/${id}/accept`, taiyuan);
    expect(again.statusCode).toBe(409);

    const timeline = await send('GET', `/api/v1/trading/projects/${id}/timeline`, supervisor);
    expect(timeline.statusCode).toBe(200);
    const t = timeline.json<{ dealCode: string; events: { seq: number; type: string; lotCode: string | null }[] }>();
    expect(t.dealCode).toBe(p.dealCode);
    expect(t.events.map((e) => [e.seq, e.type, e.lotCode])).toEqual([
      [1, 'project_accepted', null],
      [2, 'lot_coded', `${p.dealCode}001`],
      [3, 'lot_coded', `${p.dealCode}002`],
    ]);
    expect((await send('GET', `/api/v1/trading/projects/${id}/timeline`, datong)).statusCode).toBe(404);
  });
});
