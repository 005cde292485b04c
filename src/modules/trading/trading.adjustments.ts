// 评标价调整 under 经评审的最低投标价法 (七部委12号令 §30): the committee adjusts each bid's price
// as the tender documents' method prescribes, and the bids are ranked by bid price + adjustments.
// The adjustments are the committee's, not one expert's: a member records the whole set for the
// lot while it evaluates, each with its reason, and the set is locked as soon as any member has
// confirmed a sheet (that member judged with the set as it stood). The report reads them. Each
// change is one transaction with its deal event (by seat, never by name) and audit entry.

import { appendAudit } from '../../platform/audit/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, conflict, notFound, type FieldError } from '../../platform/errors.ts';
import { appendDealEvent } from '../../platform/events/deal-events.ts';
import { auditContext } from '../../platform/http/context.ts';
import { dealNow, type Actor } from './trading.access.ts';
import { methodOf } from './trading.evaluation.ts';
import * as repo from './trading.evaluation.repository.ts';
import { panelSeatActor } from './trading.lot-steps.ts';
import { formatYuan } from './trading.money.ts';
import * as projects from './trading.projects.repository.ts';
import { LOT_STATUS_NAMES } from './trading.rules.ts';

export interface AdjustmentInput {
  bidId: string;
  /** Yuan with at most two decimals, signed: "+12000", "-3500.50". */
  amount: string;
  reason: string;
}

const SIGNED_YUAN = /^([+-])?(0|[1-9][0-9]{0,11})(?:\.([0-9]{1,2}))?$/;

/** Signed fen of a yuan amount, or undefined when it is not one. */
export function parseSignedYuan(text: string): number | undefined {
  const m = SIGNED_YUAN.exec(text.trim());
  if (!m) return undefined;
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -fen : fen;
}

/** The lot, the caller's seat and the method, for a member of the lot's panel (404 otherwise). */
async function seatOf(deps: Deps, actor: Actor, lotId: string) {
  const expertId = actor.principal.expertId;
  const score = expertId ? await repo.scoreOf(deps.db, lotId, expertId) : undefined;
  const lot = score ? await projects.findLot(deps.db, lotId) : undefined;
  if (!score || !lot) throw notFound('标段');
  return { lot, score, method: methodOf(lot) };
}

/** The lot's adjustments, for a member of its panel. */
export async function adjustmentsForMember(deps: Deps, actor: Actor, lotId: string): Promise<repo.AdjustmentRow[]> {
  await seatOf(deps, actor, lotId);
  return repo.adjustmentsOf(deps.db, lotId);
}

/** Replaces the committee's adjustments of the lot (an empty list removes them all). */
export async function recordAdjustments(deps: Deps, actor: Actor, lotId: string, input: AdjustmentInput[]): Promise<repo.AdjustmentRow[]> {
  const { lot, score, method } = await seatOf(deps, actor, lotId);
  if (method.kind !== 'lowest_evaluated_price') throw conflict('只有采用经评审的最低投标价法的标段才能调整评标价', 'adjustments', 'not_applicable');
  const bids = new Map((await repo.openingResultsOf(deps.db, lotId)).filter((r) => r.outcome === 'decrypted').map((r) => [r.bid_id, r]));
  const errors: FieldError[] = [];
  const rows = input.map((a, i) => {
    const at = `adjustments.${i}`;
    const bid = bids.get(a.bidId);
    const amountFen = parseSignedYuan(a.amount);
    const reason = a.reason.trim();
    if (!bid) errors.push({ field: `${at}.bidId`, rule: 'unknown_bid', message: `第 ${i + 1} 项调整针对的投标不在本标段已解密的投标中` });
    if (amountFen === undefined || amountFen === 0) errors.push({ field: `${at}.amount`, rule: 'money', message: `第 ${i + 1} 项调整金额须为非零金额，单位元，最多两位小数，可带正负号` });
    if (reason === '') errors.push({ field: `${at}.reason`, rule: 'reason_required', message: `第 ${i + 1} 项调整必须说明理由（依据招标文件的哪一条）` });
    return { bid_id: a.bidId, amount_fen: amountFen ?? 0, reason };
  });
  // The evaluated price must stay a price.
  const total = new Map<string, number>();
  for (const r of rows) total.set(r.bid_id, (total.get(r.bid_id) ?? 0) + r.amount_fen);
  for (const [bidId, sum] of total) {
    const bid = bids.get(bidId);
    if (bid && bid.price_fen! + sum <= 0) errors.push({ field: 'adjustments', rule: 'evaluated_price', message: `投标人${bid.bidder_name}调整后的评标价为 ${formatYuan(bid.price_fen! + sum)} 元，须大于 0` });
  }
  if (errors.length > 0) throw new AppError('validation_failed', errors[0]!.message, { errors });
  return deps.db.transaction().execute(async (trx) => {
    const project = (await projects.lockProject(trx, lot.project_id))!;
    const current = (await projects.findLot(trx, lotId))!;
    if (current.status !== 'evaluating') throw conflict(`标段当前为「${LOT_STATUS_NAMES[current.status]}」，只有评标中才能调整评标价`, 'status', 'state');
    const confirmed = (await repo.scoresOf(trx, lotId)).filter((s) => s.confirmed_at !== null).map((s) => s.seat);
    if (confirmed.length > 0) throw conflict(`${confirmed.map((n) => `${n} 号`).join('、')}评委已确认评分，评标价调整已锁定`, 'adjustments', 'sheets_confirmed');
    const at = dealNow(project, actor.now);
    await repo.replaceAdjustments(trx, lotId, rows.map((r) => ({ ...r, recorded_by: score.expert_id, recorded_at: at })));
    await appendDealEvent(trx, { dealCode: project.deal_code!, lotCode: current.lot_code, type: 'price_adjusted', payload: { adjustments: rows.length, bids: total.size }, actor: panelSeatActor(score.seat), at });
    await appendAudit(trx, auditContext(actor), { action: 'trading.evaluation.adjust', targetType: 'tender_lot', targetId: lotId, detail: { seat: score.seat, adjustments: rows.length } });
    return repo.adjustmentsOf(trx, lotId);
  });
}
