import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, makeAccount, makeOrganisation, problem, signIn, type Harness } from '../../../test/support/harness.ts';

let h: Harness;
// Province, Taiyuan (140100) and Datong (140200) trading centres, each with a system administrator.
let province: string;
let taiyuan: string;
let datong: string;
let provinceAdmin: string;
let taiyuanAdmin: string;
let datongAdmin: string;

beforeAll(async () => {
  h = await createHarness();
  province = await makeOrganisation(h, { name: '山西省公共资源交易中心', regionCode: '140000' });
  taiyuan = await makeOrganisation(h, { name: '太原市公共资源交易中心', regionCode: '140100', parentId: province });
  datong = await makeOrganisation(h, { name: '大同市公共资源交易中心', regionCode: '140200', parentId: province });
  provinceAdmin = (await signIn(h, (await makeAccount(h, { organisationId: province, roles: [{ code: 'system_admin', scope: 'province' }] })).username)).token;
  taiyuanAdmin = (await signIn(h, (await makeAccount(h, { organisationId: taiyuan, roles: [{ code: 'system_admin', scope: 'region' }] })).username)).token;
  datongAdmin = (await signIn(h, (await makeAccount(h, { organisationId: datong, roles: [{ code: 'system_admin', scope: 'region' }] })).username)).token;
});
afterAll(async () => {
  await h?.close();
});

function post(url: string, token: string, payload: unknown) {
  return h.app.inject({ method: 'POST', url, headers: bearer(token), payload: payload as Record<string, unknown> });
}
function patch(url: string, token: string, payload: unknown) {
  return h.app.inject({ method: 'PATCH', url, headers: bearer(token), payload: payload as Record<string, unknown> });
}
function get(url: string, token: string) {
  return h.app.inject({ method: 'GET', url, headers: bearer(token) });
}

