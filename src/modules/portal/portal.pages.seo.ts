// robots.txt and the sitemap: the portal's pages are for everyone to index; the workbench, the
// API and search result pages are not. The sitemap names the home pages, the lists, and the
// newest notices with their deals.

import type { CityChannel } from './portal.catalogue.ts';
import type { NoticeListRow } from './portal.repository.ts';
import { dealUrl, noticeUrl } from './portal.schemas.ts';
import { escapeHtml } from './portal.text.ts';

export function robotsTxt(origin: string): string {
  return ['User-agent: *', 'Allow: /', 'Disallow: /workbench/', 'Disallow: /api/', 'Disallow: /search', '', `Sitemap: ${origin}/sitemap.xml`, ''].join('\n');
}

function url(loc: string, lastmod?: Date): string {
  return `<url><loc>${escapeHtml(loc)}</loc>${lastmod ? `<lastmod>${lastmod.toISOString()}</lastmod>` : ''}</url>`;
}

export function sitemapXml(origin: string, latest: NoticeListRow[], cities: CityChannel[]): string {
  const newest = latest[0]?.published_at;
  const entries = [url(`${origin}/`, newest), url(`${origin}/notices`, newest), ...cities.flatMap((c) => [url(`${origin}/city/${c.path}/`), url(`${origin}/city/${c.path}/notices`)]), url(`${origin}/credit`), url(`${origin}/entities`)];
  const deals = new Map<string, Date>();
  for (const n of latest) {
    entries.push(url(origin + noticeUrl(n.id), n.published_at));
    const seen = deals.get(n.deal_code);
    if (!seen || seen < n.published_at) deals.set(n.deal_code, n.published_at);
  }
  for (const [code, at] of deals) entries.push(url(origin + dealUrl(code), at));
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${entries.join('')}</urlset>\n`;
}
