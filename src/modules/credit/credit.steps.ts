// The paths a record takes after it is issued: an objection (异议) filed within its deadline and
// decided (upheld → the record is revoked; dismissed → it is effective again), and a repair
// request (信用修复) once the minimum period has passed (approved → the record is repaired and its
// disclosure ends). Until entity accounts exist, staff file on the subject's behalf; the filer
// is recorded. Each step is one transaction with its audit row.

import crypto from 'node:crypto';
import { appendAudit } from '../../platform/audit/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { auditContext } from '../../platform/http/context.ts';
import { accountDisplayNames } from '../identity/identity.accounts.ts';
import * as repo from './credit.repository.ts';
import { chinaDate, objectionDueDay, objectionLastDay, repairEligibility, type ObjectionOutcome } from './credit.rules.ts';
import { creditScope, recordInScope, scopeClause } from './credit.scope.ts';
import { recordFor, type Actor } from './credit.service.ts';
import type { EvidenceRef } from './credit.tables.ts';

function statusMoved(): AppError {
  return new AppError('conflict', '该信用记录的状态已变化，请刷新后重试', { errors: [{ field: 'status', rule: 'stale', message: '记录状态已变化' }] });
}

// ---- objections ----

export interface ObjectionInput {
  reason: string;
  evidence?: EvidenceRef[] | undefined;
  onBehalfOf: string;
}

export async function fileObjection(deps: Deps, actor: Actor, recordId: string, input: ObjectionInput): Promise<repo.ObjectionRow> {
  return objectionOn(deps, actor, await recordFor(deps, actor, recordId, 'credit.objection.file'), input);
}

/** Files an objection against a record the caller was found entitled to (staff in scope, or the subject itself). */
export async function objectionOn(deps: Deps, actor: Actor, record: repo.RecordRow, input: ObjectionInput): Promise<repo.ObjectionRow> {
  const recordId = record.id;
  const today = chinaDate(actor.now);
  const lastDay = objectionLastDay(record.decision_date);
  if (today > lastDay) throw invalid('recordId', 'objection_deadline', `异议期限已过（应在 ${lastDay} 前提出）`);
  if (record.status === 'under_objection') throw conflict('该记录已有处理中的异议', 'recordId', 'pending_objection');
  if (record.status !== 'effective') throw conflict('已撤销或已修复的记录不能提出异议', 'recordId', 'status');
  const row: repo.ObjectionInsert = {
    id: crypto.randomUUID(),
    record_id: recordId,
    reason: input.reason,
    evidence: JSON.stringify(input.evidence ?? []),
    filed_by: actor.principal.accountId,
    filed_on_behalf: input.onBehalfOf,
    filed_at: actor.now,
    filed_on: today,
    due_on: objectionDueDay(today),
    status: 'pending',
    decision_reason: null,
    decided_by: null,
    decided_at: null,
  };
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.setRecordStatus(trx, recordId, ['effective'], 'under_objection', actor.now))) throw statusMoved();
    await repo.insertObjection(trx, row);
    await appendAudit(trx, auditContext(actor), {
      action: 'credit.objection.file',
      targetType: 'credit_record',
      targetId: recordId,
      after: row,
      detail: { objectionId: row.id, dueOn: row.due_on },
    });
  });
  return (await repo.findObjection(deps.db, row.id))!;
}

export async function listObjections(deps: Deps, actor: Actor, query: { status?: repo.ObjectionRow['status'] | undefined; page: number; pageSize: number }) {
  const scope = creditScope(actor.principal, 'credit.objection.decide');
  return repo.listObjections(deps.db, { scope: scopeClause(scope), status: query.status, limit: query.pageSize, offset: (query.page - 1) * query.pageSize });
}

export async function decideObjection(deps: Deps, actor: Actor, objectionId: string, input: { outcome: ObjectionOutcome; reason: string }): Promise<repo.ObjectionRow> {
  const objection = await repo.findObjection(deps.db, objectionId);
  const record = objection ? await repo.findRecord(deps.db, objection.record_id) : undefined;
  if (!objection || !record || !recordInScope(creditScope(actor.principal, 'credit.objection.decide'), record)) throw notFound('异议');
  if (objection.status !== 'pending') throw conflict('该异议已处理', 'status', 'decided');
  return deps.db.transaction().execute(async (trx) => {
    const decided = await repo.decideObjection(trx, objectionId, { status: input.outcome, decision_reason: input.reason, decided_by: actor.principal.accountId, decided_at: actor.now });
    if (!decided) throw conflict('该异议已处理', 'status', 'decided');
    const to = input.outcome === 'upheld' ? 'revoked' : 'effective';
    if (!(await repo.setRecordStatus(trx, record.id, ['under_objection'], to, actor.now))) throw statusMoved();
    await appendAudit(trx, auditContext(actor), {
      action: 'credit.objection.decide',
      targetType: 'credit_record',
      targetId: record.id,
      before: objection,
      after: decided,
      detail: { objectionId, outcome: input.outcome, recordStatus: to },
    });
    return decided;
  });
}

