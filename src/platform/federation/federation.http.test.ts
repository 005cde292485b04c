// Two nodes on loopback: the province (a real HTTP listener) and the Taiyuan city node, each with
// its own database and keys, each knowing the other's federation public key. Refusals first:
// every way an envelope can be wrong, an unreachable or lying province; then the city reading the
// province's registry (API and portal page) and refusing registrations, with nothing stored.

import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, problem, type Harness } from '../../../test/support/harness.ts';
import { activeEntity, staffAccount } from '../../modules/trading/trading.test-support.ts';
import { idNumberFor, usccFor } from '../../modules/experts/experts.fixtures.ts';
import type { Keys } from '../crypto/keys.ts';
import { twoNodes, type TwoNodes } from './federation.test-support.ts';
import { generateSm2KeyPair } from '../crypto/sm2.ts';
import { openReply, sealEnvelope, type Envelope, type Reply } from './federation.envelope.ts';
import { callPeer, MESSAGES_PATH } from './federation.ts';

let nodes: TwoNodes;
let province: Harness;
let city: Harness;
let provinceUrl: string;
let provinceKeys: Keys;
let cityKeys: Keys;
let cityMasterKey: Buffer;
const PASSWORD = 'Test@2026pass';

beforeAll(async () => {
  nodes = await twoNodes();
  ({ province, city, provinceUrl, provinceKeys, cityKeys, cityMaster: cityMasterKey } = nodes);
  await activeEntity(province, 7101, ['bidder']);
}, 120_000);

afterAll(async () => {
  await nodes?.close();
});

/** An envelope from the city to the province, as the city would seal it, with `change` applied. */
function fromCity(action: string, payload: unknown, change: Partial<Envelope> & { now?: Date; senderKey?: string; recipientKey?: string } = {}): Envelope {
  const { now, senderKey, recipientKey, ...fields } = change;
  const { envelope } = sealEnvelope({ from: '140100', to: '140000', action, payload, senderPrivateKey: senderKey ?? cityKeys.federationSm2.privateKey, recipientPublicKey: recipientKey ?? provinceKeys.federationSm2.publicKey, now: now ?? province.clock.now() });
  return { ...envelope, ...fields };
}

async function post(envelope: unknown) {
  return province.app.inject({ method: 'POST', url: MESSAGES_PATH, payload: envelope as object });
}

