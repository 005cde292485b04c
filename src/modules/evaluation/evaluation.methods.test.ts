import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { describeEvaluationMethod } from './evaluation.describe.ts';
import { comprehensiveMethodInput } from './evaluation.fixtures.ts';
import { checkEvaluationMethod, DEFAULT_EVALUATION_RULES, parseEvaluationMethod, pointsCriteria } from './evaluation.methods.ts';

const errorsOf = (value: unknown) => {
  const check = checkEvaluationMethod(value);
  if (check.ok) throw new Error('expected errors');
  return check.errors;
};

describe('checkEvaluationMethod — comprehensive', () => {
  it('accepts a method whose points add up to 100 and applies the defaults', () => {
    const m = parseEvaluationMethod(comprehensiveMethodInput());
    expect(m.kind).toBe('comprehensive');
    if (m.kind !== 'comprehensive') return;
    expect(m.rules).toEqual(DEFAULT_EVALUATION_RULES);
    expect(m.passFail).toEqual([]);
    expect(m.price.formula).toMatchObject({ kind: 'benchmark_mean', trimMinValidBids: 5 });
    expect(pointsCriteria(m).map((c) => `${c.group}:${c.id}:${c.scoredBy}`)).toEqual(['technical:t1:expert', 'technical:t2:expert', 'commercial:c1:expert', 'price:price:automatic']);
  });

  it('accepts decimals that add up to exactly 100 (33.33 + 33.33 + 33.34)', () => {
    const m = checkEvaluationMethod(
      comprehensiveMethodInput({
        technical: [{ id: 't1', name: '方案', maxPoints: 33.33 }],
        commercial: [{ id: 'c1', name: '业绩', maxPoints: 33.33 }],
        price: { id: 'price', name: '报价', maxPoints: 33.34, formula: { kind: 'lowest_price_benchmark' } },
      }),
    );
    expect(m.ok).toBe(true);
  });

  it('refuses points that add up to 99 or 101, naming the field and the sums', () => {
    const under = errorsOf(comprehensiveMethodInput({ commercial: [{ id: 'c1', name: '企业业绩', maxPoints: 9 }] }));
    expect(under).toEqual([expect.objectContaining({ field: 'method.price.maxPoints', rule: 'points_total' })]);
    expect(under[0]?.message).toContain('技术部分（technical）60 分 + 商务部分（commercial）9 分 + 价格部分（price.maxPoints）30 分 = 99 分');
    const over = errorsOf(comprehensiveMethodInput({ commercial: [{ id: 'c1', name: '企业业绩', maxPoints: 11 }] }));
    expect(over[0]).toMatchObject({ rule: 'points_total' });
  });

  it('names the missing field and the bad value', () => {
    const input = comprehensiveMethodInput() as unknown as { technical: Record<string, unknown>[] };
    delete input.technical[0]?.name;
    expect(errorsOf(input)).toContainEqual({ field: 'method.technical.0.name', rule: 'required', message: '缺少必填字段 method.technical.0.name' });
    const negative = errorsOf(comprehensiveMethodInput({ commercial: [{ id: 'c1', name: '企业业绩', maxPoints: 0 }] }));
    expect(negative).toContainEqual(expect.objectContaining({ field: 'method.commercial.0.maxPoints', rule: 'exclusiveMinimum' }));
  });

  it('refuses an unknown method kind or formula kind', () => {
    expect(errorsOf({ kind: 'lowest_bid' })[0]).toMatchObject({ field: 'method.kind', rule: 'enum' });
    const input = comprehensiveMethodInput();
    const bad = { ...input, price: { id: 'price', name: '报价', maxPoints: 30, formula: { kind: 'median' } } };
    expect(errorsOf(bad)[0]).toMatchObject({ field: 'method.price.formula.kind', rule: 'enum' });
  });

  it('names the formula field that is wrong', () => {
    const input = comprehensiveMethodInput({
      price: { id: 'price', name: '报价', maxPoints: 30, formula: { kind: 'benchmark_mean', downwardCoefficientPercent: 2, trimExtremes: true, deductPerPercentAbove: -1, deductPerPercentBelow: 0.5 } },
    });
    expect(errorsOf(input)).toEqual([expect.objectContaining({ field: 'method.price.formula.deductPerPercentAbove', rule: 'minimum' })]);
  });

  it('limits the downward coefficient K to 5 % by default: 5 passes, 5.01 fails', () => {
    const withK = (k: number) =>
      comprehensiveMethodInput({
        price: { id: 'price', name: '报价', maxPoints: 30, formula: { kind: 'benchmark_mean', downwardCoefficientPercent: k, trimExtremes: false, deductPerPercentAbove: 1, deductPerPercentBelow: 0.5 } },
      });
    expect(checkEvaluationMethod(withK(5)).ok).toBe(true);
    expect(errorsOf(withK(5.01))).toEqual([expect.objectContaining({ field: 'method.price.formula.downwardCoefficientPercent', rule: 'maximum' })]);
    expect(checkEvaluationMethod(withK(8), 'method', { maxDownwardCoefficientPercent: 10 }).ok).toBe(true);
    expect(errorsOf(withK(1.005))).toEqual([expect.objectContaining({ field: 'method.price.formula.downwardCoefficientPercent', rule: 'precision' })]);
  });

  it('refuses duplicate criterion ids and more than two decimals', () => {
    const dup = errorsOf(comprehensiveMethodInput({ commercial: [{ id: 't1', name: '企业业绩', maxPoints: 10 }] }));
    expect(dup).toContainEqual(expect.objectContaining({ field: 'method.commercial.0.id', rule: 'unique' }));
    const fine = errorsOf(
      comprehensiveMethodInput({
        technical: [
          { id: 't1', name: '施工组织设计', maxPoints: 39.995 },
          { id: 't2', name: '项目管理机构', maxPoints: 20.005 },
        ],
      }),
    );
    expect(fine).toContainEqual(expect.objectContaining({ field: 'method.technical.0.maxPoints', rule: 'precision' }));
  });

  it('parseEvaluationMethod throws a validation AppError with every field error', () => {
    try {
      parseEvaluationMethod({ kind: 'comprehensive' }, 'body.method');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      const err = e as AppError;
      expect(err.status).toBe(400);
      expect(err.errors?.map((x) => x.field)).toEqual(expect.arrayContaining(['body.method.technical', 'body.method.commercial', 'body.method.price']));
    }
  });
});

