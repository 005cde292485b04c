// Credit archives of persons the platform knows from its own registers: an expert of the pool and
// a staff member of the personnel library (keyed by the ID number), for staff who may see both.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, makeOrganisation, type Harness } from '../../../test/support/harness.ts';
import { recordBody } from './credit.fixtures.ts';
import { idNumberFor, usccFor } from '../experts/experts.fixtures.ts';
import { makeRole, tokenWithRole } from '../experts/experts.test-support.ts';

let h: Harness;
let taiyuan: string;
let datong: string;

beforeAll(async () => {
  h = await createHarness({ GGZY_PASSWORD_MAX_AGE_DAYS: '0' });
  const province = await makeOrganisation(h, { name: '山西省公共资源交易中心', regionCode: '140000' });
  taiyuan = await makeOrganisation(h, { name: '太原市公共资源交易中心', regionCode: '140100', parentId: province });
  datong = await makeOrganisation(h, { name: '大同市公共资源交易中心', regionCode: '140200', parentId: province });
  await makeRole(h, 'expert_credit', ['experts.expert.read', 'experts.expert.write', 'credit.record.read', 'credit.record.write']);
  await makeRole(h, 'expert_only', ['experts.expert.read', 'credit.record.read']);
  await makeRole(h, 'credit_only', ['credit.record.read']);
});
afterAll(async () => {
  await h?.close();
});

describe("an expert's credit archive", () => {
  it('shows the records about the expert; needs both permissions; other regions get 404', async () => {
    const manager = await tokenWithRole(h, taiyuan, 'expert_credit', 'region');
    const idNumber = idNumberFor(7001);
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/v1/experts',
      headers: bearer(manager),
      payload: { name: '专家甲', idNumber, phone: '13800007001', regionCode: '140105', employerName: '山西某设计院有限公司', employerUscc: usccFor(7001), titles: ['高级工程师'], specialties: ['A01'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const expertId = created.json<{ id: string }>().id;
    const record = await h.app.inject({
      method: 'POST',
      url: '/api/v1/credit/records',
      headers: bearer(manager),
      payload: recordBody(7001, { subjectKind: 'person', uscc: undefined, idNumber, subjectName: '专家甲', role: 'expert', title: '评标中未按评标办法评审', severity: 'ordinary' }),
    });
    expect(record.statusCode, record.body).toBe(201);

    const res = await h.app.inject({ method: 'GET', url: `/api/v1/experts/${expertId}/credit`, headers: bearer(manager) });
    expect(res.statusCode, res.body).toBe(200);
    const archive = res.json<{ subject: { name: string; idNumberMasked: string }; records: { title: string; role: string }[]; score: { grade: string } }>();
    expect(archive.subject.name).toBe('专家甲');
    expect(archive.records.map((r) => [r.title, r.role])).toEqual([['评标中未按评标办法评审', 'expert']]);
    expect(res.body).not.toContain(idNumber);

    expect((await h.app.inject({ method: 'GET', url: `/api/v1/experts/${expertId}/credit`, headers: bearer(await tokenWithRole(h, taiyuan, 'credit_only', 'region')) })).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'GET', url: `/api/v1/experts/${expertId}/credit`, headers: bearer(await tokenWithRole(h, datong, 'expert_only', 'region')) })).statusCode).toBe(404);
  });
});

describe("a staff member's credit archive", () => {
  it('shows the records about a person of the personnel library to those who may see both', async () => {
    const admin = await tokenWithRole(h, taiyuan, 'system_admin', 'region');
    const idNumber = idNumberFor(7002);
    const person = await h.app.inject({ method: 'POST', url: '/api/v1/personnel', headers: bearer(admin), payload: { name: '工作人员乙', idNumber, organisationId: taiyuan, position: '项目经办' } });
    expect(person.statusCode, person.body).toBe(201);
    const personId = person.json<{ id: string }>().id;
    await makeRole(h, 'staff_credit', ['org.personnel.read', 'credit.record.read', 'credit.record.write']);
    const reader = await tokenWithRole(h, taiyuan, 'staff_credit', 'region');
    const record = await h.app.inject({
      method: 'POST',
      url: '/api/v1/credit/records',
      headers: bearer(reader),
      payload: recordBody(7002, { subjectKind: 'person', uscc: undefined, idNumber, subjectName: '工作人员乙', role: 'staff', title: '泄露应当保密的招标投标信息', severity: 'serious' }),
    });
    expect(record.statusCode, record.body).toBe(201);
    const res = await h.app.inject({ method: 'GET', url: `/api/v1/credit/personnel/${personId}/archive`, headers: bearer(reader) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ subject: { kind: 'person', name: '工作人员乙' }, records: [{ title: '泄露应当保密的招标投标信息', role: 'staff' }] });
    expect(res.body).not.toContain(idNumber);
    expect((await h.app.inject({ method: 'GET', url: `/api/v1/credit/personnel/${personId}/archive`, headers: bearer(await tokenWithRole(h, taiyuan, 'credit_only', 'region')) })).statusCode).toBe(403);
    await makeRole(h, 'staff_credit_reader', ['org.personnel.read', 'credit.record.read']);
    expect((await h.app.inject({ method: 'GET', url: `/api/v1/credit/personnel/${personId}/archive`, headers: bearer(await tokenWithRole(h, datong, 'staff_credit_reader', 'region')) })).statusCode).toBe(404);
  });
});
