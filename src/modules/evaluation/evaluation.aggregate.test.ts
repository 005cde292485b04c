import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { evaluate } from './evaluation.aggregate.ts';
import { allPass, bid, comprehensiveMethod, panelOf, scoreTable, yuan } from './evaluation.fixtures.ts';
import { parseEvaluationMethod } from './evaluation.methods.ts';
import { isMajority, type Scorer } from './evaluation.scoring.ts';

describe('comprehensive: a worked example (5 experts, 3 bids)', () => {
  // Prices 100 000 / 98 000 / 102 000; 3 valid bids < 5 → no trimming; mean 100 000 × 0.98 → benchmark 98 000.
  // Price points: A 2 000 / 98 000 = 2.0408 % above → 30 − 2.04 = 27.96; B at the benchmark → 30;
  // C 4 000 / 98 000 = 4.0816 % above → 30 − 4.08 = 25.92.
  const method = comprehensiveMethod();
  const panel = panelOf(5);
  const expertScores = scoreTable({
    A: { t1: [36, 35, 38, 34, 37], t2: [18, 17, 16, 18, 17], c1: [8, 8, 9, 8, 8] }, // 180/5 = 36; 86/5 = 17.2; 41/5 = 8.2
    B: { t1: [30, 31, 29, 33, 32], t2: [15, 16, 15, 14, 16], c1: [9, 9, 9, 9, 9] }, // 31; 15.2; 9
    C: { t1: [38, 39, 37, 36, 38], t2: [17, 18, 17, 19, 18], c1: [7, 8, 7, 7, 8] }, // 188/5 = 37.6; 17.8; 7.4
  });
  const result = evaluate(method, { bids: [bid('A', 100_000), bid('B', 98_000), bid('C', 102_000)], panel, expertScores });

  it('computes criterion means, subtotals and totals', () => {
    const byId = Object.fromEntries(result.bids.map((b) => [b.bidId, b]));
    // A: technical 36 + 17.2 = 53.2; commercial 8.2; price 27.96 → 89.36
    expect(byId.A).toMatchObject({ subtotals: { technical: 53.2, commercial: 8.2, price: 27.96 }, totalPoints: 89.36, rank: 1 });
    // C: 37.6 + 17.8 = 55.4; 7.4; 25.92 → 88.72
    expect(byId.C).toMatchObject({ subtotals: { technical: 55.4, commercial: 7.4, price: 25.92 }, totalPoints: 88.72, rank: 2 });
    // B: 31 + 15.2 = 46.2; 9; 30 → 85.2
    expect(byId.B).toMatchObject({ subtotals: { technical: 46.2, commercial: 9, price: 30 }, totalPoints: 85.2, rank: 3 });
    expect(byId.A?.criteria.find((c) => c.criterionId === 'price')?.reason).toContain('高于评标基准价 2.04%');
  });

  it('ranks, reports the benchmark and recommends the candidates', () => {
    expect(result.status).toBe('ok');
    expect(result.benchmark).toMatchObject({ benchmarkFen: yuan(98_000), meanFen: yuan(100_000) });
    expect(result.ranking).toEqual(['A', 'C', 'B']);
    expect(result.candidates.map((c) => [c.rank, c.bidId, c.totalPoints])).toEqual([
      [1, 'A', 89.36],
      [2, 'C', 88.72],
      [3, 'B', 85.2],
    ]);
  });
});

describe('rounding of the experts mean', () => {
  const method = parseEvaluationMethod({
    kind: 'comprehensive',
    technical: [{ id: 't1', name: '方案', maxPoints: 70 }],
    commercial: [],
    price: { id: 'p', name: '报价', maxPoints: 30, formula: { kind: 'lowest_price_benchmark' } },
    rules: { minValidBids: 1 },
  });
  it('rounds each criterion half-up to 0.01 and adds the rounded values', () => {
    // 3 experts: (50 + 50 + 51) / 3 = 50.333… → 50.33
    const three = evaluate(method, { bids: [bid('A', 100)], panel: panelOf(3), expertScores: scoreTable({ A: { t1: [50, 50, 51] } }) });
    expect(three.bids[0]?.totalPoints).toBe(80.33);
    // 2 experts: (50.01 + 50) / 2 = 50.005 → 50.01 (half-up, computed in hundredths, not in floating point)
    const two = evaluate(method, { bids: [bid('A', 100)], panel: panelOf(2), expertScores: scoreTable({ A: { t1: [50.01, 50] } }) });
    expect(two.bids[0]?.criteria[0]?.points).toBe(50.01);
  });
});