async function refusedAuditCount(): Promise<number> {
  const r = await province.deps.db.selectFrom('audit.audit_log').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', 'federation.message.refused').executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('the envelope route refuses', () => {
  it('anything but a well-formed envelope, with the reason and an audit entry', async () => {
    const before = await refusedAuditCount();
    const res = await post({ hello: 'province' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'validation_failed', reason: 'malformed', detail: '节点间报文格式不正确' });
    expect(await refusedAuditCount()).toBe(before + 1);
  });

  it('an envelope addressed to another node, from an unknown node, or with a broken signature', async () => {
    const wrongTo = fromCity('registry.entity-by-key', { uscc: usccFor(7101) });
    expect((await post({ ...wrongTo, to: '140200' })).json()).toMatchObject({ reason: 'wrong_recipient' });
    const stranger = generateSm2KeyPair();
    const fromDatong = sealEnvelope({ from: '140200', to: '140000', action: 'registry.entity-by-key', payload: { uscc: usccFor(7101) }, senderPrivateKey: stranger.privateKey, recipientPublicKey: provinceKeys.federationSm2.publicKey, now: province.clock.now() }).envelope;
    const unknown = await post(fromDatong);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toMatchObject({ code: 'unauthenticated', reason: 'unknown_peer' });
    // Signed by someone else in the city's name.
    expect((await post(fromCity('registry.entity-by-key', { uscc: usccFor(7101) }, { senderKey: stranger.privateKey }))).json()).toMatchObject({ reason: 'bad_signature' });
    // Each signed part changed after signing.
    const good = fromCity('registry.entity-by-key', { uscc: usccFor(7101) });
    const other = fromCity('registry.public-entities', { q: '晋建' });
    for (const tampered of [{ ...good, action: 'registry.public-entities' }, { ...good, body: other.body }, { ...good, key: other.key }, { ...good, sentAt: other.sentAt === good.sentAt ? new Date(Date.parse(good.sentAt) + 1).toISOString() : other.sentAt }]) {
      expect((await post(tampered)).json()).toMatchObject({ reason: 'bad_signature' });
    }
  });

  it('an envelope sent beyond the allowed skew, to the millisecond, either way', async () => {
    const skew = province.deps.config.federation.maxSkewSeconds * 1000;
    const now = province.clock.now().getTime();
    expect((await post(fromCity('registry.entity-by-key', { uscc: usccFor(7101) }, { now: new Date(now - skew) }))).statusCode).toBe(200);
    expect((await post(fromCity('registry.entity-by-key', { uscc: usccFor(7101) }, { now: new Date(now + skew) }))).statusCode).toBe(200);
    expect((await post(fromCity('registry.entity-by-key', { uscc: usccFor(7101) }, { now: new Date(now - skew - 1) }))).json()).toMatchObject({ reason: 'stale' });
    expect((await post(fromCity('registry.entity-by-key', { uscc: usccFor(7101) }, { now: new Date(now + skew + 1) }))).json()).toMatchObject({ reason: 'stale' });
  });

  it('the same envelope a second time, and one the city sealed to another key', async () => {
    const once = fromCity('registry.entity-by-key', { uscc: usccFor(7101) });
    expect((await post(once)).statusCode).toBe(200);
    const again = await post(once);
    expect(again.statusCode).toBe(401);
    expect(again.json()).toMatchObject({ reason: 'replayed', detail: '节点间报文重复（疑似重放）' });
    const elsewhere = fromCity('registry.entity-by-key', { uscc: usccFor(7101) }, { recipientKey: generateSm2KeyPair().publicKey });
    expect((await post(elsewhere)).json()).toMatchObject({ reason: 'undecryptable' });
  });

  it('more envelopes from one address than GGZY_FEDERATION_RATE_LIMIT allows in a minute', async () => {
    const limited = await createHarness({ GGZY_FEDERATION_RATE_LIMIT: '10', GGZY_FEDERATION_PEERS: `140100=${cityKeys.federationSm2.publicKey}` });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 11; i++) codes.push((await limited.app.inject({ method: 'POST', url: MESSAGES_PATH, payload: {} })).statusCode);
      expect(codes.slice(0, 10)).toEqual(Array(10).fill(400));
      expect(codes[10]).toBe(429);
    } finally {
      await limited.close();
    }
  });

  it('an action it does not offer, and a payload out of shape, inside a sealed reply', async () => {
    const { envelope, session } = sealEnvelope({ from: '140100', to: '140000', action: 'registry.delete-everything', payload: {}, senderPrivateKey: cityKeys.federationSm2.privateKey, recipientPublicKey: provinceKeys.federationSm2.publicKey, now: province.clock.now() });
    const none = await post(envelope);
    expect(none.statusCode).toBe(200);
    expect(none.json()).not.toHaveProperty('key');
    expect(openReply(none.json(), envelope, session.key, city.clock.now(), 300_000)).toMatchObject({ ok: false, problem: { code: 'forbidden' } });
    await expect(callPeer(city.deps, '140000', 'registry.delete-everything', {})).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    await expect(callPeer(city.deps, '140000', 'registry.entity-by-key', { uscc: 'not-a-code' })).rejects.toMatchObject({ status: 400, field: 'uscc' });
  });
});

