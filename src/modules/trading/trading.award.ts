// From the report to the award: the owner publishes the ranked candidates (within 3 days of the
// report, for at least 3 days), bidders of the lot may object during the publicity and the owner
// answers, and after the publicity — with no objection left open, within 15 days of the report
// and 30 working days before the bids expire — the owner awards the lot: the platform issues the
// signed award notice (中标通知书), publishes the result notice (中标结果公告) and reveals the panel.

import crypto from 'node:crypto';
import { appendAudit } from '../../platform/audit/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { formatYuan } from '../../platform/documents/amount.ts';
import { awardNoticeDocument } from '../../platform/documents/templates/award-notice.ts';
import { candidatesPublicityDocument } from '../../platform/documents/templates/candidates-publicity.ts';
import { resultNoticeDocument } from '../../platform/documents/templates/result-notice.ts';
import { AppError, conflict, forbidden, invalid, notFound, type FieldError } from '../../platform/errors.ts';
import { appendDealEvent } from '../../platform/events/deal-events.ts';
import { auditContext } from '../../platform/http/context.ts';
import { panelOfLot, revealPanel } from '../experts/experts.draw.ts';
import { dealNow, type Actor } from './trading.access.ts';
import { checkCandidatesPublication, checkAwardTime, checkPublicityOver } from './trading.award.rules.ts';
import { candidatesOf } from './trading.evaluation.ts';
import * as repo from './trading.evaluation.repository.ts';
import type { StoredCandidate } from './trading.evaluation.tables.ts';
import { guardLot, lockedLot, lotFor, moveLot, partiesOf, publishLotNotice, signedPdf } from './trading.lot-steps.ts';
import * as notices from './trading.notices.repository.ts';
import { eventActor } from './trading.projects.ts';
import * as projects from './trading.projects.repository.ts';
import { checkCandidateCount, checkCandidatesPublicity, deadlinePassed, DEFAULT_TENDER_RULES, objectionReplyDue } from './trading.schedule.ts';

function refuse(code: 'conflict' | 'validation_failed', errors: FieldError[]): never {
  throw new AppError(code, errors[0]!.message, { errors, rule: errors[0]!.rule });
}

/** The opening items a bid offered, as terms of the award notice. */
function termsOf(items: unknown): { label: string; value: string }[] {
  const i = (items ?? {}) as { durationDays?: unknown; qualityStandard?: unknown; projectManager?: unknown };
  return [
    ...(typeof i.durationDays === 'number' ? [{ label: '工期', value: `${i.durationDays} 日历天` }] : []),
    ...(typeof i.qualityStandard === 'string' ? [{ label: '质量标准', value: i.qualityStandard }] : []),
    ...(typeof i.projectManager === 'string' ? [{ label: '项目经理', value: i.projectManager }] : []),
  ];
}

export interface CandidatesInput {
  publicityUntil: string;
  objectionContact?: string | undefined;
}

export async function publishCandidates(deps: Deps, actor: Actor, lotId: string, input: CandidatesInput): Promise<repo.PublicityRow> {
  const { project, lot } = await lotFor(deps, actor, lotId, 'manage');
  guardLot(lot, 'publish_candidates');
  const e = (await repo.findEvaluation(deps.db, lotId))!;
  const now = dealNow(project, actor.now);
  const late = checkCandidatesPublication(e.reported_at!, now);
  if (late.length > 0) refuse('conflict', late);
  const until = new Date(input.publicityUntil);
  const short = checkCandidatesPublicity(now, until, DEFAULT_TENDER_RULES);
  if (short.length > 0) refuse('validation_failed', short);
  const results = await repo.openingResultsOf(deps.db, lotId);
  const candidates = candidatesOf(e.report!, results);
  const count = checkCandidateCount(candidates.length);
  if (count.length > 0) refuse('conflict', count);
  const items = new Map(results.map((r) => [r.bid_id, r.items as { projectManager?: string } | null]));
  const parties = await partiesOf(deps.db, project, lot);
  const pdf = await signedPdf(
    deps,
    candidatesPublicityDocument({
      ...parties,
      candidates: candidates.map((c) => ({ rank: c.rank, bidderName: c.bidderName, priceFen: c.priceFen, totalPoints: c.totalPoints, evaluatedPriceFen: c.evaluatedPriceFen, projectManager: items.get(c.bidId)?.projectManager ?? '' })),
      rejected: e.report!.rejected.map((r) => ({ bidderName: r.bidderName, reason: r.reasons.join('；') })),
      publicityStart: now,
      publicityEnd: until,
      ...(input.objectionContact ? { objectionContact: input.objectionContact } : {}),
      issuedAt: now,
    }),
  );
  return deps.db.transaction().execute(async (trx) => {
    const { project: p, lot: current, to } = await lockedLot(trx, lotId, 'publish_candidates');
    const title = `${p.name}${current.name}中标候选人公示`.slice(0, 200);
    const body = candidates.map((c) => `第${c.rank}名：${c.bidderName}，投标报价 ${formatYuan(c.priceFen)} 元`).join('\n');
    const notice = await publishLotNotice(trx, { project: p, lot: current, kind: 'candidates', title, body, file: pdf, by: actor.principal.accountId, at: now, createdAt: actor.now });
    const noticeId = notice.id;
    await repo.insertPublicity(trx, { lot_id: lotId, notice_id: noticeId, candidates: JSON.stringify(candidates), publicity_from: now, publicity_until: until, published_by: actor.principal.accountId });
    await moveLot(trx, current, to, actor.now);
    await appendDealEvent(trx, {
      dealCode: p.deal_code!,
      lotCode: current.lot_code,
      type: 'candidates_published',
      payload: { noticeId, notice, candidates: candidates.map((c) => ({ rank: c.rank, bidId: c.bidId, bidderName: c.bidderName, priceFen: c.priceFen })), publicityFrom: now.toISOString(), publicityUntil: until.toISOString(), sm3: pdf.digest },
      actor: eventActor(actor),
      at: now,
    });
    await appendAudit(trx, auditContext(actor), { action: 'trading.candidates.publish', targetType: 'tender_lot', targetId: lotId, detail: { noticeId, candidates: candidates.length } });
    return (await repo.findPublicity(trx, lotId))!;
  });
}

