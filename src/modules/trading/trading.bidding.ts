// The bidding period: bidders download the tender documents (recorded — a bid needs a download),
// the owner issues clarifications and amendments (one issued less than 15 days before the
// deadline moves the deadline), and bidders object to the documents until 10 days before the
// deadline; an objection pauses the activity until the owner's reply.

import crypto from 'node:crypto';
import { appendAudit } from '../../platform/audit/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.ts';
import { appendDealEvent } from '../../platform/events/deal-events.ts';
import { auditContext } from '../../platform/http/context.ts';
import { entityParty } from '../registry/registry.facts.ts';
import { dealNow, projectFor, type Actor } from './trading.access.ts';
import * as notices from './trading.notices.repository.ts';
import { eventActor, lockedFor } from './trading.projects.ts';
import * as repo from './trading.projects.repository.ts';
import type { ProjectRow } from './trading.repository.ts';
import { checkClarificationDeadline, checkObjectionFiled, clarificationEffect, DEFAULT_TENDER_RULES, deadlinePassed, objectionReplyDue } from './trading.schedule.ts';

/** The bidder entity acting, which must be active and registered as a bidder. */
async function actingBidder(deps: Deps, actor: Actor) {
  if (actor.principal.entityId === null) throw forbidden('此功能仅供投标人使用');
  const e = await entityParty(deps.db, actor.principal.entityId);
  if (!e || e.status !== 'active') throw new AppError('conflict', e?.status === 'suspended' ? `本主体已被暂停：${e.statusReason ?? ''}` : '本主体尚未通过注册审核', { rule: 'entity_status' });
  if (!e.roles.includes('bidder')) throw forbidden('本主体未登记「投标人」角色，请先办理主体信息变更');
  return e;
}

/** A bidder downloads a published document within the documents period; the download is recorded. */
export async function downloadDocument(deps: Deps, actor: Actor, projectId: string, documentId: string): Promise<{ data: Buffer; fileName: string; mediaType: string }> {
  const project = await projectFor(deps.db, actor, projectId, 'read');
  const doc = await notices.findDocument(deps.db, documentId);
  if (!doc || doc.project_id !== projectId || doc.published_at === null) throw notFound('招标文件');
  const now = dealNow(project, actor.now);
  const party = actor.principal.entityId !== null && [project.owner_entity_id, project.tenderer_entity_id, project.agency_entity_id].includes(actor.principal.entityId);
  if (actor.principal.entityId !== null && !party) {
    const bidder = await actingBidder(deps, actor);
    if (now.getTime() < project.documents_from!.getTime() || deadlinePassed(project.documents_until!, now)) {
      throw new AppError('conflict', `招标文件的获取时间为 ${project.documents_from!.toISOString()} 至 ${project.documents_until!.toISOString()}，当前不在获取期内`, { rule: 'documents_period' });
    }
    const data = await deps.blobs.get(doc.blob_digest);
    if (!data) throw new AppError('unavailable', '招标文件暂不可读取，请稍后再试');
    await deps.db.transaction().execute(async (trx) => {
      const p = await lockedFor(trx, projectId, 'download');
      await notices.insertDownload(trx, { id: crypto.randomUUID(), project_id: projectId, deal_code: p.deal_code!, document_id: documentId, entity_id: bidder.id, account_id: actor.principal.accountId, client_ip: actor.clientIp, at: now });
      await appendDealEvent(trx, { dealCode: p.deal_code!, type: 'documents_downloaded', payload: { documentId, entityId: bidder.id, sm3: doc.blob_digest }, actor: eventActor(actor), at: now });
    });
    return { data, fileName: doc.file_name, mediaType: doc.media_type };
  }
  const data = await deps.blobs.get(doc.blob_digest);
  if (!data) throw new AppError('unavailable', '招标文件暂不可读取，请稍后再试');
  return { data, fileName: doc.file_name, mediaType: doc.media_type };
}

export interface ClarificationInput {
  title: string;
  body: string;
  /** Required when the clarification comes less than 15 days before the current deadline. */
  newDeadline?: string | undefined;
}

