// Kysely table types of the panel draws (migrations/0013_expert_draws.sql). jsonb columns are
// written as JSON text and read back parsed.

import type { ColumnType } from 'kysely';
import type { MemberState } from './experts.draw.rules.ts';

type Json<T> = ColumnType<T, string, string>;

export interface DrawNeed {
  specialtyCode: string;
  count: number;
}

export interface DrawRequestRecord {
  dealCode: string;
  lotCode: string | null;
  dealRegionCode: string;
  category: string;
  regionCodes: string[];
  evaluationDate: string;
  needs: DrawNeed[];
  reserves: number;
  avoid: { usccs: string[]; supervisingDepartment: { name: string; uscc: string | null } | null };
  tendererRepresentatives: number;
}

export interface EligibleList {
  specialtyCode: string;
  ids: string[];
}

export interface ExclusionRecord {
  specialtyCode: string;
  candidates: number;
  /** Reason → ids of the candidates left out for it (sorted). */
  excluded: Record<string, string[]>;
}

export interface ResultRecord {
  specialtyCode: string;
  members: string[];
  reserves: string[];
}

export interface DrawTables {
  'experts.draws': {
    id: string;
    deal_code: string;
    lot_code: string | null;
    region_code: string;
    category: string;
    evaluation_date: string;
    request: Json<DrawRequestRecord>;
    request_digest: string;
    status: 'open' | 'confirmed';
    drawn_by: string;
    drawn_at: Date;
    confirmed_by: string | null;
    confirmed_at: Date | null;
    revealed_at: Date | null;
    /** The procedure whose routes run this draw's steps (answers, top-ups, confirmation); null for a draw of its own. */
    managed_by: 'trading' | null;
  };
  'experts.draw_rounds': {
    draw_id: string;
    round_no: number;
    seed: string;
    algorithm: string;
    needs: Json<DrawNeed[]>;
    reserves: number;
    eligible: Json<EligibleList[]>;
    eligible_digest: string;
    exclusions: Json<ExclusionRecord[]>;
    result: Json<ResultRecord[]>;
    drawn_by: string;
    drawn_at: Date;
  };
  'experts.draw_members': {
    draw_id: string;
    expert_id: string;
    specialty_code: string;
    round_no: number;
    kind: 'member' | 'reserve';
    rank: number;
    state: MemberState;
    called_at: Date | null;
    replaces_expert_id: string | null;
    answer_reason: string | null;
    answered_at: Date | null;
    answered_by: string | null;
  };
}
