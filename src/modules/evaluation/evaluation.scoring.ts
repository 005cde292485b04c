// Who scores what. Experts' points arrive as data (recorded by the trading procedure); the price
// criterion is computed by an `automatic` scorer from the opening prices; later issues plug in
// more scorers (automatic credit points, AI review) through the same `Scorer` shape.

import { divRoundHalfUp, fenToYuanString, fromCenti, hasAtMostTwoDecimals, percentToBasisPoints, toCenti } from './evaluation.math.ts';
import type { ComprehensiveMethod, EvaluationMethod, PriceFormula } from './evaluation.methods.ts';

// ---------------------------------------------------------------- input

export interface BidInput {
  bidId: string;
  bidderName: string;
  /** The opening price (开标价), integer fen. */
  priceFen: number;
  /** When the bid was completely received; the last tie-break. Absent → input order. */
  receivedAt?: Date;
  /** Members of the panel who voted to reject the bid (否决投标), and why. */
  rejected?: { byExperts: string[]; reason: string };
}

export interface PanelMember {
  expertId: string;
  name: string;
}

/** One expert's mark on one criterion of one bid: `points` for scored criteria, `pass` for pass/fail ones. */
export interface ExpertScore {
  expertId: string;
  bidId: string;
  criterionId: string;
  points?: number;
  pass?: boolean;
  reason?: string;
}

/** 经评审的最低投标价法: an amount the committee adds to (or, negative, takes from) a bid's price. */
export interface PriceAdjustment {
  bidId: string;
  amountFen: number;
  reason: string;
}

export interface EvaluationInput {
  bids: BidInput[];
  panel: PanelMember[];
  expertScores: ExpertScore[];
  adjustments?: PriceAdjustment[];
}

// ---------------------------------------------------------------- the plug-in shape

export interface ScoringBid {
  bidId: string;
  bidderName: string;
  priceFen: number;
}

export interface ScoringContext {
  method: EvaluationMethod;
  /** The bids still valid after rejections and the pass/fail review; the price benchmark uses them. */
  validBids: readonly ScoringBid[];
}

export interface CriterionScore {
  criterionId: string;
  /** 0 ≤ points ≤ the criterion's maximum, at most two decimals. */
  points: number;
  /** Chinese, shown in the report. */
  reason: string;
}

export interface Scorer {
  id: string;
  /** `automatic` scores count; `ai` scores are advice shown beside the experts' (experts confirm). */
  kind: 'expert' | 'automatic' | 'ai';
  criterionIds: string[];
  score(bid: ScoringBid, context: ScoringContext): CriterionScore[];
}

// ---------------------------------------------------------------- price

export interface PriceBenchmark {
  formula: PriceFormula['kind'];
  benchmarkFen: number;
  /** benchmark_mean: the mean of the prices used, rounded to the fen (shown only). */
  meanFen?: number;
  /** benchmark_mean: bids left out of the mean as the highest and the lowest price. */
  trimmedBidIds: string[];
  /** Bids whose prices entered the benchmark. */
  usedBidIds: string[];
}

/** The benchmark of the price formula over the valid bids; null when there is none. */
export function priceBenchmark(formula: PriceFormula, validBids: readonly ScoringBid[]): PriceBenchmark | null {
  if (validBids.length === 0) return null;
  if (formula.kind === 'lowest_price_benchmark') {
    const lowest = validBids.reduce((a, b) => (b.priceFen < a.priceFen ? b : a));
    return { formula: formula.kind, benchmarkFen: lowest.priceFen, trimmedBidIds: [], usedBidIds: validBids.map((b) => b.bidId) };
  }
  let used = [...validBids];
  const trimmed: string[] = [];
  if (formula.trimExtremes && validBids.length >= (formula.trimMinValidBids ?? 5)) {
    // One highest and one lowest; among equal prices the earlier bid in input order is dropped.
    const high = used.reduce((a, b) => (b.priceFen > a.priceFen ? b : a));
    used = used.filter((b) => b !== high);
    const low = used.reduce((a, b) => (b.priceFen < a.priceFen ? b : a));
    used = used.filter((b) => b !== low);
    trimmed.push(high.bidId, low.bidId);
  }
  const sum = used.reduce((acc, b) => acc + BigInt(b.priceFen), 0n);
  const n = BigInt(used.length);
  const keepBp = BigInt(10000 - percentToBasisPoints(formula.downwardCoefficientPercent));
  return {
    formula: formula.kind,
    benchmarkFen: Number(divRoundHalfUp(sum * keepBp, n * 10000n)),
    meanFen: Number(divRoundHalfUp(sum, n)),
    trimmedBidIds: trimmed,
    usedBidIds: used.map((b) => b.bidId),
  };
}

