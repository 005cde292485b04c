// One registration valid across the province: a market entity registered at the province signs
// in on the Taiyuan city node with its province account and takes part in the city's deals.
// Two nodes on loopback (the province behind a real HTTP listener), each with its own database
// and keys. Refusals first — a wrong password counted at the province, the lockout, staff and
// unfinished registrations, a province that cannot be reached — each leaving nothing on the city;
// then the sign-in, the reference copy it writes, a bid on a city lot, a suspension at the
// province reaching the city at the next sign-in or the next refresh, and a dynamic code checked
// at the province.

import { generate as generateTotp } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, makeOrganisation, PASSWORD, problem, signedInAs, TOTP_SECRET, type Harness } from '../../../test/support/harness.ts';
import { sealSm4 } from '../../platform/crypto/sm4.ts';
import { strandedCity, twoNodes, type TwoNodes } from '../../platform/federation/federation.test-support.ts';
import { openValue } from '../registry/registry.profile.ts';
import { makeRole } from '../experts/experts.test-support.ts';
import { profileBody } from '../registry/registry.fixtures.ts';
import { registerOrganisation, submitComplete } from '../registry/registry.test-support.ts';
import { entityReference, storeEntityReference } from '../registry/registry.reference.ts';
import { refreshReferences } from './identity.references.ts';
import type { StoredProfile } from '../registry/registry.tables.ts';
import { addSealingKey, sealedBid, upload } from '../trading/trading.bids.test-support.ts';
import { activeEntity, biddingLot, staffAccount } from '../trading/trading.test-support.ts';

let nodes: TwoNodes;
let province: Harness;
let city: Harness;
let cityMaster: Buffer;

beforeAll(async () => {
  nodes = await twoNodes();
  ({ province, city, cityMaster } = nodes);
  await makeRole(province, 'registry_reviewer', ['registry.entity.read', 'registry.entity.review']);
}, 120_000);

afterAll(async () => {
  await nodes?.close();
});

async function cityLogin(username: string, password = PASSWORD) {
  return city.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password, tokenType: 'bearer' }, headers: { 'user-agent': 'ggzy-test/1.0' } });
}

/** What the city holds of an entity and an account: rows, versions, sessions. */
async function cityHolds(entityId: string, accountId: string) {
  const db = city.deps.db;
  const count = async (table: 'registry.entity_versions' | 'registry.qualifications' | 'registry.key_personnel', column: 'entity_id') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).where(column, '=', entityId).executeTakeFirstOrThrow()).n);
  return {
    entity: await db.selectFrom('registry.entities').selectAll().where('id', '=', entityId).executeTakeFirst(),
    account: await db.selectFrom('identity.accounts').selectAll().where('id', '=', accountId).executeTakeFirst(),
    versions: await count('registry.entity_versions', 'entity_id'),
    qualifications: await count('registry.qualifications', 'entity_id'),
    personnel: await count('registry.key_personnel', 'entity_id'),
    sessions: Number((await db.selectFrom('identity.sessions').select((eb) => eb.fn.countAll<string>().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow()).n),
  };
}

async function provinceAudit(action: string, targetOrActor: string) {
  return province.deps.db
    .selectFrom('audit.audit_log')
    .select(['result', 'detail', 'client_ip', 'request_id'])
    .where('action', '=', action)
    .where((eb) => eb.or([eb('target_id', '=', targetOrActor), eb('actor_id', '=', targetOrActor)]))
    .orderBy('seq')
    .execute();
}

