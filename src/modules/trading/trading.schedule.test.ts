// The tender timetable at every boundary: the day before, the day, the day after (and the
// millisecond for instants), with the 2026 holidays moving periods' ends.

import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../platform/calendar/china-calendar.ts';
import {
  awardDue,
  awardLatestByValidity,
  bidSecurityLimit,
  calendarWarning,
  candidatesPublicationDue,
  checkBidSecurity,
  checkCandidateCount,
  checkCandidatesPublicity,
  checkClarificationDeadline,
  checkDecryptionMinutes,
  checkMinimumBids,
  checkObjectionFiled,
  checkPanelSize,
  checkTenderSchedule,
  clarificationEffect,
  complaintAcceptanceDue,
  complaintDecisionDue,
  complaintDue,
  contractDue,
  deadlinePassed,
  decryptionClosesAt,
  DEFAULT_TENDER_RULES,
  earliestDeadline,
  formatYuan,
  minBidValidityDays,
  objectionReplyDue,
  objectionWindow,
  securityRefundDue,
  type TenderRules,
  type TenderSchedule,
} from './trading.schedule.ts';

/** An instant given in China Standard Time: `2026-03-24 09:30` or `2026-03-24 09:29:59.999`. */
const cst = (s: string) => new Date(`${s.replace(' ', 'T')}+08:00`);
const rules = (patch: Partial<TenderRules>): TenderRules => ({ ...DEFAULT_TENDER_RULES, ...patch });
const rulesOf = (v: { rule: string }[]) => v.map((x) => x.rule);

describe('deadlinePassed: a deadline is an instant', () => {
  const deadline = cst('2026-03-24 09:30:00.000');
  it('a bid completed at 09:29:59.999 is on time, at 09:30:00.000 late', () => {
    expect(deadlinePassed(deadline, cst('2026-03-24 09:29:59.999'))).toBe(false);
    expect(deadlinePassed(deadline, cst('2026-03-24 09:30:00.000'))).toBe(true);
    expect(deadlinePassed(deadline, cst('2026-03-24 09:30:00.001'))).toBe(true);
  });
});

describe('earliestDeadline (招标投标法 §24: ≥ 20 days)', () => {
  it('DOMAIN.md §0: documents issued 1 March → 21 March at the earliest', () => {
    const e = earliestDeadline(cst('2025-03-01 09:00'));
    expect(e).toEqual({ at: cst('2025-03-21 00:00'), date: '2025-03-21', known: true });
  });

  it('the issue day is decided in CST, to the millisecond', () => {
    expect(earliestDeadline(cst('2025-02-28 23:59:59.999')).date).toBe('2025-03-20');
    expect(earliestDeadline(cst('2025-03-01 00:00:00.000')).date).toBe('2025-03-21');
  });

  it('moves past a weekend and the National Day holiday', () => {
    expect(earliestDeadline(cst('2026-03-01 09:00')).date).toBe('2026-03-23'); // 21 March is a Saturday
    expect(earliestDeadline(cst('2026-09-10 09:00')).date).toBe('2026-09-30');
    expect(earliestDeadline(cst('2026-09-11 09:00')).date).toBe('2026-10-08'); // nominal 1 October
    expect(earliestDeadline(cst('2026-09-20 09:00')).date).toBe('2026-10-10'); // make-up Saturday
  });

  it('reports a period reaching a year outside the data', () => {
    expect(earliestDeadline(cst('2026-12-20 09:00')).known).toBe(false);
    expect(calendarWarning([cst('2026-12-20 09:00'), cst('2027-01-11 09:30')])?.message).toContain('2027 年的法定节假日安排尚未录入');
    expect(calendarWarning([cst('2026-12-20 09:00')])).toBeNull();
  });
});

