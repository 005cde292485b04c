// The evaluation of a lot after its opening: the centre draws the panel from the expert pool
// (avoiding the tenderer, its agency, every bidder of the lot and the supervising department),
// records the drawn experts' answers and confirms the panel, starts the evaluation, and — once
// every member has confirmed its scores — runs the evaluation method over the decrypted bids
// and stores the signed report. Too few valid bids fail the lot (否决全部投标, 实施条例 §51).
// Each step: access → state guard → one transaction with the change, its deal event (deal clock)
// and its audit row; the panel draw's own transaction takes our writes through its `within` hook.

import { appendAudit } from '../../platform/audit/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { evaluationReportDocument } from '../../platform/documents/templates/evaluation-report.ts';
import { failedTenderNoticeDocument, FAILURE_REASON_LABELS } from '../../platform/documents/templates/failed-tender-notice.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { appendDealEvent } from '../../platform/events/deal-events.ts';
import { auditContext } from '../../platform/http/context.ts';
import { checkEvaluationMethod, type EvaluationMethod } from '../evaluation/evaluation.methods.ts';
import { buildEvaluationReport, type EvaluationReport } from '../evaluation/evaluation.report.ts';
import type { BidInput, ExpertScore } from '../evaluation/evaluation.scoring.ts';
import { confirmPanel, drawPanel, panelOfLot, recordResponse, topUpDraw, type DrawView, type ResponseInput, type ResponseResult } from '../experts/experts.draw.ts';
import type { DrawNeed } from '../experts/experts.draw.tables.ts';
import { entityParty } from '../registry/registry.facts.ts';
import { dealNow, type Actor } from './trading.access.ts';
import * as repo from './trading.evaluation.repository.ts';
import type { StoredCandidate } from './trading.evaluation.tables.ts';
import { finishProjectIfDone, guardLot, lockedLot, lotFor, moveLot, partiesOf, publishLotNotice, signedPdf, type LotInProject } from './trading.lot-steps.ts';
import { eventActor } from './trading.projects.ts';
import { refundableBids, releaseSecurities } from './trading.release.ts';
import type { LotRow } from './trading.repository.ts';
import { checkPanelSize, DEFAULT_TENDER_RULES } from './trading.schedule.ts';

export interface PanelInput {
  evaluationDate: string;
  needs: DrawNeed[];
  reserves?: number | undefined;
  /** Where the experts come from; default the deal's region (the draw's default). */
  regionCodes?: string[] | undefined;
}

/** The lot's method as stored with the notice, checked again (a stored method the rules no longer admit is a conflict). */
export function methodOf(lot: LotRow): EvaluationMethod {
  const check = checkEvaluationMethod(lot.evaluation_method, 'evaluationMethod');
  if (!check.ok) throw new AppError('conflict', `标段「${lot.name}」的评标办法不符合规定：${check.errors[0]!.message}`, { errors: check.errors, rule: 'evaluation_method' });
  return check.method;
}

/** USCCs the draw must avoid: the tenderer, its agency and every bidder of the lot (natural persons have none). */
async function avoidList(deps: Deps, { project, lot }: LotInProject): Promise<string[]> {
  const ids = [project.tenderer_entity_id, project.agency_entity_id, ...(await repo.openingResultsOf(deps.db, lot.id)).map((r) => r.bidder_entity_id)].filter((x): x is string => x !== null);
  const parties = await Promise.all([...new Set(ids)].map((id) => entityParty(deps.db, id)));
  return parties.flatMap((p) => (p?.uscc ? [p.uscc] : []));
}

