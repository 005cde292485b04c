// Negative cases first, for every /api/v1 route the application registers: without a session
// 401, with a session lacking the permission 403 (and an audit row), with the permission but a
// malformed request 400 naming the field. New routes are covered without touching this file.

import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../src/platform/audit/audit.ts';
import { cliAuditContext } from '../src/modules/identity/identity.bootstrap.ts';
import { adminClassesOf, type Permission } from '../src/modules/org/org.permissions.ts';
import { bearer, createHarness, makeAccount, problem, signIn, type Harness } from './support/harness.ts';

let h: Harness;
let noRolesToken: string;
let noRolesUser: string;

beforeAll(async () => {
  h = await createHarness();
  const a = await makeAccount(h, { roles: [] });
  noRolesUser = a.username;
  noRolesToken = (await signIn(h, a.username)).token;
});
afterAll(async () => {
  await h?.close();
});

function concrete(url: string): string {
  return url.replace(/:id\b/g, crypto.randomUUID());
}

/** A role holding exactly one permission, granted province-wide to a fresh account. */
async function tokenWith(permission: Permission): Promise<string> {
  const code = `only_${permission.replace(/\./g, '_')}`.slice(0, 40);
  const now = h.clock.now();
  const exists = await h.deps.db.selectFrom('org.roles').select('id').where('code', '=', code).executeTakeFirst();
  if (!exists) {
    await h.deps.db.transaction().execute(async (trx) => {
      const id = crypto.randomUUID();
      await trx
        .insertInto('org.roles')
        .values({ id, code, name: code, description: '', mfa_required: true, builtin: false, admin_class: adminClassesOf([permission])[0] ?? null, created_at: now, updated_at: now })
        .execute();
      await trx.insertInto('org.role_permissions').values({ role_id: id, permission }).execute();
      await appendAudit(trx, cliAuditContext(now, 'test'), { action: 'org.role.create', targetId: id });
    });
  }
  const a = await makeAccount(h, { roles: [{ code, scope: 'province' }] });
  return (await signIn(h, a.username)).token;
}

describe('every API route', () => {
  it('is registered with a declared access rule', () => {
    expect(h.app.apiRoutes.length).toBeGreaterThan(20);
  });

  it('answers 401 problem+json without a session (except the public ones)', async () => {
    for (const r of h.app.apiRoutes) {
      if ('public' in r.auth) continue;
      const res = await h.app.inject({ method: r.method as 'GET', url: concrete(r.url), payload: r.hasBody ? {} : undefined });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(res.headers['content-type'], `${r.method} ${r.url}`).toMatch(/^application\/problem\+json/);
      expect(problem(res).code).toBe('unauthenticated');
    }
  });

  it('answers 403 to a signed-in account without the permission, before reading the body, and audits it', async () => {
    const before = await h.deps.db.selectFrom('audit.audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'auth.denied').executeTakeFirstOrThrow();
    let denied = 0;
    for (const r of h.app.apiRoutes) {
      if (!('permission' in r.auth) && !('anyPermission' in r.auth)) continue;
      const res = await h.app.inject({ method: r.method as 'GET', url: concrete(r.url), headers: bearer(noRolesToken), payload: r.hasBody ? { bogus: true } : undefined });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
      expect(problem(res).code).toBe('forbidden');
      denied++;
    }
    const after = await h.deps.db.selectFrom('audit.audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'auth.denied').executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).toBe(denied);
  });

  it('answers 400 naming the field and rule to a malformed request from an account with the permission', async () => {
    for (const r of h.app.apiRoutes) {
      if (!(r.hasBody || r.hasParams || r.hasQuery)) continue;
      const permission = 'permission' in r.auth ? r.auth.permission : 'anyPermission' in r.auth ? r.auth.anyPermission[0] : undefined;
      if (permission === undefined) continue;
      const token = await tokenWith(permission);
      const url = r.hasParams ? r.url.replace(/:id\b/g, 'not-a-uuid') : `${r.url}?bogus=1`;
      const res = await h.app.inject({ method: r.method as 'GET', url, headers: bearer(token), payload: r.hasBody ? { bogus: true } : undefined });
      expect(res.statusCode, `${r.method} ${r.url}: ${res.body}`).toBe(400);
      const p = problem(res);
      expect(p.code).toBe('validation_failed');
      expect(p.errors?.length, `${r.method} ${r.url}`).toBeGreaterThan(0);
      expect(p.field).toBeTruthy();
      expect(p.rule).toBeTruthy();
      expect(p.detail).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it('keeps login and second-factor routes to their stages', async () => {
    // A fresh session: every sign-in of the walk above moves the clock on a TOTP step, and there
    // are now enough routes for the first session to reach the idle timeout.
    const { token } = await signIn(h, noRolesUser);
    const me = await h.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', headers: bearer(token), payload: { code: '123456' } });
    expect(me.statusCode).toBe(403);
    expect(problem(me).code).toBe('session_stage');
  });
});

describe('errors and limits', () => {
  it('answers unknown routes with problem+json 404', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('refuses bodies above the size limit with 413', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ username: 'x', password: 'y'.repeat(2 * 1024 * 1024) }) });
    expect(res.statusCode).toBe(413);
    expect(problem(res).code).toBe('payload_too_large');
  });

  it('refuses invalid JSON with the field named', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(res.statusCode).toBe(400);
    expect(problem(res).field).toBe('body');
  });

  it('sends security headers', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    // Licence scans are shown from object URLs; nothing else may load images from elsewhere.
    expect(String(res.headers['content-security-policy']).split(';')).toContain("img-src 'self' data: blob:");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
  });
});

describe('operations endpoints', () => {
  it('report liveness and readiness', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await h.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
  });

  it('publishes Prometheus metrics to loopback only', async () => {
    const local = await h.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' });
    expect(local.statusCode).toBe(200);
    expect(local.body).toContain('ggzy_http_request_duration_seconds');
    const remote = await h.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.1.2.3' });
    expect(remote.statusCode).toBe(403);
  });

  it('publishes the OpenAPI 3 document with every API route', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/openapi.json' });
    const doc = res.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
    expect(doc.openapi).toMatch(/^3\./);
    for (const r of h.app.apiRoutes) {
      const path = r.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[r.method.toLowerCase()], `${r.method} ${r.url}`).toBeDefined();
    }
    expect((await h.app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBeLessThan(400);
  });
});

describe('committed OpenAPI document', () => {
  it('matches the route schemas (run `npm run openapi` after an API change)', async () => {
    const fs = await import('node:fs');
    const { OPENAPI_FILE, renderOpenApi } = await import('../scripts/openapi.ts');
    expect(fs.readFileSync(OPENAPI_FILE, 'utf8')).toBe(renderOpenApi(h.app.swagger()));
  });
});