describe('checkTenderSchedule', () => {
  const now = cst('2026-03-04 08:00');
  const ok: TenderSchedule = {
    documentsFrom: cst('2026-03-04 09:00'),
    documentsUntil: cst('2026-03-09 17:00'),
    bidDeadline: cst('2026-03-24 09:30'),
    openingAt: cst('2026-03-24 09:30'),
    bidValidityDays: 90,
  };
  const check = (patch: Partial<TenderSchedule>, r = DEFAULT_TENDER_RULES, at = now) => checkTenderSchedule({ ...ok, ...patch }, at, r);

  it('accepts a lawful schedule', () => {
    expect(check({})).toEqual([]);
    expect(check({ openingAt: undefined })).toEqual([]);
  });

  it('bid period: the day before the earliest is refused with the rule and the date', () => {
    const v = check({ bidDeadline: cst('2026-03-23 17:00'), openingAt: undefined });
    expect(v).toEqual([
      { field: 'bidDeadline', rule: 'bid_period_min_days', message: '投标截止时间距招标文件开始发出之日不得少于 20 日（招标投标法第二十四条），最早可定于 2026-03-24' },
    ]);
    expect(check({ bidDeadline: cst('2026-03-24 00:00'), openingAt: undefined })).toEqual([]);
    expect(check({ bidDeadline: cst('2026-03-25 09:30'), openingAt: undefined })).toEqual([]);
  });

  it('the DOMAIN.md example: 20 March is short, 21 March is not', () => {
    const s = { documentsFrom: cst('2025-03-01 09:00'), documentsUntil: cst('2025-03-06 17:00'), openingAt: undefined, bidValidityDays: 90 };
    const at = cst('2025-03-01 08:00');
    expect(rulesOf(checkTenderSchedule({ ...s, bidDeadline: cst('2025-03-20 09:30') }, at))).toEqual(['bid_period_min_days']);
    expect(checkTenderSchedule({ ...s, bidDeadline: cst('2025-03-21 09:30') }, at)).toEqual([]);
  });

  it('documents period ≥ 5 days, moved past a weekend', () => {
    // From Wednesday 4 March: nominal last day Monday 9 March.
    expect(rulesOf(check({ documentsUntil: cst('2026-03-08 23:59:59.999') }))).toEqual(['documents_period_min_days']);
    expect(check({ documentsUntil: cst('2026-03-09 00:00') })).toEqual([]);
    expect(check({ documentsUntil: cst('2026-03-10 17:00') })).toEqual([]);
    // From Monday 2 March: nominal Saturday 7 March → Monday 9 March.
    const v = check({ documentsFrom: cst('2026-03-02 09:00'), documentsUntil: cst('2026-03-07 17:00') }, DEFAULT_TENDER_RULES, cst('2026-03-02 08:00'));
    expect(v).toEqual([{ field: 'documentsUntil', rule: 'documents_period_min_days', message: '招标文件发售期不得少于 5 日（招标投标法实施条例第十六条），发售截止最早可定于 2026-03-09' }]);
  });

  it('documents window inside the bid period', () => {
    expect(check({ documentsUntil: cst('2026-03-24 09:30') })).toEqual([]);
    expect(rulesOf(check({ documentsUntil: cst('2026-03-24 09:30:00.001') }))).toEqual(['documents_within_bid_period']);
    expect(rulesOf(check({ documentsUntil: cst('2026-03-04 09:00') }))).toEqual(['documents_window_order']);
  });

  it('times in the past are refused, unless the documents are already out', () => {
    expect(check({}, DEFAULT_TENDER_RULES, cst('2026-03-04 09:00'))).toEqual([]);
    const late = cst('2026-03-04 09:00:00.001');
    expect(check({}, DEFAULT_TENDER_RULES, late).map((x) => [x.field, x.rule])).toEqual([['documentsFrom', 'not_in_past']]);
    expect(checkTenderSchedule(ok, cst('2026-03-20 10:00'), DEFAULT_TENDER_RULES, undefined, { documentsIssued: true })).toEqual([]);
    expect(rulesOf(checkTenderSchedule(ok, cst('2026-03-24 09:30:00.001'), DEFAULT_TENDER_RULES, undefined, { documentsIssued: true }))).toEqual(['not_in_past', 'not_in_past']);
  });

  it('the opening is at the deadline instant (招标投标法 §34)', () => {
    const v = check({ openingAt: cst('2026-03-24 09:30:00.001') });
    expect(v).toEqual([{ field: 'openingAt', rule: 'opening_at_deadline', message: '开标应当在投标截止时间的同一时间（2026-03-24 09:30:00）进行（招标投标法第三十四条）' }]);
  });

  it('a deadline on a rest day is refused (practice, configurable); a make-up Saturday is fine', () => {
    const sat = check({ bidDeadline: cst('2026-03-28 09:30'), openingAt: undefined });
    expect(sat).toEqual([{ field: 'bidDeadline', rule: 'deadline_working_day', message: '投标截止时间即开标时间，不得安排在非工作日（2026-03-28 为周末），可改为 2026-03-30' }]);
    const sept = { documentsFrom: cst('2026-09-01 09:00'), documentsUntil: cst('2026-09-08 17:00'), openingAt: undefined };
    const at = cst('2026-09-01 08:00');
    expect(check({ ...sept, bidDeadline: cst('2026-10-07 09:30') }, DEFAULT_TENDER_RULES, at)[0]?.message).toContain('2026-10-07 为国庆节假期），可改为 2026-10-08');
    expect(check({ ...sept, bidDeadline: cst('2026-10-08 09:30') }, DEFAULT_TENDER_RULES, at)).toEqual([]);
    expect(check({ ...sept, bidDeadline: cst('2026-10-10 09:30') }, DEFAULT_TENDER_RULES, at)).toEqual([]);
    expect(check({ bidDeadline: cst('2026-03-28 09:30'), openingAt: undefined }, rules({ deadlineOnWorkingDay: false }))).toEqual([]);
  });

  it('bid validity long enough to award 30 working days before it ends (Labour Day and a make-up Saturday inside)', () => {
    // Deadline 24 March: award window needs ≥ 15 days → latest award ≥ 8 April → validity end ≥ 22 May.
    expect(minBidValidityDays(ok.bidDeadline)).toBe(59);
    expect(check({ bidValidityDays: 59 })).toEqual([]);
    const v = check({ bidValidityDays: 58 });
    expect(rulesOf(v)).toEqual(['bid_validity_award_window']);
    expect(v[0]?.message).toContain('投标有效期结束日（2026-05-21）30 个工作日前完成');
    expect(v[0]?.message).toContain('投标有效期至少应为 59 日');
    expect(rulesOf(check({ bidValidityDays: 0 }))).toEqual(['positive_integer']);
    expect(rulesOf(check({ bidValidityDays: 60.5 }))).toEqual(['positive_integer']);
  });
});

