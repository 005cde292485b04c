// The bid box through HTTP: access, refusal of unencrypted and malformed files, the deadline to
// the millisecond, replacement, withdrawal, receipts, and what staff see before the opening.

import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, problem, signedInAs, signIn, type Harness } from '../../../test/support/harness.ts';
import { sm3Hex } from '../../platform/crypto/sm3.ts';
import { framePrefix, MAGIC } from './bid-envelope.ts';
import { bidderWithKeys, sealedBid, sealsHeader, upload, type TestBidder } from './trading.bids.test-support.ts';
import { verifyReceipt } from './trading.bids.rules.ts';
import { biddingLot, type LotFixture } from './trading.test-support.ts';

let h: Harness;
let lot: LotFixture;
let a: TestBidder;
let b: TestBidder;
// 09:30:00 CST on 25 March 2026.
const DEADLINE = new Date('2026-03-25T01:30:00.000Z');

beforeAll(async () => {
  h = await createHarness();
  lot = await biddingLot(h, 1, { bidDeadline: DEADLINE });
  a = await bidderWithKeys(h, 2);
  b = await bidderWithKeys(h, 3);
});
afterAll(async () => h.close());

/** Sessions end after 30 idle minutes: sign the bidders in again after the clock jumps. */
async function jumpTo(t: Date | number): Promise<void> {
  h.clock.set(t);
  a.token = (await signIn(h, a.username)).token;
  b.token = (await signIn(h, b.username)).token;
}

const mine = (token: string, lotId = lot.lotId) => h.app.inject({ method: 'GET', url: `/api/v1/trading/lots/${lotId}/bids/mine`, headers: bearer(token) });
const rowsOf = (entityId: string) => h.deps.db.selectFrom('trading.bids').selectAll().where('bidder_entity_id', '=', entityId).orderBy('attempt').execute();

describe('access', () => {
  it('401 without a session, 403 for a staff account', async () => {
    const sealed = await sealedBid(a.keys);
    const anon = await h.app.inject({ method: 'PUT', url: `/api/v1/trading/lots/${lot.lotId}/bids/mine`, headers: { 'content-type': 'application/octet-stream' }, payload: sealed.envelope });
    expect(anon.statusCode).toBe(401);
    const staff = await signedInAs(h, { roles: [{ code: 'centre_staff', scope: 'province' }] });
    const res = await upload(h, staff.token, lot.lotId, sealed.envelope, sealed.seals);
    expect(res.statusCode).toBe(403);
    expect((await mine(staff.token)).statusCode).toBe(403);
  });

  it('refuses seals that are not the bidder’s own keys, and a missing seal header', async () => {
    const sealed = await sealedBid(b.keys);
    const foreign = await upload(h, a.token, lot.lotId, sealed.envelope, sealed.seals);
    expect(foreign.statusCode).toBe(400);
    expect(problem(foreign).rule).toBe('sealing_key_unknown');
    const none = await h.app.inject({ method: 'PUT', url: `/api/v1/trading/lots/${lot.lotId}/bids/mine`, headers: { ...bearer(a.token), 'content-type': 'application/octet-stream' }, payload: sealed.envelope });
    expect(problem(none)).toMatchObject({ field: 'headers.x-bid-seals', rule: 'required' });
  });

  it('refuses a bidder that has not downloaded the tender documents', async () => {
    const c = await bidderWithKeys(h, 9, 1);
    const sealed = await sealedBid(c.keys);
    const res = await h.app.inject({ method: 'PUT', url: `/api/v1/trading/lots/${lot.lotId}/bids/mine`, headers: { ...bearer(c.token), 'content-type': 'application/octet-stream', 'x-bid-seals': sealsHeader(sealed.seals) }, payload: sealed.envelope });
    expect(res.statusCode).toBe(403);
    expect(problem(res)).toMatchObject({ rule: 'documents_downloaded' });
  });

  it('requires a seal for every active key (losing one key must not strand the bid)', async () => {
    const sealed = await sealedBid(a.keys);
    const res = await upload(h, a.token, lot.lotId, sealed.envelope, sealed.seals.slice(0, 1));
    expect(res.statusCode).toBe(400);
    expect(problem(res).rule).toBe('seal_missing');
    expect(problem(res).detail).toContain('备用密钥1');
  });

  it('404 for an unknown lot; a tenderer cannot bid on its own project', async () => {
    const sealed = await sealedBid(a.keys);
    expect((await upload(h, a.token, '00000000-0000-4000-8000-000000000000', sealed.envelope, sealed.seals)).statusCode).toBe(404);
    const own = await biddingLot(h, 9, { bidDeadline: DEADLINE, tenderer: a });
    const res = await upload(h, a.token, own.lotId, sealed.envelope, sealed.seals);
    expect(res.statusCode).toBe(403);
    expect(problem(res).rule).toBe('own_project');
  });
});

