// One registry for the whole province (mission task 1): the province node holds it, and a city
// node reads it through the federation (src/platform/federation) instead of keeping a copy.
//
// The province answers these actions, to city nodes only:
//   registry.public-entities  the public entity lookup (名称 or USCC), exactly as the province's
//                             own /api/v1/public/entities answers it (public fields only);
//   registry.entity-by-key    whether a USCC or an ID number is registered, and as whom — an ID
//                             number only ever travels inside a sealed envelope;
//   registry.entities.search  the staff's shared search, and
//   registry.entities.detail, .versions, .version  an entity's detail, history and one version,
//                             masked as for any reader (registry.directory.ts).
// (registry.entity-references, the refresh of a city's reference copies, is answered in
// identity.federation.ts: it carries the entities' accounts too.)
// On a city node the public lookup (API and portal page) and the staff's 市场主体库 ask the
// province, and self-registration
// is not done locally: a city refuses it, pointing to the existing record when the province
// already has the code, or to the province's registration otherwise. So no code can be
// registered twice in the province, whichever node a user starts from. The city's side is in
// registry.province.ts.

import { Type, type Static } from '@sinclair/typebox';
import { oneOf, Uuid } from '../../platform/federation/federation.schemas.ts';
import type { FederationHandlers } from '../../platform/federation/federation.ts';
import { chinaDate } from '../credit/credit.rules.ts';
import { ENTITY_BY_KEY, PUBLIC_ENTITIES, type KeyResult } from './registry.province.ts';
import { publicEntities, type PublicEntityQuery } from './registry.public.ts';
import { ENTITY_DETAIL, ENTITY_SEARCH, ENTITY_VERSION, ENTITY_VERSIONS, entityDetailBody, entityListBody, entityVersionBody, entityVersionsBody } from './registry.directory.ts';
import * as repo from './registry.repository.ts';
import type { EntityListQuery } from './registry.review.ts';
import { ENTITY_KINDS, ENTITY_ROLES, ENTITY_STATUSES } from './registry.rules.ts';
import { entityIdIndex } from './registry.service.ts';

const QueryPayload = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100 })),
    uscc: Type.Optional(Type.String({ maxLength: 100 })),
    page: Type.Optional(Type.Integer()),
    pageSize: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);

const KeyPayload = Type.Union([Type.Object({ uscc: Type.String({ pattern: '^[0-9A-HJ-NP-RTUW-Y]{18}$' }) }, { additionalProperties: false }), Type.Object({ idNumber: Type.String({ pattern: '^[0-9]{17}[0-9X]$' }) }, { additionalProperties: false })]);


// The staff search's query, as the route takes it (EntityQuery's enums are written for ajv, not for Value.Check).
const SearchPayload = Type.Object(
  {
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    kind: Type.Optional(oneOf(ENTITY_KINDS)),
    role: Type.Optional(oneOf(ENTITY_ROLES)),
    status: Type.Optional(oneOf(ENTITY_STATUSES)),
    regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
    page: Type.Integer({ minimum: 1 }),
    pageSize: Type.Integer({ minimum: 1, maximum: 100 }),
  },
  { additionalProperties: false },
);

const DetailPayload = Type.Object({ id: Uuid }, { additionalProperties: false });
const VersionPayload = Type.Object({ id: Uuid, versionId: Uuid }, { additionalProperties: false });

export function addRegistryFederationHandlers(handlers: FederationHandlers): void {
  // The staff's search and detail: the city checked the reader's permission before asking.
  handlers.add({
    action: ENTITY_SEARCH,
    from: 'city',
    payload: SearchPayload,
    handle: (deps, _peer, payload, now) => entityListBody(deps, payload as EntityListQuery, now),
  });
  handlers.add({
    action: ENTITY_VERSIONS,
    from: 'city',
    payload: DetailPayload,
    handle: (deps, _peer, payload) => entityVersionsBody(deps, (payload as Static<typeof DetailPayload>).id),
  });
  handlers.add({
    action: ENTITY_VERSION,
    from: 'city',
    payload: VersionPayload,
    handle: (deps, _peer, payload, now) => {
      const p = payload as Static<typeof VersionPayload>;
      return entityVersionBody(deps, p.id, p.versionId, now);
    },
  });
  handlers.add({
    action: ENTITY_DETAIL,
    from: 'city',
    payload: DetailPayload,
    handle: (deps, _peer, payload, now) => entityDetailBody(deps, (payload as Static<typeof DetailPayload>).id, now),
  });
  handlers.add({
    action: PUBLIC_ENTITIES,
    from: 'city',
    payload: QueryPayload,
    handle: (deps, _peer, payload, now) => publicEntities(deps, payload as PublicEntityQuery, now),
  });
  handlers.add({
    action: ENTITY_BY_KEY,
    from: 'city',
    payload: KeyPayload,
    handle: async (deps, _peer, payload): Promise<Static<typeof KeyResult>> => {
      const key = payload as Static<typeof KeyPayload>;
      const found = await repo.findEntityByKey(deps.db, 'uscc' in key ? { uscc: key.uscc } : { idNumberIndex: entityIdIndex(deps, key.idNumber) });
      if (!found) return null;
      // A natural person's name is personal information: the city learns only that the number is taken.
      return { entityId: found.id, kind: found.kind, name: found.kind === 'organisation' ? found.name : null, registeredOn: chinaDate(found.created_at) };
    },
  });
}

