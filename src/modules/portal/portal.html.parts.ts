// Pieces the portal's pages share: a notice list item with its status badge, the list filters
// as a GET form (region down to the county), the pager, dates in China time.

import { chinaDateTimeText } from '../../platform/documents/format.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import { NOTICE_KINDS, NOTICE_STATUSES, PORTAL_CATEGORIES, type CityChannel, type NoticeKind } from './portal.catalogue.ts';
import type { NoticeListRow } from './portal.repository.ts';
import type { NoticeQuery } from './portal.service.ts';
import { noticeUrl, regionOf } from './portal.schemas.ts';
import { html, trusted, type Html } from './portal.html.ts';

const CST_MS = 8 * 3600_000;

/** `2026-03-02` (the day in China). */
export function chinaDay(d: Date): string {
  return new Date(d.getTime() + CST_MS).toISOString().slice(0, 10);
}

/** `2026-03-02 09:30` (China time). */
export function chinaMinute(d: Date): string {
  return new Date(d.getTime() + CST_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** `大同市 云冈区`: a region's name below the province (every page is of Shanxi). */
export function regionName(code: string): string {
  return regionOf(code).name.replace(/^山西省\s*/, '') || '山西省';
}

export function timeTag(d: Date, long = false): Html {
  return html`<time datetime="${d.toISOString()}">${long ? chinaDateTimeText(d) : chinaDay(d)}</time>`;
}

export type BadgeKind = 'open' | 'closed' | 'corrected';

/**
 * The status a notice shows: 已变更 once a later notice changed it, else 进行中 until its period
 * (bidding, publicity) ends, then 已截止. A notice without a period (a result, a contract) shows none.
 */
export function statusOf(n: Pick<NoticeListRow, 'closes_at' | 'corrected_at'>, now: Date): BadgeKind | null {
  if (n.corrected_at) return 'corrected';
  if (!n.closes_at) return null;
  return n.closes_at.getTime() > now.getTime() ? 'open' : 'closed';
}

export function badge(kind: BadgeKind | null): Html | string {
  return kind ? html`<span class="badge b-${kind}">${NOTICE_STATUSES[kind]}</span>` : '';
}

export function kindName(kind: string): string {
  return NOTICE_KINDS[kind as NoticeKind] ?? kind;
}

/** One notice in a list: type, title link, region, date, status. `titleHtml` is escaped already. */
export function noticeItem(n: NoticeListRow, now: Date, extra: { titleHtml?: string; snippetHtml?: string } = {}): Html {
  return html`<li><span class="kind">${kindName(n.kind)}</span> <a class="t" href="${noticeUrl(n.id)}">${extra.titleHtml !== undefined ? trusted(extra.titleHtml) : n.title}</a>${extra.snippetHtml ? html`<p class="meta">${trusted(extra.snippetHtml)}</p>` : ''}<p class="meta"><span>${regionName(n.region_code)}</span>${timeTag(n.published_at)}${badge(statusOf(n, now))}</p></li>`;
}

export function noticeList(items: NoticeListRow[], now: Date, empty = '暂无公告'): Html {
  if (items.length === 0) return html`<p>${empty}</p>`;
  return html`<ul class="list">${items.map((n) => noticeItem(n, now))}</ul>`;
}

// ---- filters ----

/** A list's filters as the query string gives them (the service's query without its paging). */
export type ListFilters = Omit<NoticeQuery, 'page' | 'pageSize'>;

function option(value: string, label: string, selected: string | undefined): Html {
  return html`<option value="${value}"${value === (selected ?? '') ? html` selected` : ''}>${label}</option>`;
}

/** The region choices: the whole province (or the channel's city), each city, each county under its city. */
export function regionOptions(selected: string | undefined, channel: CityChannel | null): Html {
  const tree = loadRegionTree();
  const cities = channel ? [tree.get(channel.code)!] : tree.childrenOf('140000');
  return html`${option('', channel ? `${channel.name}（全市）` : '山西省（全省）', selected)}${cities.map(
    (c) => html`<optgroup label="${c.name}">${channel ? '' : option(c.code, `${c.name}（全市）`, selected)}${tree.childrenOf(c.code).map((r) => option(r.code, r.name, selected))}</optgroup>`,
  )}`;
}

/** The list's filters as a GET form (works without script); `action` is the list's own path. */
export function filterForm(action: string, f: ListFilters, channel: CityChannel | null, o: { query?: string; status?: boolean } = {}): Html {
  const withStatus = o.status ?? true;
  return html`<form class="card filters" action="${action}" method="get" aria-label="筛选公告">${o.query !== undefined ? html`<div><label for="f-q">关键词</label><input id="f-q" name="q" type="search" maxlength="100" value="${o.query}"></div>` : ''}<div><label for="f-category">交易类别</label><select id="f-category" name="category">${option('', '全部类别', f.category)}${Object.entries(PORTAL_CATEGORIES).map(([k, v]) => option(k, v, f.category))}</select></div><div><label for="f-kind">公告类型</label><select id="f-kind" name="kind">${option('', '全部类型', f.kind)}${Object.entries(NOTICE_KINDS).map(([k, v]) => option(k, v, f.kind))}</select></div><div><label for="f-region">地区</label><select id="f-region" name="region">${regionOptions(f.region, channel)}</select></div><div><label for="f-from">发布日期起</label><input id="f-from" name="from" type="date" value="${f.from ?? ''}"></div><div><label for="f-to">发布日期止</label><input id="f-to" name="to" type="date" value="${f.to ?? ''}"></div>${withStatus ? html`<div><label for="f-status">状态</label><select id="f-status" name="status">${option('', '全部状态', f.status)}${Object.entries(NOTICE_STATUSES).map(([k, v]) => option(k, v, f.status))}</select></div>` : ''}<div><button type="submit">${o.query !== undefined ? '搜索' : '筛选'}</button></div></form>`;
}

/** The query string of a list's filters (empty ones left out), with a page number. */
export function queryOf(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '' && !(k === 'page' && v === 1)) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

// ---- paging ----

export interface PagerSpec {
  path: string;
  params: Record<string, string | undefined>;
  page: number;
  /** The last page that can be opened. */
  last: number;
}

/** Page links: 上一页, the first, a window around the current one, the last, 下一页. */
export function pager(p: PagerSpec): Html | string {
  if (p.last <= 1 && p.page <= 1) return '';
  const link = (n: number, label: string | Html, rel?: string) => html`<a href="${p.path + queryOf({ ...p.params, page: n })}"${rel ? html` rel="${rel}"` : ''}>${label}</a>`;
  const shown = new Set<number>([1, p.last]);
  for (let n = p.page - 2; n <= p.page + 2; n++) if (n >= 1 && n <= p.last) shown.add(n);
  const numbers = [...shown].sort((a, b) => a - b);
  const parts: (Html | string)[] = [];
  if (p.page > 1) parts.push(link(p.page - 1, '上一页', 'prev'));
  let previous = 0;
  for (const n of numbers) {
    if (n - previous > 1) parts.push(html`<span aria-hidden="true">…</span>`);
    parts.push(n === p.page ? html`<span aria-current="page"><span class="sr">第</span>${n}<span class="sr">页（当前页）</span></span>` : link(n, html`<span class="sr">第</span>${n}<span class="sr">页</span>`));
    previous = n;
  }
  if (p.page < p.last) parts.push(link(p.page + 1, '下一页', 'next'));
  return html`<nav class="pager" aria-label="分页">${parts}</nav>`;
}

/** `共 123 条` or `共 10000+ 条` when the count stopped at the list's depth. */
export function totalText(total: number, capped: boolean): string {
  return `共 ${total}${capped ? '+' : ''} 条`;
}
