import { describe, expect, it } from 'vitest';
import { bid, comprehensiveMethod, panelOf, scoreTable } from './evaluation.fixtures.ts';
import { buildEvaluationReport } from './evaluation.report.ts';

describe('buildEvaluationReport', () => {
  const panel = panelOf(5);
  const marks = (t1: number[]) => ({ t1, t2: [15, 15, 15, 15, 15], c1: [8, 8, 8, 8, 8] });
  const report = buildEvaluationReport({
    dealCode: 'A1B2C3',
    lotCode: 'A1B2C3001',
    projectName: '某县第一中学教学楼工程',
    lotName: '施工一标段',
    method: comprehensiveMethod(),
    input: {
      bids: [bid('A', 98_000), bid('B', 99_000), bid('C', 100_000), bid('D', 50_000, { rejected: { byExperts: ['e1', 'e2', 'e3'], reason: '报价明显低于成本且不能合理说明' } })],
      panel,
      expertScores: scoreTable({ A: marks([30, 30, 30, 30, 30]), B: marks([32, 32, 32, 32, 32]), C: marks([20, 30, 30, 30, 30]) }, (p) => (p === 20 ? '方案缺少关键工序' : undefined)),
    },
    generatedAt: new Date('2024-05-06T08:00:00Z'),
  });

  it('carries the codes, the method description, the panel and the signatures to collect', () => {
    expect(report).toMatchObject({ version: 1, dealCode: 'A1B2C3', lotCode: 'A1B2C3001', generatedAt: '2024-05-06T08:00:00.000Z', status: 'ok' });
    expect(report.method.label).toBe('综合评估法');
    expect(report.method.description.join('')).toContain('评标基准价');
    expect(report.panel.map((m) => m.name)).toEqual(panel.map((m) => m.name));
    expect(report.signatures).toEqual(panel.map((m) => ({ expertId: m.expertId, name: m.name, confirmed: false, confirmedAt: null })));
  });

  it('lists the rejected bid with its reasons and the votes by name', () => {
    expect(report.rejected).toEqual([{ bidId: 'D', bidderName: 'D建设有限公司', reasons: ['报价明显低于成本且不能合理说明'], votes: panel.slice(0, 3).map((m) => m.name) }]);
  });

  it('ranks and recommends, with per-expert tables', () => {
    // benchmark (98 000 + 99 000 + 100 000) / 3 × 0.98 = 97 020; B 32 + 15 + 8 = 55 + price; A 30 + 15 + 8 = 53 + price
    expect(report.ranking.map((r) => r.bidId)).toEqual(['B', 'A', 'C']);
    expect(report.candidates).toHaveLength(3);
    const e1 = report.expertTables[0];
    expect(e1?.criteria.map((c) => c.criterionId)).toEqual(['t1', 't2', 'c1']);
    expect(e1?.rows.map((r) => r.bidId)).toEqual(['B', 'A', 'C']); // D was rejected unmarked
    const rowC = e1?.rows.find((r) => r.bidId === 'C');
    expect(rowC).toMatchObject({ marks: [20, 15, 8], subtotal: 43, reasons: [{ criterionId: 't1', reason: '方案缺少关键工序' }] });
    // C's t1: (20 + 30 × 4) / 5 = 28 (5 members: no trimming)
    expect(report.bids.find((b) => b.bidId === 'C')?.criteria[0]?.points).toBe(28);
  });

  it('is JSON-safe', () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});
