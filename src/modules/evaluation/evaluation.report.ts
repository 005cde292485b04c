// The evaluation report (评标报告) as structured, JSON-safe data: the trading procedure stores it
// as JSON, renders it as PDF (platform/documents/templates/evaluation-report.ts) and collects each
// member's confirmation against `signatures`.

import { evaluate, type BidResult, type Candidate, type EvaluateOptions, type EvaluationResult } from './evaluation.aggregate.ts';
import { describeEvaluationMethod } from './evaluation.describe.ts';
import type { CriterionGroup, EvaluationMethod } from './evaluation.methods.ts';
import type { EvaluationInput, PriceAdjustment, PriceBenchmark } from './evaluation.scoring.ts';

export const METHOD_LABELS: Record<EvaluationMethod['kind'], string> = {
  comprehensive: '综合评估法',
  lowest_evaluated_price: '经评审的最低投标价法',
};

export interface ReportBid {
  bidId: string;
  bidderName: string;
  priceFen: number;
  valid: boolean;
  rank: number | null;
  criteria: { criterionId: string; name: string; group: CriterionGroup; maxPoints: number; points: number; reason: string | null }[];
  passFail: { criterionId: string; name: string; passed: boolean }[];
  subtotals: Record<CriterionGroup, number> | null;
  totalPoints: number | null;
  adjustments: PriceAdjustment[];
  evaluatedPriceFen: number | null;
}

export interface ExpertTable {
  expertId: string;
  name: string;
  /** Column heads: the criteria this expert marked (pass/fail first, then scored ones). */
  criteria: { criterionId: string; name: string; maxPoints: number | null }[];
  rows: {
    bidId: string;
    bidderName: string;
    /** Same order as `criteria`: points, or 合格/不合格 for pass/fail; null where not marked. */
    marks: (number | boolean | null)[];
    reasons: { criterionId: string; reason: string }[];
    /** Sum of this expert's points on the bid (comprehensive), exact to 0.01. */
    subtotal: number | null;
  }[];
}

export interface EvaluationReport {
  version: 1;
  dealCode: string;
  lotCode: string;
  projectName: string | null;
  lotName: string | null;
  /** ISO instant, from the caller's clock. */
  generatedAt: string;
  method: { kind: EvaluationMethod['kind']; label: string; description: string[] };
  panel: { expertId: string; name: string }[];
  status: EvaluationResult['status'];
  minValidBids: number;
  validBidCount: number;
  benchmark: PriceBenchmark | null;
  bids: ReportBid[];
  expertTables: ExpertTable[];
  rejected: { bidId: string; bidderName: string; reasons: string[]; votes: string[] }[];
  ranking: { rank: number; bidId: string; bidderName: string; priceFen: number; totalPoints: number | null; evaluatedPriceFen: number | null }[];
  candidates: Candidate[];
  /** Each member confirms the report; the procedure fills these in. */
  signatures: { expertId: string; name: string; confirmed: false; confirmedAt: null }[];
}

export interface BuildReportArgs {
  dealCode: string;
  lotCode: string;
  projectName?: string;
  lotName?: string;
  method: EvaluationMethod;
  input: EvaluationInput;
  generatedAt: Date;
  options?: EvaluateOptions;
}

function reportBid(r: BidResult): ReportBid {
  return {
    bidId: r.bidId,
    bidderName: r.bidderName,
    priceFen: r.priceFen,
    valid: r.valid,
    rank: r.rank,
    criteria: r.criteria.map((c) => ({ criterionId: c.criterionId, name: c.name, group: c.group, maxPoints: c.maxPoints, points: c.points, reason: c.reason })),
    passFail: r.passFail.map((p) => ({ criterionId: p.criterionId, name: p.name, passed: p.passed })),
    subtotals: r.subtotals,
    totalPoints: r.totalPoints,
    adjustments: r.adjustments,
    evaluatedPriceFen: r.evaluatedPriceFen,
  };
}

function expertTables(method: EvaluationMethod, input: EvaluationInput, result: EvaluationResult): ExpertTable[] {
  const columns = [
    ...method.passFail.map((c) => ({ criterionId: c.id, name: c.name, maxPoints: null })),
    ...(method.kind === 'comprehensive' ? [...method.technical, ...method.commercial].filter((c) => c.scoredBy !== 'automatic') : []).map((c) => ({
      criterionId: c.id,
      name: c.name,
      maxPoints: c.maxPoints,
    })),
  ];
  return input.panel.map((m) => ({
    expertId: m.expertId,
    name: m.name,
    criteria: columns,
    // A bid rejected before it was marked has nothing to show in an expert's table.
    rows: result.bids.filter((b) => b.valid || input.expertScores.some((s) => s.bidId === b.bidId)).map((b) => {
      const mine = input.expertScores.filter((s) => s.expertId === m.expertId && s.bidId === b.bidId);
      const marks = columns.map((c) => {
        const s = mine.find((x) => x.criterionId === c.criterionId);
        return s ? (s.points ?? s.pass ?? null) : null;
      });
      const centi = mine.reduce((acc, s) => acc + (typeof s.points === 'number' ? Math.round(s.points * 100) : 0), 0);
      return {
        bidId: b.bidId,
        bidderName: b.bidderName,
        marks,
        reasons: mine.filter((s) => s.reason?.trim()).map((s) => ({ criterionId: s.criterionId, reason: (s.reason ?? '').trim() })),
        subtotal: method.kind === 'comprehensive' && mine.some((s) => typeof s.points === 'number') ? centi / 100 : null,
      };
    }),
  }));
}

/** Runs the aggregation (which validates the data) and lays the outcome out for the report. */
export function buildEvaluationReport(args: BuildReportArgs): EvaluationReport {
  const { method, input } = args;
  const result = evaluate(method, input, args.options);
  const names = new Map(input.panel.map((m) => [m.expertId, m.name]));
  return {
    version: 1,
    dealCode: args.dealCode,
    lotCode: args.lotCode,
    projectName: args.projectName ?? null,
    lotName: args.lotName ?? null,
    generatedAt: args.generatedAt.toISOString(),
    method: { kind: method.kind, label: METHOD_LABELS[method.kind], description: describeEvaluationMethod(method) },
    panel: input.panel.map((m) => ({ expertId: m.expertId, name: m.name })),
    status: result.status,
    minValidBids: result.minValidBids,
    validBidCount: result.validBidCount,
    benchmark: result.benchmark,
    bids: result.bids.map(reportBid),
    expertTables: expertTables(method, input, result),
    rejected: result.bids
      .filter((b) => !b.valid)
      .map((b) => ({ bidId: b.bidId, bidderName: b.bidderName, reasons: b.rejectionReasons, votes: b.rejectionVotes.map((e) => names.get(e) ?? e) })),
    ranking: result.bids
      .filter((b) => b.valid)
      .map((b) => ({ rank: b.rank ?? 0, bidId: b.bidId, bidderName: b.bidderName, priceFen: b.priceFen, totalPoints: b.totalPoints, evaluatedPriceFen: b.evaluatedPriceFen })),
    candidates: result.candidates,
    signatures: input.panel.map((m) => ({ expertId: m.expertId, name: m.name, confirmed: false, confirmedAt: null })),
  };
}
