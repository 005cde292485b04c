// Organisations created outside a user's session: the node's root organisation (first start,
// CLI) and demo data. Audited with the command line as the actor.

import crypto from 'node:crypto';
import { appendAudit, type AuditContext } from '../../platform/audit/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { loadRegionTree } from './org.regions.ts';
import * as repo from './org.repository.ts';
import type { Industry, OrganisationKind } from './org.tables.ts';

export interface DirectOrganisation {
  name: string;
  shortName?: string;
  kind: OrganisationKind;
  regionCode: string;
  parentId?: string | null;
  industry?: Industry | null;
}

/** Creates the organisation unless one of that name exists under that parent; returns its id. */
export async function ensureOrganisation(deps: Deps, input: DirectOrganisation, audit: AuditContext): Promise<string> {
  if (!loadRegionTree().get(input.regionCode)) throw new Error(`行政区划代码 ${input.regionCode} 不存在`);
  const existing = await repo.findOrganisationByName(deps.db, input.parentId ?? null, input.name);
  if (existing) return existing.id;
  const row = {
    id: crypto.randomUUID(),
    parent_id: input.parentId ?? null,
    name: input.name,
    short_name: input.shortName ?? null,
    kind: input.kind,
    region_code: input.regionCode,
    industry: input.industry ?? null,
    credit_code: null,
    status: 'active' as const,
    created_by: null,
    created_at: audit.at,
    updated_at: audit.at,
  };
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertOrganisation(trx, row);
    await appendAudit(trx, audit, { action: 'org.organisation.create', targetType: 'organisation', targetId: row.id, after: row });
  });
  return row.id;
}

/** The trading centre this node runs: the province's or its city's. */
export function rootOrganisationOf(regionCode: string): DirectOrganisation {
  const region = loadRegionTree().get(regionCode);
  if (!region) throw new Error(`行政区划代码 ${regionCode} 不存在`);
  return { name: `${region.name}公共资源交易中心`, kind: 'trading_centre', regionCode };
}