describe('the city node, when the province cannot be trusted or reached', () => {
  it('answers 503 for a province that is down, slow, or answers with a forged or replayed reply', async () => {
    const ask = (f: typeof fetch) => callPeer(city.deps, '140000', 'registry.entity-by-key', { uscc: usccFor(7101) }, f);
    await expect(ask(() => Promise.reject(new TypeError('fetch failed')))).rejects.toMatchObject({ status: 503, code: 'unavailable', detail: '省级平台暂时无法访问，请稍后再试；本次操作未保存任何数据' });
    await expect(ask(() => Promise.reject(new DOMException('The operation was aborted due to timeout', 'TimeoutError')))).rejects.toMatchObject({ status: 503 });
    await expect(ask(() => Promise.resolve(new Response('{"code":"internal"}', { status: 500 })))).rejects.toMatchObject({ status: 503 });
    // A reply changed on the way (its body, or its header, which the body's tag covers), and a genuine reply to an earlier request.
    for (const change of [(e: Reply) => ({ ...e, body: e.body.slice(0, -2) + (e.body.endsWith('AA') ? 'BB' : 'AA') }), (e: Reply) => ({ ...e, sentAt: new Date(Date.parse(e.sentAt) + 1).toISOString() })]) {
      const forged = (async (url: string | URL | Request, init?: RequestInit) => {
        const res = await fetch(url, init);
        return new Response(JSON.stringify(change((await res.json()) as Reply)), { status: 200 });
      }) as typeof fetch;
      await expect(ask(forged)).rejects.toMatchObject({ status: 503 });
    }
    let earlier: string | undefined;
    const keep = (async (url: string | URL | Request, init?: RequestInit) => {
      const res = await fetch(url, init);
      const text = await res.text();
      earlier ??= text;
      return new Response(earlier, { status: 200 });
    }) as typeof fetch;
    await expect(ask(keep)).resolves.toMatchObject({ name: expect.stringContaining('7101') });
    await expect(ask(keep)).rejects.toMatchObject({ status: 503 });
  });

  it('shows the outage on the public lookup and stores nothing when no province is reachable', async () => {
    const closed = await createHarness({ GGZY_NODE_ROLE: 'city', GGZY_REGION: '140200', GGZY_FEDERATION_PEERS: `140000=${provinceKeys.federationSm2.publicKey}@http://127.0.0.1:9` });
    try {
      const api = await closed.app.inject({ url: `/api/v1/public/entities?q=${encodeURIComponent('晋建')}` });
      expect(api.statusCode).toBe(503);
      expect(problem(api)).toMatchObject({ code: 'unavailable' });
      const page = await closed.app.inject({ url: `/entities?q=${encodeURIComponent('晋建')}` });
      expect(page.statusCode).toBe(503);
      expect(page.body).toContain('省级平台暂时无法访问，请稍后再试');
      const reg = await closed.app.inject({ method: 'POST', url: '/api/v1/public/registrations', payload: { username: 'nobody1', password: PASSWORD, displayName: '王五', entity: { kind: 'organisation', uscc: usccFor(7102), name: '山西某某有限公司' } } });
      expect(reg.statusCode).toBe(503);
      expect(await closed.deps.db.selectFrom('identity.accounts').select('id').where('username', '=', 'nobody1').execute()).toEqual([]);
    } finally {
      await closed.close();
    }
  });

  it('says so when no province is configured at all', async () => {
    const alone = await createHarness({ GGZY_NODE_ROLE: 'city', GGZY_REGION: '140300' });
    try {
      const api = await alone.app.inject({ url: `/api/v1/public/entities?uscc=${usccFor(7101)}` });
      expect(api.statusCode).toBe(503);
      expect(problem(api).detail).toContain('尚未配置省级平台');
    } finally {
      await alone.close();
    }
  });
});

describe('session keys', () => {
  it('are reused for GGZY_FEDERATION_SESSION_SECONDS, to the millisecond, and every request is still signed', async () => {
    const sent: Envelope[] = [];
    const spy = (async (url: string | URL | Request, init?: RequestInit) => {
      sent.push(JSON.parse(String(init!.body)) as Envelope);
      return fetch(url, init);
    }) as typeof fetch;
    const ask = () => callPeer(city.deps, '140000', 'registry.entity-by-key', { uscc: usccFor(7101) }, spy);
    const period = city.deps.config.federation.sessionSeconds * 1000;
    // Past the period of any key an earlier test left in use.
    city.clock.advance(period);
    province.clock.set(city.clock.now());
    await ask();
    const start = city.clock.now().getTime();
    const first = sent.at(-1)!;
    city.clock.set(start + period - 1);
    province.clock.set(city.clock.now());
    await ask();
    const reused = sent.at(-1)!;
    city.clock.set(start + period);
    province.clock.set(city.clock.now());
    await ask();
    const renewed = sent.at(-1)!;
    expect(reused.key).toBe(first.key);
    expect(renewed.key).not.toBe(first.key);
    expect(new Set(sent.map((e) => e.signature)).size).toBe(sent.length);
    expect(new Set(sent.map((e) => e.id)).size).toBe(sent.length);
  });

  it('are never reused with GGZY_FEDERATION_SESSION_SECONDS=0', async () => {
    const fresh = await createHarness({ GGZY_NODE_ROLE: 'city', GGZY_REGION: '140100', GGZY_FEDERATION_SESSION_SECONDS: '0', GGZY_FEDERATION_PEERS: `140000=${provinceKeys.federationSm2.publicKey}@${provinceUrl}` }, { masterKey: cityMasterKey });
    try {
      fresh.clock.set(province.clock.now());
      const keys: string[] = [];
      const spy = (async (url: string | URL | Request, init?: RequestInit) => {
        keys.push((JSON.parse(String(init!.body)) as Envelope).key);
        return fetch(url, init);
      }) as typeof fetch;
      for (let i = 0; i < 3; i++) await callPeer(fresh.deps, '140000', 'registry.entity-by-key', { uscc: usccFor(7101) }, spy);
      expect(new Set(keys).size).toBe(3);
    } finally {
      await fresh.close();
    }
  });
});