/**
 * Issues a clarification or amendment to every bidder. The deadline stays unless the rule makes
 * it move; a new deadline, when given or needed, must satisfy the 15-day rule from today, and the
 * documents' period moves with it when it would otherwise end after the new deadline.
 */
export async function issueClarification(deps: Deps, actor: Actor, projectId: string, input: ClarificationInput): Promise<{ number: number; deadlineBefore: Date; deadlineAfter: Date; moved: boolean }> {
  const project = await projectFor(deps.db, actor, projectId, 'manage');
  const now = dealNow(project, actor.now);
  const current = project.bid_deadline!;
  if (deadlinePassed(current, now)) throw conflict('投标已截止，不能再发布澄清或修改', 'status', 'deadline_passed');
  const effect = clarificationEffect(now, current, DEFAULT_TENDER_RULES);
  const target = input.newDeadline !== undefined ? new Date(input.newDeadline) : current;
  if (input.newDeadline === undefined && effect.movesDeadline) {
    throw new AppError('validation_failed', `距投标截止不足 ${DEFAULT_TENDER_RULES.clarificationMinDays} 日，发布澄清或修改须顺延投标截止时间，最早可定于 ${effect.suggestedDeadline.toISOString()}`, {
      errors: [{ field: 'newDeadline', rule: 'clarification_min_days', message: `距投标截止不足 ${DEFAULT_TENDER_RULES.clarificationMinDays} 日，须顺延投标截止时间（招标投标法第二十三条）` }],
      extra: { suggestedDeadline: effect.suggestedDeadline.toISOString() },
    });
  }
  if (input.newDeadline !== undefined && target.getTime() < current.getTime()) throw invalid('newDeadline', 'not_earlier', '澄清或修改只能顺延投标截止时间，不能提前');
  const errors = checkClarificationDeadline(now, target, DEFAULT_TENDER_RULES).map((v) => ({ ...v, field: 'newDeadline' }));
  if (errors.length > 0) throw new AppError('validation_failed', errors[0]!.message, { errors });
  return deps.db.transaction().execute(async (trx) => {
    const p = await lockedFor(trx, projectId, 'clarify');
    const number = (await notices.clarificationsOf(trx, projectId)).length + 1;
    const moved = target.getTime() !== current.getTime();
    await notices.insertClarification(trx, { id: crypto.randomUUID(), project_id: projectId, deal_code: p.deal_code!, number, title: input.title, body: input.body, document_id: null, issued_by: actor.principal.accountId, issued_at: now, deadline_before: current, deadline_after: target });
    // The amendment names the tender notice it changes, so the portal shows that notice as changed
    // while its earlier text stays readable.
    const tenderNotice = await notices.publishedTenderNotice(trx, projectId);
    const amendment = {
      id: crypto.randomUUID(),
      project_id: projectId,
      deal_code: p.deal_code!,
      lot_id: null,
      kind: 'amendment' as const,
      title: input.title,
      body: input.body,
      status: 'published' as const,
      review_reason: null,
      corrects_id: tenderNotice?.id ?? null,
      document_digest: null,
      signature: null,
      publish_at: now,
      published_at: now,
      created_by: actor.principal.accountId,
      created_at: actor.now,
      reviewed_by: null,
      reviewed_at: null,
    };
    await notices.insertNotice(trx, amendment);
    const who = eventActor(actor);
    await appendDealEvent(trx, { dealCode: p.deal_code!, type: 'clarification_issued', payload: { number, title: input.title, notice: notices.publicNotice(amendment, null), deadlineBefore: current.toISOString(), deadlineAfter: target.toISOString() }, actor: who, at: now });
    if (moved) {
      const documentsUntil = p.documents_until!.getTime() > target.getTime() ? target : p.documents_until!;
      await repo.updateProject(trx, projectId, p.status, { bid_deadline: target, documents_until: documentsUntil, updated_at: actor.now });
      await appendDealEvent(trx, { dealCode: p.deal_code!, type: 'deadline_moved', payload: { from: current.toISOString(), to: target.toISOString(), reason: `第 ${number} 号澄清或修改` }, actor: who, at: now });
    }
    await appendAudit(trx, auditContext(actor), { action: 'trading.clarification.issue', targetType: 'tender_project', targetId: projectId, detail: { number, moved } });
    return { number, deadlineBefore: current, deadlineAfter: target, moved };
  });
}

