// HTTP routes of the steps between acceptance and the deadline: notice, schedule and documents,
// the centre's review and publication, downloads, clarifications and objections.

import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../platform/deps.ts';
import { actorOf } from '../../platform/http/context.ts';
import { IdParams, iso, STANDARD_ERRORS, StringEnum, Uuid } from '../../platform/http/schemas.ts';
import * as bidding from './trading.bidding.ts';
import * as notice from './trading.notice.ts';
import type { ObjectionRow } from './trading.notices.repository.ts';
import * as read from './trading.read.ts';
import * as s from './trading.schemas.ts';

const TAG = ['电子交易·工程建设'];
const MANAGE = { auth: { permission: 'trading.tender.manage' } } as const;
const ACCEPT = { auth: { permission: 'trading.project.accept' } } as const;
const BID = { auth: { permission: 'trading.bid.submit' } } as const;
const READ = { auth: { anyPermission: ['trading.deal.read', 'trading.tender.manage', 'trading.bid.submit'] } } as const;
const Instant = Type.String({ format: 'date-time' });
const CONFLICT = { 409: { $ref: 'Problem#' } } as const;

const NoticeBody = Type.Object(
  {
    title: Type.String({ minLength: 4, maxLength: 200 }),
    body: Type.String({ minLength: 10, maxLength: 50_000 }),
    schedule: Type.Object(
      {
        documentsFrom: Instant,
        documentsUntil: Instant,
        bidDeadline: Instant,
        bidValidityDays: Type.Integer({ minimum: 30, maximum: 365 }),
        decryptionMinutes: Type.Integer({ minimum: 10, maximum: 240 }),
      },
      { additionalProperties: false },
    ),
    lots: Type.Array(Type.Object({ lotId: Uuid, bidSecurity: Type.String({ maxLength: 20 }), evaluationMethod: Type.Record(Type.String(), Type.Unknown()) }, { additionalProperties: false }), { minItems: 1, maxItems: 50 }),
  },
  { additionalProperties: false },
);

const Objection = Type.Object({
  id: Uuid,
  subject: Type.String(),
  content: Type.String(),
  filedAt: Instant,
  replyDue: Instant,
  reply: Type.Union([Type.String(), Type.Null()]),
  repliedAt: Type.Union([Instant, Type.Null()]),
});

function mapObjection(o: ObjectionRow) {
  return { id: o.id, subject: o.subject, content: o.content, filedAt: o.filed_at.toISOString(), replyDue: o.reply_due.toISOString(), reply: o.reply, repliedAt: iso(o.replied_at) };
}

