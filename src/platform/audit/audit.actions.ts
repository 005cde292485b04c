// The closed catalogue of audited actions. A new action is added here with one line saying
// what it records; the audit viewer shows the Chinese label.

export const AUDIT_ACTIONS = {
  'auth.login': '登录（口令校验）',
  'auth.mfa.verify': '登录（动态验证码校验）',
  'auth.mfa.enroll': '绑定动态验证码',
  'auth.logout': '退出登录',
  'auth.session.expired': '会话超时',
  'auth.password.change': '修改密码',
  'auth.account.locked': '账号因连续失败被锁定',
  'auth.denied': '越权访问被拒绝',
  'org.organisation.create': '新建组织机构',
  'org.organisation.update': '修改组织机构',
  'org.personnel.create': '新建人员',
  'org.personnel.update': '修改人员信息',
  'org.personnel.reveal': '查看人员敏感信息明文',
  'org.role.create': '新建角色',
  'org.role.update': '修改角色',
  'org.role.delete': '删除角色',
  'identity.account.create': '新建账号',
  'identity.account.update': '修改账号',
  'identity.account.reset_password': '重置账号密码',
  'identity.account.grant': '分配角色与数据范围',
  'identity.account.unlock': '解锁账号',
  'identity.account.reset_mfa': '重置双因素认证',
  'audit.verify': '校验审计链',
  'system.seed_demo': '写入演示数据',
  'experts.expert.create': '新建评标专家',
  'experts.expert.update': '修改评标专家信息（含状态）',
  'experts.unavailability.add': '登记专家不可参评时段',
  'experts.unavailability.remove': '删除专家不可参评时段',
  'experts.relation.add': '登记专家回避关系',
  'experts.relation.remove': '删除专家回避关系',
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;
