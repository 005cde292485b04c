// Compares what an applicant typed into the registration form with what OCR read from the
// uploaded business licence, field by field, for a reviewer. Pure: no I/O.
//
// Verdicts
//   match       the same after normalisation (full/half width, spaces, punctuation, brackets)
//   mismatch    different
//   confusable  same length, and every differing character of the form is one of the readings
//               the recogniser itself considered at that position: most likely an OCR slip
//               (潞 read as 路), so the reviewer looks at the licence instead of rejecting
//   unread      OCR found no value (or none it could interpret) for the field

import { checkUscc } from '../../platform/validation/ids.ts';
import type { LicenceOcr, OcrText } from './ocr/licence-ocr.types.ts';

export interface LicenceForm {
  name: string;
  uscc: string;
  legalRepresentative: string;
  entityType: string;
  registeredCapitalWanYuan: number | null;
  establishedOn: string | null;
  address: string;
}

export type LicenceField = keyof LicenceForm;
export type LicenceVerdict = 'match' | 'mismatch' | 'confusable' | 'unread';

export interface FieldComparison {
  field: LicenceField;
  formValue: string | number | null;
  ocrValue: string | number | null;
  verdict: LicenceVerdict;
  /** For the reviewer, Simplified Chinese. */
  message: string;
}

export interface UsccCheckReport {
  form: { value: string; valid: boolean; rule: 'format' | 'check_digit' | 'org_code_check_digit' | null };
  ocr: { value: string | null; valid: boolean };
  /** Null when both codes pass GB 32100. */
  message: string | null;
}

export interface LicenceComparison {
  fields: FieldComparison[];
  usccCheck: UsccCheckReport;
}

const FIELD_NAMES: Record<LicenceField, string> = {
  name: '名称',
  uscc: '统一社会信用代码',
  legalRepresentative: '法定代表人（负责人）',
  entityType: '类型',
  registeredCapitalWanYuan: '注册资本',
  establishedOn: '成立日期',
  address: '住所（经营场所）',
};

// ------------------------------------------------------------------------- normalisation