/** A bidder that downloaded the documents objects to them; the activity pauses until the reply. */
export async function fileObjection(deps: Deps, actor: Actor, projectId: string, content: string): Promise<notices.ObjectionRow> {
  const project = await projectFor(deps.db, actor, projectId, 'read');
  const bidder = await actingBidder(deps, actor);
  const now = dealNow(project, actor.now);
  if (!(await notices.hasDownloaded(deps.db, projectId, bidder.id))) throw forbidden('获取招标文件的潜在投标人方可对招标文件提出异议');
  const late = checkObjectionFiled(now, project.bid_deadline!, DEFAULT_TENDER_RULES);
  if (late.length > 0) throw new AppError('conflict', late[0]!.message, { errors: late, rule: late[0]!.rule });
  const due = objectionReplyDue(now, DEFAULT_TENDER_RULES);
  return deps.db.transaction().execute(async (trx) => {
    const p = await lockedFor(trx, projectId, 'object');
    const id = crypto.randomUUID();
    await notices.insertObjection(trx, { id, project_id: projectId, deal_code: p.deal_code!, lot_id: null, subject: 'documents', entity_id: bidder.id, filed_by: actor.principal.accountId, filed_at: now, content, reply_due: due.closesAt, reply: null, replied_by: null, replied_at: null });
    const who = eventActor(actor);
    await appendDealEvent(trx, { dealCode: p.deal_code!, type: 'objection_filed', payload: { objectionId: id, subject: 'documents', entityId: bidder.id, replyDue: due.closesAt.toISOString() }, actor: who, at: now });
    if (p.paused_since === null) {
      await repo.updateProject(trx, projectId, p.status, { paused_since: now, updated_at: actor.now });
      await appendDealEvent(trx, { dealCode: p.deal_code!, type: 'activity_paused', payload: { reason: '对招标文件的异议待答复（招标投标法实施条例第二十二条）', objectionId: id }, actor: who, at: now });
    }
    await appendAudit(trx, auditContext(actor), { action: 'trading.objection.file', targetType: 'tender_project', targetId: projectId, detail: { objectionId: id } });
    return (await notices.findObjection(trx, id))!;
  });
}

/** The owner answers; when no objection to the documents is left open, the activity resumes. */
export async function answerObjection(deps: Deps, actor: Actor, projectId: string, objectionId: string, reply: string): Promise<notices.ObjectionRow> {
  const project = await projectFor(deps.db, actor, projectId, 'manage');
  const objection = await notices.findObjection(deps.db, objectionId);
  if (!objection || objection.project_id !== projectId) throw notFound('异议');
  const now = dealNow(project, actor.now);
  return deps.db.transaction().execute(async (trx) => {
    const p: ProjectRow = (await repo.lockProject(trx, projectId))!;
    const answered = await notices.answerObjection(trx, objectionId, { reply, replied_by: actor.principal.accountId, replied_at: now });
    if (!answered) throw conflict('该异议已答复', 'status', 'answered');
    const who = eventActor(actor);
    await appendDealEvent(trx, { dealCode: p.deal_code!, type: 'objection_answered', payload: { objectionId, late: now.getTime() >= objection.reply_due.getTime() }, actor: who, at: now });
    if (p.paused_since !== null && (await notices.openObjectionCount(trx, projectId, 'documents')) === 0) {
      await repo.updateProject(trx, projectId, p.status, { paused_since: null, updated_at: actor.now });
      await appendDealEvent(trx, { dealCode: p.deal_code!, type: 'activity_resumed', payload: { pausedSince: p.paused_since.toISOString() }, actor: who, at: now });
    }
    await appendAudit(trx, auditContext(actor), { action: 'trading.objection.answer', targetType: 'tender_project', targetId: projectId, detail: { objectionId } });
    return answered;
  });
}
