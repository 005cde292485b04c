// HTTP routes of regions, organisations, personnel and roles. Thin: schema, access, one call.

import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../platform/deps.ts';
import { actorOf } from '../../platform/http/context.ts';
import { IdParams, Page, STANDARD_ERRORS } from '../../platform/http/schemas.ts';
import { loadRegionTree } from './org.regions.ts';
import * as roles from './org.roles.ts';
import * as s from './org.schemas.ts';
import * as org from './org.service.ts';

export function registerOrgRoutes(root: FastifyInstance, deps: Deps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/regions',
    { config: { auth: { permission: 'org.region.read' } }, schema: { tags: ['组织机构'], summary: '行政区划（GB/T 2260，山西省）', querystring: s.RegionQuery, response: { 200: Type.Array(s.Region), ...STANDARD_ERRORS } } },
    async (request) => {
      const tree = loadRegionTree();
      const list = request.query.parent ? tree.childrenOf(request.query.parent) : tree.regions;
      return list.map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parentCode }));
    },
  );

  app.get(
    '/api/v1/organisations',
    { config: { auth: { permission: 'org.organisation.read' } }, schema: { tags: ['组织机构'], summary: '组织机构（数据范围内，按 parentId 成树）', querystring: s.OrganisationQuery, response: { 200: Type.Array(s.Organisation), ...STANDARD_ERRORS } } },
    async (request) => (await org.listOrganisations(deps, actorOf(request), request.query)).map(s.mapOrganisation),
  );

  app.post(
    '/api/v1/organisations',
    { config: { auth: { permission: 'org.organisation.write' } }, schema: { tags: ['组织机构'], summary: '新建组织机构', body: s.OrganisationCreate, response: { 201: s.Organisation, ...STANDARD_ERRORS } } },
    async (request, reply) => reply.status(201).send(s.mapOrganisation(await org.createOrganisation(deps, actorOf(request), request.body))),
  );

  app.get(
    '/api/v1/organisations/:id',
    { config: { auth: { permission: 'org.organisation.read' } }, schema: { tags: ['组织机构'], summary: '组织机构详情', params: IdParams, response: { 200: s.Organisation, ...STANDARD_ERRORS } } },
    async (request) => s.mapOrganisation(await org.getOrganisation(deps, actorOf(request), request.params.id)),
  );

  app.patch(
    '/api/v1/organisations/:id',
    { config: { auth: { permission: 'org.organisation.write' } }, schema: { tags: ['组织机构'], summary: '修改组织机构', params: IdParams, body: s.OrganisationPatch, response: { 200: s.Organisation, ...STANDARD_ERRORS } } },
    async (request) => s.mapOrganisation(await org.updateOrganisation(deps, actorOf(request), request.params.id, request.body)),
  );

  app.get(
    '/api/v1/personnel',
    { config: { auth: { permission: 'org.personnel.read' } }, schema: { tags: ['人员信息'], summary: '人员列表（身份证号、电话脱敏）', querystring: s.PersonnelQuery, response: { 200: Page(s.Personnel), ...STANDARD_ERRORS } } },
    async (request) => {
      const page = request.query.page ?? 1;
      const pageSize = request.query.pageSize ?? 20;
      const r = await org.listPersonnel(deps, actorOf(request), { ...request.query, page, pageSize });
      return { items: r.rows.map(s.mapPersonnel), total: r.total, page, pageSize };
    },
  );

  app.post(
    '/api/v1/personnel',
    { config: { auth: { permission: 'org.personnel.write' } }, schema: { tags: ['人员信息'], summary: '新建人员', body: s.PersonnelCreate, response: { 201: s.Personnel, ...STANDARD_ERRORS } } },
    async (request, reply) => reply.status(201).send(s.mapPersonnel(await org.createPersonnel(deps, actorOf(request), request.body))),
  );

  app.get(
    '/api/v1/personnel/:id',
    { config: { auth: { permission: 'org.personnel.read' } }, schema: { tags: ['人员信息'], summary: '人员详情', params: IdParams, response: { 200: s.Personnel, ...STANDARD_ERRORS } } },
    async (request) => s.mapPersonnel(await org.getPersonnel(deps, actorOf(request), request.params.id)),
  );

  app.patch(
    '/api/v1/personnel/:id',
    { config: { auth: { permission: 'org.personnel.write' } }, schema: { tags: ['人员信息'], summary: '修改人员信息', params: IdParams, body: s.PersonnelPatch, response: { 200: s.Personnel, ...STANDARD_ERRORS } } },
    async (request) => s.mapPersonnel(await org.updatePersonnel(deps, actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/api/v1/personnel/:id/reveal',
    { config: { auth: { permission: 'org.personnel.reveal' } }, schema: { tags: ['人员信息'], summary: '查看身份证号、电话明文（记入审计）', params: IdParams, response: { 200: s.PersonnelSensitive, ...STANDARD_ERRORS } } },
    async (request) => org.revealPersonnel(deps, actorOf(request), request.params.id),
  );

  app.get(
    '/api/v1/permissions',
    { config: { auth: { permission: 'org.role.read' } }, schema: { tags: ['角色权限'], summary: '权限目录', response: { 200: Type.Array(s.PermissionSchema), ...STANDARD_ERRORS } } },
    async () => roles.listPermissions(),
  );

  app.get(
    '/api/v1/roles',
    { config: { auth: { permission: 'org.role.read' } }, schema: { tags: ['角色权限'], summary: '角色列表', response: { 200: Type.Array(s.Role), ...STANDARD_ERRORS } } },
    async () => (await roles.listRoles(deps)).map(s.mapRole),
  );

  app.post(
    '/api/v1/roles',
    { config: { auth: { permission: 'org.role.write' } }, schema: { tags: ['角色权限'], summary: '新建角色', body: s.RoleCreate, response: { 201: s.Role, ...STANDARD_ERRORS } } },
    async (request, reply) => reply.status(201).send(s.mapRole(await roles.createRole(deps, actorOf(request), request.body))),
  );

  app.patch(
    '/api/v1/roles/:id',
    { config: { auth: { permission: 'org.role.write' } }, schema: { tags: ['角色权限'], summary: '修改角色', params: IdParams, body: s.RolePatch, response: { 200: s.Role, ...STANDARD_ERRORS } } },
    async (request) => s.mapRole(await roles.updateRole(deps, actorOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/roles/:id',
    { config: { auth: { permission: 'org.role.write' } }, schema: { tags: ['角色权限'], summary: '删除角色（未分配的非内置角色）', params: IdParams, response: { 204: Type.Null(), ...STANDARD_ERRORS } } },
    async (request, reply) => {
      await roles.deleteRole(deps, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