describe('clarification or amendment (≥ 15 days before the deadline)', () => {
  const issued = cst('2026-03-02 10:00'); // 15 days → 17 March
  it('both sides of the boundary', () => {
    expect(clarificationEffect(issued, cst('2026-03-17 09:30'))).toEqual({ movesDeadline: false, earliestDeadline: cst('2026-03-17 00:00'), suggestedDeadline: cst('2026-03-17 09:30'), known: true });
    expect(clarificationEffect(issued, cst('2026-03-17 00:00')).movesDeadline).toBe(false);
    const moved = clarificationEffect(issued, cst('2026-03-16 23:59:59.999'));
    expect(moved.movesDeadline).toBe(true);
    expect(moved.suggestedDeadline).toEqual(cst('2026-03-17 23:59:59.999'));
    expect(clarificationEffect(issued, cst('2026-03-16 09:30')).suggestedDeadline).toEqual(cst('2026-03-17 09:30'));
    expect(clarificationEffect(issued, cst('2026-03-18 09:30')).movesDeadline).toBe(false);
  });

  it('the issue instant is placed in its CST day', () => {
    expect(clarificationEffect(cst('2026-03-02 23:59:59.999'), cst('2026-03-17 09:30')).movesDeadline).toBe(false);
    expect(clarificationEffect(cst('2026-03-03 00:00'), cst('2026-03-17 09:30')).movesDeadline).toBe(true);
  });

  it('a period ending in the National Day holiday moves to 8 October', () => {
    expect(clarificationEffect(cst('2026-09-15 10:00'), cst('2026-09-30 09:30')).movesDeadline).toBe(false);
    const e = clarificationEffect(cst('2026-09-16 10:00'), cst('2026-09-30 09:30'));
    expect(e).toMatchObject({ movesDeadline: true, earliestDeadline: cst('2026-10-08 00:00'), suggestedDeadline: cst('2026-10-08 09:30') });
  });

  it('names the rule when the proposed deadline is too close', () => {
    expect(checkClarificationDeadline(issued, cst('2026-03-17 09:30'))).toEqual([]);
    const v = checkClarificationDeadline(issued, cst('2026-03-16 09:30'));
    expect(v[0]?.rule).toBe('clarification_min_days');
    expect(v[0]?.message).toContain('至少 15 日前');
    expect(v[0]?.message).toContain('最早可定于 2026-03-17');
  });

  it('prequalification: ≥ 3 days before the application deadline', () => {
    expect(clarificationEffect(issued, cst('2026-03-05 09:00'), DEFAULT_TENDER_RULES, undefined, 'prequalification').movesDeadline).toBe(false);
    expect(clarificationEffect(issued, cst('2026-03-04 17:00'), DEFAULT_TENDER_RULES, undefined, 'prequalification').movesDeadline).toBe(true);
    expect(checkClarificationDeadline(issued, cst('2026-03-04 17:00'), DEFAULT_TENDER_RULES, undefined, 'prequalification')[0]?.rule).toBe('prequal_clarification_min_days');
  });
});

