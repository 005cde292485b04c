// The registry through HTTP: registration refusals first (bad codes, duplicates), then the
// draft → licence → submit → review → approve path, changes and their history, masking for
// readers without the need, cross-city review scope, and qualification validity at its edges.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, makeOrganisation, PASSWORD, problem, type Harness } from '../../../test/support/harness.ts';
import { makeRole, tokenWithRole } from '../experts/experts.test-support.ts';
import { idNumberFor, profileBody, usccFor } from './registry.fixtures.ts';
import { licenceFor, registerOrganisation, submitComplete, tinyPng, type Registered } from './registry.test-support.ts';

let h: Harness;
let province: string;
let taiyuan: string;
let datong: string;
let taiyuanReviewer: string;
let datongReviewer: string;
let provinceReader: string;
let revealer: string;

beforeAll(async () => {
  h = await createHarness({ GGZY_PASSWORD_MAX_AGE_DAYS: '0' });
  province = await makeOrganisation(h, { name: '山西省公共资源交易中心', regionCode: '140000' });
  taiyuan = await makeOrganisation(h, { name: '太原市公共资源交易中心', regionCode: '140100', parentId: province });
  datong = await makeOrganisation(h, { name: '大同市公共资源交易中心', regionCode: '140200', parentId: province });
  await makeRole(h, 'registry_reviewer', ['registry.entity.read', 'registry.entity.review']);
  await makeRole(h, 'registry_reader', ['registry.entity.read']);
  await makeRole(h, 'registry_revealer', ['registry.entity.read', 'registry.entity.reveal']);
  taiyuanReviewer = await tokenWithRole(h, taiyuan, 'registry_reviewer', 'region');
  datongReviewer = await tokenWithRole(h, datong, 'registry_reviewer', 'region');
  provinceReader = await tokenWithRole(h, province, 'registry_reader', 'province');
  revealer = await tokenWithRole(h, taiyuan, 'registry_revealer', 'region');
});
afterAll(async () => {
  await h?.close();
});

type Method = 'GET' | 'POST' | 'PUT';
const send = (method: Method, url: string, token: string | null, payload?: unknown) =>
  h.app.inject({ method, url, headers: token ? bearer(token) : {}, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });
