// Per-request facts handed to services: who acts, from where, and when (the injected clock).

import type { FastifyRequest } from 'fastify';
import type { AuditContext } from '../audit/audit.ts';
import type { Principal } from '../auth/principal.ts';

export interface RequestContext {
  principal: Principal | null;
  clientIp: string;
  requestId: string;
  userAgent: string | null;
  now: Date;
}

export function auditContext(ctx: RequestContext): AuditContext {
  return {
    actorId: ctx.principal?.accountId ?? null,
    actorUsername: ctx.principal?.username ?? null,
    clientIp: ctx.clientIp,
    requestId: ctx.requestId,
    at: ctx.now,
  };
}

/** The context of a request; the principal must have been resolved by the auth hook. */
export function contextOf(request: FastifyRequest): RequestContext {
  return {
    principal: request.principal ?? null,
    clientIp: request.ip,
    requestId: String(request.id),
    userAgent: request.headers['user-agent']?.slice(0, 300) ?? null,
    now: request.now,
  };
}

/** The same context for a principal that a route requires. */
export function actorOf(request: FastifyRequest): RequestContext & { principal: Principal } {
  const ctx = contextOf(request);
  if (!ctx.principal) throw new Error('route declared a permission but no principal was resolved');
  return ctx as RequestContext & { principal: Principal };
}
