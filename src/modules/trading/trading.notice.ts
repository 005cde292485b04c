// The tender notice, the tender documents and the schedule: drafted by the project's owner after
// acceptance, checked against the law's timetable (trading.schedule.ts — a schedule that breaks a
// rule is refused with the rule named), reviewed by the centre, and published. Publication opens
// the bidding of every lot. Each step appends its deal event in the same transaction.

import crypto from 'node:crypto';
import { appendAudit } from '../../platform/audit/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, conflict, invalid, type FieldError } from '../../platform/errors.ts';
import { appendDealEvent } from '../../platform/events/deal-events.ts';
import { auditContext } from '../../platform/http/context.ts';
import { checkEvaluationMethod } from '../evaluation/evaluation.methods.ts';
import { dealNow, projectFor, type Actor } from './trading.access.ts';
import { parseYuan } from './trading.money.ts';
import * as notices from './trading.notices.repository.ts';
import { eventActor, lockedFor } from './trading.projects.ts';
import * as repo from './trading.projects.repository.ts';
import type { ProjectRow } from './trading.repository.ts';
import { checkBidSecurity, checkDecryptionMinutes, checkTenderSchedule, DEFAULT_TENDER_RULES } from './trading.schedule.ts';

export interface NoticeInput {
  title: string;
  body: string;
  schedule: { documentsFrom: string; documentsUntil: string; bidDeadline: string; bidValidityDays: number; decryptionMinutes: number };
  lots: { lotId: string; bidSecurity: string; evaluationMethod: Record<string, unknown> }[];
}

/** Schedule and lot rule violations, with fields named as in the request body. */
function scheduleViolations(project: ProjectRow, s: NoticeInput['schedule'], now: Date): FieldError[] {
  const schedule = { documentsFrom: new Date(s.documentsFrom), documentsUntil: new Date(s.documentsUntil), bidDeadline: new Date(s.bidDeadline), bidValidityDays: s.bidValidityDays };
  return [...checkTenderSchedule(schedule, dealNow(project, now), DEFAULT_TENDER_RULES), ...checkDecryptionMinutes(s.decryptionMinutes, DEFAULT_TENDER_RULES)].map((v) => ({ ...v, field: `schedule.${v.field}` }));
}

function reject(errors: FieldError[]): never {
  throw new AppError('validation_failed', errors[0]!.message, { errors });
}

/** Saves the notice draft, the schedule and each lot's bid security and evaluation method. */
export async function saveNotice(deps: Deps, actor: Actor, projectId: string, input: NoticeInput): Promise<void> {
  const project = await projectFor(deps.db, actor, projectId, 'manage');
  const lots = await repo.lotsOf(deps.db, [projectId]);
  const errors = scheduleViolations(project, input.schedule, actor.now);
  const byId = new Map(lots.map((l) => [l.id, l]));
  const given = new Set(input.lots.map((l) => l.lotId));
  lots.forEach((l) => {
    if (!given.has(l.id)) errors.push({ field: 'lots', rule: 'every_lot', message: `请填写标段「${l.name}」的投标保证金和评标办法` });
  });
  const securities = input.lots.map((l, i) => {
    const lot = byId.get(l.lotId);
    if (!lot) {
      errors.push({ field: `lots.${i}.lotId`, rule: 'lot', message: '标段不属于本项目' });
      return 0;
    }
    const fen = parseYuan(l.bidSecurity);
    if (fen === undefined) {
      errors.push({ field: `lots.${i}.bidSecurity`, rule: 'money', message: '投标保证金须为金额，单位元，最多两位小数' });
      return 0;
    }
    for (const v of checkBidSecurity(fen, lot.estimated_price_fen, lot.kind, DEFAULT_TENDER_RULES)) errors.push({ ...v, field: `lots.${i}.bidSecurity` });
    const method = checkEvaluationMethod(l.evaluationMethod, `lots.${i}.evaluationMethod`);
    if (!method.ok) errors.push(...method.errors);
    return fen;
  });
  if (errors.length > 0) reject(errors);

  await deps.db.transaction().execute(async (trx) => {
    const p = await lockedFor(trx, projectId, 'prepare_notice');
    await repo.updateProject(trx, projectId, p.status, {
      documents_from: new Date(input.schedule.documentsFrom),
      documents_until: new Date(input.schedule.documentsUntil),
      bid_deadline: new Date(input.schedule.bidDeadline),
      bid_validity_days: input.schedule.bidValidityDays,
      decryption_minutes: input.schedule.decryptionMinutes,
      updated_at: actor.now,
    });
    for (const [i, l] of input.lots.entries()) {
      await repo.updateLot(trx, l.lotId, 'pending', { bid_security_fen: securities[i]!, evaluation_method: JSON.stringify(l.evaluationMethod), updated_at: actor.now });
    }
    const draft = await notices.openTenderNotice(trx, projectId);
    if (draft) await notices.updateNotice(trx, draft.id, draft.status, { title: input.title, body: input.body, status: 'draft', review_reason: draft.review_reason });
    else {
      await notices.insertNotice(trx, {
        id: crypto.randomUUID(),
        project_id: projectId,
        deal_code: p.deal_code!,
        lot_id: null,
        kind: 'tender',
        title: input.title,
        body: input.body,
        status: 'draft',
        review_reason: null,
        corrects_id: null,
        document_digest: null,
        signature: null,
        publish_at: null,
        published_at: null,
        created_by: actor.principal.accountId,
        created_at: actor.now,
        reviewed_by: null,
        reviewed_at: null,
      });
    }
    await appendAudit(trx, auditContext(actor), { action: 'trading.notice.save', targetType: 'tender_project', targetId: projectId });
  });
}

