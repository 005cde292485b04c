// The expert's side of the evaluation: a member of a lot's confirmed panel, signed in with its
// expert account, lists the lots it evaluates, reads the decrypted bids' opening items and
// packages, and saves its marks and rejection votes (否决) until it confirms them. Anyone who
// is not a member of the lot's panel gets 404: the panel's composition is not disclosed.
//
// Each member marks every pass/fail criterion and every expert-scored criterion of every
// decrypted bid, including bids it votes to reject: whether a bid is rejected is decided by the
// majority only when the report is made, and the scores must then be complete whatever the
// outcome (scores of a bid the majority rejects are kept and ignored).

import { appendAudit } from '../../platform/audit/audit.ts';
import { canonicalJson } from '../../platform/audit/canonical.ts';
import { sm3Hex } from '../../platform/crypto/sm3.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, conflict, forbidden, notFound } from '../../platform/errors.ts';
import { appendDealEvent } from '../../platform/events/deal-events.ts';
import { auditContext } from '../../platform/http/context.ts';
import { pointsCriteria, type EvaluationMethod } from '../evaluation/evaluation.methods.ts';
import { validateExpertScores, type ScoreIssue } from '../evaluation/evaluation.scoring.ts';
import { dealNow, type Actor } from './trading.access.ts';
import { methodOf } from './trading.evaluation.ts';
import * as repo from './trading.evaluation.repository.ts';
import type { StoredMark, StoredRejection } from './trading.evaluation.tables.ts';
import { panelSeatActor } from './trading.lot-steps.ts';
import * as projects from './trading.projects.repository.ts';
import type { LotRow, ProjectRow } from './trading.repository.ts';
import { LOT_STATUS_NAMES } from './trading.rules.ts';

function expertIdOf(actor: Actor): string {
  if (actor.principal.expertId === null) throw forbidden('此功能仅供评标专家账号使用');
  return actor.principal.expertId;
}

interface MemberLot {
  project: ProjectRow;
  lot: LotRow;
  score: repo.ScoreRow;
  method: EvaluationMethod;
}

/** The lot, if the caller sits on its panel (404 otherwise, whatever the reason). */
async function memberLot(deps: Deps, actor: Actor, lotId: string): Promise<MemberLot> {
  const expertId = expertIdOf(actor);
  const score = await repo.scoreOf(deps.db, lotId, expertId);
  const lot = score ? await projects.findLot(deps.db, lotId) : undefined;
  const project = lot ? await projects.findProject(deps.db, lot.project_id) : undefined;
  if (!score || !lot || !project) throw notFound('标段');
  return { project, lot, score, method: methodOf(lot) };
}

function requireEvaluating(lot: LotRow, what: string): void {
  if (lot.status !== 'evaluating') throw conflict(`标段当前为「${LOT_STATUS_NAMES[lot.status]}」，不能${what}；该操作仅在「${LOT_STATUS_NAMES.evaluating}」时可以进行`, 'status', 'state');
}

export async function myLots(deps: Deps, actor: Actor, page: { page: number; pageSize: number }): Promise<{ rows: repo.ExpertLot[]; total: number }> {
  return repo.lotsOfExpert(deps.db, expertIdOf(actor), { limit: page.pageSize, offset: (page.page - 1) * page.pageSize });
}

export interface BidsForExpert {
  member: MemberLot;
  bids: repo.OpeningResultRow[];
}

/** The decrypted bids with their opening items, and the method's criteria, for a member. */
export async function bidsForExpert(deps: Deps, actor: Actor, lotId: string): Promise<BidsForExpert> {
  const member = await memberLot(deps, actor, lotId);
  const bids = (await repo.openingResultsOf(deps.db, lotId)).filter((r) => r.outcome === 'decrypted');
  return { member, bids };
}

