// Shapes of the trading API answers only the bid screens read (src/modules/trading/*.schemas.ts).

// The project, its lots and the deal's timeline are the tender screens' own shapes (one
// definition of each answer).
export type { DealEventItem, DealTimeline as Timeline, TenderLot, TenderProject } from '../types';

export interface SealingKeyInfo {
  id: string;
  label: string;
  publicKey: string;
  fingerprint: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface BidReceipt {
  dealCode: string;
  lotCode: string;
  bidId: string;
  bidder: { entityId: string; name: string };
  sm3: string;
  size: number;
  receivedAt: string;
  attempt: number;
}

export type BidStatus = 'uploading' | 'received' | 'replaced' | 'withdrawn' | 'incomplete' | 'decrypted' | 'decrypt_failed_bidder' | 'decrypt_failed_platform';

export interface Bid {
  id: string;
  lotId: string;
  dealCode: string;
  lotCode: string;
  attempt: number;
  status: BidStatus;
  failureReason: string | null;
  startedAt: string;
  size: number | null;
  sm3Digest: string | null;
  commitKey: string | null;
  receivedAt: string | null;
  receipt: BidReceipt | null;
  receiptSignature: string | null;
  replacedAt: string | null;
  withdrawnAt: string | null;
  decryptAttempts: number;
  decryptedAt: string | null;
  decryptFailure: string | null;
  plaintextDigest: string | null;
}

export interface BidSeal {
  sealingKeyId: string;
  label: string;
  fingerprint: string;
  sealedKey: string;
  via: string;
  addedAt: string;
  keyRevoked: boolean;
}

export interface BidSecurity {
  id: string;
  form: 'cash' | 'guarantee';
  amountFen: number;
  payingAccountMasked: string | null;
  guaranteeNo: string | null;
  issuerId: string | null;
  verified: boolean;
  submittedAt: string;
}

/** One row of 我的投标 (GET /api/v1/trading/bids/mine): the latest attempt on a lot. */
export interface MyBidListItem {
  projectId: string;
  projectName: string;
  lotName: string;
  lotStatus: string;
  lotStatusName: string;
  bidDeadline: string | null;
  bid: Bid;
}

export interface MyBid {
  lot: { lotId: string; lotCode: string; dealCode: string; lotName: string; lotStatus: string; bidDeadline: string };
  bid: Bid | null;
  seals: BidSeal[];
  rehearsals: { id: string; sealingKeyId: string | null; ok: boolean; at: string }[];
  attempts: { id: string; attempt: number; status: BidStatus; failureReason: string | null; startedAt: string; receivedAt: string | null }[];
  security: BidSecurity | null;
}

export interface IntakeResult {
  bid: Bid;
  receipt: BidReceipt;
  signature: string;
  replacedBidId: string | null;
}

export interface StaffBids {
  disclosed: boolean;
  count: number;
  receivedAt?: string[];
  bids?: { id: string; bidder: { entityId: string; name: string }; status: BidStatus; receivedAt: string | null; decryptFailure: string | null }[];
}

export interface PlatformKey {
  algorithm: string;
  publicKey: string;
  userId: string;
  signs: string;
}

/** A row of the published opening record (the `opening_published` event's payload). */
export interface OpeningRow {
  bidder: string;
  outcome: 'decrypted' | 'bidder_failed' | 'platform_failed';
  price: string | null;
}
