// Use cases of a tender project before it is published: registration by the tenderer or its
// agency, changes while it is a draft or returned, submission, and acceptance by the trading
// centre of the project's region — which issues the unified deal code (and a code per lot) in the
// same transaction, so there is never an accepted project without a code or a code without its
// project. From acceptance on, every step appends a deal event carrying the code.

import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { appendAudit } from '../../platform/audit/audit.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, conflict, forbidden, invalid, type FieldError } from '../../platform/errors.ts';
import { appendDealEvent } from '../../platform/events/deal-events.ts';
import { auditContext } from '../../platform/http/context.ts';
import { issueDealCode, issueLotCode } from '../coding/coding.service.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import { entityParty, type EntityParty } from '../registry/registry.facts.ts';
import { projectFor, type Actor } from './trading.access.ts';
import { parseYuan } from './trading.money.ts';
import * as repo from './trading.projects.repository.ts';
import type { LotRow, ProjectRow } from './trading.repository.ts';
import { projectStep, TENDER_CATEGORIES, type ProjectAction } from './trading.rules.ts';
import type { LotKind } from './trading.tables.ts';

export interface LotInput {
  name: string;
  kind: LotKind;
  /** Yuan, at most two decimals, as typed. */
  estimatedPrice: string;
}

export interface ProjectInput {
  name: string;
  investmentCode?: string | undefined;
  category: string;
  tenderMethod: 'open' | 'invited';
  regionCode: string;
  /** The tenderer an agency registers for; omitted when the tenderer registers itself. */
  tendererEntityId?: string | undefined;
  supervisingDepartment: string;
  fundingSource: string;
  description?: string | undefined;
  lots: LotInput[];
}

export const MAX_LOTS = 50;

export function eventActor(actor: Actor): { accountId: string; name: string } {
  return { accountId: actor.principal.accountId, name: actor.principal.displayName };
}

/** The entity a market-entity account acts for, which must be active. */
async function actingEntity(deps: Deps, actor: Actor): Promise<EntityParty> {
  if (actor.principal.entityId === null) throw forbidden('此功能仅供招标人或招标代理机构的账号使用');
  const e = await entityParty(deps.db, actor.principal.entityId);
  if (!e) throw forbidden('此功能仅供市场主体用户使用');
  if (e.status !== 'active') {
    throw new AppError('conflict', e.status === 'suspended' ? `本主体已被暂停：${e.statusReason ?? ''}，暂停期间不能登记或办理招标项目` : '本主体尚未通过注册审核，审核通过后才能登记招标项目', { rule: 'entity_status' });
  }
  return e;
}

/** Checks the input and works out who is tenderer and who is agency. */
async function checkInput(deps: Deps, actor: Actor, input: ProjectInput): Promise<{ tenderer: EntityParty; agency: EntityParty | null; lots: { input: LotInput; fen: number }[] }> {
  const me = await actingEntity(deps, actor);
  const errors: FieldError[] = [];
  if (!Object.hasOwn(TENDER_CATEGORIES, input.category)) errors.push({ field: 'category', rule: 'catalogue', message: `交易类别「${input.category}」不在工程建设交易目录中` });
  const tree = loadRegionTree();
  const region = tree.get(input.regionCode);
  if (!region || !tree.isWithin(input.regionCode, '140000')) errors.push({ field: 'regionCode', rule: 'region', message: `行政区划代码 ${input.regionCode} 不是本省的区划` });
  const names = new Set<string>();
  const lots = input.lots.map((lot, i) => {
    const fen = parseYuan(lot.estimatedPrice);
    if (fen === undefined || fen === 0) errors.push({ field: `lots.${i}.estimatedPrice`, rule: 'money', message: '估算价（最高投标限价）须为大于 0 的金额，单位元，最多两位小数' });
    if (names.has(lot.name)) errors.push({ field: `lots.${i}.name`, rule: 'unique', message: `标段名称「${lot.name}」重复` });
    names.add(lot.name);
    return { input: lot, fen: fen ?? 0 };
  });
  if (lots.length > MAX_LOTS) errors.push({ field: 'lots', rule: 'maxItems', message: `一个招标项目最多划分 ${MAX_LOTS} 个标段` });

  let tenderer: EntityParty = me;
  let agency: EntityParty | null = null;
  if (input.tendererEntityId !== undefined && input.tendererEntityId !== me.id) {
    if (!me.roles.includes('agency')) errors.push({ field: 'tendererEntityId', rule: 'agency_role', message: '只有登记了「招标代理」角色的主体才能代理其他招标人登记项目' });
    const t = await entityParty(deps.db, input.tendererEntityId);
    if (!t || t.status !== 'active' || !t.roles.includes('tenderer')) {
      errors.push({ field: 'tendererEntityId', rule: 'tenderer', message: '委托的招标人须为已通过注册审核、登记了「招标人」角色的市场主体' });
    } else {
      tenderer = t;
      agency = me;
    }
  } else if (!me.roles.includes('tenderer')) {
    errors.push({ field: 'tendererEntityId', rule: 'required', message: me.roles.includes('agency') ? '招标代理机构登记项目时须选择委托的招标人' : '本主体未登记「招标人」或「招标代理」角色，不能登记招标项目' });
  }
  if (errors.length > 0) throw new AppError('validation_failed', errors[0]!.message, { errors });
  return { tenderer, agency, lots };
}