/** A bidder of the lot objects to the evaluation result during the publicity (实施条例 §54). */
export async function objectToCandidates(deps: Deps, actor: Actor, lotId: string, content: string): Promise<repo.ObjectionRow> {
  const { project, lot } = await lotFor(deps, actor, lotId, 'read');
  if (actor.principal.entityId === null) throw forbidden('此功能仅供本标段的投标人使用');
  const bid = await repo.openingResultOfEntity(deps.db, lotId, actor.principal.entityId);
  if (!bid) throw forbidden('只有本标段的投标人可以对评标结果提出异议');
  const publicity = await repo.findPublicity(deps.db, lotId);
  const now = dealNow(project, actor.now);
  if (lot.status !== 'publicity' || !publicity || deadlinePassed(publicity.publicity_until, now)) {
    throw conflict('对评标结果的异议应当在中标候选人公示期间提出（招标投标法实施条例第五十四条），当前不在公示期内', 'status', 'publicity_period');
  }
  const due = objectionReplyDue(now);
  return deps.db.transaction().execute(async (trx) => {
    const { project: p } = await lockedLot(trx, lotId, 'award');
    const id = crypto.randomUUID();
    await notices.insertObjection(trx, { id, project_id: p.id, deal_code: p.deal_code!, lot_id: lotId, subject: 'candidates', entity_id: bid.bidder_entity_id, filed_by: actor.principal.accountId, filed_at: now, content, reply_due: due.closesAt, reply: null, replied_by: null, replied_at: null });
    await appendDealEvent(trx, { dealCode: p.deal_code!, lotCode: lot.lot_code, type: 'candidates_objection_filed', payload: { objectionId: id, entityId: bid.bidder_entity_id, replyDue: due.closesAt.toISOString() }, actor: eventActor(actor), at: now });
    await appendAudit(trx, auditContext(actor), { action: 'trading.candidates.object', targetType: 'tender_lot', targetId: lotId, detail: { objectionId: id } });
    return (await notices.findObjection(trx, id))!;
  });
}

/** The owner answers within 3 days; the award waits while any objection is open. */
export async function answerCandidatesObjection(deps: Deps, actor: Actor, lotId: string, objectionId: string, reply: string): Promise<repo.ObjectionRow> {
  const { project, lot } = await lotFor(deps, actor, lotId, 'manage');
  const objection = await notices.findObjection(deps.db, objectionId);
  if (!objection || objection.lot_id !== lotId || objection.subject !== 'candidates') throw notFound('异议');
  const now = dealNow(project, actor.now);
  return deps.db.transaction().execute(async (trx) => {
    const p = (await projects.lockProject(trx, project.id))!;
    const answered = await notices.answerObjection(trx, objectionId, { reply, replied_by: actor.principal.accountId, replied_at: now });
    if (!answered) throw conflict('该异议已答复', 'status', 'answered');
    await appendDealEvent(trx, { dealCode: p.deal_code!, lotCode: lot.lot_code, type: 'candidates_objection_answered', payload: { objectionId, late: deadlinePassed(objection.reply_due, now) }, actor: eventActor(actor), at: now });
    await appendAudit(trx, auditContext(actor), { action: 'trading.candidates.answer', targetType: 'tender_lot', targetId: lotId, detail: { objectionId } });
    return answered;
  });
}

export interface AwardInput {
  bidId: string;
  /** Required when the winner is not the first candidate. */
  reason?: string | undefined;
}