describe('checkEvaluationMethod — lowest evaluated price', () => {
  it('needs at least one pass/fail criterion', () => {
    expect(errorsOf({ kind: 'lowest_evaluated_price', passFail: [] })[0]).toMatchObject({ field: 'method.passFail', rule: 'minItems' });
    const ok = checkEvaluationMethod({ kind: 'lowest_evaluated_price', passFail: [{ id: 'q1', name: '资格条件', category: 'qualification' }], rules: { minValidBids: 2 } });
    expect(ok.ok && ok.method.rules).toEqual({ ...DEFAULT_EVALUATION_RULES, minValidBids: 2 });
  });
});

describe('describeEvaluationMethod', () => {
  it('states the formula with the configured numbers', () => {
    const text = describeEvaluationMethod(parseEvaluationMethod(comprehensiveMethodInput())).join('\n');
    expect(text).toContain('评标办法：综合评估法');
    expect(text).toContain('技术部分 60 分（施工组织设计 40 分、项目管理机构 20 分）');
    expect(text).toContain('评标基准价 = 有效投标报价的算术平均值 ×（1 − K），K = 2%');
    expect(text).toContain('有效投标不少于 5 家时，去掉一个最高报价和一个最低报价');
    expect(text).toContain('每高于评标基准价 1% 扣 1 分，每低于 1% 扣 0.5 分');
    expect(text).toContain('评标委员会成员不少于 7 人时，去掉一个最高分和一个最低分');
    expect(text).toContain('有效投标不足 3 家');
    const lowest = describeEvaluationMethod(parseEvaluationMethod({ kind: 'lowest_evaluated_price', passFail: [{ id: 'q1', name: '资格条件', category: 'qualification' }] })).join('\n');
    expect(lowest).toContain('经评审的最低投标价法');
    expect(lowest).toContain('资格条件（资格评审）');
  });
});