describe('signing in on a city with a province account refuses', () => {
  it('a wrong password, counted at the province with the attempts left, and stores nothing on the city', async () => {
    const who = await activeEntity(province, 7401, ['bidder']);
    const res = await cityLogin(who.username, 'Wrong@2026pass');
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const left = province.deps.config.security.lockoutThreshold - 1;
    expect(res.json()).toMatchObject({ code: 'invalid_credentials', detail: `用户名或密码错误，再失败 ${left} 次账号将被锁定`, attemptsLeft: left });
    const row = await province.deps.db.selectFrom('identity.accounts').select('failed_attempts').where('id', '=', who.accountId).executeTakeFirstOrThrow();
    expect(row.failed_attempts).toBe(1);
    expect(await cityHolds(who.entityId, who.accountId)).toMatchObject({ entity: undefined, account: undefined, versions: 0, sessions: 0 });
    // Audited on both nodes: the province names the city, and keeps the user's address and the city's request id.
    const at = await provinceAudit('auth.login', who.accountId);
    expect(at.at(-1)).toMatchObject({ result: 'failure', detail: { reason: 'bad_password', node: '140100' }, client_ip: '127.0.0.1' });
    const cityAudit = await city.deps.db.selectFrom('audit.audit_log').select(['result', 'detail', 'request_id']).where('action', '=', 'auth.login').where('actor_username', '=', who.username).executeTakeFirstOrThrow();
    expect(cityAudit).toMatchObject({ result: 'failure', detail: { reason: 'province_refused', code: 'invalid_credentials', node: '140000' } });
    expect(at.at(-1)!.request_id).toBe(cityAudit.request_id);
    // The password itself is in no audit entry of either node.
    for (const h of [province, city]) {
      const all = await h.deps.db.selectFrom('audit.audit_log').select('detail').execute();
      expect(JSON.stringify(all)).not.toContain('Wrong@2026pass');
    }
  });

  it('the account the province locked after too many failures, even with the right password', async () => {
    const who = await activeEntity(province, 7402, ['bidder']);
    const threshold = province.deps.config.security.lockoutThreshold;
    for (let i = 1; i < threshold; i++) expect((await cityLogin(who.username, 'Wrong@2026pass')).statusCode).toBe(401);
    const last = await cityLogin(who.username, 'Wrong@2026pass');
    expect(problem(last).code).toBe('account_locked');
    const right = await cityLogin(who.username);
    expect(right.statusCode).toBe(423);
    expect(problem(right)).toMatchObject({ code: 'account_locked' });
    expect(await cityHolds(who.entityId, who.accountId)).toMatchObject({ entity: undefined, account: undefined, sessions: 0 });
  });

  it("the province's staff (accounts are per node), and an entity whose registration is not approved", async () => {
    const staff = await staffAccount(province, '140000');
    const asStaff = await cityLogin(staff.username);
    expect(asStaff.statusCode).toBe(401);
    expect(problem(asStaff)).toMatchObject({ code: 'invalid_credentials', detail: '用户名或密码错误' });
    // Answered at the province as an unknown user, after the same work, with the city named.
    const staffAudit = await province.deps.db.selectFrom('audit.audit_log').select(['result', 'detail']).where('action', '=', 'auth.login').where('actor_username', '=', staff.username).orderBy('seq').execute();
    expect(staffAudit.at(-1)).toMatchObject({ result: 'failure', detail: { reason: 'unknown_user', node: '140100' } });

    const registering = await registerOrganisation(province, 7403);
    const early = await cityLogin(registering.username);
    expect(early.statusCode).toBe(409);
    expect(problem(early)).toMatchObject({ code: 'conflict', field: 'entity', rule: 'registering' });
    expect(problem(early).detail).toContain('请先登录省级平台完成注册');
    expect(await cityHolds(registering.entityId, registering.accountId)).toMatchObject({ entity: undefined, account: undefined, versions: 0, sessions: 0 });
  });

  it('with 503 when the province cannot be reached, storing nothing', async () => {
    const who = await activeEntity(province, 7404, ['bidder']);
    const stranded = await strandedCity(nodes);
    try {
      const res = await stranded.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: who.username, password: PASSWORD, tokenType: 'bearer' } });
      expect(res.statusCode).toBe(503);
      expect(problem(res)).toMatchObject({ code: 'unavailable', detail: '省级平台暂时无法访问，请稍后再试；本次操作未保存任何数据' });
      expect(await stranded.deps.db.selectFrom('registry.entities').select('id').where('id', '=', who.entityId).executeTakeFirst()).toBeUndefined();
      expect(await stranded.deps.db.selectFrom('identity.accounts').select('id').where('id', '=', who.accountId).executeTakeFirst()).toBeUndefined();
      const audit = await stranded.deps.db.selectFrom('audit.audit_log').select('detail').where('action', '=', 'auth.login').where('actor_username', '=', who.username).executeTakeFirstOrThrow();
      expect(audit.detail).toMatchObject({ reason: 'province_unavailable', code: 'unavailable' });
    } finally {
      await stranded.close();
    }
  });
});

