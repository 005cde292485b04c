// The portal's HTML: an escaping template tag, the page shell (landmarks, header with the search
// box, the site group's footer) and its stylesheet. Pages are plain server-rendered HTML that
// reads the same with JavaScript off: no script, no external resource (CSP `default-src 'self'`;
// the stylesheet is inline, which the policy allows for styles only).

import type { CityChannel } from './portal.catalogue.ts';
import { escapeHtml } from './portal.text.ts';

/** Markup that is already safe (built by `html`, or escaped by portal.text's highlight). */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type Part = Html | string | number | null | undefined | false | readonly Part[];

function render(v: Part): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return (v as readonly Part[]).map(render).join('');
  return escapeHtml(String(v as string | number));
}

/** A template whose every interpolation is escaped unless it is Html already. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Markup produced elsewhere and escaped there (search highlights). */
export function trusted(text: string): Html {
  return new Html(text);
}

export const SITE_NAME = '山西省公共资源交易平台';

const CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f2328;background:#f6f7f9;overflow-wrap:break-word}
a{color:#0a53be}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid #e3a008;outline-offset:2px}
.wrap{max-width:1140px;margin:0 auto;padding:0 16px}
.skip{position:absolute;left:8px;top:-200px;background:#fff;color:#0a53be;padding:12px;z-index:2}
.skip:focus{top:8px}
.site{background:#9f1d20;color:#fff}
.site a{color:#fff}
.top{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:4px 16px;padding:8px 0}
.brand{font-size:1.2rem;font-weight:700;text-decoration:none;padding:8px 0;display:inline-block}
.brand small{font-weight:400;font-size:.85rem;margin-left:8px}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px}
.site nav a{display:inline-block;padding:10px 12px;min-height:48px;text-decoration:none;border-radius:6px}
.site nav a[aria-current=page],.site nav a:hover{background:#7a1518}
.search{display:flex;gap:8px;padding:0 0 12px}
.search input{flex:1;min-width:0}
input,select,button{font:inherit;min-height:48px;padding:8px 10px;border:1px solid #6e7781;border-radius:6px;background:#fff;color:#1f2328;max-width:100%}
button,.button{background:#0a53be;border-color:#0a53be;color:#fff;cursor:pointer;padding:8px 18px;text-decoration:none;display:inline-block;border-radius:6px}
.site button{background:#1f2328;border-color:#1f2328}
main{display:block;padding:8px 0 32px}
h1{font-size:1.5rem;line-height:1.35;margin:16px 0 12px}
h2{font-size:1.2rem;line-height:1.4;margin:0 0 8px}
h3{font-size:1.05rem;margin:16px 0 8px}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:16px;margin:0 0 16px}
.grid{display:grid;gap:16px;grid-template-columns:repeat(auto-fill,minmax(min(100%,340px),1fr))}
.grid>.card{margin:0}
.head{display:flex;justify-content:space-between;align-items:baseline;gap:8px}
.head a{padding:12px 0 12px 12px;white-space:nowrap}
.list{list-style:none;margin:0;padding:0}
.list>li{padding:10px 0;border-top:1px solid #e6eaef}
.list>li:first-child{border-top:0}
.list .t{font-weight:600;display:inline-block;padding:2px 0}
.meta{color:#555e68;font-size:.875rem;display:flex;flex-wrap:wrap;gap:2px 12px;margin:2px 0 0}
.kind{color:#3d444d;font-size:.875rem}
.badge{display:inline-block;padding:0 8px;border-radius:10px;font-size:.8125rem;line-height:1.6;font-weight:600}
.b-open{background:#dafbe1;color:#0f5323}
.b-closed{background:#e6eaef;color:#3d444d}
.b-corrected{background:#fff1e5;color:#8a3300}
.stats{display:grid;gap:12px;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));margin:0}
.stats div{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:12px}
.stats dt{color:#555e68;font-size:.875rem}
.stats dd{margin:0;font-size:1.35rem;font-weight:700}
.cities{display:flex;flex-wrap:wrap;gap:8px}
.cities a{display:inline-block;padding:10px 14px;min-height:48px;background:#fff;border:1px solid #d0d7de;border-radius:6px;text-decoration:none}
.filters{display:grid;gap:8px 12px;grid-template-columns:repeat(auto-fill,minmax(min(100%,140px),1fr));align-items:end}
.filters label{display:block;font-size:.875rem;color:#3d444d}
.filters select,.filters input{width:100%}
.pager{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:16px 0}
.pager a,.pager span[aria-current]{display:inline-block;min-width:48px;min-height:48px;padding:12px;text-align:center;border:1px solid #d0d7de;border-radius:6px;background:#fff;text-decoration:none;line-height:1.5}
.pager span[aria-current]{background:#0a53be;color:#fff;border-color:#0a53be}
.table{overflow-x:auto;margin:0 0 12px}.table>table{min-width:640px}td code{white-space:nowrap;word-break:normal}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9375rem}
th,td{border:1px solid #d0d7de;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f0f3f6}
td.n{text-align:right;white-space:nowrap}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.facts dt{color:#555e68}
dl.facts dd{margin:0}
.body{white-space:pre-wrap;margin:0;font:inherit}
.banner{border-left:4px solid #8a3300;background:#fff1e5;padding:12px 16px;margin:0 0 16px;border-radius:4px}
.note{border-left:4px solid #0a53be;background:#eef4fd;padding:12px 16px;margin:0 0 16px;border-radius:4px}
.error{border-left:4px solid #b3261e;background:#fdecea;padding:12px 16px;margin:0 0 16px;border-radius:4px}
.timeline{margin:0;padding-left:1.5rem}
.timeline li{padding:0 0 12px}
.timeline p{margin:2px 0 0}
mark{background:#fff0a8;color:inherit;padding:0 1px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.875em;word-break:break-all}
.crumbs ol{list-style:none;margin:8px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:4px;font-size:.875rem}
.crumbs li+li::before{content:"/";margin-right:4px;color:#555e68}
.crumbs a{display:inline-block;padding:4px 0}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}
.foot{content-visibility:auto;contain-intrinsic-size:auto 320px;background:#24292f;color:#e6eaef;padding:16px 0 24px;font-size:.9375rem}
.foot a{color:#fff;display:inline-block;padding:10px 4px;min-height:44px}
.foot h2{font-size:1rem;margin:8px 0 4px}
@media (max-width:600px){h1{font-size:1.3rem}.brand small{display:block;margin:0}.site nav a{padding:10px 8px}}
`
  .trim()
  .replace(/\n/g, '');

export interface Crumb {
  label: string;
  href?: string;
}

export interface PageSpec {
  /** The page's own title; the site's name follows it in <title>. */
  title: string;
  description: string;
  /** Absolute origin and the page's canonical path (with the query that identifies it). */
  origin: string;
  canonical: string;
  /** The city channel the page belongs to, if any. */
  channel: CityChannel | null;
  /** Which navigation entry is current. */
  section?: 'home' | 'notices' | 'search' | 'credit' | 'entities';
  crumbs?: Crumb[];
  /** What the header's search box holds. */
  query?: string;
  noindex?: boolean;
  body: Html;
}

export function channelHome(channel: CityChannel | null): string {
  return channel ? `/city/${channel.path}/` : '/';
}
export function channelNotices(channel: CityChannel | null): string {
  return channel ? `/city/${channel.path}/notices` : '/notices';
}

function header(p: PageSpec): Html {
  const c = p.channel;
  const current = (s: PageSpec['section']) => (p.section === s ? html` aria-current="page"` : '');
  return html`<header class="site"><div class="wrap"><div class="top"><a class="brand" href="${channelHome(c)}">${c ? `${c.name}公共资源交易平台` : SITE_NAME}${c ? html`<small>山西省公共资源交易平台城市频道</small>` : ''}</a><nav aria-label="主导航"><ul><li><a href="${channelHome(c)}"${current('home')}>首页</a></li><li><a href="${channelNotices(c)}"${current('notices')}>交易公告</a></li><li><a href="/credit"${current('credit')}>信用信息</a></li><li><a href="/entities"${current('entities')}>市场主体</a></li>${c ? html`<li><a href="/">全省</a></li>` : ''}<li><a href="/workbench/">登录工作台</a></li></ul></nav></div><form class="search" role="search" action="/search" method="get"><label class="sr" for="site-q">搜索公告、项目名称、交易标识码或统一社会信用代码</label><input id="site-q" name="q" type="search" maxlength="100" value="${p.query ?? ''}" placeholder="搜索公告、项目、交易标识码" autocomplete="off" enterkeyhint="search">${c ? html`<input type="hidden" name="region" value="${c.code}">` : ''}<button type="submit">搜索</button></form></div></header>`;
}

function crumbs(list: Crumb[] | undefined): Html | string {
  if (!list || list.length === 0) return '';
  return html`<nav class="crumbs" aria-label="当前位置"><ol>${list.map((c, i) => (c.href && i < list.length - 1 ? html`<li><a href="${c.href}">${c.label}</a></li>` : html`<li aria-current="page">${c.label}</li>`))}</ol></nav>`;
}

export interface FooterCity {
  path: string;
  name: string;
}

let footerCities: readonly FooterCity[] = [];
/** The site group's channels, listed in every footer (set once at start-up). */
export function setFooterCities(cities: readonly FooterCity[]): void {
  footerCities = cities;
}

function footer(): Html {
  return html`<footer class="foot"><div class="wrap"><h2>城市频道</h2><nav aria-label="城市频道"><ul>${footerCities.map((c) => html`<li><a href="/city/${c.path}/">${c.name}频道</a></li>`)}</ul></nav><p>公告订阅：<a href="/feeds/notices.rss">RSS 订阅全部公告</a> · <a href="/feeds/notices.atom">Atom 订阅全部公告</a> · <a href="/api/docs">开放接口说明</a></p><p>本站公告均由交易系统按程序发布，内容以签章文件为准。</p></div></footer>`;
}

/** A whole document. */
export function page(p: PageSpec): string {
  const site = p.channel ? `${p.channel.name}公共资源交易平台` : SITE_NAME;
  const title = p.title ? `${p.title} - ${site}` : site;
  const doc = html`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><meta name="description" content="${p.description}">${p.noindex ? html`<meta name="robots" content="noindex">` : ''}<link rel="canonical" href="${p.origin + p.canonical}"><link rel="alternate" type="application/rss+xml" title="最新公告（RSS）" href="/feeds/notices.rss"><link rel="icon" href="data:,"><style>${trusted(CSS)}</style></head><body><a class="skip" href="#main">跳到正文</a>${header(p)}<main id="main" class="wrap">${crumbs(p.crumbs)}${p.body}</main>${footer()}</body></html>`;
  return doc.text;
}
