// The panel draw through HTTP: refusals first (401, 403, 400 naming field and rule, another
// city's deal), then the committee's shape at its boundaries, every avoidance reason, the credit
// ban on its first and last day, reserves replacing a decline, a top-up, confirmation, and the
// verification answer.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, makeOrganisation, problem, type Harness } from '../../../test/support/harness.ts';
import { usccFor } from './experts.fixtures.ts';
import { addExperts, banExpert, dealCode } from './experts.draw.test-support.ts';
import { makeRole, tokenWithRole } from './experts.test-support.ts';

let h: Harness;
let taiyuanStaff: string;
let datongStaff: string;
let provinceReader: string;
let poolManager: string;
let deal = 0;

const DAY = '2026-03-20';
const BIDDER = usccFor(910001);
const AGENCY = usccFor(910002);
const DEPT_USCC = '11100000000013127D';

type DrawJson = {
  id: string;
  status: string;
  seats: { specialtyCode: string; accepted: number; pending: number; standby: number; open: number }[];
  topUpNeeded: boolean;
  members: { expertId: string; specialtyCode: string; round: number; kind: string; rank: number; state: string; replacesExpertId: string | null; answerReason: string | null }[];
  rounds: { round: number; seed: string; needs: { specialtyCode: string; candidates: number; eligible: number; excluded: Record<string, number> }[] }[];
};

const send = (method: 'GET' | 'POST', url: string, token: string | null, payload?: unknown) =>
  h.app.inject({ method, url, headers: token ? bearer(token) : {}, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });

function body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  deal++;
  return { dealCode: dealCode(deal), lotCode: `${dealCode(deal)}001`, dealRegionCode: '140100', evaluationDate: DAY, needs: [{ specialtyCode: 'A01', count: 5 }], avoid: { usccs: [BIDDER, AGENCY] }, ...overrides };
}

async function draw(overrides: Record<string, unknown> = {}, token = taiyuanStaff): Promise<DrawJson> {
  const res = await send('POST', '/api/v1/experts/draws', token, body(overrides));
  if (res.statusCode !== 201) throw new Error(`draw: ${res.statusCode} ${res.body}`);
  return res.json<DrawJson>();
}

