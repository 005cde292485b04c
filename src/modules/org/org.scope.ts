// Data scope: which organisations' records a caller may see or change for one permission.
// Other modules ask here (through these functions), never by reading org tables themselves.

import { sql, type RawBuilder } from 'kysely';
import type { Principal } from '../../platform/auth/principal.ts';
import { scopeOf } from '../../platform/auth/principal.ts';
import type { Db } from '../../platform/db/database.ts';
import { forbidden } from '../../platform/errors.ts';
import type { Permission } from './org.permissions.ts';
import { loadRegionTree } from './org.regions.ts';
import * as repo from './org.repository.ts';
import type { DataScope } from './org.tables.ts';

export type ScopeFilter =
  | { all: true; scope: 'province' }
  /** Records of these organisations, plus (scope `own`) records created by `ownerId`. */
  | { all: false; scope: Exclude<DataScope, 'province'>; organisationIds: string[]; ownerId: string | null };

export async function resolveScope(db: Db, principal: Principal, permission: Permission): Promise<ScopeFilter> {
  const scope = scopeOf(principal, permission);
  if (scope === undefined) throw forbidden();
  switch (scope) {
    case 'province':
      return { all: true, scope };
    case 'region':
      return { all: false, scope, organisationIds: await repo.organisationIdsInRegions(db, loadRegionTree().subtree(principal.regionCode)), ownerId: null };
    case 'organisation':
      // A market entity's account has no platform organisation: the scope reaches none.
      return { all: false, scope, organisationIds: principal.organisationId === null ? [] : await repo.organisationSubtreeIds(db, principal.organisationId), ownerId: null };
    case 'own':
      return { all: false, scope, organisationIds: [], ownerId: principal.accountId };
    default: {
      const never: never = scope;
      throw new Error(`unknown scope ${String(never)}`);
    }
  }
}

/**
 * The scope as one SQL condition over a table's organisation and creator columns, for list
 * queries (null: no restriction). One array parameter, whatever the number of organisations.
 */
export function scopeCondition(filter: ScopeFilter, organisationColumn: string, creatorColumn: string): RawBuilder<boolean> | null {
  if (filter.all) return null;
  const parts: RawBuilder<boolean>[] = [];
  if (filter.organisationIds.length > 0) parts.push(sql<boolean>`${sql.ref(organisationColumn)} = ANY(${filter.organisationIds}::uuid[])`);
  if (filter.ownerId !== null) parts.push(sql<boolean>`${sql.ref(creatorColumn)} = ${filter.ownerId}`);
  if (parts.length === 0) return sql<boolean>`false`;
  return sql<boolean>`(${sql.join(parts, sql` OR `)})`;
}

/** Whether a record (its organisation and creator) lies inside the scope. */
export function inScope(filter: ScopeFilter, organisationId: string | null, createdBy: string | null): boolean {
  if (filter.all) return true;
  if (filter.ownerId !== null && createdBy === filter.ownerId) return true;
  return organisationId !== null && filter.organisationIds.includes(organisationId);
}

/** Whether the scope reaches a region (for records placed by region, e.g. a new root organisation). */
export function regionInScope(filter: ScopeFilter, principal: Principal, regionCode: string): boolean {
  if (filter.all) return true;
  return filter.scope === 'region' && loadRegionTree().isWithin(regionCode, principal.regionCode);
}

const regionOfOrganisation = new Map<string, string>();

/**
 * The region of an organisation, on every request's path. An organisation's region is fixed at
 * creation (no route changes it), so the answer can be kept for the life of the process.
 */
export async function organisationRegion(db: Db, organisationId: string): Promise<string> {
  const known = regionOfOrganisation.get(organisationId);
  if (known) return known;
  const row = await repo.findOrganisation(db, organisationId);
  if (!row) throw new Error(`organisation ${organisationId} of a signed-in account does not exist`);
  regionOfOrganisation.set(organisationId, row.region_code);
  return row.region_code;
}
