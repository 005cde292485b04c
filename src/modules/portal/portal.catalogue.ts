// What the portal lists, as data: the trading catalogue's categories, the notice types, the
// public stages of a deal, and the URL names of the province's cities (the site group's channels).

import type { RegionTree } from '../org/org.regions.ts';

/** Top level of the trading catalogue (交易目录). Only 工程建设 has a procedure on the platform yet. */
export const PORTAL_CATEGORIES = {
  construction: '工程建设',
  procurement: '政府采购',
  land: '土地使用权',
  mineral: '矿业权',
  state_property: '国有产权',
  other: '其他交易',
} as const;
export type PortalCategory = keyof typeof PORTAL_CATEGORIES;
export const PORTAL_CATEGORY_CODES = Object.keys(PORTAL_CATEGORIES) as PortalCategory[];

/** The catalogue entry of a trading project's own category (trading.rules TENDER_CATEGORIES). */
export const SUB_CATEGORIES: Record<string, { category: PortalCategory; name: string }> = {
  construction_works: { category: 'construction', name: '工程施工' },
  survey: { category: 'construction', name: '工程勘察' },
  design: { category: 'construction', name: '工程设计' },
  supervision: { category: 'construction', name: '工程监理' },
  goods: { category: 'construction', name: '与工程建设有关的货物' },
  services: { category: 'construction', name: '与工程建设有关的服务' },
};

export function categoryOf(subCategory: string): PortalCategory {
  return SUB_CATEGORIES[subCategory]?.category ?? 'other';
}

/** Notice types in the order a deal publishes them. */
export const NOTICE_KINDS = {
  tender: '招标公告',
  amendment: '变更公告',
  opening_record: '开标记录',
  failure: '招标失败公告',
  candidates: '中标候选人公示',
  result: '中标结果公告',
  contract: '合同公示',
} as const;
export type NoticeKind = keyof typeof NOTICE_KINDS;
export const NOTICE_KIND_CODES = Object.keys(NOTICE_KINDS) as NoticeKind[];

export function isNoticeKind(value: unknown): value is NoticeKind {
  return typeof value === 'string' && Object.hasOwn(NOTICE_KINDS, value);
}

/**
 * Status filter of a notice list: `open` — still running (bidding until the deadline, publicity
 * until its end); `closed` — that period is over; `corrected` — a later notice changed it. A
 * notice without a period (a result, an opening record) is neither open nor closed.
 */
export const NOTICE_STATUSES = { open: '进行中', closed: '已截止', corrected: '已变更' } as const;
export type NoticeStatus = keyof typeof NOTICE_STATUSES;

/** The public stage of a deal, moved by its events. */
export const DEAL_STAGES = {
  accepted: '已受理',
  bidding: '招标中',
  paused: '暂停',
  opening: '开标',
  evaluating: '评标',
  publicity: '中标候选人公示',
  awarded: '已定标',
  contracted: '已签订合同',
  failed: '招标失败',
} as const;
export type DealStage = keyof typeof DEAL_STAGES;

/**
 * The cities' channel names in URLs (`/city/140100-taiyuan/`): the GB/T 2260 code, which the
 * server routes by, and the city's name in pinyin, which a reader recognises. The code decides;
 * a wrong or missing name redirects to the right one.
 */
export const CITY_SLUGS: Record<string, string> = {
  '140100': 'taiyuan',
  '140200': 'datong',
  '140300': 'yangquan',
  '140400': 'changzhi',
  '140500': 'jincheng',
  '140600': 'shuozhou',
  '140700': 'jinzhong',
  '140800': 'yuncheng',
  '140900': 'xinzhou',
  '141000': 'linfen',
  '141100': 'lvliang',
};

export interface CityChannel {
  code: string;
  slug: string;
  name: string;
  /** `140100-taiyuan` */
  path: string;
}

export function cityChannels(regions: RegionTree): CityChannel[] {
  return Object.entries(CITY_SLUGS).map(([code, slug]) => ({ code, slug, name: regions.get(code)?.name ?? code, path: `${code}-${slug}` }));
}

/** The city of a region code (level 2), or null for the province itself. */
export function cityCodeOf(regions: RegionTree, regionCode: string): string | null {
  return regions.cityOf(regionCode)?.code ?? null;
}
