// The expert pool through HTTP: refusals first (bad identifiers and codes, duplicates, stale
// versions, other cities' experts), then masking for every reader, status, periods, relations
// and the audit trail. Eligibility has its own file (experts.eligible.http.test.ts).

import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, makeOrganisation, problem, type Harness } from '../../../test/support/harness.ts';
import { idNumberFor, usccFor } from './experts.fixtures.ts';
import * as repo from './experts.repository.ts';
import { makeRole, tokenWithRole } from './experts.test-support.ts';

let h: Harness;
let provinceManager: string;
let taiyuanManager: string;
let datongManager: string;
let taiyuanReader: string;
let taiyuanClerk: string;
let seq = 1000;

beforeAll(async () => {
  h = await createHarness();
  const province = await makeOrganisation(h, { name: '山西省公共资源交易中心', regionCode: '140000' });
  const taiyuan = await makeOrganisation(h, { name: '太原市公共资源交易中心', regionCode: '140100', parentId: province });
  const datong = await makeOrganisation(h, { name: '大同市公共资源交易中心', regionCode: '140200', parentId: province });
  await makeRole(h, 'expert_manager', ['experts.expert.read', 'experts.expert.write']);
  await makeRole(h, 'expert_reader', ['experts.expert.read']);
  provinceManager = await tokenWithRole(h, province, 'expert_manager', 'province');
  taiyuanManager = await tokenWithRole(h, taiyuan, 'expert_manager', 'region');
  datongManager = await tokenWithRole(h, datong, 'expert_manager', 'region');
  taiyuanReader = await tokenWithRole(h, taiyuan, 'expert_reader', 'region');
  taiyuanClerk = await tokenWithRole(h, taiyuan, 'expert_manager', 'own');
});
afterAll(async () => {
  await h?.close();
});

const send = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, token: string, payload?: unknown) =>
  h.app.inject({ method, url, headers: bearer(token), ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });

function expertBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  seq++;
  return { name: `专家${seq}`, idNumber: idNumberFor(seq), phone: `1380000${String(seq).padStart(4, '0')}`, regionCode: '140105', employerName: '山西某建设集团有限公司', employerUscc: usccFor(seq), titles: ['高级工程师'], specialties: ['A01', 'A13'], ...overrides };
}

async function createExpert(token: string, overrides: Record<string, unknown> = {}) {
  const res = await send('POST', '/api/v1/experts', token, expertBody(overrides));
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string; version: number; idNumberMasked: string; phoneMasked: string }>();
}

