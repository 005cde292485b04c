import { describe, expect, it } from 'vitest';
import { divRoundHalfUp } from './evaluation.math.ts';
import { bid, yuan } from './evaluation.fixtures.ts';
import type { PriceFormula } from './evaluation.methods.ts';
import { priceBenchmark, priceScoreCenti } from './evaluation.scoring.ts';

const mean = (k: number, trimExtremes = true, trimMinValidBids = 5): PriceFormula => ({
  kind: 'benchmark_mean',
  downwardCoefficientPercent: k,
  trimExtremes,
  trimMinValidBids,
  deductPerPercentAbove: 1,
  deductPerPercentBelow: 0.5,
});

describe('divRoundHalfUp', () => {
  it('rounds half away from zero and exactly', () => {
    expect(divRoundHalfUp(5n, 2n)).toBe(3n);
    expect(divRoundHalfUp(4n, 3n)).toBe(1n);
    expect(divRoundHalfUp(-5n, 2n)).toBe(-3n);
    expect(divRoundHalfUp(2001n, 200n)).toBe(10n); // 10.005 → 10
  });
});

describe('benchmark price (mean × (1 − K))', () => {
  it('4 valid bids (N − 1 with N = 5): no trimming', () => {
    // (100 000 + 102 000 + 98 000 + 96 000) / 4 = 99 000; × (1 − 2 %) = 97 020.00 yuan
    const b = priceBenchmark(mean(2), [bid('A', 100_000), bid('B', 102_000), bid('C', 98_000), bid('D', 96_000)]);
    expect(b).toMatchObject({ benchmarkFen: yuan(97_020), meanFen: yuan(99_000), trimmedBidIds: [] });
  });

  it('5 valid bids (N): the highest and the lowest are left out', () => {
    // drop 110 000 (E) and 96 000 (D): (100 000 + 102 000 + 98 000) / 3 = 100 000; × 0.98 = 98 000.00
    const b = priceBenchmark(mean(2), [bid('A', 100_000), bid('B', 102_000), bid('C', 98_000), bid('D', 96_000), bid('E', 110_000)]);
    expect(b).toMatchObject({ benchmarkFen: yuan(98_000), meanFen: yuan(100_000), trimmedBidIds: ['E', 'D'], usedBidIds: ['A', 'B', 'C'] });
  });

  it('trimming switched off keeps all 5; N is configurable', () => {
    const bids = [bid('A', 100_000), bid('B', 102_000), bid('C', 98_000), bid('D', 96_000), bid('E', 110_000)];
    // (100 000 + 102 000 + 98 000 + 96 000 + 110 000) / 5 = 101 200; × 0.98 = 99 176.00
    expect(priceBenchmark(mean(2, false), bids)?.benchmarkFen).toBe(yuan(99_176));
    // N = 6: 5 bids are one short → no trimming
    expect(priceBenchmark(mean(2, true, 6), bids)?.trimmedBidIds).toEqual([]);
  });

  it('only one of several equal highest prices is dropped', () => {
    // 5 bids 100, 100, 90, 80, 80 (thousand): drop one 100 and one 80 → (100 + 90 + 80) / 3 = 90 000; K = 0
    const b = priceBenchmark(mean(0), [bid('A', 100_000), bid('B', 100_000), bid('C', 90_000), bid('D', 80_000), bid('E', 80_000)]);
    expect(b).toMatchObject({ benchmarkFen: yuan(90_000), trimmedBidIds: ['A', 'D'] });
  });

  it('rounds the benchmark half-up to the fen', () => {
    // 10 000 001 + 10 000 000 + 10 000 000 fen = 30 000 001; K = 2.5 %: × 0.975 / 3 = 9 750 000.325 → 9 750 000 fen
    const bids = [{ bidId: 'A', bidderName: 'A', priceFen: 10_000_001 }, { bidId: 'B', bidderName: 'B', priceFen: 10_000_000 }, { bidId: 'C', bidderName: 'C', priceFen: 10_000_000 }];
    expect(priceBenchmark(mean(2.5), bids)?.benchmarkFen).toBe(9_750_000);
    // 10 000 002 + 2 × 10 000 000 = 30 000 002; K = 0: / 3 = 10 000 000.67 → 10 000 001 fen
    expect(priceBenchmark(mean(0), [{ ...bids[0]!, priceFen: 10_000_002 }, bids[1]!, bids[2]!])?.benchmarkFen).toBe(10_000_001);
  });

  it('stays exact for large prices (sum × coefficient beyond 2^53)', () => {
    // 3 bids of 9 000 000 000.00 yuan: sum 2.7e12 fen × 9 800 exceeds 2^53; benchmark = 8 820 000 000.00
    const big = [bid('A', 9_000_000_000), bid('B', 9_000_000_000), bid('C', 9_000_000_000)];
    expect(priceBenchmark(mean(2), big)?.benchmarkFen).toBe(882_000_000_000);
  });

  it('is null without valid bids', () => {
    expect(priceBenchmark(mean(2), [])).toBeNull();
  });
});

describe('price points against the benchmark (full 30, −1 per 1 % above, −0.5 per 1 % below)', () => {
  const f = mean(2);
  const bench = yuan(98_000);
  const score = (price: number) => priceScoreCenti(f, 30, bench, yuan(price)) / 100;

  it('a price exactly at the benchmark gets the full points', () => {
    expect(score(98_000)).toBe(30);
  });

  it('1 % above deducts 1 point; 1 % below deducts 0.5', () => {
    expect(score(98_980)).toBe(29); // 98 000 × 1.01
    expect(score(97_020)).toBe(29.5); // 98 000 × 0.99
  });

  it('is linear between whole percents', () => {
    expect(score(98_490)).toBe(29.5); // 0.5 % above → −0.5
    expect(score(97_510)).toBe(29.75); // 0.5 % below → −0.25
    // 99 000: (99 000 − 98 000) / 98 000 = 1.0204 % → −1.0204 → rounded deduction 1.02 → 28.98
    expect(score(99_000)).toBe(28.98);
    // 100 000: 2 000 / 98 000 = 2.0408 % → 27.96
    expect(score(100_000)).toBe(27.96);
  });

  it('never goes below 0', () => {
    expect(score(98_000 * 1.3)).toBe(0); // 30 % above → exactly 0
    expect(score(98_000 * 1.4)).toBe(0); // 40 % above → −10 floored to 0
    // 60 % below: −30 → 0; 59 % below: −29.5 → 0.5
    expect(score(98_000 * 0.4)).toBe(0);
    expect(score(98_000 * 0.41)).toBe(0.5);
  });
});

describe('lowest-price benchmark: score = full × lowest / price', () => {
  const f: PriceFormula = { kind: 'lowest_price_benchmark' };
  it('gives the lowest valid price the full points and the others their share', () => {
    const b = priceBenchmark(f, [bid('A', 100_000), bid('B', 90_000), bid('C', 120_000)]);
    expect(b?.benchmarkFen).toBe(yuan(90_000));
    const s = (price: number) => priceScoreCenti(f, 30, yuan(90_000), yuan(price)) / 100;
    expect(s(90_000)).toBe(30);
    expect(s(100_000)).toBe(27); // 30 × 90 000 / 100 000
    expect(s(120_000)).toBe(22.5); // 30 × 0.75
    expect(s(110_000)).toBe(24.55); // 30 × 90 / 110 = 24.5454… → 24.55
  });
});
