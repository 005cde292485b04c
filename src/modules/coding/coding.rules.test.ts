import { describe, expect, it } from 'vitest';
import { DEFAULT_CODING_USCC } from '../../platform/config.ts';
import {
  buildDealCode,
  formatDealCode,
  isValidDealCode,
  issueDay,
  lotCode,
  MAX_DAILY_SERIAL,
  MAX_LOT_SERIAL,
  MOD37_ALPHABET,
  mod37_2CheckChar,
  mod37_2Valid,
  parseAnyCode,
  parseDealCode,
  parseLotCode,
} from './coding.rules.ts';

/** The definition, written out the slow way: Σ value(cᵢ) × 2ⁱ mod 37, i from the right, check at i = 0. */
function definitionSum(code: string): number {
  let sum = 0;
  for (let i = 0; i < code.length; i++) {
    let weight = 1;
    for (let k = 0; k < i; k++) weight = (weight * 2) % 37;
    sum = (sum + MOD37_ALPHABET.indexOf(code[code.length - 1 - i]!) * weight) % 37;
  }
  return sum;
}

// Hand-computed vector 1: the platform's default USCC 12140000405200000H, day 2026-03-01, serial 1.
// Body 12140000405200000H20260301000001. Horner's rule, left to right: acc ← (acc + value) × 2 mod
// 37 (each body character then carries 2ⁱ with i ≥ 1). Values: digits are themselves, H = 17.
//   1:(0+1)×2=2   2:(2+2)×2=8   1:(8+1)×2=18  4:(18+4)×2=44→7  0:14  0:28  0:56→19  0:38→1
//   4:(1+4)×2=10  0:20  5:(20+5)×2=50→13  2:(13+2)×2=30  0:60→23  0:46→9  0:18  0:36
//   0:72→35  H:(35+17)×2=104→30  2:(30+2)×2=64→27  0:54→17  2:(17+2)×2=38→1  6:(1+6)×2=14
//   0:28  3:(28+3)×2=62→25  0:50→13  1:(13+1)×2=28  0:56→19  0:38→1  0:2  0:4  0:8
//   1:(8+1)×2=18
// Body sum S = 18; the check value c satisfies S + c ≡ 1, so c = 1 − 18 = −17 ≡ 20 → 'K'.
const VECTOR_1 = '12140000405200000H20260301000001K';
// Vector 2: USCC 91350100M000100Y43 (DOMAIN.md sample), 2026-03-02, serial 123; M = 22, Y = 34.
//   9:18  1:38→1  3:8  5:26  0:52→15  1:32  0:64→27  0:54→17  M:(17+22)×2=78→4  0:8  0:16
//   0:32  1:66→29  0:58→21  0:42→5  Y:(5+34)×2=78→4  4:16  3:38→1  2:6  0:12  2:28
//   6:68→31  0:62→25  3:56→19  0:38→1  2:6  0:12  0:24  0:48→11  1:24  2:52→15  3:36
// S = 36, c = 1 − 36 = −35 ≡ 2 → '2'.
const VECTOR_2 = '91350100M000100Y4320260302000123' + '2';

describe('ISO 7064 MOD 37,2', () => {
  it('matches the hand-computed vectors', () => {
    expect(mod37_2CheckChar('12140000405200000H20260301000001')).toBe('K');
    expect(mod37_2CheckChar('91350100M000100Y4320260302000123')).toBe('2');
    expect(buildDealCode(DEFAULT_CODING_USCC, '2026-03-01', 1)).toBe(VECTOR_1);
    expect(buildDealCode('91350100M000100Y43', '2026-03-02', 123)).toBe(VECTOR_2);
  });

  it('gives the small cases one can do in one’s head', () => {
    // All zeros: S = 0, c = 1.
    expect(mod37_2CheckChar('0'.repeat(32))).toBe('1');
    // A 1 in the last body place (weight 2): S = 2, c = −1 ≡ 36 → '*'.
    expect(mod37_2CheckChar('0'.repeat(31) + '1')).toBe('*');
    // A 1 one place further left (weight 4): S = 4, c = −3 ≡ 34 → 'Y'.
    expect(mod37_2CheckChar('0'.repeat(30) + '10')).toBe('Y');
    // Z (35) in the last body place: S = 70 ≡ 33, c = −32 ≡ 5.
    expect(mod37_2CheckChar('0'.repeat(31) + 'Z')).toBe('5');
  });

  it('agrees with the definition Σ value × 2ⁱ ≡ 1 (mod 37) on many bodies', () => {
    let seed = 20260301;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < 500; n++) {
      let body = '';
      for (let k = 0; k < 32; k++) body += MOD37_ALPHABET[next() % 36]!;
      const code = body + mod37_2CheckChar(body);
      expect(definitionSum(code)).toBe(1);
      expect(mod37_2Valid(code)).toBe(true);
    }
  });

  it('detects every change of one character and every swap of two adjacent different characters', () => {
    for (const code of [VECTOR_1, VECTOR_2, buildDealCode(DEFAULT_CODING_USCC, '2026-12-31', 999_999)]) {
      for (let i = 0; i < code.length; i++) {
        for (const c of MOD37_ALPHABET) {
          if (c === code[i]) continue;
          const changed = code.slice(0, i) + c + code.slice(i + 1);
          expect(mod37_2Valid(changed), `${changed} (position ${i})`).toBe(false);
          expect(isValidDealCode(changed)).toBe(false);
        }
      }
      for (let i = 0; i + 1 < code.length; i++) {
        if (code[i] === code[i + 1]) continue;
        const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
        expect(mod37_2Valid(swapped), `${swapped} (positions ${i}, ${i + 1})`).toBe(false);
        expect(isValidDealCode(swapped)).toBe(false);
      }
    }
  });
});

