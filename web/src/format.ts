// Display helpers: dates in China Standard Time and the Chinese names of the API's enums.
import type { AdminClass, Industry, OrganisationKind, PersonnelStatus, Scope } from './types';

const dateTimeFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `YYYY-MM-DD HH:mm` in Asia/Shanghai, whatever the browser's zone; '—' for no value. */
export function formatDateTime(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const parts: Record<string, string> = {};
  for (const part of dateTimeFormat.formatToParts(date)) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

export const KIND_LABELS: Record<OrganisationKind, string> = {
  trading_centre: '交易中心',
  supervision: '行政监督部门',
  audit: '审计部门',
  department: '内设部门',
  other: '其他',
};

export const INDUSTRY_LABELS: Record<Industry, string> = {
  development_reform: '发展改革',
  housing_construction: '住房城乡建设',
  transport: '交通运输',
  water: '水利',
  finance: '财政',
  natural_resources: '自然资源',
  state_assets: '国有资产监管',
  other: '其他',
};

export const PERSONNEL_STATUS_LABELS: Record<PersonnelStatus, string> = {
  active: '在职',
  suspended: '停职',
  left: '离职',
};

export const SCOPE_LABELS: Record<Scope, string> = {
  own: '本人',
  organisation: '本机构',
  region: '本区域',
  province: '全省',
};

export const ADMIN_CLASS_LABELS: Record<AdminClass, string> = {
  system: '系统管理员',
  security: '安全管理员',
  audit: '审计管理员',
};

export const AUDIT_RESULT_LABELS: Record<string, string> = {
  success: '成功',
  failure: '失败',
  denied: '拒绝',
};

/** Options for a Select from a label table. */
export function optionsOf<K extends string>(labels: Record<K, string>): { value: K; label: string }[] {
  return (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
}

export function labelOf<K extends string>(labels: Record<K, string>, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  return (labels as Record<string, string>)[value] ?? value;
}

/** A TOTP secret in groups of four, easier to type into an authenticator app. */
export function groupSecret(secret: string): string {
  return secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

export const PASSWORD_POLICY_TEXT =
  '至少 8 位，包含大写字母、小写字母、数字、特殊字符中的至少三类，不得与用户名相同';

/** The same policy the server enforces; returns a Chinese reason or null when acceptable. */
export function passwordPolicyProblem(password: string, username?: string): string | null {
  if (password.length < 8) return '密码至少 8 位';
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return '密码须包含大写字母、小写字母、数字、特殊字符中的至少三类';
  if (username && password.toLowerCase() === username.toLowerCase()) return '密码不得与用户名相同';
  return null;
}
