// The staff's 市场主体库: the shared search and an entity's detail, as the API answers them. On
// the province they are read here; on a city node the city checks the reader's permission and
// asks the province (registry.federation.ts answers), so a city's staff search the one registry
// of the province, masked the same way, and the city holds no copy of it.

import { Type } from '@sinclair/typebox';
import type { Deps } from '../../platform/deps.ts';
import { callPeer, checkedResult, PROVINCE_REGION } from '../../platform/federation/federation.ts';
import { chinaDate } from '../credit/credit.rules.ts';
import { regionScope } from '../org/org.region-scope.ts';
import { versionView } from './registry.licence.ts';
import { entityDetailAt, searchRegistry, type EntityListQuery } from './registry.review.ts';
import type { Actor } from './registry.service.ts';
import { MASKED, mapEntity, mapVersionSummary, namesOf } from './registry.views.ts';

export const ENTITY_SEARCH = 'registry.entities.search';
export const ENTITY_DETAIL = 'registry.entities.detail';

export async function entityListBody(deps: Deps, query: EntityListQuery, now: Date) {
  const r = await searchRegistry(deps, query, now);
  return { items: r.rows.map((e) => mapEntity(e, r.warnings.get(e.id) ?? 0)), total: r.total, more: r.more, page: query.page, pageSize: query.pageSize };
}

export async function entityDetailBody(deps: Deps, id: string, now: Date) {
  const d = await entityDetailAt(deps, id, now);
  return {
    ...mapEntity(d.entity, d.warnings),
    profile: d.current ? (await versionView(deps, d.entity, d.current, MASKED, chinaDate(now))).profile : null,
    currentVersionId: d.entity.current_version_id,
    openVersion: d.open ? mapVersionSummary(d.open, null, await namesOf(deps, [d.open])) : null,
  };
}

// What the city relies on of the province's answer (the route's response schema then serialises
// it field by field, as it does a local one).
type ListBody = Awaited<ReturnType<typeof entityListBody>>;
type DetailBody = Awaited<ReturnType<typeof entityDetailBody>>;
const ListShape = Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })), total: Type.Integer(), more: Type.Boolean(), page: Type.Integer(), pageSize: Type.Integer() });
const DetailShape = Type.Object({ id: Type.String(), name: Type.String(), profile: Type.Union([Type.Object({}), Type.Null()]) });

export async function registryList(deps: Deps, actor: Actor, query: EntityListQuery): Promise<ListBody> {
  regionScope(actor.principal, 'registry.entity.read');
  if (deps.config.nodeRole === 'province') return entityListBody(deps, query, actor.now);
  return checkedResult(ListShape, await callPeer(deps, PROVINCE_REGION, ENTITY_SEARCH, query), ENTITY_SEARCH) as ListBody;
}

export async function registryDetail(deps: Deps, actor: Actor, id: string): Promise<DetailBody> {
  regionScope(actor.principal, 'registry.entity.read');
  if (deps.config.nodeRole === 'province') return entityDetailBody(deps, id, actor.now);
  return checkedResult(DetailShape, await callPeer(deps, PROVINCE_REGION, ENTITY_DETAIL, { id }), ENTITY_DETAIL) as DetailBody;
}