const count = async (table: 'registry.entities' | 'registry.entity_versions' | 'identity.accounts') =>
  Number((await h.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const registration = (n: number, entity: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  username: `reg${n}`,
  password: PASSWORD,
  displayName: '张三',
  entity: { kind: 'organisation', uscc: usccFor(n), name: `山西测试有限公司${n}`, ...entity },
  ...extra,
});

describe('self-registration: refusals', () => {
  it('refuses bad codes, naming field and rule, and creates nothing', async () => {
    const before = [await count('registry.entities'), await count('identity.accounts')];
    const cases: [Record<string, unknown>, Record<string, unknown>, string, string][] = [
      [{ uscc: '91350100M000100Y44' }, {}, 'entity.uscc', 'check_digit'],
      [{ uscc: '91350100M000100YI3' }, {}, 'entity.uscc', 'format'],
      [{ uscc: undefined }, {}, 'entity.uscc', 'required'],
      [{ kind: 'person', uscc: undefined, idNumber: '11010119900307447X', name: '张三' }, {}, 'entity.idNumber', 'check_digit'],
      [{ kind: 'person', idNumber: idNumberFor(1) }, {}, 'entity.uscc', 'person'],
      // A code issued outside Shanxi names no region of ours: the registration must choose one.
      [{ uscc: '91350100M000100Y43' }, {}, 'entity.regionCode', 'required'],
      [{ regionCode: '149999' }, {}, 'entity.regionCode', 'exists'],
      [{}, { password: 'short' }, 'password', 'min_length'],
      [{}, { username: '1bad' }, 'username', 'pattern'],
    ];
    for (const [entity, extra, field, rule] of cases) {
      const res = await send('POST', '/api/v1/public/registrations', null, registration(1, entity, extra));
      // The password policy has its own status (422), as at every password change.
      expect(res.statusCode, `${field} ${rule}: ${res.body}`).toBe(field === 'password' ? 422 : 400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const p = problem(res);
      expect(p.errors?.some((e) => e.field === field && e.rule === rule), JSON.stringify(p)).toBe(true);
    }
    expect([await count('registry.entities'), await count('identity.accounts')]).toEqual(before);
  });

  it('accepts one registration per USCC in the province; a second points to the first', async () => {
    const first = await send('POST', '/api/v1/public/registrations', null, registration(2));
    expect(first.statusCode, first.body).toBe(201);
    const before = [await count('registry.entities'), await count('identity.accounts')];
    const again = await send('POST', '/api/v1/public/registrations', null, registration(2, { name: '另一个名字' }, { username: 'reg2other' }));
    expect(again.statusCode).toBe(409);
    const p = again.json<{ detail: string; errors: { field: string; rule: string }[]; existing: { entityId: string; name: string } }>();
    expect(p.errors[0]).toMatchObject({ field: 'entity.uscc', rule: 'registered' });
    expect(p.detail).toContain(usccFor(2));
    expect(p.detail).toContain('山西测试有限公司2');
    expect(p.existing.entityId).toBe(first.json<{ entityId: string }>().entityId);
    // The code is normalised first: lower case is the same code.
    const lower = await send('POST', '/api/v1/public/registrations', null, registration(2, { uscc: usccFor(2).toLowerCase() }, { username: 'reg2lower' }));
    expect(lower.statusCode).toBe(409);
    // A username in use is refused too, and nothing is half-created.
    const taken = await send('POST', '/api/v1/public/registrations', null, registration(3, {}, { username: 'reg2' }));
    expect(taken.statusCode).toBe(409);
    expect(problem(taken).errors?.[0]).toMatchObject({ field: 'username' });
    expect([await count('registry.entities'), await count('identity.accounts')]).toEqual(before);
  });

  it('one natural person per ID number, the number never echoed back in clear', async () => {
    const body = registration(4, { kind: 'person', uscc: undefined, idNumber: idNumberFor(4), name: '张三', regionCode: '140105' });
    const first = await send('POST', '/api/v1/public/registrations', null, body);
    expect(first.statusCode, first.body).toBe(201);
    const again = await send('POST', '/api/v1/public/registrations', null, { ...body, username: 'reg4b' });
    expect(again.statusCode).toBe(409);
    expect(again.body).not.toContain(idNumberFor(4));
    expect(problem(again).errors?.[0]).toMatchObject({ field: 'entity.idNumber', rule: 'registered' });
  });
});

describe('the entity account', () => {
  it('signs in without a second factor, sees only its own entity, and is refused staff routes', async () => {
    const who = await registerOrganisation(h, 10);
    const me = await send('GET', '/api/v1/auth/me', who.token);
    expect(me.json()).toMatchObject({ organisation: null, entity: { id: who.entityId, regionCode: '140100' }, permissions: ['credit.self.read', 'registry.self.manage', 'trading.bid.submit', 'trading.tender.manage'] });
    const mine = await send('GET', '/api/v1/registry/me', who.token);
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ entity: { status: 'registering', uscc: who.uscc }, current: null, open: { status: 'draft', number: 1, kind: 'registration' } });
    for (const url of ['/api/v1/registry/entities', '/api/v1/registry/reviews', '/api/v1/credit/records', '/api/v1/accounts']) {
      expect((await send('GET', url, who.token)).statusCode, url).toBe(403);
    }
    // Staff cannot use the entity's own routes.
    expect((await send('GET', '/api/v1/registry/me', provinceReader)).statusCode).toBe(403);
  });

  it('an entity account cannot be granted a staff role, nor a staff account the entity role', async () => {
    const who = await registerOrganisation(h, 11);
    const sec = await tokenWithRole(h, province, 'security_admin', 'province');
    const roles = await send('GET', '/api/v1/roles', sec);
    const id = (code: string) => roles.json<{ id: string; code: string }[]>().find((r) => r.code === code)!.id;
    const wrong = await send('PUT', `/api/v1/accounts/${who.accountId}/roles`, sec, { grants: [{ roleId: id('centre_staff'), scope: 'province' }] });
    expect(wrong.statusCode, wrong.body).toBe(400);
    expect(problem(wrong).errors?.[0]).toMatchObject({ field: 'grants', rule: 'account_kind' });
    const staff = await signedInStaff();
    const other = await send('PUT', `/api/v1/accounts/${staff}/roles`, sec, { grants: [{ roleId: id('entity_user'), scope: 'own' }] });
    expect(problem(other).errors?.[0]).toMatchObject({ field: 'grants', rule: 'account_kind' });
  });
});

