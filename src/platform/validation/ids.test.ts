import { describe, expect, it } from 'vitest';
import { checkIdNumber, checkUscc, maskBankAccount, maskIdNumber, maskName, maskPhone } from './ids.ts';

// Builds a valid ID number around the first 17 digits, to test one rule at a time.
const withCheckDigit = (first17: string): string => {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(first17[i]), 0);
  return first17 + '10X98765432'[sum % 11];
};

// Builds a USCC with both check characters right, from the first 8 chars and the 8-char org body.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const buildUscc = (head8: string, orgBody8: string): string => {
  const orgWeights = [3, 7, 9, 10, 5, 8, 4, 2];
  const c = 11 - (orgWeights.reduce((acc, w, i) => acc + w * parseInt(orgBody8[i] ?? '', 36), 0) % 11);
  const first17 = head8 + orgBody8 + (c === 10 ? 'X' : c === 11 ? '0' : String(c));
  const sum = [...first17].reduce((acc, ch, i) => acc + ALPHABET.indexOf(ch) * (3 ** i % 31), 0);
  return first17 + ALPHABET[(31 - (sum % 31)) % 31];
};

describe('checkIdNumber', () => {
  const today = new Date('2024-06-15T04:00:00Z'); // 12:00 in Beijing

  it.each([
    ['11010519491231002X', '1949-12-31', 'female', '110105'],
    ['440524188001010014', '1880-01-01', 'male', '440524'],
    ['110101199003074477', '1990-03-07', 'male', '110101'],
  ])('accepts the sample %s', (id, birthDate, gender, regionCode) => {
    expect(checkIdNumber(id, today)).toEqual({ ok: true, normalized: id, birthDate, gender, regionCode });
  });

  it('accepts a lowercase x and normalises it', () => {
    expect(checkIdNumber('11010519491231002x', today)).toMatchObject({ ok: true, normalized: '11010519491231002X' });
  });

  it('rejects the sample with a wrong check digit', () => {
    expect(checkIdNumber('11010119900307447X', today)).toEqual({ ok: false, rule: 'check_digit' });
    expect(checkIdNumber('110101199003074478', today)).toEqual({ ok: false, rule: 'check_digit' });
  });

  it.each([
    ['17 characters', '11010519491231002'],
    ['19 characters', '11010519491231002X0'],
    ['empty', ''],
    ['X not at the end', '1101051949123100X2'],
    ['other letter', '11010519491231002Y'],
    ['leading zero region', '01010519491231002X'],
    ['full-width digit', '１1010519491231002X'],
    ['spaces', ' 11010519491231002X'],
    ['15-digit first-generation number', '110105491231002'],
  ])('rejects the format: %s', (_case, id) => {
    expect(checkIdNumber(id, today)).toEqual({ ok: false, rule: 'format' });
  });

  it('checks the birth date exists', () => {
    expect(checkIdNumber(withCheckDigit('14010520230229001'), today)).toEqual({ ok: false, rule: 'birth_date' });
    expect(checkIdNumber(withCheckDigit('14010519000229001'), today)).toEqual({ ok: false, rule: 'birth_date' }); // 1900 not leap
    expect(checkIdNumber(withCheckDigit('14010520000229001'), today)).toMatchObject({ ok: true, birthDate: '2000-02-29' });
    expect(checkIdNumber(withCheckDigit('14010520240229001'), today)).toMatchObject({ ok: true, birthDate: '2024-02-29' });
    expect(checkIdNumber(withCheckDigit('14010519900431001'), today)).toEqual({ ok: false, rule: 'birth_date' });
    expect(checkIdNumber(withCheckDigit('14010519901301001'), today)).toEqual({ ok: false, rule: 'birth_date' });
    expect(checkIdNumber(withCheckDigit('14010519900100001'), today)).toEqual({ ok: false, rule: 'birth_date' });
  });

  it('accepts a birth date of today and rejects tomorrow, in China Standard Time', () => {
    expect(checkIdNumber(withCheckDigit('14010520240615001'), today)).toMatchObject({ ok: true });
    expect(checkIdNumber(withCheckDigit('14010520240616001'), today)).toEqual({ ok: false, rule: 'birth_date' });
    // 16:00 UTC on the 15th is already the 16th in Beijing.
    expect(checkIdNumber(withCheckDigit('14010520240616001'), new Date('2024-06-15T16:00:00Z'))).toMatchObject({ ok: true });
    expect(checkIdNumber(withCheckDigit('14010520240616001'), new Date('2024-06-15T15:59:59.999Z'))).toEqual({
      ok: false,
      rule: 'birth_date',
    });
  });

  it('reads the gender from the parity of the sequence number', () => {
    expect(checkIdNumber(withCheckDigit('14010519900101001'), today)).toMatchObject({ gender: 'male' });
    expect(checkIdNumber(withCheckDigit('14010519900101002'), today)).toMatchObject({ gender: 'female' });
  });

  it('defaults today to now', () => {
    expect(checkIdNumber('110101199003074477')).toMatchObject({ ok: true });
    expect(checkIdNumber(withCheckDigit('14010530000101001'))).toEqual({ ok: false, rule: 'birth_date' });
  });
});

