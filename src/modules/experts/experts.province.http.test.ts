// One expert pool for the province: a city's panel is drawn from the province's pool, its
// experts sign in on the city with their province accounts. Two nodes on loopback
// (federation.test-support.ts). Refusals first — the pool's business on a city, a province that
// cannot be reached — then a city lot's draw classified at the province (avoidance, credit ban,
// region), reference copies of the drawn only, a top-up, the verification, and a drawn expert
// signing in on the city, completing its second factor at the province and finding its lot, and
// the copies asked of the province again once due (a suspension, an account disabled there).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, makeOrganisation, PASSWORD, problem, totpNow, type Harness } from '../../../test/support/harness.ts';
import { openSm4 } from '../../platform/crypto/sm4.ts';
import { strandedCity, twoNodes, type TwoNodes } from '../../platform/federation/federation.test-support.ts';
import { activeEntity, expertAccount, openedLot, staffAccount, type OpenedLot, type Signed } from '../trading/trading.test-support.ts';
import { addExperts, banExpert, dealCode } from './experts.draw.test-support.ts';
import { makeRole, tokenWithRole } from './experts.test-support.ts';
import { refreshReferences } from '../identity/identity.references.ts';

let nodes: TwoNodes;
let province: Harness;
let city: Harness;
let lot: OpenedLot;
let staff: Signed;
let pool: { id: string; idNumber: string }[];
let avoided: string;
let related: string;
let banned: string;
let elsewhere: string[];

type DrawJson = {
  id: string;
  topUpNeeded: boolean;
  members: { expertId: string; kind: string; state: string; name: string }[];
  rounds: { round: number; needs: { candidates: number; eligible: number; excluded: Record<string, number> }[] }[];
};

async function cityToken(username: string): Promise<string> {
  const res = await city.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD, tokenType: 'bearer' } });
  if (res.statusCode !== 200) throw new Error(`city sign-in of ${username}: ${res.statusCode} ${res.body}`);
  return res.json<{ token: string }>().token;
}

