// Kysely table types of the trading schema (migrations/0011_trading_tender.sql).

import type { Generated } from 'kysely';

/** Where a tender project stands (the state machine is in trading.rules.ts). */
export type ProjectStatus = 'draft' | 'submitted' | 'returned' | 'accepted' | 'notice_review' | 'bidding' | 'after_deadline' | 'finished';

/** Where a lot stands once bidding has started; `pending` before. */
export type LotStatus = 'pending' | 'bidding' | 'failed' | 'decrypting' | 'opened' | 'evaluating' | 'evaluated' | 'publicity' | 'awarded' | 'contracted' | 'closed';

export type LotKind = 'construction' | 'goods' | 'services' | 'survey' | 'design' | 'supervision';

export interface TradingTables {
  'trading.projects': {
    id: string;
    deal_code: string | null;
    name: string;
    investment_code: string | null;
    category: string;
    tender_method: 'open' | 'invited';
    region_code: string;
    tenderer_entity_id: string;
    agency_entity_id: string | null;
    owner_entity_id: string;
    supervising_department: string;
    funding_source: string;
    description: Generated<string>;
    status: ProjectStatus;
    status_reason: string | null;
    documents_from: Date | null;
    documents_until: Date | null;
    bid_deadline: Date | null;
    bid_validity_days: number | null;
    decryption_minutes: number | null;
    paused_since: Date | null;
    clock_offset_ms: Generated<number>;
    submitted_at: Date | null;
    accepted_at: Date | null;
    accepted_by: string | null;
    published_at: Date | null;
    created_by: string;
    created_at: Date;
    updated_at: Date;
    version: Generated<number>;
  };
  'trading.lots': {
    id: string;
    project_id: string;
    lot_no: number;
    lot_code: string | null;
    name: string;
    kind: LotKind;
    /** Integer fen (int8 is parsed as a JS number: exact up to 2^53 fen, ≈ 900 亿元). */
    estimated_price_fen: number;
    bid_security_fen: Generated<number>;
    evaluation_method: unknown;
    status: LotStatus;
    status_reason: string | null;
    updated_at: Date;
    version: Generated<number>;
  };
  'trading.notices': {
    id: string;
    project_id: string;
    deal_code: string;
    lot_id: string | null;
    kind: 'tender' | 'amendment' | 'opening_record' | 'failure' | 'candidates' | 'result' | 'contract';
    title: string;
    body: string;
    status: 'draft' | 'submitted' | 'approved' | 'rejected' | 'published';
    review_reason: string | null;
    corrects_id: string | null;
    document_digest: string | null;
    signature: string | null;
    publish_at: Date | null;
    published_at: Date | null;
    created_by: string | null;
    created_at: Date;
    reviewed_by: string | null;
    reviewed_at: Date | null;
    version: Generated<number>;
  };
  'trading.documents': {
    id: string;
    project_id: string;
    deal_code: string;
    kind: 'tender_documents' | 'clarification' | 'drawing' | 'bill_of_quantities';
    file_name: string;
    media_type: string;
    blob_digest: string;
    size: number;
    uploaded_by: string;
    uploaded_at: Date;
    published_at: Date | null;
  };
  'trading.downloads': {
    id: string;
    project_id: string;
    deal_code: string;
    document_id: string;
    entity_id: string;
    account_id: string;
    client_ip: string | null;
    at: Date;
  };
  'trading.clarifications': {
    id: string;
    project_id: string;
    deal_code: string;
    number: number;
    title: string;
    body: string;
    document_id: string | null;
    issued_by: string;
    issued_at: Date;
    deadline_before: Date;
    deadline_after: Date;
  };
  'trading.objections': {
    id: string;
    project_id: string;
    deal_code: string;
    lot_id: string | null;
    subject: 'documents' | 'opening' | 'candidates';
    entity_id: string;
    filed_by: string;
    filed_at: Date;
    content: string;
    reply_due: Date;
    reply: string | null;
    replied_by: string | null;
    replied_at: Date | null;
  };
  'trading.openings': {
    lot_id: string;
    deal_code: string;
    lot_code: string;
    started_at: Date;
    decryption_closes_at: Date;
    ended_at: Date | null;
    bids_received: number;
    record: unknown;
    document_digest: string | null;
    signature: string | null;
  };
  'trading.opening_results': {
    id: string;
    lot_id: string;
    deal_code: string;
    lot_code: string;
    bid_id: string;
    bidder_entity_id: string;
    bidder_name: string;
    outcome: 'decrypted' | 'bidder_failed' | 'platform_failed';
    received_at: Date;
    price_fen: number | null;
    /** Opening items of the bid package form: durationDays, qualityStandard, projectManager, remarks. */
    items: unknown;
    package_digest: string | null;
    decided_at: Date;
  };
}
