// Use cases of the expert pool: check scope → guard → one transaction with its audit row.
// Unavailability and relations are in experts.parts.ts; the eligibility query is here, since
// other modules (the panel draw) call it.

import crypto from 'node:crypto';
import { appendAudit } from '../../platform/audit/audit.ts';
import { recordDenied } from '../../platform/audit/denied.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { blindIndex, openSm4, sealSm4 } from '../../platform/crypto/sm4.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { auditContext, type RequestContext } from '../../platform/http/context.ts';
import { maskIdNumber, maskPhone } from '../../platform/validation/ids.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import { subjectArchive, type ArchiveView } from '../credit/credit.service.ts';
import { atProvinceCredit } from '../credit/credit.province.ts';
import { checkDay, checkedIdNumber, checkedSpecialties, checkedUscc, checkPhone, checkRegion, checkSpecialtyCode } from './experts.checks.ts';
import * as repo from './experts.repository.ts';
import { canChangeStatus, statusNeedsReason, type ExpertStatus } from './experts.rules.ts';
import { expertInScope, expertScope, regionPlaceable, scopeClause, type ExpertPermission } from './experts.scope.ts';
import { loadSpecialtyTable } from './experts.specialties.ts';

export type Actor = RequestContext & { principal: Principal };

const ID_INDEX_SCOPE = 'experts.expert.id_number';

/** The blind index of an expert's ID number under this node's key (unique in the pool). */
export function expertIdIndex(keys: Pick<Deps['keys'], 'master'>, idNumber: string): string {
  return blindIndex(keys.master, idNumber, ID_INDEX_SCOPE);
}

/** An expert with its parts, as the API shows it. */
export interface ExpertView {
  row: repo.ExpertRow;
  specialties: repo.SpecialtyLink[];
  periods: repo.PeriodRow[];
  relations: repo.RelationRow[];
}

function byExpert<T extends { expert_id: string }>(items: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.expert_id);
    if (list) list.push(item);
    else out.set(item.expert_id, [item]);
  }
  return out;
}

export async function viewsOf(deps: Deps, rows: repo.ExpertRow[]): Promise<ExpertView[]> {
  const parts = await repo.partsOf(deps.db, rows.map((r) => r.id));
  const specialties = byExpert(parts.specialties);
  const periods = byExpert(parts.periods);
  const relations = byExpert(parts.relations);
  return rows.map((row) => ({ row, specialties: specialties.get(row.id) ?? [], periods: periods.get(row.id) ?? [], relations: relations.get(row.id) ?? [] }));
}

export async function viewOf(deps: Deps, row: repo.ExpertRow): Promise<ExpertView> {
  return (await viewsOf(deps, [row]))[0]!;
}

/** The expert if the caller's scope for `permission` reaches it; 404 otherwise (existence is not disclosed). */
export async function expertFor(deps: Deps, actor: Actor, id: string, permission: ExpertPermission): Promise<repo.ExpertRow> {
  const scope = expertScope(actor.principal, permission);
  const row = await repo.findExpert(deps.db, id);
  if (!row || !expertInScope(scope, row)) throw notFound('专家');
  return row;
}

/**
 * An expert's own credit archive (records about the expert as a person, from the credit
 * library), for a caller who may see the expert and read credit records: the scope of each
 * applies. The ID number is opened here and stays in memory.
 */
export async function expertCredit(deps: Deps, actor: Actor, id: string): Promise<{ expert: repo.ExpertRow; archive: ArchiveView }> {
  const expert = await expertFor(deps, actor, id, 'experts.expert.read');
  // The library is the province's: a city's local tables would show an empty archive.
  atProvinceCredit(deps);
  const idNumber = openSm4(deps.keys.master, expert.id_number_enc, `experts:${expert.id}:id_number`).toString('utf8');
  return { expert, archive: await subjectArchive(deps, actor, { idNumber }) };
}

async function requirePlaceable(deps: Deps, actor: Actor, regionCode: string): Promise<void> {
  if (regionPlaceable(expertScope(actor.principal, 'experts.expert.write'), actor.principal, regionCode)) return;
  await recordDenied(deps.db, actor, { permission: 'experts.expert.write', regionCode });
  throw new AppError('forbidden', '您只能登记或调整本区域内的专家', { errors: [{ field: 'regionCode', rule: 'in_scope', message: '专家所在区划不在您的数据范围内' }] });
}

function staleVersion(): AppError {
  return new AppError('conflict', '该专家信息已被他人修改，请刷新后重试', { errors: [{ field: 'version', rule: 'stale', message: '数据版本已过期' }] });
}

// ---- list and read ----

export interface ExpertListQuery {
  specialty?: string | undefined;
  regionCode?: string | undefined;
  status?: ExpertStatus | undefined;
  q?: string | undefined;
  page: number;
  pageSize: number;
}