const evaluationDay = () => new Date(city.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
const copies = async () => city.deps.db.selectFrom('experts.experts').selectAll().orderBy('id').execute();

beforeAll(async () => {
  nodes = await twoNodes();
  ({ province, city } = nodes);
  const tenderer = await activeEntity(province, 7601, ['tenderer']);
  const bidders = [await activeEntity(province, 7602, ['bidder']), await activeEntity(province, 7603, ['bidder']), await activeEntity(province, 7604, ['bidder'])];
  // Signing in on the city makes the reference copies the city's lot and bids point at.
  const onCity = async (who: typeof tenderer) => ({ ...who, token: await cityToken(who.username) });
  lot = await openedLot(city, 7601, [{ priceFen: 980_000_000 }, { priceFen: 990_000_000 }, { priceFen: 1_000_000_000 }], {
    tenderer: await onCity(tenderer),
    bidders: [await onCity(bidders[0]!), await onCity(bidders[1]!), await onCity(bidders[2]!)],
    regionCode: '140100',
  });
  staff = await staffAccount(city, '140100');
  // The province's pool: ten eligible in 太原, one employed by a bidder, one related to the
  // tenderer, one banned by the province's credit library, two in 大同 (outside the deal's region).
  pool = await addExperts(province, 10, { regionCode: '140105', specialties: ['A01'] });
  avoided = (await addExperts(province, 1, { regionCode: '140105', employerUscc: bidders[0]!.uscc }))[0]!.id;
  related = (await addExperts(province, 1, { regionCode: '140106', relations: [tenderer.uscc] }))[0]!.id;
  const bannedExpert = (await addExperts(province, 1, { regionCode: '140105' }))[0]!;
  banned = bannedExpert.id;
  const day = evaluationDay();
  await banExpert(province, bannedExpert.idNumber, day, day);
  elsewhere = (await addExperts(province, 2, { regionCode: '140213' })).map((e) => e.id);
}, 180_000);

afterAll(async () => {
  await nodes?.close();
});

describe('the expert pool on a city node refuses', () => {
  it("the pool's business, done at the province, after access; the code table stays readable", async () => {
    await makeRole(city, 'pool_manager', ['experts.expert.read', 'experts.expert.write']);
    const manager = await tokenWithRole(city, await makeOrganisation(city, { regionCode: '140100' }), 'pool_manager', 'region');
    expect((await city.app.inject({ method: 'GET', url: '/api/v1/experts' })).statusCode).toBe(401);
    const list = await city.app.inject({ method: 'GET', url: '/api/v1/experts', headers: bearer(manager) });
    expect(list.statusCode).toBe(409);
    expect(problem(list)).toMatchObject({ code: 'conflict', field: 'node', rule: 'province_experts' });
    expect(problem(list).detail).toContain('请在省级平台办理');
    const create = await city.app.inject({
      method: 'POST',
      url: '/api/v1/experts',
      headers: bearer(manager),
      payload: { name: '王伟', idNumber: '140105198001011234', phone: '13700000001', regionCode: '140105', employerName: '某设计院', employerUscc: '91140100MA0K2XYZ3A', specialties: ['A01'] },
    });
    expect(problem(create).rule).toBe('province_experts');
    const eligible = await city.app.inject({ method: 'POST', url: '/api/v1/experts/eligible', headers: bearer(manager), payload: { specialty: 'A01', regionCode: '140100', avoidUscc: [], on: evaluationDay() } });
    expect(problem(eligible).rule).toBe('province_experts');
    expect(await copies()).toHaveLength(0);
    expect((await city.app.inject({ method: 'GET', url: '/api/v1/experts/specialties', headers: bearer(manager) })).statusCode).toBe(200);
  });

  it('a draw while the province cannot be reached: 503, nothing stored', async () => {
    const stranded = await strandedCity(nodes);
    try {
      await makeRole(stranded, 'panel_staff', ['experts.panel.draw', 'experts.panel.read']);
      const token = await tokenWithRole(stranded, await makeOrganisation(stranded, { regionCode: '140100' }), 'panel_staff', 'region');
      const res = await stranded.app.inject({
        method: 'POST',
        url: '/api/v1/experts/draws',
        headers: bearer(token),
        payload: { dealCode: dealCode(7601), dealRegionCode: '140100', evaluationDate: evaluationDay(), needs: [{ specialtyCode: 'A01', count: 5 }], avoid: { usccs: [] } },
      });
      expect(res.statusCode).toBe(503);
      expect(problem(res).detail).toContain('省级平台暂时无法访问');
      expect(await stranded.deps.db.selectFrom('experts.draws').select('id').execute()).toHaveLength(0);
      expect(await stranded.deps.db.selectFrom('experts.experts').select('id').execute()).toHaveLength(0);
    } finally {
      await stranded.close();
    }
  }, 60_000);
});

describe("a city lot's panel is drawn from the province's pool", () => {
  let draw: DrawJson;

  it('the province classifies the candidates; the city draws and keeps copies of the drawn only', async () => {
    const res = await city.app.inject({ method: 'POST', url: `/api/v1/trading/lots/${lot.lotId}/panel`, headers: bearer(staff.token), payload: { evaluationDate: evaluationDay(), needs: [{ specialtyCode: 'A01', count: 5 }], reserves: 2 } });
    expect(res.statusCode, res.body).toBe(201);
    draw = res.json<DrawJson>();
    const need = draw.rounds[0]!.needs[0]!;
    // 13 candidates in 太原 (大同 is outside the deal's region), 10 eligible.
    expect(need).toMatchObject({ candidates: 13, eligible: 10 });
    expect(need.excluded).toMatchObject({ employer_avoided: 1, relation_avoided: 1, credit_banned: 1 });
    const drawn = draw.members.map((m) => m.expertId);
    expect(drawn).toHaveLength(7);
    const poolIds = new Set(pool.map((p) => p.id));
    expect(drawn.every((id) => poolIds.has(id))).toBe(true);
    // Named on the city from its copies.
    expect(draw.members.every((m) => m.name.startsWith('专家'))).toBe(true);

    const held = await copies();
    expect(held.map((e) => e.id)).toEqual([...drawn].sort());
    for (const id of [avoided, related, banned, ...elsewhere]) expect(held.some((e) => e.id === id)).toBe(false);
    const original = await province.deps.db.selectFrom('experts.experts').selectAll().where('id', '=', held[0]!.id).executeTakeFirstOrThrow();
    expect(held[0]).toMatchObject({ home_node: '140000', name: original.name, phone_masked: original.phone_masked, id_number_masked: original.id_number_masked, employer_uscc: original.employer_uscc });
    // Sealed again under the city's key: the province's ciphertext would not open here.
    expect(held[0]!.id_number_enc).not.toBe(original.id_number_enc);
    expect(openSm4(city.deps.keys.master, held[0]!.id_number_enc, `experts:${held[0]!.id}:id_number`).toString('utf8')).toBe(pool.find((p) => p.id === held[0]!.id)!.idNumber);
    expect(await city.deps.db.selectFrom('experts.expert_specialties').select('code').where('expert_id', '=', held[0]!.id).execute()).toEqual([{ code: 'A01' }]);
    const audits = await city.deps.db.selectFrom('audit.audit_log').select('target_id').where('action', '=', 'experts.reference.refresh').execute();
    expect(audits).toHaveLength(7);
  });

  it('a top-up asks the province again, leaving out everyone already placed', async () => {
    const as = bearer(staff.token);
    const pending = draw.members.filter((m) => m.state === 'pending').map((m) => m.expertId);
    for (const expertId of pending.slice(0, 3)) {
      const r = await city.app.inject({ method: 'POST', url: `/api/v1/trading/lots/${lot.lotId}/panel/responses`, headers: as, payload: { expertId, answer: 'declined', reason: '出差' } });
      expect(r.statusCode, r.body).toBe(200);
    }
    const topUp = await city.app.inject({ method: 'POST', url: `/api/v1/trading/lots/${lot.lotId}/panel/top-up`, headers: as });
    expect(topUp.statusCode, topUp.body).toBe(200);
    draw = topUp.json<DrawJson>();
    expect(draw.rounds[1]!.needs[0]).toMatchObject({ candidates: 13, eligible: 3 });
    expect(draw.rounds[1]!.needs[0]!.excluded).toMatchObject({ already_in_draw: 7 });
    expect(draw.members).toHaveLength(10);
    expect(await copies()).toHaveLength(10);
    const verification = await city.app.inject({ method: 'GET', url: `/api/v1/experts/draws/${draw.id}/verification`, headers: as });
    expect(verification.json()).toMatchObject({ consistent: true, requestDigestMatches: true });
  });

  it('a drawn expert signs in on the city with its province account and finds its lot', async () => {
    const as = bearer(staff.token);
    for (const m of draw.members.filter((x) => x.state === 'pending')) {
      expect((await city.app.inject({ method: 'POST', url: `/api/v1/trading/lots/${lot.lotId}/panel/responses`, headers: as, payload: { expertId: m.expertId, answer: 'accepted' } })).statusCode).toBe(200);
    }
    expect((await city.app.inject({ method: 'POST', url: `/api/v1/trading/lots/${lot.lotId}/panel/confirm`, headers: as })).statusCode).toBe(200);
    expect((await city.app.inject({ method: 'POST', url: `/api/v1/trading/lots/${lot.lotId}/evaluation/start`, headers: as })).statusCode).toBe(200);
    const seat = await city.deps.db.selectFrom('trading.evaluation_scores').select('expert_id').where('lot_id', '=', lot.lotId).orderBy('seat').executeTakeFirstOrThrow();
    // The account is opened at the province, as the pool's staff open it there.
    const account = await expertAccount(province, seat.expert_id);

    const login = await city.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: account.username, password: PASSWORD, tokenType: 'bearer' } });
    expect(login.statusCode, login.body).toBe(200);
    expect(login.json()).toMatchObject({ stage: 'mfa' });
    const token = login.json<{ token: string }>().token;
    city.clock.advance(30_000);
    province.clock.advance(30_000);
    const mfa = await city.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', headers: bearer(token), payload: { code: await totpNow(city) } });
    expect(mfa.statusCode, mfa.body).toBe(200);
    const me = await city.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
    expect(me.json()).toMatchObject({ stage: 'active', homeNode: '140000', expert: { id: seat.expert_id }, entity: null });
    const mine = await city.app.inject({ method: 'GET', url: '/api/v1/trading/evaluations/mine', headers: bearer(token) });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json<{ items: { lotId: string }[] }>().items.map((i) => i.lotId)).toEqual([lot.lotId]);

    const held = await city.deps.db.selectFrom('identity.accounts').select(['home_node', 'expert_id', 'entity_id', 'password_hash']).where('username', '=', account.username).executeTakeFirstOrThrow();
    expect(held).toMatchObject({ home_node: '140000', expert_id: seat.expert_id, entity_id: null, password_hash: '!province-account' });
    const change = await city.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: bearer(token), payload: { currentPassword: PASSWORD, newPassword: 'Other@2026pass' } });
    expect(problem(change)).toMatchObject({ field: 'account', rule: 'province_account' });
    // The province checked and counted the sign-in, naming the city.
    const provinceAccount = await province.deps.db.selectFrom('identity.accounts').select('id').where('username', '=', account.username).executeTakeFirstOrThrow();
    const audit = await province.deps.db.selectFrom('audit.audit_log').select(['result', 'detail']).where('action', '=', 'auth.login').where('target_id', '=', provinceAccount.id).execute();
    expect(audit.map((a) => [a.result, (a.detail as { node?: string }).node])).toContainEqual(['success', '140100']);
  });

  it("an expert's sign-in rewrites its copy from the province's record", async () => {
    const seat = await city.deps.db.selectFrom('trading.evaluation_scores').select('expert_id').where('lot_id', '=', lot.lotId).orderBy('seat').executeTakeFirstOrThrow();
    await province.deps.db.updateTable('experts.experts').set({ employer_name: '山西省建筑设计研究院有限公司' }).where('id', '=', seat.expert_id).execute();
    const account = await province.deps.db.selectFrom('identity.accounts').select('username').where('expert_id', '=', seat.expert_id).executeTakeFirstOrThrow();
    expect((await city.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: account.username, password: PASSWORD, tokenType: 'bearer' } })).statusCode).toBe(200);
    const copy = await city.deps.db.selectFrom('experts.experts').select(['employer_name', 'home_node']).where('id', '=', seat.expert_id).executeTakeFirstOrThrow();
    expect(copy).toEqual({ employer_name: '山西省建筑设计研究院有限公司', home_node: '140000' });
  });
});

