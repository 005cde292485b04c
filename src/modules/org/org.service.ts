// Use cases of organisations and personnel: check scope → guard → one transaction with its
// audit row.

import crypto from 'node:crypto';
import { appendAudit } from '../../platform/audit/audit.ts';
import { writeAffectingSessions } from '../../platform/auth/auth-cache.ts';
import { recordDenied } from '../../platform/audit/denied.ts';
import { blindIndex, openSm4, sealSm4 } from '../../platform/crypto/sm4.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { auditContext, type RequestContext } from '../../platform/http/context.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { checkIdNumber, checkUscc, maskIdNumber, maskPhone } from '../../platform/validation/ids.ts';
import { loadRegionTree } from './org.regions.ts';
import * as repo from './org.repository.ts';
import { inScope, regionInScope, resolveScope, scopeCondition } from './org.scope.ts';
import type { Industry, OrganisationKind, PersonnelStatus } from './org.tables.ts';

type Actor = RequestContext & { principal: Principal };

const ID_INDEX_SCOPE = 'org.personnel.id_number';

// ---- organisations ----

export interface OrganisationInput {
  name: string;
  shortName?: string | undefined;
  kind: OrganisationKind;
  parentId?: string | undefined;
  regionCode: string;
  industry?: Industry | undefined;
  creditCode?: string | undefined;
}

function checkCreditCode(code: string | undefined): void {
  if (code === undefined) return;
  const r = checkUscc(code);
  if (!r.ok) {
    const messages = { format: '统一社会信用代码应为 18 位，且不含 I、O、S、V、Z', check_digit: '统一社会信用代码校验位错误', org_code_check_digit: '统一社会信用代码中的组织机构代码校验位错误' } as const;
    throw invalid('creditCode', r.rule, messages[r.rule]);
  }
}

function checkIndustry(kind: OrganisationKind, industry: Industry | undefined | null): void {
  if (industry != null && kind !== 'supervision') throw invalid('industry', 'only_for_supervision', '只有行政监督部门可以设置监管行业');
}

export async function listOrganisations(deps: Deps, actor: Actor, query: { kind?: string; regionCode?: string; q?: string; status?: string }) {
  const filter = await resolveScope(deps.db, actor.principal, 'org.organisation.read');
  const ids = filter.all ? null : filter.ownerId ? await repo.organisationIdsCreatedBy(deps.db, filter.ownerId) : filter.organisationIds;
  return repo.listOrganisations(deps.db, { ids, ...query });
}

export async function getOrganisation(deps: Deps, actor: Actor, id: string) {
  const filter = await resolveScope(deps.db, actor.principal, 'org.organisation.read');
  const row = await repo.findOrganisation(deps.db, id);
  if (!row || !inScope(filter, row.id, row.created_by)) throw notFound('组织机构');
  return row;
}

export async function createOrganisation(deps: Deps, actor: Actor, input: OrganisationInput) {
  const regions = loadRegionTree();
  if (!regions.get(input.regionCode)) throw invalid('regionCode', 'exists', `行政区划代码 ${input.regionCode} 不存在`);
  checkCreditCode(input.creditCode);
  checkIndustry(input.kind, input.industry);

  const filter = await resolveScope(deps.db, actor.principal, 'org.organisation.write');
  let parent: repo.OrganisationRow | undefined;
  if (input.parentId) {
    parent = await repo.findOrganisation(deps.db, input.parentId);
    if (!parent || !inScope(filter, parent.id, parent.created_by)) throw invalid('parentId', 'exists', '上级机构不存在或不在您的数据范围内');
    if (!regions.isWithin(input.regionCode, parent.region_code)) {
      throw invalid('regionCode', 'within_parent_region', `机构所在区划必须位于上级机构所在区划（${regions.fullName(parent.region_code)}）之内`);
    }
  } else if (!regionInScope(filter, actor.principal, input.regionCode)) {
    await recordDenied(deps.db, actor, { permission: 'org.organisation.write', regionCode: input.regionCode });
    throw new AppError('forbidden', '您只能在本区域内新建机构');
  }
  if (await repo.findOrganisationByName(deps.db, input.parentId ?? null, input.name)) {
    throw conflict('同一上级机构下已有同名机构', 'name');
  }

  const now = actor.now;
  const row = {
    id: crypto.randomUUID(),
    parent_id: input.parentId ?? null,
    name: input.name,
    short_name: input.shortName ?? null,
    kind: input.kind,
    region_code: input.regionCode,
    industry: input.industry ?? null,
    credit_code: input.creditCode ?? null,
    status: 'active' as const,
    created_by: actor.principal.accountId,
    created_at: now,
    updated_at: now,
  };
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertOrganisation(trx, row);
    await appendAudit(trx, auditContext(actor), { action: 'org.organisation.create', targetType: 'organisation', targetId: row.id, after: row });
  });
  return { ...row, version: 1 };
}

