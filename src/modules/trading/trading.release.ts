// The release (refund) of bid securities, when the lot no longer needs them: after the written
// contract every bidder's (实施条例 §57: within 5 days of the contract), and when the lot fails —
// at the deadline with too few bids, or when the committee rejects too many — the securities of
// the bids it received (§31 says "及时" without a number; the same configured 5 days is used,
// the only figure the regulations give for a refund). A bid the bidder failed to decrypt at the
// opening counts as withdrawn after the deadline (撤销), whose security the tenderer may keep
// (§35, DOMAIN.md §3), so it is never released with the lot: the tenderer's side decides, once,
// to keep or refund it (decideRevokedSecurity). A bid withdrawn before the deadline (撤回) has
// its security released at the withdrawal, due within the same 5 days (§35). One row per bid,
// in the caller's transaction, with a security_released event each; a bid already released is
// left as it was.
// The bid box keeps the securities themselves: its refund (bank instruction, guarantee return)
// should be wired here, reading the returned rows.

import type { Kysely } from 'kysely';
import { appendAudit } from '../../platform/audit/audit.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { appendDealEvent, type DealEventActor } from '../../platform/events/deal-events.ts';
import { auditContext } from '../../platform/http/context.ts';
import { dealNow, type Actor } from './trading.access.ts';
import * as repo from './trading.evaluation.repository.ts';
import * as projects from './trading.projects.repository.ts';
import { guardLot, lotFor, moveLot } from './trading.lot-steps.ts';
import { eventActor } from './trading.projects.ts';
import type { BidRow } from './trading.bids.repository.ts';
import type { ReleaseReason } from './trading.evaluation.tables.ts';
import type { LotRow, ProjectRow } from './trading.repository.ts';
import { securityRefundDue } from './trading.schedule.ts';

/**
 * Releases the securities of `bids` (the bidder's recorded amount, or the lot's required one where
 * the bid box has no record; nothing where neither is above zero), due on the last day of the
 * refund period counted from `at`, and appends security_released per bid.
 */
export async function releaseSecurities(
  trx: Kysely<DB>,
  who: DealEventActor,
  project: Pick<ProjectRow, 'deal_code'>,
  lot: Pick<LotRow, 'id' | 'lot_code' | 'bid_security_fen'>,
  bids: readonly { bid_id: string; bidder_entity_id: string }[],
  at: Date,
  reason: ReleaseReason = 'lot_outcome',
): Promise<repo.ReleaseRow[]> {
  const due = securityRefundDue(at);
  const securities = await repo.activeSecurities(trx, lot.id);
  const rows = bids
    .map((b) => ({ bid_id: b.bid_id, lot_id: lot.id, bidder_entity_id: b.bidder_entity_id, amount_fen: securities.get(b.bidder_entity_id) ?? lot.bid_security_fen, released_at: at, due_on: due.lastDay, reason }))
    .filter((r) => r.amount_fen > 0);
  return announce(trx, who, project.deal_code!, lot.lot_code, await repo.insertReleases(trx, rows), at);
}

async function announce(trx: Kysely<DB>, who: DealEventActor, dealCode: string, lotCode: string | null, released: repo.ReleaseRow[], at: Date): Promise<repo.ReleaseRow[]> {
  for (const r of released) {
    await appendDealEvent(trx, { dealCode, lotCode, type: 'security_released', payload: { bidId: r.bid_id, bidderEntityId: r.bidder_entity_id, amountFen: r.amount_fen, dueOn: r.due_on, reason: r.reason }, actor: who, at });
  }
  return released;
}

/**
 * 撤回 before the deadline: the security the bidder lodged (if any) is released within the refund
 * period counted from the withdrawal and is no longer active, so a new bid on the lot needs a new
 * one. A bidder that lodged none has nothing to get back. In the withdrawal's transaction.
 */
export async function releaseWithdrawnSecurity(trx: Kysely<DB>, who: DealEventActor, bid: Pick<BidRow, 'id' | 'lot_id' | 'deal_code' | 'lot_code' | 'bidder_entity_id'>, at: Date): Promise<repo.ReleaseRow | undefined> {
  const security = await repo.releaseActiveSecurity(trx, bid.lot_id, bid.bidder_entity_id);
  if (!security) return undefined;
  const row = { bid_id: bid.id, lot_id: bid.lot_id, bidder_entity_id: bid.bidder_entity_id, amount_fen: security.amount_fen, released_at: at, due_on: securityRefundDue(at).lastDay, reason: 'withdrawn' as const };
  return (await announce(trx, who, bid.deal_code, bid.lot_code, await repo.insertReleases(trx, [row]), at))[0];
}