// ---- repair ----

export interface RepairInput {
  obligations: string;
  evidence: EvidenceRef[];
  commitment: { accepted: true; text: string };
}

export async function requestRepair(deps: Deps, actor: Actor, recordId: string, input: RepairInput): Promise<repo.RepairRow> {
  return repairOn(deps, actor, await recordFor(deps, actor, recordId, 'credit.objection.file'), input);
}

/** Asks repair of a record the caller was found entitled to (staff in scope, or the subject itself). */
export async function repairOn(deps: Deps, actor: Actor, record: repo.RecordRow, input: RepairInput): Promise<repo.RepairRow> {
  const recordId = record.id;
  const verdict = repairEligibility(
    { type: record.type, severity: record.severity, status: record.status, decisionDate: record.decision_date, notRepairableReason: record.not_repairable_reason },
    chinaDate(actor.now),
  );
  if (!verdict.ok) throw invalid('recordId', verdict.rule, verdict.message);
  const row: repo.RepairInsert = {
    id: crypto.randomUUID(),
    record_id: recordId,
    obligations: input.obligations,
    evidence: JSON.stringify(input.evidence),
    commitment_text: input.commitment.text,
    requested_by: actor.principal.accountId,
    requested_at: actor.now,
    status: 'pending',
    decision_reason: null,
    decided_by: null,
    decided_at: null,
  };
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertRepair(trx, row).catch((e: unknown) => {
      throw repo.isUniqueViolation(e, 'repairs_one_pending') ? conflict('该记录已有处理中的修复申请', 'recordId', 'pending_repair') : e;
    });
    await appendAudit(trx, auditContext(actor), { action: 'credit.repair.request', targetType: 'credit_record', targetId: recordId, after: row, detail: { repairId: row.id } });
  });
  return (await repo.findRepair(deps.db, row.id))!;
}

export async function listRepairs(deps: Deps, actor: Actor, query: { status?: repo.RepairRow['status'] | undefined; page: number; pageSize: number }) {
  const scope = creditScope(actor.principal, 'credit.repair.decide');
  return repo.listRepairs(deps.db, { scope: scopeClause(scope), status: query.status, limit: query.pageSize, offset: (query.page - 1) * query.pageSize });
}

export async function decideRepair(deps: Deps, actor: Actor, repairId: string, input: { outcome: 'approved' | 'rejected'; reason: string }): Promise<repo.RepairRow> {
  const repair = await repo.findRepair(deps.db, repairId);
  const record = repair ? await repo.findRecord(deps.db, repair.record_id) : undefined;
  if (!repair || !record || !recordInScope(creditScope(actor.principal, 'credit.repair.decide'), record)) throw notFound('修复申请');
  if (repair.status !== 'pending') throw conflict('该修复申请已处理', 'status', 'decided');
  return deps.db.transaction().execute(async (trx) => {
    const decided = await repo.decideRepair(trx, repairId, { status: input.outcome, decision_reason: input.reason, decided_by: actor.principal.accountId, decided_at: actor.now });
    if (!decided) throw conflict('该修复申请已处理', 'status', 'decided');
    // An objection filed meanwhile holds the record: it is decided first.
    if (input.outcome === 'approved' && !(await repo.setRecordStatus(trx, record.id, ['effective'], 'repaired', actor.now))) throw statusMoved();
    await appendAudit(trx, auditContext(actor), {
      action: 'credit.repair.decide',
      targetType: 'credit_record',
      targetId: record.id,
      before: repair,
      after: decided,
      detail: { repairId, outcome: input.outcome },
    });
    return decided;
  });
}

// ---- history of one record ----

export interface RecordHistory {
  objections: repo.ObjectionRow[];
  repairs: repo.RepairRow[];
  /** Display names of the accounts that filed, requested or decided. */
  names: Map<string, string>;
}

/** The objections and repair requests of one record the caller may read, oldest first. */
export async function recordHistory(deps: Deps, actor: Actor, recordId: string): Promise<RecordHistory> {
  await recordFor(deps, actor, recordId, 'credit.record.read');
  const { objections, repairs } = await repo.stepsOf(deps.db, [recordId]);
  const accounts = [...objections.flatMap((o) => [o.filed_by, o.decided_by]), ...repairs.flatMap((r) => [r.requested_by, r.decided_by])].filter((id): id is string => id !== null);
  return { objections, repairs, names: await accountDisplayNames(deps, accounts) };
}
