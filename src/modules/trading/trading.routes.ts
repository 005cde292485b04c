// HTTP routes of tender projects: registration and acceptance, reading, the deal timeline.
// Thin: schema, access, one service call, map the answer.

import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../platform/deps.ts';
import { DealEvent, mapDealEvent } from '../../platform/events/deal-events.ts';
import { actorOf } from '../../platform/http/context.ts';
import { IdParams, Page, STANDARD_ERRORS, StringEnum, Uuid } from '../../platform/http/schemas.ts';
import { moveDealClock } from './trading.demo.ts';
import * as projects from './trading.projects.ts';
import * as read from './trading.read.ts';
import { PROJECT_STATUS_NAMES } from './trading.rules.ts';
import * as s from './trading.schemas.ts';
import type { ProjectStatus } from './trading.tables.ts';

const TAG = ['电子交易·工程建设'];
const MANAGE = { auth: { permission: 'trading.tender.manage' } } as const;
const ACCEPT = { auth: { permission: 'trading.project.accept' } } as const;
const READ = { auth: { anyPermission: ['trading.deal.read', 'trading.tender.manage', 'trading.bid.submit'] } } as const;

const ListQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(Object.keys(PROJECT_STATUS_NAMES) as ProjectStatus[])),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    mine: Type.Optional(Type.Boolean({ description: '市场主体：只列本主体作为招标人或代理机构的项目' })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

export function registerTradingRoutes(root: FastifyInstance, deps: Deps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const one = (r: Awaited<ReturnType<typeof read.getProject>>, now: Date) => s.mapProject(r.project, r.lots, now, r.names);

  app.post(
    '/api/v1/trading/projects',
    { config: MANAGE, schema: { tags: TAG, summary: '登记招标项目（招标人自行登记，或招标代理机构代招标人登记）', body: s.ProjectInput, response: { 201: s.Project, ...STANDARD_ERRORS } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const p = await projects.registerProject(deps, actor, request.body);
      return reply.status(201).send(one(await read.getProject(deps, actor, p.id), actor.now));
    },
  );

  app.put(
    '/api/v1/trading/projects/:id',
    { config: MANAGE, schema: { tags: TAG, summary: '修改登记中或被退回的招标项目（含标段）', params: IdParams, body: s.ProjectInput, response: { 200: s.Project, ...STANDARD_ERRORS } } },
    async (request) => {
      const actor = actorOf(request);
      await projects.updateProject(deps, actor, request.params.id, request.body);
      return one(await read.getProject(deps, actor, request.params.id), actor.now);
    },
  );

  app.post(
    '/api/v1/trading/projects/:id/submit',
    { config: MANAGE, schema: { tags: TAG, summary: '提交交易中心受理', params: IdParams, response: { 200: s.Project, ...STANDARD_ERRORS } } },
    async (request) => {
      const actor = actorOf(request);
      await projects.submitProject(deps, actor, request.params.id);
      return one(await read.getProject(deps, actor, request.params.id), actor.now);
    },
  );

  app.post(
    '/api/v1/trading/projects/:id/withdraw',
    { config: MANAGE, schema: { tags: TAG, summary: '撤回受理申请', params: IdParams, response: { 200: s.Project, ...STANDARD_ERRORS } } },
    async (request) => {
      const actor = actorOf(request);
      await projects.withdrawProject(deps, actor, request.params.id);
      return one(await read.getProject(deps, actor, request.params.id), actor.now);
    },
  );

  app.post(
    '/api/v1/trading/projects/:id/accept',
    { config: ACCEPT, schema: { tags: TAG, summary: '受理招标项目：赋统一交易标识码及标段编码', params: IdParams, response: { 200: s.Project, ...STANDARD_ERRORS } } },
    async (request) => {
      const actor = actorOf(request);
      await projects.acceptProject(deps, actor, request.params.id);
      return one(await read.getProject(deps, actor, request.params.id), actor.now);
    },
  );

  app.post(
    '/api/v1/trading/projects/:id/return',
    { config: ACCEPT, schema: { tags: TAG, summary: '退回招标项目（写明原因）', params: IdParams, body: s.ReturnBody, response: { 200: s.Project, ...STANDARD_ERRORS } } },
    async (request) => {
      const actor = actorOf(request);
      await projects.returnProject(deps, actor, request.params.id, request.body.reason);
      return one(await read.getProject(deps, actor, request.params.id), actor.now);
    },
  );

  app.get(
    '/api/v1/trading/projects',
    { config: READ, schema: { tags: TAG, summary: '招标项目列表（本主体参与的、已公告的，或数据范围内的）', querystring: ListQuery, response: { 200: Page(s.Project), ...STANDARD_ERRORS } } },
    async (request) => {
      const actor = actorOf(request);
      const page = request.query.page ?? 1;
      const pageSize = request.query.pageSize ?? 20;
      const r = await read.listProjects(deps, actor, { status: request.query.status, q: request.query.q, mine: request.query.mine, page, pageSize });
      return { items: r.rows.map((p) => s.mapProject(p, r.lots, actor.now, r.names)), total: r.total, page, pageSize };
    },
  );

  app.get(
    '/api/v1/trading/projects/:id',
    { config: READ, schema: { tags: TAG, summary: '招标项目详情（含标段）', params: IdParams, response: { 200: s.Project, ...STANDARD_ERRORS } } },
    async (request) => {
      const actor = actorOf(request);
      return one(await read.getProject(deps, actor, request.params.id), actor.now);
    },
  );

  app.get(
    '/api/v1/trading/lots/:id',
    { config: READ, schema: { tags: TAG, summary: '标段所属的招标项目（含全部标段），供只知道标段的页面使用', params: IdParams, response: { 200: Type.Object({ lotId: Uuid, project: s.Project }), ...STANDARD_ERRORS } } },
    async (request) => {
      const actor = actorOf(request);
      return { lotId: request.params.id, project: one(await read.getProjectOfLot(deps, actor, request.params.id), actor.now) };
    },
  );

  app.get(
    '/api/v1/trading/projects/:id/timeline',
    {
      config: READ,
      schema: { tags: TAG, summary: '交易全过程记录（按统一交易标识码的事件流；开标前对招标人隐去投标人信息）', params: IdParams, response: { 200: Type.Object({ dealCode: Type.Union([Type.String(), Type.Null()]), events: Type.Array(DealEvent) }), ...STANDARD_ERRORS } },
    },
    async (request) => {
      const r = await read.dealTimeline(deps, actorOf(request), request.params.id);
      return { dealCode: r.project.deal_code, events: r.events.map(mapDealEvent) };
    },
  );

  app.post(
    '/api/v1/trading/projects/:id/demo-clock',
    {
      config: ACCEPT,
      schema: {
        tags: TAG,
        summary: '演示模式：将本项目的交易时钟快进到指定时间（生产环境拒绝）',
        params: IdParams,
        body: Type.Object({ to: Type.String({ format: 'date-time' }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ offsetMs: Type.Integer(), dealNow: Type.String() }), ...STANDARD_ERRORS },
      },
    },
    async (request) => {
      const r = await moveDealClock(deps, actorOf(request), request.params.id, new Date(request.body.to));
      return { offsetMs: r.offsetMs, dealNow: r.dealNow.toISOString() };
    },
  );
}
