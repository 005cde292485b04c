// A notice page and a deal page as HTML: the notice's text (escaped, line breaks kept), its
// structured details (opening record, candidates, winner), the signed PDF with its SM3, the
// change banner; the deal's parties, lots, notices and public timeline.

import { formatYuan } from '../../platform/documents/amount.ts';
import { formatDealCode } from '../coding/coding.rules.ts';
import { PORTAL_CATEGORIES, SUB_CATEGORIES, type PortalCategory } from './portal.catalogue.ts';
import type { NoticeListRow } from './portal.repository.ts';
import { dealUrl, documentUrl, noticeUrl, stageName } from './portal.schemas.ts';
import type { DealView, NoticeView } from './portal.service.ts';
import { html, page, type Html, type Part } from './portal.html.ts';
import { badge, kindName, noticeList, regionName, statusOf, timeTag } from './portal.html.parts.ts';
import type { Where } from './portal.html.lists.ts';

type Json = Record<string, unknown>;

function parsed(details: unknown): Json | null {
  const v = typeof details === 'string' ? (JSON.parse(details) as unknown) : details;
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
}
function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}
function rows(v: unknown): Json[] {
  return Array.isArray(v) ? v.filter((x): x is Json => !!x && typeof x === 'object') : [];
}

/** Names of the items a bid declares at the opening (trading's opening items). */
const ITEM_NAMES: Record<string, string> = { durationDays: '工期（日历天）', qualityStandard: '质量标准', projectManager: '项目负责人', warrantyMonths: '质保期（月）', deliveryDays: '交货期（日）' };