export function registerTradingStepRoutes(root: FastifyInstance, deps: Deps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const project = async (request: Parameters<typeof actorOf>[0], id: string) => {
    const actor = actorOf(request);
    const r = await read.getProject(deps, actor, id);
    return s.mapProject(r.project, r.lots, actor.now, r.names);
  };

  app.put(
    '/api/v1/trading/projects/:id/notice',
    { config: MANAGE, schema: { tags: TAG, summary: '编制招标公告、进度安排（按法定时限校验）及各标段投标保证金和评标办法', params: IdParams, body: NoticeBody, response: { 200: s.Project, ...STANDARD_ERRORS, ...CONFLICT } } },
    async (request) => {
      await notice.saveNotice(deps, actorOf(request), request.params.id, request.body);
      return project(request, request.params.id);
    },
  );

  void app.register(async (scoped) => {
    const limit = { bodyLimit: 100 * 1024 * 1024 };
    scoped.addContentTypeParser(Object.keys(notice.DOCUMENT_TYPES), { parseAs: 'buffer', ...limit }, (_request, body, done) => done(null, body));
    scoped.withTypeProvider<TypeBoxTypeProvider>().put(
      '/api/v1/trading/projects/:id/documents',
      {
        config: MANAGE,
        ...limit,
        schema: {
          tags: TAG,
          summary: '上传招标文件（PDF、OFD、docx 或 zip；未发布前可替换）',
          consumes: Object.keys(notice.DOCUMENT_TYPES),
          params: IdParams,
          querystring: Type.Object({ name: Type.String({ minLength: 1, maxLength: 120 }) }, { additionalProperties: false }),
          response: { 201: Type.Object({ id: Uuid, digest: Type.String(), size: Type.Integer() }), ...STANDARD_ERRORS, ...CONFLICT, 413: { $ref: 'Problem#' }, 415: { $ref: 'Problem#' } },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await notice.uploadDocuments(deps, actorOf(request), request.params.id, request.body as Buffer, request.query.name, (request.headers['content-type'] ?? '').split(';')[0]!.trim())),
    );
  });

  app.post(
    '/api/v1/trading/projects/:id/notice/submit',
    { config: MANAGE, schema: { tags: TAG, summary: '提交招标公告与招标文件审核', params: IdParams, response: { 200: s.Project, ...STANDARD_ERRORS, ...CONFLICT } } },
    async (request) => {
      await notice.submitNotice(deps, actorOf(request), request.params.id);
      return project(request, request.params.id);
    },
  );

  app.post(
    '/api/v1/trading/projects/:id/notice/review',
    {
      config: ACCEPT,
      schema: {
        tags: TAG,
        summary: '审核招标公告：通过即发布公告和招标文件、开始投标；或退回并写明原因',
        params: IdParams,
        body: Type.Object({ outcome: StringEnum(['approved', 'rejected'] as const), reason: Type.Optional(Type.String({ minLength: 2, maxLength: 1000 })) }, { additionalProperties: false }),
        response: { 200: s.Project, ...STANDARD_ERRORS, ...CONFLICT },
      },
    },
    async (request) => {
      await notice.reviewNotice(deps, actorOf(request), request.params.id, request.body);
      return project(request, request.params.id);
    },
  );

  app.get(
    '/api/v1/trading/projects/:id/documents/:documentId',
    { config: READ, schema: { tags: TAG, summary: '下载招标文件（投标人下载将被记录，投标须先下载）', params: Type.Object({ id: Uuid, documentId: Uuid }, { additionalProperties: false }), response: { ...STANDARD_ERRORS, ...CONFLICT } } },
    async (request, reply) => {
      const f = await bidding.downloadDocument(deps, actorOf(request), request.params.id, request.params.documentId);
      return reply
        .type(f.mediaType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.fileName)}`)
        .header('cache-control', 'private, no-store')
        .send(f.data);
    },
  );

  app.post(
    '/api/v1/trading/projects/:id/clarifications',
    {
      config: MANAGE,
      schema: {
        tags: TAG,
        summary: '发布澄清或修改（距投标截止不足 15 日的须顺延截止时间）',
        params: IdParams,
        body: Type.Object({ title: Type.String({ minLength: 4, maxLength: 200 }), body: Type.String({ minLength: 10, maxLength: 50_000 }), newDeadline: Type.Optional(Instant) }, { additionalProperties: false }),
        response: { 201: Type.Object({ number: Type.Integer(), deadlineBefore: Instant, deadlineAfter: Instant, moved: Type.Boolean() }), ...STANDARD_ERRORS, ...CONFLICT },
      },
    },
    async (request, reply) => {
      const r = await bidding.issueClarification(deps, actorOf(request), request.params.id, request.body);
      return reply.status(201).send({ number: r.number, deadlineBefore: r.deadlineBefore.toISOString(), deadlineAfter: r.deadlineAfter.toISOString(), moved: r.moved });
    },
  );

  app.post(
    '/api/v1/trading/projects/:id/objections',
    {
      config: BID,
      schema: { tags: TAG, summary: '对招标文件提出异议（投标截止 10 日前；答复前暂停招标投标活动）', params: IdParams, body: Type.Object({ content: Type.String({ minLength: 10, maxLength: 5000 }) }, { additionalProperties: false }), response: { 201: Objection, ...STANDARD_ERRORS, ...CONFLICT } },
    },
    async (request, reply) => reply.status(201).send(mapObjection(await bidding.fileObjection(deps, actorOf(request), request.params.id, request.body.content))),
  );

  app.post(
    '/api/v1/trading/projects/:id/objections/:objectionId/reply',
    {
      config: MANAGE,
      schema: { tags: TAG, summary: '答复异议（收到之日起 3 日内）', params: Type.Object({ id: Uuid, objectionId: Uuid }, { additionalProperties: false }), body: Type.Object({ reply: Type.String({ minLength: 10, maxLength: 5000 }) }, { additionalProperties: false }), response: { 200: Objection, ...STANDARD_ERRORS, ...CONFLICT } },
    },
    async (request) => mapObjection(await bidding.answerObjection(deps, actorOf(request), request.params.id, request.params.objectionId, request.body.reply)),
  );
}
