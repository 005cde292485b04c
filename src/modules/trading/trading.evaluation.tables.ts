// Kysely table types of the steps after the opening (migrations/0016_trading_evaluation.sql).

import type { ColumnType, Generated } from 'kysely';
import type { EvaluationReport } from '../evaluation/evaluation.report.ts';
import type { DocumentSignature } from '../../platform/documents/signature.ts';

/** jsonb: read as the value, written as its JSON text. */
type Json<T> = ColumnType<T, string, string>;

/** One expert's mark on one criterion of one bid, as stored (the evaluation module's ExpertScore without the expert). */
export interface StoredMark {
  bidId: string;
  criterionId: string;
  points?: number;
  pass?: boolean;
  reason?: string;
}

/** One expert's vote to reject a bid (否决投标), with its reason. */
export interface StoredRejection {
  bidId: string;
  reason: string;
}

export interface StoredCandidate {
  rank: number;
  bidId: string;
  bidderEntityId: string;
  bidderName: string;
  priceFen: number;
  totalPoints: number | null;
  evaluatedPriceFen: number | null;
}

export interface EvaluationTables {
  'trading.evaluations': {
    lot_id: string;
    deal_code: string;
    lot_code: string;
    draw_id: string;
    drawn_at: Date;
    started_at: Date | null;
    reported_at: Date | null;
    report: Json<EvaluationReport> | null;
    report_digest: string | null;
    report_signature: Json<DocumentSignature> | null;
    outcome: 'ok' | 'insufficient_competition' | null;
  };
  'trading.evaluation_scores': {
    lot_id: string;
    expert_id: string;
    seat: number;
    marks: Json<StoredMark[]>;
    rejections: Json<StoredRejection[]>;
    submitted_at: Date | null;
    confirmed_at: Date | null;
    version: Generated<number>;
  };
  'trading.candidate_publicities': {
    lot_id: string;
    notice_id: string;
    candidates: Json<StoredCandidate[]>;
    publicity_from: Date;
    publicity_until: Date;
    published_by: string;
  };
  'trading.awards': {
    lot_id: string;
    bid_id: string;
    winner_entity_id: string;
    winner_name: string;
    price_fen: number;
    candidate_rank: number;
    deviation_reason: string | null;
    awarded_at: Date;
    awarded_by: string;
    notice_digest: string;
    notice_signature: Json<DocumentSignature>;
    result_notice_id: string;
  };
  'trading.contracts': {
    lot_id: string;
    price_fen: number;
    signed_on: string;
    file_name: string;
    file_digest: string;
    file_size: number;
    notice_id: string;
    recorded_at: Date;
    recorded_by: string;
  };
  'trading.security_releases': {
    bid_id: string;
    lot_id: string;
    bidder_entity_id: string;
    amount_fen: number;
    released_at: Date;
    due_on: string;
    /** lot_outcome: after the contract or the lot's failure; withdrawn: 撤回 before the deadline; tenderer_refund: a 撤销 bid's security the tenderer's side chose to refund. */
    reason: ReleaseReason;
  };
  'trading.price_adjustments': {
    lot_id: string;
    seq: number;
    bid_id: string;
    /** Signed integer fen: added to the bid price to give the evaluated price. */
    amount_fen: number;
    reason: string;
    /** The panel member (expert id) who recorded the committee's adjustments. */
    recorded_by: string;
    recorded_at: Date;
  };
  'trading.security_decisions': {
    bid_id: string;
    lot_id: string;
    bidder_entity_id: string;
    decision: 'keep' | 'refund';
    reason: string;
    decided_by: string;
    decided_at: Date;
  };
}

export type ReleaseReason = 'lot_outcome' | 'withdrawn' | 'tenderer_refund';