const countExperts = async () => Number((await h.deps.db.selectFrom('experts.experts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('creating an expert: refusals', () => {
  it('refuses bad identifiers and codes, naming the field and the rule, and stores nothing', async () => {
    const before = await countExperts();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ idNumber: '11010119900307447X' }, 'idNumber', 'check_digit'],
      [{ idNumber: '110101199002304470' }, 'idNumber', 'birth_date'],
      [{ employerUscc: '91350100M000100Y44' }, 'employerUscc', 'check_digit'],
      [{ employerUscc: '91350100M000100YI3' }, 'employerUscc', 'format'],
      [{ specialties: ['A99'] }, 'specialties.0', 'exists'],
      [{ specialties: ['A01', 'A'] }, 'specialties.1', 'leaf'],
      [{ specialties: ['A01', 'A01'] }, 'specialties.1', 'unique'],
      [{ specialties: [] }, 'specialties', 'minItems'],
      [{ specialties: ['A01'], primarySpecialty: 'A02' }, 'primarySpecialty', 'in_specialties'],
      [{ regionCode: '149999' }, 'regionCode', 'exists'],
      [{ phone: '12345678901' }, 'phone', 'format'],
      [{ name: undefined }, 'name', 'required'],
    ];
    for (const [overrides, field, rule] of cases) {
      const res = await send('POST', '/api/v1/experts', provinceManager, expertBody(overrides));
      expect(res.statusCode, JSON.stringify(overrides)).toBe(400);
      expect(problem(res).errors, JSON.stringify(overrides)).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
      expect(problem(res).detail).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(await countExperts()).toBe(before);
  });

  it('refuses a second expert with the same ID number (409 naming idNumber), whatever the case of the X', async () => {
    const idNumber = '11010519491231002X';
    expect((await send('POST', '/api/v1/experts', provinceManager, expertBody({ idNumber }))).statusCode).toBe(201);
    const dup = await send('POST', '/api/v1/experts', provinceManager, expertBody({ idNumber: idNumber.toLowerCase() }));
    expect(dup.statusCode).toBe(409);
    expect(problem(dup)).toMatchObject({ code: 'conflict', field: 'idNumber' });
  });

  it('answers two simultaneous registrations of one person with one 201 and one 409', async () => {
    const body = expertBody();
    const both = await Promise.all([send('POST', '/api/v1/experts', provinceManager, body), send('POST', '/api/v1/experts', provinceManager, { ...body, phone: '13800009999' })]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(problem(both.find((r) => r.statusCode === 409)!).field).toBe('idNumber');
  });

  it('maps the unique indexes behind a lost race (ID number, relation) to 409, on either database', async () => {
    const e = await createExpert(provinceManager);
    const row = await h.deps.db.selectFrom('experts.experts').selectAll().where('id', '=', e.id).executeTakeFirstOrThrow();
    const { version: _version, ...twin } = { ...row, id: crypto.randomUUID() };
    const idClash = await repo.insertExpert(h.deps.db, twin, [{ code: 'A01', is_primary: true }]).catch((x: unknown) => x);
    expect(repo.isUniqueViolation(idClash, 'experts_id_number')).toBe(true);
    const relation = { id: crypto.randomUUID(), expert_id: e.id, uscc: usccFor(7), kind: 'interest' as const, note: '', declared_on: '2026-03-01', created_by: null, created_at: h.clock.now() };
    await repo.insertRelation(h.deps.db, relation);
    const relationClash = await repo.insertRelation(h.deps.db, { ...relation, id: crypto.randomUUID() }).catch((x: unknown) => x);
    expect(repo.isUniqueViolation(relationClash, 'relations_expert_id_uscc_kind_key')).toBe(true);
    expect(repo.isUniqueViolation(relationClash, 'experts_id_number')).toBe(false);
  });

  it('refuses names with leading or trailing blanks', async () => {
    const res = await send('POST', '/api/v1/experts', provinceManager, expertBody({ name: '  ' }));
    expect(problem(res).errors?.[0]).toMatchObject({ field: 'name', rule: 'pattern' });
  });

  it('refuses a city placing an expert in another city (403, audited)', async () => {
    const denied = async () => Number((await h.deps.db.selectFrom('audit.audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'auth.denied').executeTakeFirstOrThrow()).n);
    const before = await denied();
    const res = await send('POST', '/api/v1/experts', taiyuanManager, expertBody({ regionCode: '140213' }));
    expect(res.statusCode).toBe(403);
    expect(problem(res).field).toBe('regionCode');
    expect(await denied()).toBe(before + 1);
  });

  it('refuses a reader without the write permission', async () => {
    expect((await send('POST', '/api/v1/experts', taiyuanReader, expertBody())).statusCode).toBe(403);
  });
});

describe('updating an expert: refusals', () => {
  it('refuses a stale version with 409 and keeps the newer data', async () => {
    const e = await createExpert(provinceManager);
    const first = await send('PATCH', `/api/v1/experts/${e.id}`, provinceManager, { version: 1, titles: ['正高级工程师'] });
    expect(first.json()).toMatchObject({ titles: ['正高级工程师'], version: 2 });
    const stale = await send('PATCH', `/api/v1/experts/${e.id}`, provinceManager, { version: 1, titles: ['工程师'] });
    expect(stale.statusCode).toBe(409);
    expect(problem(stale)).toMatchObject({ field: 'version', rule: 'stale' });
    expect((await send('GET', `/api/v1/experts/${e.id}`, provinceManager)).json().titles).toEqual(['正高级工程师']);
  });

  it('validates changed identifiers and specialties', async () => {
    const e = await createExpert(provinceManager);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ employerUscc: '91350100M000100Y44' }, 'employerUscc', 'check_digit'],
      [{ regionCode: '149999' }, 'regionCode', 'exists'],
      [{ specialties: ['C'] }, 'specialties.0', 'leaf'],
      [{ primarySpecialty: 'B01' }, 'primarySpecialty', 'in_specialties'],
      [{ status: 'suspended' }, 'statusReason', 'required'],
      [{ statusReason: '无' }, 'statusReason', 'only_when_inactive'],
      [{ idNumber: idNumberFor(1) }, 'idNumber', 'additionalProperties'],
    ];
    for (const [body, field, rule] of cases) {
      const res = await send('PATCH', `/api/v1/experts/${e.id}`, provinceManager, { version: 1, ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(problem(res).errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
    }
    expect((await send('GET', `/api/v1/experts/${e.id}`, provinceManager)).json().version).toBe(1);
  });

  it('suspends with a reason, lifts the suspension, removes for good', async () => {
    const e = await createExpert(provinceManager);
    const suspended = await send('PATCH', `/api/v1/experts/${e.id}`, provinceManager, { version: 1, status: 'suspended', statusReason: '年度考核不合格' });
    expect(suspended.json()).toMatchObject({ status: 'suspended', statusReason: '年度考核不合格', version: 2 });
    const active = await send('PATCH', `/api/v1/experts/${e.id}`, provinceManager, { version: 2, status: 'active' });
    expect(active.json()).toMatchObject({ status: 'active', statusReason: null });
    const removed = await send('PATCH', `/api/v1/experts/${e.id}`, provinceManager, { version: 3, status: 'removed', statusReason: '评标违规，予以清退' });
    expect(removed.json().status).toBe('removed');
    const back = await send('PATCH', `/api/v1/experts/${e.id}`, provinceManager, { version: 4, status: 'active' });
    expect(problem(back).errors?.[0]).toMatchObject({ field: 'status', rule: 'removed_final' });
  });

  it('replaces specialties, keeping the primary one when it remains', async () => {
    const e = await createExpert(provinceManager, { specialties: ['A01', 'A13'], primarySpecialty: 'A13' });
    const res = await send('PATCH', `/api/v1/experts/${e.id}`, provinceManager, { version: 1, specialties: ['A12', 'A13'] });
    expect(res.json()).toMatchObject({ primarySpecialty: 'A13', specialties: [{ code: 'A13', name: '工程造价' }, { code: 'A12', name: '工程监理' }] });
  });
});

describe('cross-city isolation', () => {
  let datongExpert: { id: string };
  let taiyuanExpert: { id: string };

  beforeAll(async () => {
    datongExpert = await createExpert(datongManager, { regionCode: '140213' });
    taiyuanExpert = await createExpert(taiyuanManager, { regionCode: '140105' });
  });

  it("a city's staff neither see nor change another city's experts", async () => {
    const listed = (await send('GET', '/api/v1/experts?pageSize=200', taiyuanManager)).json<{ items: { id: string; regionCode: string }[] }>().items;
    expect(listed.map((e) => e.id)).toContain(taiyuanExpert.id);
    expect(listed.map((e) => e.id)).not.toContain(datongExpert.id);
    expect(listed.every((e) => e.regionCode.startsWith('1401'))).toBe(true);
    const url = `/api/v1/experts/${datongExpert.id}`;
    expect((await send('GET', url, taiyuanManager)).statusCode).toBe(404);
    expect((await send('PATCH', url, taiyuanManager, { version: 1, name: '被改了' })).statusCode).toBe(404);
    expect((await send('POST', `${url}/unavailability`, taiyuanManager, { from: '2026-03-10', to: '2026-03-11', reason: '出差' })).statusCode).toBe(404);
    expect((await send('POST', `${url}/relations`, taiyuanManager, { uscc: usccFor(1), kind: 'interest' })).statusCode).toBe(404);
    const moved = await send('PATCH', `/api/v1/experts/${taiyuanExpert.id}`, taiyuanManager, { version: 1, regionCode: '140213' });
    expect(moved.statusCode).toBe(403);
    const untouched = (await send('GET', url, datongManager)).json();
    expect(untouched).toMatchObject({ version: 1, unavailability: [], relations: [] });
    expect(untouched.name).not.toBe('被改了');
  });

  it('the province sees every city', async () => {
    const ids = (await send('GET', '/api/v1/experts?pageSize=200', provinceManager)).json<{ items: { id: string }[] }>().items.map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining([datongExpert.id, taiyuanExpert.id]));
  });

  it('with the own scope, staff see and change only the experts they registered', async () => {
    const mine = await createExpert(taiyuanClerk, { regionCode: '140106' });
    const ids = (await send('GET', '/api/v1/experts?pageSize=200', taiyuanClerk)).json<{ items: { id: string }[] }>().items.map((e) => e.id);
    expect(ids).toEqual([mine.id]);
    expect((await send('GET', `/api/v1/experts/${taiyuanExpert.id}`, taiyuanClerk)).statusCode).toBe(404);
    expect((await send('POST', '/api/v1/experts', taiyuanClerk, expertBody({ regionCode: '140213' }))).statusCode).toBe(403);
  });
});

describe('masking', () => {
  const idNumber = '440524188001010014';
  const phone = '13912345678';
  let expertId: string;

  beforeAll(async () => {
    expertId = (await createExpert(taiyuanManager, { idNumber, phone, regionCode: '140105' })).id;
  });

  it('every reader gets masked ID numbers and phones only, on every route', async () => {
    for (const token of [provinceManager, taiyuanManager, taiyuanReader]) {
      const one = await send('GET', `/api/v1/experts/${expertId}`, token);
      expect(one.json()).toMatchObject({ idNumberMasked: '440524********0014', phoneMasked: '139****5678', gender: 'male', birthYear: 1880 });
      const list = await send('GET', '/api/v1/experts?q=%E4%B8%93%E5%AE%B6&pageSize=200', token);
      const eligible = await send('POST', '/api/v1/experts/eligible', token, { specialty: 'A', regionCode: '140100', avoidUscc: [], on: '2026-03-20' });
      expect(eligible.json().items.map((e: { id: string }) => e.id)).toContain(expertId);
      for (const res of [one, list, eligible]) {
        expect(res.statusCode).toBe(200);
        expect(res.body).not.toContain(idNumber);
        expect(res.body).not.toContain(phone);
        expect(res.body).not.toMatch(/"idNumber"|"phone"|id_number|phone_enc/);
      }
    }
  });

  it('stores them encrypted and keeps them out of the audit trail', async () => {
    await send('PATCH', `/api/v1/experts/${expertId}`, taiyuanManager, { version: 1, phone: '13800001111' });
    const row = await h.deps.db.selectFrom('experts.experts').selectAll().where('id', '=', expertId).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(idNumber);
    expect(JSON.stringify(row)).not.toContain('13800001111');
    expect(row.phone_masked).toBe('138****1111');
    const audit = await h.deps.db.selectFrom('audit.audit_log').selectAll().where('target_id', '=', expertId).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['experts.expert.create', 'experts.expert.update']);
    expect(JSON.stringify(audit)).not.toMatch(new RegExp(`${idNumber}|${phone}|13800001111|440524\\*|139\\*`));
    expect(audit[1]!.detail).toMatchObject({ fields: expect.arrayContaining(['phone']) });
  });
});

describe('unavailability and relations', () => {
  it('adds and removes a period; the expert version moves on; each change is audited', async () => {
    const e = await createExpert(provinceManager);
    const bad = await send('POST', `/api/v1/experts/${e.id}/unavailability`, provinceManager, { from: '2026-03-12', to: '2026-03-11', reason: '出差' });
    expect(problem(bad).errors?.[0]).toMatchObject({ field: 'to', rule: 'not_before_from' });
    const badDate = await send('POST', `/api/v1/experts/${e.id}/unavailability`, provinceManager, { from: '2026-02-30', to: '2026-03-11', reason: '出差' });
    expect(problem(badDate).field).toBe('from');
    const added = await send('POST', `/api/v1/experts/${e.id}/unavailability`, provinceManager, { from: '2026-03-10', to: '2026-03-12', reason: '出国访问' });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ version: 2, unavailability: [{ from: '2026-03-10', to: '2026-03-12', reason: '出国访问' }] });
    const periodId = added.json().unavailability[0].id;
    expect((await send('DELETE', `/api/v1/experts/${e.id}/unavailability/${crypto.randomUUID()}`, provinceManager)).statusCode).toBe(404);
    const removed = await send('DELETE', `/api/v1/experts/${e.id}/unavailability/${periodId}`, provinceManager);
    expect(removed.json()).toMatchObject({ version: 3, unavailability: [] });
    const actions = await h.deps.db.selectFrom('audit.audit_log').select('action').where('target_id', '=', e.id).orderBy('seq').execute();
    expect(actions.map((a) => a.action)).toEqual(['experts.expert.create', 'experts.unavailability.add', 'experts.unavailability.remove']);
  });

  it('declares relations: validated USCC, no duplicates, no future date; removes them', async () => {
    const e = await createExpert(provinceManager);
    const url = `/api/v1/experts/${e.id}/relations`;
    expect(problem(await send('POST', url, provinceManager, { uscc: '91350100M000100Y44', kind: 'relative' })).errors?.[0]).toMatchObject({ field: 'uscc', rule: 'check_digit' });
    expect(problem(await send('POST', url, provinceManager, { uscc: usccFor(5), kind: 'cousin' })).errors?.[0]).toMatchObject({ field: 'kind', rule: 'enum' });
    // The harness clock stands at 2026-03-02 09:00 in China.
    expect(problem(await send('POST', url, provinceManager, { uscc: usccFor(5), kind: 'relative', declaredOn: '2026-03-03' })).errors?.[0]).toMatchObject({ field: 'declaredOn', rule: 'not_future' });
    const added = await send('POST', url, provinceManager, { uscc: usccFor(5).toLowerCase(), kind: 'relative', note: '配偶任职单位', declaredOn: '2026-03-02' });
    expect(added.statusCode).toBe(201);
    expect(added.json().relations).toEqual([expect.objectContaining({ uscc: usccFor(5), kind: 'relative', note: '配偶任职单位', declaredOn: '2026-03-02' })]);
    const dup = await send('POST', url, provinceManager, { uscc: usccFor(5), kind: 'relative' });
    expect(dup.statusCode).toBe(409);
    expect(problem(dup).field).toBe('uscc');
    const other = await send('POST', url, provinceManager, { uscc: usccFor(5), kind: 'interest' });
    expect(other.json().relations).toHaveLength(2);
    const removed = await send('DELETE', `${url}/${added.json().relations[0].id}`, provinceManager);
    expect(removed.json().relations.map((r: { kind: string }) => r.kind)).toEqual(['interest']);
  });
});

