// The largest bid envelope is configuration (GGZY_BID_MAX_BYTES): at the limit a bid is taken,
// one byte over it is refused — by its declared length before a byte is stored, and by the
// length its envelope header announces.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, problem, type Harness } from '../../../test/support/harness.ts';
import { sm3Hex } from '../../platform/crypto/sm3.ts';
import { bidderWithKeys, sealedBid, upload, type TestBidder } from './trading.bids.test-support.ts';
import { biddingLot, type LotFixture } from './trading.test-support.ts';

const LIMIT = 1024 * 1024;
let h: Harness;
let lot: LotFixture;
let a: TestBidder;

beforeAll(async () => {
  h = await createHarness({ GGZY_BID_MAX_BYTES: String(LIMIT) });
  lot = await biddingLot(h, 1, { bidDeadline: new Date('2026-03-25T01:30:00.000Z') });
  a = await bidderWithKeys(h, 2, 1);
});
afterAll(async () => h.close());

/** A sealed bid whose envelope is exactly `bytes` long (the frame's size does not change between the two seals). */
async function envelopeOf(bytes: number) {
  const probe = await sealedBid(a.keys, Buffer.alloc(bytes - 400, 1));
  return sealedBid(a.keys, Buffer.alloc(bytes - 400 + (bytes - probe.envelope.length), 1));
}

describe('GGZY_BID_MAX_BYTES', () => {
  it('takes an envelope of exactly the limit', async () => {
    const sealed = await envelopeOf(LIMIT);
    expect(sealed.envelope.length).toBe(LIMIT);
    const res = await upload(h, a.token, lot.lotId, sealed.envelope, sealed.seals);
    expect(res.statusCode).toBe(201);
    expect(res.json<{ receipt: { sm3: string; size: number } }>().receipt).toMatchObject({ sm3: sm3Hex(sealed.envelope), size: LIMIT });
  });

  it('refuses one byte more: 413 by its declared length, 400 by the length its header announces', async () => {
    const sealed = await envelopeOf(LIMIT + 1);
    expect(sealed.envelope.length).toBe(LIMIT + 1);
    const declared = await upload(h, a.token, lot.lotId, sealed.envelope, sealed.seals);
    expect(declared.statusCode).toBe(413);
    expect(problem(declared).detail).toContain('1 MB');
    // Its first bytes only, so the request's length is within the limit: the header's announced length is not.
    const byHeader = await upload(h, a.token, lot.lotId, sealed.envelope.subarray(0, 4096), sealed.seals);
    expect(byHeader.statusCode).toBe(400);
    expect(problem(byHeader).rule).toBe('envelope_length');
    expect(problem(byHeader).detail).toContain('1 MB');
    const rows = await h.deps.db.selectFrom('trading.bids').select('status').where('bidder_entity_id', '=', a.entityId).orderBy('attempt').execute();
    expect(rows.map((r) => r.status)).toEqual(['received', 'incomplete']);
  });
});
