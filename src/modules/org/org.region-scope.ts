// Data scope of records that belong to a region rather than to an organisation (experts, credit
// records, …): `province` → every record; `region` → records of the caller's region subtree;
// `organisation`/`own` → the records the caller created (such a record has no organisation to
// share with colleagues). Where a new record may be placed: anywhere for the province, else
// within the caller's own region subtree — also for `own`, so that a record a city's clerk
// creates is a record of that city.

import type { Principal } from '../../platform/auth/principal.ts';
import { scopeOf } from '../../platform/auth/principal.ts';
import { forbidden } from '../../platform/errors.ts';
import type { Permission } from './org.permissions.ts';
import { loadRegionTree } from './org.regions.ts';

export type RegionScope = { all: true } | { all: false; regionCodes: ReadonlySet<string> | null; createdBy: string | null };

/** The scope as a repository filter: region codes and/or creator (null: everything). */
export interface RegionScopeClause {
  regionCodes: string[] | null;
  createdBy: string | null;
}

export function regionScope(principal: Principal, permission: Permission): RegionScope {
  const scope = scopeOf(principal, permission);
  if (scope === undefined) throw forbidden();
  switch (scope) {
    case 'province':
      return { all: true };
    case 'region':
      return { all: false, regionCodes: new Set(loadRegionTree().subtree(principal.regionCode)), createdBy: null };
    case 'organisation':
    case 'own':
      return { all: false, regionCodes: null, createdBy: principal.accountId };
    default: {
      const never: never = scope;
      throw new Error(`unknown scope ${String(never)}`);
    }
  }
}

export function inRegionScope(scope: RegionScope, record: { region_code: string; created_by: string | null }): boolean {
  if (scope.all) return true;
  if (scope.regionCodes && !scope.regionCodes.has(record.region_code)) return false;
  if (scope.createdBy && record.created_by !== scope.createdBy) return false;
  return true;
}

export function regionPlaceable(scope: RegionScope, principal: Principal, regionCode: string): boolean {
  return scope.all || loadRegionTree().isWithin(regionCode, principal.regionCode);
}

export function regionScopeClause(scope: RegionScope): RegionScopeClause | null {
  return scope.all ? null : { regionCodes: scope.regionCodes ? [...scope.regionCodes] : null, createdBy: scope.createdBy };
}
