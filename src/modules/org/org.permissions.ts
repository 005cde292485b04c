// The closed catalogue of permissions. Roles are configurable sets of these codes; routes name
// the code they need. `adminClass` marks the permissions of the three separated administrators
// (三员分立): a role may hold permissions of at most one class, and an account may hold roles of
// at most one class, so no administrator can do another's work.

import type { AdminClass } from './org.tables.ts';

export interface PermissionDef {
  name: string;
  group: string;
  adminClass: AdminClass | null;
  /**
   * Held by a market entity's own accounts and only by them: acts on the caller's own entity
   * (its data scope is the entity, whatever scope the grant names). Staff roles never hold one.
   */
  entity?: true;
  /**
   * Held by evaluation experts' accounts and only by them: acts as the caller's own expert (on
   * the panels it sits on), whatever scope the grant names. Neither staff nor entity roles hold one.
   */
  expert?: true;
}

export const PERMISSIONS = {
  'org.region.read': { name: '查看行政区划', group: '组织机构', adminClass: null },
  'org.organisation.read': { name: '查看组织机构', group: '组织机构', adminClass: null },
  'org.organisation.write': { name: '维护组织机构', group: '组织机构', adminClass: 'system' },
  'org.personnel.read': { name: '查看人员信息', group: '人员信息', adminClass: null },
  'org.personnel.write': { name: '维护人员信息', group: '人员信息', adminClass: 'system' },
  'org.personnel.reveal': { name: '查看人员敏感信息明文', group: '人员信息', adminClass: 'system' },
  'identity.account.read': { name: '查看用户账号', group: '用户账号', adminClass: null },
  'identity.account.write': { name: '新建、停用账号及重置密码', group: '用户账号', adminClass: 'system' },
  'identity.account.grant': { name: '为账号分配角色与数据范围', group: '用户账号', adminClass: 'security' },
  'identity.account.unlock': { name: '解锁账号、重置双因素认证', group: '用户账号', adminClass: 'security' },
  'org.role.read': { name: '查看角色与权限', group: '角色权限', adminClass: null },
  'org.role.write': { name: '维护角色与权限', group: '角色权限', adminClass: 'security' },
  'audit.log.read': { name: '查询审计日志', group: '安全审计', adminClass: 'audit' },
  'audit.chain.verify': { name: '校验审计链', group: '安全审计', adminClass: 'audit' },
  'experts.expert.read': { name: '查看评标专家库', group: '评标专家', adminClass: null },
  'experts.expert.write': { name: '维护评标专家库', group: '评标专家', adminClass: null },
  'credit.record.read': { name: '查看信用记录与参与资格', group: '信用', adminClass: null },
  'credit.record.write': { name: '登记、导入信用记录', group: '信用', adminClass: null },
  'credit.objection.file': { name: '代主体提出异议、申请信用修复', group: '信用', adminClass: null },
  'credit.objection.decide': { name: '处理信用异议', group: '信用', adminClass: null },
  'credit.repair.decide': { name: '审核信用修复', group: '信用', adminClass: null },
  'registry.entity.read': { name: '查看市场主体库', group: '市场主体', adminClass: null },
  'registry.entity.review': { name: '审核市场主体注册与变更', group: '市场主体', adminClass: null },
  'registry.entity.reveal': { name: '查看市场主体敏感信息明文', group: '市场主体', adminClass: null },
  'registry.self.manage': { name: '维护本主体信息、提交注册与变更', group: '市场主体（主体用户）', adminClass: null, entity: true },
  'credit.self.read': { name: '查看本主体信用记录、提出异议与修复申请', group: '市场主体（主体用户）', adminClass: null, entity: true },
  'coding.code.read': { name: '查看交易标识码的归属', group: '统一赋码', adminClass: null },
  'trading.deal.read': { name: '查看交易项目及其全过程记录', group: '电子交易', adminClass: null },
  'trading.project.accept': { name: '受理招标项目、审核公告与招标文件', group: '电子交易', adminClass: null },
  'trading.opening.conduct': { name: '主持开标', group: '电子交易', adminClass: null },
  'trading.evaluation.manage': { name: '组织评标、汇总评分与生成评标报告', group: '电子交易', adminClass: null },
  'experts.panel.draw': { name: '抽取评标专家、登记专家应答', group: '评标专家', adminClass: null },
  'experts.panel.read': { name: '查看专家抽取记录并复核', group: '评标专家', adminClass: null },
  'trading.tender.manage': { name: '登记招标项目、发布公告与招标文件、澄清、定标与合同（招标人、代理机构）', group: '市场主体（主体用户）', adminClass: null, entity: true },
  'trading.bid.submit': { name: '下载招标文件、递交与解密投标文件、提出异议（投标人）', group: '市场主体（主体用户）', adminClass: null, entity: true },
  'evaluation.score.submit': { name: '查阅所评标段的投标文件、提交与确认本人评分（评标专家）', group: '评标专家（专家用户）', adminClass: null, expert: true },
} as const satisfies Record<string, PermissionDef>;

export type Permission = keyof typeof PERMISSIONS;

export const PERMISSION_CODES = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(code: string): code is Permission {
  return Object.hasOwn(PERMISSIONS, code);
}

/** The administrator classes a set of permissions belongs to (0 or 1 for a valid role). */
export function adminClassesOf(permissions: Iterable<string>): AdminClass[] {
  const classes = new Set<AdminClass>();
  for (const p of permissions) {
    const def = isPermission(p) ? PERMISSIONS[p] : undefined;
    if (def?.adminClass) classes.add(def.adminClass);
  }
  return [...classes].sort();
}

/** Whether a set of permissions mixes entity-side and staff-side ones (a role may not). */
export function isEntityPermission(code: string): boolean {
  return isPermission(code) && (PERMISSIONS[code] as PermissionDef).entity === true;
}

/** An expert-side permission (evaluation experts' own accounts only). */
export function isExpertPermission(code: string): boolean {
  return isPermission(code) && (PERMISSIONS[code] as PermissionDef).expert === true;
}

/** The kinds of account: staff of a platform organisation, a market entity's user, an evaluation expert. */
export type AccountKind = 'staff' | 'entity' | 'expert';

/** Which kind of account a permission belongs to. */
export function permissionKind(code: string): AccountKind {
  return isEntityPermission(code) ? 'entity' : isExpertPermission(code) ? 'expert' : 'staff';
}

export const ADMIN_CLASS_NAMES: Record<AdminClass, string> = {
  system: '系统管理员',
  security: '安全管理员',
  audit: '审计管理员',
};