describe('the city node reads the province registry', () => {
  it('publishes its federation key for the operators of its peers', async () => {
    const res = await city.app.inject({ url: '/api/v1/federation/node' });
    expect(res.json()).toEqual({ region: '140100', role: 'city', publicKey: cityKeys.federationSm2.publicKey, envelopeVersion: 1, peers: ['140000'] });
    expect(cityKeys.federationSm2.publicKey).not.toBe(cityKeys.platformSm2.publicKey);
  });

  it('finds a province entity by name and by USCC without a row of its own', async () => {
    const local = async () => (await city.deps.db.selectFrom('registry.entities').select('id').execute()).length;
    const before = await local();
    for (const url of [`/api/v1/public/entities?q=${encodeURIComponent('晋建建设')}`, `/api/v1/public/entities?uscc=${usccFor(7101)}`]) {
      const res = await city.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      const body = res.json<{ items: Record<string, unknown>[] }>();
      expect(body.items).toHaveLength(1);
      expect(body.items[0]).toMatchObject({ name: '山西晋建建设工程有限公司7101', uscc: usccFor(7101), status: 'active', region: { code: '140100' } });
      expect(typeof body.items[0]!.approvedAt).toBe('string');
      expect(JSON.stringify(body)).not.toMatch(/idNumber|phone|bank|contacts|keyPersonnel/);
    }
    const page = await city.app.inject({ url: `/entities?uscc=${usccFor(7101)}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h3>山西晋建建设工程有限公司7101</h3>');
    // The province's own validation, relayed unchanged.
    const bad = await city.app.inject({ url: `/api/v1/public/entities?q=${encodeURIComponent('晋')}` });
    expect(bad.statusCode).toBe(400);
    expect(problem(bad)).toMatchObject({ field: 'q', rule: 'length' });
    expect(await local()).toBe(before);
  });

  it("gives the city's staff the province's 市场主体库, masked, after checking their own permission", async () => {
    const staff = await staffAccount(city, '140100');
    const list = await city.app.inject({ url: `/api/v1/registry/entities?q=${encodeURIComponent('晋建建设')}&kind=organisation`, headers: bearer(staff.token) });
    expect(list.statusCode).toBe(200);
    const body = list.json<{ items: { id: string; name: string; uscc: string; regionName: string }[]; total: number; page: number; pageSize: number }>();
    expect(body).toMatchObject({ total: 1, page: 1, pageSize: 20 });
    expect(body.items[0]).toMatchObject({ name: '山西晋建建设工程有限公司7101', uscc: usccFor(7101) });
    const detail = await city.app.inject({ url: `/api/v1/registry/entities/${body.items[0]!.id}`, headers: bearer(staff.token) });
    expect(detail.statusCode).toBe(200);
    const d = detail.json<{ name: string; profile: { masked: boolean; contacts: { phone: string }[] } }>();
    expect(d.name).toBe('山西晋建建设工程有限公司7101');
    expect(d.profile.masked).toBe(true);
    expect(d.profile.contacts[0]!.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    // The history and one version, from the province, masked; the other staff business is the province's.
    const versions = await city.app.inject({ url: `/api/v1/registry/entities/${body.items[0]!.id}/versions`, headers: bearer(staff.token) });
    expect(versions.statusCode).toBe(200);
    const history = versions.json<{ items: { id: string; number: number }[] }>().items;
    expect(history.length).toBeGreaterThan(0);
    const version = await city.app.inject({ url: `/api/v1/registry/entities/${body.items[0]!.id}/versions/${history[0]!.id}`, headers: bearer(staff.token) });
    expect(version.statusCode).toBe(200);
    expect(version.json<{ profile: { masked: boolean } }>().profile.masked).toBe(true);
    for (const [method, url, payload] of [['GET', '/api/v1/registry/reviews', undefined], ['POST', `/api/v1/registry/versions/${history[0]!.id}/decision`, { outcome: 'approved' }], ['GET', '/api/v1/registry/qualifications/expiring', undefined]] as const) {
      const res = await city.app.inject({ method, url, headers: bearer(staff.token), ...(payload ? { payload } : {}) });
      expect(res.statusCode, url).toBe(409);
      expect(problem(res)).toMatchObject({ field: 'node', rule: 'province_registry' });
    }
    // The province's 404 and 400, relayed; the city's own 401 before anything is asked; an entity's user is refused the staff search.
    expect((await city.app.inject({ url: `/api/v1/registry/entities/${crypto.randomUUID()}`, headers: bearer(staff.token) })).statusCode).toBe(404);
    const badRegion = await city.app.inject({ url: '/api/v1/registry/entities?regionCode=149999', headers: bearer(staff.token) });
    expect(badRegion.statusCode).toBe(400);
    expect(problem(badRegion)).toMatchObject({ field: 'regionCode', rule: 'exists' });
    expect((await city.app.inject({ url: '/api/v1/registry/entities?q=x' })).statusCode).toBe(401);
    const entityUser = await activeEntity(province, 7107, ['bidder']);
    expect((await province.app.inject({ url: '/api/v1/registry/entities?q=x', headers: bearer(entityUser.token) })).statusCode).toBe(403);
  });

  it('refuses a registration of a code the province holds, pointing to it, and any other registration, storing nothing', async () => {
    const accounts = async () => (await city.deps.db.selectFrom('identity.accounts').select('id').execute()).length;
    const before = { accounts: await accounts(), entities: (await city.deps.db.selectFrom('registry.entities').select('id').execute()).length };
    const taken = await city.app.inject({ method: 'POST', url: '/api/v1/public/registrations', payload: { username: 'jinjian7101', password: PASSWORD, displayName: '李明', entity: { kind: 'organisation', uscc: usccFor(7101), name: '山西晋建建设工程有限公司7101' } } });
    expect(taken.statusCode).toBe(409);
    const p = taken.json<{ detail: string; errors: { field: string; rule: string }[]; existing: { entityId: string; name: string; node: string } }>();
    expect(p.errors[0]).toMatchObject({ field: 'entity.uscc', rule: 'registered' });
    expect(p.detail).toContain(`统一社会信用代码 ${usccFor(7101)} 已于`);
    expect(p.detail).toContain('在全省统一的市场主体库注册（主体：山西晋建建设工程有限公司7101）');
    expect(p.existing).toMatchObject({ name: '山西晋建建设工程有限公司7101', node: '140000' });

    const fresh = await city.app.inject({ method: 'POST', url: '/api/v1/public/registrations', payload: { username: 'newco7103', password: PASSWORD, displayName: '张三', entity: { kind: 'organisation', uscc: usccFor(7103), name: '山西新设建设有限公司' } } });
    expect(fresh.statusCode).toBe(409);
    expect(problem(fresh).errors?.[0]).toMatchObject({ field: 'entity.uscc', rule: 'province_registry' });
    const person = await city.app.inject({ method: 'POST', url: '/api/v1/public/registrations', payload: { username: 'person7104', password: PASSWORD, displayName: '赵六', entity: { kind: 'person', idNumber: idNumberFor(7104, '140105'), name: '赵六' } } });
    expect(person.statusCode).toBe(409);
    expect(problem(person).errors?.[0]).toMatchObject({ field: 'entity.idNumber', rule: 'province_registry' });
    // A bad check digit is still the city's own 400, before the province is asked.
    const badCode = await city.app.inject({ method: 'POST', url: '/api/v1/public/registrations', payload: { username: 'bad7105', password: PASSWORD, displayName: '钱七', entity: { kind: 'organisation', uscc: usccFor(7105).slice(0, 17) + (usccFor(7105).endsWith('0') ? '1' : '0'), name: '山西错码有限公司' } } });
    expect(badCode.statusCode).toBe(400);
    expect(problem(badCode).field).toBe('entity.uscc');
    expect({ accounts: await accounts(), entities: (await city.deps.db.selectFrom('registry.entities').select('id').execute()).length }).toEqual(before);
  });

  it('still registers on the province itself, and refuses the same code there', async () => {
    const first = await province.app.inject({ method: 'POST', url: '/api/v1/public/registrations', payload: { username: 'prov7106', password: PASSWORD, displayName: '孙八', entity: { kind: 'organisation', uscc: usccFor(7106), name: '山西省直建设有限公司' } } });
    expect(first.statusCode).toBe(201);
    const fromCityNow = await city.app.inject({ method: 'POST', url: '/api/v1/public/registrations', payload: { username: 'city7106', password: PASSWORD, displayName: '孙八', entity: { kind: 'organisation', uscc: usccFor(7106), name: '山西省直建设有限公司' } } });
    expect(problem(fromCityNow).errors?.[0]).toMatchObject({ rule: 'registered' });
  });
});
