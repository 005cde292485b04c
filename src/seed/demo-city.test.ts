// The demo seed on a city node: the city's own centre, its supervision departments and its
// demo staff only — no market entities, credit records, experts or deals, which are the
// province's (the city's users sign in and draw from there). Idempotent.

import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, type Harness } from '../../test/support/harness.ts';
import { deriveKeys } from '../platform/crypto/keys.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, seedDemo } from './demo.ts';

let h: Harness;
beforeAll(async () => {
  const province = deriveKeys(Buffer.alloc(16, 7)).federationSm2.publicKey;
  h = await createHarness({ GGZY_NODE_ROLE: 'city', GGZY_REGION: '140100', GGZY_FEDERATION_PEERS: `140000=${province}@http://127.0.0.1:9`, GGZY_PASSWORD_MAX_AGE_DAYS: '0' });
});
afterAll(async () => {
  await h?.close();
});

const count = async (table: 'registry.entities' | 'credit.records' | 'experts.experts' | 'trading.projects') =>
  Number((await h.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

describe('demo seed on a city node', () => {
  it("writes the city's centre, departments and staff, once, and nothing of the province's", async () => {
    const first = await seedDemo(h.deps);
    expect(first.accounts.sort()).toEqual(['supervisor', 'ty_admin', 'ty_staff']);
    expect(first.organisations).toBe(4);
    const orgs = await h.deps.db.selectFrom('org.organisations').select(['name', 'kind', 'region_code']).orderBy('name').execute();
    expect(orgs.every((o) => o.region_code === '140100')).toBe(true);
    expect(orgs.map((o) => o.name)).toContain('太原市住房和城乡建设局');
    for (const table of ['registry.entities', 'credit.records', 'experts.experts', 'trading.projects'] as const) expect(await count(table)).toBe(0);
    expect((await seedDemo(h.deps)).accounts).toEqual([]);
  });

  it('the city staff sign in with the demo password and code and read the city centre', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ty_staff', password: DEMO_PASSWORD, tokenType: 'bearer' } });
    expect(res.statusCode, res.body).toBe(200);
    const { token } = res.json<{ token: string }>();
    h.clock.advance(30_000);
    const code = await generate({ secret: DEMO_TOTP_SECRET, epoch: Math.floor(h.clock.now().getTime() / 1000) });
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', headers: bearer(token), payload: { code } })).statusCode).toBe(200);
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
    expect(me.json()).toMatchObject({ username: 'ty_staff', homeNode: null });
    expect(JSON.stringify(me.json())).toContain('centre_staff');
  });
});
