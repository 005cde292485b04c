// The deadline and the online opening, end to end through HTTP and the sweep: a lot with fewer
// than three bids fails with a signed notice; a lot with three opens for decryption, a wrong key
// three times or no key by the end of the window counts as 撤销 (still counted), and the signed
// opening record is published only when decryption ends.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, problem, type Harness } from '../../../test/support/harness.ts';
import { DOCUMENT_SIGNATURE_CONTEXT, verifyDocument } from '../../platform/documents/signature.ts';
import { buildBidPackage } from './bid-package.ts';
import { bidderWithKeys, sealedBid, upload, type TestBidder } from './trading.bids.test-support.ts';
import { securityRefundDue } from './trading.schedule.ts';
import { sweepDue } from './trading.sweep.ts';
import { activeEntity, publishedProject, SCHEDULE, staffAccount, travel, type Published, type Signed } from './trading.test-support.ts';

let h: Harness;
let staff: Signed;
let owner: Awaited<ReturnType<typeof activeEntity>>;
let bidders: TestBidder[];
let p: Published;
const fileKeys = new Map<string, Buffer>();
const DEADLINE = new Date(SCHEDULE.bidDeadline);
const CLOSES = new Date(DEADLINE.getTime() + SCHEDULE.decryptionMinutes * 60_000);

const get = (url: string, token: string) => h.app.inject({ method: 'GET', url, headers: bearer(token) });
const everyone = () => [staff, owner, ...bidders];

beforeAll(async () => {
  h = await createHarness();
  staff = await staffAccount(h, '140100');
  owner = await activeEntity(h, 40, ['tenderer']);
  bidders = [await bidderWithKeys(h, 41, 1), await bidderWithKeys(h, 42, 1), await bidderWithKeys(h, 43, 1)];
  p = await publishedProject(h, 40, { owner, centre: staff });
  await travel(h, '2026-03-05T02:00:00.000Z', ...everyone());
  // Lot 1 gets three bids, lot 2 only two.
  for (const [i, b] of bidders.entries()) {
    const pkg = buildBidPackage({ priceFen: 1_150_000_000 + i * 10_000_000, durationDays: 180 + i, projectManager: `项目经理${i + 1}` }, [{ name: '投标文件.pdf', mediaType: 'application/pdf', bytes: Buffer.from(`%PDF-1.7 投标人 ${i + 1}`) }], { name: 'ggzy-test', version: '1' }, h.clock.now());
    for (const lot of i < 2 ? p.lots : p.lots.slice(0, 1)) {
      const sealed = await sealedBid(b.keys, pkg);
      h.clock.advance(1000);
      const res = await upload(h, b.token, lot.id, sealed.envelope, sealed.seals);
      if (res.statusCode !== 201) throw new Error(res.body);
      fileKeys.set(`${b.entityId}:${lot.id}`, sealed.fileKey);
    }
  }
});
afterAll(async () => h.close());

