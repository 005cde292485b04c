// The participation check at the ban's first and last day (CST), objections within their
// deadline and decided either way, repair (refused for non-repairable records and before the
// minimum period), and the subject's archive with its score — all through HTTP, refusals first.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, makeOrganisation, problem, type Harness } from '../../../test/support/harness.ts';
import { makeRole, tokenWithRole } from '../experts/experts.test-support.ts';
import { BAN_PROCUREMENT_TAIYUAN, idNumberFor, recordBody, usccFor } from './credit.fixtures.ts';

let h: Harness;
let province: string;
let taiyuan: string;
let seq = 500;

beforeAll(async () => {
  h = await createHarness({ GGZY_PASSWORD_MAX_AGE_DAYS: '0' });
  province = await makeOrganisation(h, { name: '山西省公共资源交易中心', regionCode: '140000' });
  taiyuan = await makeOrganisation(h, { name: '太原市公共资源交易中心', regionCode: '140100', parentId: province });
  await makeRole(h, 'credit_manager', ['credit.record.read', 'credit.record.write', 'credit.objection.file', 'credit.objection.decide', 'credit.repair.decide']);
  await makeRole(h, 'credit_filer', ['credit.record.read', 'credit.objection.file']);
});
afterAll(async () => {
  await h?.close();
});

/** Fresh tokens at `instant` (signing in moves the clock by a TOTP step, so the clock is set after). */
async function at(instant: string): Promise<{ manager: string; filer: string; cityManager: string }> {
  h.clock.set(new Date(Date.parse(instant) - 120_000));
  const manager = await tokenWithRole(h, province, 'credit_manager', 'province');
  const filer = await tokenWithRole(h, taiyuan, 'credit_filer', 'region');
  const cityManager = await tokenWithRole(h, taiyuan, 'credit_manager', 'region');
  h.clock.set(instant);
  return { manager, filer, cityManager };
}

const send = (method: 'GET' | 'POST', url: string, token: string, payload?: unknown) =>
  h.app.inject({ method, url, headers: bearer(token), ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });

async function createRecord(token: string, overrides: Record<string, unknown> = {}) {
  const res = await send('POST', '/api/v1/credit/records', token, recordBody(++seq, overrides));
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string; uscc: string | null; status: string }>();
}

const actionsOf = async (id: string) => (await h.deps.db.selectFrom('audit.audit_log').select('action').where('target_id', '=', id).orderBy('seq').execute()).map((a) => a.action);

describe('participation check', () => {
  const uscc = usccFor(31);
  const personId = idNumberFor(31);
  let token: string;

  beforeAll(async () => {
    token = (await at('2026-03-02T01:00:00Z')).manager;
    await createRecord(token, { uscc, type: 'blacklist', severity: 'serious', decisionDate: '2026-02-27', ban: BAN_PROCUREMENT_TAIYUAN });
    await createRecord(token, { subjectKind: 'person', uscc: undefined, idNumber: personId, subjectName: '赵某', role: 'staff', ban: { categories: ['*'], regionCode: '140000', from: '2026-03-01', to: '2026-12-31' } });
  });

  const check = (body: Record<string, unknown>) => send('POST', '/api/v1/credit/participation-check', token, { subject: { uscc }, category: 'government_procurement', regionCode: '140105', at: '2026-06-01T00:00:00+08:00', ...body });

  it('refuses bad identifiers, unknown categories and regions', async () => {
    expect(problem(await check({ subject: { uscc: '91350100M000100Y44' } }))).toMatchObject({ field: 'subject.uscc', rule: 'check_digit' });
    expect(problem(await check({ subject: { idNumber: '11010119900307447X' } }))).toMatchObject({ field: 'subject.idNumber', rule: 'check_digit' });
    expect(problem(await check({ subject: {} }))).toMatchObject({ field: 'subject.uscc', rule: 'one_of' });
    expect(problem(await check({ category: 'fishing' }))).toMatchObject({ field: 'category', rule: 'exists' });
    expect(problem(await check({ category: '*' }))).toMatchObject({ field: 'category', rule: 'exists' });
    expect(problem(await check({ regionCode: '149999' }))).toMatchObject({ field: 'regionCode', rule: 'exists' });
    expect(problem(await check({ at: 'tomorrow' }))).toMatchObject({ field: 'at', rule: 'format' });
  });

  it('blocks from the first instant of the first day to the last instant of the last day (CST)', async () => {
    const allowed = async (instant: string) => (await check({ at: instant })).json<{ allowed: boolean }>().allowed;
    expect(await allowed('2026-02-28T23:59:59.999+08:00')).toBe(true);
    expect(await allowed('2026-03-01T00:00:00.000+08:00')).toBe(false);
    expect(await allowed('2026-02-28T16:00:00.000Z')).toBe(false);
    expect(await allowed('2027-02-28T23:59:59.999+08:00')).toBe(false);
    expect(await allowed('2027-03-01T00:00:00.000+08:00')).toBe(true);
  });

  it('names the blocking record, and applies the category and the region subtree', async () => {
    const res = (await check({})).json();
    expect(res).toMatchObject({ allowed: false, blocking: [{ title: '提供虚假材料谋取中标', severity: 'serious', basis: expect.stringContaining('招标投标法'), until: '2027-02-28' }] });
    expect(res.blocking[0].reason).toMatch(/太原市/);
    expect((await check({ category: 'construction' })).json().allowed).toBe(true);
    expect((await check({ regionCode: '140213' })).json().allowed).toBe(true);
    expect((await check({ regionCode: '140100' })).json().allowed).toBe(false);
    expect((await check({ subject: { uscc: usccFor(32) } })).json()).toEqual({ allowed: true, blocking: [] });
  });

  it('finds a person by ID number; a province-wide ban on all categories covers every city', async () => {
    const person = (body: Record<string, unknown>) => check({ subject: { idNumber: personId.toLowerCase() }, ...body });
    expect((await person({ category: 'land', regionCode: '140213' })).json().allowed).toBe(false);
    expect((await person({ at: '2027-01-01T00:00:00+08:00' })).json().allowed).toBe(true);
  });
});