/** Price points in hundredths for one price against the benchmark (formulas: evaluation.methods.ts). */
export function priceScoreCenti(formula: PriceFormula, maxPoints: number, benchmarkFen: number, priceFen: number): number {
  const full = BigInt(toCenti(maxPoints));
  const price = BigInt(priceFen);
  const bench = BigInt(benchmarkFen);
  if (formula.kind === 'lowest_price_benchmark') return Number(divRoundHalfUp(full * bench, price));
  const diff = price - bench;
  if (diff === 0n) return Number(full);
  const perPercent = BigInt(toCenti(diff > 0n ? formula.deductPerPercentAbove : formula.deductPerPercentBelow));
  // deduction (points) = perPercent × |diff| / bench × 100; in hundredths one more × 100 over 100.
  const deduction = divRoundHalfUp(perPercent * (diff > 0n ? diff : -diff) * 100n, bench);
  return Number(full - deduction > 0n ? full - deduction : 0n);
}

function deviationText(priceFen: number, benchmarkFen: number): string {
  if (priceFen === benchmarkFen) return '等于评标基准价';
  const hundredthsOfPercent = divRoundHalfUp(BigInt(Math.abs(priceFen - benchmarkFen)) * 10000n, BigInt(benchmarkFen));
  return `${priceFen > benchmarkFen ? '高于' : '低于'}评标基准价 ${fromCenti(hundredthsOfPercent).toFixed(2)}%`;
}

/** The automatic scorer of the price criterion of a comprehensive method. */
export function createPriceScorer(method: ComprehensiveMethod): Scorer {
  const { formula, maxPoints, id } = method.price;
  const benchmarks = new WeakMap<readonly ScoringBid[], PriceBenchmark | null>();
  return {
    id: 'price-formula',
    kind: 'automatic',
    criterionIds: [id],
    score(bid, context) {
      let benchmark = benchmarks.get(context.validBids);
      if (benchmark === undefined) {
        benchmark = priceBenchmark(formula, context.validBids);
        benchmarks.set(context.validBids, benchmark);
      }
      if (!benchmark) return [];
      const centi = priceScoreCenti(formula, maxPoints, benchmark.benchmarkFen, bid.priceFen);
      const label = formula.kind === 'lowest_price_benchmark' ? '最低有效投标价' : '评标基准价';
      const reason = `${label} ${fenToYuanString(benchmark.benchmarkFen)} 元，投标报价 ${fenToYuanString(bid.priceFen)} 元，${
        formula.kind === 'lowest_price_benchmark' ? `得分 = ${maxPoints} × ${label} ÷ 投标报价` : deviationText(bid.priceFen, benchmark.benchmarkFen)
      }，得 ${fromCenti(centi).toFixed(2)} 分`;
      return [{ criterionId: id, points: fromCenti(centi), reason }];
    },
  };
}

// ---------------------------------------------------------------- validity

export interface PassFailOutcome {
  criterionId: string;
  name: string;
  passed: boolean;
  /** Experts who judged the bid failed, with their reasons. */
  failedBy: { expertId: string; reason: string }[];
}

export interface BidValidity {
  bidId: string;
  valid: boolean;
  /** Rejected by a majority of the panel (否决投标). */
  rejectedByMajority: boolean;
  passFail: PassFailOutcome[];
  /** Chinese reasons of the rejection; empty when valid. */
  reasons: string[];
}

/** A majority is more than half of the panel: 3 of 5, 4 of 6, 4 of 7. */
export function isMajority(votes: number, panelSize: number): boolean {
  return votes * 2 > panelSize;
}

