// Kysely table types of the experts schema (migrations/0005_experts.sql, 0028_expert_references.sql).

import type { ColumnType, Generated } from 'kysely';
import type { ExpertStatus, RelationKind } from './experts.rules.ts';

export interface ExpertsTables {
  'experts.specialties': {
    code: string;
    name: string;
    parent_code: string | null;
    level: 1 | 2;
  };
  'experts.experts': {
    id: string;
    name: string;
    id_number_enc: string;
    id_number_index: string;
    id_number_masked: string;
    gender: 'male' | 'female';
    /** `YYYY-MM-DD` (date columns stay strings). */
    birth_date: string;
    phone_enc: string;
    phone_masked: string;
    region_code: string;
    employer_name: string;
    employer_uscc: string;
    titles: string[];
    status: ExpertStatus;
    status_reason: string | null;
    created_by: string | null;
    created_at: Date;
    updated_at: Date;
    version: Generated<number>;
    /** The node holding the record of truth (migration 0028); null: this node's own expert. */
    home_node: ColumnType<string | null, string | null | undefined, string | null>;
    refreshed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  };
  'experts.expert_specialties': {
    code: string;
    expert_id: string;
    is_primary: boolean;
  };
  'experts.unavailability': {
    id: string;
    expert_id: string;
    from_date: string;
    to_date: string;
    reason: string;
    created_by: string | null;
    created_at: Date;
  };
  'experts.relations': {
    id: string;
    expert_id: string;
    uscc: string;
    kind: RelationKind;
    note: string;
    declared_on: string;
    created_by: string | null;
    created_at: Date;
  };
}