describe('objections', () => {
  it('refuses after the deadline: the 30th day after the decision is the last', async () => {
    let t = await at('2026-03-02T01:00:00Z');
    const early = await createRecord(t.manager, { decisionDate: '2026-03-01' });
    const late = await createRecord(t.manager, { decisionDate: '2026-03-01' });
    t = await at('2026-03-31T15:59:59.999Z'); // 2026-03-31 23:59:59.999 CST
    const filed = await send('POST', `/api/v1/credit/records/${early.id}/objections`, t.filer, { reason: '处罚事实认定有误', onBehalfOf: '山西某建设有限公司' });
    expect(filed.statusCode).toBe(201);
    t = await at('2026-03-31T16:00:00.000Z'); // 2026-04-01 00:00 CST
    const refused = await send('POST', `/api/v1/credit/records/${late.id}/objections`, t.filer, { reason: '处罚事实认定有误', onBehalfOf: '山西某建设有限公司' });
    expect(problem(refused)).toMatchObject({ code: 'validation_failed', rule: 'objection_deadline' });
  });

  it('puts the record under objection, flags it overdue after 15 days, and revokes it when upheld', async () => {
    let t = await at('2026-03-10T02:00:00Z');
    const uscc = usccFor(41);
    const r = await createRecord(t.manager, { uscc, decisionDate: '2026-03-05', ban: BAN_PROCUREMENT_TAIYUAN });
    expect(problem(await send('POST', `/api/v1/credit/records/${r.id}/objections`, t.filer, { reason: ' ', onBehalfOf: '某公司' }))).toMatchObject({ field: 'reason', rule: 'pattern' });
    const filed = await send('POST', `/api/v1/credit/records/${r.id}/objections`, t.filer, { reason: '不服', onBehalfOf: '某公司', evidence: [{ name: '说明.pdf', sm3Digest: 'b'.repeat(64), size: 10 }] });
    expect(filed.json()).toMatchObject({ status: 'pending', dueOn: '2026-03-25', overdue: false, onBehalfOf: '某公司' });
    const objectionId = filed.json<{ id: string }>().id;
    expect((await send('GET', `/api/v1/credit/records/${r.id}`, t.manager)).json().status).toBe('under_objection');
    expect(problem(await send('POST', `/api/v1/credit/records/${r.id}/objections`, t.filer, { reason: '再次', onBehalfOf: '某公司' }))).toMatchObject({ code: 'conflict', rule: 'pending_objection' });
    // Filing is not deciding.
    expect((await send('POST', `/api/v1/credit/objections/${objectionId}/decision`, t.filer, { outcome: 'upheld', reason: '成立' })).statusCode).toBe(403);
    const check = { subject: { uscc }, category: 'government_procurement', regionCode: '140100', at: '2026-04-01T12:00:00+08:00' };
    expect((await send('POST', '/api/v1/credit/participation-check', t.manager, check)).json().allowed).toBe(false);

    t = await at('2026-03-25T15:00:00Z'); // 03-25 CST: due today, not overdue
    const listed = async (token: string) => (await send('GET', '/api/v1/credit/objections?status=pending', token)).json<{ items: { id: string; overdue: boolean; recordTitle: string }[] }>().items.find((o) => o.id === objectionId);
    expect(await listed(t.manager)).toMatchObject({ overdue: false, recordTitle: '提供虚假材料谋取中标' });
    t = await at('2026-03-25T16:00:00Z'); // 03-26 CST
    expect((await listed(t.manager))?.overdue).toBe(true);
    expect(await listed(t.cityManager)).toBeDefined();

    const decided = await send('POST', `/api/v1/credit/objections/${objectionId}/decision`, t.manager, { outcome: 'upheld', reason: '经复核，业绩证明属实，撤销该记录' });
    expect(decided.json()).toMatchObject({ status: 'upheld', overdue: false, decisionReason: '经复核，业绩证明属实，撤销该记录' });
    expect((await send('GET', `/api/v1/credit/records/${r.id}`, t.manager)).json().status).toBe('revoked');
    expect((await send('POST', '/api/v1/credit/participation-check', t.manager, check)).json().allowed).toBe(true);
    expect(problem(await send('POST', `/api/v1/credit/objections/${objectionId}/decision`, t.manager, { outcome: 'dismissed', reason: '重复' })).code).toBe('conflict');
    expect(await actionsOf(r.id)).toEqual(['credit.record.create', 'credit.objection.file', 'credit.objection.decide']);
  });

  it('returns the record to effective when dismissed', async () => {
    const t = await at('2026-03-10T02:00:00Z');
    const r = await createRecord(t.manager, { decisionDate: '2026-03-05' });
    const id = (await send('POST', `/api/v1/credit/records/${r.id}/objections`, t.filer, { reason: '不服', onBehalfOf: '某公司' })).json<{ id: string }>().id;
    expect((await send('POST', `/api/v1/credit/objections/${id}/decision`, t.manager, { outcome: 'dismissed', reason: '异议不成立' })).json().status).toBe('dismissed');
    expect((await send('GET', `/api/v1/credit/records/${r.id}`, t.manager)).json().status).toBe('effective');
  });
});

