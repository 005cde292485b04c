// One credit library for the province: a ban recorded at the province blocks in a city's deals.
// Two nodes on loopback (federation.test-support.ts). Refusals first — the library's business on
// a city, a subject or category out of rule, a province that cannot be reached — then the
// participation check asked of the province (its first and last day through the federation, a
// batch in order), a province-registered bidder refused on a city lot, and the city's public
// disclosure (API and portal page) showing the province's record.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, PASSWORD, problem, type Harness } from '../../../test/support/harness.ts';
import { strandedCity, twoNodes, type TwoNodes } from '../../platform/federation/federation.test-support.ts';
import { addSealingKey, sealedBid, upload } from '../trading/trading.bids.test-support.ts';
import { activeEntity, biddingLot, staffAccount, type Signed } from '../trading/trading.test-support.ts';
import { idNumberFor, recordBody } from './credit.fixtures.ts';
import { participationHere } from './credit.province.ts';

let nodes: TwoNodes;
let province: Harness;
let city: Harness;
let banned: Awaited<ReturnType<typeof activeEntity>>;
let clean: Awaited<ReturnType<typeof activeEntity>>;
let recordId: string;
let citySupervisor: Signed;

const BAN = { categories: ['*'], regionCode: '140000', from: '2026-03-01', to: '2027-02-28' };

beforeAll(async () => {
  nodes = await twoNodes();
  ({ province, city } = nodes);
  banned = await activeEntity(province, 7501, ['bidder']);
  clean = await activeEntity(province, 7502, ['bidder']);
  const supervisor = await staffAccount(province, '140000', 'supervisor');
  const created = await province.app.inject({
    method: 'POST',
    url: '/api/v1/credit/records',
    headers: bearer(supervisor.token),
    payload: recordBody(7501, { uscc: banned.uscc, subjectName: banned.name, severity: 'serious', title: '串通投标', ban: BAN, sourceDepartment: '山西省住房和城乡建设厅', regionCode: '140000' }),
  });
  if (created.statusCode !== 201) throw new Error(`credit record: ${created.statusCode} ${created.body}`);
  recordId = created.json<{ id: string }>().id;
  citySupervisor = await staffAccount(city, '140100', 'supervisor');
}, 120_000);

afterAll(async () => {
  await nodes?.close();
});

async function cityToken(username: string): Promise<string> {
  const res = await city.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD, tokenType: 'bearer' } });
  if (res.statusCode !== 200) throw new Error(`city sign-in of ${username}: ${res.statusCode} ${res.body}`);
  return res.json<{ token: string }>().token;
}

function check(h: Harness, token: string, body: Record<string, unknown>) {
  return h.app.inject({ method: 'POST', url: '/api/v1/credit/participation-check', headers: bearer(token), payload: { category: 'construction', regionCode: '140100', at: '2026-06-01T02:00:00Z', ...body } });
}

describe('the credit library on a city node refuses', () => {
  it("the library's business, done at the province, for staff and for an entity", async () => {
    const list = await city.app.inject({ method: 'GET', url: '/api/v1/credit/records', headers: bearer(citySupervisor.token) });
    expect(list.statusCode).toBe(409);
    expect(problem(list)).toMatchObject({ code: 'conflict', field: 'node', rule: 'province_credit' });
    expect(problem(list).detail).toContain('请在省级平台办理');
    const create = await city.app.inject({ method: 'POST', url: '/api/v1/credit/records', headers: bearer(citySupervisor.token), payload: recordBody(7503) });
    expect(problem(create)).toMatchObject({ rule: 'province_credit' });
    expect(await city.deps.db.selectFrom('credit.records').select('id').execute()).toHaveLength(0);
    const own = await city.app.inject({ method: 'GET', url: '/api/v1/credit/me', headers: bearer(await cityToken(clean.username)) });
    expect(problem(own)).toMatchObject({ rule: 'province_credit' });
    // Not signed in is still 401 first: the refusal comes after access.
    expect((await city.app.inject({ method: 'GET', url: '/api/v1/credit/records' })).statusCode).toBe(401);
  });

  it('a subject out of rule on the city itself, and a category the province does not know, relayed', async () => {
    const bad = await check(city, citySupervisor.token, { subject: { uscc: '91140100MA0000000X' } });
    expect(bad.statusCode).toBe(400);
    expect(problem(bad).field).toBe('subject.uscc');
    const category = await check(city, citySupervisor.token, { subject: { uscc: banned.uscc }, category: 'fishing' });
    expect(category.statusCode).toBe(400);
    expect(problem(category)).toMatchObject({ field: 'category', rule: 'exists', detail: '交易类别 fishing 不存在' });
  });

  it('with 503 when the province cannot be reached: a check not made is never a pass', async () => {
    const stranded = await strandedCity(nodes);
    try {
      const supervisor = await staffAccount(stranded, '140100', 'supervisor');
      const res = await check(stranded, supervisor.token, { subject: { uscc: clean.uscc } });
      expect(res.statusCode).toBe(503);
      expect(problem(res)).toMatchObject({ code: 'unavailable' });
      expect((await stranded.app.inject({ method: 'GET', url: `/api/v1/public/credit?uscc=${banned.uscc}` })).statusCode).toBe(503);
    } finally {
      await stranded.close();
    }
  });
});