/** Media types accepted for tender documents (PDF, OFD, Word, zip of drawings and quantities). */
export const DOCUMENT_TYPES: Record<string, string> = {
  'application/pdf': 'pdf',
  'application/ofd': 'ofd',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/zip': 'zip',
};

export async function uploadDocuments(deps: Deps, actor: Actor, projectId: string, data: Buffer, fileName: string, mediaType: string): Promise<{ id: string; digest: string; size: number }> {
  const project = await projectFor(deps.db, actor, projectId, 'manage');
  if (!Object.hasOwn(DOCUMENT_TYPES, mediaType)) throw new AppError('unsupported_media_type', '招标文件须为 PDF、OFD、Word（docx）或 zip 压缩包', { rule: 'media_type', field: 'content-type' });
  if (data.length === 0) throw invalid('body', 'minLength', '上传的招标文件为空');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what a file name may not hold
  if (!/^[^\\/:*?"<>|\u0000-\u001f]{1,120}$/.test(fileName)) throw invalid('fileName', 'pattern', '文件名不能为空、不能含 \\ / : * ? " < > | 等字符，最长 120 个字符');
  const stored = await deps.blobs.put(data);
  const id = crypto.randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    const p = await lockedFor(trx, project.id, 'prepare_notice');
    await notices.deleteUnpublishedDocuments(trx, projectId, 'tender_documents');
    await notices.insertDocument(trx, { id, project_id: projectId, deal_code: p.deal_code!, kind: 'tender_documents', file_name: fileName, media_type: mediaType, blob_digest: stored.digest, size: stored.size, uploaded_by: actor.principal.accountId, uploaded_at: actor.now, published_at: null });
    await appendAudit(trx, auditContext(actor), { action: 'trading.document.upload', targetType: 'tender_project', targetId: projectId, detail: { digest: stored.digest, size: stored.size } });
  });
  return { id, ...stored };
}

/** What is missing before the notice can go to review (empty when complete). */
async function completeness(deps: Deps, project: ProjectRow): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const notice = await notices.openTenderNotice(deps.db, project.id);
  if (!notice) errors.push({ field: 'notice', rule: 'required', message: '请先编制招标公告' });
  if (project.bid_deadline === null) errors.push({ field: 'schedule', rule: 'required', message: '请先填写招标文件发售期、投标截止时间等进度安排' });
  if ((await notices.documentsOf(deps.db, project.id)).filter((d) => d.kind === 'tender_documents').length === 0) errors.push({ field: 'documents', rule: 'required', message: '请先上传招标文件' });
  for (const l of await repo.lotsOf(deps.db, [project.id])) {
    if (l.evaluation_method === null) errors.push({ field: 'lots', rule: 'evaluation_method', message: `标段「${l.name}」尚未设置评标办法` });
  }
  return errors;
}

function scheduleOf(p: ProjectRow): NoticeInput['schedule'] {
  return { documentsFrom: p.documents_from!.toISOString(), documentsUntil: p.documents_until!.toISOString(), bidDeadline: p.bid_deadline!.toISOString(), bidValidityDays: p.bid_validity_days!, decryptionMinutes: p.decryption_minutes! };
}

