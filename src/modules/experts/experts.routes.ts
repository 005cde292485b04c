// HTTP routes of the evaluation expert pool. Thin: schema, access, one call, map the answer.

import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../platform/deps.ts';
import { actorOf } from '../../platform/http/context.ts';
import { IdParams, Page, STANDARD_ERRORS } from '../../platform/http/schemas.ts';
import { Type } from '@sinclair/typebox';
import { Username } from '../identity/identity.schemas.ts';
import { openAccountForExpert } from './experts.account.ts';
import * as parts from './experts.parts.ts';
import { atProvinceExperts } from './experts.province.ts';
import * as s from './experts.schemas.ts';
import * as experts from './experts.service.ts';
import { chinaDate } from '../credit/credit.rules.ts';
import * as credit from '../credit/credit.schemas.ts';

const TAG = ['评标专家'];
const READ = { auth: { permission: 'experts.expert.read' } } as const;
const WRITE = { auth: { permission: 'experts.expert.write' } } as const;

export function registerExpertsRoutes(root: FastifyInstance, deps: Deps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  // The pool is the province's: on a city everything but the code table is refused after access (experts.province.ts).
  const AT_PROVINCE = { preHandler: async () => atProvinceExperts(deps) };

  app.get(
    '/api/v1/experts/specialties',
    { config: READ, schema: { tags: TAG, summary: '专家专业分类代码表（两级，含版本）', response: { 200: s.SpecialtyTableSchema, ...STANDARD_ERRORS } } },
    async () => s.mapSpecialtyTable(),
  );

  app.get(
    '/api/v1/experts',
    { ...AT_PROVINCE, config: READ, schema: { tags: TAG, summary: '专家列表（数据范围内；身份证号、电话脱敏）', querystring: s.ExpertQuery, response: { 200: Page(s.Expert), ...STANDARD_ERRORS } } },
    async (request) => {
      const page = request.query.page ?? 1;
      const pageSize = request.query.pageSize ?? 20;
      const r = await experts.listExperts(deps, actorOf(request), { ...request.query, page, pageSize });
      return { items: r.items.map(s.mapExpert), total: r.total, page, pageSize };
    },
  );

  app.get(
    '/api/v1/experts/:id/credit',
    {
      ...AT_PROVINCE,
      config: { auth: { permission: 'credit.record.read' } },
      schema: { tags: TAG, summary: '专家本人的信用档案（信用记录、异议、修复、评分；需同时可见该专家）', params: IdParams, response: { 200: credit.Archive, ...STANDARD_ERRORS } },
    },
    async (request) => {
      const actor = actorOf(request);
      const { expert, archive } = await experts.expertCredit(deps, actor, request.params.id);
      return credit.mapArchive(archive, { kind: 'person', name: expert.name, uscc: null, idNumberMasked: expert.id_number_masked }, chinaDate(actor.now));
    },
  );

  app.post(
    '/api/v1/experts',
    { ...AT_PROVINCE, config: WRITE, schema: { tags: TAG, summary: '登记专家', body: s.ExpertCreate, response: { 201: s.Expert, ...STANDARD_ERRORS } } },
    async (request, reply) => reply.status(201).send(s.mapExpert(await experts.createExpert(deps, actorOf(request), request.body))),
  );

  app.post(
    '/api/v1/experts/eligible',
    { ...AT_PROVINCE, config: READ, schema: { tags: TAG, summary: '符合条件的专家（专业、区域、回避单位、评标日期）', body: s.EligibleRequest, response: { 200: s.EligibleResponse, ...STANDARD_ERRORS } } },
    async (request) => {
      const r = await experts.findEligibleExperts(deps, { ...request.body, limit: request.body.limit ?? 200 }, actorOf(request));
      return { total: r.total, items: r.candidates.map(s.mapCandidate) };
    },
  );

  app.get(
    '/api/v1/experts/:id',
    { ...AT_PROVINCE, config: READ, schema: { tags: TAG, summary: '专家详情', params: IdParams, response: { 200: s.Expert, ...STANDARD_ERRORS } } },
    async (request) => s.mapExpert(await experts.getExpert(deps, actorOf(request), request.params.id)),
  );

  app.patch(
    '/api/v1/experts/:id',
    { ...AT_PROVINCE, config: WRITE, schema: { tags: TAG, summary: '修改专家信息或状态（带 version）', params: IdParams, body: s.ExpertPatch, response: { 200: s.Expert, ...STANDARD_ERRORS } } },
    async (request) => s.mapExpert(await experts.updateExpert(deps, actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/api/v1/experts/:id/account',
    {
      ...AT_PROVINCE,
      config: WRITE,
      schema: {
        tags: TAG,
        summary: '为专家开通评标专家账号（一次性初始密码，首次登录须修改密码并绑定动态验证码）',
        params: IdParams,
        body: Type.Object({ username: Type.Optional(Username) }, { additionalProperties: false }),
        response: { 201: Type.Object({ accountId: Type.String({ format: 'uuid' }), username: Type.String(), initialPassword: Type.String() }), ...STANDARD_ERRORS, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' } },
      },
    },
    async (request, reply) => reply.status(201).header('cache-control', 'no-store').send(await openAccountForExpert(deps, actorOf(request), request.params.id, request.body.username)),
  );

  app.post(
    '/api/v1/experts/:id/unavailability',
    { ...AT_PROVINCE, config: WRITE, schema: { tags: TAG, summary: '登记不可参评时段', params: IdParams, body: s.PeriodCreate, response: { 201: s.Expert, ...STANDARD_ERRORS } } },
    async (request, reply) => reply.status(201).send(s.mapExpert(await parts.addUnavailability(deps, actorOf(request), request.params.id, request.body))),
  );

  app.delete(
    '/api/v1/experts/:id/unavailability/:periodId',
    { ...AT_PROVINCE, config: WRITE, schema: { tags: TAG, summary: '删除不可参评时段', params: s.PeriodParams, response: { 200: s.Expert, ...STANDARD_ERRORS } } },
    async (request) => s.mapExpert(await parts.removeUnavailability(deps, actorOf(request), request.params.id, request.params.periodId)),
  );

  app.post(
    '/api/v1/experts/:id/relations',
    { ...AT_PROVINCE, config: WRITE, schema: { tags: TAG, summary: '申报回避关系（亲属任职单位、利害关系、原工作单位）', params: IdParams, body: s.RelationCreate, response: { 201: s.Expert, ...STANDARD_ERRORS } } },
    async (request, reply) => reply.status(201).send(s.mapExpert(await parts.addRelation(deps, actorOf(request), request.params.id, request.body))),
  );

  app.delete(
    '/api/v1/experts/:id/relations/:relationId',
    { ...AT_PROVINCE, config: WRITE, schema: { tags: TAG, summary: '删除回避关系', params: s.RelationParams, response: { 200: s.Expert, ...STANDARD_ERRORS } } },
    async (request) => s.mapExpert(await parts.removeRelation(deps, actorOf(request), request.params.id, request.params.relationId)),
  );
}
