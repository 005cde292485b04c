// Reading the steps after the opening. The evaluation (panel, scores, report) is read by staff
// with the deal in their scope and, once the report is made, by the tenderer's side; the panel's
// names stay hidden from the tenderer's side until the result notice reveals them, and no
// market entity other than the tenderer's side reads the evaluation at all. Candidates, award
// and contract are public to whoever may read the project; the award notice's PDF is for staff,
// the tenderer's side and the winner.

import type { Deps } from '../../platform/deps.ts';
import type { DocumentSignature } from '../../platform/documents/signature.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import type { EvaluationReport } from '../evaluation/evaluation.report.ts';
import { panelOfLot } from '../experts/experts.draw.ts';
import { isParty, type Actor } from './trading.access.ts';
import { biddersDisclosed } from './trading.bids.rules.ts';
import * as repo from './trading.evaluation.repository.ts';
import { lotFor, type LotInProject } from './trading.lot-steps.ts';
import * as notices from './trading.notices.repository.ts';

export interface EvaluationView extends LotInProject {
  evaluation: repo.EvaluationRow;
  members: { seat: number; name: string; submittedAt: Date | null; confirmedAt: Date | null }[];
  report: EvaluationReport | null;
  /** The panel's names are shown (staff, or after the result notice). */
  named: boolean;
}

/** Replaces each member's id and name in the report by its seat (before the panel is revealed). */
function anonymised(report: EvaluationReport, seats: Map<string, { seat: number; name: string }>): EvaluationReport {
  let text = JSON.stringify(report);
  for (const [expertId, m] of seats) {
    const label = `${m.seat}号评委`;
    text = text.split(expertId).join(`seat-${m.seat}`);
    if (m.name) text = text.split(m.name).join(label);
  }
  return JSON.parse(text) as EvaluationReport;
}

async function evaluationFor(deps: Deps, actor: Actor, lotId: string): Promise<{ ctx: LotInProject; evaluation: repo.EvaluationRow; staff: boolean }> {
  const ctx = await lotFor(deps, actor, lotId, 'read');
  const staff = actor.principal.entityId === null;
  if (!staff && !isParty(actor.principal, ctx.project)) throw forbidden('评标情况仅向招标人及其代理机构提供');
  const evaluation = await repo.findEvaluation(deps.db, lotId);
  if (!evaluation || (!staff && evaluation.reported_at === null)) throw notFound('评标记录');
  return { ctx, evaluation, staff };
}

export async function evaluationView(deps: Deps, actor: Actor, lotId: string): Promise<EvaluationView> {
  const { ctx, evaluation, staff } = await evaluationFor(deps, actor, lotId);
  const [scores, panel, award] = await Promise.all([repo.scoresOf(deps.db, lotId), panelOfLot(deps, ctx.lot.lot_code!), repo.findAward(deps.db, lotId)]);
  const named = staff || award !== undefined;
  const names = new Map((panel?.members ?? []).map((m) => [m.expertId, m.name]));
  const seats = new Map(scores.map((s) => [s.expert_id, { seat: s.seat, name: names.get(s.expert_id) ?? '' }]));
  const members = scores.map((s) => ({ seat: s.seat, name: named ? (names.get(s.expert_id) ?? '') : `${s.seat}号评委`, submittedAt: s.submitted_at, confirmedAt: s.confirmed_at }));
  const report = evaluation.report === null ? null : named ? evaluation.report : anonymised(evaluation.report, seats);
  return { ...ctx, evaluation, members, report, named };
}

/** The signed report PDF: staff, or the tenderer's side once the panel is revealed (the PDF names it). */
export async function reportPdf(deps: Deps, actor: Actor, lotId: string): Promise<{ data: Buffer; signature: DocumentSignature }> {
  const { evaluation, staff } = await evaluationFor(deps, actor, lotId);
  if (evaluation.report_digest === null) throw notFound('评标报告');
  if (!staff && !(await repo.findAward(deps.db, lotId))) throw forbidden('评标报告载有评标委员会成员名单，中标结果公告后方可下载');
  const data = await deps.blobs.get(evaluation.report_digest);
  if (!data) throw new AppError('unavailable', '评标报告暂不可读取，请稍后再试');
  return { data, signature: evaluation.report_signature! };
}

