import { describe, expect, it } from 'vitest';
import { checkUscc } from '../../../platform/validation/ids.ts';
import { findUsccIn, parseCapitalWanYuan, parseLicenceDate, repairUscc, type ReadChar } from './licence-normalize.ts';

const reading = (text: string, alts: Record<number, [string, number][]> = {}): ReadChar[] =>
  Array.from(text, (char, i) => {
    const extra = alts[i] ?? [];
    return { char, prob: extra.length > 0 ? 0.6 : 0.99, alternatives: [char, ...extra.map((a) => a[0])], altProbs: [0.6, ...extra.map((a) => a[1])] };
  });

describe('parseCapitalWanYuan', () => {
  it.each([
    ['人民币伍佰万元整', 500],
    ['500万元人民币', 500],
    ['伍仟万圆整', 5000],
    ['1000.5万元', 1000.5],
    ['人民币壹仟万零伍仟元整', 1000.5],
    ['贰佰伍拾万元', 250],
    ['拾万元整', 10],
    ['壹亿贰仟万元', 12000],
    ['1.2亿元', 12000],
    ['5,000,000元', 500],
    ['50万元', 50],
    ['叁佰万美元', 300],
    ['１０００万元', 1000],
  ])('%s → %s 万元', (text, expected) => {
    expect(parseCapitalWanYuan(text)).toBe(expected);
  });

  it.each(['', '人民币', '长期', '万元整'])('%j has no amount', (text) => {
    expect(parseCapitalWanYuan(text)).toBeNull();
  });
});

describe('parseLicenceDate', () => {
  it.each([
    ['2015年03月18日', '2015-03-18'],
    ['2015年3月8日', '2015-03-08'],
    ['2015-03-18', '2015-03-18'],
    ['2015.03.18', '2015-03-18'],
    ['2O15年O3月18日', '2015-03-18'],
    ['2015年03月18日至长期', '2015-03-18'],
    ['2024年02月29日', '2024-02-29'],
  ])('%s → %s', (text, expected) => {
    expect(parseLicenceDate(text)).toBe(expected);
  });

  it.each(['2023年02月29日', '2015年13月01日', '2015年03月', '长期'])('%s is not a date', (text) => {
    expect(parseLicenceDate(text)).toBeNull();
  });
});

describe('repairUscc', () => {
  it('accepts a correct reading as it is', () => {
    expect(repairUscc(reading('91140100MA0K123488'))).toEqual({ code: '91140100MA0K123488', valid: true });
  });

  it('maps look-alikes the alphabet excludes: O→0, I→1, S→5, Z→2, lower case', () => {
    expect(repairUscc(reading('9114O1OOMAOKI234BB'))).toMatchObject({ valid: false });
    expect(repairUscc(reading('9114O1OOMAOK1Z3488'))).toEqual({ code: '91140100MA0K123488', valid: true });
    expect(repairUscc(reading('91l40100ma0k123488'))).toEqual({ code: '91140100MA0K123488', valid: true });
  });

  it('maps more letters to digits in the region-code positions 3–8', () => {
    // B→8 and D→0 are legal code letters elsewhere, so only positions 3–8 map them.
    expect(repairUscc(reading('9114D1DDMA0K123488'))).toEqual({ code: '91140100MA0K123488', valid: true });
  });

  it('drops spaces and separators before counting', () => {
    expect(repairUscc(reading('9114 0100-MA0K 123488'))).toEqual({ code: '91140100MA0K123488', valid: true });
  });

  it('repairs one misread character from the model’s own alternatives', () => {
    const r = reading('91140100MA0K123486', { 17: [['8', 0.3]] });
    expect(repairUscc(r)).toEqual({ code: '91140100MA0K123488', valid: true });
  });

  it('repairs two misread characters', () => {
    const r = reading('91140100MA0K1Z3466', { 16: [['8', 0.2]], 17: [['8', 0.2]] });
    expect(repairUscc(r)).toEqual({ code: '91140100MA0K123488', valid: true });
  });

  it('ignores alternatives the model gave almost no weight', () => {
    const r = reading('91140100MA0K123486', { 17: [['8', 0.001]] });
    expect(repairUscc(r)).toEqual({ code: '91140100MA0K123486', valid: false });
  });

  it('returns null unless there are 18 code characters', () => {
    expect(repairUscc(reading('91140100MA0K12348'))).toBeNull();
    expect(repairUscc(reading('91140100MA0K1234888'))).toBeNull();
  });
});

describe('findUsccIn', () => {
  it('finds a valid code inside other text', () => {
    expect(findUsccIn('统一社会信用代码：9114O1OOMA0K123488（1/1）')).toBe('91140100MA0K123488');
    expect(checkUscc(findUsccIn('x 91350100M000100Y43 y')!).ok).toBe(true);
  });

  it('finds nothing when no run passes the check', () => {
    expect(findUsccIn('91140100MA0K123489')).toBeNull();
    expect(findUsccIn('名称')).toBeNull();
  });
});
