// Parts of an expert that change on their own: unavailability periods and declared avoidance
// relations. Each change is a change of the expert too (its version moves on), in one
// transaction with its audit row.

import crypto from 'node:crypto';
import { appendAudit } from '../../platform/audit/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { auditContext } from '../../platform/http/context.ts';
import { checkDay, checkedUscc } from './experts.checks.ts';
import * as repo from './experts.repository.ts';
import { chinaDate, isWellFormedPeriod, type RelationKind } from './experts.rules.ts';
import { expertFor, viewOf, type Actor, type ExpertView } from './experts.service.ts';

export interface PeriodInput {
  from: string;
  to: string;
  reason: string;
}

export async function addUnavailability(deps: Deps, actor: Actor, expertId: string, input: PeriodInput): Promise<ExpertView> {
  await expertFor(deps, actor, expertId, 'experts.expert.write');
  checkDay(input.from, 'from');
  checkDay(input.to, 'to');
  if (!isWellFormedPeriod(input)) throw invalid('to', 'not_before_from', '结束日期不能早于开始日期');
  const row: repo.PeriodRow = {
    id: crypto.randomUUID(),
    expert_id: expertId,
    from_date: input.from,
    to_date: input.to,
    reason: input.reason,
    created_by: actor.principal.accountId,
    created_at: actor.now,
  };
  const after = await deps.db.transaction().execute(async (trx) => {
    await repo.insertPeriod(trx, row);
    const expert = await repo.touchExpert(trx, expertId, actor.now);
    await appendAudit(trx, auditContext(actor), {
      action: 'experts.unavailability.add',
      targetType: 'expert',
      targetId: expertId,
      after: row,
      detail: { periodId: row.id, from: row.from_date, to: row.to_date },
    });
    return expert;
  });
  return viewOf(deps, after);
}

export async function removeUnavailability(deps: Deps, actor: Actor, expertId: string, periodId: string): Promise<ExpertView> {
  await expertFor(deps, actor, expertId, 'experts.expert.write');
  const after = await deps.db.transaction().execute(async (trx) => {
    const removed = await repo.deletePeriod(trx, expertId, periodId);
    if (!removed) throw notFound('不可参评时段');
    const expert = await repo.touchExpert(trx, expertId, actor.now);
    await appendAudit(trx, auditContext(actor), {
      action: 'experts.unavailability.remove',
      targetType: 'expert',
      targetId: expertId,
      before: removed,
      detail: { periodId, from: removed.from_date, to: removed.to_date },
    });
    return expert;
  });
  return viewOf(deps, after);
}

export interface RelationInput {
  uscc: string;
  kind: RelationKind;
  note?: string | undefined;
  /** Defaults to today (China Standard Time). */
  declaredOn?: string | undefined;
}

export async function addRelation(deps: Deps, actor: Actor, expertId: string, input: RelationInput): Promise<ExpertView> {
  await expertFor(deps, actor, expertId, 'experts.expert.write');
  const uscc = checkedUscc(input.uscc, 'uscc');
  const today = chinaDate(actor.now);
  const declaredOn = input.declaredOn ?? today;
  checkDay(declaredOn, 'declaredOn');
  if (declaredOn > today) throw invalid('declaredOn', 'not_future', '申报日期不能晚于今天');
  if (await repo.findRelation(deps.db, expertId, uscc, input.kind)) throw conflict('该专家已申报过与此单位的同类关系', 'uscc');
  const row: repo.RelationRow = {
    id: crypto.randomUUID(),
    expert_id: expertId,
    uscc,
    kind: input.kind,
    note: input.note ?? '',
    declared_on: declaredOn,
    created_by: actor.principal.accountId,
    created_at: actor.now,
  };
  const after = await deps.db.transaction().execute(async (trx) => {
    await repo.insertRelation(trx, row).catch((e: unknown) => {
      throw repo.isUniqueViolation(e, 'relations_expert_id_uscc_kind_key') ? conflict('该专家已申报过与此单位的同类关系', 'uscc') : e;
    });
    const expert = await repo.touchExpert(trx, expertId, actor.now);
    // An entity's USCC is not personal data; the note may be, so only its digest is kept.
    await appendAudit(trx, auditContext(actor), {
      action: 'experts.relation.add',
      targetType: 'expert',
      targetId: expertId,
      after: row,
      detail: { relationId: row.id, kind: row.kind, uscc: row.uscc },
    });
    return expert;
  });
  return viewOf(deps, after);
}

export async function removeRelation(deps: Deps, actor: Actor, expertId: string, relationId: string): Promise<ExpertView> {
  await expertFor(deps, actor, expertId, 'experts.expert.write');
  const after = await deps.db.transaction().execute(async (trx) => {
    const removed = await repo.deleteRelation(trx, expertId, relationId);
    if (!removed) throw notFound('回避关系');
    const expert = await repo.touchExpert(trx, expertId, actor.now);
    await appendAudit(trx, auditContext(actor), {
      action: 'experts.relation.remove',
      targetType: 'expert',
      targetId: expertId,
      before: removed,
      detail: { relationId, kind: removed.kind, uscc: removed.uscc },
    });
    return expert;
  });
  return viewOf(deps, after);
}
