// Normalisation of what the recogniser read in the fields that have a canonical form: the USCC
// (look-alike repair checked by GB 32100), the registered capital (to 万元) and dates (to ISO).
// Pure functions; the layout rules call them, tests call them directly.

import { checkUscc } from '../../../platform/validation/ids.ts';

/** A character read, with its alternatives (best first) and their probabilities. */
export interface ReadChar {
  char: string;
  alternatives: readonly string[];
  altProbs?: readonly number[];
  prob?: number;
}

// Letters a recogniser confuses with the digits the code alphabet keeps, and letters the
// alphabet leaves out (I O S V Z are not in GB 32100's alphabet, so they cannot be right).
const LOOKALIKE: Record<string, string> = { O: '0', o: '0', I: '1', i: '1', l: '1', '|': '1', S: '5', s: '5', Z: '2', z: '2' };
// Positions 3–8 hold a GB/T 2260 region code: digits only, so more letters map to digits there.
const NUMERIC_LOOKALIKE: Record<string, string> = { ...LOOKALIKE, D: '0', Q: '0', U: '0', B: '8', G: '6', T: '7', L: '1' };

function mapUsccChar(c: string, position: number): string {
  const table = position >= 2 && position <= 7 ? NUMERIC_LOOKALIKE : LOOKALIKE;
  return (table[c] ?? c).toUpperCase();
}

/** An alternative must carry at least this probability to be tried as a repair. */
const MIN_REPAIR_PROB = 0.02;

export interface UsccRepair {
  code: string;
  valid: boolean;
}

/**
 * The code as it should read: full-width and separator characters dropped, look-alikes mapped
 * (O→0, I→1, S→5, Z→2 …). If the check characters still fail, one and then two characters are
 * replaced by the recogniser's own alternatives (least certain positions first) until both
 * GB 32100 checks pass. Null when the reading does not have 18 code characters.
 */
export function repairUscc(read: readonly ReadChar[]): UsccRepair | null {
  const chars = read.filter((c) => /[0-9A-Za-z|]/.test(c.char.normalize('NFKC')));
  if (chars.length !== 18) return null;
  const base = chars.map((c, i) => mapUsccChar(c.char.normalize('NFKC'), i));
  const code = base.join('');
  if (checkUscc(code).ok) return { code, valid: true };

  // Candidate replacements per position, from the alternatives the model itself considered.
  const options = chars.map((c, i) => {
    const out: string[] = [];
    c.alternatives.forEach((alt, k) => {
      if (k === 0 || (c.altProbs && (c.altProbs[k] ?? 0) < MIN_REPAIR_PROB)) return;
      const mapped = mapUsccChar(alt.normalize('NFKC'), i);
      if (/^[0-9A-Z]$/.test(mapped) && mapped !== base[i] && !out.includes(mapped)) out.push(mapped);
    });
    return out;
  });
  const order = chars
    .map((c, i) => ({ i, p: c.prob ?? c.altProbs?.[0] ?? 1 }))
    .filter(({ i }) => options[i]!.length > 0)
    .sort((a, b) => a.p - b.p)
    .map(({ i }) => i);
  for (const i of order) {
    for (const alt of options[i]!) {
      const candidate = [...base];
      candidate[i] = alt;
      if (checkUscc(candidate.join('')).ok) return { code: candidate.join(''), valid: true };
    }
  }
  const few = order.slice(0, 5);
  for (let a = 0; a < few.length; a++) {
    for (let b = a + 1; b < few.length; b++) {
      for (const altA of options[few[a]!]!) {
        for (const altB of options[few[b]!]!) {
          const candidate = [...base];
          candidate[few[a]!] = altA;
          candidate[few[b]!] = altB;
          if (checkUscc(candidate.join('')).ok) return { code: candidate.join(''), valid: true };
        }
      }
    }
  }
  return { code, valid: false };
}

/** Every 18-character run of code-like characters in `text` that passes the checks after look-alike mapping. */
export function findUsccIn(text: string): string | null {
  const compact = text.normalize('NFKC').replace(/[\s\-－]/g, '');
  for (const m of compact.matchAll(/[0-9A-Za-z|]{18,}/g)) {
    const run = m[0];
    for (let start = 0; start + 18 <= run.length; start++) {
      const code = Array.from(run.slice(start, start + 18), (c, i) => mapUsccChar(c, i)).join('');
      if (checkUscc(code).ok) return code;
    }
  }
  return null;
}

// ------------------------------------------------------------------------------- capital

const CN_DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 壹: 1, 一: 1, 贰: 2, 貳: 2, 二: 2, 两: 2, 叁: 3, 參: 3, 三: 3, 肆: 4, 四: 4,
  伍: 5, 五: 5, 陆: 6, 陸: 6, 六: 6, 柒: 7, 七: 7, 捌: 8, 八: 8, 玖: 9, 九: 9,
};
const CN_UNITS: Record<string, number> = { 拾: 10, 十: 10, 佰: 100, 百: 100, 仟: 1000, 千: 1000 };

/** Capital numerals (伍仟万零伍仟) to yuan; null when something in it is not a numeral. */
function chineseNumeralToNumber(text: string): number | null {
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  let seen = false;
  for (const ch of text) {
    if (ch in CN_DIGITS) {
      digit = CN_DIGITS[ch]!;
      seen = true;
    } else if (ch in CN_UNITS) {
      section += (digit ?? 1) * CN_UNITS[ch]!;
      digit = null;
      seen = true;
    } else if (ch === '万' || ch === '萬') {
      total += (section + (digit ?? 0)) * 1e4;
      section = 0;
      digit = null;
    } else if (ch === '亿' || ch === '億') {
      total = (total + section + (digit ?? 0)) * 1e8;
      section = 0;
      digit = null;
    } else {
      return null;
    }
  }
  return seen ? total + section + (digit ?? 0) : null;
}

const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;

/**
 * Registered capital in 万元: `人民币伍佰万元整` → 500, `500万元人民币` → 500, `伍仟万圆整` → 5000,
 * `1000.5万元` → 1000.5, `5000000元` → 500, `1.2亿元` → 12000. The currency word is dropped:
 * the form records the amount as written on the licence.
 */
export function parseCapitalWanYuan(text: string): number | null {
  const t = text
    .normalize('NFKC')
    .replace(/[\s,，]/g, '')
    .replace(/人民币|美元|港元|港币|欧元|日元|英镑/g, '')
    .replace(/[(（][^)）]*[)）]/g, '');
  const arabic = /(\d+(?:\.\d+)?)(亿|万)?(?:元|圆)?/.exec(t.replace(/[Oo]/g, '0'));
  if (arabic && /\d/.test(t)) {
    const value = Number(arabic[1]);
    if (!Number.isFinite(value)) return null;
    return round6(arabic[2] === '亿' ? value * 1e4 : arabic[2] === '万' ? value : value / 1e4);
  }
  const numerals = t.replace(/[元圆]整?$|整$/g, '').replace(/[元圆]/g, '');
  if (numerals === '') return null;
  const yuan = chineseNumeralToNumber(numerals);
  return yuan === null ? null : round6(yuan / 1e4);
}

// --------------------------------------------------------------------------------- dates

/** `2015年03月18日`, `2015年3月18日`, `2015-03-18`, `2015.03.18` → `2015-03-18`; null unless a real date. */
export function parseLicenceDate(text: string): string | null {
  const t = text.normalize('NFKC').replace(/\s/g, '').replace(/[Oo]/g, '0').replace(/[Il|]/g, '1');
  const m = /(\d{4})(?:年|[-./])(\d{1,2})(?:月|[-./])(\d{1,2})/.exec(t);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