describe('objections to the tender documents', () => {
  it('until 10 days before the deadline, to the millisecond', () => {
    const d = cst('2026-03-26 09:30'); // D − 10 = Monday 16 March
    expect(objectionWindow(d)).toEqual({ lastDay: '2026-03-16', closesAt: cst('2026-03-17 00:00'), known: true });
    expect(checkObjectionFiled(cst('2026-03-16 23:59:59.999'), d)).toEqual([]);
    const late = checkObjectionFiled(cst('2026-03-17 00:00:00.000'), d);
    expect(late).toEqual([{ field: 'filedAt', rule: 'objection_window', message: '对招标文件有异议的，应当在投标截止时间 10 日前提出（招标投标法实施条例第二十二条），本项目异议截止于 2026-03-16 24:00' }]);
  });

  it('a last day on a rest day moves to the next working day (configurable)', () => {
    const d = cst('2026-03-24 09:30'); // D − 10 = Saturday 14 March
    expect(objectionWindow(d).lastDay).toBe('2026-03-16');
    const strict = rules({ objection: { ...DEFAULT_TENDER_RULES.objection, restDayExtends: false } });
    expect(objectionWindow(d, strict)).toEqual({ lastDay: '2026-03-14', closesAt: cst('2026-03-15 00:00'), known: true });
    expect(objectionWindow(cst('2026-02-25 09:30')).lastDay).toBe('2026-02-24'); // D − 10 = 15 Feb, Spring Festival
    expect(objectionWindow(cst('2026-02-24 09:30')).lastDay).toBe('2026-02-14'); // make-up Saturday
  });

  it('never moves onto the deadline day', () => {
    const cal = createCalendar({ version: 't', years: { 2030: { source: 't', holidays: [{ name: '测试', dates: ['2030-03-01', '2030-03-02', '2030-03-03', '2030-03-04', '2030-03-05', '2030-03-06', '2030-03-07', '2030-03-08', '2030-03-09', '2030-03-10', '2030-03-11', '2030-03-12'] }], workdays: [] } } });
    expect(objectionWindow(cst('2030-03-13 09:30'), DEFAULT_TENDER_RULES, cal).lastDay).toBe('2030-03-12');
  });

  it('the reply is due within 3 days of receipt, moved past rest days', () => {
    expect(objectionReplyDue(cst('2026-03-02 15:00'))).toEqual({ lastDay: '2026-03-05', closesAt: cst('2026-03-06 00:00'), known: true });
    expect(objectionReplyDue(cst('2026-03-04 15:00')).lastDay).toBe('2026-03-09'); // nominal Saturday
    expect(objectionReplyDue(cst('2026-03-06 15:00')).lastDay).toBe('2026-03-09');
    expect(objectionReplyDue(cst('2026-02-11 15:00')).lastDay).toBe('2026-02-14'); // make-up Saturday
    expect(objectionReplyDue(cst('2026-02-12 15:00')).lastDay).toBe('2026-02-24');
  });
});