function lotRows(projectId: string, lots: { input: LotInput; fen: number }[], at: Date): repo.LotInsert[] {
  return lots.map((l, i) => ({ id: crypto.randomUUID(), project_id: projectId, lot_no: i + 1, lot_code: null, name: l.input.name, kind: l.input.kind, estimated_price_fen: l.fen, status: 'pending', status_reason: null, updated_at: at }));
}

export async function registerProject(deps: Deps, actor: Actor, input: ProjectInput): Promise<ProjectRow> {
  const { tenderer, agency, lots } = await checkInput(deps, actor, input);
  const id = crypto.randomUUID();
  return deps.db.transaction().execute(async (trx) => {
    await repo.insertProject(
      trx,
      {
        id,
        deal_code: null,
        name: input.name,
        investment_code: input.investmentCode ?? null,
        category: input.category,
        tender_method: input.tenderMethod,
        region_code: input.regionCode,
        tenderer_entity_id: tenderer.id,
        agency_entity_id: agency?.id ?? null,
        owner_entity_id: actor.principal.entityId!,
        supervising_department: input.supervisingDepartment,
        funding_source: input.fundingSource,
        description: input.description ?? '',
        status: 'draft',
        status_reason: null,
        created_by: actor.principal.accountId,
        created_at: actor.now,
        updated_at: actor.now,
      },
      lotRows(id, lots, actor.now),
    );
    await appendAudit(trx, auditContext(actor), { action: 'trading.project.register', targetType: 'tender_project', targetId: id, detail: { lots: lots.length, agency: agency !== null } });
    return (await repo.findProject(trx, id))!;
  });
}

/** Locks the project, checks the step is legal now, and returns the locked row. */
export async function lockedFor(trx: Kysely<DB>, id: string, action: ProjectAction): Promise<ProjectRow> {
  const p = (await repo.lockProject(trx, id))!;
  const s = projectStep(p.status, action);
  if (!s.ok) throw conflict(s.message, 'status', 'state');
  return p;
}

export async function updateProject(deps: Deps, actor: Actor, id: string, input: ProjectInput): Promise<ProjectRow> {
  const current = await projectFor(deps.db, actor, id, 'manage');
  const s = projectStep(current.status, 'edit');
  if (!s.ok) throw conflict(s.message, 'status', 'state');
  const { tenderer, agency, lots } = await checkInput(deps, actor, input);
  return deps.db.transaction().execute(async (trx) => {
    const p = await lockedFor(trx, id, 'edit');
    const moved = await repo.updateProject(trx, id, p.status, {
      name: input.name,
      investment_code: input.investmentCode ?? null,
      category: input.category,
      tender_method: input.tenderMethod,
      region_code: input.regionCode,
      tenderer_entity_id: tenderer.id,
      agency_entity_id: agency?.id ?? null,
      supervising_department: input.supervisingDepartment,
      funding_source: input.fundingSource,
      description: input.description ?? '',
      updated_at: actor.now,
    });
    await repo.replaceLots(trx, id, lotRows(id, lots, actor.now));
    await appendAudit(trx, auditContext(actor), { action: 'trading.project.update', targetType: 'tender_project', targetId: id, detail: { lots: lots.length } });
    return moved!;
  });
}