/** Marks that carry no meaning for the comparison, and that OCR drops or garbles often. */
const DROPPED = /[\s·•・.。,，、:：;；"“”'‘’`]/u;
const BRACKETS: Record<string, string> = { '（': '(', '）': ')', '【': '(', '】': ')', '[': '(', ']': ')', '〔': '(', '〕': ')' };

function normalizeChar(c: string): string {
  const n = c.normalize('NFKC');
  if (DROPPED.test(n)) return '';
  return (BRACKETS[n] ?? n).toUpperCase();
}

/** A normalised string with, per character, the normalised alternatives OCR had for it. */
interface Aligned {
  chars: string[];
  alternatives: string[][];
}

function alignForm(value: string): Aligned {
  const chars = Array.from(value).flatMap((c) => Array.from(normalizeChar(c)));
  return { chars, alternatives: chars.map((c) => [c]) };
}

function alignOcr(text: OcrText): Aligned {
  const chars: string[] = [];
  const alternatives: string[][] = [];
  Array.from(text.text).forEach((c, i) => {
    const n = Array.from(normalizeChar(c));
    if (n.length === 1) {
      chars.push(n[0]!);
      const alts = (text.alternatives[i] ?? [c]).map(normalizeChar).filter((a) => a !== '');
      alternatives.push(alts.length > 0 ? alts : [n[0]!]);
    } else {
      // Dropped (n = []) or expanded by NFKC (rare, e.g. ㈱): no alternatives to align.
      for (const x of n) {
        chars.push(x);
        alternatives.push([x]);
      }
    }
  });
  return { chars, alternatives };
}

/** Positions where `form` differs, if each of them is explained by an OCR alternative; null otherwise. */
function confusions(form: Aligned, ocr: Aligned): { position: number; form: string; ocr: string }[] | null {
  if (form.chars.length !== ocr.chars.length) return null;
  const out: { position: number; form: string; ocr: string }[] = [];
  for (let i = 0; i < form.chars.length; i++) {
    const f = form.chars[i]!;
    const o = ocr.chars[i]!;
    if (f === o) continue;
    if (!ocr.alternatives[i]!.includes(f)) return null;
    out.push({ position: i, form: f, ocr: o });
  }
  return out;
}

// ---------------------------------------------------------------------------- per field

function compareText(field: LicenceField, formValue: string, ocr: OcrText | null, ocrAligned?: Aligned): FieldComparison {
  const label = FIELD_NAMES[field];
  const form = alignForm(formValue ?? '');
  if (!ocr || ocr.text.trim() === '') {
    return {
      field,
      formValue,
      ocrValue: null,
      verdict: 'unread',
      message: `未能从执照中识别出${label}，请对照执照原件人工核对（表单填写“${formValue}”）`,
    };
  }
  const read = ocrAligned ?? alignOcr(ocr);
  const ocrValue = ocr.text;
  if (form.chars.length === 0) {
    return { field, formValue, ocrValue, verdict: 'mismatch', message: `表单未填写${label}，执照识别为“${ocrValue}”` };
  }
  if (form.chars.join('') === read.chars.join('')) {
    return { field, formValue, ocrValue, verdict: 'match', message: `${label}一致：“${formValue}”` };
  }
  const diffs = confusions(form, read);
  if (diffs && diffs.length > 0) {
    const detail = diffs.map((d) => `第${d.position + 1}字“${d.ocr}”可能为“${d.form}”`).join('，');
    return {
      field,
      formValue,
      ocrValue,
      verdict: 'confusable',
      message: `${label}疑似识别误差：表单填写“${formValue}”，执照识别为“${ocrValue}”（${detail}，属易混淆字形），请对照执照原件确认`,
    };
  }
  return { field, formValue, ocrValue, verdict: 'mismatch', message: `${label}不一致：表单填写“${formValue}”，执照识别为“${ocrValue}”` };
}

function compareUscc(form: LicenceForm, ocr: Pick<LicenceOcr, 'fields' | 'normalized'>): FieldComparison {
  const code = ocr.normalized.uscc;
  const raw = ocr.fields.uscc;
  if (!code) return compareText('uscc', form.uscc, null);
  // Align the raw reading's alternatives with the repaired code when both have 18 code characters.
  const rawCode = raw ? alignOcr(raw) : null;
  const kept = rawCode ? rawCode.chars.map((c, i) => ({ c, alts: rawCode.alternatives[i]! })).filter((x) => /^[0-9A-Z|]$/.test(x.c)) : [];
  const aligned: Aligned = {
    chars: Array.from(code),
    alternatives: Array.from(code, (c, i) => (kept.length === 18 ? [c, ...kept[i]!.alts] : [c])),
  };
  const result = compareText('uscc', form.uscc, { text: code, confidence: raw?.confidence ?? 0, alternatives: aligned.alternatives }, aligned);
  return result;
}

function compareValue<T extends string | number>(
  field: LicenceField,
  formValue: T | null,
  ocrValue: T | null,
  ocrRaw: OcrText | null,
  same: (a: T, b: T) => boolean,
  show: (v: T) => string,
): FieldComparison {
  const label = FIELD_NAMES[field];
  if (ocrValue === null) {
    if (formValue === null && !ocrRaw) {
      return { field, formValue, ocrValue, verdict: 'match', message: `表单与执照均无${label}（如分公司、个体工商户）` };
    }
    const seen = ocrRaw ? `执照上识别到“${ocrRaw.text}”，但无法解析；` : '';
    const filled = formValue === null ? '表单未填写' : `表单填写“${show(formValue)}”`;
    return { field, formValue, ocrValue, verdict: 'unread', message: `未能从执照中识别出${label}：${seen}请对照执照原件人工核对（${filled}）` };
  }
  if (formValue === null) {
    return { field, formValue, ocrValue, verdict: 'mismatch', message: `表单未填写${label}，执照识别为“${show(ocrValue)}”` };
  }
  if (same(formValue, ocrValue)) return { field, formValue, ocrValue, verdict: 'match', message: `${label}一致：${show(formValue)}` };
  return {
    field,
    formValue,
    ocrValue,
    verdict: 'mismatch',
    message: `${label}不一致：表单填写“${show(formValue)}”，执照识别为“${show(ocrValue)}”`,
  };
}

const formatWan = (v: number): string => `${Number(v.toFixed(6))}万元`;

function usccReport(form: LicenceForm, ocr: Pick<LicenceOcr, 'normalized'>): UsccCheckReport {
  const formValue = (form.uscc ?? '').normalize('NFKC').replace(/\s/g, '');
  const formCheck = checkUscc(formValue);
  const ocrValue = ocr.normalized.uscc;
  const ocrValid = ocrValue !== null && checkUscc(ocrValue).ok;
  const messages: string[] = [];
  if (!formCheck.ok) {
    switch (formCheck.rule) {
      case 'format':
        messages.push(`表单填写的统一社会信用代码“${formValue}”格式不正确：应为18位，由数字和大写字母组成（不含I、O、S、V、Z），第3至8位为行政区划代码`);
        break;
      case 'check_digit':
        messages.push(`表单填写的统一社会信用代码“${formValue}”第18位校验码不正确（GB 32100），请核对是否填错`);
        break;
      case 'org_code_check_digit':
        messages.push(`表单填写的统一社会信用代码“${formValue}”第17位（组织机构代码校验码，GB 11714）不正确，请核对是否填错`);
        break;
    }
  }
  if (ocrValue === null) messages.push('未能从执照中识别出完整的统一社会信用代码');
  else if (!ocrValid) messages.push(`执照识别出的统一社会信用代码“${ocrValue}”未通过GB 32100校验，可能识别有误，请对照执照原件核对`);
  return {
    form: { value: formValue, valid: formCheck.ok, rule: formCheck.ok ? null : formCheck.rule },
    ocr: { value: ocrValue, valid: ocrValid },
    message: messages.length > 0 ? messages.join('；') : null,
  };
}

export function compareLicence(form: LicenceForm, ocr: Pick<LicenceOcr, 'fields' | 'normalized'>): LicenceComparison {
  const fields: FieldComparison[] = [
    compareText('name', form.name, ocr.fields.name),
    compareUscc(form, ocr),
    compareText('legalRepresentative', form.legalRepresentative, ocr.fields.legalRepresentative),
    compareText('entityType', form.entityType, ocr.fields.entityType),
    compareValue(
      'registeredCapitalWanYuan',
      form.registeredCapitalWanYuan,
      ocr.normalized.registeredCapitalWanYuan,
      ocr.fields.registeredCapital,
      (a, b) => Math.abs(a - b) < 1e-6,
      formatWan,
    ),
    compareValue('establishedOn', form.establishedOn, ocr.normalized.establishedOn, ocr.fields.establishedOn, (a, b) => a === b, (v) => v),
    compareText('address', form.address, ocr.fields.address),
  ];
  return { fields, usccCheck: usccReport(form, ocr) };
}
