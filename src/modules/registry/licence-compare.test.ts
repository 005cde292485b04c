import { describe, expect, it } from 'vitest';
import { compareLicence, type LicenceField, type LicenceForm } from './licence-compare.ts';
import type { LicenceOcr, OcrText } from './ocr/licence-ocr.types.ts';

/** An OCR reading of `text`; `alts` gives extra alternatives per character position. */
function read(text: string, alts: Record<number, string[]> = {}): OcrText {
  const chars = Array.from(text);
  return { text, confidence: 0.98, alternatives: chars.map((c, i) => [c, ...(alts[i] ?? [])]) };
}

const FORM: LicenceForm = {
  name: '长治市潞城区潞安煤机设备有限公司',
  uscc: '91140406MA0JW1D8XK',
  legalRepresentative: '赵志刚',
  entityType: '有限责任公司（自然人投资或控股）',
  registeredCapitalWanYuan: 2000,
  establishedOn: '2019-06-25',
  address: '山西省长治市潞城区潞华街道太行西街56号',
};

function ocrOf(overrides: Partial<LicenceOcr['fields']> = {}, normalized: Partial<LicenceOcr['normalized']> = {}): Pick<LicenceOcr, 'fields' | 'normalized'> {
  return {
    fields: {
      name: read(FORM.name),
      uscc: read(FORM.uscc),
      legalRepresentative: read(FORM.legalRepresentative),
      entityType: read(FORM.entityType),
      registeredCapital: read('人民币贰仟万元整'),
      establishedOn: read('2019年06月25日'),
      address: read(FORM.address),
      ...overrides,
    },
    normalized: { uscc: FORM.uscc, usccValid: true, registeredCapitalWanYuan: 2000, establishedOn: '2019-06-25', ...normalized },
  };
}

function verdictOf(form: LicenceForm, ocr: Pick<LicenceOcr, 'fields' | 'normalized'>, field: LicenceField) {
  return compareLicence(form, ocr).fields.find((f) => f.field === field)!;
}

