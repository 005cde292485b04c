// Reading tender projects: the list in the caller's scope, one project with its lots, and the
// deal's timeline (the whole process from its event stream).

import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { timelineOf, type DealEventRecord } from '../../platform/events/deal-events.ts';
import { entityNames } from '../registry/registry.facts.ts';
import { listScope, mayAccess, projectFor, type Actor } from './trading.access.ts';
import * as repo from './trading.projects.repository.ts';
import type { LotRow, ProjectRow } from './trading.repository.ts';
import type { ProjectStatus } from './trading.tables.ts';

export async function listProjects(deps: Deps, actor: Actor, q: { status?: ProjectStatus | undefined; q?: string | undefined; mine?: boolean | undefined; page: number; pageSize: number }) {
  const { rows, total } = await repo.listProjects(deps.db, listScope(actor.principal, q.mine === true), { status: q.status, q: q.q, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
  const lots = await repo.lotsOf(
    deps.db,
    rows.map((r) => r.id),
  );
  return { rows, lots, total, names: await entityNames(deps.db, rows.flatMap(partiesOf)) };
}

function partiesOf(p: ProjectRow): string[] {
  return p.agency_entity_id ? [p.tenderer_entity_id, p.agency_entity_id] : [p.tenderer_entity_id];
}

export async function getProject(deps: Deps, actor: Actor, id: string): Promise<{ project: ProjectRow; lots: LotRow[]; names: Map<string, string> }> {
  const project = await projectFor(deps.db, actor, id, 'read');
  return { project, lots: await repo.lotsOf(deps.db, [id]), names: await entityNames(deps.db, partiesOf(project)) };
}

/** A lot with its project, for a screen that knows only the lot (a link, a bookmark). */
export async function getProjectOfLot(deps: Deps, actor: Actor, lotId: string): Promise<{ project: ProjectRow; lots: LotRow[]; names: Map<string, string> }> {
  const lot = await repo.findLot(deps.db, lotId);
  const project = lot && (await repo.findProject(deps.db, lot.project_id));
  // The lot's existence is no more disclosed than its project's.
  if (!project || !mayAccess(actor.principal, project, 'read')) throw notFound('标段');
  return { project, lots: await repo.lotsOf(deps.db, [project.id]), names: await entityNames(deps.db, partiesOf(project)) };
}

/**
 * Before a lot's opening the tenderer must not learn who bid on it (招标投标法 §22), and who
 * downloaded the documents stays undisclosed to it throughout (a potential bidder that did not
 * bid is nobody's business). Parties and bidders therefore see these events without payload or
 * actor; staff and supervisors see everything. A security released at a withdrawal before the
 * deadline names its bidder, so security_released is one of these (released with the lot's
 * outcome it comes after the opening and shows in full).
 */
const BID_EVENTS: ReadonlySet<string> = new Set(['bid_submitted', 'bid_replaced', 'bid_withdrawn', 'bid_incomplete', 'bid_security_recorded', 'guarantee_verified', 'bid_key_resealed', 'bid_decrypted', 'bid_decryption_failed', 'security_released']);

export async function dealTimeline(deps: Deps, actor: Actor, id: string): Promise<{ project: ProjectRow; events: DealEventRecord[] }> {
  const project = await projectFor(deps.db, actor, id, 'read');
  if (project.deal_code === null) return { project, events: [] };
  const events = await timelineOf(deps.db, project.deal_code);
  if (actor.principal.entityId === null) return { project, events };
  const opened = new Set(events.filter((e) => e.type === 'opening_published').map((e) => e.lotCode));
  const hidden = (e: DealEventRecord) => e.type === 'documents_downloaded' || (BID_EVENTS.has(e.type) && !opened.has(e.lotCode));
  return { project, events: events.map((e) => (hidden(e) ? { ...e, payload: {}, actor: e.actor ? { accountId: null, name: '投标人' } : null } : e)) };
}