async function signedInStaff(): Promise<string> {
  const res = await h.deps.db.selectFrom('identity.accounts').select('id').where('organisation_id', 'is not', null).limit(1).executeTakeFirstOrThrow();
  return res.id;
}

describe('draft, submission and review', () => {
  let who: Registered;
  beforeAll(async () => {
    who = await registerOrganisation(h, 20);
  });

  it('refuses an incomplete profile naming every bad field, and keeps the draft as it was', async () => {
    const bad = profileBody(20, {
      legalRepresentative: { name: '王建国', idNumber: '11010119900307447X' },
      establishedOn: '2026-03-03',
      qualifications: [{ category: '建筑工程施工总承包', grade: '一级', number: 'D1', issuer: '山西省住建厅', validFrom: '2025-01-01', validTo: '2024-12-31' }],
      regionCode: '149999',
    });
    const res = await send('PUT', '/api/v1/registry/me/draft', who.token, bad);
    expect(res.statusCode).toBe(400);
    const errors = problem(res).errors!.map((e) => `${e.field}:${e.rule}`);
    expect(errors).toEqual(expect.arrayContaining(['legalRepresentative.idNumber:check_digit', 'establishedOn:not_future', 'qualifications.0.validTo:not_before_from', 'regionCode:exists']));
    const mine = await send('GET', '/api/v1/registry/me', who.token);
    expect(mine.json<{ open: { profile: { address: string } } }>().open.profile.address).toBe('');
    // Submitting the blank draft is refused with what is missing.
    const early = await send('POST', '/api/v1/registry/me/draft/submit', who.token);
    expect(early.statusCode).toBe(400);
    expect(problem(early).errors!.map((e) => e.field)).toEqual(['profile', 'licence']);
  });

  it('saves, takes the licence image, submits; the entity user sees its own data in clear', async () => {
    const save = await send('PUT', '/api/v1/registry/me/draft', who.token, profileBody(20));
    expect(save.statusCode, save.body).toBe(200);
    expect(save.json()).toMatchObject({ profile: { masked: false, bankAccount: { number: '14050110000000000123' }, legalRepresentative: { idNumber: idNumberFor(20) } } });
    const gif = await h.app.inject({ method: 'PUT', url: '/api/v1/registry/me/draft/licence', headers: { ...bearer(who.token), 'content-type': 'image/png' }, payload: Buffer.from('GIF89a......') });
    expect(gif.statusCode).toBe(415);
    const tiny = await h.app.inject({ method: 'PUT', url: '/api/v1/registry/me/draft/licence', headers: { ...bearer(who.token), 'content-type': 'image/png' }, payload: tinyPng() });
    expect(problem(tiny).errors?.[0]).toMatchObject({ field: 'body', rule: 'too_small' });
    const up = await h.app.inject({ method: 'PUT', url: '/api/v1/registry/me/draft/licence', headers: { ...bearer(who.token), 'content-type': 'image/png' }, payload: await licenceFor(20) });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json<{ licence: { mediaType: string } }>().licence.mediaType).toBe('image/png');
    const sub = await send('POST', '/api/v1/registry/me/draft/submit', who.token);
    expect(sub.statusCode, sub.body).toBe(200);
    expect(sub.json()).toMatchObject({ status: 'submitted' });
    // Nothing changes while it waits for review.
    const locked = await send('PUT', '/api/v1/registry/me/draft', who.token, profileBody(20, { address: '别处' }));
    expect(locked.statusCode).toBe(409);
  });

  it('shows the queue to the reviewers of the entity region only; others get 404', async () => {
    const queue = await send('GET', '/api/v1/registry/reviews', taiyuanReviewer);
    const item = queue.json<{ items: { versionId: string; entityId: string }[] }>().items.find((i) => i.entityId === who.entityId)!;
    expect(item).toBeDefined();
    const elsewhere = await send('GET', '/api/v1/registry/reviews', datongReviewer);
    expect(elsewhere.json<{ items: { entityId: string }[] }>().items.some((i) => i.entityId === who.entityId)).toBe(false);
    const cross = await send('POST', `/api/v1/registry/versions/${item.versionId}/decision`, datongReviewer, { outcome: 'approved' });
    expect(cross.statusCode).toBe(404);
    const noReason = await send('POST', `/api/v1/registry/versions/${item.versionId}/decision`, taiyuanReviewer, { outcome: 'rejected' });
    expect(problem(noReason).errors?.[0]).toMatchObject({ field: 'reason', rule: 'required' });
  });

  it('a rejection sends it back with the reason; the fixed draft keeps its licence; approval activates the entity', async () => {
    const item = (await send('GET', '/api/v1/registry/reviews', taiyuanReviewer)).json<{ items: { versionId: string; entityId: string }[] }>().items.find((i) => i.entityId === who.entityId)!;
    const rejected = await send('POST', `/api/v1/registry/versions/${item.versionId}/decision`, taiyuanReviewer, { outcome: 'rejected', reason: '注册资本与营业执照不一致' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const mine = (await send('GET', '/api/v1/registry/me', who.token)).json<{ open: null; lastRejected: { reviewReason: string } }>();
    expect(mine.open).toBeNull();
    expect(mine.lastRejected.reviewReason).toBe('注册资本与营业执照不一致');
    const fixed = await send('PUT', '/api/v1/registry/me/draft', who.token, profileBody(20, { registeredCapitalWanYuan: 3000 }));
    expect(fixed.json()).toMatchObject({ number: 2, kind: 'registration', licence: { mediaType: 'image/png' } });
    expect((await send('POST', '/api/v1/registry/me/draft/submit', who.token)).statusCode).toBe(200);
    const versionId = fixed.json<{ id: string }>().id;
    const ok = await send('POST', `/api/v1/registry/versions/${versionId}/decision`, taiyuanReviewer, { outcome: 'approved' });
    expect(ok.statusCode, ok.body).toBe(200);
    const again = await send('POST', `/api/v1/registry/versions/${versionId}/decision`, taiyuanReviewer, { outcome: 'approved' });
    expect(again.statusCode).toBe(409);
    const detail = await send('GET', `/api/v1/registry/entities/${who.entityId}`, provinceReader);
    expect(detail.json()).toMatchObject({ status: 'active', currentVersionId: versionId, roles: ['bidder', 'supplier'], profile: { registeredCapitalWanYuan: 3000, masked: true } });
  });

  it('masks personal data for readers without the need; reveal is for the region and audited', async () => {
    const detail = (await send('GET', `/api/v1/registry/entities/${who.entityId}`, provinceReader)).body;
    for (const secret of [idNumberFor(20), idNumberFor(520), '14050110000000000123', '13912345678']) expect(detail).not.toContain(secret);
    expect(detail).toContain('139****5678');
    const revealed = await send('POST', `/api/v1/registry/entities/${who.entityId}/reveal`, revealer);
    expect(revealed.statusCode, revealed.body).toBe(200);
    expect(revealed.json()).toMatchObject({ masked: false, bankAccount: { number: '14050110000000000123' } });
    const audits = await h.deps.db.selectFrom('audit.audit_log').select('detail').where('action', '=', 'registry.entity.reveal').where('target_id', '=', who.entityId).execute();
    expect(audits).toHaveLength(1);
    const datongRevealer = await tokenWithRole(h, datong, 'registry_revealer', 'region');
    expect((await send('POST', `/api/v1/registry/entities/${who.entityId}/reveal`, datongRevealer)).statusCode).toBe(404);
    expect((await send('POST', `/api/v1/registry/entities/${who.entityId}/reveal`, provinceReader)).statusCode).toBe(403);
  });

  it('a change goes through review too, and every version stays in the history with what changed', async () => {
    const change = await send('PUT', '/api/v1/registry/me/draft', who.token, profileBody(20, { registeredCapitalWanYuan: 3000, address: '山西省太原市迎泽区新建路 8 号', contacts: [{ name: '李明', phone: '13800001111' }] }));
    expect(change.statusCode, change.body).toBe(200);
    expect(change.json()).toMatchObject({ number: 3, kind: 'change', status: 'draft' });
    const fields = change.json<{ changes: { field: string; before: string | null; after: string | null }[] }>().changes;
    expect(fields.map((c) => c.field).sort()).toEqual(['address', 'contacts']);
    expect(JSON.stringify(fields)).not.toContain('13800001111');
    // Until approved, everyone still reads the approved profile.
    expect((await send('GET', `/api/v1/registry/entities/${who.entityId}`, provinceReader)).json()).toMatchObject({ profile: { address: '山西省太原市小店区长治路 100 号' }, openVersion: { number: 3 } });
    expect((await send('POST', '/api/v1/registry/me/draft/submit', who.token)).statusCode).toBe(200);
    const withdrawn = await send('POST', '/api/v1/registry/me/draft/withdraw', who.token);
    expect(withdrawn.json()).toMatchObject({ status: 'draft' });
    expect((await send('POST', '/api/v1/registry/me/draft/submit', who.token)).statusCode).toBe(200);
    const versionId = change.json<{ id: string }>().id;
    expect((await send('POST', `/api/v1/registry/versions/${versionId}/decision`, taiyuanReviewer, { outcome: 'approved' })).statusCode).toBe(200);
    const history = (await send('GET', `/api/v1/registry/entities/${who.entityId}/versions`, provinceReader)).json<{ items: { number: number; status: string; kind: string; reviewReason: string | null; createdByName: string; reviewedByName: string | null; changes: { field: string }[] }[] }>().items;
    expect(history.map((v) => [v.number, v.status, v.kind])).toEqual([
      [3, 'approved', 'change'],
      [2, 'superseded', 'registration'],
      [1, 'rejected', 'registration'],
    ]);
    expect(history[2]!.reviewReason).toBe('注册资本与营业执照不一致');
    // Who did what, by name: the entity's user created every version, the reviewer decided them.
    const reviewerName = (await send('GET', '/api/v1/auth/me', taiyuanReviewer)).json<{ displayName: string }>().displayName;
    expect(history.map((v) => [v.createdByName, v.reviewedByName])).toEqual([
      ['李明', reviewerName],
      ['李明', reviewerName],
      ['李明', reviewerName],
    ]);
    expect(history[0]!.changes.map((c) => c.field).sort()).toEqual(['address', 'contacts']);
    // An unchanged resubmission is refused.
    await send('PUT', '/api/v1/registry/me/draft', who.token, profileBody(20, { registeredCapitalWanYuan: 3000, address: '山西省太原市迎泽区新建路 8 号', contacts: [{ name: '李明', phone: '13800001111' }] }));
    const same = await send('POST', '/api/v1/registry/me/draft/submit', who.token);
    expect(same.statusCode).toBe(409);
    expect(problem(same).errors?.[0]).toMatchObject({ field: 'profile', rule: 'unchanged' });
  });
});

describe('qualifications', () => {
  it('are flagged from 30 days before their last day and cannot back a bid after it', async () => {
    const who = await registerOrganisation(h, 30);
    const versionId = await submitComplete(h, who, 30, { qualifications: [{ category: '市政公用工程施工总承包', grade: '二级', number: 'D2140001', issuer: '山西省住房和城乡建设厅', validFrom: '2021-01-01', validTo: '2026-04-10' }] });
    expect((await send('POST', `/api/v1/registry/versions/${versionId}/decision`, taiyuanReviewer, { outcome: 'approved' })).statusCode).toBe(200);
    const q = (await send('GET', `/api/v1/registry/entities/${who.entityId}`, provinceReader)).json<{ profile: { qualifications: { id: string; state: string }[] } }>().profile.qualifications[0]!;
    // Days pass: each look signs in afresh (the idle timeout ended the earlier sessions).
    let reader = provinceReader;
    const stateOn = async (day: string) => {
      h.clock.set(`${day}T02:00:00Z`);
      reader = await tokenWithRole(h, province, 'registry_reader', 'province');
      return (await send('GET', `/api/v1/registry/entities/${who.entityId}`, reader)).json<{ profile: { qualifications: { state: string }[] }; qualificationWarnings: number }>();
    };
    expect((await stateOn('2026-03-10')).profile.qualifications[0]!.state).toBe('valid');
    const flagged = await stateOn('2026-03-11');
    expect(flagged.profile.qualifications[0]!.state).toBe('expiring');
    expect(flagged.qualificationWarnings).toBe(1);
    const expiring = await send('GET', '/api/v1/registry/qualifications/expiring', await tokenWithRole(h, taiyuan, 'registry_reviewer', 'region'));
    expect(expiring.json<{ items: { qualificationId: string; daysLeft: number }[] }>().items.find((i) => i.qualificationId === q.id)?.daysLeft).toBe(30);
    const check = (at: string) => send('POST', '/api/v1/registry/qualification-check', reader, { entityId: who.entityId, qualificationId: q.id, at });
    // The last day counts in full (China Standard Time): 2026-04-10 23:59:59 CST is still valid.
    expect((await check('2026-04-10T15:59:59.999Z')).json()).toMatchObject({ usable: true, state: 'expiring' });
    const late = (await check('2026-04-10T16:00:00.000Z')).json<{ usable: boolean; state: string; reason: string }>();
    expect(late).toMatchObject({ usable: false, state: 'expired' });
    expect(late.reason).toContain('已于 2026-04-10 到期');
    h.clock.set('2026-03-02T01:00:00Z');
  });
});

describe('search', () => {
  it('finds entities by any part of the name, by USCC in any case, and counts up to the cap', async () => {
    const who = await registerOrganisation(h, 40, { name: '山西潞城宏达路桥工程有限公司' });
    const found = async (q: string) =>
      (await send('GET', `/api/v1/registry/entities?q=${encodeURIComponent(q)}`, provinceReader)).json<{ items: { id: string }[]; total: number; more: boolean }>();
    for (const q of ['宏达', '潞城宏达', '路桥工程有限', '山西潞城宏达路桥工程有限公司', '潞', who.uscc, who.uscc.toLowerCase()]) {
      expect((await found(q)).items.map((i) => i.id), q).toContain(who.entityId);
    }
    // Characters in another order are not the name.
    expect((await found('达宏')).items.map((i) => i.id)).not.toContain(who.entityId);
    // The exact name ranks first.
    await registerOrganisation(h, 41, { name: '山西潞城宏达路桥工程有限公司太原分公司' });
    expect((await found('山西潞城宏达路桥工程有限公司')).items[0]!.id).toBe(who.entityId);
    const bad = await send('GET', '/api/v1/registry/entities?regionCode=149999', provinceReader);
    expect(problem(bad).errors?.[0]).toMatchObject({ field: 'regionCode', rule: 'exists' });
  });
});

describe("the entity's own credit archive", () => {
  it('shows its records and the ban with its reason; the entity objects itself; others are 404', async () => {
    const who = await registerOrganisation(h, 50);
    await makeRole(h, 'credit_writer', ['credit.record.read', 'credit.record.write', 'credit.objection.decide']);
    const writer = await tokenWithRole(h, taiyuan, 'credit_writer', 'region');
    const record = await send('POST', '/api/v1/credit/records', writer, {
      subjectKind: 'organisation',
      uscc: who.uscc,
      subjectName: '山西晋建建设工程有限公司50',
      role: 'bidder',
      type: 'violation',
      severity: 'serious',
      title: '串通投标',
      facts: '与其他投标人串通投标报价。',
      legalBasis: '《中华人民共和国招标投标法》第五十三条',
      sourceDepartment: '太原市住房和城乡建设局',
      regionCode: '140100',
      decisionNumber: '并建罚〔2026〕9号',
      decisionDate: '2026-03-01',
      effectiveFrom: '2026-03-01',
      ban: { categories: ['*'], regionCode: '140000', from: '2026-03-01', to: '2027-02-28' },
      notRepairableReason: 'collusion',
    });
    expect(record.statusCode, record.body).toBe(201);
    const recordId = record.json<{ id: string }>().id;
    const mine = await send('GET', '/api/v1/credit/me', who.token);
    expect(mine.statusCode, mine.body).toBe(200);
    const archive = mine.json<{ records: { id: string }[]; bans: { recordId: string; reason: string }[]; score: { grade: string } }>();
    expect(archive.records.map((r) => r.id)).toEqual([recordId]);
    expect(archive.bans[0]).toMatchObject({ recordId });
    expect(archive.bans[0]!.reason).toContain('2026-03-01 至 2027-02-28 禁止在山西省参与全部交易');
    expect((await send('GET', '/api/v1/credit/me', writer)).statusCode).toBe(403);
    // Repair is refused for collusion; an objection is filed by the entity itself.
    const repair = await send('POST', `/api/v1/credit/me/records/${recordId}/repairs`, who.token, { obligations: '已履行', evidence: [{ name: '缴款凭证.pdf', sm3Digest: 'b'.repeat(64), size: 10 }], commitment: { accepted: true, text: '本单位承诺诚信经营' } });
    expect(problem(repair).errors?.[0]).toMatchObject({ field: 'recordId', rule: 'not_repairable' });
    const objection = await send('POST', `/api/v1/credit/me/records/${recordId}/objections`, who.token, { reason: '该处罚决定已被行政复议撤销。' });
    expect(objection.statusCode, objection.body).toBe(201);
    expect(objection.json()).toMatchObject({ onBehalfOf: '山西晋建建设工程有限公司50', filedBy: who.accountId, status: 'pending' });
    // Another entity cannot see or object to it.
    const other = await registerOrganisation(h, 51);
    expect((await send('POST', `/api/v1/credit/me/records/${recordId}/objections`, other.token, { reason: '试图对他人记录提出异议' })).statusCode).toBe(404);
    expect((await send('GET', '/api/v1/credit/me', other.token)).json<{ records: unknown[] }>().records).toEqual([]);
  });
});

describe('suspension', () => {
  it('staff of the region suspend an active entity with a reason and lift it; meanwhile nothing changes and no qualification backs a bid', async () => {
    const who = await registerOrganisation(h, 70);
    const reviewer = await tokenWithRole(h, taiyuan, 'registry_reviewer', 'region');
    const early = await send('POST', `/api/v1/registry/entities/${who.entityId}/status`, reviewer, { status: 'suspended', reason: '涉嫌提供虚假材料' });
    expect(early.statusCode).toBe(409);
    const versionId = await submitComplete(h, who, 70);
    expect((await send('POST', `/api/v1/registry/versions/${versionId}/decision`, reviewer, { outcome: 'approved' })).statusCode).toBe(200);
    expect((await send('POST', `/api/v1/registry/entities/${who.entityId}/status`, datongReviewer, { status: 'suspended', reason: '涉嫌提供虚假材料' })).statusCode).toBe(404);
    expect(problem(await send('POST', `/api/v1/registry/entities/${who.entityId}/status`, reviewer, { status: 'suspended' })).errors?.[0]).toMatchObject({ field: 'reason', rule: 'required' });
    const suspended = await send('POST', `/api/v1/registry/entities/${who.entityId}/status`, reviewer, { status: 'suspended', reason: '涉嫌提供虚假材料' });
    expect(suspended.json()).toMatchObject({ status: 'suspended', statusReason: '涉嫌提供虚假材料' });
    const edit = await send('PUT', '/api/v1/registry/me/draft', who.token, profileBody(70, { address: '别处' }));
    expect(edit.statusCode).toBe(403);
    expect(problem(edit).detail).toContain('涉嫌提供虚假材料');
    const q = (await send('GET', `/api/v1/registry/entities/${who.entityId}`, reviewer)).json<{ profile: { qualifications: { id: string }[] } }>().profile.qualifications[0]!;
    const check = await send('POST', '/api/v1/registry/qualification-check', reviewer, { entityId: who.entityId, qualificationId: q.id, at: '2026-03-02T02:00:00Z' });
    expect(check.json()).toMatchObject({ usable: false, reason: '主体已被暂停（涉嫌提供虚假材料）' });
    const lifted = await send('POST', `/api/v1/registry/entities/${who.entityId}/status`, reviewer, { status: 'active', reason: '经核查材料属实' });
    expect(lifted.json()).toMatchObject({ status: 'active', statusReason: null });
    expect((await send('POST', '/api/v1/registry/qualification-check', reviewer, { entityId: who.entityId, qualificationId: q.id, at: '2026-03-02T02:00:00Z' })).json()).toMatchObject({ usable: true });
    const audits = await h.deps.db.selectFrom('audit.audit_log').select('action').where('action', '=', 'registry.entity.status').where('target_id', '=', who.entityId).execute();
    expect(audits).toHaveLength(2);
  });
});