describe('parsing a deal code', () => {
  it('accepts the stored and the display form, in any case', () => {
    const expected = { code: VECTOR_1, platformUscc: '12140000405200000H', day: '2026-03-01', serial: 1, check: 'K' };
    expect(parseDealCode(VECTOR_1)).toEqual({ ok: true, value: expected });
    expect(formatDealCode(VECTOR_1)).toBe('12140000405200000H-20260301-000001-K');
    expect(parseDealCode('12140000405200000h-20260301-000001-k')).toEqual({ ok: true, value: expected });
    expect(parseDealCode(' 12140000405200000H-20260301-000001-K ')).toEqual({ ok: true, value: expected });
    expect(parseDealCode(VECTOR_2)).toMatchObject({ ok: true, value: { serial: 123, day: '2026-03-02' } });
  });

  it('names the rule that failed', () => {
    const rule = (text: string) => {
      const r = parseDealCode(text);
      return r.ok ? 'ok' : r.rule;
    };
    expect(rule(VECTOR_1.slice(0, 32))).toBe('length');
    expect(rule(VECTOR_1 + '0')).toBe('length');
    expect(rule('')).toBe('length');
    expect(rule('12140000405200000H-20260301-00000-1K')).toBe('charset');
    expect(rule('12140000405200000H20260301-000001-K')).toBe('charset');
    expect(rule('12140000405200000H2026030100000AK')).toBe('charset');
    expect(rule('12140000405200000H20260301000001+')).toBe('charset');
    // I is not in the USCC alphabet.
    expect(rule('1214000040520000IH20260301000001K')).toBe('charset');
    // USCC check digit (position 18) and organisation code check digit (17) wrong.
    expect(rule('12140000405200000J20260301000001K')).toBe('uscc_check_digit');
    expect(rule('12140000405200001L20260301000001K')).toBe('uscc_check_digit');
    const feb30 = '12140000405200000H20260230000001';
    expect(rule(feb30 + mod37_2CheckChar(feb30))).toBe('date');
    const leap = '12140000405200000H20280229000001';
    expect(rule(leap + mod37_2CheckChar(leap))).toBe('ok');
    expect(rule('12140000405200000H20260301000001L')).toBe('check_char');
    const r = parseDealCode('12140000405200000H20260301000001L');
    expect(r.ok ? '' : r.message).toContain('校验字符');
  });
});

describe('lot codes', () => {
  it('are the deal code and a 3-digit serial from 001 to 999', () => {
    expect(lotCode(VECTOR_1, 1)).toBe(`${VECTOR_1}001`);
    expect(lotCode(VECTOR_1, MAX_LOT_SERIAL)).toBe(`${VECTOR_1}999`);
    expect(() => lotCode(VECTOR_1, 0)).toThrow();
    expect(() => lotCode(VECTOR_1, MAX_LOT_SERIAL + 1)).toThrow();
    expect(formatDealCode(`${VECTOR_1}002`)).toBe('12140000405200000H-20260301-000001-K-002');
    expect(parseLotCode('12140000405200000H-20260301-000001-K-002')).toEqual({ ok: true, value: { lotCode: `${VECTOR_1}002`, dealCode: VECTOR_1, serial: 2 } });
    expect(parseLotCode(`${VECTOR_1}000`)).toMatchObject({ ok: false, rule: 'lot_serial' });
    expect(parseLotCode(`${VECTOR_1}00A`)).toMatchObject({ ok: false, rule: 'charset' });
    expect(parseLotCode(`${VECTOR_1.slice(0, 32)}L002`)).toMatchObject({ ok: false, rule: 'check_char' });
    expect(parseLotCode(VECTOR_1)).toMatchObject({ ok: false, rule: 'length' });
  });

  it('are told apart from deal codes by length', () => {
    expect(parseAnyCode(VECTOR_1)).toMatchObject({ ok: true, value: { kind: 'deal' } });
    expect(parseAnyCode(`${formatDealCode(VECTOR_1)}-003`)).toMatchObject({ ok: true, value: { kind: 'lot', lot: { serial: 3 } } });
    expect(parseAnyCode('12345')).toMatchObject({ ok: false, rule: 'length' });
    // Hyphens go where the display form has them, or nowhere.
    expect(parseAnyCode(`${VECTOR_1}-003`)).toMatchObject({ ok: false, rule: 'charset' });
  });
});

describe('building a code', () => {
  it('takes the China-time day (UTC+8) of the instant', () => {
    expect(issueDay(new Date('2026-03-01T15:59:59.999Z'))).toBe('2026-03-01');
    expect(issueDay(new Date('2026-03-01T16:00:00.000Z'))).toBe('2026-03-02');
  });

  it('refuses serials outside 1…999999 and anything but a valid USCC', () => {
    expect(buildDealCode(DEFAULT_CODING_USCC, '2026-03-01', MAX_DAILY_SERIAL).slice(26, 32)).toBe('999999');
    expect(() => buildDealCode(DEFAULT_CODING_USCC, '2026-03-01', MAX_DAILY_SERIAL + 1)).toThrow();
    expect(() => buildDealCode(DEFAULT_CODING_USCC, '2026-03-01', 0)).toThrow();
    expect(() => buildDealCode('12140000405200000J', '2026-03-01', 1)).toThrow();
    expect(() => buildDealCode(DEFAULT_CODING_USCC, '2026-02-30', 1)).toThrow();
  });
});
