// Kysely table types of the credit schema (migrations/0006_credit.sql).

import type { ColumnType, Generated } from 'kysely';
import type { NotRepairableReason, ParticipantRole, RecordStatus, RecordType, Severity, SubjectKind } from './credit.rules.ts';

/** A reference to an evidence document (there is no file store yet): its name, SM3 digest and size. */
export interface EvidenceRef {
  name: string;
  sm3Digest: string;
  size: number;
}

/** jsonb: read as the list, written as its JSON text (node-postgres would send an array as a PostgreSQL array). */
export type EvidenceColumn = ColumnType<EvidenceRef[], string, string>;

export interface CreditTables {
  'credit.records': {
    id: string;
    subject_kind: SubjectKind;
    subject_key: string;
    subject_name: string;
    id_number_enc: string | null;
    id_number_masked: string | null;
    participant_role: ParticipantRole;
    type: RecordType;
    severity: Severity | null;
    title: string;
    facts: string;
    legal_basis: string;
    source_department: string;
    region_code: string;
    decision_number: string;
    /** `YYYY-MM-DD` (date columns stay strings). */
    decision_date: string;
    evidence: EvidenceColumn;
    effective_from: string;
    effective_to: string | null;
    status: RecordStatus;
    disclosure_months: number | null;
    disclosure_to: string | null;
    ban_categories: string[] | null;
    ban_region_code: string | null;
    ban_from: string | null;
    ban_to: string | null;
    not_repairable_reason: NotRepairableReason | null;
    created_by: string | null;
    created_at: Date;
    updated_at: Date;
    version: Generated<number>;
  };
  'credit.objections': {
    id: string;
    record_id: string;
    reason: string;
    evidence: EvidenceColumn;
    filed_by: string;
    filed_on_behalf: string;
    filed_at: Date;
    filed_on: string;
    due_on: string;
    status: 'pending' | 'upheld' | 'dismissed';
    decision_reason: string | null;
    decided_by: string | null;
    decided_at: Date | null;
  };
  'credit.repairs': {
    id: string;
    record_id: string;
    obligations: string;
    evidence: EvidenceColumn;
    commitment_text: string;
    requested_by: string;
    requested_at: Date;
    status: 'pending' | 'approved' | 'rejected';
    decision_reason: string | null;
    decided_by: string | null;
    decided_at: Date | null;
  };
}