describe("the city's copies of province experts between draws and sign-ins", () => {
  it('are asked of the province again once due: a suspension reaches the copy, the sessions of an account disabled there end', async () => {
    const seat = await city.deps.db.selectFrom('trading.evaluation_scores').select('expert_id').where('lot_id', '=', lot.lotId).orderBy('seat').executeTakeFirstOrThrow();
    const account = await province.deps.db.selectFrom('identity.accounts').select(['id', 'username']).where('expert_id', '=', seat.expert_id).executeTakeFirstOrThrow();
    const held = await city.deps.db.selectFrom('identity.accounts').select('id').where('username', '=', account.username).executeTakeFirstOrThrow();
    const period = city.deps.config.federation.referenceRefreshMinutes * 60_000;
    const start = Math.max(city.clock.now().getTime(), province.clock.now().getTime()) + 60_000;
    const setBoth = (t: number) => {
      province.clock.set(new Date(t));
      city.clock.set(new Date(t));
    };
    const refreshAt = async (t: number) => {
      setBoth(t);
      return refreshReferences(city.deps, new Date(t));
    };
    const copy = () => city.deps.db.selectFrom('experts.experts').select(['status', 'status_reason', 'refreshed_at']).where('id', '=', seat.expert_id).executeTakeFirstOrThrow();
    const refreshAudits = async () =>
      (await city.deps.db.selectFrom('audit.audit_log').select(['actor_username', 'detail']).where('action', '=', 'experts.reference.refresh').where('target_id', '=', seat.expert_id).orderBy('seq').execute()).map((a) => [a.actor_username, (a.detail as { status: string }).status]);

    // Signed in on the city at `start`: the copy is fresh from then.
    setBoth(start);
    const login = await city.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: account.username, password: PASSWORD, tokenType: 'bearer' } });
    const token = login.json<{ token: string }>().token;
    setBoth(start + 30_000);
    expect((await city.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', headers: bearer(token), payload: { code: await totpNow(city) } })).statusCode).toBe(200);
    const me = () => city.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
    expect((await me()).statusCode).toBe(200);
    expect((await copy()).refreshed_at!.getTime()).toBe(start);
    const before = await refreshAudits();

    // At the province the pool's staff suspend the expert, and the expert's account is disabled.
    await makeRole(province, 'pool_keeper', ['experts.expert.read', 'experts.expert.write']);
    const keeper = await tokenWithRole(province, await makeOrganisation(province, { regionCode: '140000' }), 'pool_keeper', 'region');
    const current = await province.app.inject({ method: 'GET', url: `/api/v1/experts/${seat.expert_id}`, headers: bearer(keeper) });
    expect(current.statusCode, current.body).toBe(200);
    const suspend = await province.app.inject({
      method: 'PATCH',
      url: `/api/v1/experts/${seat.expert_id}`,
      headers: bearer(keeper),
      payload: { version: current.json<{ version: number }>().version, status: 'suspended', statusReason: '年度考核不合格，暂停评标资格' },
    });
    expect(suspend.statusCode, suspend.body).toBe(200);
    await province.deps.db.updateTable('identity.accounts').set({ status: 'disabled' }).where('id', '=', account.id).execute();

    // Not yet due: the copy and the session stand.
    await refreshAt(start + period - 1);
    expect(await copy()).toMatchObject({ status: 'active', refreshed_at: new Date(start) });
    expect((await me()).statusCode).toBe(200);

    // Every open session of the account on the city ends (this one and those of earlier sign-ins).
    const open = await city.deps.db.selectFrom('identity.sessions').select('id').where('account_id', '=', held.id).where('ended_at', 'is', null).execute();
    expect(open.length).toBeGreaterThanOrEqual(1);
    const due = await refreshAt(start + period);
    expect(due.changed).toBeGreaterThanOrEqual(1);
    expect(due.sessionsEnded).toBe(open.length);
    expect(await copy()).toEqual({ status: 'suspended', status_reason: '年度考核不合格，暂停评标资格', refreshed_at: new Date(start + period) });
    expect(await refreshAudits()).toEqual([...before, ['system:reference-refresh', 'suspended']]);
    expect((await me()).statusCode).toBe(401);
    const ended = await city.deps.db.selectFrom('audit.audit_log').select('detail').where('action', '=', 'identity.reference.sessions_end').where('target_id', '=', held.id).execute();
    expect(ended.map((a) => a.detail)).toEqual([{ reason: 'disabled_at_province', sessions: open.length, node: '140000' }]);

    // A period later nothing has changed: marked fresh, not audited again.
    const again = await refreshAt(start + 2 * period);
    expect(again.sessionsEnded).toBe(0);
    expect((await copy()).refreshed_at).toEqual(new Date(start + 2 * period));
    expect(await refreshAudits()).toHaveLength(before.length + 1);
    const refused = await city.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: account.username, password: PASSWORD, tokenType: 'bearer' } });
    expect(refused.statusCode).toBe(403);
  });
});