describe('a province account on the city', () => {
  it('signs in; the city keeps a reference copy of the entity, its personal values sealed under the city key', async () => {
    const who = await activeEntity(province, 7411, ['bidder']);
    const provinceSessions = Number((await province.deps.db.selectFrom('identity.sessions').select((eb) => eb.fn.countAll<string>().as('n')).where('account_id', '=', who.accountId).executeTakeFirstOrThrow()).n);
    const res = await cityLogin(who.username);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ stage: 'active' });
    const token = res.json<{ token: string }>().token;
    const me = await city.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
    expect(me.json()).toMatchObject({ id: who.accountId, username: who.username, entity: { id: who.entityId, name: who.name, regionCode: '140100' }, roles: [{ code: 'entity_user', scope: 'own' }], homeNode: '140000' });
    expect(me.json<{ permissions: string[] }>().permissions.length).toBeGreaterThan(0);

    const held = await cityHolds(who.entityId, who.accountId);
    expect(held.entity).toMatchObject({ uscc: who.uscc, name: who.name, status: 'active', home_node: '140000' });
    expect(held.account).toMatchObject({ username: who.username, entity_id: who.entityId, home_node: '140000', organisation_id: null });
    expect(held).toMatchObject({ versions: 1, qualifications: 1, personnel: 1, sessions: 1 });
    // No session at the province: it checked the password, the session is the city's.
    expect(Number((await province.deps.db.selectFrom('identity.sessions').select((eb) => eb.fn.countAll<string>().as('n')).where('account_id', '=', who.accountId).executeTakeFirstOrThrow()).n)).toBe(provinceSessions);
    expect((await provinceAudit('auth.login', who.accountId)).at(-1)).toMatchObject({ result: 'success', detail: { stage: 'active', node: '140100' } });

    const version = await city.deps.db.selectFrom('registry.entity_versions').selectAll().where('entity_id', '=', who.entityId).executeTakeFirstOrThrow();
    const data = version.data as StoredProfile;
    expect(openValue(cityMaster, who.entityId, data.bankAccount!.number)).toBe('14050110000000000123');
    expect(() => openValue(province.deps.keys.master, who.entityId, data.bankAccount!.number)).toThrow();
    // The entity reads its own profile on the city; what the province does stays at the province.
    const mine = await city.app.inject({ method: 'GET', url: '/api/v1/registry/me', headers: bearer(token) });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json()).toMatchObject({ entity: { id: who.entityId, status: 'active' }, current: { bankAccount: { number: '14050110000000000123' } } });
    const draft = await city.app.inject({ method: 'PUT', url: '/api/v1/registry/me/draft', headers: bearer(token), payload: profileBody(7411, { address: '山西省太原市迎泽区新建路 8 号' }) });
    expect(problem(draft)).toMatchObject({ code: 'conflict', field: 'node', rule: 'province_registry' });
    const password = await city.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: bearer(token), payload: { currentPassword: PASSWORD, newPassword: 'Next@2026pass!' } });
    expect(password.statusCode).toBe(409);
    expect(problem(password)).toMatchObject({ field: 'account', rule: 'province_account' });
    expect(problem(password).detail).toContain('请登录省级平台修改密码');
  });

  it("cannot have its password or dynamic code reset by the city's administrators: both live at the province", async () => {
    const who = await activeEntity(province, 7415, ['bidder']);
    expect((await cityLogin(who.username)).statusCode).toBe(200);
    const before = (await cityHolds(who.entityId, who.accountId)).account!;
    const org = await makeOrganisation(city, { regionCode: '140100' });
    const admin = await signedInAs(city, { organisationId: org, roles: [{ code: 'system_admin', scope: 'province' }] });
    const security = await signedInAs(city, { organisationId: org, roles: [{ code: 'security_admin', scope: 'province' }] });
    const reset = await city.app.inject({ method: 'POST', url: `/api/v1/accounts/${who.accountId}/reset-password`, headers: bearer(admin.token), payload: { newPassword: 'Reset@2026pass!' } });
    expect(reset.statusCode, reset.body).toBe(409);
    expect(problem(reset)).toMatchObject({ field: 'account', rule: 'province_account' });
    expect(problem(reset).detail).toContain('本节点不能重置');
    const mfa = await city.app.inject({ method: 'POST', url: `/api/v1/accounts/${who.accountId}/reset-mfa`, headers: bearer(security.token) });
    expect(mfa.statusCode, mfa.body).toBe(409);
    expect(problem(mfa)).toMatchObject({ field: 'account', rule: 'province_account' });
    // Nothing changed on the city: the same row, the session still stands.
    const after = await cityHolds(who.entityId, who.accountId);
    expect(after.account).toEqual(before);
    expect(after.sessions).toBe(1);
    // A local account of the city is still reset by the same administrator.
    const local = await signedInAs(city, { organisationId: org });
    const own = await city.app.inject({ method: 'POST', url: `/api/v1/accounts/${local.id}/reset-password`, headers: bearer(admin.token), payload: { newPassword: 'Reset@2026pass!' } });
    expect(own.statusCode, own.body).toBe(204);
  });

  it('takes part in a city deal: a province tenderer and a province bidder, a bid received on the city', async () => {
    const tenderer = await activeEntity(province, 7421, ['tenderer']);
    const bidder = await activeEntity(province, 7422, ['bidder']);
    const asTenderer = (await cityLogin(tenderer.username)).json<{ token: string }>().token;
    const asBidder = (await cityLogin(bidder.username)).json<{ token: string }>().token;
    const lot = await biddingLot(city, 7421, { tenderer: { ...tenderer, token: asTenderer }, bidDeadline: new Date(city.clock.now().getTime() + 20 * 86_400_000) });
    const key = await addSealingKey(city, { token: asBidder, entityId: bidder.entityId }, '工作密钥');
    const sealed = await sealedBid([key]);
    const receipt = await upload(city, asBidder, lot.lotId, sealed.envelope, sealed.seals);
    expect(receipt.statusCode, receipt.body).toBe(201);
    expect(receipt.json()).toMatchObject({ receipt: { dealCode: lot.dealCode }, bid: { status: 'received' } });

    // The province suspends the bidder: the city learns it at the bidder's next sign-in, and refuses its bids from then on.
    const org = await makeOrganisation(province, { regionCode: '140100', kind: 'trading_centre' });
    const reviewer = await signedInAs(province, { organisationId: org, roles: [{ code: 'registry_reviewer', scope: 'region' }] });
    const suspend = await province.app.inject({ method: 'POST', url: `/api/v1/registry/entities/${bidder.entityId}/status`, headers: bearer(reviewer.token), payload: { status: 'suspended', reason: '涉嫌提供虚假材料' } });
    expect(suspend.statusCode, suspend.body).toBe(200);
    const again = await cityLogin(bidder.username);
    expect(again.statusCode).toBe(200);
    const held = await cityHolds(bidder.entityId, bidder.accountId);
    expect(held.entity).toMatchObject({ status: 'suspended', status_reason: '涉嫌提供虚假材料' });
    expect(held.versions).toBe(1);
    const refused = await upload(city, again.json<{ token: string }>().token, lot.lotId, sealed.envelope, sealed.seals);
    expect(refused.statusCode, refused.body).toBe(403);
    expect(problem(refused)).toMatchObject({ field: 'bidder', rule: 'bidder_active' });
    const refresh = await city.deps.db.selectFrom('audit.audit_log').select('detail').where('action', '=', 'registry.reference.refresh').where('target_id', '=', bidder.entityId).orderBy('seq').execute();
    expect(refresh.map((r) => r.detail)).toMatchObject([{ node: '140000', first: true, status: 'active' }, { node: '140000', first: false, status: 'suspended' }]);
  });

  it('with a dynamic code bound at the province: the code is checked and counted there', async () => {
    const who = await activeEntity(province, 7431, ['bidder']);
    // Bound at the province (as an enrolment there leaves it).
    await province.deps.db.updateTable('identity.accounts').set({ totp_secret_enc: sealSm4(province.deps.keys.master, TOTP_SECRET, `account:${who.accountId}:totp`), totp_enabled: true }).where('id', '=', who.accountId).execute();
    const codeAt = (h: Harness) => generateTotp({ secret: TOTP_SECRET, epoch: Math.floor(h.clock.now().getTime() / 1000) });
    province.clock.advance(60_000);
    city.clock.set(province.clock.now());

    const first = await cityLogin(who.username);
    expect(first.json()).toMatchObject({ stage: 'mfa' });
    const token = first.json<{ token: string }>().token;
    expect((await city.app.inject({ method: 'GET', url: '/api/v1/trading/sealing-keys', headers: bearer(token) })).statusCode).toBe(403);
    const wrong = await city.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', headers: bearer(token), payload: { code: (Number(await codeAt(city)) ^ 1).toString().padStart(6, '0') } });
    expect(problem(wrong).code).toBe('invalid_totp');
    expect((await province.deps.db.selectFrom('identity.accounts').select('failed_attempts').where('id', '=', who.accountId).executeTakeFirstOrThrow()).failed_attempts).toBe(1);
    const right = await city.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', headers: bearer(token), payload: { code: await codeAt(city) } });
    expect(right.statusCode, right.body).toBe(200);
    expect(right.json()).toMatchObject({ stage: 'active' });
    expect((await province.deps.db.selectFrom('identity.accounts').select('failed_attempts').where('id', '=', who.accountId).executeTakeFirstOrThrow()).failed_attempts).toBe(0);
    expect((await city.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).json()).toMatchObject({ stage: 'active', mfaEnabled: true, entity: { id: who.entityId } });
    expect((await provinceAudit('auth.mfa.verify', who.accountId)).map((a) => [a.result, (a.detail as { node?: string }).node])).toEqual([
      ['failure', '140100'],
      ['success', '140100'],
    ]);
  });
});

