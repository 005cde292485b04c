// The portal's list pages as HTML: the home page (province or city channel), the notice list
// with its filters and pager, search results, and the 404 and error pages.

import { formatYuan } from '../../platform/documents/amount.ts';
import { formatDealCode } from '../coding/coding.rules.ts';
import { NOTICE_KINDS, PORTAL_CATEGORIES, type CityChannel, type NoticeKind } from './portal.catalogue.ts';
import type { DealHit, NoticeListRow, PortalStats, SearchHit } from './portal.repository.ts';
import { dealUrl, stageName } from './portal.schemas.ts';
import { channelNotices, html, page, SITE_NAME, trusted, type Html } from './portal.html.ts';
import { filterForm, noticeItem, noticeList, pager, queryOf, regionName, totalText, type ListFilters } from './portal.html.parts.ts';
import { highlight, snippet } from './portal.text.ts';

export interface Where {
  origin: string;
  channel: CityChannel | null;
  now: Date;
}

function siteName(channel: CityChannel | null): string {
  return channel ? `${channel.name}公共资源交易平台` : SITE_NAME;
}

export interface HomeData {
  stats: PortalStats;
  byKind: { kind: NoticeKind; items: NoticeListRow[] }[];
  cities: CityChannel[];
}

function statsBlock(s: PortalStats): Html {
  const rows: [string, string][] = [
    ['交易项目', String(s.deals)],
    ['本年受理项目', String(s.dealsInYear)],
    ['今日发布公告', String(s.noticesToday)],
    ['正在招标', String(s.openTenders)],
    ['已定标标段', String(s.awardedLots)],
    ['中标金额（元）', formatYuan(BigInt(s.awardedFen))],
  ];
  return html`<section class="card" aria-labelledby="stats-h"><h2 id="stats-h">交易概况</h2><dl class="stats">${rows.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl></section>`;
}

export function homePage(w: Where, d: HomeData): string {
  const c = w.channel;
  const list = channelNotices(c);
  const sections = d.byKind.map(
    ({ kind, items }) =>
      html`<section class="card" aria-labelledby="k-${kind}"><div class="head"><h2 id="k-${kind}">${NOTICE_KINDS[kind]}</h2><a href="${list + queryOf({ kind })}">更多<span class="sr">${NOTICE_KINDS[kind]}</span></a></div>${noticeList(items, w.now, `暂无${NOTICE_KINDS[kind]}`)}</section>`,
  );
  const categories = html`<section class="card" aria-labelledby="cat-h"><h2 id="cat-h">按交易类别浏览</h2><ul class="cities">${Object.entries(PORTAL_CATEGORIES).map(([k, v]) => html`<li><a href="${list + queryOf({ category: k })}">${v}公告</a></li>`)}</ul></section>`;
  const cities = c
    ? html`<section class="card" aria-labelledby="county-h"><h2 id="county-h">按区县浏览</h2><ul class="cities">${d.cities.map((x) => html`<li><a href="${list + queryOf({ region: x.code })}">${x.name}</a></li>`)}</ul></section>`
    : html`<section class="card" aria-labelledby="city-h"><h2 id="city-h">城市频道</h2><ul class="cities">${d.cities.map((x) => html`<li><a href="/city/${x.path}/">${x.name}</a></li>`)}</ul></section>`;
  const body = html`<h1>${siteName(c)}</h1><p>${c ? `${c.name}各类公共资源交易的公告、结果与交易全过程。` : '全省工程建设、政府采购、土地使用权、矿业权、国有产权等公共资源交易的公告、结果与交易全过程，一网通览。'}招标人、投标人、代理机构和交易中心工作人员请 <a href="/workbench/">登录工作台</a> 办理业务。</p>${statsBlock(d.stats)}<div class="grid">${sections}</div>${categories}${cities}`;
  return page({
    title: '',
    description: c ? `${c.name}公共资源交易公告、中标结果与交易过程公开。` : '山西省公共资源交易公告、中标候选人公示、中标结果与交易全过程公开，按交易标识码查询交易，信用信息与市场主体查询。',
    origin: w.origin,
    canonical: c ? `/city/${c.path}/` : '/',
    channel: c,
    section: 'home',
    body,
  });
}

export interface NoticeListData {
  filters: ListFilters;
  items: NoticeListRow[];
  total: number;
  totalCapped: boolean;
  page: number;
  last: number;
  /** Canonical query (filters and page). */
  query: string;
}

function filterSummary(f: ListFilters, channel: CityChannel | null): string {
  const parts: string[] = [];
  if (f.region) parts.push(regionName(f.region));
  else if (channel) parts.push(channel.name);
  if (f.category) parts.push(PORTAL_CATEGORIES[f.category as keyof typeof PORTAL_CATEGORIES] ?? '');
  parts.push(f.kind ? (NOTICE_KINDS[f.kind as NoticeKind] ?? '交易公告') : '交易公告');
  return parts.filter(Boolean).join(' · ');
}

