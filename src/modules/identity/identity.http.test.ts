import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, makeAccount, PASSWORD, problem, signIn, totpNow, type Harness } from '../../../test/support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

const MIN = 60_000;

function login(username: string, password: string, tokenType: 'bearer' | 'cookie' = 'bearer') {
  return h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password, tokenType } });
}

async function auditRows(action: string, targetId?: string) {
  let q = h.deps.db.selectFrom('audit.audit_log').selectAll().where('action', '=', action);
  if (targetId) q = q.where('target_id', '=', targetId);
  return q.orderBy('seq').execute();
}

describe('login', () => {
  it('refuses a wrong password with the same message as an unknown user', async () => {
    const a = await makeAccount(h, { roles: [{ code: 'centre_staff', scope: 'organisation' }] });
    const wrong = await login(a.username, 'Wrong@2026x');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(problem(wrong).code).toBe('invalid_credentials');
    expect(problem(wrong).detail).toContain('用户名或密码错误');
    const unknown = await login('nobody1', 'Wrong@2026x');
    expect(unknown.statusCode).toBe(401);
    expect(problem(unknown).detail).toBe('用户名或密码错误');
  });

  it('validates the body before anything else: the field and the rule are named', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'x', extra: 1 } });
    expect(res.statusCode).toBe(400);
    const p = problem(res);
    expect(p.code).toBe('validation_failed');
    expect(p.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'password', rule: 'required' }), expect.objectContaining({ field: 'extra', rule: 'additionalProperties' })]));
    expect(p.detail).toMatch(/字段|缺少/);
  });

  it('signs in with password and TOTP, then answers /me without any secret', async () => {
    const a = await makeAccount(h, { roles: [{ code: 'centre_staff', scope: 'organisation' }] });
    const first = await login(a.username, PASSWORD);
    expect(first.json()).toMatchObject({ stage: 'mfa' });
    const token = first.json<{ token: string }>().token;
    // Before the second factor only the login routes are open.
    const early = await h.app.inject({ method: 'GET', url: '/api/v1/personnel', headers: bearer(token) });
    expect(early.statusCode).toBe(403);
    expect(problem(early).code).toBe('session_stage');
    h.clock.advance(30_000);
    const mfa = await h.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', headers: bearer(token), payload: { code: await totpNow(h) } });
    expect(mfa.json()).toEqual({ stage: 'active' });
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: a.username, stage: 'active', mfaEnabled: true, homeNode: null, roles: [{ code: 'centre_staff', scope: 'organisation' }] });
    expect(me.json().permissions).toContain('org.personnel.read');
    for (const secret of [PASSWORD, token, 'JBSWY3DP', 'password_hash', 'totp_secret']) expect(me.body).not.toContain(secret);
    const audited = await auditRows('auth.mfa.verify');
    expect(audited.some((r) => r.actor_id === a.id && r.result === 'success')).toBe(true);
  });

  it('does not accept the same TOTP code twice', async () => {
    const a = await makeAccount(h, { roles: [{ code: 'centre_staff', scope: 'organisation' }] });
    h.clock.advance(30_000);
    const code = await totpNow(h);
    const t1 = (await login(a.username, PASSWORD)).json<{ token: string }>().token;
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', headers: bearer(t1), payload: { code } })).statusCode).toBe(200);
    const t2 = (await login(a.username, PASSWORD)).json<{ token: string }>().token;
    const replay = await h.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', headers: bearer(t2), payload: { code } });
    expect(replay.statusCode).toBe(401);
    expect(problem(replay).code).toBe('invalid_totp');
  });

  it('audits every attempt, successful or not, without the password', async () => {
    const a = await makeAccount(h, { roles: [] });
    await login(a.username, 'Wrong@2026x');
    await login(a.username, PASSWORD);
    const rows = (await auditRows('auth.login')).filter((r) => r.actor_id === a.id);
    expect(rows.map((r) => r.result)).toEqual(['failure', 'success']);
    expect(JSON.stringify(rows)).not.toContain('Wrong@2026x');
    expect(JSON.stringify(rows)).not.toContain(PASSWORD);
  });
});

