// Roles every installation starts with. The three administrator roles are built in: their
// permissions follow this file on every start and cannot be edited through the API, so the
// separation of duties cannot be undone by configuration. The business roles are only a
// starting point, created once; administrators edit or delete them freely afterwards.

import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { sm3Hex } from '../../platform/crypto/sm3.ts';
import type { DB } from '../../platform/db/schema.ts';
import { adminClassesOf, type Permission } from './org.permissions.ts';

interface RoleSeed {
  code: string;
  name: string;
  description: string;
  mfaRequired: boolean;
  permissions: Permission[];
}

export const BUILTIN_ROLES: RoleSeed[] = [
  {
    code: 'system_admin',
    name: '系统管理员',
    description: '维护组织机构、人员信息和用户账号；不能分配权限，不能查看审计日志',
    mfaRequired: true,
    permissions: [
      'org.region.read',
      'org.organisation.read',
      'org.organisation.write',
      'org.personnel.read',
      'org.personnel.write',
      'org.personnel.reveal',
      'identity.account.read',
      'identity.account.write',
      'org.role.read',
    ],
  },
  {
    code: 'security_admin',
    name: '安全管理员',
    description: '维护角色与权限、为账号分配角色和数据范围、解锁账号；不能维护机构人员，不能查看审计日志',
    mfaRequired: true,
    permissions: ['org.region.read', 'org.organisation.read', 'identity.account.read', 'identity.account.grant', 'identity.account.unlock', 'org.role.read', 'org.role.write'],
  },
  {
    code: 'audit_admin',
    name: '审计管理员',
    description: '查询审计日志、校验审计链；不能做任何业务或管理操作',
    mfaRequired: true,
    permissions: ['org.region.read', 'org.organisation.read', 'audit.log.read', 'audit.chain.verify'],
  },
  {
    // Every self-registered market entity's account holds this role; its permissions act on
    // the account's own entity only. Built in, so no configuration can widen it.
    code: 'entity_user',
    name: '市场主体用户',
    description: '招标人、代理机构、投标人等市场主体的自有账号：维护本主体信息、查看本主体信用',
    mfaRequired: false,
    permissions: ['registry.self.manage', 'credit.self.read', 'trading.tender.manage', 'trading.bid.submit'],
  },
  {
    // Every evaluation expert's account holds this role; it acts as the account's own expert on
    // the panels it sits on. A second factor is required like staff: the expert scores at the
    // evaluation venue, and a stolen password must not be enough to change a deal's ranking.
    code: 'expert_user',
    name: '评标专家',
    description: '评标专家的账号：查阅所评标段的开标结果与投标文件，提交并确认本人评分',
    mfaRequired: true,
    permissions: ['evaluation.score.submit'],
  },
];

export const DEFAULT_ROLES: RoleSeed[] = [
  {
    code: 'centre_staff',
    name: '交易中心工作人员',
    description: '公共资源交易中心的业务经办人员',
    mfaRequired: true,
    permissions: ['org.region.read', 'org.organisation.read', 'org.personnel.read'],
  },
  {
    code: 'supervisor',
    name: '行政监督人员',
    description: '行业行政监督部门的监管人员',
    mfaRequired: true,
    permissions: ['org.region.read', 'org.organisation.read', 'org.personnel.read'],
  },
];

/**
 * Permissions added to the default business roles after they were first seeded, by version.
 * Installations seeded earlier get them once; a role an administrator deleted stays deleted,
 * and permissions an administrator removed before the addition are not touched otherwise.
 */
export const DEFAULT_ROLE_ADDITIONS: { version: number; code: string; permissions: Permission[] }[] = [
  { version: 2, code: 'centre_staff', permissions: ['experts.expert.read', 'experts.expert.write'] },
  { version: 2, code: 'supervisor', permissions: ['experts.expert.read'] },
  { version: 3, code: 'centre_staff', permissions: ['credit.record.read', 'credit.objection.file'] },
  { version: 3, code: 'supervisor', permissions: ['credit.record.read', 'credit.record.write', 'credit.objection.decide', 'credit.repair.decide'] },
  { version: 4, code: 'centre_staff', permissions: ['registry.entity.read', 'registry.entity.review'] },
  { version: 4, code: 'supervisor', permissions: ['registry.entity.read'] },
  {
    version: 5,
    code: 'centre_staff',
    permissions: ['coding.code.read', 'trading.deal.read', 'trading.project.accept', 'trading.opening.conduct', 'trading.evaluation.manage', 'experts.panel.draw', 'experts.panel.read'],
  },
  { version: 5, code: 'supervisor', permissions: ['coding.code.read', 'trading.deal.read', 'experts.panel.read'] },
];
const DEFAULT_ROLES_VERSION = Math.max(1, ...DEFAULT_ROLE_ADDITIONS.map((a) => a.version));

