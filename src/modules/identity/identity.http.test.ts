import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, makeAccount, PASSWORD, problem, signIn, totpNow, type Harness } from '../../../test/support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('login', () => {
  it('refuses a wrong password with the same message as an unknown user', async () => {
    const a = await makeAccount(h, { roles: [{ code: 'centre_staff', scope: 'organisation' }] });
    const wrong = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: a.username, password: 'Wrong@2026x' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(problem(wrong).code).toBe('invalid_credentials');
    const unknown = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody1', password: 'Wrong@2026x' } });
    expect(unknown.statusCode).toBe(401);
    expect(problem(unknown).detail).toBe('用户名或密码错误');
  });

  it('signs in with password and TOTP, then answers /me', async () => {
    const a = await makeAccount(h, { roles: [{ code: 'centre_staff', scope: 'organisation' }] });
    const { token, stage } = await signIn(h, a.username);
    expect(stage).toBe('active');
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: a.username, stage: 'active', mfaEnabled: true });
    expect(me.json().permissions).toContain('org.personnel.read');
    expect(me.body).not.toContain(PASSWORD);
    void totpNow;
  });
});
