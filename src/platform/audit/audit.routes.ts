// Audit queries: for the audit administrator only (the permissions belong to no other class).

import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Deps } from '../deps.ts';
import { auditContext, actorOf } from '../http/context.ts';
import { Nullable, Page, STANDARD_ERRORS, Timestamp, Uuid } from '../http/schemas.ts';
import { AUDIT_ACTIONS } from './audit.actions.ts';
import { appendAudit, verifyAuditChain } from './audit.ts';
import { listAuditEvents } from './audit.repository.ts';

const Result = Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Literal('denied')]);
const AuditEvent = Type.Object({
  seq: Type.Integer(),
  occurredAt: Timestamp,
  actorId: Nullable(Uuid),
  actorUsername: Nullable(Type.String()),
  action: Type.String(),
  actionName: Type.String(),
  targetType: Nullable(Type.String()),
  targetId: Nullable(Type.String()),
  result: Result,
  clientIp: Nullable(Type.String()),
  beforeDigest: Nullable(Type.String()),
  afterDigest: Nullable(Type.String()),
  detail: Type.Record(Type.String(), Type.Unknown()),
  hash: Type.String(),
});
const Query = Type.Object(
  {
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
    actor: Type.Optional(Type.String({ maxLength: 64 })),
    action: Type.Optional(Type.String({ maxLength: 64 })),
    result: Type.Optional(Result),
    page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
const VerifyReply = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer(),
  lastSeq: Type.Integer(),
  firstBroken: Type.Optional(Type.Object({ seq: Type.Integer(), reason: Type.String() })),
});

export function registerAuditRoutes(root: FastifyInstance, deps: Deps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/audit/events',
    { config: { auth: { permission: 'audit.log.read' } }, schema: { tags: ['安全审计'], summary: '审计日志（新的在前）', querystring: Query, response: { 200: Page(AuditEvent), ...STANDARD_ERRORS } } },
    async (request) => {
      const q = request.query;
      const page = q.page ?? 1;
      const pageSize = q.pageSize ?? 50;
      const r = await listAuditEvents(deps.db, {
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        actor: q.actor,
        action: q.action,
        result: q.result,
        limit: pageSize,
        offset: (page - 1) * pageSize,
      });
      return {
        items: r.rows.map((e) => ({
          seq: e.seq,
          occurredAt: e.occurred_at.toISOString(),
          actorId: e.actor_id,
          actorUsername: e.actor_username,
          action: e.action,
          actionName: (AUDIT_ACTIONS as Record<string, string>)[e.action] ?? e.action,
          targetType: e.target_type,
          targetId: e.target_id,
          result: e.result,
          clientIp: e.client_ip,
          beforeDigest: e.before_digest,
          afterDigest: e.after_digest,
          detail: e.detail as unknown as Record<string, unknown>,
          hash: e.hash,
        })),
        total: r.total,
        page,
        pageSize,
      };
    },
  );

  app.post(
    '/api/v1/audit/verify',
    { config: { auth: { permission: 'audit.chain.verify' } }, schema: { tags: ['安全审计'], summary: '校验审计链（SM3 哈希链）', response: { 200: VerifyReply, ...STANDARD_ERRORS } } },
    async (request) => {
      const actor = actorOf(request);
      const result = await verifyAuditChain(deps.db);
      await deps.db.transaction().execute((trx) =>
        appendAudit(trx, auditContext(actor), { action: 'audit.verify', result: result.ok ? 'success' : 'failure', detail: { checked: result.checked, firstBroken: result.firstBroken ?? null } }),
      );
      return result;
    },
  );
}
