// Data scope of the credit library: a record belongs to the region that issued it, so the
// region-owned record scope of org applies (see org.region-scope.ts).

import type { Principal } from '../../platform/auth/principal.ts';
import { inRegionScope, regionPlaceable, regionScope, regionScopeClause, type RegionScope } from '../org/org.region-scope.ts';

export type CreditPermission = 'credit.record.read' | 'credit.record.write' | 'credit.objection.file' | 'credit.objection.decide' | 'credit.repair.decide';
export type CreditScope = RegionScope;

export function creditScope(principal: Principal, permission: CreditPermission): CreditScope {
  return regionScope(principal, permission);
}

export const recordInScope = inRegionScope;
/** Where the caller may issue a record. */
export const regionIssuable = regionPlaceable;
export const scopeClause = regionScopeClause;