describe('lockout (5 failures, 15 minutes)', () => {
  it('locks at the 5th consecutive failure and refuses the 6th attempt even with the right password', async () => {
    const a = await makeAccount(h, { roles: [], totp: false });
    for (let i = 1; i <= 4; i++) {
      const r = await login(a.username, 'Wrong@2026x');
      expect(r.statusCode).toBe(401);
      expect(r.json().attemptsLeft).toBe(5 - i);
    }
    const fifth = await login(a.username, 'Wrong@2026x');
    expect(fifth.statusCode).toBe(423);
    expect(problem(fifth).code).toBe('account_locked');
    const sixth = await login(a.username, PASSWORD);
    expect(sixth.statusCode).toBe(423);
    expect(sixth.json().lockedUntil).toBe(new Date(h.clock.now().getTime() + 15 * MIN).toISOString());
    expect((await auditRows('auth.account.locked', a.id)).length).toBe(1);

    h.clock.advance(15 * MIN - 1);
    expect((await login(a.username, PASSWORD)).statusCode).toBe(423);
    h.clock.advance(1);
    const after = await login(a.username, PASSWORD);
    expect(after.statusCode).toBe(200);
    expect(after.json().stage).toBe('active');
  });

  it('a completed sign-in resets the count; a password without its second factor does not', async () => {
    const a = await makeAccount(h, { roles: [], totp: false });
    for (let i = 0; i < 4; i++) await login(a.username, 'Wrong@2026x');
    expect((await login(a.username, PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(a.username, 'Wrong@2026x')).statusCode).toBe(401);

    const b = await makeAccount(h, { roles: [] });
    for (let i = 0; i < 4; i++) await login(b.username, 'Wrong@2026x');
    expect((await login(b.username, PASSWORD)).json().stage).toBe('mfa');
    // Knowing the password does not buy more guesses at the code.
    expect((await login(b.username, 'Wrong@2026x')).statusCode).toBe(423);
  });

  it('counts wrong TOTP codes too', async () => {
    const a = await makeAccount(h, { roles: [{ code: 'centre_staff', scope: 'own' }] });
    const token = (await login(a.username, PASSWORD)).json<{ token: string }>().token;
    for (let i = 0; i < 4; i++) {
      expect((await h.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', headers: bearer(token), payload: { code: '000000' } })).statusCode).toBe(401);
    }
    const fifth = await h.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', headers: bearer(token), payload: { code: '000000' } });
    expect(fifth.statusCode).toBe(423);
    // The half-signed-in session is gone with the lock.
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).statusCode).toBe(401);
  });

  it('is lifted by the security administrator', async () => {
    const sec = await makeAccount(h, { roles: [{ code: 'security_admin', scope: 'province' }] });
    const secToken = (await signIn(h, sec.username)).token;
    const a = await makeAccount(h, { roles: [] });
    for (let i = 0; i < 5; i++) await login(a.username, 'Wrong@2026x');
    expect((await login(a.username, PASSWORD)).statusCode).toBe(423);
    const unlock = await h.app.inject({ method: 'POST', url: `/api/v1/accounts/${a.id}/unlock`, headers: bearer(secToken) });
    expect(unlock.statusCode).toBe(204);
    expect((await login(a.username, PASSWORD)).statusCode).toBe(200);
  });
});

describe('sessions', () => {
  it('end after exactly 30 idle minutes', async () => {
    const a = await makeAccount(h, { roles: [] });
    const { token } = await signIn(h, a.username);
    h.clock.advance(30 * MIN - 1);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).statusCode).toBe(200);
    // That request counted as activity: the idle clock restarts from it.
    h.clock.advance(30 * MIN);
    const expired = await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
    expect(expired.statusCode).toBe(401);
    expect(problem(expired).code).toBe('session_expired');
    expect((await auditRows('auth.session.expired')).some((r) => r.actor_id === a.id)).toBe(true);
    // An ended session stays ended.
    expect(problem(await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).code).toBe('unauthenticated');
  });

  it('end at logout', async () => {
    const a = await makeAccount(h, { roles: [] });
    const { token } = await signIn(h, a.username);
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(token) })).statusCode).toBe(204);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).statusCode).toBe(401);
  });

  it('end at once when an administrator disables the account', async () => {
    const admin = await makeAccount(h, { roles: [{ code: 'system_admin', scope: 'province' }] });
    const adminToken = (await signIn(h, admin.username)).token;
    const a = await makeAccount(h, { roles: [] });
    const { token } = await signIn(h, a.username);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).statusCode).toBe(200);
    const disabled = await h.app.inject({ method: 'PATCH', url: `/api/v1/accounts/${a.id}`, headers: bearer(adminToken), payload: { version: 1, status: 'disabled' } });
    expect(disabled.statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).statusCode).toBe(401);
    expect(problem(await login(a.username, PASSWORD)).code).toBe('forbidden');
  });

  it('see a revocation made by another node within the cache time (5 s)', async () => {
    const a = await makeAccount(h, { roles: [] });
    const { token } = await signIn(h, a.username);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).statusCode).toBe(200);
    // Another node ends the session: this node's cache does not hear of it.
    await h.deps.db.updateTable('identity.sessions').set({ ended_at: h.clock.now(), end_reason: 'revoked' }).where('account_id', '=', a.id).execute();
    h.clock.advance(4_999);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).statusCode).toBe(200);
    h.clock.advance(1);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).statusCode).toBe(401);
  });

  it('refuse a malformed or unknown bearer token', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: 'Bearer x' } })).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer('A'.repeat(43)) })).statusCode).toBe(401);
  });
});