describe('bid security (≤ 2%, ≤ 800,000 yuan; ≤ 100,000 for survey/design)', () => {
  const yuan = (n: number) => n * 100;
  it('2% and the cap meet at 40,000,000 yuan for construction', () => {
    expect(bidSecurityLimit(yuan(40_000_000), 'construction')).toEqual({ limitFen: yuan(800_000), byRateFen: yuan(800_000), capFen: yuan(800_000) });
    expect(checkBidSecurity(yuan(800_000), yuan(40_000_000), 'construction')).toEqual([]);
    expect(rulesOf(checkBidSecurity(yuan(800_000) + 1, yuan(40_000_000), 'construction'))).toEqual(['bid_security_max']);
    expect(bidSecurityLimit(yuan(50_000_000), 'construction').limitFen).toBe(yuan(800_000));
    expect(bidSecurityLimit(yuan(10_000_000), 'construction').limitFen).toBe(yuan(200_000));
    expect(bidSecurityLimit(yuan(50_000_000), 'goods').limitFen).toBe(yuan(800_000));
  });

  it('survey and design are capped at 100,000 yuan; services and supervision by the rate alone', () => {
    expect(bidSecurityLimit(yuan(5_000_000), 'survey').limitFen).toBe(yuan(100_000));
    expect(bidSecurityLimit(yuan(5_000_000), 'design').limitFen).toBe(yuan(100_000));
    expect(bidSecurityLimit(yuan(4_999_999), 'design').limitFen).toBe(9_999_998);
    expect(bidSecurityLimit(yuan(100_000_000), 'services')).toEqual({ limitFen: yuan(2_000_000), byRateFen: yuan(2_000_000), capFen: null });
    expect(bidSecurityLimit(yuan(100_000_000), 'supervision').limitFen).toBe(yuan(2_000_000));
  });

  it('rounds 2% down to the fen, exactly, even near 2^53', () => {
    expect(bidSecurityLimit(12_345, 'construction').byRateFen).toBe(246); // 246.9
    expect(checkBidSecurity(246, 12_345, 'construction')).toEqual([]);
    expect(checkBidSecurity(247, 12_345, 'construction')).not.toEqual([]);
    expect(bidSecurityLimit(Number.MAX_SAFE_INTEGER, 'services').byRateFen).toBe(180_143_985_094_819);
  });

  it('names the numbers and the law in the message', () => {
    const [v] = checkBidSecurity(yuan(900_000), yuan(60_000_000), 'construction');
    expect(v?.message).toBe('投标保证金不得超过招标项目估算价的 2%（招标投标法实施条例第二十六条），施工招标的投标保证金最高不得超过 800,000.00 元（工程建设项目施工招标投标办法第三十七条）；本标段最高 800,000.00 元，填写的是 900,000.00 元');
    expect(checkBidSecurity(yuan(150_000), yuan(6_000_000), 'survey')[0]?.message).toContain('勘察招标的投标保证金最高不得超过 100,000.00 元');
  });

  it('refuses amounts that are not integer fen', () => {
    expect(rulesOf(checkBidSecurity(1.5, yuan(1_000), 'goods'))).toEqual(['integer_fen']);
    expect(rulesOf(checkBidSecurity(-1, yuan(1_000), 'goods'))).toEqual(['integer_fen']);
    expect(checkBidSecurity(0, 0, 'goods')[0]?.field).toBe('estimatedPriceFen');
    expect(() => bidSecurityLimit(0.5, 'goods')).toThrow(RangeError);
    expect(formatYuan(80_000_001)).toBe('800,000.01');
  });

  it('is refunded within 5 days of the contract', () => {
    expect(securityRefundDue(cst('2026-02-09 10:00')).lastDay).toBe('2026-02-14'); // make-up Saturday
    expect(securityRefundDue(cst('2026-02-10 10:00')).lastDay).toBe('2026-02-24');
    expect(securityRefundDue(cst('2026-03-02 10:00'))).toEqual({ lastDay: '2026-03-09', closesAt: cst('2026-03-10 00:00'), known: true });
  });
});

