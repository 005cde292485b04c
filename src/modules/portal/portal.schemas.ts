// TypeBox schemas and mappers of the portal's JSON API (the same lists the pages and feeds show).

import { Type, type Static } from '@sinclair/typebox';
import { formatYuan } from '../../platform/documents/amount.ts';
import { iso, Nullable, StringEnum, Timestamp, Uuid } from '../../platform/http/schemas.ts';
import { formatDealCode } from '../coding/coding.rules.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import { DEAL_STAGES, NOTICE_KIND_CODES, NOTICE_KINDS, PORTAL_CATEGORIES, PORTAL_CATEGORY_CODES, SUB_CATEGORIES, type DealStage, type NoticeKind, type PortalCategory } from './portal.catalogue.ts';
import type { DealHit, LotRow, NoticeListRow, NoticeRow, PortalStats, SearchHit, TimelineRow } from './portal.repository.ts';
import type { DealView, NoticePage, NoticeView, SearchOutcome } from './portal.service.ts';
import { highlight, snippet } from './portal.text.ts';

export const NoticeListQuery = Type.Object(
  {
    category: Type.Optional(StringEnum(PORTAL_CATEGORY_CODES, { description: '交易类别' })),
    kind: Type.Optional(StringEnum(NOTICE_KIND_CODES, { description: '公告类型' })),
    region: Type.Optional(Type.String({ pattern: '^\\d{6}$', description: '行政区划代码（省、市或县）' })),
    from: Type.Optional(Type.String({ format: 'date', description: '发布日期起（北京时间，含）' })),
    to: Type.Optional(Type.String({ format: 'date', description: '发布日期止（北京时间，含）' })),
    status: Type.Optional(StringEnum(['open', 'closed', 'corrected'] as const, { description: 'open 进行中（投标或公示未截止）；closed 已截止；corrected 已被变更' })),
    page: Type.Optional(Type.Integer({ minimum: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

export const SearchQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 200, description: '关键词、统一交易标识码、标段编号或统一社会信用代码' }),
    category: Type.Optional(StringEnum(PORTAL_CATEGORY_CODES)),
    kind: Type.Optional(StringEnum(NOTICE_KIND_CODES)),
    region: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
    from: Type.Optional(Type.String({ format: 'date' })),
    to: Type.Optional(Type.String({ format: 'date' })),
    page: Type.Optional(Type.Integer({ minimum: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  },
  { additionalProperties: false },
);

export const FeedQuery = Type.Object(
  {
    category: Type.Optional(StringEnum(PORTAL_CATEGORY_CODES)),
    kind: Type.Optional(StringEnum(NOTICE_KIND_CODES)),
    region: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
  },
  { additionalProperties: false },
);

export const StatsQuery = Type.Object({ region: Type.Optional(Type.String({ pattern: '^\\d{6}$', description: '市级行政区划代码；缺省为全省' })) }, { additionalProperties: false });
export const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 64, description: '统一交易标识码或标段编号，可带连字符' }) }, { additionalProperties: false });

const Region = Type.Object({ code: Type.String(), name: Type.String() });

export const NoticeSummary = Type.Object(
  {
    id: Uuid,
    kind: StringEnum(NOTICE_KIND_CODES),
    kindName: Type.String(),
    title: Type.String(),
    dealCode: Type.String(),
    dealCodeFormatted: Type.String(),
    lotCode: Nullable(Type.String()),
    category: StringEnum(PORTAL_CATEGORY_CODES),
    categoryName: Type.String(),
    subCategoryName: Type.String(),
    region: Region,
    publishedAt: Timestamp,
    closesAt: Nullable(Timestamp),
    correctsId: Nullable(Uuid),
    correctedAt: Nullable(Timestamp),
    url: Type.String({ description: '门户页面地址' }),
  },
  { description: '公告摘要' },
);
export type NoticeSummaryJson = Static<typeof NoticeSummary>;

export const NoticeList = Type.Object({ items: Type.Array(NoticeSummary), total: Type.Integer(), totalCapped: Type.Boolean({ description: '为 true 时实际条数多于 total，请缩小筛选范围' }), page: Type.Integer(), pageSize: Type.Integer() });

export const NoticeDetail = Type.Object({
  notice: Type.Intersect([NoticeSummary, Type.Object({ body: Type.String(), documentSm3: Nullable(Type.String()), documentUrl: Nullable(Type.String()), details: Type.Unknown() })]),
  deal: Type.Object({ dealCode: Type.String(), dealCodeFormatted: Type.String(), name: Type.String(), tendererName: Type.String(), agencyName: Nullable(Type.String()), url: Type.String() }),
  corrects: Nullable(NoticeSummary),
  correctedBy: Type.Array(NoticeSummary),
});