export function bidValidity(method: EvaluationMethod, input: EvaluationInput): BidValidity[] {
  const panelIds = new Set(input.panel.map((m) => m.expertId));
  return input.bids.map((bid) => {
    const reasons: string[] = [];
    const votes = new Set((bid.rejected?.byExperts ?? []).filter((e) => panelIds.has(e)));
    const rejectedByMajority = bid.rejected !== undefined && isMajority(votes.size, input.panel.length);
    if (rejectedByMajority && bid.rejected) reasons.push(bid.rejected.reason);
    const passFail = method.passFail.map((c): PassFailOutcome => {
      const failedBy = input.expertScores
        .filter((s) => s.bidId === bid.bidId && s.criterionId === c.id && s.pass === false && panelIds.has(s.expertId))
        .map((s) => ({ expertId: s.expertId, reason: s.reason ?? '' }));
      const passed = !isMajority(new Set(failedBy.map((f) => f.expertId)).size, input.panel.length);
      if (!passed) reasons.push(`未通过${c.name}（评标委员会多数成员认定不合格）`);
      return { criterionId: c.id, name: c.name, passed, failedBy };
    });
    return { bidId: bid.bidId, valid: reasons.length === 0, rejectedByMajority, passFail, reasons };
  });
}

// ---------------------------------------------------------------- validation of the recorded data

/** A field error that also names the bid, criterion and expert it is about. */
export interface ScoreIssue {
  field: string;
  rule: string;
  message: string;
  bidId?: string;
  criterionId?: string;
  expertId?: string;
}

/**
 * Checks the committee's recorded data before aggregation: the panel and bids are well formed;
 * every expert judges every pass/fail criterion of every bid not rejected by a majority, and
 * scores every expert-scored criterion of every bid still valid; 0 ≤ points ≤ max with at most two
 * decimals; a reason is given for a score below `rules.reasonBelowPercentOfMax` % of the maximum
 * and for every "fail"; adjustments only under 经评审的最低投标价法, each with a reason. Scores
 * for a bid that is already invalid are allowed and ignored. Empty when all is well.
 */
