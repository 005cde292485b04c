// Who may see and act on a tender project. Market entities act on projects they are a party to
// (the registering owner — the tenderer or its agency — and the tenderer); any bidder reads a
// project once its notice is public; staff read and act by the data scope of their grant over
// the project's region. Anything else is 404: a project's existence is not disclosed.

import type { Principal } from '../../platform/auth/principal.ts';
import { scopeOf } from '../../platform/auth/principal.ts';
import type { Db } from '../../platform/db/database.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import type { Permission } from '../org/org.permissions.ts';
import { inRegionScope, regionScope, regionScopeClause, type RegionScopeClause } from '../org/org.region-scope.ts';
import * as repo from './trading.projects.repository.ts';
import type { ProjectRow } from './trading.repository.ts';

export type Actor = RequestContext & { principal: Principal };

/** The deal's own clock: the platform's, moved ahead by the demo offset (0 in production). */
export function dealNow(project: Pick<ProjectRow, 'clock_offset_ms'>, now: Date): Date {
  return new Date(now.getTime() + Number(project.clock_offset_ms));
}

const PUBLIC_STATES: ReadonlySet<ProjectRow['status']> = new Set(['bidding', 'after_deadline', 'finished']);

export function isParty(principal: Principal, p: ProjectRow): boolean {
  const e = principal.entityId;
  return e !== null && (p.owner_entity_id === e || p.tenderer_entity_id === e || p.agency_entity_id === e);
}

/** Staff scope over projects: the region subtree, or (own/organisation) the projects they accepted. */
function staffSees(principal: Principal, permission: Permission, p: ProjectRow): boolean {
  if (scopeOf(principal, permission) === undefined) return false;
  return inRegionScope(regionScope(principal, permission), { region_code: p.region_code, created_by: p.accepted_by });
}

export type ProjectNeed = 'read' | 'manage' | 'accept' | 'open' | 'evaluate';

const STAFF_PERMISSION: Record<Exclude<ProjectNeed, 'manage'>, Permission> = {
  read: 'trading.deal.read',
  accept: 'trading.project.accept',
  open: 'trading.opening.conduct',
  evaluate: 'trading.evaluation.manage',
};

export function mayAccess(principal: Principal, p: ProjectRow, need: ProjectNeed): boolean {
  if (need === 'manage') return principal.entityId !== null && p.owner_entity_id === principal.entityId && scopeOf(principal, 'trading.tender.manage') !== undefined;
  if (principal.entityId !== null) {
    if (need !== 'read') return false;
    if (isParty(principal, p) && scopeOf(principal, 'trading.tender.manage') !== undefined) return true;
    return PUBLIC_STATES.has(p.status) && scopeOf(principal, 'trading.bid.submit') !== undefined;
  }
  return staffSees(principal, STAFF_PERMISSION[need], p);
}

/** The project, if the caller may do `need` with it (404 otherwise). */
export async function projectFor(db: Db, actor: Actor, id: string, need: ProjectNeed): Promise<ProjectRow> {
  const p = await repo.findProject(db, id);
  if (!p || !mayAccess(actor.principal, p, need)) {
    // A party that may read but not act gets 403, so the screen can say why.
    if (p && need !== 'read' && mayAccess(actor.principal, p, 'read')) throw forbidden('您不能在此项目上执行该操作');
    throw notFound('招标项目');
  }
  return p;
}

/** The listing filter for the caller. */
export type ListScope = { kind: 'entity'; entityId: string; bidder: boolean; party: boolean } | { kind: 'staff'; clause: RegionScopeClause | null };

/** `mine`: an entity's own projects only (as owner, tenderer or agency), not every published one. */
export function listScope(principal: Principal, mine = false): ListScope {
  if (principal.entityId !== null) {
    const party = scopeOf(principal, 'trading.tender.manage') !== undefined;
    const bidder = !mine && scopeOf(principal, 'trading.bid.submit') !== undefined;
    if (!party && !bidder) throw forbidden(mine ? '只有招标人或招标代理机构的账号有「我的项目」' : undefined);
    return { kind: 'entity', entityId: principal.entityId, bidder, party };
  }
  return { kind: 'staff', clause: regionScopeClause(regionScope(principal, 'trading.deal.read')) };
}