const Lot = Type.Object({
  lotCode: Type.String(),
  lotNo: Type.Integer(),
  name: Type.String(),
  estimatedPrice: Nullable(Type.String({ description: '元' })),
  stage: Type.String(),
  stageName: Type.String(),
  winnerName: Nullable(Type.String()),
  awardPrice: Nullable(Type.String()),
  contractPrice: Nullable(Type.String()),
});

const TimelineEntry = Type.Object({ seq: Type.Integer(), type: Type.String(), label: Type.String(), summary: Type.String(), lotCode: Nullable(Type.String()), noticeId: Nullable(Uuid), occurredAt: Timestamp });

export const DealDetail = Type.Object({
  dealCode: Type.String(),
  dealCodeFormatted: Type.String(),
  name: Type.String(),
  category: StringEnum(PORTAL_CATEGORY_CODES),
  categoryName: Type.String(),
  subCategoryName: Type.String(),
  region: Region,
  tendererName: Type.String(),
  agencyName: Nullable(Type.String()),
  supervisingDepartment: Nullable(Type.String()),
  stage: Type.String(),
  stageName: Type.String(),
  bidDeadline: Nullable(Timestamp),
  acceptedAt: Timestamp,
  lots: Type.Array(Lot),
  notices: Type.Array(NoticeSummary),
  timeline: Type.Array(TimelineEntry, { description: '公开的交易过程（按事件序号）' }),
  url: Type.String(),
});

const DealSummary = Type.Object({ dealCode: Type.String(), dealCodeFormatted: Type.String(), name: Type.String(), tendererName: Type.String(), region: Region, stageName: Type.String(), acceptedAt: Timestamp, url: Type.String() });

export const SearchResult = Type.Object({
  redirect: Nullable(Type.String({ description: '按交易标识码或统一社会信用代码直接跳转的地址' })),
  query: Type.String(),
  mode: StringEnum(['words', 'fragments', 'similar', 'none', 'redirect'] as const),
  terms: Type.Array(Type.String()),
  matched: Type.Integer({ description: '参与排序的匹配条数（至多为搜索窗口）' }),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  items: Type.Array(Type.Intersect([NoticeSummary, Type.Object({ rank: Type.Number(), titleHtml: Type.String({ description: 'HTML 转义后的标题，命中词以 <mark> 标出' }), snippetHtml: Type.String() })])),
  deals: Type.Array(DealSummary),
});

export const Stats = Type.Object({ region: Nullable(Region), deals: Type.Integer(), dealsInYear: Type.Integer(), noticesToday: Type.Integer(), openTenders: Type.Integer(), awardedLots: Type.Integer(), awardedAmount: Type.String({ description: '中标金额合计（元）' }) });

// ---- mappers ----

export function regionOf(code: string): { code: string; name: string } {
  return { code, name: loadRegionTree().fullName(code) || code };
}

export function noticeUrl(id: string): string {
  return `/notices/${id}`;
}
export function dealUrl(dealCode: string): string {
  return `/deals/${dealCode}`;
}

function money(v: string | number | null): string | null {
  return v === null ? null : formatYuan(BigInt(v));
}

export function mapNoticeSummary(n: NoticeListRow): NoticeSummaryJson {
  return {
    id: n.id,
    kind: n.kind as NoticeKind,
    kindName: NOTICE_KINDS[n.kind as NoticeKind] ?? n.kind,
    title: n.title,
    dealCode: n.deal_code,
    dealCodeFormatted: formatDealCode(n.deal_code),
    lotCode: n.lot_code,
    category: n.category as PortalCategory,
    categoryName: PORTAL_CATEGORIES[n.category as PortalCategory] ?? n.category,
    subCategoryName: SUB_CATEGORIES[n.sub_category]?.name ?? n.sub_category,
    region: regionOf(n.region_code),
    publishedAt: n.published_at.toISOString(),
    closesAt: iso(n.closes_at),
    correctsId: n.corrects_id,
    correctedAt: iso(n.corrected_at),
    url: noticeUrl(n.id),
  };
}

export function mapNoticePage(p: NoticePage): Static<typeof NoticeList> {
  return { items: p.items.map(mapNoticeSummary), total: p.total, totalCapped: p.totalCapped, page: p.page, pageSize: p.pageSize };
}

