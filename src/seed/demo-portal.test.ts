// The portal's demo deals: run through the trading use cases, published in several cities,
// picked up by the projector, and not repeated by a second seed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../test/support/harness.ts';
import { catchUpPortal } from '../modules/portal/portal.projector.ts';
import { DEMO_PORTAL_DEALS } from './demo-portal.ts';
import { seedDemo } from './demo.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('demo portal deals', () => {
  it('publish tender notices in several cities through the procedure, once', async () => {
    await seedDemo(h.deps);
    await seedDemo(h.deps);
    expect((await catchUpPortal(h.deps)).caughtUp).toBe(true);
    const deals = await h.deps.db.selectFrom('portal.deals').select(['name', 'city_code', 'stage']).execute();
    expect(deals.map((d) => d.name).sort()).toEqual(DEMO_PORTAL_DEALS.map((d) => d.name).sort());
    expect(new Set(deals.map((d) => d.city_code)).size).toBe(6);
    expect(deals.filter((d) => d.stage === 'bidding')).toHaveLength(5);
    const home = await h.app.inject({ url: '/' });
    expect(home.body).toContain('大同市平城区御河东路桥梁维修加固工程施工招标公告');
    const changes = await h.app.inject({ url: '/notices?kind=amendment' });
    expect(changes.body).toContain('太原市小店区学府街综合改造工程第1号澄清');
    const taiyuan = await h.app.inject({ url: '/city/140100-taiyuan/notices' });
    expect(taiyuan.body).toContain('共 2 条');
  });
});
