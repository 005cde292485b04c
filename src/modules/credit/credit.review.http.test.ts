// What the workbench's credit screens read besides records: the repair review list, the history
// of one record (its objections and repair requests, who filed and who decided), and the code
// table and rule parameters the forms explain. Through HTTP, refusals first (401, 403, 400,
// another city's data).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, makeOrganisation, problem, type Harness } from '../../../test/support/harness.ts';
import { makeRole, tokenWithRole } from '../experts/experts.test-support.ts';
import { recordBody } from './credit.fixtures.ts';

let h: Harness;
let province: string;
let taiyuan: string;
let datong: string;
let provinceManager: string;
let taiyuanManager: string;
let datongManager: string;
let taiyuanFiler: string;
let datongFiler: string;
let taiyuanReader: string;
let noCredit: string;
let seq = 900;

const REPAIR = { obligations: '已缴纳罚款并完成整改', evidence: [{ name: '缴款凭证.pdf', sm3Digest: 'c'.repeat(64), size: 2048 }], commitment: { accepted: true, text: '本单位承诺依法诚信参与公共资源交易' } };

beforeAll(async () => {
  h = await createHarness({ GGZY_PASSWORD_MAX_AGE_DAYS: '0' });
  province = await makeOrganisation(h, { name: '山西省公共资源交易中心', regionCode: '140000' });
  taiyuan = await makeOrganisation(h, { name: '太原市公共资源交易中心', regionCode: '140100', parentId: province });
  datong = await makeOrganisation(h, { name: '大同市公共资源交易中心', regionCode: '140200', parentId: province });
  await makeRole(h, 'credit_manager', ['credit.record.read', 'credit.record.write', 'credit.objection.decide', 'credit.repair.decide']);
  await makeRole(h, 'credit_filer', ['credit.record.read', 'credit.objection.file']);
  await makeRole(h, 'credit_reader', ['credit.record.read']);
  await makeRole(h, 'no_credit', ['org.region.read']);
  provinceManager = await tokenWithRole(h, province, 'credit_manager', 'province');
  taiyuanManager = await tokenWithRole(h, taiyuan, 'credit_manager', 'region');
  datongManager = await tokenWithRole(h, datong, 'credit_manager', 'region');
  taiyuanFiler = await tokenWithRole(h, taiyuan, 'credit_filer', 'region');
  datongFiler = await tokenWithRole(h, datong, 'credit_filer', 'region');
  taiyuanReader = await tokenWithRole(h, taiyuan, 'credit_reader', 'region');
  noCredit = await tokenWithRole(h, taiyuan, 'no_credit', 'region');
});
afterAll(async () => {
  await h?.close();
});

const send = (method: 'GET' | 'POST', url: string, token: string | null, payload?: unknown) =>
  h.app.inject({ method, url, headers: token ? bearer(token) : {}, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });

