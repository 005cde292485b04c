// Approval without a person in the loop, for the demo data and for the test factories of other
// modules (a tender needs active tenderers and bidders): the profile is checked like a real
// submission, stored in the entity's open draft, and approved in one transaction with the same
// projections a reviewer's approval makes. Never reachable through HTTP.

import type { AuditContext } from '../../platform/audit/audit.ts';
import { appendAudit } from '../../platform/audit/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { chinaDate } from '../credit/credit.rules.ts';
import { checkProfile, storeProfile } from './registry.profile.ts';
import * as repo from './registry.repository.ts';
import type { ProfileInputT } from './registry.schemas.ts';

/** Makes `input` the approved profile of an entity that is still registering. */
export async function approveProfileDirect(deps: Pick<Deps, 'db' | 'keys'>, entityId: string, input: ProfileInputT, audit: AuditContext): Promise<void> {
  const at = audit.at;
  await deps.db.transaction().execute(async (trx) => {
    const entity = await repo.lockEntity(trx, entityId);
    if (!entity) throw new Error(`entity ${entityId} does not exist`);
    if (entity.status !== 'registering') throw new Error(`entity ${entityId} is already ${entity.status}`);
    const errors = checkProfile(input, entity.kind, at, chinaDate(at));
    if (errors.length > 0) throw new Error(`profile of ${entityId} is invalid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`);
    const draft = await repo.openVersion(trx, entityId);
    if (!draft) throw new Error(`entity ${entityId} has no open draft`);
    const data = storeProfile(deps.keys.master, entityId, input, null);
    const moved = await repo.moveVersion(trx, draft.id, draft.status, {
      status: 'approved',
      data: JSON.stringify(data),
      submitted_by: audit.actorId ?? draft.created_by,
      submitted_at: at,
      reviewed_by: audit.actorId,
      reviewed_at: at,
      updated_at: at,
    });
    if (!moved) throw new Error(`draft of ${entityId} changed meanwhile`);
    await repo.updateEntity(trx, entityId, { name: data.name, region_code: data.regionCode, roles: data.roles, status: 'active', current_version_id: moved.id, approved_at: at, updated_at: at });
    await repo.projectProfile(trx, entityId, data);
    await appendAudit(trx, audit, { action: 'registry.version.decide', targetType: 'entity', targetId: entityId, detail: { versionId: moved.id, number: moved.number, outcome: 'approved', type: 'registration', direct: true } });
  });
}
