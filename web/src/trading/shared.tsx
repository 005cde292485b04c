// Shared pieces of the tender screens: labels, the deal code's display form, money, instants in
// China Standard Time for the pickers, and the law's timetable as hints beside the fields.
//
// The hints use the platform's own working-day calendar (src/platform/calendar, the same holiday
// data the server counts with) and the numbers of DEFAULT_TENDER_RULES
// (src/modules/trading/trading.schedule.ts). They only explain: the server checks every schedule
// again and its refusal, shown on the field it names, is what counts.
import { Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { addDays, chinaDate, dayInfo, endOfChinaDayExclusive, firstWorkingDayFrom, periodEnd, startOfChinaDay } from '../../../src/platform/calendar/china-calendar';
import type { LotKind, PassFailCategory, TenderCategory, TenderMethod, TenderProjectStatus } from '../types';

export const TENDER_CATEGORY_LABELS: Record<TenderCategory, string> = {
  construction_works: '工程施工',
  survey: '工程勘察',
  design: '工程设计',
  supervision: '工程监理',
  goods: '与工程建设有关的货物',
  services: '与工程建设有关的服务',
};

export const TENDER_METHOD_LABELS: Record<TenderMethod, string> = { open: '公开招标', invited: '邀请招标' };

export const LOT_KIND_LABELS: Record<LotKind, string> = { construction: '施工', goods: '货物', services: '服务', survey: '勘察', design: '设计', supervision: '监理' };

export const PASS_FAIL_CATEGORY_LABELS: Record<PassFailCategory, string> = { formal: '形式评审', qualification: '资格评审', responsiveness: '响应性评审' };

export const PROJECT_STATUS_COLORS: Record<TenderProjectStatus, string> = {
  draft: 'default',
  submitted: 'blue',
  returned: 'orange',
  accepted: 'cyan',
  notice_review: 'geekblue',
  bidding: 'green',
  after_deadline: 'purple',
  finished: 'default',
};

export function ProjectStatusTag({ status, name }: { status: TenderProjectStatus; name: string }) {
  return <Tag color={PROJECT_STATUS_COLORS[status] ?? 'default'}>{name}</Tag>;
}

/** `USCC-yyyyMMdd-NNNNNN-C` for a stored deal code; a lot code (36 characters) gets `-NNN` too. */
export function formatDealCode(code: string | null | undefined): string {
  if (!code) return '—';
  const base = `${code.slice(0, 18)}-${code.slice(18, 26)}-${code.slice(26, 32)}-${code.slice(32, 33)}`;
  return code.length === 36 ? `${base}-${code.slice(33)}` : base;
}

/** `12,345.67` from integer fen. */
export function formatYuan(fen: number): string {
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
}

/** Fen from a yuan string of the API's form (`123.45`), or undefined. */
export function parseYuan(text: string | null | undefined): number | undefined {
  const t = (text ?? '').trim();
  if (!/^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$/.test(t)) return undefined;
  const [whole, frac = ''] = t.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

export const YUAN_PATTERN = /^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$/;

// ---- instants in China Standard Time ----

const CST_MS = 8 * 3_600_000;

/** A picker value showing the instant's CST wall-clock time, whatever the browser's zone. */
export function toPicker(iso: string | null | undefined): Dayjs | undefined {
  if (!iso) return undefined;
  const t = new Date(Date.parse(iso) + CST_MS);
  return dayjs(new Date(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes()));
}

/** The instant (ISO) of a picker value read as CST wall-clock time. */
export function fromPicker(value: Dayjs): string {
  return new Date(Date.UTC(value.year(), value.month(), value.date(), value.hour(), value.minute()) - CST_MS).toISOString();
}

/** `YYYY-MM-DD HH:mm` CST of an instant. */
export function cst(iso: string | Date | null | undefined): string {
  if (!iso) return '—';
  const t = new Date((typeof iso === 'string' ? Date.parse(iso) : iso.getTime()) + CST_MS).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 16)}`;
}

export const PICKER_FORMAT = 'YYYY-MM-DD HH:mm';

// ---- the law's timetable, for hints (DEFAULT_TENDER_RULES) ----

export const TENDER_RULES = {
  /** 招标投标法第二十四条 */
  bidPeriodMinDays: 20,
  /** 招标投标法实施条例第十六条 */
  documentsPeriodMinDays: 5,
  /** 招标投标法第二十三条、实施条例第二十一条 */
  clarificationMinDays: 15,
  /** 实施条例第二十二条 */
  objectionMinDaysBeforeDeadline: 10,
  /** 实施条例第二十六条: 2% of the estimated price */
  bidSecurityMaxRateBasisPoints: 200,
  bidSecurityCapYuan: { construction: 800_000, goods: 800_000, survey: 100_000, design: 100_000, services: null, supervision: null } as Record<LotKind, number | null>,
  decryption: { defaultMinutes: 60, minMinutes: 10, maxMinutes: 240 },
  bidValidity: { min: 30, max: 365, default: 90 },
} as const;

/** The first day the bid deadline may fall on: the 20-day period's last day (moved past rest days). */
export function earliestDeadlineDay(documentsFrom: Date): string {
  return periodEnd(chinaDate(documentsFrom), TENDER_RULES.bidPeriodMinDays).date;
}

/** The first day the documents' period may end on. */
export function earliestDocumentsUntilDay(documentsFrom: Date): string {
  return periodEnd(chinaDate(documentsFrom), TENDER_RULES.documentsPeriodMinDays).date;
}

/** Why a day cannot hold the deadline (a rest day), with the next working day; null when it can. */
export function restDayProblem(instant: Date): string | null {
  const day = chinaDate(instant);
  const info = dayInfo(day);
  if (info.working) return null;
  const what = info.kind === 'holiday' ? `${info.holiday ?? ''}假期` : '周末';
  return `${day} 为${what}，投标截止（即开标）不得安排在非工作日，可改为 ${firstWorkingDayFrom(day).date}`;
}

/** The last instant (exclusive) objections to the documents are accepted: day D − 10, moved past rest days but never onto D. */
export function objectionClosesAt(deadline: Date): { lastDay: string; closesAt: Date } {
  const deadlineDay = chinaDate(deadline);
  const moved = firstWorkingDayFrom(addDays(deadlineDay, -TENDER_RULES.objectionMinDaysBeforeDeadline)).date;
  const lastDay = moved < deadlineDay ? moved : addDays(deadlineDay, -1);
  return { lastDay, closesAt: endOfChinaDayExclusive(lastDay) };
}

/** Whether a clarification issued now makes the deadline move, and the earliest new deadline day. */
export function clarificationEffect(now: Date, deadline: Date): { moves: boolean; earliestDay: string } {
  const earliestDay = periodEnd(chinaDate(now), TENDER_RULES.clarificationMinDays).date;
  return { moves: deadline.getTime() < startOfChinaDay(earliestDay).getTime(), earliestDay };
}

/** The highest bid security of a lot in fen: 2% of the estimate, capped by the lot kind's amount. */
export function bidSecurityLimitFen(estimatedPriceFen: number, kind: LotKind): number {
  const byRate = Number((BigInt(estimatedPriceFen) * BigInt(TENDER_RULES.bidSecurityMaxRateBasisPoints)) / 10_000n);
  const cap = TENDER_RULES.bidSecurityCapYuan[kind];
  return cap === null ? byRate : Math.min(byRate, cap * 100);
}
