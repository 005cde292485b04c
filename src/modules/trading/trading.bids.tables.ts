// Kysely table types of the sealed bids (migrations/0012_trading_bids.sql).

import type { ColumnType, Generated } from 'kysely';

export type BidStatus = 'uploading' | 'received' | 'replaced' | 'withdrawn' | 'incomplete' | 'decrypted' | 'decrypt_failed_bidder' | 'decrypt_failed_platform';
export type BidFailureReason = 'interrupted' | 'late' | 'malformed' | 'refused' | 'crashed';

/** jsonb columns: read as the value, written as its JSON text. */
type Json<T> = ColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null, string | null>;

export interface TradingBidTables {
  'trading.sealing_keys': {
    id: string;
    entity_id: string;
    public_key: string;
    label: string;
    fingerprint: string;
    created_by: string;
    created_at: Date;
    revoked_at: Date | null;
    revoked_by: string | null;
  };
  'trading.bids': {
    id: string;
    lot_id: string;
    deal_code: string;
    lot_code: string;
    bidder_entity_id: string;
    attempt: number;
    status: BidStatus;
    failure_reason: BidFailureReason | null;
    submitted_by: string;
    started_at: Date;
    intake_node: string;
    blob_digest: string | null;
    /** int8, parsed as a JS number (exact far beyond any bid size). */
    size: number | null;
    header: NullableJson<Record<string, unknown>>;
    commit_key: string | null;
    received_at: Date | null;
    receipt: NullableJson<Record<string, unknown>>;
    receipt_signature: string | null;
    fingerprint: Json<Record<string, unknown>>;
    replaced_at: Date | null;
    withdrawn_at: Date | null;
    decrypt_attempts: Generated<number>;
    decrypted_at: Date | null;
    plaintext_digest: string | null;
    plaintext_size: number | null;
    decrypt_failure: string | null;
    updated_at: Date;
  };
  'trading.bid_key_seals': {
    bid_id: string;
    sealing_key_id: string;
    sealed_key: string;
    via: 'upload' | 'reseal';
    proof: string | null;
    added_by: string;
    added_at: Date;
  };
  'trading.bid_rehearsals': {
    id: string;
    bid_id: string;
    sealing_key_id: string | null;
    ok: boolean;
    account_id: string;
    at: Date;
  };
  'trading.guarantee_issuers': {
    id: string;
    name: string;
    uscc: string;
    public_key: string;
    status: 'active' | 'suspended';
    created_by: string;
    created_at: Date;
  };
  'trading.bid_securities': {
    id: string;
    lot_id: string;
    bidder_entity_id: string;
    bid_id: string | null;
    form: 'cash' | 'guarantee';
    amount_fen: number;
    paying_account_masked: string | null;
    paying_account_digest: string | null;
    guarantee: NullableJson<Record<string, unknown>>;
    guarantee_signature: string | null;
    issuer_id: string | null;
    verified: boolean;
    /** released: given back at a withdrawal before the deadline (a new bid needs a new security). */
    status: 'active' | 'superseded' | 'released' | 'retained';
    submitted_by: string;
    submitted_at: Date;
  };
}
