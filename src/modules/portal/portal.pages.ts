// The portal's HTML pages (server-rendered, no session): home, notice lists, a notice, a deal by
// its code, search, credit disclosure and entity lookups, the city channels, robots.txt, the
// sitemap and the Chinese 404. Handlers stay thin: read the query, call the portal (or the
// credit and registry modules') service, render. Lists answer 304 to a reader holding their ETag.

import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { checkUscc } from '../../platform/validation/ids.ts';
import { publicCreditHere } from '../credit/credit.province.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import { publicEntitiesHere } from '../registry/registry.province.ts';
import { mapPublicEntity } from '../registry/registry.public.routes.ts';
import { CITY_SLUGS, cityChannels, NOTICE_KIND_CODES, type CityChannel } from './portal.catalogue.ts';
import * as repo from './portal.repository.ts';
import { notModified, originOf } from './portal.routes.ts';
import * as portal from './portal.service.ts';
import { setFooterCities } from './portal.html.ts';
import { dealPage, noticePage } from './portal.html.deal.ts';
import { homePage, messagePage, noticeListPage, notFoundPage, searchPage, type Where } from './portal.html.lists.ts';
import { creditPage, entitiesPage } from './portal.html.lookup.ts';
import { queryOf, type ListFilters } from './portal.html.parts.ts';
import { robotsTxt, sitemapXml } from './portal.pages.seo.ts';

const PUBLIC = { auth: { public: true } } as const;
const HIDDEN = { hide: true } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOME_ITEMS = 6;

type Query = Record<string, unknown>;

