// The layout rules on hand-made lines: the shapes the detector produces on real licences
// (label and value in one line or two, spaced labels cut in pieces, both columns in one line,
// values wrapped or below their label), without running any model.

import { describe, expect, it } from 'vitest';
import { extractLicence } from './licence-layout.ts';
import type { OcrChar, RecognizedLine } from './licence-ocr.types.ts';

const PITCH = 26;
const HEIGHT = 36;

/** A line whose characters stand PITCH apart from x0; `alts` adds alternatives by position. */
function line(text: string, x0: number, y0: number, alts: Record<number, string[]> = {}): RecognizedLine {
  const chars: OcrChar[] = Array.from(text, (char, i) => {
    const extra = alts[i] ?? [];
    return {
      char,
      prob: extra.length > 0 ? 0.6 : 0.99,
      alternatives: [char, ...extra],
      altProbs: [extra.length > 0 ? 0.6 : 0.99, ...extra.map(() => 0.3)],
      x: x0 + (i + 0.5) * PITCH,
    };
  });
  return { chars, confidence: 0.98, x0, y0, x1: x0 + chars.length * PITCH, y1: y0 + HEIGHT };
}

const texts = (lines: RecognizedLine[]) => {
  const { fields, normalized } = extractLicence(lines);
  return {
    name: fields.name?.text ?? null,
    uscc: fields.uscc?.text ?? null,
    legalRepresentative: fields.legalRepresentative?.text ?? null,
    entityType: fields.entityType?.text ?? null,
    registeredCapital: fields.registeredCapital?.text ?? null,
    establishedOn: fields.establishedOn?.text ?? null,
    address: fields.address?.text ?? null,
    normalized,
  };
};