describe('dropping the highest and lowest expert score', () => {
  const method = comprehensiveMethod();
  const reason = (p: number) => (p < 24 ? '方案不完整' : undefined);
  const run = (panelSize: number, marks: number[]) =>
    evaluate(method, {
      bids: [bid('A', 98_000), bid('B', 98_000), bid('C', 98_000)],
      panel: panelOf(panelSize),
      expertScores: ['A', 'B', 'C'].flatMap((id) =>
        scoreTable({ [id]: { t1: marks, t2: Array(panelSize).fill(15), c1: Array(panelSize).fill(8) } }, reason),
      ),
    }).bids[0]!.criteria[0]!;

  it('applies from 7 members: (20 + 30 + 30 + 30 + 30) / 5 = 28', () => {
    const c = run(7, [10, 20, 30, 30, 30, 30, 40]);
    expect(c.points).toBe(28);
    expect(c.perExpert.filter((m) => m.trimmed).map((m) => m.expertId)).toEqual(['e1', 'e7']);
  });

  it('does not apply with 6 members: (10 + 20 + 30 + 30 + 30 + 40) / 6 = 26.67', () => {
    const c = run(6, [10, 20, 30, 30, 30, 40]);
    expect(c.points).toBe(26.67);
    expect(c.perExpert.some((m) => m.trimmed)).toBe(false);
  });
});

describe('ties', () => {
  // K = 0, no trimming: mean of 101 000 × 3 + 97 000 = 100 000 = benchmark. 101 000 is 1 % above → 29;
  // 97 000 is 3 % below → 30 − 1.5 = 28.5. One expert.
  const method = comprehensiveMethod({
    technical: [{ id: 't1', name: '方案', maxPoints: 40 }],
    commercial: [{ id: 'c1', name: '业绩', maxPoints: 30 }],
    price: { id: 'price', name: '报价', maxPoints: 30, formula: { kind: 'benchmark_mean', downwardCoefficientPercent: 0, trimExtremes: false, deductPerPercentAbove: 1, deductPerPercentBelow: 0.5 } },
  });
  const t0 = Date.parse('2024-05-06T01:00:00Z');
  const bids = [
    bid('X', 101_000, { receivedAt: new Date(t0 + 2000) }), // 30 + 20 + 29 = 79, technical 30
    bid('Y', 97_000, { receivedAt: new Date(t0 + 3000) }), // 30 + 20.5 + 28.5 = 79, lowest price
    bid('Z', 101_000, { receivedAt: new Date(t0 + 4000) }), // 31 + 19 + 29 = 79, technical 31
    bid('W', 101_000, { receivedAt: new Date(t0 + 1000) }), // as X, but received earlier
  ];
  const expertScores = scoreTable({ X: { t1: [30], c1: [20] }, Y: { t1: [30], c1: [20.5] }, Z: { t1: [31], c1: [19] }, W: { t1: [30], c1: [20] } });

  it('breaks equal totals by lower price, then higher technical subtotal, then earlier receipt', () => {
    const result = evaluate(method, { bids, panel: panelOf(1), expertScores });
    expect(result.bids.map((b) => b.totalPoints)).toEqual([79, 79, 79, 79]);
    expect(result.ranking).toEqual(['Y', 'Z', 'W', 'X']);
    expect(result.candidates.map((c) => c.bidId)).toEqual(['Y', 'Z', 'W']);
  });

  it('falls back to input order without receipt times', () => {
    const noTimes = bids.map(({ receivedAt: _r, ...b }) => b);
    expect(evaluate(method, { bids: noTimes, panel: panelOf(1), expertScores }).ranking).toEqual(['Y', 'Z', 'X', 'W']);
  });
});

