// What a project's screens read besides the project itself: its tender notice and documents,
// clarifications and objections, and (for an agency) the tenderer it registers for. Parties and
// staff see drafts; everyone else who may read the project sees only what is published. The
// objector's identity is never shown to the tenderer's side (it answers the content).

import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { activePartyByUscc } from '../registry/registry.facts.ts';
import { isParty, projectFor, type Actor } from './trading.access.ts';
import * as notices from './trading.notices.repository.ts';

export async function noticeOf(deps: Deps, actor: Actor, projectId: string) {
  const p = await projectFor(deps.db, actor, projectId, 'read');
  const insider = actor.principal.entityId === null || isParty(actor.principal, p);
  const all = await notices.noticesOf(deps.db, projectId);
  const tender = all.filter((n) => n.kind === 'tender' && (insider || n.status === 'published')).at(-1) ?? null;
  const documents = (await notices.documentsOf(deps.db, projectId)).filter((d) => insider || d.published_at !== null);
  return { tender, documents, notices: all.filter((n) => n.status === 'published') };
}

export async function clarificationsOf(deps: Deps, actor: Actor, projectId: string) {
  await projectFor(deps.db, actor, projectId, 'read');
  return notices.clarificationsOf(deps.db, projectId);
}

/**
 * Objections to a project: staff see everything; the tenderer's side sees every objection
 * without who filed it; a bidder sees its own.
 */
export async function objectionsOf(deps: Deps, actor: Actor, projectId: string) {
  const p = await projectFor(deps.db, actor, projectId, 'read');
  const all = await notices.objectionsOf(deps.db, projectId);
  if (actor.principal.entityId === null) return { rows: all, showObjector: true };
  if (isParty(actor.principal, p)) return { rows: all, showObjector: false };
  return { rows: all.filter((o) => o.entity_id === actor.principal.entityId), showObjector: true };
}

/** An active tenderer by USCC, for an agency registering a project on its behalf. */
export async function tendererByUscc(deps: Deps, uscc: string) {
  const party = await activePartyByUscc(deps.db, uscc);
  if (!party || !party.roles.includes('tenderer')) throw notFound('登记了「招标人」角色的市场主体');
  return party;
}
