// Money is integer fen (分) everywhere inside the platform; people type and read yuan with at most
// two decimals. Parsing goes through the digits, never through a float, so 0.1 + 0.2 problems
// cannot touch a price.

const YUAN = /^(0|[1-9]\d{0,11})(?:\.(\d{1,2}))?$/;

/** "12345.6" → 1234560 fen; undefined for anything else (negative, three decimals, exponent…). */
export function parseYuan(text: string): number | undefined {
  const m = YUAN.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** 1234560 → "12345.60". */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