describe('opening', () => {
  it('needs at least 3 bids', () => {
    expect(rulesOf(checkMinimumBids(2))).toEqual(['minimum_bids']);
    expect(checkMinimumBids(3)).toEqual([]);
    expect(checkMinimumBids(2)[0]?.message).toContain('投标人少于 3 个的，不得开标');
  });

  it('decryption window 10–240 minutes, closing at opening + minutes', () => {
    expect(rulesOf(checkDecryptionMinutes(9))).toEqual(['decryption_minutes_range']);
    expect(checkDecryptionMinutes(10)).toEqual([]);
    expect(checkDecryptionMinutes(DEFAULT_TENDER_RULES.decryption.defaultMinutes)).toEqual([]);
    expect(checkDecryptionMinutes(240)).toEqual([]);
    expect(rulesOf(checkDecryptionMinutes(241))).toEqual(['decryption_minutes_range']);
    expect(rulesOf(checkDecryptionMinutes(60.5))).toEqual(['decryption_minutes_range']);
    expect(decryptionClosesAt(cst('2026-03-24 09:30'), 60)).toEqual(cst('2026-03-24 10:30'));
  });
});

describe('evaluation panel (≥ 5, odd, experts ≥ 2/3)', () => {
  it('size', () => {
    expect(rulesOf(checkPanelSize(3, 3))).toEqual(['panel_size']);
    expect(rulesOf(checkPanelSize(4, 4))).toEqual(['panel_size']);
    expect(checkPanelSize(5, 5)).toEqual([]);
    expect(rulesOf(checkPanelSize(6, 6))).toEqual(['panel_size']);
    expect(checkPanelSize(7, 7)).toEqual([]);
    expect(checkPanelSize(6, 4, rules({ panel: { ...DEFAULT_TENDER_RULES.panel, odd: false } }))).toEqual([]);
  });

  it('experts share, exactly at two thirds', () => {
    expect(checkPanelSize(5, 4)).toEqual([]); // 4/5 ≥ 2/3
    expect(checkPanelSize(5, 3)).toEqual([{ field: 'experts', rule: 'panel_experts_share', message: '技术、经济等方面的专家不得少于评标委员会成员总数的 2/3（招标投标法第三十七条）：5 人的委员会至少需要 4 名专家，当前为 3 名' }]);
    expect(checkPanelSize(9, 6)).toEqual([]); // exactly 2/3
    expect(rulesOf(checkPanelSize(9, 5))).toEqual(['panel_experts_share']);
    expect(rulesOf(checkPanelSize(5, 6))).toEqual(['panel_experts_count']);
  });
});