export interface OrganisationPatch {
  version: number;
  name?: string | undefined;
  shortName?: string | null | undefined;
  industry?: Industry | null | undefined;
  creditCode?: string | null | undefined;
  status?: 'active' | 'inactive' | undefined;
}

export async function updateOrganisation(deps: Deps, actor: Actor, id: string, patch: OrganisationPatch) {
  const filter = await resolveScope(deps.db, actor.principal, 'org.organisation.write');
  const before = await repo.findOrganisation(deps.db, id);
  if (!before || !inScope(filter, before.id, before.created_by)) throw notFound('组织机构');
  if (patch.creditCode) checkCreditCode(patch.creditCode);
  if (patch.industry !== undefined) checkIndustry(before.kind, patch.industry);
  if (patch.name !== undefined && patch.name !== before.name && (await repo.findOrganisationByName(deps.db, before.parent_id, patch.name))) {
    throw conflict('同一上级机构下已有同名机构', 'name');
  }
  if (patch.status === 'inactive' && before.status === 'active') {
    const children = await repo.listOrganisations(deps.db, { ids: await repo.organisationSubtreeIds(deps.db, id), status: 'active' });
    if (children.some((c) => c.id !== id)) throw invalid('status', 'has_active_children', '该机构下仍有启用的下级机构，请先停用下级机构');
  }
  const changes = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.shortName !== undefined ? { short_name: patch.shortName } : {}),
    ...(patch.industry !== undefined ? { industry: patch.industry } : {}),
    ...(patch.creditCode !== undefined ? { credit_code: patch.creditCode } : {}),
    ...(patch.status !== undefined ? { status: patch.status } : {}),
  };
  return writeAffectingSessions(deps, async (trx) => {
    const after = await repo.updateOrganisation(trx, id, patch.version, changes, actor.now);
    if (!after) throw new AppError('conflict', '该机构已被他人修改，请刷新后重试', { errors: [{ field: 'version', rule: 'stale', message: '数据版本已过期' }] });
    await appendAudit(trx, auditContext(actor), {
      action: 'org.organisation.update',
      targetType: 'organisation',
      targetId: id,
      before,
      after,
      detail: { fields: Object.keys(changes) },
    });
    return after;
  });
}

// ---- personnel ----

export interface PersonnelInput {
  name: string;
  idNumber: string;
  organisationId: string;
  position?: string | undefined;
  phone?: string | undefined;
  status?: PersonnelStatus | undefined;
}

const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

function checkPhone(phone: string | null | undefined): void {
  if (phone != null && !PHONE.test(phone)) throw invalid('phone', 'format', '电话号码格式不正确（手机号 11 位，或带区号的固定电话）');
}

async function personnelScope(deps: Deps, actor: Actor, permission: 'org.personnel.read' | 'org.personnel.write' | 'org.personnel.reveal') {
  return resolveScope(deps.db, actor.principal, permission);
}

