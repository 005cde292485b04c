// The staff's 市场主体库: the shared search, an entity's detail, its history and one version, as
// the API answers them. On the province they are read here; on a city node the city checks the
// reader's permission and asks the province (registry.federation.ts answers), so a city's staff
// read the one registry of the province, masked the same way, and the city holds no copy of it.
// The registry's other staff business (the review queue and decisions, suspensions, reveals,
// attachments, qualification checks) is done where the registry is: a city node refuses it with
// a message that says so (`atProvince`).

import { Type } from '@sinclair/typebox';
import type { Deps } from '../../platform/deps.ts';
import { conflict } from '../../platform/errors.ts';
import { callPeer, checkedResult, PROVINCE_REGION } from '../../platform/federation/federation.ts';
import { chinaDate } from '../credit/credit.rules.ts';
import { regionScope } from '../org/org.region-scope.ts';
import { versionView } from './registry.licence.ts';
import { entityDetailAt, entityFor, searchRegistry, versionOf, versionOfEntity, type EntityListQuery } from './registry.review.ts';
import { versionsOf } from './registry.repository.ts';
import type { Actor } from './registry.service.ts';
import { MASKED, mapEntity, mapHistory, mapVersionSummary, namesOf } from './registry.views.ts';

export const ENTITY_SEARCH = 'registry.entities.search';
export const ENTITY_DETAIL = 'registry.entities.detail';
export const ENTITY_VERSIONS = 'registry.entities.versions';
export const ENTITY_VERSION = 'registry.entities.version';

/** Refuses, on a city node, the registry business that is done at the province. */
export function atProvince(deps: Pick<Deps, 'config'>): void {
  if (deps.config.nodeRole === 'city') throw conflict('市场主体库由省级平台统一管理，本市节点只能查询；此项业务请在省级平台办理', 'node', 'province_registry');
}

export async function entityVersionsBody(deps: Deps, id: string) {
  await entityFor(deps, id);
  return { items: await mapHistory(deps, await versionsOf(deps.db, id)) };
}

export async function entityVersionBody(deps: Deps, id: string, versionId: string, now: Date) {
  const { entity, version } = await versionOfEntity(deps, id, versionId);
  return versionView(deps, entity, version, MASKED, chinaDate(now));
}

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
type VersionsBody = Awaited<ReturnType<typeof entityVersionsBody>>;
type VersionBody = Awaited<ReturnType<typeof entityVersionBody>>;
const VersionsShape = Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), number: Type.Integer() })) });
const VersionShape = Type.Object({ id: Type.String(), number: Type.Integer(), profile: Type.Object({}) });

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

export async function registryVersions(deps: Deps, actor: Actor, id: string): Promise<VersionsBody> {
  regionScope(actor.principal, 'registry.entity.read');
  if (deps.config.nodeRole === 'province') return entityVersionsBody(deps, id);
  return checkedResult(VersionsShape, await callPeer(deps, PROVINCE_REGION, ENTITY_VERSIONS, { id }), ENTITY_VERSIONS) as VersionsBody;
}

export async function registryVersion(deps: Deps, actor: Actor, id: string, versionId: string): Promise<VersionBody> {
  if (deps.config.nodeRole === 'province') {
    // The entity's own users read their versions here too (versionOf decides who may).
    const { entity, version } = await versionOf(deps, actor, id, versionId);
    return versionView(deps, entity, version, MASKED, chinaDate(actor.now));
  }
  regionScope(actor.principal, 'registry.entity.read');
  return checkedResult(VersionShape, await callPeer(deps, PROVINCE_REGION, ENTITY_VERSION, { id, versionId }), ENTITY_VERSION) as VersionBody;
}
