// 三员分立: the system, security and audit administrators cannot do each other's work, and no
// configuration through the API can merge their powers.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, makeAccount, makeOrganisation, problem, signIn, type Harness } from '../../../test/support/harness.ts';

let h: Harness;
let org: string;
const tokens: Record<'system' | 'security' | 'audit', string> = { system: '', security: '', audit: '' };
let ids: Record<'system' | 'security' | 'audit', string>;

beforeAll(async () => {
  h = await createHarness();
  org = await makeOrganisation(h, { name: '山西省公共资源交易中心' });
  const sys = await makeAccount(h, { organisationId: org, roles: [{ code: 'system_admin', scope: 'province' }] });
  const sec = await makeAccount(h, { organisationId: org, roles: [{ code: 'security_admin', scope: 'province' }] });
  const aud = await makeAccount(h, { organisationId: org, roles: [{ code: 'audit_admin', scope: 'province' }] });
  ids = { system: sys.id, security: sec.id, audit: aud.id };
  tokens.system = (await signIn(h, sys.username)).token;
  tokens.security = (await signIn(h, sec.username)).token;
  tokens.audit = (await signIn(h, aud.username)).token;
});
afterAll(async () => {
  await h?.close();
});

function call(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, token: string, payload?: unknown) {
  return h.app.inject({ method, url, headers: bearer(token), payload: payload as Record<string, unknown> | undefined });
}

