// Input checks of the expert pool that a JSON schema cannot express: check digits, code tables,
// the region table. Each failure names the field and the rule, with a Chinese message.

import { invalid } from '../../platform/errors.ts';
import { checkIdNumber, checkUscc } from '../../platform/validation/ids.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import { isCalendarDate } from './experts.rules.ts';
import { loadSpecialtyTable } from './experts.specialties.ts';

const ID_MESSAGES = { format: '身份证号应为 18 位（前 17 位数字，末位数字或 X）', birth_date: '身份证号中的出生日期无效', check_digit: '身份证号校验位错误' } as const;
const USCC_MESSAGES = { format: '统一社会信用代码应为 18 位，且不含 I、O、S、V、Z', check_digit: '统一社会信用代码校验位错误', org_code_check_digit: '统一社会信用代码中的组织机构代码校验位错误' } as const;
const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

export function checkedIdNumber(value: string, today: Date) {
  const r = checkIdNumber(value.trim().toUpperCase(), today);
  if (!r.ok) throw invalid('idNumber', r.rule, ID_MESSAGES[r.rule]);
  return r;
}

/** The normalised (upper-case) code. */
export function checkedUscc(value: string, field: string): string {
  const r = checkUscc(value.trim());
  if (!r.ok) throw invalid(field, r.rule, USCC_MESSAGES[r.rule]);
  return r.normalized;
}

export function checkPhone(phone: string): void {
  if (!PHONE.test(phone)) throw invalid('phone', 'format', '电话号码格式不正确（手机号 11 位，或带区号的固定电话）');
}

export function checkRegion(code: string, field = 'regionCode'): void {
  if (!loadRegionTree().get(code)) throw invalid(field, 'exists', `行政区划代码 ${code} 不存在`);
}

export function checkDay(day: string, field: string): void {
  if (!isCalendarDate(day)) throw invalid(field, 'format', `字段 ${field} 应为有效日期（YYYY-MM-DD）`);
}

/** A code of the table, leaf or category (requests may ask for a whole category). */
export function checkSpecialtyCode(code: string, field: string): void {
  if (!loadSpecialtyTable().get(code)) throw invalid(field, 'exists', `专业代码 ${code} 不存在`);
}

/**
 * The specialty links of an expert: leaf codes only (a category is too broad to declare), no
 * duplicates, and the primary one among them (the first when none is named).
 */
export function checkedSpecialties(codes: readonly string[], primary: string | undefined): { code: string; is_primary: boolean }[] {
  const table = loadSpecialtyTable();
  if (codes.length === 0) throw invalid('specialties', 'minItems', '至少需要一个专业');
  const seen = new Set<string>();
  codes.forEach((code, i) => {
    if (!table.get(code)) throw invalid(`specialties.${i}`, 'exists', `专业代码 ${code} 不存在`);
    if (!table.isLeaf(code)) throw invalid(`specialties.${i}`, 'leaf', `专业代码 ${code} 是大类，请选择其下的具体专业`);
    if (seen.has(code)) throw invalid(`specialties.${i}`, 'unique', `专业代码 ${code} 重复`);
    seen.add(code);
  });
  const main = primary ?? codes[0]!;
  if (!seen.has(main)) throw invalid('primarySpecialty', 'in_specialties', '主专业必须是所填专业之一');
  return codes.map((code) => ({ code, is_primary: code === main }));
}
