// Credit records through HTTP: refusals first (bad identifiers and codes, rule violations, other
// cities), then personal data, the import (one bad line changes nothing), the public disclosure
// at its boundary days, and the audit trail.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, makeOrganisation, problem, type Harness } from '../../../test/support/harness.ts';
import { makeRole, tokenWithRole } from '../experts/experts.test-support.ts';
import { BAN_PROCUREMENT_TAIYUAN, idNumberFor, recordBody, usccFor } from './credit.fixtures.ts';

let h: Harness;
let province: string;
let taiyuan: string;
let datong: string;
let provinceManager: string;
let taiyuanManager: string;
let datongManager: string;
let taiyuanReader: string;
let seq = 100;

beforeAll(async () => {
  h = await createHarness({ GGZY_PASSWORD_MAX_AGE_DAYS: '0' });
  province = await makeOrganisation(h, { name: '山西省公共资源交易中心', regionCode: '140000' });
  taiyuan = await makeOrganisation(h, { name: '太原市公共资源交易中心', regionCode: '140100', parentId: province });
  datong = await makeOrganisation(h, { name: '大同市公共资源交易中心', regionCode: '140200', parentId: province });
  await makeRole(h, 'credit_manager', ['credit.record.read', 'credit.record.write', 'credit.objection.file', 'credit.objection.decide', 'credit.repair.decide']);
  await makeRole(h, 'credit_reader', ['credit.record.read']);
  provinceManager = await tokenWithRole(h, province, 'credit_manager', 'province');
  taiyuanManager = await tokenWithRole(h, taiyuan, 'credit_manager', 'region');
  datongManager = await tokenWithRole(h, datong, 'credit_manager', 'region');
  taiyuanReader = await tokenWithRole(h, taiyuan, 'credit_reader', 'region');
});
afterAll(async () => {
  await h?.close();
});

const send = (method: 'GET' | 'POST', url: string, token: string | null, payload?: unknown) =>
  h.app.inject({ method, url, headers: token ? bearer(token) : {}, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });

async function createRecord(token: string, overrides: Record<string, unknown> = {}) {
  const res = await send('POST', '/api/v1/credit/records', token, recordBody(++seq, overrides));
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string; uscc: string | null; status: string; disclosureTo: string | null }>();
}

const count = async () => Number((await h.deps.db.selectFrom('credit.records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const auditCount = async (action: string) => Number((await h.deps.db.selectFrom('audit.audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);

describe('creating a record: refusals', () => {
  it('refuses bad identifiers, unknown codes and broken rules, naming field and rule, and stores nothing', async () => {
    const before = await count();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ uscc: '91350100M000100Y44' }, 'uscc', 'check_digit'],
      [{ uscc: '91350100M000100YI3' }, 'uscc', 'format'],
      [{ uscc: undefined }, 'uscc', 'required'],
      [{ idNumber: '11010119900307447X' }, 'idNumber', 'organisation'],
      [{ subjectKind: 'person', uscc: undefined, idNumber: '11010119900307447X' }, 'idNumber', 'check_digit'],
      [{ subjectKind: 'person', uscc: undefined, idNumber: '110101199002304470' }, 'idNumber', 'birth_date'],
      [{ regionCode: '149999' }, 'regionCode', 'exists'],
      [{ ban: { ...BAN_PROCUREMENT_TAIYUAN, categories: ['fishing'] } }, 'ban.categories.0', 'exists'],
      [{ ban: { ...BAN_PROCUREMENT_TAIYUAN, categories: ['*', 'land'] } }, 'ban.categories', 'all_alone'],
      [{ ban: { ...BAN_PROCUREMENT_TAIYUAN, regionCode: '149999' } }, 'ban.regionCode', 'exists'],
      [{ ban: { ...BAN_PROCUREMENT_TAIYUAN, from: '2026-03-02', to: '2026-03-01' } }, 'ban.to', 'not_before_from'],
      [{ ban: { ...BAN_PROCUREMENT_TAIYUAN, to: '2026-02-30' } }, 'ban.to', 'format'],
      [{ type: 'reward', severity: undefined, ban: BAN_PROCUREMENT_TAIYUAN }, 'ban', 'type'],
      [{ type: 'blacklist' }, 'ban', 'required'],
      [{ severity: undefined }, 'severity', 'required'],
      [{ type: 'reward' }, 'severity', 'only_adverse'],
      [{ disclosureMonths: 13 }, 'disclosureMonths', 'range'],
      [{ severity: 'serious', disclosureMonths: 6 }, 'disclosureMonths', 'range'],
      [{ severity: 'minor', disclosureMonths: 2 }, 'disclosureMonths', 'not_published'],
      [{ decisionDate: '2026-03-03' }, 'decisionDate', 'not_future'],
      [{ effectiveTo: '2026-02-01' }, 'effectiveTo', 'not_before_from'],
      [{ notRepairableReason: 'other' }, 'notRepairableReason', 'enum'],
      [{ role: 'judge' }, 'role', 'enum'],
      [{ evidence: [{ name: 'a.pdf', sm3Digest: 'xyz', size: 1 }] }, 'evidence.0.sm3Digest', 'pattern'],
    ];
    for (const [overrides, field, rule] of cases) {
      const res = await send('POST', '/api/v1/credit/records', provinceManager, recordBody(++seq, overrides));
      expect(res.statusCode, JSON.stringify(overrides)).toBe(400);
      expect(problem(res).errors, JSON.stringify(overrides)).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
      expect(problem(res).detail).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(await count()).toBe(before);
  });

  it('refuses a reader without the write permission, and a city issuing for another city (403, audited)', async () => {
    expect((await send('POST', '/api/v1/credit/records', taiyuanReader, recordBody(++seq))).statusCode).toBe(403);
    const before = await auditCount('auth.denied');
    const res = await send('POST', '/api/v1/credit/records', taiyuanManager, recordBody(++seq, { regionCode: '140200' }));
    expect(res.statusCode).toBe(403);
    expect(problem(res).field).toBe('regionCode');
    expect(await auditCount('auth.denied')).toBe(before + 1);
  });
});

