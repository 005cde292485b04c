// Exact arithmetic for evaluation. Money is integer fen (分); points are carried as integer
// hundredths of a point ("centipoints") so that the two rounding points of DESIGN (see
// evaluation.methods.ts, "Rounding") are the only places where anything is rounded. BigInt is
// used where a product could pass 2^53 (sums of prices × coefficients).

/** Round num / den half-up (away from zero for the .5 case of a non-negative quotient). */
export function divRoundHalfUp(num: bigint, den: bigint): bigint {
  if (den <= 0n) throw new Error('divRoundHalfUp: the denominator must be positive');
  if (num < 0n) return -divRoundHalfUp(-num, den);
  return (2n * num + den) / (2n * den);
}

/** True when `value` has at most two decimals (as typed by a person: 12.5, 7.25). */
export function hasAtMostTwoDecimals(value: number): boolean {
  return Number.isFinite(value) && Math.abs(Math.round(value * 100) - value * 100) < 1e-6;
}

/** Points (≤ 2 decimals) → integer hundredths. Callers validate the precision first. */
export function toCenti(points: number): number {
  return Math.round(points * 100);
}

/** Integer hundredths → the number a report shows (exact for two decimals). */
export function fromCenti(centi: number | bigint): number {
  return Number(centi) / 100;
}

/** Percent with ≤ 2 decimals → basis points (2.5 % → 250). */
export function percentToBasisPoints(percent: number): number {
  return Math.round(percent * 100);
}

// Money formatting is shared with the documents.
export { fenToYuanString, formatYuan } from '../../platform/documents/amount.ts';

/** Points for display: always two decimals ("12.50"). */
export function formatPoints(points: number): string {
  return points.toFixed(2);
}