describe('checkUscc', () => {
  it.each(['91350100M000100Y43', '91110000600037341L', '11100000000013127D', '91140100MA0K123488'])(
    'accepts the sample %s',
    (code) => {
      expect(checkUscc(code)).toEqual({ ok: true, normalized: code });
    },
  );

  it('accepts lower case and normalises it', () => {
    expect(checkUscc('91140100ma0k123488')).toEqual({ ok: true, normalized: '91140100MA0K123488' });
  });

  it('maps a remainder of 0 to check character 0 (31 → 0)', () => {
    // Search the org-code space for a code whose Σ is a multiple of 31.
    let found: string | undefined;
    for (let i = 0; i < 10_000 && !found; i++) {
      const code = buildUscc('91140100', 'MA0K' + String(i).padStart(4, '0'));
      if (code.endsWith('0')) found = code;
    }
    expect(found).toBeDefined();
    expect(checkUscc(found ?? '')).toMatchObject({ ok: true });
  });

  it('maps the organisation-code check values 10 → X and 11 → 0', () => {
    // Bodies chosen so that 11 − (Σ mod 11) is 10 and 11.
    const ten = buildUscc('91140100', '00000030'); // Σ = 3 × 4 = 12, 11 − 1 = 10
    const eleven = buildUscc('91140100', '00000000'); // Σ = 0, 11 − 0 = 11
    expect(ten.slice(16, 17)).toBe('X');
    expect(eleven.slice(16, 17)).toBe('0');
    expect(checkUscc(ten)).toMatchObject({ ok: true });
    expect(checkUscc(eleven)).toMatchObject({ ok: true });
  });

  it.each([
    ['17 characters', '91350100M000100Y4'],
    ['19 characters', '91350100M000100Y433'],
    ['empty', ''],
    ['letter I', '91350100M000100I43'],
    ['letter O', '91350100M000100O43'],
    ['letter S', '91350100M000100S43'],
    ['letter V', '91350100M000100V43'],
    ['letter Z', '91350100M000100Z43'],
    ['letter in the region code', '913501A0M000100Y43'],
    ['punctuation', '91350100M000100Y4-'],
  ])('rejects the format: %s', (_case, code) => {
    expect(checkUscc(code)).toEqual({ ok: false, rule: 'format' });
  });

  it('rejects a wrong final check character', () => {
    expect(checkUscc('91350100M000100Y44')).toEqual({ ok: false, rule: 'check_digit' });
    expect(checkUscc('91110000600037341K')).toEqual({ ok: false, rule: 'check_digit' });
  });

  it('rejects a wrong organisation-code check character even when C18 matches', () => {
    // Change char 17 and recompute C18 so only the GB 11714 check is wrong.
    const first17 = '91350100M000100Y5';
    const sum = [...first17].reduce((acc, ch, i) => acc + ALPHABET.indexOf(ch) * (3 ** i % 31), 0);
    const code = first17 + ALPHABET[(31 - (sum % 31)) % 31];
    expect(checkUscc(code)).toEqual({ ok: false, rule: 'org_code_check_digit' });
  });
});

describe('masking', () => {
  it('masks ID numbers keeping the first 6 and last 4', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber('1234567890')).toBe('**********');
    expect(maskIdNumber('')).toBe('');
  });

  it('masks phones keeping the first 3 and last 4', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('1234567')).toBe('*******');
  });

  it('masks bank accounts keeping the last 4', () => {
    expect(maskBankAccount('6222021234567890123')).toBe('***************0123');
    expect(maskBankAccount('6222 0212 3456 7890')).toBe('************7890');
    expect(maskBankAccount('1234')).toBe('****');
  });

  it('masks names keeping the first character', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('张')).toBe('*');
    expect(maskName('𠮷田')).toBe('𠮷*');
    expect(maskName('')).toBe('');
  });
});
