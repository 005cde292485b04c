import { describe, expect, it } from 'vitest';
import { bid, comprehensiveMethod, panelOf, scoreTable } from './evaluation.fixtures.ts';
import { parseEvaluationMethod } from './evaluation.methods.ts';
import { createPriceScorer, validateExpertScores, type EvaluationInput, type ExpertScore } from './evaluation.scoring.ts';

const method = comprehensiveMethod();
const panel = panelOf(2);
const bids = [bid('A', 98_000), bid('B', 99_000)];
const full = scoreTable({ A: { t1: [30, 31], t2: [15, 16], c1: [8, 8] }, B: { t1: [30, 31], t2: [15, 16], c1: [8, 8] } });
const check = (expertScores: ExpertScore[], extra: Partial<EvaluationInput> = {}) => validateExpertScores(method, { bids, panel, expertScores, ...extra });
const replace = (match: Partial<ExpertScore>, patch: Partial<ExpertScore>) =>
  full.map((s) => (Object.entries(match).every(([k, v]) => s[k as keyof ExpertScore] === v) ? { ...s, ...patch } : s));

describe('validateExpertScores', () => {
  it('accepts a complete, well-formed set', () => {
    expect(check(full)).toEqual([]);
  });

  it('names the expert, bid and criterion of a missing score', () => {
    const issues = check(full.filter((s) => !(s.expertId === 'e2' && s.bidId === 'B' && s.criterionId === 't2')));
    expect(issues).toEqual([
      { field: 'expertScores', rule: 'missing', message: '专家王专家2尚未对投标人B建设有限公司的评审因素「项目管理机构」打分', bidId: 'B', criterionId: 't2', expertId: 'e2' },
    ]);
  });

  it('refuses points outside 0 … max and more than two decimals', () => {
    expect(check(replace({ expertId: 'e1', bidId: 'A', criterionId: 't2' }, { points: 20.5 }))).toEqual([
      expect.objectContaining({ field: 'expertScores.2.points', rule: 'range', bidId: 'A', criterionId: 't2', expertId: 'e1', message: expect.stringContaining('打分 20.5 不在 0 至 20 分之间') }),
    ]);
    expect(check(replace({ expertId: 'e1', bidId: 'A', criterionId: 't2' }, { points: -1 }))[0]).toMatchObject({ rule: 'range' });
    expect(check(replace({ expertId: 'e1', bidId: 'A', criterionId: 't2' }, { points: 15.005 }))[0]).toMatchObject({ rule: 'precision' });
    expect(check(replace({ expertId: 'e1', bidId: 'A', criterionId: 't2' }, { points: 20 }))).toEqual([]);
  });

  it('requires a reason below 60 % of the maximum: 24 of 40 needs none, 23.99 does', () => {
    expect(check(replace({ expertId: 'e1', bidId: 'A', criterionId: 't1' }, { points: 24 }))).toEqual([]);
    expect(check(replace({ expertId: 'e1', bidId: 'A', criterionId: 't1' }, { points: 23.99 }))).toEqual([
      expect.objectContaining({ field: 'expertScores.0.reason', rule: 'reason_required', expertId: 'e1', bidId: 'A', criterionId: 't1' }),
    ]);
    expect(check(replace({ expertId: 'e1', bidId: 'A', criterionId: 't1' }, { points: 0, reason: '未提供施工组织设计' }))).toEqual([]);
    expect(check(replace({ expertId: 'e1', bidId: 'A', criterionId: 't1' }, { points: 10, reason: '  ' }))[0]).toMatchObject({ rule: 'reason_required' });
  });

  it('refuses unknown experts, bids and criteria, duplicates, and scores on the price', () => {
    const rules = (extra: ExpertScore) => check([...full, extra]).map((i) => i.rule);
    expect(rules({ expertId: 'e9', bidId: 'A', criterionId: 't1', points: 30 })).toEqual(['unknown_expert']);
    expect(rules({ expertId: 'e1', bidId: 'Q', criterionId: 't1', points: 30 })).toEqual(['unknown_bid']);
    expect(rules({ expertId: 'e1', bidId: 'A', criterionId: 'zz', points: 30 })).toEqual(['unknown_criterion']);
    expect(rules({ expertId: 'e1', bidId: 'A', criterionId: 't1', points: 30 })).toEqual(['duplicate']);
    expect(rules({ expertId: 'e1', bidId: 'A', criterionId: 'price', points: 30 })).toEqual(['automatic_criterion']);
    expect(check(replace({ expertId: 'e1', bidId: 'A', criterionId: 't1' }, { points: undefined, pass: true }))[0]).toMatchObject({ rule: 'wrong_kind' });
  });

  it('checks the panel, the bids and the rejection votes', () => {
    expect(check(full, { panel: [] }).map((i) => i.rule)).toContain('minItems');
    expect(check(full, { bids: [bids[0]!, { ...bids[1]!, priceFen: 12.5 }] })[0]).toMatchObject({ field: 'bids.1.priceFen', rule: 'price' });
    const votes = check(full, { bids: [bids[0]!, { ...bids[1]!, rejected: { byExperts: ['e1', 'x'], reason: '' } }] });
    expect(votes.map((i) => i.rule)).toEqual(['reason_required', 'unknown_expert']);
  });

  it('allows adjustments only under the lowest evaluated price method, each with a reason', () => {
    expect(check(full, { adjustments: [{ bidId: 'A', amountFen: 100, reason: '补漏项' }] })[0]).toMatchObject({ field: 'adjustments.0', rule: 'not_applicable' });
    const lowest = parseEvaluationMethod({ kind: 'lowest_evaluated_price', passFail: [{ id: 'q1', name: '资格条件', category: 'qualification' }] });
    const judgements = ['A', 'B'].flatMap((bidId) => panel.map((m) => ({ expertId: m.expertId, bidId, criterionId: 'q1', pass: true })));
    const run = (adjustments: EvaluationInput['adjustments']) => validateExpertScores(lowest, { bids, panel, expertScores: judgements, adjustments }).map((i) => i.rule);
    expect(run([{ bidId: 'A', amountFen: 100, reason: '补漏项' }])).toEqual([]);
    expect(run([{ bidId: 'A', amountFen: 100, reason: '' }])).toEqual(['reason_required']);
    expect(run([{ bidId: 'A', amountFen: 1.5, reason: '补漏项' }])).toEqual(['integer']);
    expect(run([{ bidId: 'Z', amountFen: 100, reason: '补漏项' }])).toEqual(['unknown_bid']);
    const failing = judgements.map((j) => (j.bidId === 'A' && j.expertId === 'e1' ? { ...j, pass: false } : j));
    expect(validateExpertScores(lowest, { bids, panel, expertScores: failing }).map((i) => i.rule)).toEqual(['reason_required']);
  });
});

describe('the price scorer', () => {
  it('is an automatic scorer of the price criterion with a readable reason', () => {
    const scorer = createPriceScorer(method as Extract<typeof method, { kind: 'comprehensive' }>);
    expect(scorer).toMatchObject({ kind: 'automatic', criterionIds: ['price'] });
    // mean (98 000 + 99 000) / 2 = 98 500 × 0.98 = 96 530; 98 000: 1 470 / 96 530 = 1.5228 % above → 28.48
    const [s] = scorer.score(bids[0]!, { method, validBids: bids });
    expect(s).toEqual({ criterionId: 'price', points: 28.48, reason: '评标基准价 96530.00 元，投标报价 98000.00 元，高于评标基准价 1.52%，得 28.48 分' });
  });
});