describe('rejection (否决投标) by a majority of the panel', () => {
  it('counts more than half: 3 of 5, 4 of 6, 4 of 7', () => {
    expect([isMajority(2, 5), isMajority(3, 5)]).toEqual([false, true]);
    expect([isMajority(3, 6), isMajority(4, 6)]).toEqual([false, true]);
    expect([isMajority(3, 7), isMajority(4, 7)]).toEqual([false, true]);
  });

  const method = comprehensiveMethod();
  const marks = (n: number) => ({ t1: Array(n).fill(30), t2: Array(n).fill(15), c1: Array(n).fill(8) });
  const run = (panelSize: number, rejectVotes: number) => {
    const byExperts = panelOf(panelSize).slice(0, rejectVotes).map((m) => m.expertId);
    return evaluate(method, {
      bids: [bid('A', 98_000), bid('B', 99_000), bid('C', 100_000), bid('D', 60_000, { rejected: { byExperts, reason: '投标报价低于成本' } })],
      panel: panelOf(panelSize),
      // D is scored too: a bid that stays valid must be scored by everyone; scores of a rejected one are ignored.
      expertScores: scoreTable({ A: marks(panelSize), B: marks(panelSize), C: marks(panelSize), D: marks(panelSize) }),
    });
  };

  it('odd panel: 3 of 5 reject, 2 of 5 do not', () => {
    const rejected = run(5, 3);
    const d = rejected.bids.find((b) => b.bidId === 'D');
    expect(d).toMatchObject({ valid: false, rank: null, rejectionReasons: ['投标报价低于成本'], totalPoints: null });
    expect(rejected.bids.at(-1)?.bidId).toBe('D');
    // D's price stays out of the benchmark: (98 000 + 99 000 + 100 000) / 3 × 0.98 = 97 020
    expect(rejected.benchmark?.benchmarkFen).toBe(yuan(97_020));
    expect(run(5, 2).bids.find((b) => b.bidId === 'D')?.valid).toBe(true);
  });

  it('even panel: 3 of 6 is not a majority, 4 of 6 is', () => {
    expect(run(6, 3).bids.find((b) => b.bidId === 'D')?.valid).toBe(true);
    expect(run(6, 4).bids.find((b) => b.bidId === 'D')?.valid).toBe(false);
  });

  it('a rejected bid needs no scores', () => {
    const panel = panelOf(5);
    const result = evaluate(method, {
      bids: [bid('A', 98_000), bid('B', 99_000), bid('C', 100_000), bid('D', 60_000, { rejected: { byExperts: ['e1', 'e2', 'e3'], reason: '未按要求密封' } })],
      panel,
      expertScores: scoreTable({ A: marks(5), B: marks(5), C: marks(5) }),
    });
    expect(result.validBidCount).toBe(3);
  });
});

describe('insufficient competition', () => {
  const method = comprehensiveMethod();
  const marks = { t1: [30], t2: [15], c1: [8] };
  const run = (n: number) =>
    evaluate(method, {
      bids: ['A', 'B', 'C', 'D'].slice(0, n).map((id, i) => bid(id, 98_000 + i * 1000)),
      panel: panelOf(1),
      expertScores: scoreTable(Object.fromEntries(['A', 'B', 'C', 'D'].slice(0, n).map((id) => [id, marks]))),
    });

  it('2 valid bids: insufficient_competition, no candidates, scores still reported', () => {
    const r = run(2);
    expect(r).toMatchObject({ status: 'insufficient_competition', validBidCount: 2, minValidBids: 3, candidates: [] });
    expect(r.ranking).toEqual(['A', 'B']);
  });

  it('3 valid bids: ok with 3 candidates; 4 valid bids: still 3 candidates', () => {
    expect(run(3)).toMatchObject({ status: 'ok', validBidCount: 3 });
    expect(run(3).candidates).toHaveLength(3);
    expect(run(4).candidates.map((c) => c.rank)).toEqual([1, 2, 3]);
  });

  it('the minimum and the number of candidates are configurable', () => {
    const m = comprehensiveMethod({ rules: { minValidBids: 2, maxCandidates: 1 } });
    const r = evaluate(m, { bids: [bid('A', 98_000), bid('B', 99_000)], panel: panelOf(1), expertScores: scoreTable({ A: marks, B: marks }) });
    expect(r.status).toBe('ok');
    expect(r.candidates.map((c) => c.bidId)).toEqual(['A']);
  });
});

