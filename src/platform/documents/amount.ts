// Money as it is printed on documents: digits with grouping, and the Chinese capital numerals
// (大写金额) that award notices and contracts carry beside the digits so that an amount cannot be
// altered. Amounts are integer fen (分), never floats.
//
// Capitals follow the conventions of 《支付结算办法》 (附件一 正确填写票据和结算凭证的基本规定):
// 壹贰叁肆伍陆柒捌玖 with 拾佰仟万亿; "整" after 元 when there are no 角 or 分, none after 角 or
// 分; 拾 is always preceded by 壹 (10 → 壹拾元整); a run of zeros inside the number, or zeros at
// the head of a 万/亿 section, read as one 零 (100001 → 壹拾万零壹元整, 100001000 → 壹亿零壹仟元整);
// 元 followed by 分 without 角 writes 零 (1000000000.01 → 壹拾亿元零壹分); amounts below one
// yuan omit 元 (0.05 → 伍分).

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
const PLACES = ['仟', '佰', '拾', ''] as const;
const SECTIONS = ['', '万', '亿'] as const;

/** Largest amount the capitals cover: 9999 9999 9999.99 yuan (sections up to 亿). */
export const MAX_CAPITAL_AMOUNT_FEN = 999_999_999_999_99n;

function toBigInt(fen: number | bigint): bigint {
  if (typeof fen === 'number' && !Number.isSafeInteger(fen)) throw new RangeError('amount must be an integer number of fen');
  return BigInt(fen);
}

/** The integer part (yuan) in capitals, without 元; '' for 0. */
function integerCapitals(yuan: bigint): string {
  const groups: number[] = [];
  for (let v = yuan; v > 0n; v /= 10000n) groups.unshift(Number(v % 10000n));
  let out = '';
  let zeroPending = false;
  groups.forEach((group, i) => {
    const section = SECTIONS[groups.length - 1 - i] ?? '';
    if (group === 0) {
      zeroPending = out !== '';
      return;
    }
    if (out !== '' && (zeroPending || group < 1000)) out += '零';
    zeroPending = false;
    const digits = group.toString().padStart(4, '0');
    let started = false;
    let innerZero = false;
    for (let p = 0; p < 4; p++) {
      const d = Number(digits[p]);
      if (d === 0) {
        if (started) innerZero = true;
        continue;
      }
      if (innerZero) out += '零';
      innerZero = false;
      started = true;
      out += (DIGITS[d] ?? '') + PLACES[p];
    }
    out += section;
  });
  return out;
}

/** 123456789 fen → 壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分. */
export function amountInCapitals(fen: number | bigint): string {
  const v = toBigInt(fen);
  if (v < 0n) throw new RangeError('amount must not be negative');
  if (v > MAX_CAPITAL_AMOUNT_FEN) throw new RangeError('amount too large for capital numerals');
  const yuan = v / 100n;
  const jiao = Number((v / 10n) % 10n);
  const fenDigit = Number(v % 10n);
  const int = integerCapitals(yuan);
  if (jiao === 0 && fenDigit === 0) return int === '' ? '零元整' : `${int}元整`;
  let out = int === '' ? '' : `${int}元`;
  if (jiao > 0) out += `${DIGITS[jiao]}角`;
  else if (int !== '') out += '零';
  if (fenDigit > 0) out += `${DIGITS[fenDigit]}分`;
  return out;
}

/** 123456789 fen → "1234567.89". */
export function fenToYuanString(fen: number | bigint): string {
  const v = toBigInt(fen);
  const sign = v < 0n ? '-' : '';
  const abs = v < 0n ? -v : v;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** 123456789 fen → "1,234,567.89". */
export function formatYuan(fen: number | bigint): string {
  const [int = '0', dec = '00'] = fenToYuanString(fen).split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = sign ? int.slice(1) : int;
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${dec}`;
}

/** "¥1,234,567.89 元（大写：人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分）". */
export function yuanWithCapitals(fen: number | bigint): string {
  return `¥${formatYuan(fen)} 元（大写：人民币${amountInCapitals(fen)}）`;
}
