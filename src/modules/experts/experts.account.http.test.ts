// Evaluation experts' accounts through HTTP: refusals first (401, 403, another city's expert,
// a second account), then the first sign-in — one-time password, TOTP enrolment required by the
// built-in expert role, forced password change — and /auth/me naming the expert. Roles and
// grants keep expert-side permissions to expert accounts.

import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, makeAccount, makeOrganisation, problem, signedInAs, type Harness } from '../../../test/support/harness.ts';
import { addExperts } from './experts.draw.test-support.ts';

let h: Harness;
let taiyuanStaff: string;
let datongStaff: string;
let security: string;

beforeAll(async () => {
  h = await createHarness();
  taiyuanStaff = (await signedInAs(h, { organisationId: await makeOrganisation(h, { regionCode: '140100', kind: 'trading_centre' }), roles: [{ code: 'centre_staff', scope: 'region' }] })).token;
  datongStaff = (await signedInAs(h, { organisationId: await makeOrganisation(h, { regionCode: '140200', kind: 'trading_centre' }), roles: [{ code: 'centre_staff', scope: 'region' }] })).token;
  security = (await signedInAs(h, { roles: [{ code: 'security_admin', scope: 'province' }] })).token;
});
afterAll(async () => h.close());

const open = (token: string | null, expertId: string, payload: Record<string, unknown> = {}) =>
  h.app.inject({ method: 'POST', url: `/api/v1/experts/${expertId}/account`, headers: token ? bearer(token) : {}, payload });

describe('opening an expert account', () => {
  it('refuses without a session, without the permission, and out of the data scope', async () => {
    const [e] = await addExperts(h, 1, { regionCode: '140105' });
    expect((await open(null, e!.id)).statusCode).toBe(401);
    const reader = (await signedInAs(h, { roles: [{ code: 'supervisor', scope: 'province' }] })).token;
    expect((await open(reader, e!.id)).statusCode).toBe(403);
    expect((await open(datongStaff, e!.id)).statusCode).toBe(404);
    const suspended = await addExperts(h, 1, { regionCode: '140105', status: 'suspended' });
    expect(problem(await open(taiyuanStaff, suspended[0]!.id))).toMatchObject({ code: 'conflict', rule: 'expert_status' });
    expect(await h.deps.db.selectFrom('identity.accounts').select('id').where('expert_id', '=', e!.id).execute()).toEqual([]);
  });

  it('opens one account, whose first sign-in enrols TOTP and changes the one-time password', async () => {
    const [e] = await addExperts(h, 1, { regionCode: '140105' });
    const res = await open(taiyuanStaff, e!.id, { username: 'zhangexpert' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const { username, initialPassword } = res.json<{ username: string; initialPassword: string }>();
    expect(username).toBe('zhangexpert');
    expect(problem(await open(taiyuanStaff, e!.id))).toMatchObject({ code: 'conflict', rule: 'one_account' });

    const login = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: initialPassword, tokenType: 'bearer' } });
    expect(login.json()).toMatchObject({ stage: 'mfa_enroll' });
    const token = login.json<{ token: string }>().token;
    // Nothing but the login steps before the second factor.
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/trading/evaluations/mine', headers: bearer(token) })).statusCode).toBe(403);
    const { secret } = (await h.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/enroll', headers: bearer(token) })).json<{ secret: string }>();
    const code = await generate({ secret, epoch: Math.floor(h.clock.now().getTime() / 1000) });
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/enroll/confirm', headers: bearer(token), payload: { code } })).json()).toEqual({ stage: 'password_change' });
    const changed = await h.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: bearer(token), payload: { currentPassword: initialPassword, newPassword: 'Expert@2026pass' } });
    expect(changed.json()).toEqual({ stage: 'active' });
    const me = (await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).json<Record<string, unknown>>();
    expect(me).toMatchObject({ organisation: null, entity: null, expert: { id: e!.id, regionCode: '140105' }, permissions: ['evaluation.score.submit'], mfaEnabled: true });
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/trading/evaluations/mine', headers: bearer(token) })).json()).toEqual({ items: [], total: 0, page: 1, pageSize: 20 });
    // An expert account reaches no staff or entity route.
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/trading/projects', headers: bearer(token) })).statusCode).toBe(403);

    // Grants follow the account's kind: a staff role on an expert account is refused.
    const account = await h.deps.db.selectFrom('identity.accounts').select('id').where('expert_id', '=', e!.id).executeTakeFirstOrThrow();
    const staffRole = await h.deps.db.selectFrom('org.roles').select('id').where('code', '=', 'centre_staff').executeTakeFirstOrThrow();
    const wrong = await h.app.inject({ method: 'PUT', url: `/api/v1/accounts/${account.id}/roles`, headers: bearer(security), payload: { grants: [{ roleId: staffRole.id, scope: 'own' }] } });
    expect(problem(wrong).errors?.[0]).toMatchObject({ field: 'grants', rule: 'account_kind' });
    const expertRole = await h.deps.db.selectFrom('org.roles').select('id').where('code', '=', 'expert_user').executeTakeFirstOrThrow();
    const staffAccount = await makeAccount(h, { roles: [] });
    const onStaff = await h.app.inject({ method: 'PUT', url: `/api/v1/accounts/${staffAccount.id}/roles`, headers: bearer(security), payload: { grants: [{ roleId: expertRole.id, scope: 'own' }] } });
    expect(problem(onStaff).errors?.[0]).toMatchObject({ field: 'grants', rule: 'account_kind' });
  });

  it('keeps expert permissions out of mixed roles', async () => {
    const mixed = await h.app.inject({ method: 'POST', url: '/api/v1/roles', headers: bearer(security), payload: { code: 'mixed_expert', name: '混合角色', permissions: ['evaluation.score.submit', 'trading.deal.read'], mfaRequired: true } });
    expect(problem(mixed).errors?.[0]).toMatchObject({ field: 'permissions', rule: 'expert_mix' });
    const withEntity = await h.app.inject({ method: 'POST', url: '/api/v1/roles', headers: bearer(security), payload: { code: 'mixed_entity', name: '混合角色二', permissions: ['evaluation.score.submit', 'trading.bid.submit'], mfaRequired: true } });
    expect(problem(withEntity).errors?.[0]?.rule).toMatch(/^(entity|expert)_mix$/);
  });
});
