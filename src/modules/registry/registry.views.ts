// Mappers from rows to the API's shapes. Whether personal values show in clear is decided by
// the caller (the entity's own users, an audited reveal) and passed in as a Disclosure.

import type { Static } from '@sinclair/typebox';
import type { Deps } from '../../platform/deps.ts';
import { accountDisplayNames } from '../identity/identity.accounts.ts';
import type { Comparison } from './registry.schemas.ts';
import { iso } from '../../platform/http/schemas.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import { changesBetween, profileView, type Disclosure } from './registry.profile.ts';
import type { EntityRow, VersionRow } from './registry.repository.ts';
import type { StoredProfile } from './registry.tables.ts';

export function clearFor(deps: Deps, entityId: string): Disclosure {
  return { clear: true, key: deps.keys.master, entityId };
}

export const MASKED: Disclosure = { clear: false };

export function mapEntity(e: EntityRow, warnings: number) {
  return {
    id: e.id,
    kind: e.kind,
    uscc: e.uscc,
    idNumberMasked: e.id_number_masked,
    name: e.name,
    regionCode: e.region_code,
    regionName: loadRegionTree().fullName(e.region_code),
    status: e.status,
    statusReason: e.status_reason,
    roles: e.roles,
    createdAt: e.created_at.toISOString(),
    approvedAt: iso(e.approved_at),
    qualificationWarnings: warnings,
  };
}

function kindOf(v: VersionRow): 'registration' | 'change' {
  return v.base_version_id === null ? 'registration' : 'change';
}

/** Display names of the accounts that created and reviewed these versions (who did what). */
export async function namesOf(deps: Deps, versions: VersionRow[]): Promise<ReadonlyMap<string, string>> {
  return accountDisplayNames(
    deps,
    versions.flatMap((v) => (v.reviewed_by ? [v.created_by, v.reviewed_by] : [v.created_by])),
  );
}

/** The history line of a version: what it changes against the version it started from. */
export function mapVersionSummary(v: VersionRow, base: StoredProfile | null, names: ReadonlyMap<string, string>) {
  return {
    id: v.id,
    number: v.number,
    status: v.status,
    kind: kindOf(v),
    changes: changesBetween(base, v.data),
    createdBy: v.created_by,
    createdByName: names.get(v.created_by) ?? '',
    reviewedByName: v.reviewed_by ? (names.get(v.reviewed_by) ?? '') : null,
    createdAt: v.created_at.toISOString(),
    submittedAt: iso(v.submitted_at),
    reviewedBy: v.reviewed_by,
    reviewedAt: iso(v.reviewed_at),
    reviewReason: v.review_reason,
  };
}

/** Summaries of a history, each against the approved version it was based on, with who did what. */
export async function mapHistory(deps: Deps, versions: VersionRow[]) {
  const byId = new Map(versions.map((v) => [v.id, v]));
  const names = await namesOf(deps, versions);
  return versions.map((v) => mapVersionSummary(v, v.base_version_id ? (byId.get(v.base_version_id)?.data ?? null) : null, names));
}

export interface VersionExtras {
  base: StoredProfile | null;
  names: ReadonlyMap<string, string>;
  comparison: Static<typeof Comparison> | null;
  ocr: { engine: string; durationMs: number; fields: Record<string, { text: string; confidence: number } | null> } | null;
}

export function mapVersion(v: VersionRow, disclosure: Disclosure, today: string, extras: VersionExtras) {
  return {
    ...mapVersionSummary(v, extras.base, extras.names),
    entityId: v.entity_id,
    profile: profileView(v.data, disclosure, today),
    licence: v.licence,
    ocr: extras.ocr,
    ocrError: v.ocr_error,
    comparison: extras.comparison,
    updatedAt: v.updated_at.toISOString(),
  };
}
