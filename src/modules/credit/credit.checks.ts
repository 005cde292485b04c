// Checks of a credit record that a JSON schema cannot express: check digits, code tables, the
// region table, dates and the rules that tie fields together. All problems of a record are
// collected (an import reports every field of a bad line), each with its field and rule.

import type { FieldError } from '../../platform/errors.ts';
import { invalid } from '../../platform/errors.ts';
import { checkIdNumber, checkUscc } from '../../platform/validation/ids.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import { loadCategories } from './credit.categories.ts';
import {
  ALL_CATEGORIES,
  decideDisclosure,
  disclosureLastDay,
  isAdverse,
  isCalendarDate,
  mayCarryBan,
  type NotRepairableReason,
  type ParticipantRole,
  type RecordType,
  type Severity,
  type SubjectKind,
} from './credit.rules.ts';
import type { EvidenceRef } from './credit.tables.ts';

export const ID_MESSAGES = { format: '身份证号应为 18 位（前 17 位数字，末位数字或 X）', birth_date: '身份证号中的出生日期无效', check_digit: '身份证号校验位错误' } as const;
export const USCC_MESSAGES = { format: '统一社会信用代码应为 18 位，且不含 I、O、S、V、Z', check_digit: '统一社会信用代码校验位错误', org_code_check_digit: '统一社会信用代码中的组织机构代码校验位错误' } as const;

export interface BanInput {
  categories: string[];
  regionCode: string;
  from: string;
  to: string;
}

/** A record as the API (and an import line) states it. */
export interface RecordInput {
  subjectKind: SubjectKind;
  uscc?: string | undefined;
  idNumber?: string | undefined;
  subjectName: string;
  role: ParticipantRole;
  type: RecordType;
  severity?: Severity | undefined;
  title: string;
  facts: string;
  legalBasis: string;
  sourceDepartment: string;
  regionCode: string;
  decisionNumber: string;
  decisionDate: string;
  evidence?: EvidenceRef[] | undefined;
  effectiveFrom: string;
  effectiveTo?: string | undefined;
  publishable?: boolean | undefined;
  disclosureMonths?: number | undefined;
  ban?: BanInput | undefined;
  notRepairableReason?: NotRepairableReason | undefined;
}

/** The checked subject: its key (USCC, or the ID number to be blinded and sealed by the caller). */
export type CheckedSubject = { kind: 'organisation'; uscc: string } | { kind: 'person'; idNumber: string };

export interface CheckedRecord {
  subject: CheckedSubject;
  severity: Severity | null;
  disclosureMonths: number | null;
  disclosureTo: string | null;
}

/** The subject key of a lookup: a USCC or an ID number; throws 400 naming the field. */
export function checkedSubjectKey(subject: { uscc?: string | undefined; idNumber?: string | undefined }, today: Date, prefix = ''): CheckedSubject {
  const has = (v: string | undefined) => v !== undefined;
  if (has(subject.uscc) === has(subject.idNumber)) throw invalid(`${prefix}uscc`, 'one_of', '请填写统一社会信用代码或身份证号中的一项');
  if (subject.uscc !== undefined) {
    const r = checkUscc(subject.uscc.trim());
    if (!r.ok) throw invalid(`${prefix}uscc`, r.rule, USCC_MESSAGES[r.rule]);
    return { kind: 'organisation', uscc: r.normalized };
  }
  const r = checkIdNumber(subject.idNumber!.trim().toUpperCase(), today);
  if (!r.ok) throw invalid(`${prefix}idNumber`, r.rule, ID_MESSAGES[r.rule]);
  return { kind: 'person', idNumber: r.normalized };
}

function checkDay(errors: FieldError[], field: string, day: string | undefined): boolean {
  if (day === undefined) return false;
  if (isCalendarDate(day)) return true;
  errors.push({ field, rule: 'format', message: `字段 ${field} 应为有效日期（YYYY-MM-DD）` });
  return false;
}

function checkRegion(errors: FieldError[], field: string, code: string): boolean {
  if (loadRegionTree().get(code)) return true;
  errors.push({ field, rule: 'exists', message: `行政区划代码 ${code} 不存在` });
  return false;
}

