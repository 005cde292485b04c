// Staff's side of the registry: the shared search (one registry for the province: any reader
// sees every entity, personal values masked), an entity's detail and history, the review of
// registrations and changes by the centre of the entity's region, the audited reveal of
// personal values, the qualifications about to expire, and the check a procedure makes before
// a qualification backs a bid.

import { appendAudit } from '../../platform/audit/audit.ts';
import { recordDenied } from '../../platform/audit/denied.ts';
import type { Deps } from '../../platform/deps.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { auditContext } from '../../platform/http/context.ts';
import { addDays, chinaDate, daysBetween } from '../credit/credit.rules.ts';
import { inRegionScope, regionScope, regionScopeClause } from '../org/org.region-scope.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import { changesBetween } from './registry.profile.ts';
import * as repo from './registry.repository.ts';
import { allows, DEFAULT_REGISTRY_RULES, qualificationState, qualificationUsable, type EntityKind, type EntityRole, type EntityStatus, type ReviewOutcome } from './registry.rules.ts';
import type { Actor } from './registry.service.ts';

/** Totals of a name search are exact up to this many matches; beyond, the user refines the search (a common word matches thousands). */
const SEARCH_COUNT_CAP = 200;

function regionOf(entity: repo.EntityRow) {
  return { region_code: entity.region_code, created_by: null };
}

export async function entityFor(deps: Deps, id: string): Promise<repo.EntityRow> {
  const entity = await repo.findEntity(deps.db, id);
  if (!entity) throw notFound('市场主体');
  return entity;
}

// ---- search ----

export interface EntityListQuery {
  q?: string | undefined;
  kind?: EntityKind | undefined;
  role?: EntityRole | undefined;
  status?: EntityStatus | undefined;
  regionCode?: string | undefined;
  page: number;
  pageSize: number;
}

export async function listEntities(deps: Deps, actor: Actor, query: EntityListQuery) {
  regionScope(actor.principal, 'registry.entity.read');
  return searchRegistry(deps, query, actor.now);
}

/** The shared search itself, for a reader whose access was checked (here or on the city node that asks). */
export async function searchRegistry(deps: Deps, query: EntityListQuery, now: Date) {
  const tree = loadRegionTree();
  if (query.regionCode && !tree.get(query.regionCode)) throw invalid('regionCode', 'exists', `行政区划代码 ${query.regionCode} 不存在`);
  const r = await repo.searchEntities(deps.db, {
    q: query.q,
    kind: query.kind,
    role: query.role,
    status: query.status,
    regionCodes: query.regionCode ? tree.subtree(query.regionCode) : undefined,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
    countCap: SEARCH_COUNT_CAP,
  });
  const warnings = await warningCounts(deps, r.rows.map((e) => e.id), chinaDate(now));
  return { ...r, warnings };
}

/** Per entity: approved qualifications flagged expiring or already expired on `today`. */
export async function warningCounts(deps: Deps, entityIds: string[], today: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (entityIds.length === 0) return counts;
  const rows = await repo.qualificationsOf(deps.db, entityIds);
  for (const q of rows) {
    const state = qualificationState(q.valid_from, q.valid_to, today);
    if (state === 'expiring' || state === 'expired') counts.set(q.entity_id, (counts.get(q.entity_id) ?? 0) + 1);
  }
  return counts;
}

// ---- one entity ----

/** An entity's detail, for a reader whose access was checked. */
export async function entityDetailAt(deps: Deps, id: string, now: Date) {
  const entity = await entityFor(deps, id);
  const [current, open, warnings] = await Promise.all([
    entity.current_version_id ? repo.findVersion(deps.db, entity.current_version_id) : undefined,
    repo.openVersion(deps.db, id),
    warningCounts(deps, [id], chinaDate(now)),
  ]);
  return { entity, current, open, warnings: warnings.get(id) ?? 0 };
}

/** One version of an entity: to its own users, or to staff who may read the registry. */
export async function versionOf(deps: Deps, actor: Actor, entityId: string, versionId: string): Promise<{ entity: repo.EntityRow; version: repo.VersionRow }> {
  if (actor.principal.entityId !== entityId) regionScope(actor.principal, 'registry.entity.read');
  return versionOfEntity(deps, entityId, versionId);
}