/** A decrypted bid package, by its digest in the blob store; the reading is audited. */
export async function bidPackage(deps: Deps, actor: Actor, lotId: string, bidId: string): Promise<{ data: Buffer; digest: string }> {
  const { lot } = await memberLot(deps, actor, lotId);
  requireEvaluating(lot, '调阅投标文件');
  const bid = (await repo.openingResultsOf(deps.db, lotId)).find((r) => r.bid_id === bidId && r.outcome === 'decrypted');
  if (!bid || bid.package_digest === null) throw notFound('投标文件');
  const data = await deps.blobs.get(bid.package_digest);
  if (!data) throw new AppError('unavailable', '投标文件暂不可读取，请稍后再试');
  await deps.db.transaction().execute((trx) => appendAudit(trx, auditContext(actor), { action: 'trading.bid_package.read', targetType: 'tender_lot', targetId: lotId, detail: { bidId, sm3: bid.package_digest } }));
  return { data, digest: bid.package_digest };
}

export interface ScoreSheet {
  marks: StoredMark[];
  rejections: StoredRejection[];
}

/**
 * One member's sheet checked on its own: the evaluation module's checks of range, precision,
 * reasons and criteria, with the member as a panel of one, plus completeness over every bid and
 * criterion (see the file comment). Issues name the bid, criterion and expert.
 */
export function sheetIssues(method: EvaluationMethod, expert: { expertId: string; name: string }, bids: repo.OpeningResultRow[], sheet: ScoreSheet): ScoreIssue[] {
  const bidIds = new Set(bids.map((b) => b.bid_id));
  const issues: ScoreIssue[] = [];
  const seenVote = new Set<string>();
  sheet.rejections.forEach((r, i) => {
    if (!bidIds.has(r.bidId)) issues.push({ field: `rejections.${i}.bidId`, rule: 'unknown_bid', message: `否决意见针对的投标 ${r.bidId} 不在本标段的有效开标结果中`, bidId: r.bidId, expertId: expert.expertId });
    else if (seenVote.has(r.bidId)) issues.push({ field: `rejections.${i}.bidId`, rule: 'duplicate', message: `对同一投标只能提出一次否决意见`, bidId: r.bidId, expertId: expert.expertId });
    seenVote.add(r.bidId);
  });
  const input = {
    bids: bids.map((b) => {
      const vote = sheet.rejections.find((r) => r.bidId === b.bid_id);
      return { bidId: b.bid_id, bidderName: b.bidder_name, priceFen: b.price_fen!, ...(vote ? { rejected: { byExperts: [expert.expertId], reason: vote.reason } } : {}) };
    }),
    panel: [expert],
    expertScores: sheet.marks.map((m) => ({ ...m, expertId: expert.expertId })),
  };
  issues.push(...validateExpertScores(method, input).filter((x) => x.rule !== 'missing'));
  const marked = new Set(sheet.marks.map((m) => `${m.bidId}|${m.criterionId}`));
  const needed = [...method.passFail.map((c) => ({ id: c.id, name: c.name, passFail: true })), ...pointsCriteria(method).filter((c) => c.scoredBy === 'expert').map((c) => ({ id: c.id, name: c.name, passFail: false }))];
  for (const b of bids) {
    for (const c of needed) {
      if (marked.has(`${b.bid_id}|${c.id}`)) continue;
      issues.push({ field: 'marks', rule: 'missing', message: `尚未对投标人${b.bidder_name}的评审因素「${c.name}」${c.passFail ? '作出合格性判定' : '打分'}`, bidId: b.bid_id, criterionId: c.id, expertId: expert.expertId });
    }
  }
  return issues;
}

function refuse(issues: ScoreIssue[]): never {
  throw new AppError('validation_failed', issues[0]!.message, {
    errors: issues.map((i) => ({ field: i.field, rule: i.rule, message: i.message })),
    extra: { issues: issues.map((i) => ({ field: i.field, rule: i.rule, bidId: i.bidId ?? null, criterionId: i.criterionId ?? null, expertId: i.expertId ?? null })) },
  });
}