function checkSubject(errors: FieldError[], input: RecordInput, now: Date): CheckedSubject | undefined {
  if (input.subjectKind === 'organisation') {
    if (input.idNumber !== undefined) errors.push({ field: 'idNumber', rule: 'organisation', message: '法人主体请填写统一社会信用代码，不填身份证号' });
    if (input.uscc === undefined) {
      errors.push({ field: 'uscc', rule: 'required', message: '法人主体须填写统一社会信用代码' });
      return undefined;
    }
    const r = checkUscc(input.uscc.trim());
    if (!r.ok) {
      errors.push({ field: 'uscc', rule: r.rule, message: USCC_MESSAGES[r.rule] });
      return undefined;
    }
    return { kind: 'organisation', uscc: r.normalized };
  }
  if (input.uscc !== undefined) errors.push({ field: 'uscc', rule: 'person', message: '自然人主体请填写身份证号，不填统一社会信用代码' });
  if (input.idNumber === undefined) {
    errors.push({ field: 'idNumber', rule: 'required', message: '自然人主体须填写身份证号' });
    return undefined;
  }
  const r = checkIdNumber(input.idNumber.trim().toUpperCase(), now);
  if (!r.ok) {
    errors.push({ field: 'idNumber', rule: r.rule, message: ID_MESSAGES[r.rule] });
    return undefined;
  }
  return { kind: 'person', idNumber: r.normalized };
}

function checkBan(errors: FieldError[], input: RecordInput): void {
  const ban = input.ban;
  if (!ban) {
    if (input.type === 'blacklist') errors.push({ field: 'ban', rule: 'required', message: '列入黑名单须填写禁止参与的范围和期限' });
    return;
  }
  if (!mayCarryBan(input.type)) {
    errors.push({ field: 'ban', rule: 'type', message: '只有违法违规或黑名单记录可以设定禁止参与' });
    return;
  }
  const categories = loadCategories();
  const seen = new Set<string>();
  ban.categories.forEach((code, i) => {
    if (code !== ALL_CATEGORIES && !categories.get(code)) errors.push({ field: `ban.categories.${i}`, rule: 'exists', message: `交易类别 ${code} 不存在` });
    else if (seen.has(code)) errors.push({ field: `ban.categories.${i}`, rule: 'unique', message: `交易类别 ${code} 重复` });
    seen.add(code);
  });
  if (seen.has(ALL_CATEGORIES) && ban.categories.length > 1) errors.push({ field: 'ban.categories', rule: 'all_alone', message: '“*”（全部类别）不能与其他类别同时填写' });
  checkRegion(errors, 'ban.regionCode', ban.regionCode);
  if (checkDay(errors, 'ban.from', ban.from) && checkDay(errors, 'ban.to', ban.to) && ban.to < ban.from) {
    errors.push({ field: 'ban.to', rule: 'not_before_from', message: '禁止参与的结束日期不能早于开始日期' });
  }
}

/**
 * Every problem of a record, or what follows from it (the subject, the disclosure period).
 * `today` is the calendar day (CST) of `now`.
 */
export function checkRecord(input: RecordInput, now: Date, today: string): { ok: true; value: CheckedRecord } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const subject = checkSubject(errors, input, now);
  checkRegion(errors, 'regionCode', input.regionCode);
  if (checkDay(errors, 'decisionDate', input.decisionDate) && input.decisionDate > today) {
    errors.push({ field: 'decisionDate', rule: 'not_future', message: '决定日期不能晚于今天' });
  }
  if (checkDay(errors, 'effectiveFrom', input.effectiveFrom) && checkDay(errors, 'effectiveTo', input.effectiveTo) && input.effectiveTo! < input.effectiveFrom) {
    errors.push({ field: 'effectiveTo', rule: 'not_before_from', message: '有效期结束日期不能早于开始日期' });
  }
  const adverse = isAdverse(input.type);
  if (adverse && input.severity === undefined) errors.push({ field: 'severity', rule: 'required', message: '违法违规和黑名单记录须填写严重程度' });
  if (!adverse && input.severity !== undefined) errors.push({ field: 'severity', rule: 'only_adverse', message: '只有违法违规和黑名单记录有严重程度' });
  if (!adverse && input.notRepairableReason !== undefined) errors.push({ field: 'notRepairableReason', rule: 'only_adverse', message: '只有违法违规和黑名单记录需标注不可修复' });
  checkBan(errors, input);
  const severity = adverse ? (input.severity ?? null) : null;
  const disclosure = decideDisclosure(severity, input.publishable, input.disclosureMonths);
  if (!disclosure.ok) errors.push({ field: disclosure.field, rule: disclosure.rule, message: disclosure.message });
  if (errors.length > 0 || !subject || !disclosure.ok) return { ok: false, errors };
  const months = disclosure.months;
  return { ok: true, value: { subject, severity, disclosureMonths: months, disclosureTo: months === null ? null : disclosureLastDay(input.decisionDate, months) } };
}