/** A query parameter as a form sends it: the first value, trimmed; empty means absent. */
function param(q: Query, key: string): string | undefined {
  const raw = q[key];
  const v = Array.isArray(raw) ? (raw[0] as unknown) : raw;
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

function pageParam(q: Query): number {
  const p = param(q, 'page');
  if (p === undefined) return 1;
  if (!/^\d{1,6}$/.test(p) || Number(p) < 1) throw new AppError('validation_failed', '页码应为正整数', { field: 'page', rule: 'range' });
  return Number(p);
}

function filtersOf(q: Query): ListFilters {
  return { category: param(q, 'category'), kind: param(q, 'kind'), region: param(q, 'region'), from: param(q, 'from'), to: param(q, 'to'), status: param(q, 'status') };
}

function send(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').send(body);
}

/**
 * A lookup page (credit, entities) with a strong ETag of its own bytes. Credit and entity facts
 * are not part of the portal's version, so the page is rendered every time (always fresh: a
 * record that enters or leaves its disclosure period shows at once), but a reader holding the
 * same page gets 304 without the body.
 */
function sendLookup(request: FastifyRequest, reply: FastifyReply, body: string): FastifyReply {
  const etag = `"${crypto.createHash('sm3').update(body).digest('base64url').slice(0, 27)}"`;
  void reply.header('etag', etag).header('cache-control', 'no-cache');
  if (portal.etagMatches(request.headers['if-none-match'], etag)) return reply.status(304).send();
  return send(reply, 200, body);
}

/** The channel a `140100-taiyuan` path names (the code decides), and its canonical path. */
function channelOf(cityPath: string): CityChannel | null | undefined {
  const m = /^(\d{6})(?:-[a-z]*)?$/.exec(cityPath);
  if (!m || !Object.hasOwn(CITY_SLUGS, m[1]!)) return undefined;
  return cityChannels(loadRegionTree()).find((c) => c.code === m[1]) ?? null;
}

function isRefusal(e: unknown): e is AppError {
  return e instanceof AppError && e.status === 400;
}

export function registerPortalPages(app: FastifyInstance, deps: Deps): void {
  const tree = loadRegionTree();
  setFooterCities(cityChannels(tree));
  const where = (request: FastifyRequest, channel: CityChannel | null = null): Where => ({ origin: originOf(deps, request), channel, now: request.now });
  const lookupLimit = { rateLimit: { max: deps.config.security.authRateLimitPerMinute, timeWindow: 60_000 } };

  async function home(request: FastifyRequest, reply: FastifyReply, channel: CityChannel | null) {
    if (await notModified(deps, request, reply, true)) return reply;
    const now = request.now;
    const [stats, ...lists] = await Promise.all([portal.headline(deps, channel?.code), ...NOTICE_KIND_CODES.map((kind) => repo.listNotices(deps.db, { now, kind, cityCode: channel?.code }, HOME_ITEMS, 0))]);
    const cities = channel ? tree.childrenOf(channel.code).map((r) => ({ code: r.code, slug: '', name: r.name, path: '' })) : cityChannels(tree);
    return send(reply, 200, homePage(where(request, channel), { stats, byKind: NOTICE_KIND_CODES.map((kind, i) => ({ kind, items: lists[i]! })), cities }));
  }

  async function notices(request: FastifyRequest, reply: FastifyReply, channel: CityChannel | null) {
    const q = request.query as Query;
    const filters = filtersOf(q);
    const w = where(request, channel);
    const path = channel ? `/city/${channel.path}/notices` : '/notices';
    try {
      const page = pageParam(q);
      if (channel && filters.region && !tree.isWithin(filters.region, channel.code)) throw new AppError('validation_failed', `所选地区不属于${channel.name}`, { field: 'region', rule: 'within_city' });
      const query = { ...filters, region: filters.region ?? channel?.code, page };
      portal.noticeFilter(query, request.now);
      if (await notModified(deps, request, reply, true)) return reply;
      const r = await portal.listNotices(deps, query);
      const depth = Math.max(1, Math.floor(deps.config.portal.maxListDepth / r.pageSize));
      const last = Math.min(depth, Math.max(1, Math.ceil(r.total / r.pageSize)));
      return send(reply, 200, noticeListPage(w, { filters, items: r.items, total: r.total, totalCapped: r.totalCapped, page, last, query: queryOf({ ...filters, page }) }));
    } catch (e) {
      if (!isRefusal(e)) throw e;
      return send(reply, 400, messagePage(w, { title: '筛选条件有误', message: e.detail, canonical: path }));
    }
  }

  app.get('/', { config: PUBLIC, schema: HIDDEN }, (request, reply) => home(request, reply, null));
  app.get('/notices', { config: PUBLIC, schema: HIDDEN }, (request, reply) => notices(request, reply, null));

  // City channels: the code decides; a wrong or missing name moves to the right address.
  const city = (suffix: '/' | '/notices', handler: typeof home) => async (request: FastifyRequest<{ Params: { cityPath: string } }>, reply: FastifyReply) => {
    const channel = channelOf(request.params.cityPath);
    if (!channel) return send(reply, 404, notFoundPage(where(request), request.url));
    if (request.params.cityPath !== channel.path || !request.url.split('?')[0]!.endsWith(suffix)) {
      const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      return reply.redirect(`/city/${channel.path}${suffix}${search}`, 301);
    }
    return handler(request, reply, channel);
  };
  app.get('/city/:cityPath', { config: PUBLIC, schema: HIDDEN }, city('/', home));
  app.get('/city/:cityPath/', { config: PUBLIC, schema: HIDDEN }, city('/', home));
  app.get('/city/:cityPath/notices', { config: PUBLIC, schema: HIDDEN }, city('/notices', notices));

  app.get<{ Params: { id: string } }>('/notices/:id', { config: PUBLIC, schema: HIDDEN }, async (request, reply) => {
    const view = UUID.test(request.params.id) ? await portal.noticeView(deps, request.params.id.toLowerCase()) : null;
    if (!view) return send(reply, 404, notFoundPage(where(request), request.url));
    if (await notModified(deps, request, reply, true)) return reply;
    return send(reply, 200, noticePage(where(request), view));
  });

  app.get<{ Params: { code: string } }>('/deals/:code', { config: PUBLIC, schema: HIDDEN }, async (request, reply) => {
    let view: portal.DealView | null = null;
    try {
      view = await portal.dealView(deps, request.params.code);
    } catch (e) {
      if (!isRefusal(e)) throw e;
    }
    if (!view) return send(reply, 404, messagePage(where(request), { title: '未找到该交易', message: `没有统一交易标识码或标段编号为“${request.params.code}”的交易。请核对后重新输入。`, canonical: request.url }));
    if (view.deal.deal_code !== request.params.code) return reply.redirect(`/deals/${view.deal.deal_code}`, 301);
    if (await notModified(deps, request, reply, true)) return reply;
    return send(reply, 200, dealPage(where(request), view));
  });

  app.get('/search', { config: PUBLIC, schema: HIDDEN }, async (request, reply) => {
    const q = request.query as Query;
    const text = param(q, 'q') ?? '';
    const { status: _status, ...filters } = filtersOf(q);
    const w = where(request);
    const canonical = '/search' + queryOf({ q: text, ...filters, page: param(q, 'page') });
    if (text === '') return send(reply, 200, searchPage(w, null, '', filters, '/search'));
    try {
      const page = pageParam(q);
      const outcome = await portal.search(deps, text, { ...filters, page });
      if (outcome.kind === 'deal') return reply.redirect(`/deals/${outcome.dealCode}`, 303);
      if (outcome.kind === 'entity') return reply.redirect(`/entities?uscc=${outcome.uscc}`, 303);
      if (await notModified(deps, request, reply, true)) return reply;
      const last = Math.min(Math.floor(deps.config.portal.searchWindow / outcome.pageSize), Math.max(1, Math.ceil(outcome.matched / outcome.pageSize)));
      return send(reply, 200, searchPage(w, { ...outcome, filters, last }, text, filters, canonical));
    } catch (e) {
      if (!isRefusal(e)) throw e;
      return send(reply, 400, messagePage(w, { title: '搜索条件有误', message: e.detail, canonical: '/search' }));
    }
  });

  // Credit and entity facts are not part of the portal's version: ETag of the page itself (sendLookup).
  app.get('/credit', { config: { ...PUBLIC, ...lookupLimit }, schema: HIDDEN }, async (request, reply) => {
    const text = param(request.query as Query, 'q') ?? '';
    void reply.header('cache-control', 'no-cache');
    if (text === '') return sendLookup(request, reply, creditPage(where(request), '', null, null));
    const code = checkUscc(text.replace(/\s/g, ''));
    try {
      if (!code.ok && [...text].length < 2) throw new AppError('validation_failed', '名称至少输入 2 个字，或输入 18 位统一社会信用代码', { field: 'q', rule: 'length' });
      const records = await publicCreditHere(deps, code.ok ? { uscc: code.normalized } : { name: text.slice(0, 100) }, request.now);
      return sendLookup(request, reply, creditPage(where(request), text, records, null));
    } catch (e) {
      if (!isRefusal(e)) throw e;
      return send(reply, 400, creditPage(where(request), text, null, e.detail));
    }
  });

  app.get('/entities', { config: { ...PUBLIC, ...lookupLimit }, schema: HIDDEN }, async (request, reply) => {
    const q = request.query as Query;
    const text = param(q, 'q') ?? '';
    const uscc = param(q, 'uscc');
    void reply.header('cache-control', 'no-cache');
    if (text === '' && uscc === undefined) return sendLookup(request, reply, entitiesPage(where(request), '', null, null));
    const shown = uscc ?? text;
    try {
      const page = pageParam(q);
      const r = await publicEntitiesHere(deps, uscc !== undefined ? { uscc, page } : { q: text, page }, request.now);
      return sendLookup(request, reply, entitiesPage(where(request), shown, { items: r.items.map(mapPublicEntity), page: r.page, more: r.more, params: uscc !== undefined ? { uscc } : { q: text } }, null));
    } catch (e) {
      // On a city node the lookup is the province's: when it cannot be reached, say so on the page.
      if (e instanceof AppError && e.code === 'unavailable') return send(reply, 503, entitiesPage(where(request), shown, null, e.detail));
      if (!isRefusal(e)) throw e;
      return send(reply, 400, entitiesPage(where(request), shown, null, e.detail));
    }
  });

  app.get('/robots.txt', { config: PUBLIC, schema: HIDDEN }, async (request, reply) => reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=3600').send(robotsTxt(originOf(deps, request))));

  app.get('/sitemap.xml', { config: PUBLIC, schema: HIDDEN }, async (request, reply) => {
    if (await notModified(deps, request, reply, false)) return reply;
    const latest = await repo.listNotices(deps.db, { now: request.now }, 1000, 0);
    return reply.type('application/xml; charset=utf-8').send(sitemapXml(originOf(deps, request), latest, cityChannels(tree)));
  });

  // Any other GET outside the API and the workbench is a page that does not exist: say so in Chinese.
  app.get('/*', { config: PUBLIC, schema: HIDDEN }, async (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (path === '/workbench') return reply.redirect('/workbench/', 301);
    if (path.startsWith('/api/') || path.startsWith('/workbench/')) return reply.callNotFound();
    return send(reply, 404, notFoundPage(where(request), path));
  });
}