describe('candidates, award, contract', () => {
  it('at most 3 candidates', () => {
    expect(rulesOf(checkCandidateCount(0))).toEqual(['candidates_max']);
    expect(checkCandidateCount(3)).toEqual([]);
    expect(rulesOf(checkCandidateCount(4))).toEqual(['candidates_max']);
  });

  it('published within 3 days of the report', () => {
    expect(candidatesPublicationDue(cst('2026-03-02 18:00'))).toEqual({ lastDay: '2026-03-05', closesAt: cst('2026-03-06 00:00'), known: true });
    expect(candidatesPublicationDue(cst('2026-03-04 18:00')).lastDay).toBe('2026-03-09');
    expect(candidatesPublicationDue(cst('2026-03-05 18:00')).lastDay).toBe('2026-03-09');
    expect(deadlinePassed(candidatesPublicationDue(cst('2026-03-02 18:00')).closesAt, cst('2026-03-05 23:59:59.999'))).toBe(false);
  });

  it('publicity ≥ 3 days, moved past the Labour Day holiday', () => {
    const from = cst('2026-03-09 09:00');
    expect(rulesOf(checkCandidatesPublicity(from, cst('2026-03-11 23:59:59.999')))).toEqual(['publicity_min_days']);
    expect(checkCandidatesPublicity(from, cst('2026-03-12 09:00'))).toEqual([]);
    expect(checkCandidatesPublicity(from, cst('2026-03-13 09:00'))).toEqual([]);
    const may = cst('2026-04-30 09:00'); // nominal 3 May → 6 May
    expect(checkCandidatesPublicity(may, cst('2026-05-05 17:00'))[0]?.message).toBe('中标候选人公示期不得少于 3 日（招标投标法实施条例第五十四条），公示最早可于 2026-05-06 结束');
    expect(checkCandidatesPublicity(may, cst('2026-05-06 17:00'))).toEqual([]);
    expect(rulesOf(checkCandidatesPublicity(from, from))).toEqual(['publicity_order']);
  });

  it('award within 15 days of the report', () => {
    expect(awardDue(cst('2026-09-15 18:00')).lastDay).toBe('2026-09-30');
    expect(awardDue(cst('2026-09-16 18:00'))).toEqual({ lastDay: '2026-10-08', closesAt: cst('2026-10-09 00:00'), known: true });
  });

  it('award ≥ 30 working days before the bid validity ends', () => {
    expect(awardLatestByValidity(cst('2026-03-24 09:30'), 59)).toEqual({ lastDay: '2026-04-08', closesAt: cst('2026-04-09 00:00'), known: true, validityEnds: '2026-05-22' });
    expect(awardLatestByValidity(cst('2026-03-24 09:30'), 58)).toMatchObject({ lastDay: '2026-04-07', validityEnds: '2026-05-21' });
    expect(awardLatestByValidity(cst('2026-03-24 09:30'), 60).validityEnds).toBe('2026-05-25'); // nominal Saturday
    expect(awardLatestByValidity(cst('2026-11-24 09:30'), 90).known).toBe(false);
  });

  it('contract within 30 days of the award notice', () => {
    expect(contractDue(cst('2026-01-14 10:00')).lastDay).toBe('2026-02-13');
    expect(contractDue(cst('2026-01-15 10:00')).lastDay).toBe('2026-02-14'); // make-up Saturday
    expect(contractDue(cst('2026-01-16 10:00')).lastDay).toBe('2026-02-24'); // Spring Festival
  });
});

describe('complaints (实施条例 §60–61)', () => {
  it('filed within 10 days of knowing', () => {
    expect(complaintDue(cst('2026-09-20 10:00')).lastDay).toBe('2026-09-30');
    expect(complaintDue(cst('2026-09-21 10:00')).lastDay).toBe('2026-10-08');
  });

  it('accepted within 3 working days, decided within 30 working days', () => {
    expect(complaintAcceptanceDue(cst('2026-09-30 10:00')).lastDay).toBe('2026-10-10'); // 8, 9, 10 (make-up Saturday)
    expect(complaintAcceptanceDue(cst('2026-03-06 10:00'))).toEqual({ lastDay: '2026-03-11', closesAt: cst('2026-03-12 00:00'), known: true });
    expect(complaintDecisionDue(cst('2026-03-02 10:00')).lastDay).toBe('2026-04-14'); // Qingming 4–6 April skipped
    expect(complaintDecisionDue(cst('2026-12-01 10:00')).known).toBe(false);
  });
});