async function roleId(code: string): Promise<string> {
  return (await h.deps.db.selectFrom('org.roles').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
}

describe('three administrators', () => {
  it('the system administrator manages organisations and accounts but cannot grant roles or read the audit trail', async () => {
    expect((await call('POST', '/api/v1/organisations', tokens.system, { name: '山西省交通运输厅', kind: 'supervision', industry: 'transport', regionCode: '140000' })).statusCode).toBe(201);
    const acc = await call('POST', '/api/v1/accounts', tokens.system, { username: 'new_staff', displayName: '新员工', organisationId: org, initialPassword: 'Start@2026pw' });
    expect(acc.statusCode).toBe(201);
    expect(acc.json()).toMatchObject({ mustChangePassword: true, roles: [] });
    expect((await call('PUT', `/api/v1/accounts/${acc.json().id}/roles`, tokens.system, { grants: [] })).statusCode).toBe(403);
    expect((await call('POST', '/api/v1/roles', tokens.system, { code: 'x_role', name: '某角色', permissions: [], mfaRequired: true })).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/audit/events', tokens.system)).statusCode).toBe(403);
    expect((await call('POST', '/api/v1/audit/verify', tokens.system)).statusCode).toBe(403);
  });

  it('the security administrator grants roles but cannot create accounts or organisations or read the audit trail', async () => {
    expect((await call('POST', '/api/v1/accounts', tokens.security, { username: 'sneaky', displayName: '某', organisationId: org, initialPassword: 'Start@2026pw' })).statusCode).toBe(403);
    expect((await call('POST', '/api/v1/organisations', tokens.security, { name: '某机构', kind: 'other', regionCode: '140000' })).statusCode).toBe(403);
    expect((await call('POST', '/api/v1/personnel', tokens.security, { name: '某', idNumber: '110101199003074477', organisationId: org })).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/audit/events', tokens.security)).statusCode).toBe(403);
    const staff = await makeAccount(h, { organisationId: org, roles: [] });
    const granted = await call('PUT', `/api/v1/accounts/${staff.id}/roles`, tokens.security, { grants: [{ roleId: await roleId('centre_staff'), scope: 'region' }] });
    expect(granted.statusCode).toBe(200);
    expect(granted.json().roles).toEqual([expect.objectContaining({ code: 'centre_staff', scope: 'region' })]);
  });

  it('the audit administrator reads and verifies the audit trail and nothing else', async () => {
    const events = await call('GET', '/api/v1/audit/events?pageSize=5', tokens.audit);
    expect(events.statusCode).toBe(200);
    expect(events.json().items.length).toBe(5);
    expect((await call('POST', '/api/v1/audit/verify', tokens.audit)).json()).toMatchObject({ ok: true });
    expect((await call('POST', '/api/v1/organisations', tokens.audit, { name: '某机构', kind: 'other', regionCode: '140000' })).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/accounts', tokens.audit)).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/personnel', tokens.audit)).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/roles', tokens.audit)).statusCode).toBe(403);
  });

  it('no account can hold two administrator classes', async () => {
    const res = await call('PUT', `/api/v1/accounts/${ids.system}/roles`, tokens.security, {
      grants: [
        { roleId: await roleId('system_admin'), scope: 'province' },
        { roleId: await roleId('audit_admin'), scope: 'province' },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(problem(res).errors?.[0]).toMatchObject({ field: 'grants', rule: 'separation_of_duties' });
    expect(problem(res).detail).toContain('三员分立');
  });

  it('no role can mix permissions of two administrator classes', async () => {
    const res = await call('POST', '/api/v1/roles', tokens.security, { code: 'super', name: '超级管理员', permissions: ['org.organisation.write', 'audit.log.read'], mfaRequired: true });
    expect(res.statusCode).toBe(400);
    expect(problem(res).errors?.[0]).toMatchObject({ field: 'permissions', rule: 'separation_of_duties' });
    const noMfa = await call('POST', '/api/v1/roles', tokens.security, { code: 'lax_admin', name: '无双因素管理员', permissions: ['org.organisation.write'], mfaRequired: false });
    expect(problem(noMfa).errors?.[0]).toMatchObject({ field: 'mfaRequired', rule: 'admin_requires_mfa' });
  });

  it('a role gaining an administrator class may not merge powers of its holders', async () => {
    const role = (await call('POST', '/api/v1/roles', tokens.security, { code: 'reader', name: '只读人员', permissions: ['org.organisation.read'], mfaRequired: true })).json();
    const auditor = await makeAccount(h, { organisationId: org, roles: [{ code: 'audit_admin', scope: 'province' }] });
    expect((await call('PUT', `/api/v1/accounts/${auditor.id}/roles`, tokens.security, { grants: [{ roleId: await roleId('audit_admin'), scope: 'province' }, { roleId: role.id, scope: 'province' }] })).statusCode).toBe(200);
    const escalate = await call('PATCH', `/api/v1/roles/${role.id}`, tokens.security, { version: role.version, permissions: ['org.organisation.read', 'org.organisation.write'] });
    expect(escalate.statusCode).toBe(400);
    expect(problem(escalate).errors?.[0]?.rule).toBe('separation_of_duties');
  });

  it('the built-in administrator roles cannot be edited or deleted', async () => {
    const id = await roleId('audit_admin');
    const role = (await call('GET', '/api/v1/roles', tokens.security)).json().find((r: { id: string }) => r.id === id);
    expect((await call('PATCH', `/api/v1/roles/${id}`, tokens.security, { version: role.version, permissions: ['audit.log.read', 'org.organisation.write'] })).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/roles/${id}`, headers: bearer(tokens.security) })).statusCode).toBe(403);
  });

  it('the security administrator cannot grant to itself nor beyond its own scope', async () => {
    const self = await call('PUT', `/api/v1/accounts/${ids.security}/roles`, tokens.security, { grants: [{ roleId: await roleId('security_admin'), scope: 'province' }, { roleId: await roleId('centre_staff'), scope: 'province' }] });
    expect(self.statusCode).toBe(403);
    const citySec = await makeAccount(h, { organisationId: await makeOrganisation(h, { regionCode: '140100', parentId: org }), roles: [{ code: 'security_admin', scope: 'region' }] });
    const cityToken = (await signIn(h, citySec.username)).token;
    const target = await makeAccount(h, { organisationId: (await h.deps.db.selectFrom('identity.accounts').select('organisation_id').where('id', '=', citySec.id).executeTakeFirstOrThrow()).organisation_id!, roles: [] });
    const wide = await call('PUT', `/api/v1/accounts/${target.id}/roles`, cityToken, { grants: [{ roleId: await roleId('centre_staff'), scope: 'province' }] });
    expect(wide.statusCode).toBe(400);
    expect(problem(wide).errors?.[0]?.rule).toBe('exceeds_own_scope');
  });

  it('a new grant takes effect on the next request', async () => {
    const staff = await makeAccount(h, { organisationId: org, roles: [] });
    const token = (await signIn(h, staff.username)).token;
    expect((await call('GET', '/api/v1/organisations', token)).statusCode).toBe(403);
    await call('PUT', `/api/v1/accounts/${staff.id}/roles`, tokens.security, { grants: [{ roleId: await roleId('centre_staff'), scope: 'province' }] });
    expect((await call('GET', '/api/v1/organisations', token)).statusCode).toBe(200);
  });
});