/** One version of an entity, for a reader whose access was checked. */
export async function versionOfEntity(deps: Deps, entityId: string, versionId: string): Promise<{ entity: repo.EntityRow; version: repo.VersionRow }> {
  const entity = await entityFor(deps, entityId);
  const version = await repo.findVersion(deps.db, versionId);
  if (!version || version.entity_id !== entityId) throw notFound('版本');
  return { entity, version };
}

/**
 * Personal values of an entity's approved profile (or, before the first approval, of its
 * submitted one) in clear, for staff of the entity's region who hold the reveal permission.
 * Every reveal is audited.
 */
export async function revealEntity(deps: Deps, actor: Actor, id: string): Promise<{ entity: repo.EntityRow; version: repo.VersionRow }> {
  const scope = regionScope(actor.principal, 'registry.entity.reveal');
  const entity = await entityFor(deps, id);
  if (!inRegionScope(scope, regionOf(entity))) {
    await recordDenied(deps.db, actor, { permission: 'registry.entity.reveal', entityId: id });
    throw notFound('市场主体');
  }
  const version = entity.current_version_id ? await repo.findVersion(deps.db, entity.current_version_id) : await repo.openVersion(deps.db, id);
  if (!version) throw notFound('主体信息');
  await deps.db.transaction().execute((trx) =>
    appendAudit(trx, auditContext(actor), { action: 'registry.entity.reveal', targetType: 'entity', targetId: id, detail: { versionId: version.id, fields: ['legalRepresentative.idNumber', 'contacts.phone', 'bankAccount.number', 'keyPersonnel.idNumber'] } }),
  );
  return { entity, version };
}

// ---- review ----

export async function reviewQueue(deps: Deps, actor: Actor, page: number, pageSize: number) {
  const clause = regionScopeClause(regionScope(actor.principal, 'registry.entity.review'));
  // A scope of one's own records (`own`, `organisation`) reaches no entity: staff do not create them.
  if (clause && clause.regionCodes === null) return { rows: [], total: 0 };
  return repo.reviewQueue(deps.db, { regionCodes: clause?.regionCodes ?? null, limit: pageSize, offset: (page - 1) * pageSize });
}

/** The version under review, if the caller reviews the entity's region (404 otherwise). */
async function reviewable(deps: Deps, actor: Actor, versionId: string) {
  const scope = regionScope(actor.principal, 'registry.entity.review');
  const version = await repo.findVersion(deps.db, versionId);
  const entity = version ? await repo.findEntity(deps.db, version.entity_id) : undefined;
  if (!version || !entity || !inRegionScope(scope, regionOf(entity))) throw notFound('审核申请');
  return { version, entity };
}

/**
 * Approves or rejects a submitted version. Approval makes it the entity's profile: the entity
 * row and the qualification and key-personnel projections follow it, the earlier approved
 * version is superseded, and a first approval activates the entity.
 */
export async function decide(deps: Deps, actor: Actor, versionId: string, input: { outcome: ReviewOutcome; reason?: string | undefined }): Promise<repo.VersionRow> {
  const { version } = await reviewable(deps, actor, versionId);
  const step = allows(version.status, 'decide');
  if (!step.ok) throw conflict(step.message, 'status', version.status);
  if (input.outcome === 'rejected' && input.reason === undefined) throw invalid('reason', 'required', '退回时请写明原因，主体将据此修改');
  const decided = await deps.db.transaction().execute(async (trx) => {
    const entity = (await repo.lockEntity(trx, version.entity_id))!;
    const moved = await repo.moveVersion(trx, versionId, 'submitted', {
      status: input.outcome,
      reviewed_by: actor.principal.accountId,
      reviewed_at: actor.now,
      review_reason: input.reason ?? null,
      updated_at: actor.now,
    });
    if (!moved) throw conflict('该申请已撤回或已被他人审核，请刷新', 'status', 'stale');
    const base = moved.base_version_id ? await repo.findVersion(trx, moved.base_version_id) : undefined;
    if (input.outcome === 'approved') {
      if (entity.current_version_id) await repo.moveVersion(trx, entity.current_version_id, 'approved', { status: 'superseded', updated_at: actor.now });
      const p = moved.data;
      await repo.updateEntity(trx, entity.id, {
        name: p.name,
        region_code: p.regionCode,
        roles: p.roles,
        status: entity.status === 'registering' ? 'active' : entity.status,
        current_version_id: moved.id,
        approved_at: actor.now,
        updated_at: actor.now,
      });
      await repo.projectProfile(trx, entity.id, p);
    }
    await appendAudit(trx, auditContext(actor), {
      action: 'registry.version.decide',
      targetType: 'entity',
      targetId: entity.id,
      detail: { versionId, number: moved.number, outcome: input.outcome, type: base ? 'change' : 'registration', changed: changesBetween(base?.data ?? null, moved.data).map((c) => c.field) },
    });
    return moved;
  });
  // The entity's name and region are part of its users' sessions.
  if (input.outcome === 'approved') deps.authCache.invalidate();
  return decided;
}