describe('default roles', () => {
  it('give centre staff reading and filing, supervisors recording and deciding', async () => {
    const of = async (code: string) =>
      (await h.deps.db.selectFrom('org.role_permissions as p').innerJoin('org.roles as r', 'r.id', 'p.role_id').select('p.permission').where('r.code', '=', code).where('p.permission', 'like', 'credit.%').execute())
        .map((p) => p.permission)
        .sort();
    expect(await of('centre_staff')).toEqual(['credit.objection.file', 'credit.record.read']);
    expect(await of('supervisor')).toEqual(['credit.objection.decide', 'credit.record.read', 'credit.record.write', 'credit.repair.decide']);
  });
});

describe('records of persons', () => {
  it('seal the ID number, show it masked, keep it out of the audit trail', async () => {
    const idNumber = '11010519491231002X';
    const r = await createRecord(taiyuanManager, { subjectKind: 'person', uscc: undefined, idNumber: idNumber.toLowerCase(), subjectName: '张三', role: 'expert' });
    const one = await send('GET', `/api/v1/credit/records/${r.id}`, taiyuanReader);
    expect(one.json()).toMatchObject({ subjectKind: 'person', idNumberMasked: '110105********002X', uscc: null, role: 'expert' });
    expect(one.body).not.toContain(idNumber);
    const row = await h.deps.db.selectFrom('credit.records').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(idNumber);
    const audit = await h.deps.db.selectFrom('audit.audit_log').selectAll().where('target_id', '=', r.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['credit.record.create']);
    expect(JSON.stringify(audit)).not.toContain(idNumber);
    expect(JSON.stringify(audit)).not.toContain('110105********002X');
  });
});

describe('cross-city scope', () => {
  it("a city's staff neither list nor read another city's records; the province sees all", async () => {
    const ty = await createRecord(taiyuanManager);
    const dt = await createRecord(datongManager, { regionCode: '140200', sourceDepartment: '大同市住房和城乡建设局' });
    const ids = async (token: string) => (await send('GET', '/api/v1/credit/records?pageSize=200', token)).json<{ items: { id: string }[] }>().items.map((x) => x.id);
    expect(await ids(taiyuanManager)).toContain(ty.id);
    expect(await ids(taiyuanManager)).not.toContain(dt.id);
    expect(await ids(provinceManager)).toEqual(expect.arrayContaining([ty.id, dt.id]));
    expect((await send('GET', `/api/v1/credit/records/${dt.id}`, taiyuanReader)).statusCode).toBe(404);
    expect((await send('POST', `/api/v1/credit/records/${dt.id}/objections`, taiyuanManager, { reason: '不服', onBehalfOf: '某公司' })).statusCode).toBe(404);
    const archive = (await send('POST', '/api/v1/credit/subjects/archive', taiyuanReader, { uscc: dt.uscc })).json<{ records: unknown[] }>();
    expect(archive.records).toEqual([]);
  });

  it('validates list filters', async () => {
    expect(problem(await send('GET', '/api/v1/credit/records?regionCode=149999', provinceManager))).toMatchObject({ field: 'regionCode', rule: 'exists' });
    expect(problem(await send('GET', '/api/v1/credit/records?type=bogus', provinceManager))).toMatchObject({ field: 'type', rule: 'enum' });
  });
});