function expertLabel(score: repo.ScoreRow): { expertId: string; name: string } {
  return { expertId: score.expert_id, name: `${score.seat}号` };
}

/** Saves the member's sheet (complete and valid), replacing the previous one; refused once confirmed. */
export async function saveMyScores(deps: Deps, actor: Actor, lotId: string, sheet: ScoreSheet): Promise<repo.ScoreRow> {
  const { lot, score, method } = await memberLot(deps, actor, lotId);
  requireEvaluating(lot, '提交评分');
  if (score.confirmed_at !== null) throw conflict('您已确认评分，不能再修改', 'status', 'confirmed');
  const bids = (await repo.openingResultsOf(deps.db, lotId)).filter((r) => r.outcome === 'decrypted');
  const issues = sheetIssues(method, expertLabel(score), bids, sheet);
  if (issues.length > 0) refuse(issues);
  return deps.db.transaction().execute(async (trx) => {
    const project = (await projects.lockProject(trx, lot.project_id))!;
    requireEvaluating((await projects.findLot(trx, lotId))!, '提交评分');
    const saved = await repo.updateOpenScore(trx, lotId, score.expert_id, { marks: JSON.stringify(sheet.marks), rejections: JSON.stringify(sheet.rejections), submitted_at: dealNow(project, actor.now) });
    if (!saved) throw conflict('您已确认评分，不能再修改', 'status', 'confirmed');
    await appendAudit(trx, auditContext(actor), { action: 'trading.scores.submit', targetType: 'tender_lot', targetId: lotId, detail: { seat: score.seat, marks: sheet.marks.length, rejections: sheet.rejections.length } });
    return saved;
  });
}

/** Locks the member's saved sheet; the deal's timeline records the seat, never the person. */
export async function confirmMyScores(deps: Deps, actor: Actor, lotId: string): Promise<repo.ScoreRow> {
  const { lot, score, method } = await memberLot(deps, actor, lotId);
  requireEvaluating(lot, '确认评分');
  if (score.confirmed_at !== null) throw conflict('您已确认评分', 'status', 'confirmed');
  if (score.submitted_at === null) throw conflict('请先提交评分再确认', 'status', 'not_submitted');
  const bids = (await repo.openingResultsOf(deps.db, lotId)).filter((r) => r.outcome === 'decrypted');
  const issues = sheetIssues(method, expertLabel(score), bids, { marks: score.marks, rejections: score.rejections });
  if (issues.length > 0) refuse(issues);
  return deps.db.transaction().execute(async (trx) => {
    const project = (await projects.lockProject(trx, lot.project_id))!;
    requireEvaluating((await projects.findLot(trx, lotId))!, '确认评分');
    const now = dealNow(project, actor.now);
    const confirmed = await repo.updateOpenScore(trx, lotId, score.expert_id, { confirmed_at: now });
    if (!confirmed) throw conflict('您已确认评分', 'status', 'confirmed');
    const all = await repo.scoresOf(trx, lotId);
    const sm3 = sm3Hex(canonicalJson({ marks: score.marks, rejections: score.rejections }));
    await appendDealEvent(trx, {
      dealCode: project.deal_code!,
      lotCode: lot.lot_code,
      type: 'score_submitted',
      payload: { seat: score.seat, confirmed: all.filter((s) => s.confirmed_at !== null).length, members: all.length, sm3 },
      actor: panelSeatActor(score.seat),
      at: now,
    });
    await appendAudit(trx, auditContext(actor), { action: 'trading.scores.confirm', targetType: 'tender_lot', targetId: lotId, detail: { seat: score.seat, sm3 } });
    return confirmed;
  });
}

export async function myScores(deps: Deps, actor: Actor, lotId: string): Promise<repo.ScoreRow> {
  return (await memberLot(deps, actor, lotId)).score;
}