let idSeq = 0;
/** A valid GB 11643 ID number, different on every call (sequence digits vary, check digit computed). */
function newIdNumber(): string {
  idSeq++;
  const body = `140105199001${String(10 + (idSeq % 18)).padStart(2, '0')}${String(100 + idSeq).slice(-3)}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, i) => s + Number(c) * weights[i]!, 0);
  return body + '10X98765432'[sum % 11]!;
}

describe('regions', () => {
  it('lists the 11 cities of Shanxi and a city\'s counties', async () => {
    const cities = await get('/api/v1/regions?parent=140000', provinceAdmin);
    expect(cities.json().map((r: { name: string }) => r.name)).toEqual(['太原市', '大同市', '阳泉市', '长治市', '晋城市', '朔州市', '晋中市', '运城市', '忻州市', '临汾市', '吕梁市']);
    const counties = await get('/api/v1/regions?parent=140100', provinceAdmin);
    expect(counties.json().some((r: { code: string; name: string }) => r.code === '140105' && r.name === '小店区')).toBe(true);
  });
});

describe('organisations', () => {
  it('creates a county centre under a city centre and shows it in the tree', async () => {
    const res = await post('/api/v1/organisations', taiyuanAdmin, { name: '小店区公共资源交易中心', kind: 'trading_centre', regionCode: '140105', parentId: taiyuan });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ parentId: taiyuan, regionName: '山西省 太原市 小店区', version: 1 });
    const list = await get('/api/v1/organisations', taiyuanAdmin);
    expect(list.json().map((o: { id: string }) => o.id)).toEqual(expect.arrayContaining([taiyuan, res.json().id]));
  });

  it('refuses bad input naming the field and the rule, and changes nothing', async () => {
    const count = async () => (await h.deps.db.selectFrom('org.organisations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const before = await count();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ name: '某机构', kind: 'trading_centre', regionCode: '149999' }, 'regionCode', 'exists'],
      [{ name: '某机构', kind: 'school', regionCode: '140100' }, 'kind', 'enum'],
      [{ name: '某', kind: 'trading_centre', regionCode: '140100' }, 'name', 'minLength'],
      [{ name: '某机构', kind: 'trading_centre', regionCode: '140100', creditCode: '91350100M000100Y44' }, 'creditCode', 'check_digit'],
      [{ name: '某机构', kind: 'trading_centre', regionCode: '140100', industry: 'water' }, 'industry', 'only_for_supervision'],
      [{ name: '某机构', kind: 'trading_centre', regionCode: '140200', parentId: taiyuan }, 'regionCode', 'within_parent_region'],
    ];
    for (const [payload, field, rule] of cases) {
      const res = await post('/api/v1/organisations', provinceAdmin, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(problem(res).errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
      expect(problem(res).detail).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(await count()).toBe(before);
  });

  it('refuses a duplicate sibling name with 409', async () => {
    await post('/api/v1/organisations', provinceAdmin, { name: '太原市财政局', kind: 'supervision', industry: 'finance', regionCode: '140100', parentId: taiyuan });
    const dup = await post('/api/v1/organisations', provinceAdmin, { name: '太原市财政局', kind: 'supervision', industry: 'finance', regionCode: '140100', parentId: taiyuan });
    expect(dup.statusCode).toBe(409);
    expect(problem(dup).field).toBe('name');
  });

  it('updates with optimistic locking: a stale version is refused', async () => {
    const created = (await post('/api/v1/organisations', provinceAdmin, { name: '山西省水利厅', kind: 'supervision', industry: 'water', regionCode: '140000' })).json();
    const first = await patch(`/api/v1/organisations/${created.id}`, provinceAdmin, { version: 1, shortName: '水利厅' });
    expect(first.json()).toMatchObject({ shortName: '水利厅', version: 2 });
    const stale = await patch(`/api/v1/organisations/${created.id}`, provinceAdmin, { version: 1, shortName: '旧' });
    expect(stale.statusCode).toBe(409);
    expect((await get(`/api/v1/organisations/${created.id}`, provinceAdmin)).json().shortName).toBe('水利厅');
  });

  it('will not deactivate an organisation with active children', async () => {
    const parent = (await post('/api/v1/organisations', provinceAdmin, { name: '阳泉市公共资源交易中心', kind: 'trading_centre', regionCode: '140300' })).json();
    const child = (await post('/api/v1/organisations', provinceAdmin, { name: '阳泉市交易中心综合科', kind: 'department', regionCode: '140300', parentId: parent.id })).json();
    const refused = await patch(`/api/v1/organisations/${parent.id}`, provinceAdmin, { version: 1, status: 'inactive' });
    expect(problem(refused).errors?.[0]).toMatchObject({ field: 'status', rule: 'has_active_children' });
    expect((await patch(`/api/v1/organisations/${child.id}`, provinceAdmin, { version: 1, status: 'inactive' })).statusCode).toBe(200);
    expect((await patch(`/api/v1/organisations/${parent.id}`, provinceAdmin, { version: 1, status: 'inactive' })).json().status).toBe('inactive');
  });
});

describe('cross-city isolation', () => {
  let datongPerson: string;
  let taiyuanPerson: string;

  beforeAll(async () => {
    datongPerson = (await post('/api/v1/personnel', datongAdmin, { name: '赵大同', idNumber: newIdNumber(), organisationId: datong, position: '科员' })).json().id;
    taiyuanPerson = (await post('/api/v1/personnel', taiyuanAdmin, { name: '钱太原', idNumber: newIdNumber(), organisationId: taiyuan, position: '科员' })).json().id;
  });

  it("a city's staff do not see another city's organisations, personnel or accounts", async () => {
    const orgs = (await get('/api/v1/organisations', taiyuanAdmin)).json().map((o: { id: string }) => o.id);
    expect(orgs).toContain(taiyuan);
    expect(orgs).not.toContain(datong);
    expect(orgs).not.toContain(province);
    const people = (await get('/api/v1/personnel', taiyuanAdmin)).json().items.map((p: { id: string }) => p.id);
    expect(people).toContain(taiyuanPerson);
    expect(people).not.toContain(datongPerson);
    const accounts = (await get('/api/v1/accounts', taiyuanAdmin)).json().items.map((a: { organisationId: string }) => a.organisationId);
    expect(accounts.every((o: string) => o !== datong && o !== province)).toBe(true);
  });

  it("a city's staff cannot read or change another city's records", async () => {
    expect((await get(`/api/v1/organisations/${datong}`, taiyuanAdmin)).statusCode).toBe(404);
    expect((await patch(`/api/v1/organisations/${datong}`, taiyuanAdmin, { version: 1, name: '被改了' })).statusCode).toBe(404);
    expect((await get(`/api/v1/personnel/${datongPerson}`, taiyuanAdmin)).statusCode).toBe(404);
    expect((await patch(`/api/v1/personnel/${datongPerson}`, taiyuanAdmin, { version: 1, position: '处长' })).statusCode).toBe(404);
    const intoDatong = await post('/api/v1/personnel', taiyuanAdmin, { name: '孙某', idNumber: newIdNumber(), organisationId: datong });
    expect(intoDatong.statusCode).toBe(400);
    expect(problem(intoDatong).field).toBe('organisationId');
    const rootInDatong = await post('/api/v1/organisations', taiyuanAdmin, { name: '大同某机构', kind: 'other', regionCode: '140200' });
    expect(rootInDatong.statusCode).toBe(403);
    const accountInDatong = await post('/api/v1/accounts', taiyuanAdmin, { username: 'dt_intruder', displayName: '某', organisationId: datong, initialPassword: 'Good@2026pass' });
    expect(accountInDatong.statusCode).toBe(400);
    // Nothing changed in Datong.
    expect((await get(`/api/v1/organisations/${datong}`, datongAdmin)).json().name).toBe('大同市公共资源交易中心');
    expect((await get(`/api/v1/personnel/${datongPerson}`, datongAdmin)).json().position).toBe('科员');
  });

  it('the province sees every city', async () => {
    const people = (await get('/api/v1/personnel?pageSize=200', provinceAdmin)).json().items.map((p: { id: string }) => p.id);
    expect(people).toEqual(expect.arrayContaining([taiyuanPerson, datongPerson]));
  });

  it('staff with the organisation scope see only their own organisation subtree', async () => {
    const staff = await makeAccount(h, { organisationId: datong, roles: [{ code: 'centre_staff', scope: 'organisation' }] });
    const token = (await signIn(h, staff.username)).token;
    const orgs = (await get('/api/v1/organisations', token)).json().map((o: { id: string }) => o.id);
    expect(orgs).toEqual([datong]);
    expect((await post('/api/v1/personnel', token, { name: '无权', idNumber: newIdNumber(), organisationId: datong })).statusCode).toBe(403);
  });
});

describe('personnel', () => {
  it('validates the ID number per GB 11643 and stores it masked and encrypted', async () => {
    const bad = await post('/api/v1/personnel', provinceAdmin, { name: '错号', idNumber: '11010119900307447X', organisationId: province });
    expect(bad.statusCode).toBe(400);
    expect(problem(bad).errors?.[0]).toMatchObject({ field: 'idNumber', rule: 'check_digit' });
    const badDate = await post('/api/v1/personnel', provinceAdmin, { name: '错号', idNumber: '110101199002304470', organisationId: province });
    expect(problem(badDate).errors?.[0]).toMatchObject({ field: 'idNumber', rule: 'birth_date' });

    const res = await post('/api/v1/personnel', provinceAdmin, { name: '李四', idNumber: '11010519491231002X', organisationId: province, position: '主任', phone: '13812345678' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ idNumberMasked: '110105********002X', phoneMasked: '138****5678', gender: 'female' });
    expect(res.body).not.toContain('11010519491231002X');
    expect(res.body).not.toContain('13812345678');
    const row = await h.deps.db.selectFrom('org.personnel').selectAll().where('id', '=', res.json().id).executeTakeFirstOrThrow();
    expect(row.id_number_enc).not.toContain('11010519491231002X');
    const dup = await post('/api/v1/personnel', provinceAdmin, { name: '李四', idNumber: '11010519491231002x', organisationId: province });
    expect(dup.statusCode).toBe(409);
    expect(problem(dup).field).toBe('idNumber');
  });

  it('reveals the clear ID number only with the permission, and audits it', async () => {
    const person = (await post('/api/v1/personnel', provinceAdmin, { name: '王五', idNumber: '440524188001010014', organisationId: province })).json();
    const staff = await makeAccount(h, { organisationId: province, roles: [{ code: 'centre_staff', scope: 'province' }] });
    const staffToken = (await signIn(h, staff.username)).token;
    expect((await get(`/api/v1/personnel/${person.id}`, staffToken)).json().idNumberMasked).toBe('440524********0014');
    expect((await post(`/api/v1/personnel/${person.id}/reveal`, staffToken, {})).statusCode).toBe(403);
    const clear = await post(`/api/v1/personnel/${person.id}/reveal`, provinceAdmin, {});
    expect(clear.json()).toEqual({ idNumber: '440524188001010014', phone: null });
    const audit = await h.deps.db.selectFrom('audit.audit_log').selectAll().where('action', '=', 'org.personnel.reveal').where('target_id', '=', person.id).execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain('440524188001010014');
  });
});
