// Aggregation of the committee's data into scores, rejections, a ranking and the recommended
// candidates. Pure: the trading procedure stores the input and the result.
//
// Ranking — comprehensive: total points descending; ties broken by the lower bid price, then the
// higher technical subtotal, then the earlier receipt time (`receivedAt`), then input order.
// Lowest evaluated price: evaluated price ascending; ties by the lower bid price, then the earlier
// receipt time, then input order. Every valid bid gets a distinct rank.
//
// Competition: fewer valid bids than `rules.minValidBids` gives status `insufficient_competition`
// and no candidates (实施条例 §51/《评标委员会和评标方法暂行规定》§27: the committee may deem the
// competition insufficient and reject all bids; the procedure then fails the tender). Ranked
// scores are still reported.

import { AppError } from '../../platform/errors.ts';
import { divRoundHalfUp, fromCenti, hasAtMostTwoDecimals, toCenti } from './evaluation.math.ts';
import { failWith, pointsCriteria, type CriterionGroup, type EvaluationMethod } from './evaluation.methods.ts';
import {
  bidValidity,
  createPriceScorer,
  priceBenchmark,
  validateExpertScores,
  type CriterionScore,
  type EvaluationInput,
  type PassFailOutcome,
  type PriceAdjustment,
  type PriceBenchmark,
  type Scorer,
  type ScoringBid,
  type ScoringContext,
} from './evaluation.scoring.ts';

export interface ExpertMark {
  expertId: string;
  points: number;
  reason: string | null;
  /** Left out of the mean as one of the highest or lowest marks (large panels). */
  trimmed: boolean;
}

export interface CriterionResult {
  criterionId: string;
  name: string;
  group: CriterionGroup;
  maxPoints: number;
  scoredBy: 'expert' | 'automatic';
  /** Mean of the experts' points (or the automatic score), rounded half-up to 0.01. */
  points: number;
  perExpert: ExpertMark[];
  /** The automatic scorer's explanation. */
  reason: string | null;
  /** Advice of `ai` scorers: shown, never counted. */
  advice: (CriterionScore & { scorerId: string })[];
}

export interface BidResult {
  bidId: string;
  bidderName: string;
  priceFen: number;
  valid: boolean;
  /** 1-based among valid bids; null for an invalid bid. */
  rank: number | null;
  /** Chinese reasons of the rejection (否决投标); empty for a valid bid. */
  rejectionReasons: string[];
  /** Experts who voted to reject, whether or not they were a majority. */
  rejectionVotes: string[];
  passFail: PassFailOutcome[];
  /** Comprehensive only (empty otherwise). */
  criteria: CriterionResult[];
  subtotals: Record<CriterionGroup, number> | null;
  totalPoints: number | null;
  /** Lowest evaluated price only. */
  adjustments: PriceAdjustment[];
  evaluatedPriceFen: number | null;
}

export interface Candidate {
  rank: number;
  bidId: string;
  bidderName: string;
  priceFen: number;
  totalPoints: number | null;
  evaluatedPriceFen: number | null;
}

export interface EvaluationResult {
  method: EvaluationMethod['kind'];
  status: 'ok' | 'insufficient_competition';
  minValidBids: number;
  validBidCount: number;
  benchmark: PriceBenchmark | null;
  /** Valid bids in rank order, then the invalid ones in input order. */
  bids: BidResult[];
  /** Valid bid ids in rank order. */
  ranking: string[];
  candidates: Candidate[];
}

export interface EvaluateOptions {
  /** Scorers of criteria marked `scoredBy: 'automatic'`, and `ai` advisers. */
  scorers?: Scorer[];
}

/** Validates the data (throws the platform's validation error listing every issue) and aggregates it. */
export function evaluate(method: EvaluationMethod, input: EvaluationInput, options: EvaluateOptions = {}): EvaluationResult {
  const issues = validateExpertScores(method, input);
  if (issues.length > 0) failWith(issues);

  const validity = new Map(bidValidity(method, input).map((v) => [v.bidId, v]));
  const order = new Map(input.bids.map((b, i) => [b.bidId, i]));
  const validBids: ScoringBid[] = input.bids
    .filter((b) => validity.get(b.bidId)?.valid)
    .map((b) => ({ bidId: b.bidId, bidderName: b.bidderName, priceFen: b.priceFen }));
  const context: ScoringContext = { method, validBids };

  const results = input.bids.map((bid): BidResult => {
    const v = validity.get(bid.bidId);
    return {
      bidId: bid.bidId,
      bidderName: bid.bidderName,
      priceFen: bid.priceFen,
      valid: v?.valid ?? false,
      rank: null,
      rejectionReasons: v?.reasons ?? [],
      rejectionVotes: bid.rejected?.byExperts ?? [],
      passFail: v?.passFail ?? [],
      criteria: [],
      subtotals: null,
      totalPoints: null,
      adjustments: [],
      evaluatedPriceFen: null,
    };
  });
  const receivedAt = (r: BidResult) => input.bids[order.get(r.bidId) ?? 0]?.receivedAt?.getTime() ?? 0;
  const inputOrder = (a: BidResult, b: BidResult) => (order.get(a.bidId) ?? 0) - (order.get(b.bidId) ?? 0);
  const valid = results.filter((r) => r.valid);
  let benchmark: PriceBenchmark | null = null;

  if (method.kind === 'comprehensive') {
    const scorers = [createPriceScorer(method), ...(options.scorers ?? [])];
    benchmark = priceBenchmark(method.price.formula, validBids);
    for (const r of valid) scoreComprehensive(method, input, r, scorers, context, validBids);
    valid.sort(
      (a, b) =>
        toCenti(b.totalPoints ?? 0) - toCenti(a.totalPoints ?? 0) ||
        a.priceFen - b.priceFen ||
        toCenti(b.subtotals?.technical ?? 0) - toCenti(a.subtotals?.technical ?? 0) ||
        receivedAt(a) - receivedAt(b) ||
        inputOrder(a, b),
    );
  } else {
    for (const r of valid) {
      r.adjustments = (input.adjustments ?? []).filter((a) => a.bidId === r.bidId);
      r.evaluatedPriceFen = r.adjustments.reduce((sum, a) => sum + a.amountFen, r.priceFen);
    }
    valid.sort((a, b) => (a.evaluatedPriceFen ?? 0) - (b.evaluatedPriceFen ?? 0) || a.priceFen - b.priceFen || receivedAt(a) - receivedAt(b) || inputOrder(a, b));
  }
  valid.forEach((r, i) => (r.rank = i + 1));

  const status = valid.length < method.rules.minValidBids ? 'insufficient_competition' : 'ok';
  const candidates =
    status === 'ok'
      ? valid.slice(0, method.rules.maxCandidates).map((r): Candidate => ({
          rank: r.rank ?? 0,
          bidId: r.bidId,
          bidderName: r.bidderName,
          priceFen: r.priceFen,
          totalPoints: r.totalPoints,
          evaluatedPriceFen: r.evaluatedPriceFen,
        }))
      : [];
  const invalid = results.filter((r) => !r.valid);
  return {
    method: method.kind,
    status,
    minValidBids: method.rules.minValidBids,
    validBidCount: valid.length,
    benchmark,
    bids: [...valid, ...invalid],
    ranking: valid.map((r) => r.bidId),
    candidates,
  };
}