/** The opened bids whose security goes back: all but those the bidder failed to decrypt (撤销, §35). */
export async function refundableBids(trx: Kysely<DB>, lotId: string): Promise<repo.OpeningResultRow[]> {
  return (await repo.openingResultsOf(trx, lotId)).filter((r) => r.outcome !== 'bidder_failed');
}

/** After the contract: releases the securities of the lot's refundable bids and closes the lot. */
export async function releaseLotSecurities(trx: Kysely<DB>, actor: Actor, project: ProjectRow, lot: LotRow, at: Date): Promise<repo.ReleaseRow[]> {
  const to = guardLot(lot, 'close');
  const released = await releaseSecurities(trx, eventActor(actor), project, lot, await refundableBids(trx, lot.id), at);
  await appendAudit(trx, auditContext(actor), { action: 'trading.security.release', targetType: 'tender_lot', targetId: lot.id, detail: { bids: released.length, dueOn: securityRefundDue(at).lastDay } });
  await moveLot(trx, lot, to, actor.now);
  return released;
}

export interface SecurityDecisionInput {
  decision: 'keep' | 'refund';
  reason: string;
}

/**
 * The tenderer's side decides, once, what becomes of the security of a bid its bidder failed to
 * decrypt at the opening (撤销, §35: the tenderer may keep it): refund releases it like any other
 * (due within the refund period from the decision), keep records the retention. One transaction
 * with its deal event and audit entry.
 */
export async function decideRevokedSecurity(deps: Deps, actor: Actor, lotId: string, bidId: string, input: SecurityDecisionInput): Promise<{ decision: repo.SecurityDecisionRow; release: repo.ReleaseRow | null }> {
  const { project: seen } = await lotFor(deps, actor, lotId, 'manage');
  const reason = input.reason.trim();
  if (reason.length === 0) throw invalid('reason', 'required', '请填写处理理由');
  return deps.db.transaction().execute(async (trx) => {
    // Every step of a deal locks its project first, so the steps of one deal queue.
    const project = (await projects.lockProject(trx, seen.id))!;
    const lot = (await projects.findLot(trx, lotId))!;
    const bid = (await repo.openingResultsOf(trx, lotId)).find((r) => r.bid_id === bidId);
    if (!bid) throw notFound('开标记录中的该投标');
    if (bid.outcome !== 'bidder_failed') throw conflict('只有开标时投标人未能解密（视为撤销投标文件）的投标，招标人才可以决定不予退还投标保证金；其他投标的保证金随标段结果退还', 'bidId', 'not_revoked');
    const at = dealNow(project, actor.now);
    const decision = await repo.insertSecurityDecision(trx, { bid_id: bidId, lot_id: lotId, bidder_entity_id: bid.bidder_entity_id, decision: input.decision, reason, decided_by: actor.principal.accountId, decided_at: at });
    if (!decision) throw conflict('该投标的保证金已作出处理决定，不能更改', 'bidId', 'decided');
    const who = eventActor(actor);
    let release: repo.ReleaseRow | null = null;
    if (input.decision === 'refund') {
      release = (await releaseSecurities(trx, who, project, lot, [bid], at, 'tenderer_refund'))[0] ?? null;
    } else {
      // The lodged security, if the bidder recorded one, stops being active: it is kept, never released.
      const amountFen = (await repo.retainActiveSecurity(trx, lotId, bid.bidder_entity_id))?.amount_fen ?? lot.bid_security_fen;
      await appendDealEvent(trx, { dealCode: project.deal_code!, lotCode: lot.lot_code, type: 'security_retained', payload: { bidId, bidderEntityId: bid.bidder_entity_id, amountFen, reason }, actor: who, at });
    }
    await appendAudit(trx, auditContext(actor), { action: 'trading.security.decide', targetType: 'bid', targetId: bidId, detail: { decision: input.decision } });
    return { decision, release };
  });
}