export async function listExperts(deps: Deps, actor: Actor, query: ExpertListQuery) {
  const scope = expertScope(actor.principal, 'experts.expert.read');
  if (query.specialty) checkSpecialtyCode(query.specialty, 'specialty');
  if (query.regionCode) checkRegion(query.regionCode);
  const { rows, total } = await repo.listExperts(deps.db, {
    scope: scopeClause(scope),
    specialtyCodes: query.specialty ? loadSpecialtyTable().leavesUnder(query.specialty) : undefined,
    regionCodes: query.regionCode ? loadRegionTree().subtree(query.regionCode) : undefined,
    status: query.status,
    q: query.q,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return { items: await viewsOf(deps, rows), total };
}

export async function getExpert(deps: Deps, actor: Actor, id: string): Promise<ExpertView> {
  return viewOf(deps, await expertFor(deps, actor, id, 'experts.expert.read'));
}

// ---- create and update ----

export interface ExpertInput {
  name: string;
  idNumber: string;
  phone: string;
  regionCode: string;
  employerName: string;
  employerUscc: string;
  titles?: string[] | undefined;
  specialties: string[];
  primarySpecialty?: string | undefined;
}

export async function createExpert(deps: Deps, actor: Actor, input: ExpertInput): Promise<ExpertView> {
  expertScope(actor.principal, 'experts.expert.write');
  const id = checkedIdNumber(input.idNumber, actor.now);
  checkPhone(input.phone);
  checkRegion(input.regionCode);
  const employerUscc = checkedUscc(input.employerUscc, 'employerUscc');
  const specialties = checkedSpecialties(input.specialties, input.primarySpecialty);
  await requirePlaceable(deps, actor, input.regionCode);
  const index = expertIdIndex(deps.keys, id.normalized);
  if (await repo.findExpertByIdIndex(deps.db, index)) throw conflict('该身份证号已登记在专家库中', 'idNumber');

  const expertId = crypto.randomUUID();
  const row: repo.ExpertInsert = {
    id: expertId,
    name: input.name,
    id_number_enc: sealSm4(deps.keys.master, id.normalized, `experts:${expertId}:id_number`),
    id_number_index: index,
    id_number_masked: maskIdNumber(id.normalized),
    gender: id.gender,
    birth_date: id.birthDate,
    phone_enc: sealSm4(deps.keys.master, input.phone, `experts:${expertId}:phone`),
    phone_masked: maskPhone(input.phone),
    region_code: input.regionCode,
    employer_name: input.employerName,
    employer_uscc: employerUscc,
    titles: input.titles ?? [],
    status: 'active',
    status_reason: null,
    created_by: actor.principal.accountId,
    created_at: actor.now,
    updated_at: actor.now,
  };
  await deps.db.transaction().execute(async (trx) => {
    // The check above answers the usual case; the unique index answers a concurrent twin.
    await repo.insertExpert(trx, row, specialties).catch((e: unknown) => {
      throw repo.isUniqueViolation(e, 'experts_id_number') ? conflict('该身份证号已登记在专家库中', 'idNumber') : e;
    });
    await appendAudit(trx, auditContext(actor), {
      action: 'experts.expert.create',
      targetType: 'expert',
      targetId: expertId,
      after: { ...row, specialties },
      detail: { regionCode: row.region_code, specialties: specialties.map((s) => s.code) },
    });
  });
  return viewOf(deps, (await repo.findExpert(deps.db, expertId))!);
}

export interface ExpertPatch {
  version: number;
  name?: string | undefined;
  phone?: string | undefined;
  regionCode?: string | undefined;
  employerName?: string | undefined;
  employerUscc?: string | undefined;
  titles?: string[] | undefined;
  specialties?: string[] | undefined;
  primarySpecialty?: string | undefined;
  status?: ExpertStatus | undefined;
  statusReason?: string | undefined;
}

function statusChanges(before: repo.ExpertRow, patch: ExpertPatch): Partial<Pick<repo.ExpertRow, 'status' | 'status_reason'>> {
  const status = patch.status ?? before.status;
  if (!canChangeStatus(before.status, status)) throw invalid('status', 'removed_final', '已除名的专家不能恢复，如需重新入库请联系管理员核实');
  if (!statusNeedsReason(status)) {
    if (patch.statusReason !== undefined) throw invalid('statusReason', 'only_when_inactive', '只有暂停或除名时才需填写原因');
    return patch.status !== undefined ? { status, status_reason: null } : {};
  }
  const reason = patch.statusReason ?? (status === before.status ? before.status_reason : undefined);
  if (!reason) throw invalid('statusReason', 'required', status === 'suspended' ? '暂停专家须填写原因' : '除名专家须填写原因');
  return { status, status_reason: reason };
}

export async function updateExpert(deps: Deps, actor: Actor, id: string, patch: ExpertPatch): Promise<ExpertView> {
  const before = await expertFor(deps, actor, id, 'experts.expert.write');
  if (patch.phone !== undefined) checkPhone(patch.phone);
  if (patch.regionCode !== undefined && patch.regionCode !== before.region_code) {
    checkRegion(patch.regionCode);
    await requirePlaceable(deps, actor, patch.regionCode);
  }
  const employerUscc = patch.employerUscc !== undefined ? checkedUscc(patch.employerUscc, 'employerUscc') : undefined;
  let specialties: { code: string; is_primary: boolean }[] | undefined;
  if (patch.specialties !== undefined || patch.primarySpecialty !== undefined) {
    const current = await repo.specialtiesOf(deps.db, [id]);
    const codes = patch.specialties ?? current.map((s) => s.code);
    const currentPrimary = current.find((s) => s.is_primary)?.code;
    const primary = patch.primarySpecialty ?? (currentPrimary && codes.includes(currentPrimary) ? currentPrimary : undefined);
    specialties = checkedSpecialties(codes, primary);
  }
  const changes = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.phone !== undefined ? { phone_enc: sealSm4(deps.keys.master, patch.phone, `experts:${id}:phone`), phone_masked: maskPhone(patch.phone) } : {}),
    ...(patch.regionCode !== undefined ? { region_code: patch.regionCode } : {}),
    ...(patch.employerName !== undefined ? { employer_name: patch.employerName } : {}),
    ...(employerUscc !== undefined ? { employer_uscc: employerUscc } : {}),
    ...(patch.titles !== undefined ? { titles: patch.titles } : {}),
    ...statusChanges(before, patch),
  };
  const after = await deps.db.transaction().execute(async (trx) => {
    const updated = await repo.updateExpert(trx, id, patch.version, changes, actor.now);
    if (!updated) throw staleVersion();
    if (specialties) await repo.replaceSpecialties(trx, id, specialties);
    // Field names only: a phone or ID number never reaches the audit detail.
    const fields = [...Object.keys(changes).filter((k) => k !== 'phone_enc' && k !== 'phone_masked'), ...(patch.phone !== undefined ? ['phone'] : []), ...(specialties ? ['specialties'] : [])];
    await appendAudit(trx, auditContext(actor), {
      action: 'experts.expert.update',
      targetType: 'expert',
      targetId: id,
      before,
      after: { ...updated, ...(specialties ? { specialties } : {}) },
      detail: { fields, ...(changes.status !== undefined ? { status: changes.status } : {}) },
    });
    return updated;
  });
  return viewOf(deps, after);
}

