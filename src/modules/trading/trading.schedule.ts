// The timetable of a construction tender (DOMAIN.md §3) as pure rules: the tender procedure asks
// them before it accepts a schedule, a clarification, an objection, a security or a panel, and
// shows their Chinese messages as they are. No I/O and no clock: `now` and every instant are passed
// in; days are counted in China Standard Time by 民法典 §201/§203 (platform/calendar). Every
// number is configuration (DEFAULT_TENDER_RULES) with a test at its boundary.
//
// Money is integer fen as a JS number, like the trading tables (int8 parsed as a number): exact
// for every integer up to 2^53 fen (≈ 900 亿元, beyond any single lot), comparable with ===, and
// JSON-safe, which bigint is not. Products that could pass 2^53 (price × rate) are computed with
// BigInt and brought back, so no float ever decides a money comparison.

import {
  addDays,
  addWorkingDays,
  chinaDate,
  dayInfo,
  daysBetween,
  deadlinePassed,
  defaultCalendar,
  dueOf,
  endOfChinaDayExclusive,
  firstWorkingDayFrom,
  formatChinaTime,
  periodEnd,
  startOfChinaDay,
  type Calendar,
  type Due,
} from '../../platform/calendar/china-calendar.ts';
import type { FieldError } from '../../platform/errors.ts';
import type { LotKind } from './trading.tables.ts';

export type Violation = FieldError;
// Re-exported so the procedure finds every timetable answer here.
export { calendarWarning, deadlinePassed, type Due } from '../../platform/calendar/china-calendar.ts';

export interface TenderRules {
  /** 招标投标法 §24: from the day the documents are first issued to the bid deadline, ≥ 20 days. */
  bidPeriodMinDays: number;
  /** 招标投标法实施条例 §16: the documents' sale/download period ≥ 5 days. */
  documentsPeriodMinDays: number;
  /** 招标投标法 §23, 实施条例 §21: a clarification or amendment ≥ 15 days before the deadline, else the deadline moves. */
  clarificationMinDays: number;
  /** 实施条例 §21: a clarification of prequalification documents ≥ 3 days before the application deadline. */
  prequalClarificationMinDays: number;
  /** 实施条例 §22: objections to the documents until 10 days before the deadline; reply within 3 days; activity paused until then. */
  objection: {
    minDaysBeforeDeadline: number;
    replyDays: number;
    /** 民法典 §203 applied to the objector's period (it ends on day D − 10): a rest day moves it to the next working day (never onto the deadline day). On by default: refusing an objection the law admits denies a bidder's right, while admitting it only pauses the tender. */
    restDayExtends: boolean;
  };
  /** 招标投标法 §28, 实施条例 §44: fewer bids → no opening, re-tender. */
  minimumBids: number;
  bidSecurity: {
    /** 实施条例 §26: ≤ 2% of the estimated price (200 basis points). */
    maxRateBasisPoints: number;
    /** Whole yuan per kind of lot, null = the rate alone: 施工 30号令 §37 and 货物 27号令 80 万元; 勘察、设计 (勘察设计招标投标办法) 10 万元. */
    capYuan: Record<LotKind, number | null>;
  };
  /** 实施条例 §57: securities refunded within 5 days after the contract is signed. */
  securityRefundDays: number;
  /** 招标投标法 §37: ≥ 5 members, an odd number, technical and economic experts ≥ 2/3. */
  panel: { minMembers: number; odd: boolean; expertsMin: { numerator: number; denominator: number } };
  /** 实施条例 §53–54: ≤ 3 ranked candidates, published within 3 days of the report, publicity ≥ 3 days. */
  candidates: { max: number; publicationDays: number; publicityMinDays: number };
  /** 30号令: award within 15 days of the report; 评标委员会和评标方法暂行规定 §40: ≥ 30 working days before bid validity ends. */
  award: { withinDaysOfReport: number; minWorkingDaysBeforeValidityEnd: number };
  /** 招标投标法 §46: contract within 30 days of the award notice. */
  contractWithinDays: number;
  /** 实施条例 §60–61: complaint within 10 days of knowing; acceptance decided in 3 working days; decision in 30 working days. */
  complaint: { filingDays: number; acceptanceWorkingDays: number; decisionWorkingDays: number };
  /** 电子招标投标办法 §29–31 leave the decryption time to the documents (practice: 60 minutes). */
  decryption: { defaultMinutes: number; minMinutes: number; maxMinutes: number };
  /** Practice: a deadline (= opening) on a rest day is refused — nobody staffs the opening. */
  deadlineOnWorkingDay: boolean;
  /** Practice: the latest award day allowed by the bid validity must be at least this many days after the deadline (evaluation, 3 + 3 days of candidates publication and publicity, award). */
  bidValidityMinAwardWindowDays: number;
}

