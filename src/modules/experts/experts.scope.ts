// Data scope of the expert pool: experts belong to a region, not to an organisation, so the
// region-owned record scope of org applies (see org.region-scope.ts).

import type { Principal } from '../../platform/auth/principal.ts';
import { inRegionScope, regionPlaceable as placeable, regionScope, regionScopeClause, type RegionScope } from '../org/org.region-scope.ts';

export type ExpertPermission = 'experts.expert.read' | 'experts.expert.write';
export type ExpertScope = RegionScope;

export function expertScope(principal: Principal, permission: ExpertPermission): ExpertScope {
  return regionScope(principal, permission);
}

export const expertInScope = inRegionScope;
/** Where the caller may place an expert (create, or move to another region). */
export const regionPlaceable = placeable;
export const scopeClause = regionScopeClause;
