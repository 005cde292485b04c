// Kysely table types of the portal schema (migrations/0017_portal.sql, 0019_portal_search.sql).

import type { Generated } from 'kysely';

export interface PortalTables {
  'portal.deals': {
    deal_code: string;
    name: string;
    category: string;
    sub_category: string;
    region_code: string;
    city_code: string | null;
    tenderer_name: string;
    agency_name: string | null;
    tender_method: string | null;
    supervising_department: string | null;
    stage: string;
    bid_deadline: Date | null;
    accepted_at: Date;
    updated_at: Date;
    last_seq: number;
    /** A tsvector; written as a literal (portal.text searchVector). */
    tsv: string;
  };
  'portal.lots': {
    lot_code: string;
    deal_code: string;
    lot_no: number;
    name: string;
    /** bigint columns arrive as strings. */
    estimated_price_fen: string | number | null;
    stage: string;
    winner_name: string | null;
    award_price_fen: string | number | null;
    contract_price_fen: string | number | null;
    updated_at: Date;
  };
  'portal.notices': {
    id: string;
    deal_code: string;
    lot_code: string | null;
    kind: string;
    title: string;
    body: string;
    category: string;
    sub_category: string;
    region_code: string;
    city_code: string | null;
    published_at: Date;
    closes_at: Date | null;
    corrects_id: string | null;
    corrected_at: Date | null;
    document_sm3: string | null;
    details: unknown;
    event_id: string | number;
    tsv: string;
  };
  'portal.timeline': {
    deal_code: string;
    seq: number;
    lot_code: string | null;
    type: string;
    label: string;
    summary: string;
    notice_id: string | null;
    occurred_at: Date;
  };
  'portal.meta': {
    singleton: Generated<boolean>;
    version: string | number;
    updated_at: Date;
  };
  /** migrations/0019_portal_search.sql: how many notices hold each lexeme. */
  'portal.lexemes': {
    lexeme: string;
    notices: number;
  };
}