describe("the city's reference copies between sign-ins", () => {
  it('are asked of the province again once older than GGZY_REFERENCE_REFRESH_MINUTES, rewritten and audited only when changed', async () => {
    const who = await activeEntity(province, 7451, ['bidder']);
    expect((await cityLogin(who.username)).statusCode).toBe(200);
    const signedInAt = city.clock.now();
    const period = city.deps.config.federation.referenceRefreshMinutes * 60_000;
    const refreshedAt = async () => (await cityHolds(who.entityId, who.accountId)).entity!.refreshed_at!.getTime();
    const audits = async () => (await city.deps.db.selectFrom('audit.audit_log').select(['detail', 'actor_username']).where('action', '=', 'registry.reference.refresh').where('target_id', '=', who.entityId).orderBy('seq').execute());
    const at = async (offsetMs: number) => {
      const t = new Date(signedInAt.getTime() + offsetMs);
      province.clock.set(t);
      city.clock.set(t);
      return refreshReferences(city.deps, t);
    };

    // Suspended at the province right after the sign-in.
    const org = await makeOrganisation(province, { regionCode: '140100', kind: 'trading_centre' });
    const reviewer = await signedInAs(province, { organisationId: org, roles: [{ code: 'registry_reviewer', scope: 'region' }] });
    const suspend = await province.app.inject({ method: 'POST', url: `/api/v1/registry/entities/${who.entityId}/status`, headers: bearer(reviewer.token), payload: { status: 'suspended', reason: '资质证书被依法撤回' } });
    expect(suspend.statusCode, suspend.body).toBe(200);
    // Another entity has a change approved at the province: a new version for the city.
    const changing = await activeEntity(province, 7453, ['bidder']);
    expect((await cityLogin(changing.username)).statusCode).toBe(200);
    const versionId = await submitComplete(province, changing, 7453, { roles: ['bidder'], address: '山西省太原市迎泽区新建路 8 号' });
    const decided = await province.app.inject({ method: 'POST', url: `/api/v1/registry/versions/${versionId}/decision`, headers: bearer(reviewer.token), payload: { outcome: 'approved' } });
    expect(decided.statusCode, decided.body).toBe(200);

    await at(period - 1);
    expect(await refreshedAt()).toBe(signedInAt.getTime());
    expect((await cityHolds(who.entityId, who.accountId)).entity).toMatchObject({ status: 'active' });

    const due = await at(period);
    expect(due.changed).toBeGreaterThanOrEqual(1);
    expect(await refreshedAt()).toBe(signedInAt.getTime() + period);
    expect((await cityHolds(who.entityId, who.accountId)).entity).toMatchObject({ status: 'suspended', status_reason: '资质证书被依法撤回' });
    expect((await audits()).map((a) => [a.actor_username, (a.detail as { status: string }).status])).toEqual([
      [who.username, 'active'],
      ['system:reference-refresh', 'suspended'],
    ]);
    const versions = await city.deps.db.selectFrom('registry.entity_versions').select(['id', 'status', 'data']).where('entity_id', '=', changing.entityId).orderBy('number').execute();
    expect(versions.map((v) => v.status)).toEqual(['superseded', 'approved']);
    expect(versions[1]!.id).toBe(versionId);
    expect((versions[1]!.data as StoredProfile).address).toBe('山西省太原市迎泽区新建路 8 号');
    expect((await cityHolds(changing.entityId, changing.accountId)).entity!.current_version_id).toBe(versions[1]!.id);

    // Asked again a period later: nothing changed, the copy is only marked fresh.
    await at(2 * period);
    expect(await refreshedAt()).toBe(signedInAt.getTime() + 2 * period);
    expect(await audits()).toHaveLength(2);
    expect((await cityHolds(who.entityId, who.accountId)).versions).toBe(1);
  });

  it('are left as they are when the province cannot be reached', async () => {
    const stranded = await strandedCity(nodes);
    try {
      // A copy written as a sign-in would have written it, then a period passes.
      const who = await activeEntity(province, 7452, ['bidder']);
      const ref = await entityReference(province.deps.db, province.deps.keys, who.entityId);
      const t0 = stranded.clock.now();
      await stranded.deps.db.transaction().execute((trx) => storeEntityReference(trx, stranded.deps.keys, ref, '140000', { actorId: null, actorUsername: 'test', clientIp: null, requestId: null, at: t0 }));
      const later = new Date(t0.getTime() + stranded.deps.config.federation.referenceRefreshMinutes * 60_000);
      await expect(refreshReferences(stranded.deps, later)).rejects.toMatchObject({ status: 503, code: 'unavailable' });
      const row = await stranded.deps.db.selectFrom('registry.entities').select(['status', 'refreshed_at']).where('id', '=', who.entityId).executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'active', refreshed_at: t0 });
    } finally {
      await stranded.close();
    }
  });
});