export const DEFAULT_TENDER_RULES: TenderRules = {
  bidPeriodMinDays: 20,
  documentsPeriodMinDays: 5,
  clarificationMinDays: 15,
  prequalClarificationMinDays: 3,
  objection: { minDaysBeforeDeadline: 10, replyDays: 3, restDayExtends: true },
  minimumBids: 3,
  bidSecurity: {
    maxRateBasisPoints: 200,
    capYuan: { construction: 800_000, goods: 800_000, survey: 100_000, design: 100_000, services: null, supervision: null },
  },
  securityRefundDays: 5,
  panel: { minMembers: 5, odd: true, expertsMin: { numerator: 2, denominator: 3 } },
  candidates: { max: 3, publicationDays: 3, publicityMinDays: 3 },
  award: { withinDaysOfReport: 15, minWorkingDaysBeforeValidityEnd: 30 },
  contractWithinDays: 30,
  complaint: { filingDays: 10, acceptanceWorkingDays: 3, decisionWorkingDays: 30 },
  decryption: { defaultMinutes: 60, minMinutes: 10, maxMinutes: 240 },
  deadlineOnWorkingDay: true,
  bidValidityMinAwardWindowDays: 15,
};

function restDayName(date: string, calendar: Calendar): string {
  const d = dayInfo(date, calendar);
  return d.kind === 'holiday' ? `${d.holiday}假期` : '周末';
}

// ---- bid period, documents, clarifications ----

export interface Earliest {
  /** 00:00 CST of the earliest day. */
  at: Date;
  date: string;
  known: boolean;
}

function earliestAfter(event: Date, days: number, calendar: Calendar): Earliest {
  const end = periodEnd(chinaDate(event), days, calendar);
  return { at: startOfChinaDay(end.date), date: end.date, known: end.known };
}

/** The earliest bid deadline: on the last day of the 20-day period that starts the day after the documents are first issued. */
export function earliestDeadline(documentsFrom: Date, rules: TenderRules = DEFAULT_TENDER_RULES, calendar: Calendar = defaultCalendar): Earliest {
  return earliestAfter(documentsFrom, rules.bidPeriodMinDays, calendar);
}

export interface TenderSchedule {
  documentsFrom: Date;
  documentsUntil: Date;
  bidDeadline: Date;
  /** Must equal the deadline when given (招标投标法 §34). */
  openingAt?: Date;
  bidValidityDays: number;
}

export interface ScheduleCheckOptions {
  /** The documents are already out: documentsFrom/documentsUntil are facts, not checked against `now`. */
  documentsIssued?: boolean;
}