describe('browser sessions', () => {
  function cookiesOf(res: { cookies: { name: string; value: string; httpOnly?: boolean; sameSite?: string }[] }) {
    return Object.fromEntries(res.cookies.map((c) => [c.name, c]));
  }

  it('set an HttpOnly SameSite=Strict cookie, give no token in the body, and require the CSRF header on writes', async () => {
    const a = await makeAccount(h, { roles: [], totp: false });
    const res = await login(a.username, PASSWORD, 'cookie');
    expect(res.statusCode).toBe(200);
    expect(res.json().token).toBeUndefined();
    const c = cookiesOf(res);
    expect(c.ggzy_session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(c.ggzy_csrf?.httpOnly).toBeFalsy();
    expect(c.ggzy_csrf?.value).toBe(res.json().csrfToken);
    const cookie = `ggzy_session=${c.ggzy_session!.value}; ggzy_csrf=${c.ggzy_csrf!.value}`;

    expect((await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(200);
    const noHeader = await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    expect(noHeader.statusCode).toBe(403);
    expect(problem(noHeader).code).toBe('csrf_failed');
    const wrong = await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': 'ab'.repeat(32) } });
    expect(problem(wrong).code).toBe('csrf_failed');
    const ok = await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': c.ggzy_csrf!.value } });
    expect(ok.statusCode).toBe(204);
  });
});

describe('second factor enrolment and forced password change', () => {
  it('a staff account without TOTP enrols, then must change its temporary password', async () => {
    const a = await makeAccount(h, { roles: [{ code: 'centre_staff', scope: 'own' }], totp: false, mustChangePassword: true });
    const first = await login(a.username, PASSWORD);
    expect(first.json().stage).toBe('mfa_enroll');
    const token = first.json<{ token: string }>().token;
    const enrol = await h.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/enroll', headers: bearer(token) });
    expect(enrol.statusCode).toBe(200);
    const { secret, otpauthUri } = enrol.json<{ secret: string; otpauthUri: string }>();
    expect(otpauthUri).toContain(`secret=${secret}`);
    const { generate } = await import('otplib');
    const wrong = await h.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/enroll/confirm', headers: bearer(token), payload: { code: '123456' } });
    expect(wrong.statusCode).toBe(401);
    const code = await generate({ secret, epoch: Math.floor(h.clock.now().getTime() / 1000) });
    const confirm = await h.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/enroll/confirm', headers: bearer(token), payload: { code } });
    expect(confirm.json()).toEqual({ stage: 'password_change' });

    const weak = await h.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: bearer(token), payload: { currentPassword: PASSWORD, newPassword: 'abcdefgh' } });
    expect(weak.statusCode).toBe(422);
    expect(problem(weak).errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'newPassword', rule: 'char_classes' })]));
    const same = await h.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: bearer(token), payload: { currentPassword: PASSWORD, newPassword: PASSWORD } });
    expect(problem(same).errors?.[0]?.rule).toBe('history');
    const changed = await h.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: bearer(token), payload: { currentPassword: PASSWORD, newPassword: 'New@2026pass' } });
    expect(changed.json()).toEqual({ stage: 'active' });
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/personnel', headers: bearer(token) })).statusCode).toBe(200);
    expect((await login(a.username, PASSWORD)).statusCode).toBe(401);
  });

  it('an expired password forces a change at login', async () => {
    const a = await makeAccount(h, { roles: [], totp: false });
    h.clock.advance(90 * 86_400_000);
    const res = await login(a.username, PASSWORD);
    expect(res.json().stage).toBe('password_change');
    const token = res.json<{ token: string }>().token;
    expect(problem(await h.app.inject({ method: 'GET', url: '/api/v1/roles', headers: bearer(token) })).code).toBe('session_stage');
  });
});

describe('rate limiting of authentication routes', () => {
  it('answers 429 past the configured rate', async () => {
    const limited = await createHarness({ GGZY_AUTH_RATE_LIMIT: '3' });
    try {
      const codes = [];
      for (let i = 0; i < 4; i++) {
        codes.push((await limited.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody', password: 'x' } })).statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 429]);
      const last = await limited.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody', password: 'x' } });
      expect(problem(last).code).toBe('rate_limited');
    } finally {
      await limited.close();
    }
  });
});

describe('logs', () => {
  it('carry no password, token, cookie or TOTP secret, even at trace level', async () => {
    const lines: string[] = [];
    const logged = await createHarness({}, { logLines: lines });
    try {
      const a = await makeAccount(logged, { roles: [], totp: false, mustChangePassword: true });
      const res = await logged.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: a.username, password: PASSWORD } });
      const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const csrf = res.json<{ csrfToken: string }>().csrfToken;
      await logged.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: { cookie, 'x-csrf-token': csrf }, payload: { currentPassword: PASSWORD, newPassword: 'Fresh@2026pw' } });
      await logged.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${res.cookies[0]!.value}` } });
      const text = lines.join('\n');
      expect(lines.length).toBeGreaterThan(4);
      for (const secret of [PASSWORD, 'Fresh@2026pw', res.cookies[0]!.value, csrf]) expect(text).not.toContain(secret);
    } finally {
      await logged.close();
    }
  });
});