describe('repair', () => {
  const body = { obligations: '已缴纳罚款并完成整改', evidence: [{ name: '缴款凭证.pdf', sm3Digest: 'c'.repeat(64), size: 2048 }], commitment: { accepted: true, text: '本单位承诺今后依法诚信参与公共资源交易' } };

  it('refuses non-repairable records, early requests and a missing commitment', async () => {
    let t = await at('2026-03-02T01:00:00Z');
    const collusion = await createRecord(t.manager, { severity: 'serious', notRepairableReason: 'collusion', decisionDate: '2026-03-01' });
    const lending = await createRecord(t.manager, { severity: 'serious', notRepairableReason: 'qualification_lending', decisionDate: '2026-03-01' });
    const ordinary = await createRecord(t.manager, { decisionDate: '2026-03-01' });
    const reward = await createRecord(t.manager, { type: 'reward', severity: undefined, title: '诚信示范企业' });
    expect(problem(await send('POST', `/api/v1/credit/records/${ordinary.id}/repairs`, t.filer, { ...body, commitment: { accepted: false, text: '承诺' } }))).toMatchObject({ field: 'commitment.accepted', rule: 'const' });
    expect(problem(await send('POST', `/api/v1/credit/records/${ordinary.id}/repairs`, t.filer, { ...body, evidence: [] }))).toMatchObject({ field: 'evidence', rule: 'minItems' });
    t = await at('2026-05-31T15:59:00Z'); // 05-31 CST: three months not yet passed
    expect(problem(await send('POST', `/api/v1/credit/records/${ordinary.id}/repairs`, t.filer, body))).toMatchObject({ rule: 'min_period' });
    t = await at('2030-01-01T00:00:00Z');
    expect(problem(await send('POST', `/api/v1/credit/records/${collusion.id}/repairs`, t.filer, body))).toMatchObject({ rule: 'not_repairable' });
    expect(problem(await send('POST', `/api/v1/credit/records/${lending.id}/repairs`, t.filer, body))).toMatchObject({ rule: 'not_repairable' });
    expect(problem(await send('POST', `/api/v1/credit/records/${reward.id}/repairs`, t.filer, body))).toMatchObject({ rule: 'not_adverse' });
  });

  it('once approved, ends the disclosure and the ban; a second request is refused', async () => {
    let t = await at('2026-03-02T01:00:00Z');
    const uscc = usccFor(51);
    const r = await createRecord(t.manager, { uscc, decisionDate: '2026-03-01', ban: BAN_PROCUREMENT_TAIYUAN });
    t = await at('2026-05-31T16:00:00Z'); // 06-01 CST: three months passed
    expect((await h.app.inject({ method: 'GET', url: `/api/v1/public/credit?uscc=${uscc}` })).json().items).toHaveLength(1);
    const requested = await send('POST', `/api/v1/credit/records/${r.id}/repairs`, t.filer, body);
    expect(requested.json()).toMatchObject({ status: 'pending', commitment: { accepted: true } });
    expect(problem(await send('POST', `/api/v1/credit/records/${r.id}/repairs`, t.filer, body))).toMatchObject({ code: 'conflict', rule: 'pending_repair' });
    const repairId = requested.json<{ id: string }>().id;
    expect((await send('POST', `/api/v1/credit/repairs/${repairId}/decision`, t.filer, { outcome: 'approved', reason: '同意' })).statusCode).toBe(403);
    const approved = await send('POST', `/api/v1/credit/repairs/${repairId}/decision`, t.manager, { outcome: 'approved', reason: '义务已履行，承诺已公开' });
    expect(approved.json()).toMatchObject({ status: 'approved' });
    expect((await send('GET', `/api/v1/credit/records/${r.id}`, t.manager)).json().status).toBe('repaired');
    expect((await h.app.inject({ method: 'GET', url: `/api/v1/public/credit?uscc=${uscc}` })).json().items).toEqual([]);
    const check = { subject: { uscc }, category: 'government_procurement', regionCode: '140100', at: '2026-06-02T00:00:00+08:00' };
    expect((await send('POST', '/api/v1/credit/participation-check', t.manager, check)).json().allowed).toBe(true);
    expect(problem(await send('POST', `/api/v1/credit/records/${r.id}/repairs`, t.filer, body))).toMatchObject({ rule: 'already_repaired' });
    expect(await actionsOf(r.id)).toEqual(['credit.record.create', 'credit.repair.request', 'credit.repair.decide']);
  });

  it('keeps the record when rejected', async () => {
    let t = await at('2026-03-02T01:00:00Z');
    const r = await createRecord(t.manager, { decisionDate: '2026-03-01', severity: 'minor' });
    t = await at('2026-03-03T01:00:00Z');
    const id = (await send('POST', `/api/v1/credit/records/${r.id}/repairs`, t.filer, body)).json<{ id: string }>().id;
    expect((await send('POST', `/api/v1/credit/repairs/${id}/decision`, t.manager, { outcome: 'rejected', reason: '证明材料不足' })).json()).toMatchObject({ status: 'rejected', decisionReason: '证明材料不足' });
    expect((await send('GET', `/api/v1/credit/records/${r.id}`, t.manager)).json().status).toBe('effective');
  });
});

