// The release (refund) of bid securities, when the lot no longer needs them: after the written
// contract every bidder's (实施条例 §57: within 5 days of the contract), and when the lot fails —
// at the deadline with too few bids, or when the committee rejects too many — the securities of
// the bids it received (§31 says "及时" without a number; the same configured 5 days is used,
// the only figure the regulations give for a refund). A bid the bidder failed to decrypt at the
// opening counts as withdrawn after the deadline (撤销), whose security the tenderer may keep
// (§35, DOMAIN.md §3), so it is never released here. One row per bid, in the caller's
// transaction, with a security_released event each; a bid already released is left as it was.
// The bid box keeps the securities themselves: its refund (bank instruction, guarantee return)
// should be wired here, reading the returned rows.

import type { Kysely } from 'kysely';
import { appendAudit } from '../../platform/audit/audit.ts';
import type { DB } from '../../platform/db/schema.ts';
import { appendDealEvent, type DealEventActor } from '../../platform/events/deal-events.ts';
import { auditContext } from '../../platform/http/context.ts';
import type { Actor } from './trading.access.ts';
import * as repo from './trading.evaluation.repository.ts';
import { guardLot, moveLot } from './trading.lot-steps.ts';
import { eventActor } from './trading.projects.ts';
import type { LotRow, ProjectRow } from './trading.repository.ts';
import { securityRefundDue } from './trading.schedule.ts';

/**
 * Releases the securities of `bids` (the bidder's recorded amount, or the lot's required one where
 * the bid box has no record; nothing where neither is above zero), due on the last day of the
 * refund period counted from `at`, and appends security_released per bid.
 */
export async function releaseSecurities(trx: Kysely<DB>, who: DealEventActor, project: Pick<ProjectRow, 'deal_code'>, lot: Pick<LotRow, 'id' | 'lot_code' | 'bid_security_fen'>, bids: readonly { bid_id: string; bidder_entity_id: string }[], at: Date): Promise<repo.ReleaseRow[]> {
  const due = securityRefundDue(at);
  const securities = await repo.activeSecurities(trx, lot.id);
  const rows = bids
    .map((b) => ({ bid_id: b.bid_id, lot_id: lot.id, bidder_entity_id: b.bidder_entity_id, amount_fen: securities.get(b.bidder_entity_id) ?? lot.bid_security_fen, released_at: at, due_on: due.lastDay }))
    .filter((r) => r.amount_fen > 0);
  const released = await repo.insertReleases(trx, rows);
  for (const r of released) {
    await appendDealEvent(trx, { dealCode: project.deal_code!, lotCode: lot.lot_code, type: 'security_released', payload: { bidId: r.bid_id, bidderEntityId: r.bidder_entity_id, amountFen: r.amount_fen, dueOn: r.due_on }, actor: who, at });
  }
  return released;
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