describe('the envelope is checked as it streams in', () => {
  it('refuses an unencrypted file (400 naming the rule) and records no received bid', async () => {
    const res = await upload(h, a.token, lot.lotId, Buffer.from('%PDF-1.7 投标文件正文'), (await sealedBid(a.keys)).seals);
    expect(res.statusCode).toBe(400);
    expect(problem(res)).toMatchObject({ field: 'body', rule: 'envelope_magic' });
    const rows = await rowsOf(a.entityId);
    expect(rows.at(-1)).toMatchObject({ status: 'incomplete', failure_reason: 'malformed', blob_digest: null });
  });

  it('refuses a malformed header: extra members (a file name), bad JSON, wrong algorithm', async () => {
    const { seals } = await sealedBid(a.keys);
    const frame = (json: string) => {
      const header = Buffer.from(json);
      const len = Buffer.alloc(4);
      len.writeUInt32BE(header.length);
      return Buffer.concat([MAGIC, len, header, Buffer.alloc(32)]);
    };
    const good = JSON.parse(framePrefix({ v: 1, alg: 'SM4-CTR/HMAC-SM3', iv: '00'.repeat(16), commitKey: a.keys[0]!.publicKey, contentLength: 0 }).subarray(12).toString()) as Record<string, unknown>;
    for (const json of [JSON.stringify({ ...good, fileName: '投标文件.pdf' }), '{not json', JSON.stringify({ ...good, alg: 'SM4-CBC' }), JSON.stringify({ ...good, commitKey: '04' + '11'.repeat(64) })]) {
      const res = await upload(h, a.token, lot.lotId, frame(json), seals);
      expect(res.statusCode, json).toBe(400);
      expect(problem(res).rule).toBe('envelope_header');
    }
  });

  it('refuses a file shorter or longer than its header says, and one larger than the limit', async () => {
    const sealed = await sealedBid(a.keys);
    const short = await upload(h, a.token, lot.lotId, sealed.envelope.subarray(0, sealed.envelope.length - 1), sealed.seals);
    expect(problem(short).rule).toBe('envelope_length');
    const long = await upload(h, a.token, lot.lotId, Buffer.concat([sealed.envelope, Buffer.of(0)]), sealed.seals);
    expect(problem(long).rule).toBe('envelope_length');
    const huge = Buffer.concat([framePrefix({ v: 1, alg: 'SM4-CTR/HMAC-SM3', iv: '00'.repeat(16), commitKey: a.keys[0]!.publicKey, contentLength: 300 * 1024 * 1024 }), Buffer.alloc(10)]);
    const res = await upload(h, a.token, lot.lotId, huge, sealed.seals);
    expect(res.statusCode).toBe(400);
    expect(problem(res).detail).toContain('200 MB');
    expect((await mine(a.token)).json<{ bid: unknown }>().bid).toBeNull();
  });
});