describe('archive', () => {
  it('shows a subject’s records, objections, repairs and score; a person is looked up by ID number in the body', async () => {
    let t = await at('2026-03-02T01:00:00Z');
    const uscc = usccFor(61);
    const serious = await createRecord(t.manager, { uscc, severity: 'serious', decisionDate: '2026-03-01' });
    await createRecord(t.manager, { uscc, type: 'reward', severity: undefined, title: '守信激励', decisionDate: '2026-03-01' });
    await send('POST', `/api/v1/credit/records/${serious.id}/objections`, t.filer, { reason: '不服', onBehalfOf: '某公司' });
    expect(problem(await send('POST', '/api/v1/credit/subjects/archive', t.manager, { uscc: '91350100M000100Y44' }))).toMatchObject({ field: 'uscc', rule: 'check_digit' });
    const a = (await send('POST', '/api/v1/credit/subjects/archive', t.manager, { uscc })).json();
    expect(a.subject).toMatchObject({ kind: 'organisation', uscc });
    expect(a.records).toHaveLength(2);
    expect(a.objections).toHaveLength(1);
    expect(a.score).toMatchObject({ score: 75, grade: 'B' }); // one day in: 100 − 30 × 1095/1096 + 5 × 364/365 = 75.01
    expect(a.score.explanation.map((e: { title: string }) => e.title).sort()).toEqual(['守信激励', '提供虚假材料谋取中标'].sort());

    const personId = idNumberFor(61);
    t = await at('2026-03-02T02:00:00Z');
    await createRecord(t.manager, { subjectKind: 'person', uscc: undefined, idNumber: personId, subjectName: '钱某', role: 'expert', severity: 'minor', decisionDate: '2026-03-02' });
    const p = await send('POST', '/api/v1/credit/subjects/archive', t.manager, { idNumber: personId });
    expect(p.json()).toMatchObject({ subject: { kind: 'person', name: '钱某', uscc: null, idNumberMasked: `${personId.slice(0, 6)}********${personId.slice(14)}` }, score: { score: 98, grade: 'A' } });
    expect(p.body).not.toContain(personId);
  });
});
