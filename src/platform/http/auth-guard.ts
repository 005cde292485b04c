// Deny by default. Every /api/v1 route must declare its access in `config.auth`; a route that
// does not is refused at start-up. Access is checked in onRequest, before the body is read or
// validated, so an anonymous or unauthorised caller gets 401/403 before any 400.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SessionStage } from '../../modules/identity/identity.tables.ts';
import type { Permission } from '../../modules/org/org.permissions.ts';
import type { Principal } from '../auth/principal.ts';
import { AppError } from '../errors.ts';
import { hmacSm3, timingSafeEqualHex } from '../crypto/sm3.ts';

export type RouteAuth =
  /** Anyone, signed in or not (login, health). */
  | { public: true }
  /** Any session in one of these stages (the login steps, logout, me). */
  | { stages: readonly SessionStage[] }
  /** A fully signed-in session holding this permission. */
  | { permission: Permission }
  /**
   * A fully signed-in session holding at least one of these — for a route that several kinds of
   * caller use (a deal read by its tenderer, its bidders and its supervisors); the service then
   * decides, by the permission the caller holds, what it may see.
   */
  | { anyPermission: readonly [Permission, ...Permission[]] };

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyInstance {
    /** Every /api/v1 route with its declared access (tests walk it; ops can list it). */
    apiRoutes: { method: string; url: string; auth: RouteAuth; hasBody: boolean; hasParams: boolean; hasQuery: boolean }[];
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** The instant the request is handled at, from the injected clock. */
    now: Date;
  }
}

export const SESSION_COOKIE = 'ggzy_session';
export const CSRF_COOKIE = 'ggzy_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface AuthGuardOptions {
  /**
   * Resolves a session token to its principal, or throws/rejects with 401 errors (expired,
   * unknown). Answers synchronously when it can (a cached session).
   */
  resolve(token: string, via: 'cookie' | 'bearer', request: FastifyRequest): Principal | Promise<Principal>;
  /** Records a refused access (audit). */
  onDenied(request: FastifyRequest, principal: Principal, reason: string): Promise<void>;
  csrfKey: Buffer;
}

/** The CSRF token of a session: a MAC of the session token's digest, so it needs no storage. */
export function csrfTokenFor(csrfKey: Buffer, tokenHash: string): string {
  return hmacSm3(csrfKey, tokenHash).toString('hex');
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function readToken(request: FastifyRequest): { token: string; via: 'cookie' | 'bearer' } | null {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header);
    if (!m) throw new AppError('unauthenticated', '认证信息格式不正确');
    return { token: m[1]!, via: 'bearer' };
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie && /^[A-Za-z0-9_-]{20,200}$/.test(cookie)) return { token: cookie, via: 'cookie' };
  return null;
}

export function registerAuthGuard(app: FastifyInstance, options: AuthGuardOptions, tokenDigest: (token: string) => string): void {
  app.decorateRequest('principal', null);
  app.decorate('apiRoutes', []);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1/')) return;
    const auth = route.config?.auth;
    if (!auth) throw new Error(`route ${String(route.method)} ${route.url} declares no auth (deny by default)`);
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      app.apiRoutes.push({ method, url: route.url, auth, hasBody: !!route.schema?.body, hasParams: !!route.schema?.params, hasQuery: !!route.schema?.querystring });
    }
  });

  /** The checks after the principal is known; returns an error, or a promise when auditing a refusal. */
  function authorise(request: FastifyRequest, auth: Exclude<RouteAuth, { public: true }>, principal: Principal, token: string, via: 'cookie' | 'bearer'): AppError | Promise<AppError> | null {
    request.principal = principal;
    if (via === 'cookie' && UNSAFE.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      const expected = csrfTokenFor(options.csrfKey, tokenDigest(token));
      if (typeof sent !== 'string' || !timingSafeEqualHex(sent, expected)) {
        return new AppError('csrf_failed', '请求来源校验失败，请刷新页面后重试');
      }
    }
    if ('stages' in auth) {
      return auth.stages.includes(principal.stage) ? null : new AppError('session_stage', '请先完成登录步骤', { extra: { stage: principal.stage } });
    }
    if (principal.stage !== 'active') {
      return new AppError('session_stage', '请先完成登录步骤', { extra: { stage: principal.stage } });
    }
    const needed = 'permission' in auth ? [auth.permission] : auth.anyPermission;
    if (!needed.some((p) => principal.grants.has(p))) {
      const wanted = needed.join('|');
      const refused = new AppError('forbidden', '您没有执行此操作的权限', { extra: { permission: wanted } });
      return options.onDenied(request, principal, wanted).then(() => refused);
    }
    return null;
  }

  // Callback style with a synchronous path: a session served from the cache is authorised
  // without a single promise, which matters on every authenticated request.
  app.addHook('onRequest', (request, _reply, done) => {
    const auth = request.routeOptions.config?.auth;
    if (!auth || 'public' in auth) {
      done();
      return;
    }
    let found: ReturnType<typeof readToken>;
    let resolved: Principal | Promise<Principal>;
    try {
      found = readToken(request);
      if (!found) throw new AppError('unauthenticated', '请先登录');
      resolved = options.resolve(found.token, found.via, request);
    } catch (e) {
      done(e as Error);
      return;
    }
    const { token, via } = found;
    const finish = (principal: Principal): void => {
      const outcome = authorise(request, auth, principal, token, via);
      if (outcome === null) done();
      else if (outcome instanceof AppError) done(outcome);
      else outcome.then(done, done);
    };
    if (resolved instanceof Promise) resolved.then(finish, done);
    else finish(resolved);
  });
}