/** Mean of the marks in hundredths, rounded half-up; large panels drop one highest and one lowest. */
function expertMean(marks: ExpertMark[], trimMinPanel: number): number {
  if (trimMinPanel > 0 && marks.length >= trimMinPanel && marks.length >= 3) {
    // Sort by points, ties by panel order (stable sort); the first and the last are dropped.
    const sorted = [...marks].sort((a, b) => a.points - b.points);
    const low = sorted[0];
    const high = sorted[sorted.length - 1];
    if (low) low.trimmed = true;
    if (high) high.trimmed = true;
  }
  const counted = marks.filter((m) => !m.trimmed);
  const sum = counted.reduce((acc, m) => acc + toCenti(m.points), 0);
  return Number(divRoundHalfUp(BigInt(sum), BigInt(counted.length)));
}

function scoreComprehensive(
  method: Extract<EvaluationMethod, { kind: 'comprehensive' }>,
  input: EvaluationInput,
  r: BidResult,
  scorers: Scorer[],
  context: ScoringContext,
  validBids: ScoringBid[],
): void {
  const bid = validBids.find((b) => b.bidId === r.bidId) as ScoringBid;
  const subtotals: Record<CriterionGroup, number> = { technical: 0, commercial: 0, price: 0 };
  const computed = new Map<string, { score: CriterionScore; scorerId: string }>();
  const advice = new Map<string, (CriterionScore & { scorerId: string })[]>();
  for (const scorer of scorers) {
    if (scorer.kind === 'expert') continue; // experts' marks come in as data
    for (const s of scorer.score(bid, context)) {
      if (!scorer.criterionIds.includes(s.criterionId)) throw new Error(`scorer ${scorer.id} scored criterion ${s.criterionId} it does not declare`);
      if (scorer.kind === 'ai') advice.set(s.criterionId, [...(advice.get(s.criterionId) ?? []), { ...s, scorerId: scorer.id }]);
      else computed.set(s.criterionId, { score: s, scorerId: scorer.id });
    }
  }
  for (const c of pointsCriteria(method)) {
    let centi: number;
    let perExpert: ExpertMark[] = [];
    let reason: string | null = null;
    if (c.scoredBy === 'automatic') {
      const got = computed.get(c.id);
      if (!got) throw new AppError('validation_failed', `评审因素「${c.name}」为系统自动计算，但没有提供计算程序`, { errors: [{ field: 'scorers', rule: 'missing_scorer', message: `评审因素「${c.name}」缺少自动评分程序` }] });
      if (!(got.score.points >= 0 && got.score.points <= c.maxPoints && hasAtMostTwoDecimals(got.score.points))) {
        throw new Error(`scorer ${got.scorerId} gave ${got.score.points} on ${c.id} (0..${c.maxPoints}, two decimals)`);
      }
      centi = toCenti(got.score.points);
      reason = got.score.reason;
    } else {
      perExpert = input.panel.map((m): ExpertMark => {
        const s = input.expertScores.find((x) => x.expertId === m.expertId && x.bidId === r.bidId && x.criterionId === c.id);
        return { expertId: m.expertId, points: s?.points ?? 0, reason: s?.reason?.trim() || null, trimmed: false };
      });
      centi = expertMean(perExpert, method.rules.trimExpertExtremesMinPanel);
    }
    subtotals[c.group] += centi;
    r.criteria.push({ criterionId: c.id, name: c.name, group: c.group, maxPoints: c.maxPoints, scoredBy: c.scoredBy, points: fromCenti(centi), perExpert, reason, advice: advice.get(c.id) ?? [] });
  }
  r.subtotals = { technical: fromCenti(subtotals.technical), commercial: fromCenti(subtotals.commercial), price: fromCenti(subtotals.price) };
  r.totalPoints = fromCenti(subtotals.technical + subtotals.commercial + subtotals.price);
}
