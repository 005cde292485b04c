// Kysely table types of the registry schema (migrations/0008_registry.sql), and the shape of a
// version's stored profile.

import type { ColumnType } from 'kysely';
import type { EntityKind, EntityRole, EntityStatus, KeyPersonRole, VersionStatus } from './registry.rules.ts';

/** A personal value at rest: SM4-sealed, a masked copy for display, a keyed digest to compare versions without opening them. */
export interface SealedValue {
  enc: string;
  masked: string;
  digest: string;
}

/** A file in the blob store. */
export interface FileRef {
  digest: string;
  mediaType: string;
  size: number;
  name: string;
}

/** An entity's profile as one version stores it (sensitive values sealed). */
export interface StoredProfile {
  name: string;
  regionCode: string;
  roles: EntityRole[];
  entityType: string | null;
  registeredCapitalWanYuan: number | null;
  establishedOn: string | null;
  address: string;
  businessScope: string | null;
  legalRepresentative: { name: string; idNumber: SealedValue | null } | null;
  contacts: { name: string; phone: SealedValue; email: string | null }[];
  bankAccount: { bankName: string; accountName: string; number: SealedValue } | null;
  qualifications: { id: string; category: string; grade: string; number: string; issuer: string; validFrom: string; validTo: string }[];
  certificates: { id: string; kind: string; number: string; issuer: string; validTo: string | null; file: FileRef | null }[];
  keyPersonnel: {
    id: string;
    name: string;
    role: KeyPersonRole;
    idNumber: SealedValue;
    certificateKind: string;
    certificateNumber: string;
    certificateValidTo: string | null;
  }[];
}

export interface LicenceRef {
  digest: string;
  mediaType: string;
  size: number;
  uploadedAt: string;
}

/** jsonb columns: read as the value, written as its JSON text. */
type Json<T> = ColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null, string | null>;

export interface RegistryTables {
  'registry.entities': {
    id: string;
    kind: EntityKind;
    uscc: string | null;
    id_number_index: string | null;
    id_number_enc: string | null;
    id_number_masked: string | null;
    name: string;
    region_code: string;
    status: EntityStatus;
    roles: EntityRole[];
    current_version_id: string | null;
    registered_by: string | null;
    created_at: Date;
    updated_at: Date;
    approved_at: Date | null;
    version: ColumnType<number, number | undefined, number>;
  };
  'registry.entity_versions': {
    id: string;
    entity_id: string;
    number: number;
    status: VersionStatus;
    data: Json<StoredProfile>;
    licence: NullableJson<LicenceRef>;
    /** What the OCR read (registry.licence.ts: LicenceOcr), stored as it was. */
    ocr: NullableJson<unknown>;
    ocr_error: string | null;
    base_version_id: string | null;
    created_by: string;
    created_at: Date;
    updated_at: Date;
    submitted_by: string | null;
    submitted_at: Date | null;
    reviewed_by: string | null;
    reviewed_at: Date | null;
    review_reason: string | null;
  };
  'registry.qualifications': {
    id: string;
    entity_id: string;
    category: string;
    grade: string;
    number: string;
    issuer: string;
    valid_from: string;
    valid_to: string;
  };
  'registry.key_personnel': {
    id: string;
    entity_id: string;
    name: string;
    role: KeyPersonRole;
    id_number_index: string;
    id_number_masked: string;
    certificate_kind: string;
    certificate_number: string;
    certificate_valid_to: string | null;
  };
}
