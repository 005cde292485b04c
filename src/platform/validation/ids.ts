// Identifier checks of DOMAIN.md §2 and the masking of personal data required by §9.
// Each check names the rule that failed, so the caller can tell the user what to correct.

// ---------------------------------------------------------------- 居民身份证号 (GB 11643-1999)

export type IdNumberCheck =
  | {
      ok: true;
      /** The number as it should be stored: a lowercase check `x` becomes `X`. */
      normalized: string;
      birthDate: string;
      gender: 'male' | 'female';
      regionCode: string;
    }
  | { ok: false; rule: 'format' | 'birth_date' | 'check_digit' };

const ID_FORMAT = /^[1-9]\d{16}[\dX]$/;
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK_CHARS = '10X98765432';
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;

/** ISO 7064 MOD 11-2 check character over the first 17 digits. */
function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK_CHARS[sum % 11] ?? '';
}

/** The calendar date in China Standard Time, as day boundaries are decided there (DOMAIN.md §0). */
function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/**
 * Checks an 18-character resident ID number. A birth date after `today` (in China Standard Time)
 * fails; being born today passes. The region code is only checked for shape here — whether it
 * exists is a question for the region table.
 */
export function checkIdNumber(id: string, today: Date = new Date()): IdNumberCheck {
  const normalized = id.length === 18 && id.endsWith('x') ? id.slice(0, 17) + 'X' : id;
  if (!ID_FORMAT.test(normalized)) return { ok: false, rule: 'format' };

  const year = Number(normalized.slice(6, 10));
  const month = Number(normalized.slice(10, 12));
  const day = Number(normalized.slice(12, 14));
  const birthDate = `${normalized.slice(6, 10)}-${normalized.slice(10, 12)}-${normalized.slice(12, 14)}`;
  if (!isRealDate(year, month, day) || birthDate > chinaDate(today)) return { ok: false, rule: 'birth_date' };

  if (idCheckChar(normalized.slice(0, 17)) !== normalized[17]) return { ok: false, rule: 'check_digit' };

  return {
    ok: true,
    normalized,
    birthDate,
    gender: Number(normalized[16]) % 2 === 1 ? 'male' : 'female',
    regionCode: normalized.slice(0, 6),
  };
}

// ------------------------------------------------- 统一社会信用代码 (GB 32100-2015, GB 11714-1997)

export type UsccCheck =
  | {
      ok: true;
      /** Upper-cased: the standard only has capitals, and lookups must not see two spellings. */
      normalized: string;
    }
  | { ok: false; rule: 'format' | 'check_digit' | 'org_code_check_digit' };

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;
// Positions 3–8 hold the registering authority's GB/T 2260 region code, which is numeric.
const USCC_FORMAT = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i] ?? '') * (USCC_WEIGHTS[i] ?? 0);
  return USCC_ALPHABET[(31 - (sum % 31)) % 31] ?? '';
}

/** GB 11714 values a character by its place in 0–9A–Z (A = 10 … Z = 35), not by the USCC alphabet. */
function orgCodeCheckChar(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(body8[i] ?? '', 36) * (ORG_CODE_WEIGHTS[i] ?? 0);
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

export function checkUscc(code: string): UsccCheck {
  const normalized = code.toUpperCase();
  if (!USCC_FORMAT.test(normalized)) return { ok: false, rule: 'format' };
  if (usccCheckChar(normalized.slice(0, 17)) !== normalized[17]) return { ok: false, rule: 'check_digit' };
  if (orgCodeCheckChar(normalized.slice(8, 16)) !== normalized[16]) return { ok: false, rule: 'org_code_check_digit' };
  return { ok: true, normalized };
}

// ----------------------------------------------------------------------------------- masking

/**
 * Keeps `head` leading and `tail` trailing characters and stars the rest, one star per character.
 * A value too short to hide anything that way is starred completely: showing all of a short
 * value would defeat the mask.
 */
function maskMiddle(value: string, head: number, tail: number): string {
  const chars = Array.from(value);
  if (chars.length <= head + tail) return '*'.repeat(chars.length);
  return chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(chars.length - tail).join('');
}

/** `11010519491231002X` → `110105********002X` (region and check part stay visible). */
export function maskIdNumber(id: string): string {
  return maskMiddle(id, 6, 4);
}

/** `13812345678` → `138****5678`. */
export function maskPhone(phone: string): string {
  return maskMiddle(phone, 3, 4);
}

/** `6222021234567890123` → `***************0123`; spaces are dropped first. */
export function maskBankAccount(account: string): string {
  return maskMiddle(account.replace(/\s+/g, ''), 0, 4);
}

/** `张三丰` → `张**`; counts characters, not UTF-16 units, so rare characters outside the BMP stay whole. */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= 1) return '*'.repeat(chars.length);
  return (chars[0] ?? '') + '*'.repeat(chars.length - 1);
}