export function noticeListPage(w: Where, d: NoticeListData): string {
  const path = channelNotices(w.channel);
  const heading = filterSummary(d.filters, w.channel);
  const body = html`<h1>${heading}</h1>${filterForm(path, d.filters, w.channel)}<section aria-labelledby="res-h" class="card"><h2 id="res-h">${totalText(d.total, d.totalCapped)}${d.page > 1 ? `，第 ${d.page} 页` : ''}</h2>${noticeList(d.items, w.now, '没有符合条件的公告，请放宽筛选条件。')}</section>${pager({ path, params: { ...d.filters }, page: d.page, last: d.last })}`;
  return page({
    title: d.page > 1 ? `${heading}（第 ${d.page} 页）` : heading,
    description: `${heading}列表：按交易类别、公告类型、地区、发布日期和状态筛选。`,
    origin: w.origin,
    canonical: path + d.query,
    channel: w.channel,
    section: 'notices',
    crumbs: [{ label: '首页', href: w.channel ? `/city/${w.channel.path}/` : '/' }, { label: '交易公告' }],
    body,
  });
}

export interface SearchData {
  query: string;
  filters: ListFilters;
  terms: string[];
  mode: 'words' | 'fragments' | 'similar' | 'none';
  hits: SearchHit[];
  deals: DealHit[];
  matched: number;
  page: number;
  last: number;
}

function dealHit(d: DealHit, terms: string[]): Html {
  return html`<li><span class="kind">交易项目</span> <a class="t" href="${dealUrl(d.deal_code)}">${trusted(highlight(d.name, terms).html)}</a><p class="meta"><span>${formatDealCode(d.deal_code)}</span><span>${d.tenderer_name}</span><span>${regionName(d.region_code)}</span><span>${stageName(d.stage)}</span></p></li>`;
}

export function searchPage(w: Where, d: SearchData | null, query: string, filters: ListFilters, canonical: string): string {
  const form = filterForm('/search', filters, w.channel, { query, status: false });
  let results: Html | string = html`<p>输入项目名称、公告标题中的词语、交易标识码（如 12140000…）或统一社会信用代码查找。</p>`;
  if (d) {
    const note = d.mode === 'similar' ? html`<p class="note">没有完全匹配的公告，以下是标题相近的公告。</p>` : d.mode === 'none' ? html`<p class="note">没有找到与“${d.query}”相关的公告。请换个词语，或减少筛选条件。</p>` : '';
    const deals = d.deals.length > 0 ? html`<section class="card" aria-labelledby="deal-h"><h2 id="deal-h">交易项目</h2><ul class="list">${d.deals.map((x) => dealHit(x, d.terms))}</ul></section>` : '';
    const hits =
      d.hits.length > 0
        ? html`<section class="card" aria-labelledby="hit-h"><h2 id="hit-h">公告（${d.mode === 'similar' ? `${d.matched} 条相近` : `约 ${d.matched} 条`}）</h2><ul class="list">${d.hits.map((h) => noticeItem(h, w.now, { titleHtml: highlight(h.title, d.terms).html, snippetHtml: snippet(h.body, d.terms).html }))}</ul></section>`
        : '';
    results = html`${note}${deals}${hits}${pager({ path: '/search', params: { q: d.query, ...filters }, page: d.page, last: d.last })}`;
  }
  return page({
    title: query ? `搜索：${query}` : '搜索',
    description: '全文检索山西省公共资源交易公告与交易项目，支持交易标识码和统一社会信用代码直达。',
    origin: w.origin,
    canonical,
    channel: w.channel,
    section: 'search',
    query,
    noindex: query !== '',
    crumbs: [{ label: '首页', href: '/' }, { label: '搜索' }],
    body: html`<h1>${query ? `“${query}”的搜索结果` : '搜索公告与交易'}</h1>${form}${results}`,
  });
}

export function messagePage(w: Where, o: { title: string; message: string; canonical: string; kind?: 'error' | 'note'; form?: Html }): string {
  return page({
    title: o.title,
    description: o.message,
    origin: w.origin,
    canonical: o.canonical,
    channel: w.channel,
    noindex: true,
    body: html`<h1>${o.title}</h1><p class="${o.kind ?? 'error'}">${o.message}</p>${o.form ?? ''}<p><a href="/">返回首页</a> · <a href="/notices">浏览全部交易公告</a> · <a href="/search">搜索</a></p>`,
  });
}

export function notFoundPage(w: Where, path: string): string {
  return messagePage(w, { title: '页面不存在', message: '您访问的页面不存在，可能已被移动，或地址输入有误。', canonical: path });
}
