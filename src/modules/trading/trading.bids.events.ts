// What the bid box's steps add to the deal's event stream and to the audit trail, in the same
// transaction as the step (the bid box takes them as `hooks`). Payloads carry ids, digests and
// sizes — never keys, seals or content.

import { appendAudit } from '../../platform/audit/audit.ts';
import { appendDealEvent } from '../../platform/events/deal-events.ts';
import { auditContext } from '../../platform/http/context.ts';
import type { DecryptOutcome } from './trading.bids.opening.ts';
import type { BidRow, SealRow, SecurityRow } from './trading.bids.repository.ts';
import type { Actor, Hooks, IntakeResult } from './trading.bids.service.ts';

const who = (actor: Actor) => ({ accountId: actor.principal.accountId, name: actor.principal.displayName });

export function intakeEvents(actor: Actor): Hooks<IntakeResult> {
  return {
    within: async (trx, r) => {
      const b = r.bid;
      await appendDealEvent(trx, {
        dealCode: b.deal_code,
        lotCode: b.lot_code,
        type: r.replacedBidId ? 'bid_replaced' : 'bid_submitted',
        payload: { bidId: b.id, entityId: b.bidder_entity_id, attempt: b.attempt, sm3: b.blob_digest, size: b.size, replacedBidId: r.replacedBidId },
        actor: who(actor),
        at: b.received_at!,
      });
      await appendAudit(trx, auditContext(actor), { action: 'trading.bid.submit', targetType: 'bid', targetId: b.id, detail: { lotCode: b.lot_code, sm3: b.blob_digest, size: b.size } });
    },
  };
}

export function withdrawalEvents(actor: Actor): Hooks<BidRow> {
  return {
    within: async (trx, b) => {
      await appendDealEvent(trx, { dealCode: b.deal_code, lotCode: b.lot_code, type: 'bid_withdrawn', payload: { bidId: b.id, entityId: b.bidder_entity_id }, actor: who(actor), at: b.withdrawn_at! });
      await appendAudit(trx, auditContext(actor), { action: 'trading.bid.withdraw', targetType: 'bid', targetId: b.id });
    },
  };
}

export function securityEvents(actor: Actor, codes: { dealCode: string; lotCode: string }): Hooks<SecurityRow> {
  return {
    within: async (trx, s) => {
      await appendDealEvent(trx, { dealCode: codes.dealCode, lotCode: codes.lotCode, type: s.form === 'guarantee' ? 'guarantee_verified' : 'bid_security_recorded', payload: { securityId: s.id, entityId: s.bidder_entity_id, form: s.form, amountFen: s.amount_fen }, actor: who(actor), at: s.submitted_at });
      await appendAudit(trx, auditContext(actor), { action: 'trading.bid.security', targetType: 'bid_security', targetId: s.id, detail: { form: s.form, amountFen: s.amount_fen } });
    },
  };
}

export function resealEvents(actor: Actor, codes: { dealCode: string; lotCode: string; at: Date }): Hooks<SealRow> {
  return {
    within: async (trx, s) => {
      await appendDealEvent(trx, { dealCode: codes.dealCode, lotCode: codes.lotCode, type: 'bid_key_resealed', payload: { bidId: s.bid_id, sealingKeyId: s.sealing_key_id }, actor: who(actor), at: codes.at });
      await appendAudit(trx, auditContext(actor), { action: 'trading.bid.reseal', targetType: 'bid', targetId: s.bid_id, detail: { sealingKeyId: s.sealing_key_id } });
    },
  };
}

export function decryptionEvents(actor: Actor): Hooks<DecryptOutcome> {
  return {
    within: async (trx, r) => {
      if (r.outcome === 'wrong_key') return;
      const b = r.bid;
      const at = b.decrypted_at ?? b.updated_at;
      await appendDealEvent(trx, {
        dealCode: b.deal_code,
        lotCode: b.lot_code,
        type: r.outcome === 'decrypted' ? 'bid_decrypted' : 'bid_decryption_failed',
        payload: { bidId: b.id, entityId: b.bidder_entity_id, ...(r.outcome === 'decrypted' ? { plaintextSm3: b.plaintext_digest } : { reason: r.reason, counts: r.outcome === 'failed_bidder' ? 'withdrawn_by_bidder' : 'withdrawn_through_platform' }) },
        actor: who(actor),
        at,
      });
      await appendAudit(trx, auditContext(actor), { action: 'trading.bid.decrypt', targetType: 'bid', targetId: b.id, detail: { outcome: r.outcome } });
    },
  };
}