export function checkTenderSchedule(
  s: TenderSchedule,
  now: Date,
  rules: TenderRules = DEFAULT_TENDER_RULES,
  calendar: Calendar = defaultCalendar,
  options: ScheduleCheckOptions = {},
): Violation[] {
  const v: Violation[] = [];
  const past = (field: keyof TenderSchedule, label: string, at: Date | undefined) => {
    if (at && at.getTime() < now.getTime()) v.push({ field, rule: 'not_in_past', message: `${label}（${formatChinaTime(at)}）不得早于当前时间（${formatChinaTime(now)}）` });
  };
  if (!options.documentsIssued) {
    past('documentsFrom', '招标文件开始发出时间', s.documentsFrom);
    past('documentsUntil', '招标文件发售截止时间', s.documentsUntil);
  }
  past('bidDeadline', '投标截止时间', s.bidDeadline);
  past('openingAt', '开标时间', s.openingAt);

  if (s.documentsUntil.getTime() <= s.documentsFrom.getTime()) {
    v.push({ field: 'documentsUntil', rule: 'documents_window_order', message: '招标文件发售截止时间应晚于开始发出时间' });
  } else {
    const end = periodEnd(chinaDate(s.documentsFrom), rules.documentsPeriodMinDays, calendar);
    if (chinaDate(s.documentsUntil) < end.date) {
      v.push({
        field: 'documentsUntil',
        rule: 'documents_period_min_days',
        message: `招标文件发售期不得少于 ${rules.documentsPeriodMinDays} 日（招标投标法实施条例第十六条），发售截止最早可定于 ${end.date}`,
      });
    }
  }
  if (s.documentsUntil.getTime() > s.bidDeadline.getTime()) {
    v.push({ field: 'documentsUntil', rule: 'documents_within_bid_period', message: `招标文件发售截止时间不得晚于投标截止时间（${formatChinaTime(s.bidDeadline)}）` });
  }

  const earliest = earliestDeadline(s.documentsFrom, rules, calendar);
  const deadlineDay = chinaDate(s.bidDeadline);
  if (deadlineDay < earliest.date) {
    v.push({
      field: 'bidDeadline',
      rule: 'bid_period_min_days',
      message: `投标截止时间距招标文件开始发出之日不得少于 ${rules.bidPeriodMinDays} 日（招标投标法第二十四条），最早可定于 ${earliest.date}`,
    });
  }
  if (rules.deadlineOnWorkingDay && !dayInfo(deadlineDay, calendar).working) {
    v.push({
      field: 'bidDeadline',
      rule: 'deadline_working_day',
      message: `投标截止时间即开标时间，不得安排在非工作日（${deadlineDay} 为${restDayName(deadlineDay, calendar)}），可改为 ${firstWorkingDayFrom(deadlineDay, calendar).date}`,
    });
  }
  if (s.openingAt && s.openingAt.getTime() !== s.bidDeadline.getTime()) {
    v.push({ field: 'openingAt', rule: 'opening_at_deadline', message: `开标应当在投标截止时间的同一时间（${formatChinaTime(s.bidDeadline)}）进行（招标投标法第三十四条）` });
  }

  if (!Number.isInteger(s.bidValidityDays) || s.bidValidityDays <= 0) {
    v.push({ field: 'bidValidityDays', rule: 'positive_integer', message: '投标有效期应为正整数天数' });
  } else {
    const latest = awardLatestByValidity(s.bidDeadline, s.bidValidityDays, rules, calendar);
    const window = daysBetween(deadlineDay, latest.lastDay);
    if (window < rules.bidValidityMinAwardWindowDays) {
      v.push({
        field: 'bidValidityDays',
        rule: 'bid_validity_award_window',
        message:
          `投标有效期 ${s.bidValidityDays} 日过短：定标最迟应在投标有效期结束日（${latest.validityEnds}）${rules.award.minWorkingDaysBeforeValidityEnd} 个工作日前完成（评标委员会和评标方法暂行规定第四十条），` +
          `即不晚于 ${latest.lastDay}，距投标截止仅 ${window} 日，不足评标和中标候选人公示所需的 ${rules.bidValidityMinAwardWindowDays} 日；投标有效期至少应为 ${minBidValidityDays(s.bidDeadline, rules, calendar)} 日`,
      });
    }
  }
  return v;
}

/** The shortest bid validity (days) that passes the award-window check for this deadline. */
export function minBidValidityDays(bidDeadline: Date, rules: TenderRules = DEFAULT_TENDER_RULES, calendar: Calendar = defaultCalendar): number {
  const deadlineDay = chinaDate(bidDeadline);
  for (let days = 1; days <= 1000; days++) {
    if (daysBetween(deadlineDay, awardLatestByValidity(bidDeadline, days, rules, calendar).lastDay) >= rules.bidValidityMinAwardWindowDays) return days;
  }
  throw new Error('minBidValidityDays: no bid validity up to 1000 days fits the rules');
}

export interface ClarificationEffect {
  /** The current deadline is too close: it must move to `earliestDeadline` or later. */
  movesDeadline: boolean;
  /** 00:00 CST of the earliest day a deadline may fall on after this clarification. */
  earliestDeadline: Date;
  /** The current deadline when it may stay, else the earliest day at the current deadline's time of day. */
  suggestedDeadline: Date;
  known: boolean;
}

/**
 * A clarification or amendment issued on day C needs N days before the deadline, counted as any
 * period (民法典 §201/§203): the deadline may fall on day C + N (moved past rest days) or later.
 * Issued 2026-03-02 with N = 15: a deadline on 2026-03-17 stays, one on 2026-03-16 moves.
 * (实施条例 §21 asks this of changes that may affect the preparation of bids; the procedure
 * decides which changes do and asks here only for those.)
 */