describe('lowest evaluated price', () => {
  const method = parseEvaluationMethod({
    kind: 'lowest_evaluated_price',
    passFail: [
      { id: 'q1', name: '资格条件', category: 'qualification' },
      { id: 'r1', name: '工期响应', category: 'responsiveness' },
    ],
  });
  const panel = panelOf(3);

  it('adds the adjustments, ranks ascending and rejects a bid a majority fails', () => {
    const scores = allPass(['A', 'B', 'C', 'D', 'E'], ['q1', 'r1'], panel).map((s) =>
      s.bidId === 'E' && s.criterionId === 'q1' && s.expertId !== 'e3' ? { ...s, pass: false, reason: '资质等级不符合要求' } : s,
    );
    const result = evaluate(method, {
      bids: [bid('A', 1_000_000), bid('B', 980_000), bid('C', 990_000), bid('D', 970_000), bid('E', 900_000)],
      panel,
      expertScores: scores,
      adjustments: [
        { bidId: 'B', amountFen: yuan(30_000), reason: '缺漏项按最高报价补足' },
        { bidId: 'D', amountFen: yuan(50_000), reason: '付款条件偏离' },
        { bidId: 'D', amountFen: yuan(-5_000), reason: '提前竣工折算' },
      ],
    });
    // evaluated: A 1 000 000; B 980 000 + 30 000 = 1 010 000; C 990 000; D 970 000 + 50 000 − 5 000 = 1 015 000
    expect(result.bids.filter((b) => b.valid).map((b) => [b.bidId, b.evaluatedPriceFen])).toEqual([
      ['C', yuan(990_000)],
      ['A', yuan(1_000_000)],
      ['B', yuan(1_010_000)],
      ['D', yuan(1_015_000)],
    ]);
    const e = result.bids.find((b) => b.bidId === 'E');
    expect(e).toMatchObject({ valid: false, rejectionReasons: ['未通过资格条件（评标委员会多数成员认定不合格）'] });
    expect(e?.passFail[0]?.failedBy.map((f) => f.expertId)).toEqual(['e1', 'e2']);
    expect(result.candidates.map((c) => c.bidId)).toEqual(['C', 'A', 'B']);
  });

  it('breaks equal evaluated prices by the lower bid price', () => {
    const result = evaluate(method, {
      bids: [bid('A', 1_000_000), bid('B', 990_000), bid('C', 1_200_000)],
      panel,
      expertScores: allPass(['A', 'B', 'C'], ['q1', 'r1'], panel),
      adjustments: [{ bidId: 'B', amountFen: yuan(10_000), reason: '偏差调整' }],
    });
    expect(result.ranking).toEqual(['B', 'A', 'C']);
  });
});

describe('plug-in scorers', () => {
  const method = comprehensiveMethod({
    commercial: [{ id: 'credit', name: '信用评价', maxPoints: 10, scoredBy: 'automatic' }],
  });
  const credit: Scorer = { id: 'credit-grade', kind: 'automatic', criterionIds: ['credit'], score: (b) => [{ criterionId: 'credit', points: b.bidId === 'A' ? 10 : 6, reason: 'A 级 10 分，B 级 6 分' }] };
  const ai: Scorer = { id: 'ai-review', kind: 'ai', criterionIds: ['t1'], score: () => [{ criterionId: 't1', points: 33, reason: '施工方案较完整' }] };
  const bids = [bid('A', 98_000), bid('B', 98_000), bid('C', 98_000)];
  const expertScores = scoreTable({ A: { t1: [30], t2: [15] }, B: { t1: [30], t2: [15] }, C: { t1: [30], t2: [15] } });

  it('counts automatic scores and shows AI advice without counting it', () => {
    const r = evaluate(method, { bids, panel: panelOf(1), expertScores }, { scorers: [credit, ai] });
    const a = r.bids.find((b) => b.bidId === 'A');
    // equal prices: benchmark 98 000 × 0.98 = 96 040; 1 960 / 96 040 = 2.0408 % above → 27.96
    expect(a?.subtotals).toEqual({ technical: 45, commercial: 10, price: 27.96 });
    expect(r.bids.find((b) => b.bidId === 'B')?.subtotals?.commercial).toBe(6);
    expect(a?.criteria[0]?.advice).toEqual([{ criterionId: 't1', points: 33, reason: '施工方案较完整', scorerId: 'ai-review' }]);
  });

  it('refuses an automatic criterion without its scorer, and expert scores on it', () => {
    expect(() => evaluate(method, { bids, panel: panelOf(1), expertScores })).toThrow(AppError);
    const extra = [...expertScores, { expertId: 'e1', bidId: 'A', criterionId: 'credit', points: 5 }];
    expect(() => evaluate(method, { bids, panel: panelOf(1), expertScores: extra }, { scorers: [credit] })).toThrow(/系统自动计算/);
  });
});
