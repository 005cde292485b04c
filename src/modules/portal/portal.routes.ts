// The portal's public JSON API and feeds. Lists answer with a weak ETag made of the portal's
// version: a reader that sends it back gets 304 after one row is read, not the list query.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { IdParams } from '../../platform/http/schemas.ts';
import * as repo from './portal.repository.ts';
import { atom, rss } from './portal.feeds.ts';
import * as s from './portal.schemas.ts';
import * as portal from './portal.service.ts';

const TAG = ['门户'];
const PUBLIC = { auth: { public: true } } as const;
const FEED_ITEMS = 50;

/**
 * Answers 304 when the client holds the current tag; otherwise sets the tag and the caching
 * rule (any cache may keep it but must ask again each time) and returns false.
 */
export async function notModified(deps: Deps, request: FastifyRequest, reply: FastifyReply, timeDependent: boolean): Promise<boolean> {
  const etag = await portal.listEtag(deps, request.url, timeDependent);
  void reply.header('etag', etag).header('cache-control', 'public, no-cache').header('vary', 'accept-encoding');
  if (portal.etagMatches(request.headers['if-none-match'], etag)) {
    await reply.status(304).send();
    return true;
  }
  return false;
}

export function originOf(deps: Deps, request: FastifyRequest): string {
  return deps.config.portal.origin ?? `${request.protocol}://${request.host}`;
}

export function registerPortalRoutes(root: FastifyInstance, deps: Deps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/public/notices',
    {
      config: PUBLIC,
      schema: { tags: TAG, summary: '交易公告列表（按类别、类型、地区、发布日期、状态筛选，分页；带 ETag）', security: [], querystring: s.NoticeListQuery, response: { 200: s.NoticeList, 400: { $ref: 'Problem#' } } },
    },
    async (request, reply) => {
      if (await notModified(deps, request, reply, request.query.status !== undefined)) return reply;
      return s.mapNoticePage(await portal.listNotices(deps, request.query));
    },
  );

  app.get(
    '/api/v1/public/notices/:id',
    { config: PUBLIC, schema: { tags: TAG, summary: '公告全文（含被变更的原公告与后续变更公告）', security: [], params: IdParams, response: { 200: s.NoticeDetail, 404: { $ref: 'Problem#' } } } },
    async (request, reply) => {
      const view = await portal.noticeView(deps, request.params.id);
      if (!view) throw notFound('公告');
      if (await notModified(deps, request, reply, false)) return reply;
      return s.mapNoticeDetail(view);
    },
  );

  app.get(
    '/api/v1/public/deals/:code',
    { config: PUBLIC, schema: { tags: TAG, summary: '按统一交易标识码（或标段编号）查看交易：标段、公告与公开的交易过程', security: [], params: s.CodeParams, response: { 200: s.DealDetail, 400: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' } } } },
    async (request, reply) => {
      const view = await portal.dealView(deps, request.params.code);
      if (!view) throw notFound('交易');
      if (await notModified(deps, request, reply, false)) return reply;
      return s.mapDealDetail(view);
    },
  );

  app.get(
    '/api/v1/public/search',
    {
      config: PUBLIC,
      schema: { tags: TAG, summary: '全文检索公告与交易（中文分词；交易标识码、统一社会信用代码直接跳转）', security: [], querystring: s.SearchQuery, response: { 200: s.SearchResult, 400: { $ref: 'Problem#' } } },
    },
    async (request, reply) => {
      const { q, ...filters } = request.query;
      if (await notModified(deps, request, reply, false)) return reply;
      return s.mapSearch(await portal.search(deps, q, filters), q);
    },
  );

  app.get(
    '/api/v1/public/portal/stats',
    { config: PUBLIC, schema: { tags: TAG, summary: '门户首页统计（全省或某市）', security: [], querystring: s.StatsQuery, response: { 200: s.Stats, 400: { $ref: 'Problem#' } } } },
    async (request) => {
      const f = portal.noticeFilter({ region: request.query.region }, deps.clock.now());
      return s.mapStats(await portal.headline(deps, f.cityCode), f.cityCode);
    },
  );

  for (const format of ['rss', 'atom'] as const) {
    app.get(
      `/feeds/notices.${format}`,
      {
        config: PUBLIC,
        schema: { tags: TAG, summary: format === 'rss' ? '公告订阅（RSS 2.0）' : '公告订阅（Atom）', security: [], querystring: s.FeedQuery, produces: [format === 'rss' ? 'application/rss+xml' : 'application/atom+xml'] },
      },
      async (request, reply) => {
        if (await notModified(deps, request, reply, false)) return reply;
        const page = await portal.listNotices(deps, { ...request.query, page: 1, pageSize: FEED_ITEMS });
        const { updatedAt } = await repo.version(deps.db);
        const spec = { origin: originOf(deps, request), self: request.url, ...request.query, items: page.items, updated: page.items[0]?.published_at ?? updatedAt };
        return reply.type(format === 'rss' ? 'application/rss+xml; charset=utf-8' : 'application/atom+xml; charset=utf-8').send(format === 'rss' ? rss(spec) : atom(spec));
      },
    );
  }

  app.get(
    '/notices/:id/document.pdf',
    { config: PUBLIC, schema: { tags: TAG, summary: '公告的签章文件（PDF，SM3 见公告）', security: [], params: IdParams, produces: ['application/pdf'] } },
    async (request, reply) => {
      const view = await portal.noticeView(deps, request.params.id);
      const digest = view?.notice.document_sm3;
      const stream = digest ? await deps.blobs.openRead(digest) : undefined;
      if (!stream) throw notFound('公告文件');
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${request.params.id}.pdf"`)
        .header('etag', `"${digest!}"`)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(stream);
    },
  );
}
