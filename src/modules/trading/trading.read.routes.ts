// HTTP routes that read a project's notice, documents, clarifications and objections, and the
// tenderer lookup of an agency.

import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../platform/deps.ts';
import { actorOf } from '../../platform/http/context.ts';
import { IdParams, iso, STANDARD_ERRORS, Uuid } from '../../platform/http/schemas.ts';
import * as details from './trading.details.ts';

const TAG = ['电子交易·工程建设'];
const READ = { auth: { anyPermission: ['trading.deal.read', 'trading.tender.manage', 'trading.bid.submit'] } } as const;
const Instant = Type.String({ format: 'date-time' });
const NullableInstant = Type.Union([Instant, Type.Null()]);

const Notice = Type.Object({ id: Uuid, kind: Type.String(), title: Type.String(), body: Type.String(), status: Type.String(), reviewReason: Type.Union([Type.String(), Type.Null()]), publishedAt: NullableInstant, documentSm3: Type.Union([Type.String(), Type.Null()]), signature: Type.Union([Type.String(), Type.Null()]) });
const Document = Type.Object({ id: Uuid, kind: Type.String(), fileName: Type.String(), mediaType: Type.String(), size: Type.Integer(), sm3: Type.String(), uploadedAt: Instant, publishedAt: NullableInstant });

type NoticeRow = Awaited<ReturnType<typeof details.noticeOf>>['notices'][number];
const mapNotice = (n: NoticeRow) => ({ id: n.id, kind: n.kind, title: n.title, body: n.body, status: n.status, reviewReason: n.review_reason, publishedAt: iso(n.published_at), documentSm3: n.document_digest, signature: n.signature });

export function registerTradingReadRoutes(root: FastifyInstance, deps: Deps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/trading/projects/:id/notice',
    {
      config: READ,
      schema: {
        tags: TAG,
        summary: '招标公告与招标文件（招标人一方和工作人员可见草稿与审核意见；其他人只见已发布的），以及项目已发布的全部公告',
        params: IdParams,
        response: { 200: Type.Object({ tender: Type.Union([Notice, Type.Null()]), documents: Type.Array(Document), notices: Type.Array(Notice) }), ...STANDARD_ERRORS },
      },
    },
    async (request) => {
      const r = await details.noticeOf(deps, actorOf(request), request.params.id);
      return {
        tender: r.tender && mapNotice(r.tender),
        documents: r.documents.map((d) => ({ id: d.id, kind: d.kind, fileName: d.file_name, mediaType: d.media_type, size: d.size, sm3: d.blob_digest, uploadedAt: d.uploaded_at.toISOString(), publishedAt: iso(d.published_at) })),
        notices: r.notices.map(mapNotice),
      };
    },
  );

  app.get(
    '/api/v1/trading/projects/:id/clarifications',
    {
      config: READ,
      schema: { tags: TAG, summary: '澄清与修改（含正文和截止时间的变化）', params: IdParams, response: { 200: Type.Object({ items: Type.Array(Type.Object({ number: Type.Integer(), title: Type.String(), body: Type.String(), issuedAt: Instant, deadlineBefore: Instant, deadlineAfter: Instant })) }), ...STANDARD_ERRORS } },
    },
    async (request) => ({
      items: (await details.clarificationsOf(deps, actorOf(request), request.params.id)).map((c) => ({ number: c.number, title: c.title, body: c.body, issuedAt: c.issued_at.toISOString(), deadlineBefore: c.deadline_before.toISOString(), deadlineAfter: c.deadline_after.toISOString() })),
    }),
  );

  app.get(
    '/api/v1/trading/projects/:id/objections',
    {
      config: READ,
      schema: {
        tags: TAG,
        summary: '异议：工作人员见全部；招标人一方见全部但不显示异议人；投标人见本主体提出的',
        params: IdParams,
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ id: Uuid, subject: Type.String(), lotId: Type.Union([Uuid, Type.Null()]), entityId: Type.Union([Uuid, Type.Null()]), content: Type.String(), filedAt: Instant, replyDue: Instant, reply: Type.Union([Type.String(), Type.Null()]), repliedAt: NullableInstant })),
          }),
          ...STANDARD_ERRORS,
        },
      },
    },
    async (request) => {
      const r = await details.objectionsOf(deps, actorOf(request), request.params.id);
      return { items: r.rows.map((o) => ({ id: o.id, subject: o.subject, lotId: o.lot_id, entityId: r.showObjector ? o.entity_id : null, content: o.content, filedAt: o.filed_at.toISOString(), replyDue: o.reply_due.toISOString(), reply: o.reply, repliedAt: iso(o.replied_at) })) };
    },
  );

  app.get(
    '/api/v1/trading/tenderers',
    {
      config: { auth: { permission: 'trading.tender.manage' } },
      schema: {
        tags: TAG,
        summary: '按统一社会信用代码查找已登记「招标人」角色的在册主体（招标代理机构代招标人登记项目时用）',
        querystring: Type.Object({ uscc: Type.String({ pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$' }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ id: Uuid, name: Type.String(), uscc: Type.String(), regionCode: Type.String() }), ...STANDARD_ERRORS },
      },
    },
    async (request) => {
      const t = await details.tendererByUscc(deps, request.query.uscc);
      return { id: t.id, name: t.name, uscc: t.uscc!, regionCode: t.regionCode };
    },
  );
}
