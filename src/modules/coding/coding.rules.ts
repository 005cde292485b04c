// Pure rules of the unified deal code (统一交易标识码, DOMAIN.md §2):
//
//   code = the coding platform's 18-char USCC + yyyyMMdd (China-time day of issue)
//          + 6-digit serial of that day + 1 check character          → 33 characters
//
// The check character is ISO 7064 MOD 37,2 over the alphabet 0-9A-Z* (values 0…36): with i
// counted from the right and the check character at i = 0, Σ value(cᵢ) × 2ⁱ ≡ 1 (mod 37).
// 37 is prime and 2 generates every non-zero residue mod 37 (its order is 36), so every weight
// 2ⁱ mod 37 is non-zero and distinct from its neighbour: changing one character, or swapping
// two adjacent different ones, always changes the sum and is detected.
//
// Shown with hyphens (USCC-yyyyMMdd-NNNNNN-C), stored without. A lot (标段) code is the deal code
// followed by the lot's 3-digit serial within the deal (001, 002, …).

import { checkUscc } from '../../platform/validation/ids.ts';
import { chinaDate } from '../credit/credit.rules.ts';

export const MOD37_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*';
export const DEAL_CODE_LENGTH = 33;
export const LOT_CODE_LENGTH = 36;
/** The serial has six digits: a platform issues at most this many codes per China-time day. */
export const MAX_DAILY_SERIAL = 999_999;
/** The lot serial has three digits. */
export const MAX_LOT_SERIAL = 999;

/** Value of a character in 0-9A-Z* (0…36), or -1. */
function valueOf(c: string): number {
  return c.length === 1 ? MOD37_ALPHABET.indexOf(c) : -1;
}

/** Σ value(cₖ) × 2^(n−k) mod 37 over `chars` (Horner's rule, left to right, doubling after each). */
function weightedSum(chars: string, doubleLast: boolean): number {
  let acc = 0;
  for (let k = 0; k < chars.length; k++) {
    const v = valueOf(chars[k]!);
    if (v < 0) throw new Error(`not in the MOD 37,2 alphabet: ${JSON.stringify(chars[k])}`);
    acc = acc + v;
    if (doubleLast || k < chars.length - 1) acc = acc * 2;
    acc %= 37;
  }
  return acc;
}

/** The check character that completes a 32-character body (ISO 7064 MOD 37,2). */
export function mod37_2CheckChar(body32: string): string {
  if (body32.length !== DEAL_CODE_LENGTH - 1) throw new Error(`a deal code body has ${DEAL_CODE_LENGTH - 1} characters, got ${body32.length}`);
  // The body's rightmost character has weight 2¹, so every body character is doubled once more.
  const sum = weightedSum(body32, true);
  return MOD37_ALPHABET[(((1 - sum) % 37) + 37) % 37]!;
}

/** Whether a whole code (check character included) satisfies Σ value × 2ⁱ ≡ 1 (mod 37). */
export function mod37_2Valid(code: string): boolean {
  for (const c of code) if (valueOf(c) < 0) return false;
  return weightedSum(code, false) === 1;
}

// ---- parsing ----

export type DealCodeRule = 'length' | 'charset' | 'uscc_check_digit' | 'date' | 'check_char';
export type LotCodeRule = DealCodeRule | 'lot_serial';

export interface DealCodeParts {
  /** Stored form: 33 characters, upper case, no hyphens. */
  code: string;
  platformUscc: string;
  /** The China-time day of issue, YYYY-MM-DD. */
  day: string;
  serial: number;
  check: string;
}

export interface LotCodeParts {
  lotCode: string;
  dealCode: string;
  serial: number;
}

export type Parsed<T, R extends string> = { ok: true; value: T } | { ok: false; rule: R; message: string };

const DISPLAY_FORM = 'USCC-yyyyMMdd-NNNNNN-C';

export const DEAL_CODE_MESSAGES: Record<LotCodeRule, string> = {
  length: `统一交易标识码应为 33 位（显示形式 ${DISPLAY_FORM}）`,
  charset: '统一交易标识码含有不允许的字符或连字符位置不正确：前 18 位为统一社会信用代码（不含 I、O、S、V、Z），其后 14 位为数字，末位为校验字符（0-9、A-Z 或 *）',
  uscc_check_digit: '统一交易标识码中的赋码平台统一社会信用代码校验位不正确',
  date: '统一交易标识码中的赋码日期不是有效日期',
  check_char: '统一交易标识码校验字符不正确，请检查是否录入有误',
  lot_serial: '标段编号末 3 位应为 001 至 999',
};

function fail<R extends LotCodeRule>(rule: R): { ok: false; rule: R; message: string } {
  return { ok: false, rule, message: DEAL_CODE_MESSAGES[rule] };
}

/**
 * Splits a text into its stored form: upper case, hyphens removed — but hyphens only where the
 * display form has them (after the USCC, the date, the serial and, for a lot, the check char).
 */
function compact(text: string, segments: readonly number[]): { stored: string } | { rule: 'length' | 'charset' } {
  const t = text.trim().toUpperCase();
  if (!t.includes('-')) return { stored: t };
  const parts = t.split('-');
  const stored = parts.join('');
  const expected = segments.reduce((a, b) => a + b, 0);
  if (stored.length !== expected) return { rule: 'length' };
  if (parts.length !== segments.length || parts.some((p, i) => p.length !== segments[i])) return { rule: 'charset' };
  return { stored };
}

function isRealDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function parseStoredDealCode(code: string): Parsed<DealCodeParts, DealCodeRule> {
  if (code.length !== DEAL_CODE_LENGTH) return fail('length');
  if (!/^[0-9A-Z]{18}[0-9]{14}[0-9A-Z*]$/.test(code)) return fail('charset');
  const uscc = checkUscc(code.slice(0, 18));
  if (!uscc.ok) return fail(uscc.rule === 'format' ? 'charset' : 'uscc_check_digit');
  const ymd = code.slice(18, 26);
  if (!isRealDate(ymd)) return fail('date');
  if (!mod37_2Valid(code)) return fail('check_char');
  return {
    ok: true,
    value: {
      code,
      platformUscc: code.slice(0, 18),
      day: `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`,
      serial: Number(code.slice(26, 32)),
      check: code[32]!,
    },
  };
}

/** Reads a deal code typed or pasted by a person: with or without hyphens, any letter case. */
export function parseDealCode(text: string): Parsed<DealCodeParts, DealCodeRule> {
  const c = compact(text, [18, 8, 6, 1]);
  if ('rule' in c) return fail(c.rule);
  return parseStoredDealCode(c.stored);
}

export function isValidDealCode(text: string): boolean {
  return parseDealCode(text).ok;
}

/** Reads a lot code: the deal code + 3 digits, shown as the deal code's display form + `-NNN`. */
export function parseLotCode(text: string): Parsed<LotCodeParts, LotCodeRule> {
  const c = compact(text, [18, 8, 6, 1, 3]);
  if ('rule' in c) return fail(c.rule);
  if (c.stored.length !== LOT_CODE_LENGTH) return fail('length');
  const deal = parseStoredDealCode(c.stored.slice(0, DEAL_CODE_LENGTH));
  if (!deal.ok) return deal;
  const tail = c.stored.slice(DEAL_CODE_LENGTH);
  if (!/^\d{3}$/.test(tail)) return fail('charset');
  const serial = Number(tail);
  if (serial < 1) return fail('lot_serial');
  return { ok: true, value: { lotCode: c.stored, dealCode: deal.value.code, serial } };
}

/** A code typed by a person, told apart by its length without hyphens: 33 a deal, 36 a lot. */
export function parseAnyCode(text: string): Parsed<{ kind: 'deal'; deal: DealCodeParts } | { kind: 'lot'; lot: LotCodeParts }, LotCodeRule> {
  const length = text.trim().replace(/-/g, '').length;
  if (length === LOT_CODE_LENGTH) {
    const lot = parseLotCode(text);
    return lot.ok ? { ok: true, value: { kind: 'lot', lot: lot.value } } : lot;
  }
  const deal = parseDealCode(text);
  return deal.ok ? { ok: true, value: { kind: 'deal', deal: deal.value } } : deal;
}

// ---- building ----

/** The China-time day (YYYY-MM-DD) a code issued at `at` carries (DOMAIN.md §0: day boundaries in UTC+8). */
export function issueDay(at: Date): string {
  return chinaDate(at);
}

/** The stored code for a platform, a China-time day (YYYY-MM-DD) and that day's serial. */
export function buildDealCode(platformUscc: string, day: string, serial: number): string {
  if (!checkUscc(platformUscc).ok || platformUscc !== platformUscc.toUpperCase()) throw new Error(`not a valid USCC: ${platformUscc}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !isRealDate(day.replace(/-/g, ''))) throw new Error(`not a calendar day: ${day}`);
  if (!Number.isInteger(serial) || serial < 1 || serial > MAX_DAILY_SERIAL) throw new Error(`daily serial out of range: ${serial}`);
  const body = platformUscc + day.replace(/-/g, '') + String(serial).padStart(6, '0');
  return body + mod37_2CheckChar(body);
}

/** `USCC-yyyyMMdd-NNNNNN-C` for a stored deal code; a lot code gets `-NNN` as well. */
export function formatDealCode(code: string): string {
  const base = `${code.slice(0, 18)}-${code.slice(18, 26)}-${code.slice(26, 32)}-${code.slice(32, 33)}`;
  return code.length === LOT_CODE_LENGTH ? `${base}-${code.slice(33)}` : base;
}

/** The stored code of lot `n` (1…999) of a deal. */
export function lotCode(dealCode: string, n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > MAX_LOT_SERIAL) throw new Error(`lot serial out of range: ${n}`);
  if (dealCode.length !== DEAL_CODE_LENGTH) throw new Error(`not a stored deal code: ${dealCode}`);
  return dealCode + String(n).padStart(3, '0');
}

// ---- what a code is issued for ----

/** The closed catalogue of what a deal code may be issued for (trading categories, DOMAIN.md §1). */
export const CODE_KINDS = {
  // A construction tender project (招标项目); its lots (标段) get lot codes.
  tender_project: '工程建设招标项目',
  // A government procurement project.
  procurement_project: '政府采购项目',
  // A land use right transfer.
  land_transfer: '土地使用权出让',
  // A mining right transfer.
  mineral_rights: '矿业权出让',
  // A state-owned property transaction.
  state_property: '国有产权交易',
  // Other trading (emission rights, forest rights, rural collective property, …).
  other: '其他交易',
} as const satisfies Record<string, string>;

export type CodeKind = keyof typeof CODE_KINDS;
export const CODE_KIND_CODES = Object.keys(CODE_KINDS) as CodeKind[];

export function isCodeKind(value: string): value is CodeKind {
  return Object.hasOwn(CODE_KINDS, value);
}