export async function listPersonnel(deps: Deps, actor: Actor, query: { organisationId?: string; q?: string; status?: string; page: number; pageSize: number }) {
  const filter = await personnelScope(deps, actor, 'org.personnel.read');
  return repo.listPersonnel(deps.db, {
    scope: scopeCondition(filter, 'p.organisation_id', 'p.created_by'),
    organisationId: query.organisationId,
    q: query.q,
    status: query.status,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
}

export async function getPersonnel(deps: Deps, actor: Actor, id: string, permission: 'org.personnel.read' | 'org.personnel.write' | 'org.personnel.reveal' = 'org.personnel.read') {
  const filter = await personnelScope(deps, actor, permission);
  const row = await repo.findPersonnel(deps.db, id);
  if (!row || !inScope(filter, row.organisation_id, row.created_by)) throw notFound('人员');
  return row;
}

async function requireOrganisationInScope(deps: Deps, actor: Actor, organisationId: string): Promise<void> {
  const filter = await resolveScope(deps.db, actor.principal, 'org.personnel.write');
  const org = await repo.findOrganisation(deps.db, organisationId);
  if (!org || !inScope(filter, org.id, org.created_by)) throw invalid('organisationId', 'exists', '所属机构不存在或不在您的数据范围内');
  if (org.status !== 'active') throw invalid('organisationId', 'active', '所属机构已停用');
}

export async function createPersonnel(deps: Deps, actor: Actor, input: PersonnelInput) {
  const idNumber = input.idNumber.trim().toUpperCase();
  const check = checkIdNumber(idNumber, actor.now);
  if (!check.ok) {
    const messages = { format: '身份证号应为 18 位（前 17 位数字，末位数字或 X）', birth_date: '身份证号中的出生日期无效', check_digit: '身份证号校验位错误' } as const;
    throw invalid('idNumber', check.rule, messages[check.rule]);
  }
  checkPhone(input.phone);
  await requireOrganisationInScope(deps, actor, input.organisationId);
  const index = blindIndex(deps.keys.master, idNumber, ID_INDEX_SCOPE);
  if (await repo.findPersonnelByIdIndex(deps.db, index)) throw conflict('该身份证号已登记在人员库中', 'idNumber');

  const now = actor.now;
  const id = crypto.randomUUID();
  const row = {
    id,
    organisation_id: input.organisationId,
    name: input.name,
    id_number_enc: sealSm4(deps.keys.master, idNumber, `personnel:${id}:id_number`),
    id_number_index: index,
    id_number_masked: maskIdNumber(idNumber),
    gender: check.gender,
    birth_date: check.birthDate,
    position: input.position ?? '',
    phone_enc: input.phone ? sealSm4(deps.keys.master, input.phone, `personnel:${id}:phone`) : null,
    phone_masked: input.phone ? maskPhone(input.phone) : null,
    status: input.status ?? ('active' as const),
    created_by: actor.principal.accountId,
    created_at: now,
    updated_at: now,
  };
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertPersonnel(trx, row);
    await appendAudit(trx, auditContext(actor), { action: 'org.personnel.create', targetType: 'personnel', targetId: id, after: row });
  });
  return (await repo.findPersonnel(deps.db, id))!;
}

export interface PersonnelPatch {
  version: number;
  name?: string | undefined;
  position?: string | undefined;
  phone?: string | null | undefined;
  organisationId?: string | undefined;
  status?: PersonnelStatus | undefined;
}

export async function updatePersonnel(deps: Deps, actor: Actor, id: string, patch: PersonnelPatch) {
  const before = await getPersonnel(deps, actor, id, 'org.personnel.write');
  checkPhone(patch.phone);
  if (patch.organisationId !== undefined && patch.organisationId !== before.organisation_id) {
    await requireOrganisationInScope(deps, actor, patch.organisationId);
  }
  const changes = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.position !== undefined ? { position: patch.position } : {}),
    ...(patch.phone !== undefined
      ? { phone_enc: patch.phone ? sealSm4(deps.keys.master, patch.phone, `personnel:${id}:phone`) : null, phone_masked: patch.phone ? maskPhone(patch.phone) : null }
      : {}),
    ...(patch.organisationId !== undefined ? { organisation_id: patch.organisationId } : {}),
    ...(patch.status !== undefined ? { status: patch.status } : {}),
  };
  await deps.db.transaction().execute(async (trx) => {
    const after = await repo.updatePersonnel(trx, id, patch.version, changes, actor.now);
    if (!after) throw new AppError('conflict', '该人员信息已被他人修改，请刷新后重试', { errors: [{ field: 'version', rule: 'stale', message: '数据版本已过期' }] });
    await appendAudit(trx, auditContext(actor), {
      action: 'org.personnel.update',
      targetType: 'personnel',
      targetId: id,
      before,
      after,
      detail: { fields: Object.keys(changes).filter((k) => k !== 'phone_enc') },
    });
  });
  return (await repo.findPersonnel(deps.db, id))!;
}

/** The clear ID number and phone, for a reader with the reveal permission; always audited. */
export async function revealPersonnel(deps: Deps, actor: Actor, id: string) {
  const row = await getPersonnel(deps, actor, id, 'org.personnel.reveal');
  const idNumber = openSm4(deps.keys.master, row.id_number_enc, `personnel:${id}:id_number`).toString('utf8');
  const phone = row.phone_enc ? openSm4(deps.keys.master, row.phone_enc, `personnel:${id}:phone`).toString('utf8') : null;
  await deps.db.transaction().execute((trx) =>
    appendAudit(trx, auditContext(actor), { action: 'org.personnel.reveal', targetType: 'personnel', targetId: id, detail: { fields: ['idNumber', 'phone'] } }),
  );
  return { idNumber, phone };
}

/** For other modules: an organisation's region and status (identity uses it for accounts). */
export async function organisationFacts(deps: Deps, id: string) {
  const row = await repo.findOrganisation(deps.db, id);
  return row ? { id: row.id, name: row.name, regionCode: row.region_code, status: row.status, createdBy: row.created_by } : undefined;
}

export async function organisationNames(deps: Deps, ids: string[]): Promise<Map<string, string>> {
  const rows = await repo.findOrganisationsByIds(deps.db, [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, r.name]));
}
