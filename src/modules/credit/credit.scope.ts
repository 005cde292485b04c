// Data scope of the credit library. A record belongs to the region that issued it: `province` →
// every record; `region` → records issued within the caller's region subtree; `organisation` and
// `own` → the records the caller created. Where a record may be issued follows experts: anywhere
// for the province, else within the caller's own region subtree.

import type { Principal } from '../../platform/auth/principal.ts';
import { scopeOf } from '../../platform/auth/principal.ts';
import { forbidden } from '../../platform/errors.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import type { ScopeClause } from './credit.repository.ts';

export type CreditPermission = 'credit.record.read' | 'credit.record.write' | 'credit.objection.file' | 'credit.objection.decide' | 'credit.repair.decide';

export type CreditScope = { all: true } | { all: false; regionCodes: ReadonlySet<string> | null; createdBy: string | null };

export function creditScope(principal: Principal, permission: CreditPermission): CreditScope {
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

export function recordInScope(scope: CreditScope, record: { region_code: string; created_by: string | null }): boolean {
  if (scope.all) return true;
  if (scope.regionCodes && !scope.regionCodes.has(record.region_code)) return false;
  if (scope.createdBy && record.created_by !== scope.createdBy) return false;
  return true;
}

export function regionIssuable(scope: CreditScope, principal: Principal, regionCode: string): boolean {
  return scope.all || loadRegionTree().isWithin(regionCode, principal.regionCode);
}

export function scopeClause(scope: CreditScope): ScopeClause | null {
  return scope.all ? null : { regionCodes: scope.regionCodes ? [...scope.regionCodes] : null, createdBy: scope.createdBy };
}