describe('receipts, replacement and withdrawal', () => {
  it('receives a bid and returns a receipt signed by the platform key, checkable by anyone', async () => {
    const sealed = await sealedBid(a.keys);
    const res = await upload(h, a.token, lot.lotId, sealed.envelope, sealed.seals);
    expect(res.statusCode).toBe(201);
    const body = res.json<{ receipt: Record<string, unknown> & { bidId: string }; signature: string; bid: { status: string } }>();
    expect(body.receipt).toMatchObject({ dealCode: lot.dealCode, lotCode: lot.lotCode, bidder: { entityId: a.entityId, name: a.name }, sm3: sm3Hex(sealed.envelope), size: sealed.envelope.length, receivedAt: h.clock.now().toISOString() });
    expect(body.bid.status).toBe('received');
    expect(await h.deps.blobs.get(sm3Hex(sealed.envelope))).toEqual(sealed.envelope);

    const key = (await h.app.inject({ method: 'GET', url: '/api/v1/public/platform-key' })).json<{ publicKey: string }>();
    expect(key.publicKey).toBe(h.deps.keys.platformSm2.publicKey);
    expect(verifyReceipt(body.receipt, body.signature, key.publicKey)).toBe(true);
    const check = (receipt: unknown) => h.app.inject({ method: 'POST', url: '/api/v1/public/receipts/verify', payload: { receipt, signature: body.signature } });
    expect((await check(body.receipt)).json()).toEqual({ valid: true });
    expect((await check({ ...body.receipt, receivedAt: '2026-03-01T00:00:00.000Z' })).json()).toEqual({ valid: false });

    const view = (await mine(a.token)).json<{ bid: { id: string }; seals: { sealingKeyId: string; sealedKey: string }[] }>();
    expect(view.bid.id).toBe(body.receipt.bidId);
    expect(view.seals.map((s) => s.sealingKeyId).sort()).toEqual(a.keys.map((k) => k.id).sort());
    // Another bidder sees only its own (none).
    expect((await mine(b.token)).json<{ bid: unknown; attempts: unknown[] }>()).toMatchObject({ bid: null, attempts: [] });
  });

  it('a second upload replaces the first; at most one stands', async () => {
    const first = (await mine(a.token)).json<{ bid: { id: string } }>().bid.id;
    h.clock.advance(60_000);
    const sealed = await sealedBid(a.keys, Buffer.from('修正后的投标文件'));
    const res = await upload(h, a.token, lot.lotId, sealed.envelope, sealed.seals);
    expect(res.statusCode).toBe(201);
    const body = res.json<{ replacedBidId: string; receipt: { attempt: number } }>();
    expect(body.replacedBidId).toBe(first);
    const rows = await rowsOf(a.entityId);
    expect(rows.filter((r) => r.status === 'received')).toHaveLength(1);
    expect(rows.find((r) => r.id === first)!.status).toBe('replaced');
    expect(body.receipt.attempt).toBe(rows.length);
  });

  it('another bidder cannot withdraw or see it; the bidder withdraws before the deadline', async () => {
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/trading/lots/${lot.lotId}/bids/mine`, headers: bearer(b.token) })).statusCode).toBe(404);
    const res = await h.app.inject({ method: 'DELETE', url: `/api/v1/trading/lots/${lot.lotId}/bids/mine`, headers: bearer(a.token) });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ status: string }>().status).toBe('withdrawn');
    expect((await mine(a.token)).json<{ bid: unknown }>().bid).toBeNull();
  });
});

describe('the deadline is an instant', () => {
  it('a bid completed at 09:29:59.999 is on time; one at 09:30:00.000 is refused (409 naming the deadline)', async () => {
    const sealed = await sealedBid(b.keys);
    await jumpTo(DEADLINE.getTime() - 1);
    const onTime = await upload(h, b.token, lot.lotId, sealed.envelope, sealed.seals);
    expect(onTime.statusCode).toBe(201);
    expect(onTime.json<{ receipt: { receivedAt: string } }>().receipt.receivedAt).toBe('2026-03-25T01:29:59.999Z');
    h.clock.set(DEADLINE);
    const late = await upload(h, b.token, lot.lotId, sealed.envelope, sealed.seals);
    expect(late.statusCode).toBe(409);
    expect(problem(late)).toMatchObject({ rule: 'deadline_passed', bidDeadline: DEADLINE.toISOString() });
    const withdraw = await h.app.inject({ method: 'DELETE', url: `/api/v1/trading/lots/${lot.lotId}/bids/mine`, headers: bearer(b.token) });
    expect(withdraw.statusCode).toBe(409);
  });

  it('an upload that started in time but completes at the deadline counts as not received', async () => {
    const other = await biddingLot(h, 11, { bidDeadline: new Date(DEADLINE.getTime() + 3_600_000) });
    await jumpTo(DEADLINE.getTime() + 3_600_000 - 5_000);
    const sealed = await sealedBid(a.keys, Buffer.alloc(200_000, 7));
    const clock = h.clock;
    // The last chunk arrives when the deadline has come.
    const body = Readable.from(
      (async function* () {
        yield sealed.envelope.subarray(0, 100_000);
        clock.set(DEADLINE.getTime() + 3_600_000);
        yield sealed.envelope.subarray(100_000);
      })(),
    );
    const res = await upload(h, a.token, other.lotId, body, sealed.seals);
    expect(res.statusCode).toBe(409);
    expect(problem(res).rule).toBe('deadline_passed');
    const row = await h.deps.db.selectFrom('trading.bids').selectAll().where('lot_id', '=', other.lotId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'incomplete', failure_reason: 'late', blob_digest: null });
    expect(await h.deps.blobs.has(sm3Hex(sealed.envelope))).toBe(false);
  });
});

describe('what staff see', () => {
  it('before the opening only the count and arrival times; after decryption ends, the bidders', async () => {
    const staff = await signedInAs(h, { roles: [{ code: 'centre_staff', scope: 'province' }] });
    const before = await h.app.inject({ method: 'GET', url: `/api/v1/trading/lots/${lot.lotId}/bids`, headers: bearer(staff.token) });
    expect(before.statusCode).toBe(200);
    expect(before.json()).toEqual({ disclosed: false, count: 1, receivedAt: ['2026-03-25T01:29:59.999Z'] });
    expect(before.body).not.toContain(b.name);

    const elsewhere = await signedInAs(h, { regionCode: '140200', roles: [{ code: 'centre_staff', scope: 'region' }] });
    expect((await h.app.inject({ method: 'GET', url: `/api/v1/trading/lots/${lot.lotId}/bids`, headers: bearer(elsewhere.token) })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: `/api/v1/trading/lots/${lot.lotId}/bids`, headers: bearer(a.token) })).statusCode).toBe(403);

    await h.deps.db.updateTable('trading.lots').set({ status: 'opened' }).where('id', '=', lot.lotId).execute();
    const after = (await h.app.inject({ method: 'GET', url: `/api/v1/trading/lots/${lot.lotId}/bids`, headers: bearer(staff.token) })).json<{ disclosed: boolean; bids: { bidder: { name: string } }[] }>();
    expect(after.disclosed).toBe(true);
    expect(after.bids.map((x) => x.bidder.name)).toEqual([b.name]);
  });
});
