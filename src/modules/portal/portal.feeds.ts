// RSS 2.0 and Atom 1.0 feeds of a notice list (category, type, region), newest first.

import { NOTICE_KINDS, PORTAL_CATEGORIES, type NoticeKind, type PortalCategory } from './portal.catalogue.ts';
import type { NoticeListRow } from './portal.repository.ts';
import { noticeUrl, regionOf } from './portal.schemas.ts';
import { escapeHtml } from './portal.text.ts';

export interface FeedSpec {
  /** Absolute origin the links are made from (scheme://host). */
  origin: string;
  /** The feed's own URL (path + query). */
  self: string;
  category?: string | undefined;
  kind?: string | undefined;
  region?: string | undefined;
  items: NoticeListRow[];
  updated: Date;
}

export function feedTitle(spec: Pick<FeedSpec, 'category' | 'kind' | 'region'>): string {
  const parts = [
    spec.region ? regionOf(spec.region).name : '山西省',
    spec.category ? PORTAL_CATEGORIES[spec.category as PortalCategory] : '',
    spec.kind ? NOTICE_KINDS[spec.kind as NoticeKind] : '交易公告',
  ].filter(Boolean);
  return `${parts.join(' ')} — 公共资源交易平台`;
}

const x = escapeHtml;

function describe(n: NoticeListRow): string {
  return `${NOTICE_KINDS[n.kind as NoticeKind] ?? n.kind} · ${regionOf(n.region_code).name} · 统一交易标识码 ${n.deal_code}${n.corrected_at ? ' · 已变更' : ''}`;
}

export function rss(spec: FeedSpec): string {
  const items = spec.items
    .map(
      (n) => `<item><title>${x(n.title)}</title><link>${x(spec.origin + noticeUrl(n.id))}</link><guid isPermaLink="false">urn:uuid:${n.id}</guid><pubDate>${n.published_at.toUTCString()}</pubDate><category>${x(NOTICE_KINDS[n.kind as NoticeKind] ?? n.kind)}</category><description>${x(describe(n))}</description></item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>${x(feedTitle(spec))}</title><link>${x(spec.origin + '/')}</link><atom:link href="${x(spec.origin + spec.self)}" rel="self" type="application/rss+xml"/><description>${x(feedTitle(spec))}</description><language>zh-CN</language><lastBuildDate>${spec.updated.toUTCString()}</lastBuildDate>${items}</channel></rss>\n`;
}

export function atom(spec: FeedSpec): string {
  const entries = spec.items
    .map(
      (n) => `<entry><id>urn:uuid:${n.id}</id><title>${x(n.title)}</title><link rel="alternate" type="text/html" href="${x(spec.origin + noticeUrl(n.id))}"/><published>${n.published_at.toISOString()}</published><updated>${(n.corrected_at ?? n.published_at).toISOString()}</updated><category term="${x(n.kind)}" label="${x(NOTICE_KINDS[n.kind as NoticeKind] ?? n.kind)}"/><summary>${x(describe(n))}</summary></entry>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN"><id>${x(spec.origin + spec.self)}</id><title>${x(feedTitle(spec))}</title><updated>${spec.updated.toISOString()}</updated><link rel="self" href="${x(spec.origin + spec.self)}"/><link rel="alternate" type="text/html" href="${x(spec.origin + '/')}"/><author><name>公共资源交易平台</name></author>${entries}</feed>\n`;
}
