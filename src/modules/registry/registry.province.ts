// The city node's side of the province's one registry (registry.federation.ts has the
// province's side and the why): the public lookup and the registration check, asked of the
// province through the federation. No local table is read on a city for either.

import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from '../../platform/federation/federation.schemas.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { callPeer, checkedResult, PROVINCE_REGION } from '../../platform/federation/federation.ts';
import { publicEntities, type PublicEntityPage, type PublicEntityQuery } from './registry.public.ts';

export const PUBLIC_ENTITIES = 'registry.public-entities';
export const ENTITY_BY_KEY = 'registry.entity-by-key';


/** What a city accepts back: checked, so a damaged answer is an outage, not a wrong page. */
export const PageResult = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      uscc: Type.String(),
      region_code: Type.String(),
      status: Type.Union([Type.Literal('active'), Type.Literal('suspended'), Type.Literal('registering')]),
      roles: Type.Array(Type.String()),
      approved_at: Nullable(Type.String()),
      entity_type: Nullable(Type.String()),
      legal_representative: Nullable(Type.String()),
      established_on: Nullable(Type.String()),
      qualifications: Type.Array(Type.Object({ category: Type.String(), grade: Type.String(), number: Type.String(), issuer: Type.String(), validFrom: Type.String(), validTo: Type.String(), state: Type.String() })),
    }),
  ),
  by: Type.Union([Type.Literal('uscc'), Type.Literal('name')]),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  more: Type.Boolean(),
});

export const KeyResult = Nullable(Type.Object({ entityId: Type.String(), kind: Type.Union([Type.Literal('organisation'), Type.Literal('person')]), name: Nullable(Type.String()), registeredOn: Type.String() }));
export type ProvinceEntity = NonNullable<Static<typeof KeyResult>>;

/** The public entity lookup of this node: the province's own table, or, on a city, the province's answer. */
export async function publicEntitiesHere(deps: Deps, query: PublicEntityQuery, now: Date): Promise<PublicEntityPage> {
  if (deps.config.nodeRole === 'province') return publicEntities(deps, query, now);
  const payload = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
  const r = checkedResult(PageResult, await callPeer(deps, PROVINCE_REGION, PUBLIC_ENTITIES, payload), PUBLIC_ENTITIES);
  return { ...r, items: r.items.map((e) => ({ ...e, approved_at: e.approved_at === null ? null : new Date(e.approved_at) })) } as PublicEntityPage;
}

/** Whether the province's registry holds this USCC or ID number (asked from a city node). */
export async function provinceEntityByKey(deps: Deps, key: { uscc: string } | { idNumber: string }): Promise<ProvinceEntity | null> {
  return checkedResult(KeyResult, await callPeer(deps, PROVINCE_REGION, ENTITY_BY_KEY, key), ENTITY_BY_KEY);
}

/** The refusal of a self-registration on a city node: where the entity is, or where to register. */
export async function cityRegistrationRefusal(deps: Deps, key: { kind: 'organisation'; uscc: string } | { kind: 'person'; idNumber: string }): Promise<AppError> {
  const found = await provinceEntityByKey(deps, key.kind === 'organisation' ? { uscc: key.uscc } : { idNumber: key.idNumber });
  const field = key.kind === 'organisation' ? 'entity.uscc' : 'entity.idNumber';
  if (found) {
    const detail =
      key.kind === 'organisation'
        ? `统一社会信用代码 ${key.uscc} 已于 ${found.registeredOn} 在全省统一的市场主体库注册（主体：${found.name ?? ''}），全省通用，无需在本市再次注册；如需使用，请联系该主体的账号管理人，或到省级平台办理`
        : `该身份证号已于 ${found.registeredOn} 在全省统一的市场主体库注册为自然人主体，无需在本市再次注册；如需找回账号，请持身份证到交易中心办理`;
    return new AppError('conflict', detail, { errors: [{ field, rule: 'registered', message: detail }], extra: { existing: { entityId: found.entityId, name: found.name, registeredOn: found.registeredOn, node: PROVINCE_REGION } } });
  }
  const detail = '市场主体在全省统一的市场主体库（省级平台）注册，一次注册全省通用；本市节点不单独办理注册，请到省级平台注册';
  return new AppError('conflict', detail, { errors: [{ field, rule: 'province_registry', message: detail }], extra: { node: PROVINCE_REGION } });
}