/** A minor violation decided yesterday: repairable at once (0 months), objectionable for 30 days. */
async function createRecord(token: string, overrides: Record<string, unknown> = {}): Promise<{ id: string; title: string; subjectName: string }> {
  const res = await send('POST', '/api/v1/credit/records', token, recordBody(++seq, { severity: 'minor', decisionDate: '2026-03-01', ...overrides }));
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function requestRepair(token: string, recordId: string): Promise<string> {
  const res = await send('POST', `/api/v1/credit/records/${recordId}/repairs`, token, REPAIR);
  if (res.statusCode !== 201) throw new Error(`repair failed: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>().id;
}

type RepairItem = { id: string; recordId: string; status: string; recordTitle: string; subjectName: string; requestedAt: string };
const repairs = async (token: string, query = '') => (await send('GET', `/api/v1/credit/repairs?pageSize=200${query}`, token)).json<{ items: RepairItem[]; total: number; page: number; pageSize: number }>();

describe('GET /api/v1/credit/repairs', () => {
  let taiyuanRepair: string;
  let datongRepair: string;
  let taiyuanRecord: { id: string; title: string; subjectName: string };

  beforeAll(async () => {
    taiyuanRecord = await createRecord(taiyuanManager, { title: '太原待审修复' });
    const datongRecord = await createRecord(datongManager, { regionCode: '140200', sourceDepartment: '大同市住房和城乡建设局', title: '大同待审修复' });
    taiyuanRepair = await requestRepair(taiyuanFiler, taiyuanRecord.id);
    datongRepair = await requestRepair(datongFiler, datongRecord.id);
  });

  it('answers 401 without a session', async () => {
    const res = await send('GET', '/api/v1/credit/repairs', null);
    expect(res.statusCode).toBe(401);
    expect(problem(res).code).toBe('unauthenticated');
  });

  it('answers 403 to those who may read or file but not decide repairs', async () => {
    expect((await send('GET', '/api/v1/credit/repairs', taiyuanReader)).statusCode).toBe(403);
    const res = await send('GET', '/api/v1/credit/repairs', taiyuanFiler);
    expect(res.statusCode).toBe(403);
    expect(problem(res).code).toBe('forbidden');
  });

  it('answers 400 naming the field to a bad filter or page', async () => {
    expect(problem(await send('GET', '/api/v1/credit/repairs?status=done', provinceManager))).toMatchObject({ code: 'validation_failed', field: 'status', rule: 'enum' });
    expect(problem(await send('GET', '/api/v1/credit/repairs?pageSize=201', provinceManager))).toMatchObject({ field: 'pageSize', rule: 'maximum' });
    expect(problem(await send('GET', '/api/v1/credit/repairs?page=0', provinceManager))).toMatchObject({ field: 'page', rule: 'minimum' });
    expect(problem(await send('GET', '/api/v1/credit/repairs?recordId=x', provinceManager))).toMatchObject({ rule: 'additionalProperties' });
  });

  it("shows a city's reviewers only their city's requests; the province sees all", async () => {
    const ids = async (token: string) => (await repairs(token)).items.map((r) => r.id);
    expect(await ids(taiyuanManager)).toContain(taiyuanRepair);
    expect(await ids(taiyuanManager)).not.toContain(datongRepair);
    expect(await ids(datongManager)).toEqual([datongRepair]);
    expect(await ids(provinceManager)).toEqual(expect.arrayContaining([taiyuanRepair, datongRepair]));
    // Nor can a city decide another city's request: it does not exist for it.
    expect((await send('POST', `/api/v1/credit/repairs/${datongRepair}/decision`, taiyuanManager, { outcome: 'approved', reason: '同意' })).statusCode).toBe(404);
  });

  it('names the record and subject, filters by status, and pages oldest first', async () => {
    const item = (await repairs(taiyuanManager)).items.find((r) => r.id === taiyuanRepair);
    expect(item).toMatchObject({ recordId: taiyuanRecord.id, status: 'pending', recordTitle: '太原待审修复', subjectName: taiyuanRecord.subjectName, commitment: { accepted: true } });

    h.clock.advance(60_000);
    const later = await createRecord(taiyuanManager, { title: '太原已驳回修复' });
    const rejected = await requestRepair(taiyuanFiler, later.id);
    await send('POST', `/api/v1/credit/repairs/${rejected}/decision`, taiyuanManager, { outcome: 'rejected', reason: '证明材料不足' });

    const pending = await repairs(taiyuanManager, '&status=pending');
    expect(pending.items.map((r) => r.id)).toContain(taiyuanRepair);
    expect(pending.items.map((r) => r.id)).not.toContain(rejected);
    expect((await repairs(taiyuanManager, '&status=rejected')).items).toEqual([expect.objectContaining({ id: rejected, status: 'rejected', decisionReason: '证明材料不足' })]);

    const all = await repairs(taiyuanManager);
    const times = all.items.map((r) => r.requestedAt);
    expect([...times].sort()).toEqual(times);
    const first = (await send('GET', '/api/v1/credit/repairs?page=1&pageSize=1', taiyuanManager)).json();
    const second = (await send('GET', '/api/v1/credit/repairs?page=2&pageSize=1', taiyuanManager)).json();
    expect(first).toMatchObject({ total: all.total, page: 1, pageSize: 1 });
    expect(first.items).toHaveLength(1);
    expect(second.items[0].id).not.toBe(first.items[0].id);
    expect(all.total).toBe(2);
  });
});

describe('GET /api/v1/credit/records/:id/history', () => {
  it('answers 401, 403 and 400 first', async () => {
    const r = await createRecord(taiyuanManager);
    expect((await send('GET', `/api/v1/credit/records/${r.id}/history`, null)).statusCode).toBe(401);
    expect((await send('GET', `/api/v1/credit/records/${r.id}/history`, noCredit)).statusCode).toBe(403);
    expect(problem(await send('GET', '/api/v1/credit/records/not-a-uuid/history', taiyuanReader))).toMatchObject({ field: 'id', rule: 'format' });
  });

  it("hides another city's record (404), and an unknown one", async () => {
    const dt = await createRecord(datongManager, { regionCode: '140200', sourceDepartment: '大同市住房和城乡建设局' });
    expect((await send('GET', `/api/v1/credit/records/${dt.id}/history`, taiyuanReader)).statusCode).toBe(404);
    expect((await send('GET', `/api/v1/credit/records/${dt.id}/history`, datongManager)).statusCode).toBe(200);
    expect((await send('GET', '/api/v1/credit/records/00000000-0000-4000-8000-000000000000/history', provinceManager)).statusCode).toBe(404);
  });

  it('lists objections and repair requests with who filed and who decided, and when', async () => {
    const r = await createRecord(taiyuanManager);
    expect((await send('GET', `/api/v1/credit/records/${r.id}/history`, taiyuanReader)).json()).toEqual({ objections: [], repairs: [] });

    const objection = (await send('POST', `/api/v1/credit/records/${r.id}/objections`, taiyuanFiler, { reason: '处罚事实认定有误', onBehalfOf: '山西某建设有限公司' })).json<{ id: string }>().id;
    await send('POST', `/api/v1/credit/objections/${objection}/decision`, taiyuanManager, { outcome: 'dismissed', reason: '异议不成立' });
    const repair = await requestRepair(taiyuanFiler, r.id);

    const history = (await send('GET', `/api/v1/credit/records/${r.id}/history`, taiyuanReader)).json();
    const names = await h.deps.db.selectFrom('identity.accounts').select(['id', 'display_name']).execute();
    const nameOf = (id: string) => names.find((n) => n.id === id)?.display_name;
    expect(history.objections).toEqual([
      expect.objectContaining({ id: objection, status: 'dismissed', reason: '处罚事实认定有误', onBehalfOf: '山西某建设有限公司', decisionReason: '异议不成立', overdue: false }),
    ]);
    const [o] = history.objections;
    expect(o.filedByName).toBe(nameOf(o.filedBy));
    expect(o.decidedByName).toBe(nameOf(o.decidedBy));
    expect(o.filedByName).toBeTruthy();
    expect(o.decidedByName).not.toBe(o.filedByName);
    expect(history.repairs).toEqual([expect.objectContaining({ id: repair, status: 'pending', decidedBy: null, decidedByName: null, obligations: REPAIR.obligations, evidence: REPAIR.evidence })]);
    expect(history.repairs[0].requestedByName).toBe(nameOf(history.repairs[0].requestedBy));
  });
});

describe('code table and rules', () => {
  it('answer 401 without a session and 403 without a credit permission', async () => {
    for (const url of ['/api/v1/credit/categories', '/api/v1/credit/rules']) {
      expect((await send('GET', url, null)).statusCode).toBe(401);
      expect((await send('GET', url, noCredit)).statusCode).toBe(403);
    }
  });

  it('give the trading categories a ban may name, and the rule parameters the forms explain', async () => {
    const categories = (await send('GET', '/api/v1/credit/categories', taiyuanReader)).json();
    expect(categories).toMatchObject({ version: '2026.1', allCode: '*' });
    expect(categories.items.map((c: { code: string }) => c.code)).toEqual(['construction', 'government_procurement', 'land', 'mineral', 'state_property', 'other']);
    expect(categories.items[1]).toEqual({ code: 'government_procurement', name: '政府采购' });

    const rules = (await send('GET', '/api/v1/credit/rules', taiyuanReader)).json();
    expect(rules.disclosure.serious).toEqual({ publishedByDefault: true, minMonths: 12, maxMonths: 36, defaultMonths: 36 });
    expect(rules.disclosure.minor.publishedByDefault).toBe(false);
    expect(rules).toMatchObject({ objectionDays: 30, objectionDecisionDays: 15, repairMinMonths: { minor: 0, ordinary: 3, serious: 12 }, score: { base: 100, fallbackGrade: 'D' } });
  });
});