describe('reference data and lists', () => {
  it('serves the specialty code table with its version', async () => {
    const res = await send('GET', '/api/v1/experts/specialties', taiyuanReader);
    const body = res.json<{ version: string; items: { code: string; parentCode: string | null; level: number }[] }>();
    expect(body.version).toBe('2026.1');
    expect(body.items.find((s) => s.code === 'A01')).toMatchObject({ parentCode: 'A', level: 2 });
    expect(body.items.filter((s) => s.level === 2).length).toBeGreaterThanOrEqual(40);
  });

  it('filters by specialty (a category matches its leaves), region subtree, status and name, with paging', async () => {
    const a = await createExpert(provinceManager, { name: '筛选甲', specialties: ['D01'], regionCode: '140303' });
    const b = await createExpert(provinceManager, { name: '筛选乙', specialties: ['D03', 'E01'], regionCode: '140300' });
    await createExpert(provinceManager, { name: '筛选丙', specialties: ['E02'], regionCode: '140303' });
    const ids = async (query: string) => (await send('GET', `/api/v1/experts?${query}`, provinceManager)).json<{ items: { id: string }[] }>().items.map((e) => e.id).sort();
    expect(await ids('specialty=D')).toEqual([a.id, b.id].sort());
    expect(await ids('specialty=D01')).toEqual([a.id]);
    expect(await ids('specialty=D&regionCode=140303')).toEqual([a.id]);
    expect(await ids(`q=${encodeURIComponent('筛选乙')}`)).toEqual([b.id]);
    const page = (await send('GET', '/api/v1/experts?regionCode=140300&pageSize=2&page=2', provinceManager)).json();
    expect(page).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(page.items).toHaveLength(1);
    expect(problem(await send('GET', '/api/v1/experts?specialty=Q', provinceManager))).toMatchObject({ field: 'specialty', rule: 'exists' });
  });
});