const countDraws = async () => Number((await h.deps.db.selectFrom('experts.draws').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const picked = (d: DrawJson) => d.members.map((m) => m.expertId);

beforeAll(async () => {
  h = await createHarness();
  const province = await makeOrganisation(h, { name: '山西省公共资源交易中心', regionCode: '140000' });
  const taiyuan = await makeOrganisation(h, { name: '太原市公共资源交易中心', regionCode: '140100', parentId: province });
  const datong = await makeOrganisation(h, { name: '大同市公共资源交易中心', regionCode: '140200', parentId: province });
  await makeRole(h, 'panel_staff', ['experts.panel.draw', 'experts.panel.read']);
  await makeRole(h, 'panel_reader', ['experts.panel.read']);
  await makeRole(h, 'pool_manager', ['experts.expert.read', 'experts.expert.write']);
  taiyuanStaff = await tokenWithRole(h, taiyuan, 'panel_staff', 'region');
  datongStaff = await tokenWithRole(h, datong, 'panel_staff', 'region');
  provinceReader = await tokenWithRole(h, province, 'panel_reader', 'province');
  poolManager = await tokenWithRole(h, taiyuan, 'pool_manager', 'region');
  // A01: a roomy pool in 太原 (districts and a county), for the shape cases and the answers.
  await addExperts(h, 12, { regionCode: '140105' });
  await addExperts(h, 8, { regionCode: '140121' });
});
afterAll(async () => {
  await h?.close();
});

describe('drawing: refusals', () => {
  it('401 without a session; 403 without experts.panel.draw (a reader, a pool manager)', async () => {
    expect((await send('POST', '/api/v1/experts/draws', null, body())).statusCode).toBe(401);
    expect((await send('GET', `/api/v1/experts/draws?dealCode=${dealCode(1)}`, null)).statusCode).toBe(401);
    expect((await send('POST', '/api/v1/experts/draws', provinceReader, body())).statusCode).toBe(403);
    expect((await send('POST', '/api/v1/experts/draws', poolManager, body())).statusCode).toBe(403);
    expect((await send('GET', `/api/v1/experts/draws?dealCode=${dealCode(1)}`, poolManager)).statusCode).toBe(403);
  });

  it('400 naming the field and the rule, and nothing stored', async () => {
    const before = await countDraws();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ dealCode: dealCode(1).slice(1) }, 'dealCode', 'minLength'],
      [{ dealCode: `${dealCode(1).slice(0, 32)}-` }, 'dealCode', 'pattern'],
      [{ lotCode: `${dealCode(999)}001` }, 'lotCode', 'of_deal'],
      [{ lotCode: `${dealCode(1)}01` }, 'lotCode', 'minLength'],
      [{ dealRegionCode: '149999' }, 'dealRegionCode', 'exists'],
      [{ category: 'lottery' }, 'category', 'exists'],
      [{ evaluationDate: '2026-03-01' }, 'evaluationDate', 'not_past'],
      [{ evaluationDate: '2026-02-30' }, 'evaluationDate', 'format'],
      [{ needs: [] }, 'needs', 'minItems'],
      [{ needs: [{ specialtyCode: 'Z99', count: 5 }] }, 'needs.0.specialtyCode', 'exists'],
      [{ needs: [{ specialtyCode: 'A01', count: 3 }, { specialtyCode: 'A01', count: 2 }] }, 'needs.1.specialtyCode', 'unique'],
      [{ needs: [{ specialtyCode: 'A01', count: 4 }] }, 'needs', 'min_committee'],
      [{ needs: [{ specialtyCode: 'A01', count: 6 }] }, 'needs', 'odd_committee'],
      [{ needs: [{ specialtyCode: 'A01', count: 4 }], tendererRepresentatives: 3 }, 'tendererRepresentatives', 'expert_share'],
      [{ needs: [{ specialtyCode: 'A01', count: 5 }], tendererRepresentatives: 4 }, 'tendererRepresentatives', 'expert_share'],
      [{ reserves: 0 }, 'reserves', 'min_reserves'],
      [{ avoid: { usccs: [BIDDER, '91350100M000100Y44'] } }, 'avoid.usccs.1', 'check_digit'],
      [{ avoid: { usccs: [], supervisingDepartment: { name: '太原市住建局', uscc: '91350100M000100Y44' } } }, 'avoid.supervisingDepartment.uscc', 'check_digit'],
      [{ avoid: {} }, 'avoid.usccs', 'required'],
    ];
    for (const [overrides, field, rule] of cases) {
      const res = await send('POST', '/api/v1/experts/draws', taiyuanStaff, body(overrides));
      expect(res.statusCode, JSON.stringify(overrides)).toBe(400);
      expect(problem(res).errors, JSON.stringify(overrides)).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
      expect(problem(res).detail).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(await countDraws()).toBe(before);
  });

  it("403 for another city's deal, with the field; the refusal is audited", async () => {
    const res = await send('POST', '/api/v1/experts/draws', datongStaff, body());
    expect(res.statusCode).toBe(403);
    expect(problem(res).errors).toEqual([expect.objectContaining({ field: 'dealRegionCode', rule: 'in_scope' })]);
    const denied = await h.deps.db.selectFrom('audit.audit_log').select('detail').where('action', '=', 'auth.denied').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(denied.detail).toMatchObject({ permission: 'experts.panel.draw', regionCode: '140100' });
  });

  it('409 naming the specialty and how many are eligible when the pool cannot fill a need', async () => {
    await addExperts(h, 3, { specialties: ['A05'] });
    const before = await countDraws();
    const res = await send('POST', '/api/v1/experts/draws', taiyuanStaff, body({ needs: [{ specialtyCode: 'A01', count: 2 }, { specialtyCode: 'A05', count: 3 }] }));
    expect(res.statusCode).toBe(409);
    expect(problem(res).errors).toEqual([expect.objectContaining({ field: 'needs.1.specialtyCode', rule: 'pool_insufficient' })]);
    expect(problem(res).detail).toContain('A05');
    expect(problem(res).detail).toContain('电力工程');
    expect(problem(res).detail).toContain('只有 3 人');
    expect(await countDraws()).toBe(before);
  });

  it('409 for a second draw of the same lot', async () => {
    const first = body();
    expect((await send('POST', '/api/v1/experts/draws', taiyuanStaff, first)).statusCode).toBe(201);
    const again = await send('POST', '/api/v1/experts/draws', taiyuanStaff, first);
    expect(again.statusCode).toBe(409);
    expect(problem(again).rule).toBe('already_drawn');
  });
});