describe('extractLicence', () => {
  it('reads a two-column licence whose labels and values are separate lines', () => {
    const result = texts([
      line('统一社会信用代码', 120, 190),
      line('91140100MA0K123488', 120, 232),
      line('名', 140, 390),
      line('称', 218, 390),
      line('太原市晋阳建筑工程有限公司', 330, 390),
      line('注册资本', 880, 390),
      line('人民币伍佰万元整', 1070, 390),
      line('类', 140, 466),
      line('型', 218, 466),
      line('有限责任公司（自然人投资或控股）', 330, 466),
      line('成立日期', 880, 466),
      line('2015年03月18日', 1070, 466),
      line('法定代表人', 140, 542),
      line('王建国', 330, 542),
      line('营业期限', 880, 542),
      line('2015年03月18日至长期', 1070, 542),
      line('经营范围', 140, 618),
      line('房屋建筑工程施工；市政公用', 330, 618),
      line('住', 880, 618),
      line('所', 958, 618),
      line('山西省太原市小店区长治路1', 1070, 618),
      line('工程施工。', 330, 656),
      line('23号', 1070, 656),
      line('登记机关', 1180, 900),
    ]);
    expect(result).toEqual({
      name: '太原市晋阳建筑工程有限公司',
      uscc: '91140100MA0K123488',
      legalRepresentative: '王建国',
      entityType: '有限责任公司（自然人投资或控股）',
      registeredCapital: '人民币伍佰万元整',
      establishedOn: '2015年03月18日',
      address: '山西省太原市小店区长治路123号',
      normalized: { uscc: '91140100MA0K123488', usccValid: true, registeredCapitalWanYuan: 500, establishedOn: '2015-03-18' },
    });
  });

  it('splits a line holding label and value, and both columns, at the column gap', () => {
    const result = texts([
      // 名称 + value + (wide gap) + 注册资本 + value, all one detected line.
      line('名称太原市晋阳建筑工程有限公司      注册资本人民币伍佰万元整', 140, 390),
      line('法定代表人 王建国', 140, 466),
    ]);
    expect(result.name).toBe('太原市晋阳建筑工程有限公司');
    expect(result.registeredCapital).toBe('人民币伍佰万元整');
    expect(result.legalRepresentative).toBe('王建国');
  });

  it('splits at a narrower gap when a label follows it (a long value running up to the next column)', () => {
    const lines = [line('名称太原市晋祠企业管理咨询合伙企业（有限合伙）', 140, 390)];
    const capital = line('出资额人民币叁佰万元整', 0, 390);
    // Place the right column two character widths after the name ends.
    const shift = lines[0]!.x1 + 2 * PITCH;
    const moved = { ...capital, x0: shift, x1: capital.x1 + shift, chars: capital.chars.map((c) => ({ ...c, x: c.x + shift })) };
    const merged: RecognizedLine = { ...lines[0]!, x1: moved.x1, chars: [...lines[0]!.chars, ...moved.chars] };
    const result = texts([merged]);
    expect(result.name).toBe('太原市晋祠企业管理咨询合伙企业（有限合伙）');
    expect(result.registeredCapital).toBe('人民币叁佰万元整');
  });

  it('accepts the other labels of partnerships, branches and sole proprietorships', () => {
    const result = texts([
      line('执行事务合伙人', 140, 542),
      line('刘晓东', 330, 542),
      line('出资额', 880, 390),
      line('50万元', 1070, 390),
      line('主要经营场所', 880, 618),
      line('山西省太原市晋源区晋祠路一段18号', 1070, 618),
    ]);
    expect(result).toMatchObject({ legalRepresentative: '刘晓东', registeredCapital: '50万元', address: '山西省太原市晋源区晋祠路一段18号' });
    expect(texts([line('负责人', 140, 542), line('韩文斌', 330, 542)]).legalRepresentative).toBe('韩文斌');
    expect(texts([line('经营场所', 880, 618), line('山西省忻州市忻府区和平西街27号', 1070, 618)]).address).toBe('山西省忻州市忻府区和平西街27号');
  });

  it('lets one label character match through an alternative (注删资本 with 册 second)', () => {
    const result = texts([line('注删资本', 880, 390, { 1: ['册'] }), line('1000万元人民币', 1070, 390)]);
    expect(result.registeredCapital).toBe('1000万元人民币');
    expect(result.normalized.registeredCapitalWanYuan).toBe(1000);
  });

  it('does not take a label that needs two alternatives in four characters', () => {
    const result = texts([line('注删资木', 880, 390, { 1: ['册'], 3: ['本'] }), line('1000万元', 1070, 390)]);
    expect(result.registeredCapital).toBeNull();
  });

  it('stops a wrapped value at the next label of its column, not of the other column', () => {
    const result = texts([
      line('名称', 140, 390),
      line('山西晋通路桥工程有限公司忻州分', 330, 390),
      line('公司', 330, 428),
      line('类型', 140, 466),
      line('其他有限责任公司分公司', 330, 466),
      line('成立日期', 880, 466),
      line('2021年10月15日', 1070, 466),
    ]);
    expect(result.name).toBe('山西晋通路桥工程有限公司忻州分公司');
    expect(result.entityType).toBe('其他有限责任公司分公司');
    expect(result.registeredCapital).toBeNull();
  });

  it('does not continue a value across a large vertical gap', () => {
    const result = texts([line('住所', 880, 618), line('山西省太原市小店区长治路123号', 1070, 618), line('2023年05月10日', 1070, 1000)]);
    expect(result.address).toBe('山西省太原市小店区长治路123号');
  });

  it('repairs the code read beside its label and finds a code without label', () => {
    expect(texts([line('统一社会信用代码 9114O1OOMA0K123488', 120, 190)]).normalized).toMatchObject({
      uscc: '91140100MA0K123488',
      usccValid: true,
    });
    const unlabelled = texts([line('9114010OMA0K123488', 120, 232)]);
    expect(unlabelled.normalized).toMatchObject({ uscc: '91140100MA0K123488', usccValid: true });
    expect(unlabelled.uscc).toBe('9114010OMA0K123488');
  });

  it('returns nulls for a page without licence labels', () => {
    expect(texts([line('国家企业信用信息公示系统网址', 120, 1040)])).toMatchObject({
      name: null,
      uscc: null,
      address: null,
      normalized: { uscc: null, usccValid: false, registeredCapitalWanYuan: null, establishedOn: null },
    });
  });
});