export function validateExpertScores(method: EvaluationMethod, input: EvaluationInput): ScoreIssue[] {
  const issues: ScoreIssue[] = [];
  const expertName = new Map(input.panel.map((m) => [m.expertId, m.name]));
  const bidName = new Map(input.bids.map((b) => [b.bidId, b.bidderName]));
  const expertLabel = (id: string) => `专家${expertName.get(id) ?? id}`;
  const bidLabel = (id: string) => `投标人${bidName.get(id) ?? id}`;

  if (input.panel.length === 0) issues.push({ field: 'panel', rule: 'minItems', message: '评标委员会成员不能为空' });
  if (expertName.size !== input.panel.length) issues.push({ field: 'panel', rule: 'duplicate', message: '评标委员会成员重复' });
  if (bidName.size !== input.bids.length) issues.push({ field: 'bids', rule: 'duplicate', message: '投标编号重复' });
  input.bids.forEach((b, i) => {
    if (!Number.isSafeInteger(b.priceFen) || b.priceFen <= 0) {
      issues.push({ field: `bids.${i}.priceFen`, rule: 'price', message: `${bidLabel(b.bidId)}的投标报价必须是大于 0 的整数（单位：分）`, bidId: b.bidId });
    }
    if (!b.rejected) return;
    if (b.rejected.reason.trim() === '') issues.push({ field: `bids.${i}.rejected.reason`, rule: 'reason_required', message: `${bidLabel(b.bidId)}的否决投标必须说明理由`, bidId: b.bidId });
    for (const e of b.rejected.byExperts) {
      if (!expertName.has(e)) issues.push({ field: `bids.${i}.rejected.byExperts`, rule: 'unknown_expert', message: `${bidLabel(b.bidId)}的否决意见中 ${e} 不是评标委员会成员`, bidId: b.bidId, expertId: e });
    }
  });

  const scored = new Map(
    (method.kind === 'comprehensive' ? [...method.technical, ...method.commercial] : []).map((c) => [c.id, c]),
  );
  const passFail = new Map(method.passFail.map((c) => [c.id, c]));
  const priceId = method.kind === 'comprehensive' ? method.price.id : null;
  const seen = new Set<string>();
  input.expertScores.forEach((s, i) => {
    const at = `expertScores.${i}`;
    const ids = { bidId: s.bidId, criterionId: s.criterionId, expertId: s.expertId };
    const push = (field: string, rule: string, message: string) => issues.push({ field, rule, message, ...ids });
    const crit = scored.get(s.criterionId);
    const pf = passFail.get(s.criterionId);
    if (!expertName.has(s.expertId)) return push(`${at}.expertId`, 'unknown_expert', `${s.expertId} 不是评标委员会成员`);
    if (!bidName.has(s.bidId)) return push(`${at}.bidId`, 'unknown_bid', `${expertLabel(s.expertId)}的评分针对的投标 ${s.bidId} 不存在`);
    if (s.criterionId === priceId || crit?.scoredBy === 'automatic') {
      return push(`${at}.criterionId`, 'automatic_criterion', `评审因素 ${s.criterionId} 由系统自动计算，专家不打分`);
    }
    if (!crit && !pf) return push(`${at}.criterionId`, 'unknown_criterion', `评审因素 ${s.criterionId} 不在评标办法中`);
    const key = `${s.expertId}|${s.bidId}|${s.criterionId}`;
    if (seen.has(key)) return push(at, 'duplicate', `${expertLabel(s.expertId)}对${bidLabel(s.bidId)}的评审因素「${(crit ?? pf)?.name}」重复评分`);
    seen.add(key);
    const where = `${expertLabel(s.expertId)}对${bidLabel(s.bidId)}的评审因素「${(crit ?? pf)?.name}」`;
    if (pf) {
      if (typeof s.pass !== 'boolean' || s.points !== undefined) return push(`${at}.pass`, 'wrong_kind', `${where}是合格性评审，应填写合格或不合格`);
      if (!s.pass && !s.reason?.trim()) push(`${at}.reason`, 'reason_required', `${where}判定不合格，必须说明理由`);
      return;
    }
    if (!crit) return;
    if (typeof s.points !== 'number' || s.pass !== undefined) return push(`${at}.points`, 'wrong_kind', `${where}应填写分值`);
    if (!(s.points >= 0 && s.points <= crit.maxPoints)) return push(`${at}.points`, 'range', `${where}打分 ${s.points} 不在 0 至 ${crit.maxPoints} 分之间`);
    if (!hasAtMostTwoDecimals(s.points)) return push(`${at}.points`, 'precision', `${where}打分 ${s.points} 最多保留两位小数`);
    if (toCenti(s.points) * 100 < method.rules.reasonBelowPercentOfMax * toCenti(crit.maxPoints) && !s.reason?.trim()) {
      push(`${at}.reason`, 'reason_required', `${where}打分 ${s.points} 低于满分的 ${method.rules.reasonBelowPercentOfMax}%，必须说明理由`);
    }
  });

  // Completeness: what each bid still needs, given the rejections and pass/fail judgements so far.
  const validity = new Map(bidValidity(method, input).map((v) => [v.bidId, v]));
  for (const bid of input.bids) {
    const v = validity.get(bid.bidId);
    if (!v || v.rejectedByMajority) continue;
    const needed = [...method.passFail, ...(v.valid ? [...scored.values()].filter((c) => c.scoredBy !== 'automatic') : [])];
    for (const c of needed) {
      for (const m of input.panel) {
        if (seen.has(`${m.expertId}|${bid.bidId}|${c.id}`)) continue;
        issues.push({
          field: 'expertScores',
          rule: 'missing',
          message: `${expertLabel(m.expertId)}尚未对${bidLabel(bid.bidId)}的评审因素「${c.name}」${passFail.has(c.id) ? '作出合格性判定' : '打分'}`,
          bidId: bid.bidId,
          criterionId: c.id,
          expertId: m.expertId,
        });
      }
    }
  }

  (input.adjustments ?? []).forEach((a, i) => {
    const at = `adjustments.${i}`;
    if (method.kind !== 'lowest_evaluated_price') {
      issues.push({ field: at, rule: 'not_applicable', message: '只有经评审的最低投标价法才能调整评标价', bidId: a.bidId });
    } else if (!bidName.has(a.bidId)) {
      issues.push({ field: `${at}.bidId`, rule: 'unknown_bid', message: `调整评标价所针对的投标 ${a.bidId} 不存在`, bidId: a.bidId });
    } else if (!Number.isSafeInteger(a.amountFen)) {
      issues.push({ field: `${at}.amountFen`, rule: 'integer', message: `${bidLabel(a.bidId)}的评标价调整金额必须是整数（单位：分）`, bidId: a.bidId });
    } else if (!a.reason.trim()) {
      issues.push({ field: `${at}.reason`, rule: 'reason_required', message: `${bidLabel(a.bidId)}的评标价调整必须说明理由`, bidId: a.bidId });
    }
  });
  return issues;
}