describe('compareLicence', () => {
  it('returns the seven fields in form order, all matching for an exact reading', () => {
    const result = compareLicence(FORM, ocrOf());
    expect(result.fields.map((f) => f.field)).toEqual([
      'name',
      'uscc',
      'legalRepresentative',
      'entityType',
      'registeredCapitalWanYuan',
      'establishedOn',
      'address',
    ]);
    expect(result.fields.every((f) => f.verdict === 'match')).toBe(true);
    expect(result.fields[0]!.message).toBe('名称一致：“长治市潞城区潞安煤机设备有限公司”');
    expect(result.usccCheck).toEqual({
      form: { value: FORM.uscc, valid: true, rule: null },
      ocr: { value: FORM.uscc, valid: true },
      message: null,
    });
  });

  describe('normalisation before comparing', () => {
    it.each([
      ['full-width brackets against half-width', '有限责任公司(自然人投资或控股)', '有限责任公司（自然人投资或控股）'],
      ['spaces inside', '有限责任公司 (自然人投资或控股)', '有限责任公司（自然人投资或控股）'],
      ['full-width letters and digits', '有限责任公司(ABC123)', '有限责任公司（ＡＢＣ１２３）'],
      ['punctuation dropped by OCR', '有限责任公司自然人投资、或控股', '有限责任公司自然人投资或控股'],
    ])('%s is a match', (_name, ocrText, formText) => {
      const c = verdictOf({ ...FORM, entityType: formText }, ocrOf({ entityType: read(ocrText) }), 'entityType');
      expect(c.verdict).toBe('match');
    });

    it('treats full-width and lower-case code characters as the same code', () => {
      const c = verdictOf({ ...FORM, uscc: '９１１４０４０６ma0jw1d8xk' }, ocrOf(), 'uscc');
      expect(c.verdict).toBe('match');
    });

    it('keeps brackets as content: a missing bracket pair is a mismatch', () => {
      const c = verdictOf({ ...FORM, name: '太原市晋祠企业管理咨询合伙企业（有限合伙）' }, ocrOf({ name: read('太原市晋祠企业管理咨询合伙企业有限合伙') }), 'name');
      expect(c.verdict).toBe('mismatch');
    });
  });

  describe('confusable', () => {
    it('is given when every differing character is among that position’s OCR alternatives', () => {
      const ocr = ocrOf({ name: read('长治市路城区路安煤机设备有限公司', { 3: ['潞', '璐'], 6: ['潞'] }) });
      const c = verdictOf(FORM, ocr, 'name');
      expect(c.verdict).toBe('confusable');
      expect(c.ocrValue).toBe('长治市路城区路安煤机设备有限公司');
      expect(c.message).toBe(
        '名称疑似识别误差：表单填写“长治市潞城区潞安煤机设备有限公司”，执照识别为“长治市路城区路安煤机设备有限公司”' +
          '（第4字“路”可能为“潞”，第7字“路”可能为“潞”，属易混淆字形），请对照执照原件确认',
      );
    });

    it('is not given when one differing character is not among the alternatives', () => {
      // Position 6 has no 潞 among its alternatives.
      const ocr = ocrOf({ name: read('长治市路城区路安煤机设备有限公司', { 3: ['潞'], 6: ['璐'] }) });
      expect(verdictOf(FORM, ocr, 'name').verdict).toBe('mismatch');
    });

    it('is not given when the lengths differ, even if the alternatives would fit', () => {
      const ocr = ocrOf({ name: read('长治市路城区路安煤机设备有限公', { 3: ['潞'], 6: ['潞'] }) });
      expect(verdictOf(FORM, ocr, 'name').verdict).toBe('mismatch');
    });

    it('aligns positions after normalisation (a dropped space does not shift them)', () => {
      const ocr = ocrOf({ legalRepresentative: read('赵 志刚', { 3: ['钢'] }) });
      const c = verdictOf({ ...FORM, legalRepresentative: '赵志钢' }, ocr, 'legalRepresentative');
      expect(c.verdict).toBe('confusable');
    });

    it('uses the alternatives of the raw code reading for the USCC', () => {
      const misread = '91140406MA0JW1D8XH';
      const ocr = ocrOf({ uscc: read(misread, { 17: ['K'] }) }, { uscc: misread, usccValid: false });
      const c = verdictOf(FORM, ocr, 'uscc');
      expect(c.verdict).toBe('confusable');
      const report = compareLicence(FORM, ocr).usccCheck;
      expect(report.ocr).toEqual({ value: misread, valid: false });
      expect(report.message).toBe(`执照识别出的统一社会信用代码“${misread}”未通过GB 32100校验，可能识别有误，请对照执照原件核对`);
    });
  });

  describe('mismatch', () => {
    it('reports both values in the message', () => {
      const c = verdictOf({ ...FORM, legalRepresentative: '王建国' }, ocrOf(), 'legalRepresentative');
      expect(c).toEqual({
        field: 'legalRepresentative',
        formValue: '王建国',
        ocrValue: '赵志刚',
        verdict: 'mismatch',
        message: '法定代表人（负责人）不一致：表单填写“王建国”，执照识别为“赵志刚”',
      });
    });

    it('is given for an empty form value when the licence has one', () => {
      const c = verdictOf({ ...FORM, address: '  ' }, ocrOf(), 'address');
      expect(c.verdict).toBe('mismatch');
      expect(c.message).toBe('表单未填写住所（经营场所），执照识别为“山西省长治市潞城区潞华街道太行西街56号”');
    });

    it('compares capital as numbers: 1000.5 is not 1000, 1000.50 is 1000.5', () => {
      const ocr = ocrOf({ registeredCapital: read('1000.5万元') }, { registeredCapitalWanYuan: 1000.5 });
      expect(verdictOf({ ...FORM, registeredCapitalWanYuan: 1000 }, ocr, 'registeredCapitalWanYuan')).toMatchObject({
        verdict: 'mismatch',
        message: '注册资本不一致：表单填写“1000万元”，执照识别为“1000.5万元”',
      });
      expect(verdictOf({ ...FORM, registeredCapitalWanYuan: 1000.5 }, ocr, 'registeredCapitalWanYuan').verdict).toBe('match');
    });

    it('compares dates exactly: one day off is a mismatch', () => {
      expect(verdictOf({ ...FORM, establishedOn: '2019-06-24' }, ocrOf(), 'establishedOn')).toMatchObject({
        verdict: 'mismatch',
        message: '成立日期不一致：表单填写“2019-06-24”，执照识别为“2019-06-25”',
      });
      expect(verdictOf({ ...FORM, establishedOn: '2019-06-25' }, ocrOf(), 'establishedOn').verdict).toBe('match');
    });

    it('is given when the form leaves out a capital the licence shows', () => {
      const c = verdictOf({ ...FORM, registeredCapitalWanYuan: null }, ocrOf(), 'registeredCapitalWanYuan');
      expect(c.verdict).toBe('mismatch');
      expect(c.message).toBe('表单未填写注册资本，执照识别为“2000万元”');
    });
  });

  describe('unread', () => {
    it('is given for a text field OCR did not find', () => {
      const c = verdictOf(FORM, ocrOf({ name: null }), 'name');
      expect(c).toMatchObject({ verdict: 'unread', ocrValue: null });
      expect(c.message).toBe('未能从执照中识别出名称，请对照执照原件人工核对（表单填写“长治市潞城区潞安煤机设备有限公司”）');
    });

    it('is given for an empty reading too', () => {
      expect(verdictOf(FORM, ocrOf({ address: read('') }), 'address').verdict).toBe('unread');
    });

    it('is given when no code was read, and the USCC check says so', () => {
      const result = compareLicence(FORM, ocrOf({ uscc: null }, { uscc: null, usccValid: false }));
      expect(result.fields[1]!.verdict).toBe('unread');
      expect(result.usccCheck.ocr).toEqual({ value: null, valid: false });
      expect(result.usccCheck.message).toBe('未能从执照中识别出完整的统一社会信用代码');
    });

    it('is given for a capital text that could not be parsed, quoting it', () => {
      const c = verdictOf(FORM, ocrOf({ registeredCapital: read('人民币贰仟万') }, { registeredCapitalWanYuan: null }), 'registeredCapitalWanYuan');
      expect(c.verdict).toBe('unread');
      expect(c.message).toBe('未能从执照中识别出注册资本：执照上识别到“人民币贰仟万”，但无法解析；请对照执照原件人工核对（表单填写“2000万元”）');
    });

    it('is given for an unread date', () => {
      expect(verdictOf(FORM, ocrOf({ establishedOn: null }, { establishedOn: null }), 'establishedOn').verdict).toBe('unread');
    });
  });

  it('finds no capital on either side a match (a branch has none)', () => {
    const c = verdictOf({ ...FORM, registeredCapitalWanYuan: null }, ocrOf({ registeredCapital: null }, { registeredCapitalWanYuan: null }), 'registeredCapitalWanYuan');
    expect(c.verdict).toBe('match');
    expect(c.message).toBe('表单与执照均无注册资本（如分公司、个体工商户）');
  });

  describe('usccCheck of the form', () => {
    it.each([
      ['91140406MA0JW1D8XJ', 'check_digit', '第18位校验码不正确'],
      ['91140406MA0JW1D81W', 'org_code_check_digit', '第17位（组织机构代码校验码，GB 11714）不正确'],
      ['91140406MA0JW1D8X', 'format', '格式不正确'],
      ['91140406MA0JW1O8XK', 'format', '格式不正确'],
    ] as const)('%s fails with rule %s', (uscc, rule, text) => {
      const report = compareLicence({ ...FORM, uscc }, ocrOf()).usccCheck;
      expect(report.form).toEqual({ value: uscc, valid: false, rule });
      expect(report.message).toContain(`表单填写的统一社会信用代码“${uscc}”`);
      expect(report.message).toContain(text);
    });

    it('passes for the valid samples of DOMAIN.md', () => {
      for (const uscc of ['91350100M000100Y43', '91110000600037341L', '11100000000013127D', '91140100MA0K123488']) {
        expect(compareLicence({ ...FORM, uscc }, ocrOf()).usccCheck.form.valid).toBe(true);
      }
    });

    it('joins the form’s and the reading’s problems in one message', () => {
      const report = compareLicence({ ...FORM, uscc: '91140406MA0JW1D8XJ' }, ocrOf({}, { uscc: '91140406MA0JW1D8XH', usccValid: false })).usccCheck;
      expect(report.message!.split('；')).toHaveLength(2);
    });
  });
});