export function documentUrl(n: Pick<NoticeRow, 'id' | 'document_sm3'>): string | null {
  return n.document_sm3 ? `/notices/${n.id}/document.pdf` : null;
}

export function mapNoticeDetail(v: NoticeView): Static<typeof NoticeDetail> {
  return {
    notice: { ...mapNoticeSummary(v.notice), body: v.notice.body, documentSm3: v.notice.document_sm3, documentUrl: documentUrl(v.notice), details: v.notice.details ?? null },
    deal: { dealCode: v.deal.deal_code, dealCodeFormatted: formatDealCode(v.deal.deal_code), name: v.deal.name, tendererName: v.deal.tenderer_name, agencyName: v.deal.agency_name, url: dealUrl(v.deal.deal_code) },
    corrects: v.corrects ? mapNoticeSummary(v.corrects) : null,
    correctedBy: v.correctedBy.map(mapNoticeSummary),
  };
}

export function stageName(stage: string): string {
  return DEAL_STAGES[stage as DealStage] ?? stage;
}

function mapLot(l: LotRow): Static<typeof Lot> {
  return { lotCode: l.lot_code, lotNo: l.lot_no, name: l.name, estimatedPrice: money(l.estimated_price_fen), stage: l.stage, stageName: stageName(l.stage), winnerName: l.winner_name, awardPrice: money(l.award_price_fen), contractPrice: money(l.contract_price_fen) };
}

function mapTimeline(t: TimelineRow): Static<typeof TimelineEntry> {
  return { seq: t.seq, type: t.type, label: t.label, summary: t.summary, lotCode: t.lot_code, noticeId: t.notice_id, occurredAt: t.occurred_at.toISOString() };
}

export function mapDealDetail(v: DealView): Static<typeof DealDetail> {
  const d = v.deal;
  return {
    dealCode: d.deal_code,
    dealCodeFormatted: formatDealCode(d.deal_code),
    name: d.name,
    category: d.category as PortalCategory,
    categoryName: PORTAL_CATEGORIES[d.category as PortalCategory] ?? d.category,
    subCategoryName: SUB_CATEGORIES[d.sub_category]?.name ?? d.sub_category,
    region: regionOf(d.region_code),
    tendererName: d.tenderer_name,
    agencyName: d.agency_name,
    supervisingDepartment: d.supervising_department,
    stage: d.stage,
    stageName: stageName(d.stage),
    bidDeadline: iso(d.bid_deadline),
    acceptedAt: d.accepted_at.toISOString(),
    lots: v.lots.map(mapLot),
    notices: v.notices.map(mapNoticeSummary),
    timeline: v.timeline.map(mapTimeline),
    url: dealUrl(d.deal_code),
  };
}

export function mapDealHit(d: DealHit): Static<typeof DealSummary> {
  return { dealCode: d.deal_code, dealCodeFormatted: formatDealCode(d.deal_code), name: d.name, tendererName: d.tenderer_name, region: regionOf(d.region_code), stageName: stageName(d.stage), acceptedAt: d.accepted_at.toISOString(), url: dealUrl(d.deal_code) };
}

export function mapSearchHit(h: SearchHit, terms: readonly string[]) {
  return { ...mapNoticeSummary(h), rank: h.rank, titleHtml: highlight(h.title, terms).html, snippetHtml: snippet(h.body, terms).html };
}

export function searchRedirect(o: SearchOutcome): string | null {
  if (o.kind === 'deal') return dealUrl(o.dealCode);
  if (o.kind === 'entity') return `/entities?uscc=${o.uscc}`;
  return null;
}

export function mapSearch(o: SearchOutcome, query: string): Static<typeof SearchResult> {
  if (o.kind !== 'results') return { redirect: searchRedirect(o), query, mode: 'redirect', terms: [], matched: 0, page: 1, pageSize: 0, items: [], deals: [] };
  return { redirect: null, query: o.query, mode: o.mode, terms: o.terms, matched: o.matched, page: o.page, pageSize: o.pageSize, items: o.hits.map((h) => mapSearchHit(h, o.terms)), deals: o.deals.map(mapDealHit) };
}

export function mapStats(s: PortalStats, cityCode: string | undefined): Static<typeof Stats> {
  return { region: cityCode ? regionOf(cityCode) : null, deals: s.deals, dealsInYear: s.dealsInYear, noticesToday: s.noticesToday, openTenders: s.openTenders, awardedLots: s.awardedLots, awardedAmount: formatYuan(BigInt(s.awardedFen)) };
}
