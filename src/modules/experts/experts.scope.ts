// Data scope of the expert pool. Experts belong to a region, not to an organisation, so the
// scope is read against the region tree: `province` → every expert; `region` → experts whose
// region lies in the caller's region subtree; `organisation`/`own` → the experts the caller
// registered (an expert has no organisation to share with colleagues).

import type { Principal } from '../../platform/auth/principal.ts';
import { scopeOf } from '../../platform/auth/principal.ts';
import { forbidden } from '../../platform/errors.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import type { ScopeClause } from './experts.repository.ts';

export type ExpertPermission = 'experts.expert.read' | 'experts.expert.write';

export type ExpertScope = { all: true } | { all: false; regionCodes: ReadonlySet<string> | null; createdBy: string | null };

export function expertScope(principal: Principal, permission: ExpertPermission): ExpertScope {
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

export function expertInScope(scope: ExpertScope, expert: { region_code: string; created_by: string | null }): boolean {
  if (scope.all) return true;
  if (scope.regionCodes && !scope.regionCodes.has(expert.region_code)) return false;
  if (scope.createdBy && expert.created_by !== scope.createdBy) return false;
  return true;
}

/**
 * Where the caller may place an expert (create, or move to another region): anywhere for the
 * province, else within the caller's own region subtree — also for `own`, so that an expert
 * registered by a city's clerk is a record of that city.
 */
export function regionPlaceable(scope: ExpertScope, principal: Principal, regionCode: string): boolean {
  return scope.all || loadRegionTree().isWithin(regionCode, principal.regionCode);
}

export function scopeClause(scope: ExpertScope): ScopeClause | null {
  return scope.all ? null : { regionCodes: scope.regionCodes ? [...scope.regionCodes] : null, createdBy: scope.createdBy };
}
