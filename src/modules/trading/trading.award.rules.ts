// The timetable questions of the steps after the report, as pure rules over the law's numbers in
// trading.schedule.ts (DEFAULT_TENDER_RULES): each answers with the Chinese refusal, naming the
// rule and the last day, or nothing. No I/O, no clock: `now` is the deal's clock.

import { addDays, chinaDate, endOfChinaDayExclusive } from '../../platform/calendar/china-calendar.ts';
import { awardDue, awardLatestByValidity, candidatesPublicationDue, contractDue, deadlinePassed, DEFAULT_TENDER_RULES, type TenderRules, type Violation } from './trading.schedule.ts';

/** 实施条例 §54: the candidates are published within 3 days of the report. */
export function checkCandidatesPublication(reportAt: Date, now: Date, rules: TenderRules = DEFAULT_TENDER_RULES): Violation[] {
  const due = candidatesPublicationDue(reportAt, rules);
  if (!deadlinePassed(due.closesAt, now)) return [];
  return [{ field: 'publishedAt', rule: 'candidates_publication_days', message: `依法必须进行招标的项目，招标人应当自收到评标报告之日起 ${rules.candidates.publicationDays} 日内公示中标候选人（招标投标法实施条例第五十四条），本标段最迟应于 ${due.lastDay} 公示` }];
}

/**
 * The publicity is over from the day after the day it ends: an award on the publicity's last
 * day is refused even after the stated hour, since objections may come in all that day.
 */
export function publicityOverAt(until: Date): Date {
  return endOfChinaDayExclusive(chinaDate(new Date(until.getTime() - 1)));
}

export function checkPublicityOver(until: Date, now: Date): Violation[] {
  if (deadlinePassed(publicityOverAt(until), now)) return [];
  const lastDay = chinaDate(new Date(until.getTime() - 1));
  return [{ field: 'awardedAt', rule: 'publicity_not_over', message: `中标候选人公示期至 ${lastDay} 结束，公示期满后（${addDays(lastDay, 1)} 起）方可定标（招标投标法实施条例第五十四条）` }];
}

/** 30号令: within 15 days of the report; 评标委员会和评标方法暂行规定 §40: ≥ 30 working days before the bid validity ends. */
export function checkAwardTime(reportAt: Date, bidDeadline: Date, bidValidityDays: number, now: Date, rules: TenderRules = DEFAULT_TENDER_RULES): Violation[] {
  const v: Violation[] = [];
  const due = awardDue(reportAt, rules);
  if (deadlinePassed(due.closesAt, now)) {
    v.push({ field: 'awardedAt', rule: 'award_within_days', message: `招标人应当自收到评标报告之日起 ${rules.award.withinDaysOfReport} 日内确定中标人（工程建设项目施工招标投标办法第五十八条），本标段最迟应于 ${due.lastDay} 定标` });
  }
  const latest = awardLatestByValidity(bidDeadline, bidValidityDays, rules);
  if (deadlinePassed(latest.closesAt, now)) {
    v.push({ field: 'awardedAt', rule: 'award_before_validity', message: `定标应当在投标有效期结束日（${latest.validityEnds}）${rules.award.minWorkingDaysBeforeValidityEnd} 个工作日前完成（评标委员会和评标方法暂行规定第四十条），即不晚于 ${latest.lastDay}；请依法要求投标人延长投标有效期` });
  }
  return v;
}

/** 招标投标法 §46: the written contract within 30 days of the award notice. */
export function checkContractTime(awardAt: Date, now: Date, rules: TenderRules = DEFAULT_TENDER_RULES): Violation[] {
  const due = contractDue(awardAt, rules);
  if (!deadlinePassed(due.closesAt, now)) return [];
  return [{ field: 'recordedAt', rule: 'contract_within_days', message: `招标人和中标人应当自中标通知书发出之日起 ${rules.contractWithinDays} 日内订立书面合同（招标投标法第四十六条），本标段最迟应于 ${due.lastDay} 订立` }];
}

/** 招标投标法 §46: the contract's price may not depart from the winning bid — not by one fen. */
export function checkContractPrice(priceFen: number, winningFen: number, format: (fen: number) => string): Violation[] {
  if (priceFen === winningFen) return [];
  const diff = priceFen - winningFen;
  return [
    {
      field: 'price',
      rule: 'contract_price',
      message: `合同价款 ${format(priceFen)} 元与中标价 ${format(winningFen)} 元不一致（${diff > 0 ? '高出' : '低于'} ${format(Math.abs(diff))} 元）：招标人和中标人应当按照招标文件和中标人的投标文件订立书面合同，不得再行订立背离合同实质性内容的其他协议（招标投标法第四十六条）`,
    },
  ];
}
