// Bid securities outside the lot's outcome (招标投标法实施条例 §35): a bid withdrawn before the
// deadline (撤回) gets its security back within 5 days of the withdrawal, without telling anyone
// else who bid; a bid withdrawn after the deadline (撤销: its bidder failed to decrypt it) has its
// security kept or refunded as the tenderer's side decides, once. Negative cases first.

import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, problem, type Harness } from '../../../test/support/harness.ts';
import { bidderWithKeys, sealedBid, upload, type TestBidder } from './trading.bids.test-support.ts';
import { biddingLot, openedLot, recordDownload, staffAccount, type LotFixture, type OpenedLot, type Signed } from './trading.test-support.ts';

let h: Harness;
let staff: Signed;
const DEADLINE = new Date('2026-03-25T01:30:00.000Z');
const ACCOUNT = '14050110000000000123';

beforeAll(async () => {
  h = await createHarness();
  staff = await staffAccount(h, '140100');
});
afterAll(async () => h.close());

const send = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string, payload?: Record<string, unknown>) => h.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
type Releases = { lotStatus: string; items: { bidId: string; bidderEntityId: string; amountFen: number; releasedAt: string; dueOn: string; reason: string }[]; revoked: { bidId: string; bidderEntityId: string; amountFen: number; decision: { decision: string; reason: string; decidedAt: string } | null }[] };
const releases = async (lotId: string, token: string) => (await send('GET', `/api/v1/trading/lots/${lotId}/security-releases`, token)).json<Releases>();

describe('撤回 before the deadline', () => {
  let lot: LotFixture;
  let a: TestBidder;
  let b: TestBidder;

  beforeAll(async () => {
    lot = await biddingLot(h, 1, { bidDeadline: DEADLINE });
    a = await bidderWithKeys(h, 2, 1);
    b = await bidderWithKeys(h, 3, 1);
    for (const who of [a, b]) {
      await recordDownload(h, lot, who.entityId);
      const sealed = await sealedBid(who.keys);
      expect((await upload(h, who.token, lot.lotId, sealed.envelope, sealed.seals)).statusCode).toBe(201);
    }
    expect((await send('POST', `/api/v1/trading/lots/${lot.lotId}/bids/mine/security`, a.token, { form: 'cash', amountFen: 20_000_000, payingAccount: ACCOUNT })).statusCode).toBe(201);
  });

  it('a bidder without a recorded security withdraws and nothing is released', async () => {
    expect((await send('DELETE', `/api/v1/trading/lots/${lot.lotId}/bids/mine`, b.token)).statusCode).toBe(200);
    expect((await releases(lot.lotId, b.token)).items).toEqual([]);
    expect(await h.deps.db.selectFrom('trading.security_releases').selectAll().where('lot_id', '=', lot.lotId).execute()).toEqual([]);
  });

  it('the security is released at the withdrawal, due within 5 days, seen by its bidder alone until the opening', async () => {
    const withdrawn = await send('DELETE', `/api/v1/trading/lots/${lot.lotId}/bids/mine`, a.token);
    expect(withdrawn.statusCode).toBe(200);
    const bidId = withdrawn.json<{ id: string }>().id;
    const own = await releases(lot.lotId, a.token);
    expect(own.items).toEqual([{ bidId, bidderEntityId: a.entityId, amount: '200000.00', amountFen: 20_000_000, releasedAt: h.clock.now().toISOString(), dueOn: expect.stringMatching(/^2026-/), reason: 'withdrawn' }]);
    // Five days counted from the withdrawal's day (China time), the same rule as every refund.
    const days = (Date.parse(own.items[0]!.dueOn) - Date.parse(h.clock.now().toISOString().slice(0, 10))) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(5);
    expect(days).toBeLessThanOrEqual(12);
    // The security is no longer active: a new bid needs a new one.
    expect((await send('GET', `/api/v1/trading/lots/${lot.lotId}/bids/mine`, a.token)).json<{ security: unknown }>().security).toBeNull();
    expect((await h.deps.db.selectFrom('trading.bid_securities').select('status').where('lot_id', '=', lot.lotId).executeTakeFirstOrThrow()).status).toBe('released');

    // Neither the tenderer nor the centre learns who bid (招标投标法 §22).
    expect((await releases(lot.lotId, lot.tenderer.token)).items).toEqual([]);
    expect((await releases(lot.lotId, staff.token)).items).toEqual([]);
    const timeline = (await send('GET', `/api/v1/trading/projects/${lot.projectId}/timeline`, lot.tenderer.token)).json<{ events: { type: string; payload: Record<string, unknown>; actor: unknown }[] }>();
    const types = timeline.events.map((e) => e.type);
    expect(types.lastIndexOf('security_released')).toBeGreaterThan(types.lastIndexOf('bid_withdrawn'));
    const event = timeline.events.find((e) => e.type === 'security_released')!;
    expect(event.payload).toEqual({});
    expect(JSON.stringify(timeline)).not.toContain(a.entityId);
    const forStaff = (await send('GET', `/api/v1/trading/projects/${lot.projectId}/timeline`, staff.token)).json<{ events: { type: string; payload: Record<string, unknown> }[] }>();
    expect(forStaff.events.find((e) => e.type === 'security_released')!.payload).toMatchObject({ bidId, amountFen: 20_000_000, reason: 'withdrawn' });
  });
});

