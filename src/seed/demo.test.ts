// The demo seed: idempotent, the demo entity account signs in without a second factor and acts
// for its entity, and the Taiyuan centre staff (default role centre_staff, additions version 4)
// review what it submits; the Datong staff do not see it.

import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, type Harness } from '../../test/support/harness.ts';
import { submitComplete } from '../modules/registry/registry.test-support.ts';
import { DEMO_ENTITY } from './demo-registry.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, seedDemo } from './demo.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ GGZY_PASSWORD_MAX_AGE_DAYS: '0' });
});
afterAll(async () => {
  await h?.close();
});

async function login(username: string): Promise<{ token: string; stage: string }> {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD, tokenType: 'bearer' } });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json<{ token: string; stage: string }>();
  if (body.stage !== 'mfa') return body;
  h.clock.advance(30_000);
  const code = await generate({ secret: DEMO_TOTP_SECRET, epoch: Math.floor(h.clock.now().getTime() / 1000) });
  const mfa = await h.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', headers: bearer(body.token), payload: { code } });
  expect(mfa.statusCode, mfa.body).toBe(200);
  return { token: body.token, stage: mfa.json<{ stage: string }>().stage };
}

describe('demo seed', () => {
  it('creates the demo entity account once', async () => {
    const first = await seedDemo(h.deps);
    expect(first.accounts).toContain(DEMO_ENTITY.username);
    const again = await seedDemo(h.deps);
    expect(again.accounts).toEqual([]);
  });

  it('the entity account needs no TOTP; ty_staff reviews its submission, dt_staff does not see it', async () => {
    const bidder = await login(DEMO_ENTITY.username);
    expect(bidder.stage).toBe('active');
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(bidder.token) });
    expect(me.json()).toMatchObject({ organisation: null, entity: { name: DEMO_ENTITY.name, regionCode: '140100' }, permissions: ['credit.self.read', 'registry.self.manage', 'trading.bid.submit', 'trading.tender.manage'] });
    const entityId = me.json<{ entity: { id: string } }>().entity.id;
    const versionId = await submitComplete(h, { token: bidder.token, accountId: '', entityId, username: DEMO_ENTITY.username, uscc: DEMO_ENTITY.uscc }, 77);

    const ty = await login('ty_staff');
    const queue = await h.app.inject({ method: 'GET', url: '/api/v1/registry/reviews', headers: bearer(ty.token) });
    expect(queue.statusCode, queue.body).toBe(200);
    expect(queue.json<{ items: { versionId: string }[] }>().items.map((i) => i.versionId)).toContain(versionId);
    const dt = await login('dt_staff');
    const elsewhere = await h.app.inject({ method: 'GET', url: '/api/v1/registry/reviews', headers: bearer(dt.token) });
    expect(elsewhere.json<{ items: { versionId: string }[] }>().items.map((i) => i.versionId)).not.toContain(versionId);

    const ok = await h.app.inject({ method: 'POST', url: `/api/v1/registry/versions/${versionId}/decision`, headers: bearer(ty.token), payload: { outcome: 'approved' } });
    expect(ok.statusCode, ok.body).toBe(200);
    const mine = await h.app.inject({ method: 'GET', url: '/api/v1/registry/me', headers: bearer(bidder.token) });
    expect(mine.json()).toMatchObject({ entity: { status: 'active' } });
  });
});

describe('demo parties of the tender procedure', () => {
  it('are active: the tenderer registers a project and the bidders may bid', async () => {
    await seedDemo(h.deps);
    const tenderer = await login('tenderer');
    expect(tenderer.stage).toBe('active');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/trading/projects',
      headers: bearer(tenderer.token),
      payload: { name: '演示道路改造工程', category: 'construction_works', tenderMethod: 'open', regionCode: '140105', supervisingDepartment: '太原市住房和城乡建设局', fundingSource: '财政资金', lots: [{ name: '第一标段', kind: 'construction', estimatedPrice: '5000000' }] },
    });
    expect(res.statusCode, res.body).toBe(201);
    for (const u of ['bidder1', 'bidder2', 'bidder3']) {
      const b = await login(u);
      const me = await h.app.inject({ method: 'GET', url: '/api/v1/registry/me', headers: bearer(b.token) });
      expect(me.json<{ entity: { status: string; roles: string[] } }>().entity).toMatchObject({ status: 'active', roles: ['bidder'] });
    }
  });
});