describe('at the bid deadline', () => {
  it('does nothing a millisecond before the deadline', async () => {
    await travel(h, DEADLINE.getTime() - 1, ...everyone());
    expect(await sweepDue(h.deps, h.clock.now())).toEqual({ closed: 0, opened: 0 });
    expect((await get(`/api/v1/trading/projects/${p.id}`, staff.token)).json()).toMatchObject({ status: 'bidding' });
  });

  it('fails a lot with fewer than 3 bids (signed notice) and opens the other for decryption', async () => {
    await travel(h, DEADLINE, ...everyone());
    expect(await sweepDue(h.deps, h.clock.now())).toEqual({ closed: 1, opened: 0 });
    const project = (await get(`/api/v1/trading/projects/${p.id}`, staff.token)).json<{ status: string; lots: { status: string; statusReason: string | null }[] }>();
    expect(project.status).toBe('after_deadline');
    expect(project.lots.map((l) => l.status)).toEqual(['decrypting', 'failed']);
    expect(project.lots[1]!.statusReason).toContain('2 个');

    const notice = await h.deps.db.selectFrom('trading.notices').selectAll().where('project_id', '=', p.id).where('kind', '=', 'failure').executeTakeFirstOrThrow();
    const pdf = (await h.deps.blobs.get(notice.document_digest!))!;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const sig = { algorithm: 'SM2-SM3' as const, context: DOCUMENT_SIGNATURE_CONTEXT as typeof DOCUMENT_SIGNATURE_CONTEXT, sm3: notice.document_digest!, signature: notice.signature!, publicKey: h.deps.keys.platformSm2.publicKey };
    expect(verifyDocument(pdf, sig, h.deps.keys.platformSm2.publicKey)).toBe(true);

    // Nothing is opened, so the two bids' securities go back, due 5 days after the deadline;
    // staff see both, each bidder its own, and a bidder without a bid in the lot none.
    const failed = p.lots[1]!.id;
    const required = (await h.deps.db.selectFrom('trading.lots').select('bid_security_fen').where('id', '=', failed).executeTakeFirstOrThrow()).bid_security_fen;
    expect(required).toBeGreaterThan(0);
    const releases = (await get(`/api/v1/trading/lots/${failed}/security-releases`, staff.token)).json<{ lotStatus: string; items: { bidderEntityId: string; amountFen: number; releasedAt: string; dueOn: string }[] }>();
    expect(releases.lotStatus).toBe('failed');
    expect(releases.items.map((r) => r.bidderEntityId).sort()).toEqual([bidders[0]!.entityId, bidders[1]!.entityId].sort());
    expect(releases.items.every((r) => r.amountFen === required && r.releasedAt === DEADLINE.toISOString() && r.dueOn === securityRefundDue(DEADLINE).lastDay)).toBe(true);
    const own = (await get(`/api/v1/trading/lots/${failed}/security-releases`, bidders[0]!.token)).json<{ items: { bidderEntityId: string }[] }>();
    expect(own.items.map((r) => r.bidderEntityId)).toEqual([bidders[0]!.entityId]);
    expect((await get(`/api/v1/trading/lots/${failed}/security-releases`, bidders[2]!.token)).json<{ items: unknown[] }>().items).toEqual([]);
    expect((await get(`/api/v1/trading/lots/${p.lots[0]!.id}/security-releases`, staff.token)).json<{ items: unknown[] }>().items).toEqual([]);
    const lotCode = (await h.deps.db.selectFrom('trading.lots').select('lot_code').where('id', '=', failed).executeTakeFirstOrThrow()).lot_code;
    const events = await h.deps.db.selectFrom('platform.deal_events').select(['type', 'occurred_at']).where('lot_code', '=', lotCode).orderBy('seq').execute();
    expect(events.map((e) => e.type)).toEqual(['lot_coded', 'bid_submitted', 'bid_submitted', 'tender_failed', 'security_released', 'security_released']);
    expect(events.slice(3).every((e) => e.occurred_at.getTime() === DEADLINE.getTime())).toBe(true);

    // A second sweep (another node, or the next round) changes nothing.
    expect(await sweepDue(h.deps, h.clock.now())).toEqual({ closed: 0, opened: 0 });
    expect(await h.deps.db.selectFrom('trading.security_releases').select('bid_id').where('lot_id', '=', failed).execute()).toHaveLength(2);
  });
});

