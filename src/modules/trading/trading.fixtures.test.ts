import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../test/support/harness.ts';
import { lotWindow } from './trading.repository.ts';
import { activeEntity, biddingLot, openedLot } from './trading.test-support.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

describe('trading factories', () => {
  it('make an active tenderer and a lot taking bids, readable as a bid window', async () => {
    const tenderer = await activeEntity(h, 1, ['tenderer']);
    const row = await h.deps.db.selectFrom('registry.entities').select(['status', 'roles']).where('id', '=', tenderer.entityId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'active', roles: ['tenderer'] });
    const deadline = new Date(h.clock.now().getTime() + 20 * 86_400_000);
    const lot = await biddingLot(h, 2, { tenderer, bidDeadline: deadline });
    const w = await lotWindow(h.deps.db, lot.lotId);
    expect(w).toMatchObject({ lotCode: lot.lotCode, dealCode: lot.dealCode, bidDeadline: deadline, estimatedPriceFen: 1_000_000_000, tendererEntityId: tenderer.entityId, lotStatus: 'bidding' });
    expect(lot.dealCode).toMatch(/^[0-9A-Z]{33}$/);
  });
});

describe('openedLot', () => {
  it('makes a lot after its opening, with one result per bidder', async () => {
    const lot = await openedLot(h, 30, [{ priceFen: 980_000_000 }, { priceFen: 990_000_000 }, { priceFen: 1, outcome: 'bidder_failed' }]);
    const rows = await h.deps.db.selectFrom('trading.opening_results').select(['outcome', 'price_fen']).where('lot_id', '=', lot.lotId).orderBy('received_at').execute();
    expect(rows).toEqual([
      { outcome: 'decrypted', price_fen: 980_000_000 },
      { outcome: 'decrypted', price_fen: 990_000_000 },
      { outcome: 'bidder_failed', price_fen: null },
    ]);
    expect((await lotWindow(h.deps.db, lot.lotId))?.lotStatus).toBe('opened');
  });
});
