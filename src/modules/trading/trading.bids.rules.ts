// Pure rules of the bid box: when a lot takes bids, the bid security limits, what staff may see
// before the opening, and the receipt. Numbers are configuration with their defaults here.

import { canonicalJson } from '../../platform/audit/canonical.ts';
import { sm2Sign, sm2Verify } from '../../platform/crypto/sm2.ts';
import type { LotStatus } from './trading.tables.ts';
import type { LotWindow } from './trading.repository.ts';

export interface BidIntakeRules {
  /** Largest envelope accepted (bytes): the upload route's body limit. */
  maxBidBytes: number;
  /** Life of a rehearsal challenge. */
  rehearsalChallengeSeconds: number;
  /**
   * Wrong file keys a bidder may hand over at the opening before its bid counts as not
   * decrypted (撤销). The brief said one; a wrong key reveals nothing (it is checked against the
   * commitment before anything is decrypted) and a second try with the backup key file is
   * exactly what "decryption must not fail at the opening" asks for — so a few are allowed.
   */
  maxWrongKeyAttempts: number;
}

export const DEFAULT_BID_INTAKE_RULES: BidIntakeRules = {
  maxBidBytes: 200 * 1024 * 1024,
  rehearsalChallengeSeconds: 300,
  maxWrongKeyAttempts: 3,
};

export type BidWindowRefusal = { rule: 'not_bidding'; message: string } | { rule: 'deadline_passed'; message: string };

/**
 * Does the lot take bids at instant `at`? A deadline is an instant: a bid completed at
 * 09:29:59.999 for 09:30:00 is on time, one completed at 09:30:00.000 is late (DOMAIN.md §0).
 * A pause for an objection does not close the box: it moves the deadline (which the lead's
 * objection code writes back to the project), and bids keep arriving meanwhile.
 */
export function bidWindowRefusal(w: Pick<LotWindow, 'projectStatus' | 'lotStatus' | 'bidDeadline'>, at: Date): BidWindowRefusal | null {
  if (at.getTime() >= w.bidDeadline.getTime()) return { rule: 'deadline_passed', message: `投标截止时间 ${w.bidDeadline.toISOString()} 已到，不再接收投标文件` };
  if (w.projectStatus !== 'bidding' || w.lotStatus !== 'bidding') return { rule: 'not_bidding', message: '该标段当前不在投标阶段' };
  return null;
}

/** Bidders' identities stay secret until the opening's decryption has ended (招标投标法 §22). */
export function biddersDisclosed(lotStatus: LotStatus): boolean {
  return !['pending', 'bidding', 'decrypting'].includes(lotStatus);
}

/** The decryption window: while the lot is `decrypting`, until deadline + decryption minutes. */
export function decryptionOpen(w: Pick<LotWindow, 'lotStatus' | 'bidDeadline' | 'decryptionMinutes'>, at: Date): boolean {
  // The window is half-open like every deadline: at its closing instant decryption is over.
  return w.lotStatus === 'decrypting' && at.getTime() < w.bidDeadline.getTime() + w.decryptionMinutes * 60_000;
}

// ---- receipts ----

export interface Receipt {
  dealCode: string;
  lotCode: string;
  bidId: string;
  bidder: { entityId: string; name: string };
  /** SM3 of the envelope as received, hex. */
  sm3: string;
  size: number;
  /** Server time the last byte was on disk, ISO 8601 with milliseconds. */
  receivedAt: string;
  attempt: number;
}

/** SM2 signature (DER hex) over the receipt's canonical JSON. */
export function signReceipt(receipt: Receipt, platformPrivateKey: string): string {
  return sm2Sign(canonicalJson(receipt), platformPrivateKey);
}

/** Anyone can check a receipt with the platform's public key (GET /api/v1/public/platform-key). */
export function verifyReceipt(receipt: Receipt | Record<string, unknown>, signature: string, platformPublicKey: string): boolean {
  return sm2Verify(canonicalJson(receipt), signature, platformPublicKey);
}