export function clarificationEffect(
  issuedAt: Date,
  currentDeadline: Date,
  rules: TenderRules = DEFAULT_TENDER_RULES,
  calendar: Calendar = defaultCalendar,
  kind: 'tender' | 'prequalification' = 'tender',
): ClarificationEffect {
  const e = earliestAfter(issuedAt, kind === 'tender' ? rules.clarificationMinDays : rules.prequalClarificationMinDays, calendar);
  const movesDeadline = currentDeadline.getTime() < e.at.getTime();
  const timeOfDay = currentDeadline.getTime() - startOfChinaDay(chinaDate(currentDeadline)).getTime();
  const suggestedDeadline = movesDeadline ? new Date(e.at.getTime() + timeOfDay) : currentDeadline;
  return { movesDeadline, earliestDeadline: e.at, suggestedDeadline, known: e.known };
}

/** Refuses a deadline (new or kept) that a clarification issued at `issuedAt` leaves too close. */
export function checkClarificationDeadline(
  issuedAt: Date,
  deadline: Date,
  rules: TenderRules = DEFAULT_TENDER_RULES,
  calendar: Calendar = defaultCalendar,
  kind: 'tender' | 'prequalification' = 'tender',
): Violation[] {
  const e = clarificationEffect(issuedAt, deadline, rules, calendar, kind);
  if (!e.movesDeadline) return [];
  const what =
    kind === 'tender'
      ? `澄清或者修改招标文件应当在投标截止时间至少 ${rules.clarificationMinDays} 日前发出，不足的应当顺延投标截止时间（招标投标法第二十三条、招标投标法实施条例第二十一条）`
      : `澄清或者修改资格预审文件应当在提交资格预审申请文件截止时间至少 ${rules.prequalClarificationMinDays} 日前发出，不足的应当顺延截止时间（招标投标法实施条例第二十一条）`;
  return [{ field: 'bidDeadline', rule: kind === 'tender' ? 'clarification_min_days' : 'prequal_clarification_min_days', message: `${what}，截止时间最早可定于 ${chinaDate(e.earliestDeadline)}` }];
}

// ---- objections ----

/**
 * Objections to the tender documents are accepted until `closesAt` (exclusive): the objector's
 * period ends on day D − 10 of a deadline on day D, moved past rest days when the rule says so
 * (but never onto the deadline day).
 */
export function objectionWindow(deadline: Date, rules: TenderRules = DEFAULT_TENDER_RULES, calendar: Calendar = defaultCalendar): Due {
  const deadlineDay = chinaDate(deadline);
  const nominal = addDays(deadlineDay, -rules.objection.minDaysBeforeDeadline);
  if (!rules.objection.restDayExtends) return { lastDay: nominal, closesAt: endOfChinaDayExclusive(nominal), known: true };
  const moved = firstWorkingDayFrom(nominal, calendar);
  const lastDay = moved.date < deadlineDay ? moved.date : addDays(deadlineDay, -1);
  return { lastDay, closesAt: endOfChinaDayExclusive(lastDay), known: moved.known };
}

/** The reply to an objection is due within 3 days of its receipt (实施条例 §22). */
export function objectionReplyDue(filedAt: Date, rules: TenderRules = DEFAULT_TENDER_RULES, calendar: Calendar = defaultCalendar): Due {
  return dueOf(periodEnd(chinaDate(filedAt), rules.objection.replyDays, calendar));
}

export function checkObjectionFiled(filedAt: Date, deadline: Date, rules: TenderRules = DEFAULT_TENDER_RULES, calendar: Calendar = defaultCalendar): Violation[] {
  const w = objectionWindow(deadline, rules, calendar);
  if (!deadlinePassed(w.closesAt, filedAt)) return [];
  return [{ field: 'filedAt', rule: 'objection_window', message: `对招标文件有异议的，应当在投标截止时间 ${rules.objection.minDaysBeforeDeadline} 日前提出（招标投标法实施条例第二十二条），本项目异议截止于 ${w.lastDay} 24:00` }];
}

// ---- money: bid security ----

const KIND_NAMES: Record<LotKind, string> = { construction: '施工', goods: '货物', services: '服务', survey: '勘察', design: '设计', supervision: '监理' };

/** `12,345.67` from integer fen, for messages. */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
}