// ---- suspension ----

/**
 * Suspends an active entity (its users can change nothing, its qualifications back no bid) or
 * lifts the suspension, by staff who review the entity's region; both need a reason, audited.
 */
export async function setEntityStatus(deps: Deps, actor: Actor, id: string, input: { status: 'active' | 'suspended'; reason: string }): Promise<repo.EntityRow> {
  const scope = regionScope(actor.principal, 'registry.entity.review');
  const entity = await repo.findEntity(deps.db, id);
  if (!entity || !inRegionScope(scope, regionOf(entity))) throw notFound('市场主体');
  const from = input.status === 'suspended' ? 'active' : 'suspended';
  if (entity.status !== from) {
    throw conflict(input.status === 'suspended' ? (entity.status === 'registering' ? '主体尚未通过审核，无需暂停' : '主体已处于暂停状态') : '主体未被暂停', 'status', entity.status);
  }
  return deps.db.transaction().execute(async (trx) => {
    const locked = (await repo.lockEntity(trx, id))!;
    if (locked.status !== from) throw conflict('主体状态已变化，请刷新后重试', 'status', 'stale');
    await repo.updateEntity(trx, id, { status: input.status, status_reason: input.status === 'suspended' ? input.reason : null, updated_at: actor.now });
    await appendAudit(trx, auditContext(actor), {
      action: 'registry.entity.status',
      targetType: 'entity',
      targetId: id,
      before: { status: locked.status, reason: locked.status_reason },
      after: { status: input.status, reason: input.reason },
    });
    return (await repo.findEntity(trx, id))!;
  });
}

// ---- qualifications ----

export async function expiringQualifications(deps: Deps, actor: Actor, q: { days?: number | undefined; page: number; pageSize: number }) {
  const clause = regionScopeClause(regionScope(actor.principal, 'registry.entity.read'));
  const today = chinaDate(actor.now);
  const days = q.days ?? DEFAULT_REGISTRY_RULES.qualificationWarnDays;
  const r = await repo.qualificationsEnding(deps.db, {
    from: today,
    to: addDays(today, days),
    regionCodes: clause?.regionCodes ?? null,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  return { ...r, items: r.rows.map((row) => ({ row, state: qualificationState(row.valid_from, row.valid_to, today), daysLeft: daysBetween(today, row.valid_to) })) };
}

export type QualificationVerdict = { usable: true; state: 'valid' | 'expiring' } | { usable: false; state: ReturnType<typeof qualificationState> | null; reason: string };

/**
 * May this qualification back a bid at instant `at`? The entity must be active and the
 * qualification part of its approved profile and valid on that day (both ends count).
 */
export async function checkQualification(deps: Pick<Deps, 'db'>, entityId: string, qualificationId: string, at: Date): Promise<QualificationVerdict> {
  const [entity, q] = await Promise.all([repo.findEntity(deps.db, entityId), repo.findQualification(deps.db, qualificationId)]);
  if (!entity) throw notFound('市场主体');
  if (!q || q.entity_id !== entityId) return { usable: false, state: null, reason: '该资质不属于此主体已审核的信息' };
  if (entity.status !== 'active') return { usable: false, state: null, reason: entity.status === 'suspended' ? `主体已被暂停（${entity.status_reason}）` : '主体尚未通过审核' };
  const state = qualificationState(q.valid_from, q.valid_to, chinaDate(at));
  if (qualificationUsable(state)) return { usable: true, state: state as 'valid' | 'expiring' };
  return { usable: false, state, reason: state === 'expired' ? `资质证书 ${q.number} 已于 ${q.valid_to} 到期，不能用于投标` : `资质证书 ${q.number} 自 ${q.valid_from} 起生效` };
}
