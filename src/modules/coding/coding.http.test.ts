// The coding routes through HTTP: refusals first (401, 403, 400 naming the rule, another city's
// code as 404), then the staff view within scope, then the public check, which says only
// whether and when a code was issued here.

import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, makeOrganisation, problem, signedInAs, type Harness } from '../../../test/support/harness.ts';
import { makeRole, tokenWithRole } from '../experts/experts.test-support.ts';
import { buildDealCode, formatDealCode } from './coding.rules.ts';
import { issueDealCode, issueLotCode } from './coding.service.ts';

let h: Harness;
let taiyuanReader: string;
let datongReader: string;
let provinceReader: string;
let ownReader: { token: string; id: string };
let noPermission: string;
let issuer: { id: string; username: string };
let taiyuanDeal: string;
let datongDeal: string;
let ownDeal: string;
const subjectId = crypto.randomUUID();

async function issue(regionCode: string, title: string, issuedBy: string | null, lots = 0): Promise<string> {
  return h.deps.db.transaction().execute(async (trx) => {
    const code = await issueDealCode(trx, h.deps, { kind: 'tender_project', subjectId: regionCode === '140105' ? subjectId : crypto.randomUUID(), title, regionCode, category: '施工', issuedBy, at: h.clock.now() });
    for (let i = 1; i <= lots; i++) await issueLotCode(trx, { dealCode: code, subjectId: crypto.randomUUID(), title: `第${i}标段`, at: h.clock.now() });
    return code;
  });
}

beforeAll(async () => {
  h = await createHarness();
  const province = await makeOrganisation(h, { name: '山西省公共资源交易中心', regionCode: '140000' });
  const taiyuan = await makeOrganisation(h, { name: '太原市公共资源交易中心', regionCode: '140100', parentId: province });
  const datong = await makeOrganisation(h, { name: '大同市公共资源交易中心', regionCode: '140200', parentId: province });
  await makeRole(h, 'code_reader', ['coding.code.read']);
  await makeRole(h, 'other_reader', ['credit.record.read']);
  taiyuanReader = await tokenWithRole(h, taiyuan, 'code_reader', 'region');
  datongReader = await tokenWithRole(h, datong, 'code_reader', 'region');
  provinceReader = await tokenWithRole(h, province, 'code_reader', 'province');
  noPermission = await tokenWithRole(h, taiyuan, 'other_reader', 'province');
  const own = await signedInAs(h, { organisationId: taiyuan, roles: [{ code: 'code_reader', scope: 'own' }] });
  ownReader = own;
  issuer = await signedInAs(h, { organisationId: taiyuan, roles: [] });
  taiyuanDeal = await issue('140105', '小店区某学校教学楼施工', issuer.id, 2);
  datongDeal = await issue('140212', '新荣区某道路施工', null);
  ownDeal = await issue('140105', '本人受理的项目', own.id);
});
afterAll(async () => {
  await h?.close();
});

const get = (url: string, token?: string) => h.app.inject({ method: 'GET', url, headers: token ? bearer(token) : {} });