describe("the city's sessions of a province account", () => {
  it('end when the password is changed at the province, and when the province disables the account', async () => {
    const who = await activeEntity(province, 7461, ['bidder']);
    const first = (await cityLogin(who.username)).json<{ token: string }>().token;
    const me = (token: string) => city.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
    expect((await me(first)).statusCode).toBe(200);
    const start = city.clock.now().getTime();
    const period = city.deps.config.federation.referenceRefreshMinutes * 60_000;
    const refreshAt = async (t: number) => {
      province.clock.set(new Date(t));
      city.clock.set(new Date(t));
      return refreshReferences(city.deps, new Date(t));
    };
    const ends = async () =>
      (await city.deps.db.selectFrom('audit.audit_log').select('detail').where('action', '=', 'identity.reference.sessions_end').where('target_id', '=', who.accountId).orderBy('seq').execute()).map((a) => (a.detail as { reason: string }).reason);

    province.clock.advance(60_000);
    const changed = await province.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: bearer(who.token), payload: { currentPassword: PASSWORD, newPassword: 'Next@2026pass!' } });
    expect(changed.statusCode, changed.body).toBe(200);
    const r = await refreshAt(start + period);
    expect(r.sessionsEnded).toBeGreaterThanOrEqual(1);
    expect((await me(first)).statusCode).toBe(401);
    expect(await ends()).toEqual(['password_changed_at_province']);

    const second = await cityLogin(who.username, 'Next@2026pass!');
    expect(second.statusCode, second.body).toBe(200);
    const token = second.json<{ token: string }>().token;
    await province.deps.db.updateTable('identity.accounts').set({ status: 'disabled' }).where('id', '=', who.accountId).execute();
    // Not yet due: the session stands until the copy is asked for again.
    await refreshAt(start + 2 * period - 1);
    expect((await me(token)).statusCode).toBe(200);
    await refreshAt(start + 2 * period);
    expect((await me(token)).statusCode).toBe(401);
    expect(await ends()).toEqual(['password_changed_at_province', 'disabled_at_province']);
    const refused = await cityLogin(who.username, 'Next@2026pass!');
    expect(refused.statusCode).toBe(403);
    expect(problem(refused).detail).toBe('账号已停用，请联系系统管理员');
  });
});