describe("a city node's participation check is the province's", () => {
  it("blocks on the ban's first and last day (CST) and not outside it", async () => {
    const at = async (instant: string) => (await check(city, citySupervisor.token, { subject: { uscc: banned.uscc }, at: instant })).json<{ allowed: boolean; blocking: { recordId: string; reason: string }[] }>();
    expect(await at('2026-02-28T15:59:59Z')).toMatchObject({ allowed: true, blocking: [] });
    const first = await at('2026-02-28T16:00:00Z');
    expect(first).toMatchObject({ allowed: false, blocking: [{ recordId }] });
    expect(first.blocking[0]!.reason).toBe('2026-03-01 至 2027-02-28 禁止在山西省参与全部交易');
    expect(await at('2027-02-28T15:59:59Z')).toMatchObject({ allowed: false });
    expect(await at('2027-02-28T16:00:00Z')).toMatchObject({ allowed: true });
  });

  it('answers a batch in order, organisations and persons', async () => {
    const verdicts = await participationHere(city.deps, city.deps.db, { subjects: [{ uscc: clean.uscc }, { uscc: banned.uscc }, { idNumber: idNumberFor(7509) }], category: 'construction', regionCode: '140100', at: new Date('2026-06-01T02:00:00Z') });
    expect(verdicts.map((v) => v.allowed)).toEqual([true, false, true]);
    expect(verdicts[1]!.blocking.map((b) => b.recordId)).toEqual([recordId]);
    expect(await participationHere(city.deps, city.deps.db, { subjects: [], category: 'construction', regionCode: '140100', at: new Date() })).toEqual([]);
  });

  it("refuses a province-registered bidder banned at the province on a city lot, and takes the other's bid", async () => {
    const tenderer = await activeEntity(province, 7504, ['tenderer']);
    const lot = await biddingLot(city, 7504, { tenderer: { ...tenderer, token: await cityToken(tenderer.username) }, bidDeadline: new Date(city.clock.now().getTime() + 20 * 86_400_000) });
    const outcomes: number[] = [];
    for (const who of [banned, clean]) {
      const token = await cityToken(who.username);
      const key = await addSealingKey(city, { token, entityId: who.entityId }, '工作密钥');
      const sealed = await sealedBid([key]);
      const res = await upload(city, token, lot.lotId, sealed.envelope, sealed.seals);
      outcomes.push(res.statusCode);
      if (who === banned) {
        expect(problem(res)).toMatchObject({ field: 'bidder', rule: 'credit_ban' });
        expect(problem(res).detail).toContain('禁止在山西省参与全部交易');
      }
    }
    expect(outcomes).toEqual([403, 201]);
    const bids = await city.deps.db.selectFrom('trading.bids').select(['bidder_entity_id', 'status']).where('lot_id', '=', lot.lotId).where('status', '=', 'received').execute();
    expect(bids).toEqual([{ bidder_entity_id: clean.entityId, status: 'received' }]);
  });
});

describe("a city node's public credit disclosure is the province's", () => {
  it('on the API and on the portal page, masked as at the province', async () => {
    const api = await city.app.inject({ method: 'GET', url: `/api/v1/public/credit?uscc=${banned.uscc}` });
    expect(api.statusCode, api.body).toBe(200);
    const atProvince = await province.app.inject({ method: 'GET', url: `/api/v1/public/credit?uscc=${banned.uscc}` });
    expect(api.json()).toEqual(atProvince.json());
    expect(api.json()).toMatchObject({ items: [{ title: '串通投标', uscc: banned.uscc, severity: 'serious', ban: { regionCode: '140000' } }] });
    const page = await city.app.inject({ method: 'GET', url: `/credit?q=${banned.uscc}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('串通投标');
    expect(page.body).toContain(banned.name);
  });
});