// ---- eligibility ----

export interface EligibilityQuery {
  /** A leaf specialty, or a category matching all its leaves. */
  specialty: string;
  /** GB/T 2260 code; experts anywhere in its subtree qualify (the province: everyone). */
  regionCode: string;
  /** USCCs of the entities to avoid (bidders, the tenderer, the agency…). */
  avoidUscc: string[];
  /** The evaluation day, `YYYY-MM-DD` (China Standard Time). */
  on: string;
  /** At most this many candidates (all when absent); `total` counts them all regardless. */
  limit?: number | undefined;
}

/** What a candidate shows: masked personal data only. */
export interface EligibleCandidate {
  id: string;
  name: string;
  idNumberMasked: string;
  gender: 'male' | 'female';
  phoneMasked: string;
  regionCode: string;
  employerName: string;
  employerUscc: string;
  titles: string[];
  specialties: string[];
  primarySpecialty: string;
}

/**
 * Active experts of `specialty` within `regionCode`, available on `on`, and tied to none of
 * `avoidUscc` through their employer or a declared relation. With an actor, the pool is cut to
 * the actor's `experts.expert.read` scope; without one (a caller that has already checked
 * access, such as the panel draw) the whole pool is searched.
 */
export async function findEligibleExperts(deps: Deps, query: EligibilityQuery, actor?: Actor): Promise<{ total: number; candidates: EligibleCandidate[] }> {
  checkSpecialtyCode(query.specialty, 'specialty');
  checkRegion(query.regionCode);
  checkDay(query.on, 'on');
  const avoid = [...new Set(query.avoidUscc.map((u, i) => checkedUscc(u, `avoidUscc.${i}`)))];
  const scope = actor ? expertScope(actor.principal, 'experts.expert.read') : { all: true as const };
  const tree = loadRegionTree();
  const wanted = tree.subtree(query.regionCode);
  const cut = !scope.all && scope.regionCodes ? wanted.filter((c) => scope.regionCodes!.has(c)) : wanted;
  // Every region asked for: no region test at all (experts' regions all come from this table).
  const regionCodes = cut.length === tree.regions.length ? null : cut;
  const { rows, total } = await repo.eligibleExperts(deps.db, {
    specialtyCodes: loadSpecialtyTable().leavesUnder(query.specialty),
    regionCodes,
    createdBy: scope.all ? null : scope.createdBy,
    avoidUscc: avoid,
    on: query.on,
    limit: query.limit ?? null,
  });
  const links = byExpert(await repo.specialtiesOf(deps.db, rows.map((r) => r.id)));
  const candidates = rows.map((r) => {
    const own = links.get(r.id) ?? [];
    return {
      id: r.id,
      name: r.name,
      idNumberMasked: r.id_number_masked,
      gender: r.gender,
      phoneMasked: r.phone_masked,
      regionCode: r.region_code,
      employerName: r.employer_name,
      employerUscc: r.employer_uscc,
      titles: r.titles,
      specialties: own.map((l) => l.code),
      primarySpecialty: own.find((l) => l.is_primary)?.code ?? own[0]?.code ?? '',
    };
  });
  return { total, candidates };
}