describe('GET /api/v1/codes/:code — refusals', () => {
  it('401 without a session, 403 without coding.code.read', async () => {
    expect((await get(`/api/v1/codes/${taiyuanDeal}`)).statusCode).toBe(401);
    const res = await get(`/api/v1/codes/${taiyuanDeal}`, noPermission);
    expect(res.statusCode).toBe(403);
    expect(problem(res).code).toBe('forbidden');
  });

  it('400 naming the field and the rule of a malformed code', async () => {
    const wrongCheck = `${taiyuanDeal.slice(0, 32)}${taiyuanDeal[32] === '0' ? '1' : '0'}`;
    const cases: [string, string][] = [
      ['12345', 'length'],
      [wrongCheck, 'check_char'],
      [`${taiyuanDeal.slice(0, 17)}J${taiyuanDeal.slice(18)}`, 'uscc_check_digit'],
      [`${taiyuanDeal.slice(0, 18)}2026133${taiyuanDeal.slice(25)}`, 'date'],
      [`${taiyuanDeal.slice(0, 30)}AB${taiyuanDeal[32]}`, 'charset'],
      [`${taiyuanDeal}000`, 'lot_serial'],
    ];
    for (const [text, rule] of cases) {
      const res = await get(`/api/v1/codes/${encodeURIComponent(text)}`, taiyuanReader);
      expect(res.statusCode, text).toBe(400);
      expect(problem(res), text).toMatchObject({ code: 'validation_failed', field: 'code', rule });
      expect(problem(res).detail).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it('404 for another city’s code, the same as for a code never issued', async () => {
    const res = await get(`/api/v1/codes/${taiyuanDeal}`, datongReader);
    expect(res.statusCode).toBe(404);
    expect((await get(`/api/v1/codes/${taiyuanDeal}001`, datongReader)).statusCode).toBe(404);
    const never = buildDealCode(h.deps.config.codingUscc, '2026-03-02', 999_000);
    expect(problem(await get(`/api/v1/codes/${never}`, provinceReader)).detail).toBe(problem(res).detail);
    // `own` scope: only the codes one issued.
    expect((await get(`/api/v1/codes/${taiyuanDeal}`, ownReader.token)).statusCode).toBe(404);
  });
});

describe('GET /api/v1/codes/:code — within scope', () => {
  it('gives the whole record with its lots to the city and to the province', async () => {
    for (const token of [taiyuanReader, provinceReader]) {
      const res = await get(`/api/v1/codes/${formatDealCode(taiyuanDeal).toLowerCase()}`, token);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({
        code: taiyuanDeal,
        formatted: formatDealCode(taiyuanDeal),
        platformUscc: h.deps.config.codingUscc,
        serial: 1,
        kind: 'tender_project',
        kindName: '工程建设招标项目',
        issuedOn: '2026-03-02',
        issuedAt: h.clock.now().toISOString(),
        issuedBy: { accountId: issuer.id, name: issuer.username },
        title: '小店区某学校教学楼施工',
        subjectId,
        category: '施工',
        regionCode: '140105',
        regionName: '山西省 太原市 小店区',
      });
      expect(body.lot).toBeUndefined();
      expect(body.lots.map((l: { lotCode: string; serial: number; title: string }) => [l.lotCode, l.serial, l.title])).toEqual([
        [`${taiyuanDeal}001`, 1, '第1标段'],
        [`${taiyuanDeal}002`, 2, '第2标段'],
      ]);
    }
    expect((await get(`/api/v1/codes/${datongDeal}`, datongReader)).json()).toMatchObject({ code: datongDeal, issuedBy: null, lots: [] });
    expect((await get(`/api/v1/codes/${ownDeal}`, ownReader.token)).json()).toMatchObject({ code: ownDeal, title: '本人受理的项目' });
  });

  it('answers a lot code with the lot and its deal', async () => {
    const res = await get(`/api/v1/codes/${formatDealCode(`${taiyuanDeal}002`)}`, taiyuanReader);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ code: taiyuanDeal, lot: { lotCode: `${taiyuanDeal}002`, serial: 2, title: '第2标段', formatted: `${formatDealCode(taiyuanDeal)}-002` } });
  });
});

describe('GET /api/v1/public/codes/:code', () => {
  it('400 naming the rule of a malformed code or a wrong check character', async () => {
    const wrongCheck = `${taiyuanDeal.slice(0, 32)}${taiyuanDeal[32] === '0' ? '1' : '0'}`;
    for (const [text, rule] of [
      [wrongCheck, 'check_char'],
      ['ABC', 'length'],
      [`${taiyuanDeal.slice(0, 18)}-${taiyuanDeal.slice(18)}`, 'charset'],
    ] as const) {
      const res = await get(`/api/v1/public/codes/${encodeURIComponent(text)}`);
      expect(res.statusCode, text).toBe(400);
      expect(problem(res), text).toMatchObject({ field: 'code', rule });
    }
  });

  it('404 for a well-formed code never issued here (another platform’s, or a later serial)', async () => {
    expect((await get(`/api/v1/public/codes/${buildDealCode(h.deps.config.codingUscc, '2026-03-02', 500)}`)).statusCode).toBe(404);
    expect((await get(`/api/v1/public/codes/${buildDealCode('91350100M000100Y43', '2026-03-02', 1)}`)).statusCode).toBe(404);
    expect((await get(`/api/v1/public/codes/${taiyuanDeal}003`)).statusCode).toBe(404);
  });

  it('says whether, when and for what kind of deal a code was issued — no title or subject', async () => {
    const res = await get(`/api/v1/public/codes/${formatDealCode(taiyuanDeal)}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ code: taiyuanDeal, formatted: formatDealCode(taiyuanDeal), kind: 'tender_project', kindName: '工程建设招标项目', issuedOn: '2026-03-02' });
    const lot = await get(`/api/v1/public/codes/${taiyuanDeal}001`);
    expect(lot.json()).toEqual({
      code: taiyuanDeal,
      formatted: formatDealCode(taiyuanDeal),
      kind: 'tender_project',
      kindName: '工程建设招标项目',
      issuedOn: '2026-03-02',
      lot: { lotCode: `${taiyuanDeal}001`, formatted: `${formatDealCode(taiyuanDeal)}-001`, serial: 1 },
    });
    expect(lot.body).not.toContain('第1标段');
    expect(res.body).not.toContain('小店区');
  });

  it('is rate limited per client address like the other public routes', async () => {
    const limited = await createHarness({ GGZY_AUTH_RATE_LIMIT: '3' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) {
        codes.push((await limited.app.inject({ method: 'GET', url: `/api/v1/public/codes/${taiyuanDeal}` })).statusCode);
      }
      expect(codes).toEqual([404, 404, 404, 429]);
    } finally {
      await limited.close();
    }
  });
});