describe('import', () => {
  it('with one bad JSON line writes nothing and reports the line, field and rule', async () => {
    const before = await count();
    const records = [recordBody(++seq), recordBody(++seq, { uscc: '91350100M000100Y44' }), recordBody(++seq, { title: undefined, ban: { ...BAN_PROCUREMENT_TAIYUAN, categories: ['x'] } })];
    const res = await send('POST', '/api/v1/credit/imports', provinceManager, { records });
    expect(res.statusCode).toBe(400);
    const report = res.json<{ report: { line: number; field: string; rule: string; message: string }[] }>().report;
    expect(report).toEqual([
      expect.objectContaining({ line: 2, field: 'uscc', rule: 'check_digit' }),
      expect.objectContaining({ line: 3, field: 'title', rule: 'required' }),
    ]);
    expect(report.every((r) => /[\u4e00-\u9fa5]/.test(r.message))).toBe(true);
    expect(await count()).toBe(before);
  });

  it('accepts an import body above the platform default request limit (5,000 rows run to a few MB)', async () => {
    const records = Array.from({ length: 4000 }, () => recordBody(++seq, { uscc: '91350100M000100Y44' }));
    expect(JSON.stringify({ records }).length).toBeGreaterThan(h.deps.config.bodyLimitBytes);
    const res = await send('POST', '/api/v1/credit/imports', provinceManager, { records });
    expect(res.statusCode).toBe(400);
    expect(res.json().report).toHaveLength(4000);
  });

  it('reports rule errors and scope per line too', async () => {
    const res = await send('POST', '/api/v1/credit/imports', taiyuanManager, { records: [recordBody(++seq, { regionCode: '140200' }), recordBody(++seq, { ban: { ...BAN_PROCUREMENT_TAIYUAN, categories: ['x'] } })] });
    expect(res.json().report).toEqual([expect.objectContaining({ line: 1, field: 'regionCode', rule: 'in_scope' }), expect.objectContaining({ line: 2, field: 'ban.categories.0', rule: 'exists' })]);
  });

  it('parses CSV (RFC 4180 quoting, BOM, CRLF) and reports the file line of a bad record', async () => {
    const header = 'subjectKind,uscc,idNumber,subjectName,role,type,severity,title,facts,legalBasis,sourceDepartment,regionCode,decisionNumber,decisionDate,effectiveFrom,banCategories,banRegionCode,banFrom,banTo';
    const good = (n: number) => `organisation,${usccFor(n)},,"山西""某""公司, 第${n}",bidder,violation,serious,串通投标,"事实一\r\n事实二",招标投标法第五十三条,太原市住建局,140100,文${n},2026-03-01,2026-03-01,construction;land,140100,2026-03-01,2028-02-29`;
    const bad = `person,,11010119900307447X,李四,staff,violation,minor,违规,事实,依据,太原市住建局,140100,文x,2026-03-01,2026-03-01,,,,`;
    const before = await count();
    const failed = await send('POST', '/api/v1/credit/imports', provinceManager, { csv: `\uFEFF${header}\r\n${good(9001)}\r\n${bad}\r\n` });
    expect(failed.statusCode).toBe(400);
    // The good record spans lines 2–3 (a quoted line break), so the bad one starts on line 4.
    expect(failed.json().report).toEqual([expect.objectContaining({ line: 4, field: 'idNumber', rule: 'check_digit' })]);
    expect(await count()).toBe(before);

    const auditBefore = await auditCount('credit.record.import');
    const ok = await send('POST', '/api/v1/credit/imports', provinceManager, { csv: `${header}\n${good(9002)}\n${good(9003)}\n` });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ created: 2 });
    expect(await count()).toBe(before + 2);
    expect(await auditCount('credit.record.import')).toBe(auditBefore + 2);
    const stored = await send('GET', `/api/v1/credit/records/${ok.json().ids[0] as string}`, provinceManager);
    expect(stored.json()).toMatchObject({ subjectName: '山西"某"公司, 第9002', facts: '事实一\r\n事实二', ban: { categories: ['construction', 'land'], to: '2028-02-29' }, severity: 'serious' });
  });

  it('refuses a broken CSV, unknown columns, a missing source, and more than 5,000 rows', async () => {
    expect(problem(await send('POST', '/api/v1/credit/imports', provinceManager, { csv: 'subjectKind,"x\n' })).rule).toBe('csv_syntax');
    const unknown = await send('POST', '/api/v1/credit/imports', provinceManager, { csv: 'subjectKind,colour\norganisation,red\n' });
    expect(unknown.json().report).toEqual(expect.arrayContaining([expect.objectContaining({ line: 1, field: 'colour', rule: 'unknown_column' }), expect.objectContaining({ line: 1, field: 'title', rule: 'required_column' })]));
    expect(problem(await send('POST', '/api/v1/credit/imports', provinceManager, {}))).toMatchObject({ field: 'records', rule: 'one_of' });
    const many = await send('POST', '/api/v1/credit/imports', provinceManager, { records: Array.from({ length: 5001 }, () => ({})) });
    expect(problem(many)).toMatchObject({ field: 'records', rule: 'maxItems' });
  });
});