export async function submitNotice(deps: Deps, actor: Actor, projectId: string): Promise<void> {
  const project = await projectFor(deps.db, actor, projectId, 'manage');
  const missing = await completeness(deps, project);
  if (missing.length > 0) reject(missing);
  const violations = scheduleViolations(project, scheduleOf(project), actor.now);
  if (violations.length > 0) reject(violations);
  await deps.db.transaction().execute(async (trx) => {
    const p = await lockedFor(trx, projectId, 'submit_notice');
    await repo.updateProject(trx, projectId, p.status, { status: 'notice_review', updated_at: actor.now });
    const notice = (await notices.openTenderNotice(trx, projectId))!;
    await notices.updateNotice(trx, notice.id, notice.status, { status: 'submitted', review_reason: null });
    await appendDealEvent(trx, { dealCode: p.deal_code!, type: 'notice_submitted', payload: { noticeId: notice.id, title: notice.title, bidDeadline: p.bid_deadline!.toISOString() }, actor: eventActor(actor), at: dealNow(p, actor.now) });
    await appendAudit(trx, auditContext(actor), { action: 'trading.notice.submit', targetType: 'tender_project', targetId: projectId });
  });
}

/**
 * The centre's review. Approval publishes the notice and the documents and opens bidding on every
 * lot; the schedule is checked again against the deal's clock at that moment, since a review
 * that took days may have left the documents' start in the past.
 */
export async function reviewNotice(deps: Deps, actor: Actor, projectId: string, input: { outcome: 'approved' | 'rejected'; reason?: string | undefined }): Promise<void> {
  const project = await projectFor(deps.db, actor, projectId, 'accept');
  if (input.outcome === 'rejected' && !input.reason) throw invalid('reason', 'required', '退回公告时请写明原因');
  if (input.outcome === 'approved' && project.status === 'notice_review') {
    const violations = scheduleViolations(project, scheduleOf(project), actor.now);
    if (violations.length > 0) {
      throw new AppError('conflict', `进度安排已不符合规定，请退回招标人修改：${violations[0]!.message}`, { errors: violations, rule: violations[0]!.rule });
    }
  }
  await deps.db.transaction().execute(async (trx) => {
    const p = await lockedFor(trx, projectId, input.outcome === 'approved' ? 'publish' : 'reject_notice');
    const now = dealNow(p, actor.now);
    const notice = (await notices.openTenderNotice(trx, projectId))!;
    const who = eventActor(actor);
    if (input.outcome === 'rejected') {
      await repo.updateProject(trx, projectId, p.status, { status: 'accepted', updated_at: actor.now });
      await notices.updateNotice(trx, notice.id, 'submitted', { status: 'rejected', review_reason: input.reason!, reviewed_by: actor.principal.accountId, reviewed_at: actor.now });
      await appendDealEvent(trx, { dealCode: p.deal_code!, type: 'notice_rejected', payload: { noticeId: notice.id, reason: input.reason! }, actor: who, at: now });
    } else {
      await repo.updateProject(trx, projectId, p.status, { status: 'bidding', published_at: actor.now, updated_at: actor.now });
      const published = await notices.updateNotice(trx, notice.id, 'submitted', { status: 'published', reviewed_by: actor.principal.accountId, reviewed_at: actor.now, published_at: now });
      if (!published) throw conflict('公告状态已变化，请刷新', 'status', 'stale');
      const docs = await notices.publishDocuments(trx, projectId, now);
      for (const lot of await repo.lotsOf(trx, [projectId])) await repo.updateLot(trx, lot.id, 'pending', { status: 'bidding', updated_at: actor.now });
      await appendDealEvent(trx, {
        dealCode: p.deal_code!,
        type: 'notice_published',
        payload: { noticeId: notice.id, kind: 'tender', title: notice.title, notice: notices.publicNotice(published, null), documentsFrom: p.documents_from!.toISOString(), documentsUntil: p.documents_until!.toISOString(), bidDeadline: p.bid_deadline!.toISOString() },
        actor: who,
        at: now,
      });
      await appendDealEvent(trx, { dealCode: p.deal_code!, type: 'documents_published', payload: { documents: docs.map((d) => ({ id: d.id, fileName: d.file_name, sm3: d.blob_digest, size: d.size })) }, actor: who, at: now });
    }
    await appendAudit(trx, auditContext(actor), { action: 'trading.notice.review', targetType: 'tender_project', targetId: projectId, detail: { outcome: input.outcome } });
  });
}