/** Draws the evaluation panel of an opened lot, with the avoid list filled from the deal. */
export async function drawLotPanel(deps: Deps, actor: Actor, lotId: string, input: PanelInput): Promise<DrawView> {
  const ctx = await lotFor(deps, actor, lotId, 'evaluate');
  guardLot(ctx.lot, 'start_evaluation');
  if (await repo.findEvaluation(deps.db, lotId)) throw conflict('本标段已抽取评标专家，请在抽取记录中登记应答、补抽或确认', 'status', 'panel_drawn');
  const experts = input.needs.reduce((n, x) => n + x.count, 0);
  const size = checkPanelSize(experts, experts, DEFAULT_TENDER_RULES);
  if (size.length > 0) throw new AppError('validation_failed', size[0]!.message, { errors: size.map((v) => ({ ...v, field: 'needs' })) });
  methodOf(ctx.lot);
  const usccs = await avoidList(deps, ctx);
  const at = dealNow(ctx.project, actor.now);
  return drawPanel(
    deps,
    actor,
    {
      dealCode: ctx.project.deal_code!,
      lotCode: ctx.lot.lot_code,
      dealRegionCode: ctx.project.region_code,
      category: 'construction',
      regionCodes: input.regionCodes,
      evaluationDate: input.evaluationDate,
      needs: input.needs,
      reserves: input.reserves,
      avoid: { usccs, supervisingDepartment: { name: ctx.project.supervising_department } },
    },
    {
      managedBy: 'trading',
      at,
      within: async (trx, view) => {
        const { project, lot } = await lockedLot(trx, lotId, 'start_evaluation');
        const now = dealNow(project, actor.now);
        await repo.insertEvaluation(trx, { lot_id: lot.id, deal_code: project.deal_code!, lot_code: lot.lot_code!, draw_id: view.draw.id, drawn_at: now, started_at: null, reported_at: null, report: null, report_digest: null, report_signature: null, outcome: null });
        await appendDealEvent(trx, {
          dealCode: project.deal_code!,
          lotCode: lot.lot_code,
          type: 'panel_drawn',
          payload: { drawId: view.draw.id, experts, needs: input.needs, evaluationDate: input.evaluationDate, avoidedEntities: usccs.length },
          actor: eventActor(actor),
          at: now,
        });
        await appendAudit(trx, auditContext(actor), { action: 'trading.panel.draw', targetType: 'tender_lot', targetId: lot.id, detail: { drawId: view.draw.id, experts } });
      },
    },
  );
}

async function evaluationOf(deps: Deps, lotId: string): Promise<repo.EvaluationRow> {
  const e = await repo.findEvaluation(deps.db, lotId);
  if (!e) throw new AppError('conflict', '本标段尚未抽取评标专家', { rule: 'panel_required', errors: [{ field: 'panel', rule: 'panel_required', message: '请先抽取评标专家' }] });
  return e;
}

/** A step of the lot's draw: the lot, its evaluation row, and how the draw runs it (the lot's, on the deal's clock). */
async function lotDrawStep(deps: Deps, actor: Actor, lotId: string) {
  const { project, lot } = await lotFor(deps, actor, lotId, 'evaluate');
  guardLot(lot, 'start_evaluation');
  const e = await evaluationOf(deps, lotId);
  return { lot, e, managedBy: 'trading' as const, at: dealNow(project, actor.now) };
}

/** A drawn expert's answer, through the draw, with the deal event (the expert stays unnamed). */
export async function recordLotResponse(deps: Deps, actor: Actor, lotId: string, expertId: string, input: ResponseInput): Promise<ResponseResult> {
  const { lot, e, ...step } = await lotDrawStep(deps, actor, lotId);
  return recordResponse(deps, actor, e.draw_id, expertId, input, {
    ...step,
    within: async (trx, result) => {
      const { project } = await lockedLot(trx, lotId, 'start_evaluation');
      const payload = { drawId: e.draw_id, answer: input.answer, reserveCalled: result.replacedBy !== null };
      await appendDealEvent(trx, { dealCode: project.deal_code!, lotCode: lot.lot_code, type: 'expert_responded', payload, actor: eventActor(actor), at: dealNow(project, actor.now) });
      await appendAudit(trx, auditContext(actor), { action: 'trading.panel.response', targetType: 'tender_lot', targetId: lotId, detail: { drawId: e.draw_id, expertId, answer: input.answer } });
    },
  });
}

/** A further round for the seats the reserves could not fill, through the draw, with the deal event. */
export async function topUpLotPanel(deps: Deps, actor: Actor, lotId: string): Promise<DrawView> {
  const { lot, e, ...step } = await lotDrawStep(deps, actor, lotId);
  return topUpDraw(deps, actor, e.draw_id, {
    ...step,
    within: async (trx, view) => {
      const { project } = await lockedLot(trx, lotId, 'start_evaluation');
      const round = Math.max(...view.rounds.map((r) => r.round_no));
      const called = view.members.filter((m) => m.round_no === round && m.kind === 'member').length;
      await appendDealEvent(trx, { dealCode: project.deal_code!, lotCode: lot.lot_code, type: 'panel_topped_up', payload: { drawId: e.draw_id, round, called }, actor: eventActor(actor), at: dealNow(project, actor.now) });
      await appendAudit(trx, auditContext(actor), { action: 'trading.panel.top_up', targetType: 'tender_lot', targetId: lotId, detail: { drawId: e.draw_id, round } });
    },
  });
}

