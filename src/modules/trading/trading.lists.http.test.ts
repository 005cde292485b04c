// Screens that know less than a project: a lot found by its id alone (a link, a bookmark), and a
// bidder's own bids across lots (我的投标). Negative cases first: who may not see what.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, problem, signedInAs, type Harness } from '../../../test/support/harness.ts';
import { bidderWithKeys, sealedBid, upload, type TestBidder } from './trading.bids.test-support.ts';
import { biddingLot, recordDownload, staffOf, type LotFixture } from './trading.test-support.ts';

let h: Harness;
let first: LotFixture;
let second: LotFixture;
let hidden: LotFixture;
let a: TestBidder;
let b: TestBidder;
const DEADLINE = new Date('2026-03-25T01:30:00.000Z');

beforeAll(async () => {
  h = await createHarness();
  first = await biddingLot(h, 1, { bidDeadline: DEADLINE });
  second = await biddingLot(h, 2, { bidDeadline: DEADLINE, regionCode: '140200' });
  // Accepted but not yet published: only its parties and the centre know of it.
  hidden = await biddingLot(h, 3, { bidDeadline: DEADLINE, projectStatus: 'accepted', lotStatus: 'pending' });
  a = await bidderWithKeys(h, 4, 1);
  b = await bidderWithKeys(h, 5, 1);
  for (const lot of [first, second]) for (const who of [a, b]) await recordDownload(h, lot, who.entityId);
});
afterAll(async () => h.close());

const get = (url: string, token: string) => h.app.inject({ method: 'GET', url, headers: bearer(token) });

describe('GET /api/v1/trading/lots/:id', () => {
  it('401 without a session; 404 for an unknown lot, for a lot of an unpublished project to a bidder, and out of a staff member’s region', async () => {
    expect((await h.app.inject({ method: 'GET', url: `/api/v1/trading/lots/${first.lotId}` })).statusCode).toBe(401);
    expect(problem(await get('/api/v1/trading/lots/00000000-0000-4000-8000-000000000000', a.token))).toMatchObject({ code: 'not_found', detail: expect.stringContaining('标段') });
    expect(problem(await get('/api/v1/trading/lots/not-a-uuid', a.token))).toMatchObject({ code: 'validation_failed', field: 'id', rule: 'format' });
    // The same answer whether the lot exists or not: its existence is not disclosed.
    expect(problem(await get(`/api/v1/trading/lots/${hidden.lotId}`, a.token))).toMatchObject({ code: 'not_found', detail: expect.stringContaining('标段') });
    const datong = await staffOf(h, '140200');
    expect((await get(`/api/v1/trading/lots/${first.lotId}`, datong)).statusCode).toBe(404);
    const nobody = await signedInAs(h, { roles: [] });
    expect((await get(`/api/v1/trading/lots/${first.lotId}`, nobody.token)).statusCode).toBe(403);
  });

  it('answers the lot’s project with all its lots to a bidder, a party and the region’s staff', async () => {
    const bidder = await get(`/api/v1/trading/lots/${first.lotId}`, a.token);
    expect(bidder.statusCode).toBe(200);
    expect(bidder.json()).toMatchObject({ lotId: first.lotId, project: { id: first.projectId, dealCode: first.dealCode, lots: [{ id: first.lotId, lotCode: first.lotCode }] } });
    expect((await get(`/api/v1/trading/lots/${hidden.lotId}`, hidden.tenderer.token)).json()).toMatchObject({ project: { id: hidden.projectId } });
    const taiyuan = await staffOf(h, '140100');
    expect((await get(`/api/v1/trading/lots/${hidden.lotId}`, taiyuan)).json()).toMatchObject({ project: { id: hidden.projectId } });
  });
});

describe('GET /api/v1/trading/bids/mine', () => {
  it('401 without a session, 403 for staff (no entity, no bids), 400 for a bad page', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/trading/bids/mine' })).statusCode).toBe(401);
    expect(problem(await get('/api/v1/trading/bids/mine', await staffOf(h, '140100')))).toMatchObject({ code: 'forbidden' });
    expect(problem(await get('/api/v1/trading/bids/mine?pageSize=1000', a.token))).toMatchObject({ code: 'validation_failed', field: 'pageSize' });
    expect(problem(await get('/api/v1/trading/bids/mine?extra=1', a.token))).toMatchObject({ code: 'validation_failed' });
  });

  it('lists per lot the latest attempt, newest first, only the caller’s own, paged with the total', async () => {
    expect((await get('/api/v1/trading/bids/mine', a.token)).json()).toEqual({ items: [], total: 0, page: 1, pageSize: 20 });
    const put = async (who: TestBidder, lot: LotFixture) => {
      const sealed = await sealedBid(who.keys);
      const res = await upload(h, who.token, lot.lotId, sealed.envelope, sealed.seals);
      expect(res.statusCode).toBe(201);
      return res.json<{ bid: { id: string } }>().bid.id;
    };
    await put(a, first);
    h.clock.advance(60_000);
    const replacement = await put(a, first);
    h.clock.advance(60_000);
    await put(a, second);
    h.clock.advance(60_000);
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/trading/lots/${second.lotId}/bids/mine`, headers: bearer(a.token) })).statusCode).toBe(200);
    const other = await put(b, first);

    const list = (await get('/api/v1/trading/bids/mine', a.token)).json<{ items: { projectId: string; projectName: string; lotName: string; lotStatus: string; bidDeadline: string; bid: Record<string, unknown> }[]; total: number }>();
    expect(list.total).toBe(2);
    expect(list.items.map((i) => [i.projectId, i.bid.status, i.bid.attempt])).toEqual([
      [second.projectId, 'withdrawn', 1],
      [first.projectId, 'received', 2],
    ]);
    expect(list.items[1]).toMatchObject({ projectName: '太原市测试道路改造工程1', lotName: '第一标段', lotStatus: 'bidding', lotStatusName: expect.any(String), bidDeadline: DEADLINE.toISOString(), bid: { id: replacement, dealCode: first.dealCode, lotCode: first.lotCode } });
    // Nothing that opens the bid: no seals, no file key.
    expect(Object.keys(list.items[1]!.bid)).not.toContain('seals');
    expect(JSON.stringify(list)).not.toContain(other);

    const page2 = (await get('/api/v1/trading/bids/mine?page=2&pageSize=1', a.token)).json<{ items: { bid: { id: string } }[]; total: number; page: number }>();
    expect(page2).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(page2.items.map((i) => i.bid.id)).toEqual([replacement]);
    expect((await get('/api/v1/trading/bids/mine', b.token)).json()).toMatchObject({ total: 1, items: [{ bid: { id: other } }] });
  });
});
