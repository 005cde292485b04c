// Yuan as people type it ↔ integer fen as the bid package carries it. Through the digits, never
// through a float: "12345678.90" is exactly 1234567890 fen. No imports: the server's test suite
// imports this file (test/web-bidding.test.ts), as it does web/src/crypto.

const YUAN = /^(0|[1-9]\d{0,11})(?:\.(\d{1,2}))?$/;

/** "12,345.6" → 1234560; undefined for anything else (negative, three decimals, exponent, empty). */
export function yuanToFen(text: string): number | undefined {
  const m = YUAN.exec(text.trim().replace(/[,，\s]/g, ''));
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** 1234560 → "12,345.60" (grouped for reading; the package keeps the integer). */
export function fenToYuan(fen: number, grouped = true): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = String(Math.floor(abs / 100));
  const shown = grouped ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : whole;
  return `${sign}${shown}.${String(abs % 100).padStart(2, '0')}`;
}

/** "12345.60" (a yuan string from the API) → "12,345.60". */
export function groupYuan(text: string | null | undefined): string {
  if (text === null || text === undefined || text === '') return '—';
  const fen = yuanToFen(text);
  return fen === undefined ? text : fenToYuan(fen);
}

/** base64url of a string's UTF-8 bytes, unpadded (the x-bid-seals header). */
export function base64url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Milliseconds as 「3 天 04:05:06」 / 「04:05:06」 for a countdown; 0 and below are 「00:00:00」. */
export function countdownText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(s / 86_400);
  const hms = [Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0')).join(':');
  return days > 0 ? `${days} 天 ${hms}` : hms;
}

/** Bytes for people: 「1.5 MB」. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
