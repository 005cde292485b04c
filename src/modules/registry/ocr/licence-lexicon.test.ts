import { describe, expect, it } from 'vitest';
import { LEXICON_MIN_PROB, correctPlaceNames, regionGazetteer } from './licence-lexicon.ts';
import type { OcrChar, RecognizedLine } from './licence-ocr.types.ts';

/** A reading of `text`; at the given offsets the model's runner-ups with their probabilities. */
const read = (text: string, alts: Record<number, [string, number][]> = {}): OcrChar[] =>
  Array.from(text, (char, i) => {
    const extra = alts[i] ?? [];
    const first = 1 - extra.reduce((s, [, p]) => s + p, 0);
    return { char, prob: first, alternatives: [char, ...extra.map((a) => a[0])], altProbs: [first, ...extra.map((a) => a[1])], x: i };
  });
const line = (chars: OcrChar[]): RecognizedLine => ({ chars, confidence: 0.95, x0: 0, y0: 0, x1: chars.length, y1: 1 });
const text = (chars: readonly OcrChar[]): string => chars.map((c) => c.char).join('');

// What PP-OCRv4 reads on a clean rendered licence of 长治市潞城区 (probabilities as measured).
const NAME = () => read('长治市路城区路安煤机设备有限公司', { 3: [['潞', 0.0441]], 6: [['潞', 0.2512]] });
const ADDRESS = () => read('山西省长治市路城区路华街道太行西街56号', { 6: [['潞', 0.0924]], 9: [['潞', 0.0202]] });

describe('regionGazetteer', () => {
  it('pairs every city with the province and every county with its city', () => {
    const g = regionGazetteer();
    expect(g).toContain('长治市潞城区');
    expect(g).toContain('长治市潞州区');
    expect(g).toContain('山西省忻州市');
    expect(g).toContain('太原市小店区');
    expect(g).not.toContain('潞城区'); // never a bare name: the anchor is the point
  });
});

describe('correctPlaceNames', () => {
  it('reads an anchored county name with the alternative the model gave it, and the same glyph elsewhere on the page', () => {
    const name = NAME();
    const address = ADDRESS();
    const fixes = correctPlaceNames([name, address], [line(name), line(address)]);
    expect(text(name)).toBe('长治市潞城区潞安煤机设备有限公司');
    expect(text(address)).toBe('山西省长治市潞城区潞华街道太行西街56号');
    expect(fixes.filter((f) => 'placeName' in f.because)).toEqual([
      { from: '路', to: '潞', because: { placeName: '长治市潞城区' } },
      { from: '路', to: '潞', because: { placeName: '长治市潞城区' } },
    ]);
    expect(fixes.filter((f) => 'sameGlyph' in f.because)).toHaveLength(2);
    // The model's first reading stays as the runner-up, with its probability.
    expect(name[3]!.alternatives).toEqual(['潞', '路']);
    expect(name[3]!.prob).toBeCloseTo(0.0441);
    expect(name[3]!.altProbs[1]).toBeCloseTo(1 - 0.0441);
  });

  it('leaves a true 路 alone: the model gives 潞 almost nothing there', () => {
    const address = read('山西省长治市路城区长治路123号', { 6: [['潞', 0.09]], 12: [['潞', 0.00004]] });
    correctPlaceNames([address], [line(address)]);
    expect(text(address)).toBe('山西省长治市潞城区长治路123号');
  });

  it(`needs the alternative at ${LEXICON_MIN_PROB} or more, in the pair and for the same glyph`, () => {
    const just = read('长治市路城区', { 3: [['潞', LEXICON_MIN_PROB]] });
    correctPlaceNames([just], [line(just)]);
    expect(text(just)).toBe('长治市潞城区');

    const below = read('长治市路城区', { 3: [['潞', LEXICON_MIN_PROB - 0.0001]] });
    expect(correctPlaceNames([below], [line(below)])).toEqual([]);
    expect(text(below)).toBe('长治市路城区');

    const page = read('长治市路城区路安路华', { 3: [['潞', 0.05]], 6: [['潞', LEXICON_MIN_PROB]], 8: [['潞', LEXICON_MIN_PROB - 0.0001]] });
    correctPlaceNames([page], [line(page)]);
    expect(text(page)).toBe('长治市潞城区潞安路华');
  });

  it('corrects nothing without the anchor, or when the alternative is not the one the name needs', () => {
    const bare = read('路城区路华街道', { 0: [['潞', 0.3]], 3: [['潞', 0.3]] });
    expect(correctPlaceNames([bare], [line(bare)])).toEqual([]);
    expect(text(bare)).toBe('路城区路华街道');

    const other = read('长治市路城区', { 3: [['璐', 0.3]] });
    expect(correctPlaceNames([other], [line(other)])).toEqual([]);
  });

  it('does not make a place name out of a text that differs in more than two characters', () => {
    const far = read('长冶币路城区', { 1: [['治', 0.2]], 2: [['市', 0.2]], 3: [['潞', 0.2]] });
    expect(correctPlaceNames([far], [line(far)])).toEqual([]);
    expect(text(far)).toBe('长冶币路城区');
  });

  it('matches across the spaces between cells and the wrap of a long address', () => {
    const wrapped = [...read('山西省长治市'), { char: ' ', prob: 1, alternatives: [' '], altProbs: [1], x: 6 }, ...read('路城区', { 0: [['潞', 0.05]] })];
    correctPlaceNames([wrapped], [line(wrapped)]);
    expect(text(wrapped)).toBe('山西省长治市 潞城区');
  });

  it('changes nothing on a page already read right', () => {
    const name = read('长治市潞城区潞安煤机设备有限公司', { 3: [['路', 0.1]] });
    expect(correctPlaceNames([name], [line(name)])).toEqual([]);
    expect(text(name)).toBe('长治市潞城区潞安煤机设备有限公司');
  });
});
