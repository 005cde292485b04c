import { describe, expect, it } from 'vitest';
import { formatYuan, parseYuan } from './trading.money.ts';

describe('money in fen', () => {
  it('parses yuan with up to two decimals exactly', () => {
    expect(parseYuan('0')).toBe(0);
    expect(parseYuan('0.1')).toBe(10);
    expect(parseYuan('0.29')).toBe(29);
    expect(parseYuan('12345678.90')).toBe(1_234_567_890);
    expect(parseYuan('999999999999.99')).toBe(99_999_999_999_999);
    for (const bad of ['', '-1', '01', '1.234', '1e3', '1,000', ' .5', '1.']) expect(parseYuan(bad)).toBeUndefined();
  });
  it('formats fen as yuan', () => {
    expect(formatYuan(1_234_567_890)).toBe('12345678.90');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(0)).toBe('0.00');
  });
});