describe('public disclosure', () => {
  let ordinary: { id: string; uscc: string | null };
  const personId = idNumberFor(4242);

  beforeAll(async () => {
    h.clock.set('2026-03-02T01:00:00Z');
    const token = await tokenWithRole(h, province, 'credit_manager', 'province');
    ordinary = await createRecord(token, { uscc: usccFor(777), disclosureMonths: 3 });
    await createRecord(token, { uscc: usccFor(777), severity: 'minor', title: '轻微违规（不公示）' });
    await createRecord(token, { uscc: usccFor(777), severity: 'minor', publishable: true, title: '轻微违规（公示）' });
    await createRecord(token, { subjectKind: 'person', uscc: undefined, idNumber: personId, subjectName: '王公示', role: 'staff' });
  });

  const publicQuery = (query: string) => h.app.inject({ method: 'GET', url: `/api/v1/public/credit?${query}` });

  it('validates its input although it is public', async () => {
    expect(problem(await publicQuery('uscc=91350100M000100Y44'))).toMatchObject({ field: 'uscc', rule: 'check_digit' });
    expect(problem(await publicQuery(''))).toMatchObject({ field: 'uscc', rule: 'one_of' });
    expect(problem(await publicQuery('bogus=1'))).toMatchObject({ code: 'validation_failed', rule: 'additionalProperties' });
  });

  it('shows records inside their period only, the minor one only when publishable, without internal fields', async () => {
    h.clock.set('2026-05-31T15:59:59.999Z'); // 2026-05-31 23:59:59.999 CST, the last day of 3 months from 03-01
    const res = await publicQuery(`uscc=${ordinary.uscc!.toLowerCase()}`);
    expect(res.statusCode).toBe(200);
    const titles = res.json<{ items: { title: string }[] }>().items.map((i) => i.title).sort();
    expect(titles).toEqual(['提供虚假材料谋取中标', '轻微违规（公示）'].sort());
    expect(res.body).not.toMatch(/"id"|createdBy|created_by|evidence|sm3Digest|version|notRepairable/);
    h.clock.set('2026-05-31T16:00:00.000Z'); // 2026-06-01 00:00 CST
    const after = (await publicQuery(`uscc=${ordinary.uscc!}`)).json<{ items: { title: string }[] }>().items.map((i) => i.title);
    expect(after).toEqual([]);
  });

  it('masks person ID numbers', async () => {
    const res = await publicQuery(`name=${encodeURIComponent('王公示')}`);
    expect(res.json().items).toEqual([expect.objectContaining({ subjectName: '王公示', idNumberMasked: `${personId.slice(0, 6)}********${personId.slice(14)}`, uscc: null })]);
    expect(res.body).not.toContain(personId);
  });
});