async function upsertRole(trx: Kysely<DB>, seed: RoleSeed, builtin: boolean, now: Date): Promise<void> {
  const classes = adminClassesOf(seed.permissions);
  if (classes.length > 1) throw new Error(`role ${seed.code} mixes administrator classes`);
  const existing = await trx.selectFrom('org.roles').select('id').where('code', '=', seed.code).executeTakeFirst();
  const id = existing?.id ?? crypto.randomUUID();
  if (existing) {
    await trx
      .updateTable('org.roles')
      .set({ name: seed.name, description: seed.description, mfa_required: seed.mfaRequired, builtin, admin_class: classes[0] ?? null, updated_at: now, version: (eb) => eb('version', '+', 1) })
      .where('id', '=', id)
      .execute();
    await trx.deleteFrom('org.role_permissions').where('role_id', '=', id).execute();
  } else {
    await trx
      .insertInto('org.roles')
      .values({ id, code: seed.code, name: seed.name, description: seed.description, mfa_required: seed.mfaRequired, builtin, admin_class: classes[0] ?? null, created_at: now, updated_at: now })
      .execute();
  }
  await trx
    .insertInto('org.role_permissions')
    .values(seed.permissions.map((permission) => ({ role_id: id, permission })))
    .execute();
}

export async function syncDefaultRoles(db: Kysely<DB>, now: Date): Promise<void> {
  const checksum = sm3Hex(JSON.stringify(BUILTIN_ROLES));
  const seen = await db.selectFrom('platform.reference_data').select(['name', 'checksum', 'version']).where('name', 'in', ['builtin_roles', 'default_roles']).execute();
  const builtinDone = seen.find((r) => r.name === 'builtin_roles')?.checksum === checksum;
  const defaults = seen.find((r) => r.name === 'default_roles');
  const defaultsVersion = defaults ? Number(defaults.version) : 0;
  if (builtinDone && defaultsVersion >= DEFAULT_ROLES_VERSION) return;
  await db.transaction().execute(async (trx) => {
    if (!builtinDone) {
      for (const seed of BUILTIN_ROLES) await upsertRole(trx, seed, true, now);
      await trx
        .insertInto('platform.reference_data')
        .values({ name: 'builtin_roles', version: '1', checksum, loaded_at: now })
        .onConflict((oc) => oc.column('name').doUpdateSet({ checksum, loaded_at: now }))
        .execute();
    }
    if (defaultsVersion < 1) {
      for (const seed of DEFAULT_ROLES) {
        const exists = await trx.selectFrom('org.roles').select('id').where('code', '=', seed.code).executeTakeFirst();
        if (!exists) await upsertRole(trx, seed, false, now);
      }
    }
    for (const addition of DEFAULT_ROLE_ADDITIONS.filter((a) => a.version > defaultsVersion)) {
      const role = await trx.selectFrom('org.roles').select(['id', 'builtin']).where('code', '=', addition.code).executeTakeFirst();
      if (!role || role.builtin) continue;
      await trx
        .insertInto('org.role_permissions')
        .values(addition.permissions.map((permission) => ({ role_id: role.id, permission })))
        .onConflict((oc) => oc.columns(['role_id', 'permission']).doNothing())
        .execute();
    }
    const version = String(DEFAULT_ROLES_VERSION);
    await trx
      .insertInto('platform.reference_data')
      .values({ name: 'default_roles', version, checksum: '-', loaded_at: now })
      .onConflict((oc) => oc.column('name').doUpdateSet({ version, loaded_at: now }))
      .execute();
  });
}