describe('撤销: the tenderer decides on the security of a bid its bidder failed to decrypt', () => {
  let lot: OpenedLot;
  const path = (bidId: string) => `/api/v1/trading/lots/${lot.lotId}/security-releases/${bidId}/decision`;

  beforeAll(async () => {
    lot = await openedLot(h, 10, [{ priceFen: 980_000_000 }, { priceFen: 990_000_000 }, { priceFen: 1, outcome: 'bidder_failed' }, { priceFen: 1, outcome: 'bidder_failed' }]);
  });

  it('refuses the bidders, the centre, another project’s tenderer, a bid that was decrypted, an unknown bid and a bad body', async () => {
    const revoked = lot.results[2]!.bidId;
    expect((await h.app.inject({ method: 'POST', url: path(revoked), payload: { decision: 'keep', reason: '撤销投标' } })).statusCode).toBe(401);
    expect((await send('POST', path(revoked), lot.bidders[2]!.token, { decision: 'refund', reason: '请退还' })).statusCode).toBe(403);
    expect((await send('POST', path(revoked), staff.token, { decision: 'keep', reason: '撤销投标' })).statusCode).toBe(403);
    // Another project's tenderer may read this published lot but not act on it.
    const stranger = await biddingLot(h, 20, { bidDeadline: DEADLINE });
    expect(problem(await send('POST', path(revoked), stranger.tenderer.token, { decision: 'keep', reason: '撤销投标' }))).toMatchObject({ code: 'forbidden' });
    expect(problem(await send('POST', path(lot.results[0]!.bidId), lot.tenderer.token, { decision: 'keep', reason: '撤销投标' }))).toMatchObject({ code: 'conflict', rule: 'not_revoked' });
    expect(problem(await send('POST', path('00000000-0000-4000-8000-000000000000'), lot.tenderer.token, { decision: 'keep', reason: '撤销投标' }))).toMatchObject({ code: 'not_found' });
    expect(problem(await send('POST', path(revoked), lot.tenderer.token, { decision: 'forfeit', reason: '撤销投标' }))).toMatchObject({ code: 'validation_failed', field: 'decision' });
    expect(problem(await send('POST', path(revoked), lot.tenderer.token, { decision: 'keep', reason: '   ' }))).toMatchObject({ code: 'validation_failed', field: 'reason', rule: 'required' });
    expect(problem(await send('POST', path(revoked), lot.tenderer.token, { decision: 'keep', reason: '理'.repeat(501) }))).toMatchObject({ code: 'validation_failed', field: 'reason' });
    // Nothing was recorded by any of these.
    expect(await h.deps.db.selectFrom('trading.security_decisions').selectAll().execute()).toEqual([]);
    const before = await releases(lot.lotId, lot.tenderer.token);
    expect(before.revoked.map((r) => [r.bidId, r.decision])).toEqual([
      [lot.results[2]!.bidId, null],
      [lot.results[3]!.bidId, null],
    ]);
    // A bidder sees only its own.
    expect((await releases(lot.lotId, lot.bidders[2]!.token)).revoked.map((r) => r.bidId)).toEqual([lot.results[2]!.bidId]);
    expect((await releases(lot.lotId, lot.bidders[0]!.token)).revoked).toEqual([]);
  });

  it('keep: recorded once with its reason and event, the security retained and never released; a second decision is refused', async () => {
    const bidId = lot.results[2]!.bidId;
    // The bidder had lodged 120,000.00 yuan in cash.
    const securityId = crypto.randomUUID();
    await h.deps.db.insertInto('trading.bid_securities').values({ id: securityId, lot_id: lot.lotId, bidder_entity_id: lot.bidders[2]!.entityId, bid_id: bidId, form: 'cash', amount_fen: 12_000_000, paying_account_masked: '6222****0001', paying_account_digest: 'f'.repeat(64), guarantee: null, guarantee_signature: null, issuer_id: null, verified: true, status: 'active', submitted_by: lot.bidders[2]!.accountId, submitted_at: h.clock.now() }).execute();
    const kept = await send('POST', path(bidId), lot.tenderer.token, { decision: 'keep', reason: '投标截止后撤销投标文件，依法不予退还' });
    expect(kept.statusCode).toBe(201);
    expect((await h.deps.db.selectFrom('trading.bid_securities').select('status').where('id', '=', securityId).executeTakeFirstOrThrow()).status).toBe('retained');
    expect(kept.json()).toMatchObject({ bidId, bidderEntityId: lot.bidders[2]!.entityId, amountFen: 12_000_000, decision: { decision: 'keep', reason: '投标截止后撤销投标文件，依法不予退还', decidedAt: h.clock.now().toISOString() } });
    expect(problem(await send('POST', path(bidId), lot.tenderer.token, { decision: 'refund', reason: '改为退还' }))).toMatchObject({ code: 'conflict', rule: 'decided' });
    expect((await releases(lot.lotId, lot.bidders[2]!.token)).revoked[0]!.decision).toMatchObject({ decision: 'keep' });
    expect((await releases(lot.lotId, lot.tenderer.token)).items).toEqual([]);
    const events = (await send('GET', `/api/v1/trading/projects/${lot.projectId}/timeline`, staff.token)).json<{ events: { type: string; payload: Record<string, unknown> }[] }>().events;
    expect(events.filter((e) => e.type === 'security_retained').map((e) => e.payload)).toEqual([{ bidId, bidderEntityId: lot.bidders[2]!.entityId, amountFen: 12_000_000, reason: '投标截止后撤销投标文件，依法不予退还' }]);
  });

  it('refund: released like any other, due within the refund period from the decision', async () => {
    const bidId = lot.results[3]!.bidId;
    const refunded = await send('POST', path(bidId), lot.tenderer.token, { decision: 'refund', reason: '投标人因证书故障未能解密，经核实同意退还' });
    expect(refunded.statusCode).toBe(201);
    const view = await releases(lot.lotId, lot.tenderer.token);
    expect(view.items).toEqual([{ bidId, bidderEntityId: lot.bidders[3]!.entityId, amount: '100000.00', amountFen: 10_000_000, releasedAt: h.clock.now().toISOString(), dueOn: expect.any(String), reason: 'tenderer_refund' }]);
    expect(view.revoked.find((r) => r.bidId === bidId)!.decision).toMatchObject({ decision: 'refund' });
    const audit = await h.deps.db.selectFrom('audit.audit_log').select(['target_id', 'detail']).where('action', '=', 'trading.security.decide').orderBy('seq').execute();
    expect(audit.map((a) => [a.target_id, a.detail])).toEqual([
      [lot.results[2]!.bidId, { decision: 'keep' }],
      [bidId, { decision: 'refund' }],
    ]);
  });
});