export async function confirmLotPanel(deps: Deps, actor: Actor, lotId: string): Promise<DrawView> {
  const { lot, e, ...step } = await lotDrawStep(deps, actor, lotId);
  return confirmPanel(deps, actor, e.draw_id, {
    ...step,
    within: async (trx, view) => {
      const { project } = await lockedLot(trx, lotId, 'start_evaluation');
      const members = view.members.filter((m) => m.state === 'accepted').length;
      await appendDealEvent(trx, { dealCode: project.deal_code!, lotCode: lot.lot_code, type: 'panel_confirmed', payload: { drawId: e.draw_id, members }, actor: eventActor(actor), at: dealNow(project, actor.now) });
      await appendAudit(trx, auditContext(actor), { action: 'trading.panel.confirm', targetType: 'tender_lot', targetId: lotId, detail: { drawId: e.draw_id, members } });
    },
  });
}

/** Starts the evaluation once the panel is confirmed: one score sheet per member (seat 1…n). */
export async function startEvaluation(deps: Deps, actor: Actor, lotId: string): Promise<void> {
  const { lot } = await lotFor(deps, actor, lotId, 'evaluate');
  guardLot(lot, 'start_evaluation');
  const e = await evaluationOf(deps, lotId);
  const panel = await panelOfLot(deps, lot.lot_code!);
  if (!panel || panel.drawId !== e.draw_id) throw new AppError('conflict', '评标委员会尚未组建完成：请待各专业专家足额同意后确认名单', { rule: 'panel_not_confirmed', errors: [{ field: 'panel', rule: 'panel_not_confirmed', message: '评标专家名单尚未确认' }] });
  const bids = (await repo.openingResultsOf(deps.db, lotId)).filter((r) => r.outcome === 'decrypted').length;
  await deps.db.transaction().execute(async (trx) => {
    const { project, lot: current, to } = await lockedLot(trx, lotId, 'start_evaluation');
    const now = dealNow(project, actor.now);
    await repo.insertScoreRows(trx, panel.members.map((m, i) => ({ lot_id: lotId, expert_id: m.expertId, seat: i + 1, marks: '[]', rejections: '[]', submitted_at: null, confirmed_at: null })));
    await repo.updateEvaluation(trx, lotId, { started_at: now });
    await moveLot(trx, current, to, actor.now);
    await appendDealEvent(trx, { dealCode: project.deal_code!, lotCode: current.lot_code, type: 'evaluation_started', payload: { drawId: e.draw_id, members: panel.members.length, bids }, actor: eventActor(actor), at: now });
    await appendAudit(trx, auditContext(actor), { action: 'trading.evaluation.start', targetType: 'tender_lot', targetId: lotId, detail: { drawId: e.draw_id, members: panel.members.length } });
  });
}

/** The committee's data as the evaluation module takes it: decrypted bids, the panel, every mark. */
async function evaluationInput(deps: Deps, lotId: string, scores: repo.ScoreRow[], names: Map<string, string>) {
  const results = (await repo.openingResultsOf(deps.db, lotId)).filter((r) => r.outcome === 'decrypted');
  const votes = new Map<string, { byExperts: string[]; reasons: string[] }>();
  for (const s of scores) {
    for (const r of s.rejections) {
      const v = votes.get(r.bidId) ?? { byExperts: [], reasons: [] };
      v.byExperts.push(s.expert_id);
      if (!v.reasons.includes(r.reason.trim())) v.reasons.push(r.reason.trim());
      votes.set(r.bidId, v);
    }
  }
  const bids: BidInput[] = results.map((r) => {
    const v = votes.get(r.bid_id);
    return { bidId: r.bid_id, bidderName: r.bidder_name, priceFen: r.price_fen!, receivedAt: r.received_at, ...(v ? { rejected: { byExperts: v.byExperts, reason: v.reasons.join('；') } } : {}) };
  });
  const expertScores: ExpertScore[] = scores.flatMap((s) => s.marks.map((m) => ({ ...m, expertId: s.expert_id })));
  // The committee's price adjustments (经评审的最低投标价法 only; trading.adjustments.ts).
  const adjustments = (await repo.adjustmentsOf(deps.db, lotId)).map((a) => ({ bidId: a.bid_id, amountFen: a.amount_fen, reason: a.reason }));
  return { results, input: { bids, panel: scores.map((s) => ({ expertId: s.expert_id, name: names.get(s.expert_id) ?? `${s.seat} 号评委` })), expertScores, adjustments } };
}

export interface ReportOutcome {
  report: EvaluationReport;
  failed: boolean;
}

