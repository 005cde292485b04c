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
  | { permission: Permission };

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
  /** Resolves a session token to its principal, or throws 401 errors (expired, unknown). */
  resolve(token: string, via: 'cookie' | 'bearer', request: FastifyRequest): Promise<Principal>;
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

  app.addHook('onRequest', async (request) => {
    const auth = request.routeOptions.config?.auth;
    if (!auth || 'public' in auth) return;

    const found = readToken(request);
    if (!found) throw new AppError('unauthenticated', '请先登录');
    const principal = await options.resolve(found.token, found.via, request);
    request.principal = principal;

    if (found.via === 'cookie' && UNSAFE.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      const expected = csrfTokenFor(options.csrfKey, tokenDigest(found.token));
      if (typeof sent !== 'string' || !timingSafeEqualHex(sent, expected)) {
        throw new AppError('csrf_failed', '请求来源校验失败，请刷新页面后重试');
      }
    }

    if ('stages' in auth) {
      if (!auth.stages.includes(principal.stage)) {
        throw new AppError('session_stage', '请先完成登录步骤', { extra: { stage: principal.stage } });
      }
      return;
    }
    if (principal.stage !== 'active') {
      throw new AppError('session_stage', '请先完成登录步骤', { extra: { stage: principal.stage } });
    }
    if (!principal.grants.has(auth.permission)) {
      await options.onDenied(request, principal, auth.permission);
      throw new AppError('forbidden', '您没有执行此操作的权限', { extra: { permission: auth.permission } });
    }
  });
}