async function checkNoOpenObjection(db: Deps['db'], lotId: string): Promise<void> {
  const open = await repo.openCandidateObjections(db, lotId);
  if (open > 0) throw conflict(`尚有 ${open} 件对评标结果的异议未答复；作出答复前，应当暂停招标投标活动（招标投标法实施条例第五十四条）`, 'status', 'objection_open');
}

export async function issueAward(deps: Deps, actor: Actor, lotId: string, input: AwardInput): Promise<repo.AwardRow> {
  const { project, lot } = await lotFor(deps, actor, lotId, 'manage');
  guardLot(lot, 'award');
  const publicity = (await repo.findPublicity(deps.db, lotId))!;
  const e = (await repo.findEvaluation(deps.db, lotId))!;
  const now = dealNow(project, actor.now);
  const notOver = checkPublicityOver(publicity.publicity_until, now);
  if (notOver.length > 0) refuse('conflict', notOver);
  await checkNoOpenObjection(deps.db, lotId);
  const time = checkAwardTime(e.reported_at!, project.bid_deadline!, project.bid_validity_days!, now);
  if (time.length > 0) refuse('conflict', time);
  const candidate: StoredCandidate | undefined = publicity.candidates.find((c) => c.bidId === input.bidId);
  if (!candidate) throw invalid('bidId', 'candidate', '中标人应当从公示的中标候选人中确定');
  const reason = input.reason?.trim() || null;
  if (candidate.rank !== 1 && reason === null) throw invalid('reason', 'required', `确定排名第 ${candidate.rank} 的中标候选人为中标人的，须写明排名第一的中标候选人未被确定的理由（招标投标法实施条例第五十五条）`);
  const bid = (await repo.openingResultsOf(deps.db, lotId)).find((r) => r.bid_id === candidate.bidId)!;
  const panel = await panelOfLot(deps, lot.lot_code!);
  const parties = await partiesOf(deps.db, project, lot);
  const terms = termsOf(bid.items);
  const notice = await signedPdf(deps, awardNoticeDocument({ ...parties, noticeNo: `${lot.lot_code}-ZB`, winnerName: candidate.bidderName, winningPriceFen: candidate.priceFen, terms, contractWithinDays: DEFAULT_TENDER_RULES.contractWithinDays, issuedAt: now }));
  const committee = panel ? [{ label: '评标委员会成员', value: panel.members.map((m) => m.name).join('、') }] : [];
  const result = await signedPdf(deps, resultNoticeDocument({ ...parties, winnerName: candidate.bidderName, winningPriceFen: candidate.priceFen, awardedAt: now, terms: [...terms, ...committee], issuedAt: now }));
  return deps.db.transaction().execute(async (trx) => {
    const { project: p, lot: current, to } = await lockedLot(trx, lotId, 'award');
    await checkNoOpenObjection(trx, lotId);
    const title = `${p.name}${current.name}中标结果公告`.slice(0, 200);
    const body = `中标人：${candidate.bidderName}；中标价：${formatYuan(candidate.priceFen)} 元`;
    const resultNotice = await publishLotNotice(trx, { project: p, lot: current, kind: 'result', title, body, file: result, by: actor.principal.accountId, at: now, createdAt: actor.now });
    const resultNoticeId = resultNotice.id;
    await repo.insertAward(trx, {
      lot_id: lotId,
      bid_id: candidate.bidId,
      winner_entity_id: candidate.bidderEntityId,
      winner_name: candidate.bidderName,
      price_fen: candidate.priceFen,
      candidate_rank: candidate.rank,
      deviation_reason: candidate.rank === 1 ? null : reason,
      awarded_at: now,
      awarded_by: actor.principal.accountId,
      notice_digest: notice.digest,
      notice_signature: JSON.stringify(notice.signature),
      result_notice_id: resultNoticeId,
    });
    await revealPanel(trx, e.draw_id, now);
    await moveLot(trx, current, to, actor.now);
    const who = eventActor(actor);
    const event = { dealCode: p.deal_code!, lotCode: current.lot_code, actor: who, at: now };
    await appendDealEvent(trx, { ...event, type: 'award_issued', payload: { bidId: candidate.bidId, winnerEntityId: candidate.bidderEntityId, winnerName: candidate.bidderName, priceFen: candidate.priceFen, rank: candidate.rank, reason: candidate.rank === 1 ? null : reason, sm3: notice.digest } });
    await appendDealEvent(trx, { ...event, type: 'result_published', payload: { noticeId: resultNoticeId, notice: resultNotice, winnerName: candidate.bidderName, priceFen: candidate.priceFen, panelRevealed: true, sm3: result.digest } });
    await appendAudit(trx, auditContext(actor), { action: 'trading.award.issue', targetType: 'tender_lot', targetId: lotId, detail: { bidId: candidate.bidId, rank: candidate.rank, resultNoticeId, sm3: notice.digest } });
    return (await repo.findAward(trx, lotId))!;
  });
}