export async function candidatesView(deps: Deps, actor: Actor, lotId: string) {
  const ctx = await lotFor(deps, actor, lotId, 'read');
  const publicity = await repo.findPublicity(deps.db, lotId);
  if (!publicity) throw notFound('中标候选人公示');
  const notice = (await notices.noticesOf(deps.db, ctx.project.id)).find((n) => n.id === publicity.notice_id)!;
  const all = await repo.candidateObjectionsOf(deps.db, lotId);
  // Staff and the tenderer's side see every objection; a bidder its own.
  const e = actor.principal.entityId;
  const objections = e === null || isParty(actor.principal, ctx.project) ? all : all.filter((o) => o.entity_id === e);
  return { ...ctx, publicity, notice, objections };
}

export async function awardView(deps: Deps, actor: Actor, lotId: string) {
  const ctx = await lotFor(deps, actor, lotId, 'read');
  const award = await repo.findAward(deps.db, lotId);
  if (!award) throw notFound('定标结果');
  const e = actor.principal.entityId;
  const insider = e === null || isParty(actor.principal, ctx.project) || e === award.winner_entity_id;
  return { ...ctx, award, insider };
}

/** The award notice PDF: staff, the tenderer's side and the winner. */
export async function awardNoticePdf(deps: Deps, actor: Actor, lotId: string): Promise<{ data: Buffer; signature: DocumentSignature }> {
  const { award, insider } = await awardView(deps, actor, lotId);
  if (!insider) throw forbidden('中标通知书仅向招标人、招标代理机构和中标人提供');
  const data = await deps.blobs.get(award.notice_digest);
  if (!data) throw new AppError('unavailable', '中标通知书暂不可读取，请稍后再试');
  return { data, signature: award.notice_signature };
}

/** The lot's released securities: staff and the tenderer's side see all, a bidder its own. */
async function releasesFor(deps: Deps, actor: Actor, { project, lot }: LotInProject): Promise<repo.ReleaseRow[]> {
  const rows = await repo.releasesOf(deps.db, lot.id);
  const e = actor.principal.entityId;
  const own = rows.filter((r) => r.bidder_entity_id === e);
  // Before the opening's decryption ends, a release (at a withdrawal) would say who bid (§22): its bidder alone sees it.
  if (!biddersDisclosed(lot.status)) return own;
  return e === null || isParty(actor.principal, project) ? rows : own;
}

export async function contractView(deps: Deps, actor: Actor, lotId: string) {
  const ctx = await lotFor(deps, actor, lotId, 'read');
  const contract = await repo.findContract(deps.db, lotId);
  if (!contract) throw notFound('合同');
  const award = (await repo.findAward(deps.db, lotId))!;
  return { ...ctx, contract, award, releases: await releasesFor(deps, actor, ctx) };
}

/**
 * The securities released so far (after the contract or the lot's failure, at a withdrawal before
 * the deadline, by the tenderer's decision), and the 撤销 bids whose security waits for or has the
 * tenderer's decision. A bidder sees only its own.
 */
export async function releasesView(deps: Deps, actor: Actor, lotId: string) {
  const ctx = await lotFor(deps, actor, lotId, 'read');
  const e = actor.principal.entityId;
  const everyone = e === null || isParty(actor.principal, ctx.project);
  const revokedBids = (await repo.openingResultsOf(deps.db, lotId)).filter((r) => r.outcome === 'bidder_failed' && (everyone || r.bidder_entity_id === e));
  const [securities, decisions] = await Promise.all([repo.heldSecurities(deps.db, lotId), repo.securityDecisionsOf(deps.db, lotId)]);
  const revoked = revokedBids.map((bid) => ({ bid, amountFen: securities.get(bid.bidder_entity_id) ?? ctx.lot.bid_security_fen, decision: decisions.find((d) => d.bid_id === bid.bid_id) ?? null }));
  return { ...ctx, releases: await releasesFor(deps, actor, ctx), revoked };
}
