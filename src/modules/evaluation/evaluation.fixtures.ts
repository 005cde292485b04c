// Builders for evaluation tests (and for the trading procedure's tests): methods, panels and
// expert-score tables written compactly.

import { parseEvaluationMethod, type EvaluationMethod, type EvaluationMethodInput } from './evaluation.methods.ts';
import type { BidInput, ExpertScore, PanelMember } from './evaluation.scoring.ts';

/** 技术 40+20, 商务 10, 价格 30 by the benchmark-mean formula (K 2 %, trim from 5 bids, −1/+1 %, −0.5/−1 %). */
export function comprehensiveMethodInput(overrides: Partial<Extract<EvaluationMethodInput, { kind: 'comprehensive' }>> = {}): EvaluationMethodInput {
  return {
    kind: 'comprehensive',
    technical: [
      { id: 't1', name: '施工组织设计', maxPoints: 40 },
      { id: 't2', name: '项目管理机构', maxPoints: 20 },
    ],
    commercial: [{ id: 'c1', name: '企业业绩', maxPoints: 10 }],
    price: {
      id: 'price',
      name: '投标报价',
      maxPoints: 30,
      formula: { kind: 'benchmark_mean', downwardCoefficientPercent: 2, trimExtremes: true, deductPerPercentAbove: 1, deductPerPercentBelow: 0.5 },
    },
    ...overrides,
  };
}

export function comprehensiveMethod(overrides: Partial<Extract<EvaluationMethodInput, { kind: 'comprehensive' }>> = {}): EvaluationMethod {
  return parseEvaluationMethod(comprehensiveMethodInput(overrides));
}

export function panelOf(size: number): PanelMember[] {
  const surnames = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴', '徐'];
  return Array.from({ length: size }, (_, i) => ({ expertId: `e${i + 1}`, name: `${surnames[i % surnames.length]}专家${i + 1}` }));
}

export function yuan(amount: number): number {
  return Math.round(amount * 100);
}

export function bid(bidId: string, priceYuan: number, extra: Partial<BidInput> = {}): BidInput {
  return { bidId, bidderName: `${bidId}建设有限公司`, priceFen: yuan(priceYuan), ...extra };
}

/**
 * `{ A: { t1: [36, 35, …] } }` → one ExpertScore per expert (e1, e2, … in order) per criterion per
 * bid; `reasonFor(points)` supplies the written reason where the test wants one.
 */
export function scoreTable(table: Record<string, Record<string, number[]>>, reasonFor: (points: number) => string | undefined = () => undefined): ExpertScore[] {
  const out: ExpertScore[] = [];
  for (const [bidId, criteria] of Object.entries(table)) {
    for (const [criterionId, marks] of Object.entries(criteria)) {
      marks.forEach((points, i) => {
        const reason = reasonFor(points);
        out.push({ expertId: `e${i + 1}`, bidId, criterionId, points, ...(reason ? { reason } : {}) });
      });
    }
  }
  return out;
}

/** Every expert of the panel passes every listed criterion of every listed bid. */
export function allPass(bidIds: string[], criterionIds: string[], panel: PanelMember[]): ExpertScore[] {
  return bidIds.flatMap((bidId) => criterionIds.flatMap((criterionId) => panel.map((m) => ({ expertId: m.expertId, bidId, criterionId, pass: true }))));
}