function isFen(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

export interface BidSecurityLimit {
  limitFen: number;
  /** 2% of the estimated price, rounded down to the fen (a security may not exceed 2%). */
  byRateFen: number;
  capFen: number | null;
}

export function bidSecurityLimit(estimatedPriceFen: number, lotKind: LotKind, rules: TenderRules = DEFAULT_TENDER_RULES): BidSecurityLimit {
  if (!isFen(estimatedPriceFen)) throw new RangeError(`estimated price must be a non-negative safe integer of fen: ${estimatedPriceFen}`);
  const byRateFen = Number((BigInt(estimatedPriceFen) * BigInt(rules.bidSecurity.maxRateBasisPoints)) / 10_000n);
  const capYuan = rules.bidSecurity.capYuan[lotKind];
  const capFen = capYuan === null ? null : capYuan * 100;
  return { limitFen: capFen === null ? byRateFen : Math.min(byRateFen, capFen), byRateFen, capFen };
}

export function checkBidSecurity(amountFen: number, estimatedPriceFen: number, lotKind: LotKind, rules: TenderRules = DEFAULT_TENDER_RULES): Violation[] {
  if (!isFen(amountFen)) return [{ field: 'bidSecurityFen', rule: 'integer_fen', message: '投标保证金金额应为以分计的非负整数' }];
  if (!isFen(estimatedPriceFen) || estimatedPriceFen === 0) return [{ field: 'estimatedPriceFen', rule: 'integer_fen', message: '招标项目估算价应为以分计的正整数' }];
  const l = bidSecurityLimit(estimatedPriceFen, lotKind, rules);
  if (amountFen <= l.limitFen) return [];
  const rate = `${rules.bidSecurity.maxRateBasisPoints / 100}%`;
  const cap =
    l.capFen === null
      ? ''
      : `，${KIND_NAMES[lotKind]}招标的投标保证金最高不得超过 ${formatYuan(l.capFen)} 元（${lotKind === 'survey' || lotKind === 'design' ? '工程建设项目勘察设计招标投标办法' : lotKind === 'goods' ? '工程建设项目货物招标投标办法' : '工程建设项目施工招标投标办法第三十七条'}）`;
  return [
    {
      field: 'bidSecurityFen',
      rule: 'bid_security_max',
      message: `投标保证金不得超过招标项目估算价的 ${rate}（招标投标法实施条例第二十六条）${cap}；本标段最高 ${formatYuan(l.limitFen)} 元，填写的是 ${formatYuan(amountFen)} 元`,
    },
  ];
}

/** Securities are refunded within 5 days after the written contract (实施条例 §57). */
export function securityRefundDue(contractAt: Date, rules: TenderRules = DEFAULT_TENDER_RULES, calendar: Calendar = defaultCalendar): Due {
  return dueOf(periodEnd(chinaDate(contractAt), rules.securityRefundDays, calendar));
}

// ---- opening ----

export function checkMinimumBids(count: number, rules: TenderRules = DEFAULT_TENDER_RULES): Violation[] {
  if (count >= rules.minimumBids) return [];
  return [{ field: 'bids', rule: 'minimum_bids', message: `投标人少于 ${rules.minimumBids} 个的，不得开标，招标人应当重新招标（招标投标法实施条例第四十四条）；本标段仅收到 ${count} 份投标文件` }];
}

export function checkDecryptionMinutes(minutes: number, rules: TenderRules = DEFAULT_TENDER_RULES): Violation[] {
  const d = rules.decryption;
  if (Number.isInteger(minutes) && minutes >= d.minMinutes && minutes <= d.maxMinutes) return [];
  return [{ field: 'decryptionMinutes', rule: 'decryption_minutes_range', message: `开标解密时限应为 ${d.minMinutes}–${d.maxMinutes} 分钟的整数（默认 ${d.defaultMinutes} 分钟）` }];
}

/** Opening starts at the deadline instant; decryption is accepted until (exclusive) this instant. */
export function decryptionClosesAt(openingAt: Date, minutes: number): Date {
  return new Date(openingAt.getTime() + minutes * 60_000);
}

// ---- evaluation, candidates, award, contract ----

export function checkPanelSize(total: number, experts: number, rules: TenderRules = DEFAULT_TENDER_RULES): Violation[] {
  const p = rules.panel;
  const v: Violation[] = [];
  if (!Number.isInteger(total) || total < p.minMembers || (p.odd && total % 2 === 0)) {
    v.push({ field: 'members', rule: 'panel_size', message: `评标委员会成员人数应为 ${p.minMembers} 人以上${p.odd ? '单数' : ''}（招标投标法第三十七条），当前为 ${total} 人` });
  }
  const needed = Math.ceil((total * p.expertsMin.numerator) / p.expertsMin.denominator);
  if (!Number.isInteger(experts) || experts < 0 || experts > total) {
    v.push({ field: 'experts', rule: 'panel_experts_count', message: `专家人数应为 0 至 ${total} 之间的整数` });
  } else if (experts * p.expertsMin.denominator < total * p.expertsMin.numerator) {
    v.push({
      field: 'experts',
      rule: 'panel_experts_share',
      message: `技术、经济等方面的专家不得少于评标委员会成员总数的 ${p.expertsMin.numerator}/${p.expertsMin.denominator}（招标投标法第三十七条）：${total} 人的委员会至少需要 ${needed} 名专家，当前为 ${experts} 名`,
    });
  }
  return v;
}

export function checkCandidateCount(count: number, rules: TenderRules = DEFAULT_TENDER_RULES): Violation[] {
  if (Number.isInteger(count) && count >= 1 && count <= rules.candidates.max) return [];
  return [{ field: 'candidates', rule: 'candidates_max', message: `评标委员会推荐的中标候选人应当为 1 至 ${rules.candidates.max} 个，并标明排序（招标投标法实施条例第五十三条）` }];
}

/** The candidates must be published within 3 days of receiving the report (实施条例 §54). */
export function candidatesPublicationDue(reportAt: Date, rules: TenderRules = DEFAULT_TENDER_RULES, calendar: Calendar = defaultCalendar): Due {
  return dueOf(periodEnd(chinaDate(reportAt), rules.candidates.publicationDays, calendar));
}

/** Publicity of at least 3 days, counted from the day after it starts; it may end at any time on its last day. */
export function checkCandidatesPublicity(from: Date, until: Date, rules: TenderRules = DEFAULT_TENDER_RULES, calendar: Calendar = defaultCalendar): Violation[] {
  if (until.getTime() <= from.getTime()) return [{ field: 'publicityUntil', rule: 'publicity_order', message: '公示结束时间应晚于开始时间' }];
  const end = periodEnd(chinaDate(from), rules.candidates.publicityMinDays, calendar);
  if (chinaDate(until) >= end.date) return [];
  return [{ field: 'publicityUntil', rule: 'publicity_min_days', message: `中标候选人公示期不得少于 ${rules.candidates.publicityMinDays} 日（招标投标法实施条例第五十四条），公示最早可于 ${end.date} 结束` }];
}

/** The award is due within 15 days of the evaluation report (30号令). */
export function awardDue(reportAt: Date, rules: TenderRules = DEFAULT_TENDER_RULES, calendar: Calendar = defaultCalendar): Due {
  return dueOf(periodEnd(chinaDate(reportAt), rules.award.withinDaysOfReport, calendar));
}

export interface AwardByValidity extends Due {
  /** Last day of the bid validity: counted from the deadline day (30号令 §29), moved past rest days. */
  validityEnds: string;
}

/** The latest award day: 30 working days before the last day of the bid validity. */
export function awardLatestByValidity(
  bidDeadline: Date,
  bidValidityDays: number,
  rules: TenderRules = DEFAULT_TENDER_RULES,
  calendar: Calendar = defaultCalendar,
): AwardByValidity {
  const validity = periodEnd(chinaDate(bidDeadline), bidValidityDays, calendar);
  const latest = addWorkingDays(validity.date, -rules.award.minWorkingDaysBeforeValidityEnd, calendar);
  return { ...dueOf(latest), known: latest.known && validity.known, validityEnds: validity.date };
}

/** The contract is due within 30 days of the award notice (招标投标法 §46). */
export function contractDue(awardAt: Date, rules: TenderRules = DEFAULT_TENDER_RULES, calendar: Calendar = defaultCalendar): Due {
  return dueOf(periodEnd(chinaDate(awardAt), rules.contractWithinDays, calendar));
}

// ---- complaints (实施条例 §60–61) ----

export function complaintDue(knownAt: Date, rules: TenderRules = DEFAULT_TENDER_RULES, calendar: Calendar = defaultCalendar): Due {
  return dueOf(periodEnd(chinaDate(knownAt), rules.complaint.filingDays, calendar));
}

export function complaintAcceptanceDue(receivedAt: Date, rules: TenderRules = DEFAULT_TENDER_RULES, calendar: Calendar = defaultCalendar): Due {
  return dueOf(addWorkingDays(chinaDate(receivedAt), rules.complaint.acceptanceWorkingDays, calendar));
}

export function complaintDecisionDue(acceptedAt: Date, rules: TenderRules = DEFAULT_TENDER_RULES, calendar: Calendar = defaultCalendar): Due {
  return dueOf(addWorkingDays(chinaDate(acceptedAt), rules.complaint.decisionWorkingDays, calendar));
}