export async function submitProject(deps: Deps, actor: Actor, id: string): Promise<ProjectRow> {
  await projectFor(deps.db, actor, id, 'manage');
  await actingEntity(deps, actor);
  return deps.db.transaction().execute(async (trx) => {
    const p = await lockedFor(trx, id, 'submit');
    const lots = await repo.lotsOf(trx, [id]);
    if (lots.length === 0) throw invalid('lots', 'minItems', '至少划分一个标段后才能提交受理');
    const moved = await repo.updateProject(trx, id, p.status, { status: 'submitted', status_reason: null, submitted_at: actor.now, updated_at: actor.now });
    await appendAudit(trx, auditContext(actor), { action: 'trading.project.submit', targetType: 'tender_project', targetId: id });
    return moved!;
  });
}

export async function withdrawProject(deps: Deps, actor: Actor, id: string): Promise<ProjectRow> {
  await projectFor(deps.db, actor, id, 'manage');
  return deps.db.transaction().execute(async (trx) => {
    const p = await lockedFor(trx, id, 'withdraw');
    const moved = await repo.updateProject(trx, id, p.status, { status: 'draft', submitted_at: null, updated_at: actor.now });
    await appendAudit(trx, auditContext(actor), { action: 'trading.project.withdraw', targetType: 'tender_project', targetId: id });
    return moved!;
  });
}

export async function returnProject(deps: Deps, actor: Actor, id: string, reason: string): Promise<ProjectRow> {
  await projectFor(deps.db, actor, id, 'accept');
  return deps.db.transaction().execute(async (trx) => {
    const p = await lockedFor(trx, id, 'return');
    const moved = await repo.updateProject(trx, id, p.status, { status: 'returned', status_reason: reason, updated_at: actor.now });
    await appendAudit(trx, auditContext(actor), { action: 'trading.project.return', targetType: 'tender_project', targetId: id, detail: { reason } });
    return moved!;
  });
}

/**
 * Accepts a submitted project: issues its unified deal code and a lot code per lot, in the same
 * transaction as the acceptance and its first deal events.
 */
export async function acceptProject(deps: Deps, actor: Actor, id: string): Promise<{ project: ProjectRow; lots: LotRow[] }> {
  await projectFor(deps.db, actor, id, 'accept');
  return deps.db.transaction().execute(async (trx) => {
    const p = await lockedFor(trx, id, 'accept');
    const tenderer = await entityParty(trx, p.tenderer_entity_id);
    const agency = p.agency_entity_id ? await entityParty(trx, p.agency_entity_id) : undefined;
    if (!tenderer || tenderer.status !== 'active') throw conflict('招标人主体已被暂停或不再有效，不能受理', 'tendererEntityId', 'entity_status');
    const dealCode = await issueDealCode(trx, deps, { kind: 'tender_project', subjectId: p.id, title: p.name, regionCode: p.region_code, category: p.category, issuedBy: actor.principal.accountId, at: actor.now });
    const project = (await repo.updateProject(trx, id, 'submitted', { status: 'accepted', deal_code: dealCode, accepted_at: actor.now, accepted_by: actor.principal.accountId, status_reason: null, updated_at: actor.now }))!;
    const who = eventActor(actor);
    await appendDealEvent(trx, {
      dealCode,
      type: 'project_accepted',
      payload: { projectId: p.id, name: p.name, category: p.category, regionCode: p.region_code, tendererEntityId: p.tenderer_entity_id, tendererName: tenderer.name, agencyEntityId: p.agency_entity_id, agencyName: agency?.name ?? null, tenderMethod: p.tender_method, supervisingDepartment: p.supervising_department, registeredAt: p.created_at.toISOString(), submittedAt: p.submitted_at?.toISOString() ?? null },
      actor: who,
      at: actor.now,
    });
    const lots: LotRow[] = [];
    for (const lot of await repo.lotsOf(trx, [id])) {
      const lotCode = await issueLotCode(trx, { dealCode, subjectId: lot.id, title: lot.name, at: actor.now });
      lots.push((await repo.updateLot(trx, lot.id, 'pending', { lot_code: lotCode, updated_at: actor.now }))!);
      await appendDealEvent(trx, { dealCode, lotCode, type: 'lot_coded', payload: { lotId: lot.id, lotNo: lot.lot_no, name: lot.name, estimatedPriceFen: lot.estimated_price_fen }, actor: who, at: actor.now });
    }
    await appendAudit(trx, auditContext(actor), { action: 'trading.project.accept', targetType: 'tender_project', targetId: id, detail: { dealCode, lots: lots.length } });
    return { project, lots };
  });
}