describe('reading: scope', () => {
  it("a city's staff cannot read another city's draw (404, empty list); the province's reader can", async () => {
    const d = await draw();
    const code = (await h.deps.db.selectFrom('experts.draws').select('deal_code').where('id', '=', d.id).executeTakeFirstOrThrow()).deal_code;
    for (const url of [`/api/v1/experts/draws/${d.id}`, `/api/v1/experts/draws/${d.id}/verification`]) {
      expect((await send('GET', url, datongStaff)).statusCode, url).toBe(404);
      expect((await send('GET', url, provinceReader)).statusCode, url).toBe(200);
    }
    expect((await send('GET', `/api/v1/experts/draws?dealCode=${code}`, datongStaff)).json()).toEqual({ items: [] });
    expect((await send('GET', `/api/v1/experts/draws?dealCode=${code}`, taiyuanStaff)).json<{ items: unknown[] }>().items).toHaveLength(1);
    const write = await send('POST', `/api/v1/experts/draws/${d.id}/responses`, datongStaff, { expertId: d.members[0]!.expertId, answer: 'accepted' });
    expect(write.statusCode).toBe(404);
    expect((await send('POST', `/api/v1/experts/draws/${d.id}/confirm`, provinceReader)).statusCode).toBe(403);
  });
});

describe('committee shape', () => {
  it('draws 5 and 7 members with 2 reserves each by default; 6 experts + 3 representatives is exactly 2/3', async () => {
    for (const [count, reps] of [
      [5, 0],
      [7, 0],
      [6, 3],
      [5, 2],
    ] as const) {
      const d = await draw({ needs: [{ specialtyCode: 'A01', count }], tendererRepresentatives: reps });
      expect(d.members.filter((m) => m.kind === 'member')).toHaveLength(count);
      expect(d.members.filter((m) => m.kind === 'reserve')).toHaveLength(2);
      expect(new Set(picked(d)).size).toBe(count + 2);
      expect(d.members.filter((m) => m.kind === 'member').every((m) => m.state === 'pending')).toBe(true);
      expect(d.rounds[0]!.seed).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('the evaluation may be today (CST), not yesterday', async () => {
    expect((await draw({ evaluationDate: '2026-03-02' })).status).toBe('open');
    expect(problem(await send('POST', '/api/v1/experts/draws', taiyuanStaff, body({ evaluationDate: '2026-03-01' }))).rule).toBe('not_past');
  });

  it('the regions default to the deal’s region with its counties; a district request stays in it', async () => {
    const wide = await draw({ needs: [{ specialtyCode: 'A01', count: 5 }] });
    expect(wide.rounds[0]!.needs[0]!.eligible).toBe(20);
    const narrow = await draw({ regionCodes: ['140105'], needs: [{ specialtyCode: 'A01', count: 5 }] });
    expect(narrow.rounds[0]!.needs[0]!.eligible).toBe(12);
  });
});

describe('avoidance', () => {
  it('leaves out each avoided candidate and counts it under its reason; the rest are all drawn', async () => {
    const spec = { specialties: ['A10'] };
    const eligible = await addExperts(h, 7, spec);
    const excluded = {
      employer_avoided: await addExperts(h, 1, { ...spec, employerUscc: BIDDER }),
      relation_avoided: await addExperts(h, 1, { ...spec, relations: [AGENCY] }),
      supervising_department: [...(await addExperts(h, 1, { ...spec, employerUscc: DEPT_USCC })), ...(await addExperts(h, 1, { ...spec, employerName: '太原市住房和城乡建设局' }))],
      inactive: [...(await addExperts(h, 1, { ...spec, status: 'suspended' })), ...(await addExperts(h, 1, { ...spec, status: 'removed' }))],
      unavailable: await addExperts(h, 1, { ...spec, away: { from: '2026-03-18', to: DAY } }),
      credit_banned: await addExperts(h, 1, spec),
    };
    await banExpert(h, excluded.credit_banned[0]!.idNumber, '2026-03-10', DAY);
    await addExperts(h, 1, { ...spec, regionCode: '140213' }); // 大同: not a candidate at all

    const d = await draw({ needs: [{ specialtyCode: 'A10', count: 5 }], avoid: { usccs: [BIDDER, AGENCY], supervisingDepartment: { name: '太原市 住房和城乡建设局', uscc: DEPT_USCC } } });
    expect(d.rounds[0]!.needs[0]).toEqual({
      specialtyCode: 'A10',
      count: 5,
      candidates: 15,
      eligible: 7,
      excluded: { already_in_draw: 0, inactive: 2, employer_avoided: 1, relation_avoided: 1, supervising_department: 2, unavailable: 1, credit_banned: 1 },
    });
    expect(picked(d).sort()).toEqual(eligible.map((e) => e.id).sort());
    const verification = (await send('GET', `/api/v1/experts/draws/${d.id}/verification`, taiyuanStaff)).json<{ consistent: boolean; inputs: { eligible: { ids: string[] }[] }[] }>();
    expect(verification.consistent).toBe(true);
    for (const list of Object.values(excluded)) for (const e of list) expect(verification.inputs[0]!.eligible[0]!.ids).not.toContain(e.id);
  });

  it('a credit ban excludes on its first and its last day, not the day before or after', async () => {
    const others = await addExperts(h, 6, { specialties: ['A11'] });
    const [banned] = await addExperts(h, 1, { specialties: ['A11'] });
    await banExpert(h, banned!.idNumber, '2026-03-20', '2026-03-25');
    const on = async (evaluationDate: string) => (await draw({ evaluationDate, needs: [{ specialtyCode: 'A11', count: 5 }], reserves: 1 })).rounds[0]!.needs[0]!;
    expect(others).toHaveLength(6);
    expect((await on('2026-03-19')).excluded.credit_banned).toBe(0);
    expect(await on('2026-03-20')).toMatchObject({ eligible: 6, excluded: { credit_banned: 1 } });
    expect(await on('2026-03-25')).toMatchObject({ eligible: 6, excluded: { credit_banned: 1 } });
    expect(await on('2026-03-26')).toMatchObject({ eligible: 7, excluded: { credit_banned: 0 } });
    // A ban in another category does not keep the expert from a construction panel.
    expect((await draw({ category: 'government_procurement', evaluationDate: '2026-03-22', needs: [{ specialtyCode: 'A11', count: 5 }], reserves: 1 })).rounds[0]!.needs[0]!.excluded.credit_banned).toBe(0);
  });
});

describe('answers, reserves, top-up and confirmation', () => {
  it('a decline calls the next reserve; when reserves run out a top-up draws anew; confirmed when all accepted', async () => {
    await addExperts(h, 10, { specialties: ['A12'] });
    let d = await draw({ needs: [{ specialtyCode: 'A12', count: 5 }] });
    const url = `/api/v1/experts/draws/${d.id}`;
    const members = d.members.filter((m) => m.kind === 'member').sort((a, b) => a.rank - b.rank);
    const reserves = d.members.filter((m) => m.kind === 'reserve').sort((a, b) => a.rank - b.rank);
    const answer = (expertId: string, a: string, reason?: string) => send('POST', `${url}/responses`, taiyuanStaff, { expertId, answer: a, ...(reason ? { reason } : {}) });

    const noReason = await answer(members[0]!.expertId, 'declined');
    expect(noReason.statusCode).toBe(400);
    expect(problem(noReason).errors).toEqual([expect.objectContaining({ field: 'reason', rule: 'required' })]);
    expect(problem(await answer(reserves[0]!.expertId, 'accepted')).rule).toBe('not_called');
    expect(problem(await answer('00000000-0000-4000-8000-000000000000', 'accepted')).rule).toBe('in_draw');
    expect(problem(await send('POST', `${url}/top-up`, taiyuanStaff)).rule).toBe('nothing_to_top_up');

    const declined = await answer(members[0]!.expertId, 'declined', '当日另有评标任务');
    expect(declined.statusCode).toBe(200);
    expect(declined.json<{ replacedBy: string }>().replacedBy).toBe(reserves[0]!.expertId);
    d = declined.json<{ draw: DrawJson }>().draw;
    expect(d.members.find((m) => m.expertId === reserves[0]!.expertId)).toMatchObject({ state: 'pending', replacesExpertId: members[0]!.expertId });
    expect(d.members.find((m) => m.expertId === members[0]!.expertId)).toMatchObject({ state: 'declined', answerReason: '当日另有评标任务' });
    expect(problem(await answer(members[0]!.expertId, 'accepted')).rule).toBe('answered');

    expect((await answer(members[1]!.expertId, 'unreachable')).json<{ replacedBy: string }>().replacedBy).toBe(reserves[1]!.expertId);
    const exhausted = await answer(members[2]!.expertId, 'declined', '身体原因');
    expect(exhausted.json<{ replacedBy: string | null }>().replacedBy).toBeNull();
    d = exhausted.json<{ draw: DrawJson }>().draw;
    expect(d.topUpNeeded).toBe(true);
    expect(d.seats[0]).toMatchObject({ accepted: 0, pending: 4, standby: 0, open: 1 });

    const early = await send('POST', `${url}/confirm`, taiyuanStaff);
    expect(early.statusCode).toBe(409);
    expect(problem(early).rule).toBe('incomplete');

    const topUp = await send('POST', `${url}/top-up`, taiyuanStaff);
    expect(topUp.statusCode).toBe(200);
    d = topUp.json<DrawJson>();
    const round1 = d.members.filter((m) => m.round === 1);
    expect(round1.filter((m) => m.kind === 'member')).toHaveLength(1);
    expect(round1.filter((m) => m.kind === 'reserve')).toHaveLength(2);
    expect(d.rounds[1]!.needs[0]).toMatchObject({ candidates: 10, eligible: 3, excluded: { already_in_draw: 7 } });
    expect(d.topUpNeeded).toBe(false);

    for (const m of d.members.filter((x) => x.state === 'pending')) expect((await answer(m.expertId, 'accepted')).statusCode).toBe(200);
    const confirmed = await send('POST', `${url}/confirm`, taiyuanStaff);
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json<DrawJson>()).toMatchObject({ status: 'confirmed', seats: [{ accepted: 5, pending: 0, open: 0 }] });
    expect(problem(await answer(round1[1]!.expertId, 'accepted')).rule).toBe('confirmed');
    expect(problem(await send('POST', `${url}/top-up`, taiyuanStaff)).rule).toBe('confirmed');

    const v = (await send('GET', `${url}/verification`, provinceReader)).json<{ consistent: boolean; rounds: { consistent: boolean }[] }>();
    expect(v.consistent).toBe(true);
    expect(v.rounds).toHaveLength(2);

    const actions = await h.deps.db.selectFrom('audit.audit_log').select('action').where('target_id', '=', d.id).orderBy('seq').execute();
    expect(actions.map((a) => a.action)).toEqual(['experts.panel.draw', 'experts.panel.response', 'experts.panel.response', 'experts.panel.response', 'experts.panel.top_up', ...Array(5).fill('experts.panel.response'), 'experts.panel.confirm']);
  });
});
