// HTTP routes of the evaluation panel draw. Thin: schema, permission, one service call, map.
// For now the caller states the deal (code, lot, region, category) and the entities to avoid;
// the trading module will fill them from the deal.

import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../platform/deps.ts';
import { actorOf } from '../../platform/http/context.ts';
import { IdParams, Nullable, STANDARD_ERRORS } from '../../platform/http/schemas.ts';
import * as draws from './experts.draw.ts';
import * as s from './experts.draw.schemas.ts';

const TAG = ['评标专家抽取'];
const READ = { auth: { permission: 'experts.panel.read' } } as const;
const DRAW = { auth: { permission: 'experts.panel.draw' } } as const;
const ERRORS = { ...STANDARD_ERRORS, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' } } as const;

export function registerDrawRoutes(root: FastifyInstance, deps: Deps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/v1/experts/draws',
    { config: DRAW, schema: { tags: TAG, summary: '随机抽取评标专家（回避、信用核查、候补）', body: s.DrawCreate, response: { 201: s.Draw, ...ERRORS } } },
    async (request, reply) => reply.status(201).send(s.mapDraw(await draws.drawPanel(deps, actorOf(request), request.body))),
  );

  app.get(
    '/api/v1/experts/draws',
    { config: READ, schema: { tags: TAG, summary: '某项目的专家抽取记录（数据范围内）', querystring: s.DrawListQuery, response: { 200: s.DrawList, ...ERRORS } } },
    async (request) => ({ items: (await draws.listDraws(deps, actorOf(request), request.query.dealCode)).map(s.mapDraw) }),
  );

  app.get(
    '/api/v1/experts/draws/:id',
    { config: READ, schema: { tags: TAG, summary: '专家抽取记录详情', params: IdParams, response: { 200: s.Draw, ...ERRORS } } },
    async (request) => s.mapDraw(await draws.getDraw(deps, actorOf(request), request.params.id)),
  );

  app.post(
    '/api/v1/experts/draws/:id/responses',
    { config: DRAW, schema: { tags: TAG, summary: '登记专家应答（拒绝或联系不上时递补候补专家）', params: IdParams, body: s.ResponseCreate, response: { 200: Type.Object({ draw: s.Draw, replacedBy: Nullable(Type.String()) }), ...ERRORS } } },
    async (request) => {
      const { expertId, ...answer } = request.body;
      const r = await draws.recordResponse(deps, actorOf(request), request.params.id, expertId, answer);
      return { draw: s.mapDraw(r.view), replacedBy: r.replacedBy };
    },
  );

  app.post(
    '/api/v1/experts/draws/:id/top-up',
    { config: DRAW, schema: { tags: TAG, summary: '候补用尽时补充抽取（新种子，排除已抽中的专家）', params: IdParams, response: { 200: s.Draw, ...ERRORS } } },
    async (request) => s.mapDraw(await draws.topUpDraw(deps, actorOf(request), request.params.id)),
  );

  app.post(
    '/api/v1/experts/draws/:id/confirm',
    { config: DRAW, schema: { tags: TAG, summary: '确认评标专家名单（各专业均已足额同意）', params: IdParams, response: { 200: s.Draw, ...ERRORS } } },
    async (request) => s.mapDraw(await draws.confirmPanel(deps, actorOf(request), request.params.id)),
  );

  app.get(
    '/api/v1/experts/draws/:id/verification',
    { config: READ, schema: { tags: TAG, summary: '复核抽取：按记录的种子与合格名单重算并比对', params: IdParams, response: { 200: s.VerificationSchema, ...ERRORS } } },
    async (request) => draws.verifyDraw(deps, actorOf(request), request.params.id),
  );
}