function table(caption: string, head: string[], body: Part[][]): Html {
  return html`<div class="table" role="region" aria-label="${caption}" tabindex="0"><table><caption class="sr">${caption}</caption><thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${body.map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`)}</tbody></table></div>`;
}

function detailsBlock(kind: string, details: unknown): Html | string {
  const d = parsed(details);
  if (!d) return '';
  if (kind === 'opening_record') {
    const bids = rows(d.bids);
    const keys = [...new Set(bids.flatMap((b) => (b.items && typeof b.items === 'object' ? Object.keys(b.items) : [])))];
    return html`<section aria-labelledby="d-h"><h2 id="d-h">开标记录</h2>${table(
      '开标记录',
      ['序号', '投标人', '解密结果', '投标报价（元）', ...keys.map((k) => ITEM_NAMES[k] ?? k)],
      bids.map((b, i) => [i + 1, text(b.bidder), text(b.outcome), text(b.price) || '—', ...keys.map((k) => text((b.items as Json)[k]) || '—')]),
    )}</section>`;
  }
  if (kind === 'candidates') {
    return html`<section aria-labelledby="d-h"><h2 id="d-h">中标候选人</h2>${table(
      '中标候选人',
      ['排序', '中标候选人', '投标报价'],
      rows(d.candidates).map((c) => [text(c.rank), text(c.bidderName), text(c.price)]),
    )}</section>`;
  }
  if (kind === 'result' && text(d.winnerName)) {
    return html`<section aria-labelledby="d-h"><h2 id="d-h">中标结果</h2><dl class="facts"><dt>中标人</dt><dd>${text(d.winnerName)}</dd><dt>中标价</dt><dd>${text(d.price)}</dd></dl></section>`;
  }
  return '';
}

function links(list: NoticeListRow[]): Html {
  return html`${list.map((n, i) => html`${i > 0 ? '；' : ''}<a href="${noticeUrl(n.id)}">${n.title}</a>（${timeTag(n.published_at)}）`)}`;
}

export function noticePage(w: Where, v: NoticeView): string {
  const n = v.notice;
  const code = formatDealCode(n.deal_code);
  const pdf = documentUrl(n);
  const banner = v.correctedBy.length > 0 ? html`<div class="banner" role="note"><strong>本公告已被变更。</strong>变更内容见：${links(v.correctedBy)}。以下为原公告全文。</div>` : '';
  const original = v.corrects ? html`<p class="note">本公告是对 <a href="${noticeUrl(v.corrects.id)}">${v.corrects.title}</a> 的变更，原公告全文仍可查阅。</p>` : '';
  const body = html`<article><h1>${n.title}</h1>${banner}${original}<dl class="facts card"><dt>公告类型</dt><dd>${kindName(n.kind)} ${badge(statusOf(n, w.now))}</dd><dt>发布时间</dt><dd>${timeTag(n.published_at, true)}</dd>${n.closes_at ? html`<dt>${n.kind === 'candidates' ? '公示截止' : '投标截止'}</dt><dd>${timeTag(n.closes_at, true)}</dd>` : ''}<dt>交易项目</dt><dd>${v.deal.name}</dd><dt>统一交易标识码</dt><dd><a href="${dealUrl(n.deal_code)}"><code>${code}</code></a></dd>${n.lot_code ? html`<dt>标段编号</dt><dd><code>${formatDealCode(n.lot_code)}</code></dd>` : ''}<dt>地区</dt><dd>${regionName(n.region_code)}</dd><dt>招标人</dt><dd>${v.deal.tenderer_name}</dd>${v.deal.agency_name ? html`<dt>招标代理机构</dt><dd>${v.deal.agency_name}</dd>` : ''}</dl><section class="card" aria-labelledby="b-h"><h2 id="b-h">公告正文</h2><div class="body">${n.body}</div></section>${detailsBlock(n.kind, n.details)}${pdf ? html`<section class="card" aria-labelledby="pdf-h"><h2 id="pdf-h">签章文件</h2><p><a href="${pdf}">下载签章公告文件（PDF）</a></p><p>文件 SM3 摘要：<code>${n.document_sm3}</code></p></section>` : ''}<p><a href="${dealUrl(n.deal_code)}">查看该交易的全部公告与交易过程</a></p></article>`;
  const firstLine = n.body.replace(/\s+/g, ' ').trim().slice(0, 110);
  return page({
    title: n.title,
    description: `${kindName(n.kind)}：${n.title}。${firstLine}`,
    origin: w.origin,
    canonical: noticeUrl(n.id),
    channel: w.channel,
    section: 'notices',
    crumbs: [{ label: '首页', href: '/' }, { label: '交易公告', href: '/notices' }, { label: kindName(n.kind) }],
    body,
  });
}

const METHODS: Record<string, string> = { open: '公开招标', invited: '邀请招标' };

function yuan(v: string | number | null): string {
  return v === null ? '—' : formatYuan(BigInt(v));
}

export function dealPage(w: Where, v: DealView): string {
  const d = v.deal;
  const code = formatDealCode(d.deal_code);
  const facts = html`<dl class="facts card"><dt>统一交易标识码</dt><dd><code>${code}</code></dd><dt>交易阶段</dt><dd>${stageName(d.stage)}</dd><dt>交易类别</dt><dd>${PORTAL_CATEGORIES[d.category as PortalCategory] ?? d.category} · ${SUB_CATEGORIES[d.sub_category]?.name ?? d.sub_category}</dd>${d.tender_method ? html`<dt>招标方式</dt><dd>${METHODS[d.tender_method] ?? d.tender_method}</dd>` : ''}<dt>地区</dt><dd>${regionName(d.region_code)}</dd><dt>招标人</dt><dd>${d.tenderer_name}</dd>${d.agency_name ? html`<dt>招标代理机构</dt><dd>${d.agency_name}</dd>` : ''}${d.supervising_department ? html`<dt>监督部门</dt><dd>${d.supervising_department}</dd>` : ''}<dt>受理时间</dt><dd>${timeTag(d.accepted_at, true)}</dd>${d.bid_deadline ? html`<dt>投标截止</dt><dd>${timeTag(d.bid_deadline, true)}</dd>` : ''}</dl>`;
  const lots = html`<section class="card" aria-labelledby="lots-h"><h2 id="lots-h">标段（${v.lots.length}）</h2>${table(
    '标段',
    ['标段', '标段编号', '估算价（元）', '阶段', '中标人', '中标价（元）', '合同价（元）'],
    v.lots.map((l) => [`${l.lot_no}. ${l.name}`, html`<code>${formatDealCode(l.lot_code)}</code>`, yuan(l.estimated_price_fen), stageName(l.stage), l.winner_name ?? '—', yuan(l.award_price_fen), yuan(l.contract_price_fen)]),
  )}</section>`;
  const notices = html`<section class="card" aria-labelledby="n-h"><h2 id="n-h">公告（${v.notices.length}）</h2>${noticeList(v.notices, w.now, '尚未发布公告')}</section>`;
  const timeline = html`<section class="card" aria-labelledby="t-h"><h2 id="t-h">交易过程</h2><ol class="timeline">${v.timeline.map(
    (t) => html`<li>${timeTag(t.occurred_at, true)} <strong>${t.label}</strong>${t.lot_code ? html` <span class="meta">标段 ${t.lot_code.slice(-3)}</span>` : ''}<p>${t.summary}${t.notice_id ? html` <a href="${noticeUrl(t.notice_id)}">查看公告<span class="sr">：${t.label}</span></a>` : ''}</p></li>`,
  )}</ol></section>`;
  return page({
    title: `${d.name}（${code}）`,
    description: `${d.name}：招标人${d.tenderer_name}，${regionName(d.region_code)}，当前阶段${stageName(d.stage)}。统一交易标识码 ${code}，含全部公告与公开的交易过程。`,
    origin: w.origin,
    canonical: dealUrl(d.deal_code),
    channel: w.channel,
    crumbs: [{ label: '首页', href: '/' }, { label: '交易项目' }],
    body: html`<article><h1>${d.name}</h1>${facts}${lots}${notices}${timeline}</article>`,
  });
}
