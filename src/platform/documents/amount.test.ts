import { describe, expect, it } from 'vitest';
import { amountInCapitals, formatYuan, yuanWithCapitals } from './amount.ts';

describe('amountInCapitals (大写金额)', () => {
  it.each([
    [0, '零元整'],
    [5, '伍分'], // 0.05
    [50, '伍角'], // 0.50
    [55, '伍角伍分'],
    [1000, '壹拾元整'], // 10
    [1050, '壹拾元伍角'], // 10.50
    [105, '壹元零伍分'], // 1.05
    [100_400, '壹仟零肆元整'], // 1004
    [101_000, '壹仟零壹拾元整'], // 1010
    [1_010_000, '壹万零壹佰元整'], // 10100
    [10_000_100, '壹拾万零壹元整'], // 100001
    [100_000_000, '壹佰万元整'], // 1000000
    [2_000_006, '贰万元零陆分'], // 20000.06
    [123_456_789, '壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分'], // 1234567.89
    [10_000_000_000, '壹亿元整'], // 100000000
    [10_000_100_000, '壹亿零壹仟元整'], // 100001000
    [10_001_000_000, '壹亿零壹万元整'], // 100010000
    [11_000_000_000, '壹亿壹仟万元整'], // 110000000
    [100_000_000_001, '壹拾亿元零壹分'], // 1000000000.01
    [100_100_000_000, '壹拾亿零壹佰万元整'], // 1001000000
    [99_999_999_999_999n, '玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分'],
  ])('%s fen → %s', (fen, text) => {
    expect(amountInCapitals(fen)).toBe(text);
  });

  it('refuses negative, fractional and too large amounts', () => {
    expect(() => amountInCapitals(-1)).toThrow(RangeError);
    expect(() => amountInCapitals(1.5)).toThrow(RangeError);
    expect(() => amountInCapitals(100_000_000_000_000n)).toThrow(RangeError);
  });
});

describe('formatYuan', () => {
  it('groups thousands and keeps two decimals', () => {
    expect(formatYuan(123_456_789)).toBe('1,234,567.89');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(-100_000)).toBe('-1,000.00');
    expect(yuanWithCapitals(10_000_000_000)).toBe('¥100,000,000.00 元（大写：人民币壹亿元整）');
  });
});
