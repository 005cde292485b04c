// The public JSON lookup of market entities (no session): /api/v1/public/entities.

import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../platform/deps.ts';
import { iso, Nullable, StringEnum } from '../../platform/http/schemas.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import type { PublicEntity } from './registry.public.ts';
import { publicEntitiesHere } from './registry.province.ts';
import { ENTITY_ROLE_NAMES, ENTITY_ROLES } from './registry.rules.ts';

export const PublicEntityQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: '名称关键词（至少 2 个字）或统一社会信用代码' })),
    uscc: Type.Optional(Type.String({ minLength: 18, maxLength: 18, description: '统一社会信用代码' })),
    page: Type.Optional(Type.Integer({ minimum: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  },
  { additionalProperties: false },
);

const PublicEntityOut = Type.Object(
  {
    name: Type.String(),
    uscc: Type.String(),
    entityType: Nullable(Type.String({ description: '主体类型（营业执照所载）' })),
    legalRepresentative: Nullable(Type.String({ description: '法定代表人姓名（营业执照公开事项）' })),
    establishedOn: Nullable(Type.String()),
    region: Type.Object({ code: Type.String(), name: Type.String() }),
    roles: Type.Array(Type.Object({ code: StringEnum(ENTITY_ROLES), name: Type.String() })),
    status: StringEnum(['active', 'suspended'] as const, { description: 'active 正常；suspended 暂停' }),
    statusName: Type.String(),
    approvedAt: Nullable(Type.String({ format: 'date-time' })),
    qualifications: Type.Array(
      Type.Object({
        category: Type.String(),
        grade: Type.String(),
        number: Type.String(),
        issuer: Type.String(),
        validFrom: Type.String({ format: 'date' }),
        validTo: Type.String({ format: 'date' }),
        state: StringEnum(['not_yet_valid', 'valid', 'expiring', 'expired'] as const),
      }),
    ),
  },
  { description: '市场主体公开信息（不含身份证号、联系电话、银行账户等个人或敏感信息）' },
);

const PublicEntityList = Type.Object({ items: Type.Array(PublicEntityOut), page: Type.Integer(), pageSize: Type.Integer(), more: Type.Boolean({ description: '是否还有下一页' }) });

export const ENTITY_STATUS_NAMES = { active: '正常', suspended: '暂停' } as const;

export function mapPublicEntity(e: PublicEntity) {
  return {
    name: e.name,
    uscc: e.uscc,
    entityType: e.entity_type,
    legalRepresentative: e.legal_representative,
    establishedOn: e.established_on,
    region: { code: e.region_code, name: loadRegionTree().fullName(e.region_code) || e.region_code },
    roles: e.roles.map((code) => ({ code, name: ENTITY_ROLE_NAMES[code] ?? code })),
    status: e.status === 'suspended' ? ('suspended' as const) : ('active' as const),
    statusName: e.status === 'suspended' ? ENTITY_STATUS_NAMES.suspended : ENTITY_STATUS_NAMES.active,
    approvedAt: iso(e.approved_at),
    qualifications: e.qualifications,
  };
}

export function registerRegistryPublicRoutes(root: FastifyInstance, deps: Deps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const rateLimit = { max: deps.config.security.authRateLimitPerMinute, timeWindow: 60_000 };
  app.get(
    '/api/v1/public/entities',
    {
      config: { auth: { public: true }, rateLimit },
      schema: { tags: ['市场主体'], summary: '市场主体信息公开查询（按名称或统一社会信用代码；仅已登记的法人和其他组织）', security: [], querystring: PublicEntityQuery, response: { 200: PublicEntityList, 400: { $ref: 'Problem#' }, 503: { $ref: 'Problem#' } } },
    },
    async (request) => {
      const r = await publicEntitiesHere(deps, request.query, request.now);
      return { items: r.items.map(mapPublicEntity), page: r.page, pageSize: r.pageSize, more: r.more };
    },
  );
}