/** Aggregates the confirmed scores into the signed report; too few valid bids fail the lot. */
export async function reportEvaluation(deps: Deps, actor: Actor, lotId: string): Promise<ReportOutcome> {
  const { project, lot } = await lotFor(deps, actor, lotId, 'evaluate');
  guardLot(lot, 'report');
  const e = await evaluationOf(deps, lotId);
  const scores = await repo.scoresOf(deps.db, lotId);
  const open = scores.filter((s) => s.confirmed_at === null).map((s) => s.seat);
  if (open.length > 0) throw new AppError('conflict', `${open.map((n) => `${n} 号`).join('、')}评委尚未确认评分，全体成员确认后才能生成评标报告`, { rule: 'scores_unconfirmed', extra: { seats: open } });
  const method = methodOf(lot);
  const panel = await panelOfLot(deps, lot.lot_code!);
  if (!panel) throw notFound('评标委员会');
  const names = new Map(panel.members.map((m) => [m.expertId, m.name]));
  const { results, input } = await evaluationInput(deps, lotId, scores, names);
  const now = dealNow(project, actor.now);
  const report = buildEvaluationReport({ dealCode: project.deal_code!, lotCode: lot.lot_code!, projectName: project.name, lotName: lot.name, method, input, generatedAt: now });
  const pdf = await signedPdf(deps, evaluationReportDocument(report));
  const failed = report.status === 'insufficient_competition';
  const parties = await partiesOf(deps.db, project, lot);
  const reason = report.validBidCount === 0 ? 'all_rejected' : 'insufficient_competition';
  const failure = failed ? await signedPdf(deps, failedTenderNoticeDocument({ ...parties, reason, reasonText: `有效投标 ${report.validBidCount} 个，少于 ${report.minValidBids} 个`, issuedAt: now })) : null;
  const candidates = candidatesOf(report, results);

  await deps.db.transaction().execute(async (trx) => {
    const { project: p, lot: current, to } = await lockedLot(trx, lotId, failed ? 'fail_evaluation' : 'report');
    await repo.updateEvaluation(trx, lotId, { reported_at: now, report: JSON.stringify(report), report_digest: pdf.digest, report_signature: JSON.stringify(pdf.signature), outcome: report.status });
    const who = eventActor(actor);
    const event = { dealCode: p.deal_code!, lotCode: current.lot_code, actor: who, at: now };
    await appendDealEvent(trx, {
      ...event,
      type: 'evaluation_reported',
      payload: { drawId: e.draw_id, outcome: report.status, validBids: report.validBidCount, rejected: report.rejected.length, candidates: candidates.map((c) => ({ rank: c.rank, bidId: c.bidId, bidderName: c.bidderName, priceFen: c.priceFen })), sm3: pdf.digest },
    });
    if (failure) {
      await moveLot(trx, current, to, actor.now, FAILURE_REASON_LABELS[reason]);
      const title = `${p.name}${current.name}招标失败公告`;
      const notice = await publishLotNotice(trx, { project: p, lot: current, kind: 'failure', title: title.length > 200 ? title.slice(0, 200) : title, body: `${p.name}${current.name}因${FAILURE_REASON_LABELS[reason]}，本次招标失败。`, file: failure, by: actor.principal.accountId, at: now, createdAt: actor.now });
      await appendDealEvent(trx, { ...event, type: 'tender_failed', payload: { reason, reasonText: FAILURE_REASON_LABELS[reason], validBids: report.validBidCount, minValidBids: report.minValidBids, noticeId: notice.id, notice, sm3: failure.digest } });
      await releaseSecurities(trx, who, p, current, await refundableBids(trx, lotId), now);
      await appendAudit(trx, auditContext(actor), { action: 'trading.evaluation.report', targetType: 'tender_lot', targetId: lotId, detail: { outcome: report.status, sm3: pdf.digest, noticeId: notice.id } });
      await finishProjectIfDone(trx, actor, p);
    } else {
      await moveLot(trx, current, to, actor.now);
      await appendAudit(trx, auditContext(actor), { action: 'trading.evaluation.report', targetType: 'tender_lot', targetId: lotId, detail: { outcome: report.status, sm3: pdf.digest, candidates: candidates.length } });
    }
  });
  return { report, failed };
}

/** The candidates of a reported lot, with each bidder's entity (for the publicity and the award). */
export function candidatesOf(report: EvaluationReport, results: repo.OpeningResultRow[]): StoredCandidate[] {
  const entityOf = new Map(results.map((r) => [r.bid_id, r.bidder_entity_id]));
  return report.candidates.map((c) => ({ ...c, bidderEntityId: entityOf.get(c.bidId)! }));
}