describe('decryption', () => {
  const decrypt = (b: TestBidder, fileKey: Buffer) => h.app.inject({ method: 'POST', url: `/api/v1/trading/lots/${p.lots[0]!.id}/bids/mine/decrypt`, headers: bearer(b.token), payload: { fileKey: fileKey.toString('hex') } });

  it('takes the right key, counts three wrong keys as 撤销, and keeps the record back until the end', async () => {
    await travel(h, DEADLINE.getTime() + 5 * 60_000, ...everyone());
    const [a, b] = bidders as [TestBidder, TestBidder, TestBidder];
    const ok = await decrypt(a, fileKeys.get(`${a.entityId}:${p.lots[0]!.id}`)!);
    expect(ok.json()).toMatchObject({ outcome: 'decrypted' });
    const wrong = Buffer.alloc(16, 9);
    expect(problem(await decrypt(b, wrong))).toMatchObject({ rule: 'file_key_commitment' });
    await decrypt(b, wrong);
    const third = await decrypt(b, wrong);
    expect(problem(third).detail).toContain('撤销');
    // The third bidder has not decrypted: the window is still open, nothing is published.
    expect(await sweepDue(h.deps, h.clock.now())).toEqual({ closed: 0, opened: 0 });
    const t = (await get(`/api/v1/trading/projects/${p.id}/timeline`, owner.token)).json<{ events: { type: string; payload: Record<string, unknown> }[] }>();
    expect(t.events.some((e) => e.type === 'opening_published')).toBe(false);
  });

  it('ends at the window: the still-sealed bid is 撤销, the signed opening record lists every bid', async () => {
    await travel(h, CLOSES.getTime() - 1, ...everyone());
    expect((await sweepDue(h.deps, h.clock.now())).opened).toBe(0);
    await travel(h, CLOSES, ...everyone());
    expect(await sweepDue(h.deps, h.clock.now())).toEqual({ closed: 0, opened: 1 });

    const results = await h.deps.db.selectFrom('trading.opening_results').select(['bidder_entity_id', 'outcome', 'price_fen']).where('lot_id', '=', p.lots[0]!.id).orderBy('received_at').execute();
    expect(results).toEqual([
      { bidder_entity_id: bidders[0]!.entityId, outcome: 'decrypted', price_fen: 1_150_000_000 },
      { bidder_entity_id: bidders[1]!.entityId, outcome: 'bidder_failed', price_fen: null },
      { bidder_entity_id: bidders[2]!.entityId, outcome: 'bidder_failed', price_fen: null },
    ]);
    const opening = await h.deps.db.selectFrom('trading.openings').selectAll().where('lot_id', '=', p.lots[0]!.id).executeTakeFirstOrThrow();
    expect(opening.ended_at).toEqual(CLOSES);
    const record = opening.record as { bids: { outcome: string; price: string | null; items: Record<string, string> }[] };
    expect(record.bids.map((b) => [b.outcome, b.price, b.items['工期（日历天）'] ?? null])).toEqual([
      ['decrypted', '11500000.00', '180'],
      ['bidder_failed', null, null],
      ['bidder_failed', null, null],
    ]);
    const pdf = (await h.deps.blobs.get(opening.document_digest!))!;
    expect(verifyDocument(pdf, { algorithm: 'SM2-SM3', context: DOCUMENT_SIGNATURE_CONTEXT, sm3: opening.document_digest!, signature: opening.signature!, publicKey: h.deps.keys.platformSm2.publicKey }, h.deps.keys.platformSm2.publicKey)).toBe(true);

    const lot = (await get(`/api/v1/trading/projects/${p.id}`, staff.token)).json<{ lots: { status: string }[] }>().lots[0]!;
    expect(lot.status).toBe('opened');
    // After the opening the tenderer sees who bid.
    const t = (await get(`/api/v1/trading/projects/${p.id}/timeline`, owner.token)).json<{ events: { type: string; lotCode: string | null; payload: Record<string, unknown> }[] }>();
    const types = t.events.map((e) => e.type);
    expect(types).toContain('deadline_reached');
    expect(types.filter((e) => e === 'bid_submitted')).toHaveLength(5);
    expect(t.events.find((e) => e.type === 'bid_submitted')!.payload.entityId).toBeDefined();
    expect(types.slice(-1)).toEqual(['opening_published']);
    expect(t.events.filter((e) => e.type === 'bid_decryption_failed')).toHaveLength(2);
  });

  it('refuses decryption once the window is over', async () => {
    const res = await decrypt(bidders[2]!, fileKeys.get(`${bidders[2]!.entityId}:${p.lots[0]!.id}`)!);
    expect(res.statusCode).toBe(409);
  });
});
