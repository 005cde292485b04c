// HTTP routes of the evaluation: the panel (centre staff), the experts' scoring (expert
// accounts), the report, and the reads. The candidates, award and contract routes are in
// trading.award.routes.ts and registered from here, so app.ts names one function.
//
// Access: the panel and the evaluation steps need trading.evaluation.manage (the centre's
// evaluation organiser); the draw underneath also checks experts.panel.draw, so the organiser
// holds both (centre_staff does). Scoring needs evaluation.score.submit (the built-in expert role)
// and membership of the lot's confirmed panel.

import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../platform/deps.ts';
import { actorOf } from '../../platform/http/context.ts';
import { IdParams, Page, PageQuery, STANDARD_ERRORS, Uuid } from '../../platform/http/schemas.ts';
import { Draw, mapDraw } from '../experts/experts.draw.schemas.ts';
import * as adjustments from './trading.adjustments.ts';
import { registerAwardRoutes } from './trading.award.routes.ts';
import * as evaluation from './trading.evaluation.ts';
import * as read from './trading.evaluation.read.ts';
import * as s from './trading.evaluation.schemas.ts';
import * as scores from './trading.scores.ts';

const TAG = ['电子交易·评标'];
const EVAL = { auth: { permission: 'trading.evaluation.manage' } } as const;
const SCORE = { auth: { permission: 'evaluation.score.submit' } } as const;
const READ = { auth: { anyPermission: ['trading.deal.read', 'trading.tender.manage'] } } as const;
const PageOnly = Type.Object(PageQuery, { additionalProperties: false });
const ERRORS = { ...STANDARD_ERRORS, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' } } as const;

export function registerTradingEvaluationRoutes(root: FastifyInstance, deps: Deps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const view = async (request: Parameters<typeof actorOf>[0], id: string) => {
    const actor = actorOf(request);
    return s.mapEvaluation(await read.evaluationView(deps, actor, id), actor.principal.entityId === null);
  };

  app.post(
    '/api/v1/trading/lots/:id/panel',
    { config: EVAL, schema: { tags: TAG, summary: '为已开标的标段抽取评标专家（自动回避招标人、代理机构、本标段全部投标人和行政监督部门）', params: IdParams, body: s.PanelBody, response: { 201: Draw, ...ERRORS } } },
    async (request, reply) => reply.status(201).send(mapDraw(await evaluation.drawLotPanel(deps, actorOf(request), request.params.id, request.body))),
  );

  app.post(
    '/api/v1/trading/lots/:id/panel/responses',
    { config: EVAL, schema: { tags: TAG, summary: '登记被抽取专家的应答（拒绝或联系不上时递补候补专家）', params: IdParams, body: s.ResponseBody, response: { 200: Type.Object({ draw: Draw, replacedBy: Type.Union([Type.String(), Type.Null()]) }), ...ERRORS } } },
    async (request) => {
      const { expertId, ...answer } = request.body;
      const r = await evaluation.recordLotResponse(deps, actorOf(request), request.params.id, expertId, answer);
      return { draw: mapDraw(r.view), replacedBy: r.replacedBy };
    },
  );

  app.post(
    '/api/v1/trading/lots/:id/panel/top-up',
    { config: EVAL, schema: { tags: TAG, summary: '候补专家用尽时为空缺席位补充抽取（新一轮，已在名单中的专家不再抽取）', params: IdParams, response: { 200: Draw, ...ERRORS } } },
    async (request) => mapDraw(await evaluation.topUpLotPanel(deps, actorOf(request), request.params.id)),
  );

  app.post(
    '/api/v1/trading/lots/:id/panel/confirm',
    { config: EVAL, schema: { tags: TAG, summary: '确认评标委员会名单', params: IdParams, response: { 200: Draw, ...ERRORS } } },
    async (request) => mapDraw(await evaluation.confirmLotPanel(deps, actorOf(request), request.params.id)),
  );

  app.post(
    '/api/v1/trading/lots/:id/evaluation/start',
    { config: EVAL, schema: { tags: TAG, summary: '开始评标（评标委员会已确认）', params: IdParams, response: { 200: s.Evaluation, ...ERRORS } } },
    async (request) => {
      await evaluation.startEvaluation(deps, actorOf(request), request.params.id);
      return view(request, request.params.id);
    },
  );

  app.post(
    '/api/v1/trading/lots/:id/evaluation/report',
    { config: EVAL, schema: { tags: TAG, summary: '汇总全体评委已确认的评分，生成并签名评标报告（有效投标不足时否决全部投标，招标失败）', params: IdParams, response: { 200: s.Evaluation, ...ERRORS } } },
    async (request) => {
      await evaluation.reportEvaluation(deps, actorOf(request), request.params.id);
      return view(request, request.params.id);
    },
  );

  app.get(
    '/api/v1/trading/lots/:id/evaluation',
    { config: READ, schema: { tags: TAG, summary: '评标情况（工作人员；招标人在评标报告提交后，专家姓名在中标结果公告前隐去）', params: IdParams, response: { 200: s.Evaluation, ...ERRORS } } },
    async (request) => view(request, request.params.id),
  );

  app.get(
    '/api/v1/trading/lots/:id/evaluation/report.pdf',
    { config: READ, schema: { tags: TAG, summary: '评标报告 PDF（平台 SM2 签名，签名见 x-document-signature）', params: IdParams, response: ERRORS } },
    async (request, reply) => {
      const f = await read.reportPdf(deps, actorOf(request), request.params.id);
      return reply.type('application/pdf').header('cache-control', 'private, no-store').header('x-document-sm3', f.signature.sm3).header('x-document-signature', f.signature.signature).send(f.data);
    },
  );

  // ---- the expert's side ----

  app.get(
    '/api/v1/trading/evaluations/mine',
    { config: SCORE, schema: { tags: TAG, summary: '本人参加评标的标段（按评标开始时间倒序分页）', querystring: PageOnly, response: { 200: Page(s.ExpertLot), ...ERRORS } } },
    async (request) => {
      const page = request.query.page ?? 1;
      const pageSize = request.query.pageSize ?? 20;
      const r = await scores.myLots(deps, actorOf(request), { page, pageSize });
      return { items: r.rows.map(s.mapExpertLot), total: r.total, page, pageSize };
    },
  );

  app.get(
    '/api/v1/trading/lots/:id/evaluation/bids',
    { config: SCORE, schema: { tags: TAG, summary: '评标：解密后的投标（开标记录各项）、评标办法及本人评分', params: IdParams, response: { 200: s.BidsForExpert, ...ERRORS } } },
    async (request) => {
      const r = await scores.bidsForExpert(deps, actorOf(request), request.params.id);
      return s.mapBidsForExpert(r.member.lot.id, r.member.lot.name, r.member.method, r.bids, r.member.score);
    },
  );

  app.get(
    '/api/v1/trading/lots/:id/evaluation/bids/:bidId/package',
    { config: SCORE, schema: { tags: TAG, summary: '下载解密后的投标文件（按 SM3 摘要取自文件库，调阅留痕）', params: Type.Object({ id: Uuid, bidId: Uuid }, { additionalProperties: false }), response: { ...ERRORS, 503: { $ref: 'Problem#' } } } },
    async (request, reply) => {
      const f = await scores.bidPackage(deps, actorOf(request), request.params.id, request.params.bidId);
      return reply.type('application/octet-stream').header('cache-control', 'private, no-store').header('x-document-sm3', f.digest).send(f.data);
    },
  );

  app.get(
    '/api/v1/trading/lots/:id/scores/mine',
    { config: SCORE, schema: { tags: TAG, summary: '本人评分', params: IdParams, response: { 200: s.ScoreSheet, ...ERRORS } } },
    async (request) => s.mapScoreSheet(await scores.myScores(deps, actorOf(request), request.params.id)),
  );

  app.put(
    '/api/v1/trading/lots/:id/scores/mine',
    { config: SCORE, schema: { tags: TAG, summary: '提交本人评分及否决意见（须完整；确认前可重新提交）', params: IdParams, body: s.ScoresBody, response: { 200: s.ScoreSheet, ...ERRORS } } },
    async (request) => s.mapScoreSheet(await scores.saveMyScores(deps, actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/api/v1/trading/lots/:id/scores/mine/confirm',
    { config: SCORE, schema: { tags: TAG, summary: '确认本人评分（确认后锁定）', params: IdParams, response: { 200: s.ScoreSheet, ...ERRORS } } },
    async (request) => s.mapScoreSheet(await scores.confirmMyScores(deps, actorOf(request), request.params.id)),
  );

  app.get(
    '/api/v1/trading/lots/:id/evaluation/adjustments',
    { config: SCORE, schema: { tags: TAG, summary: '评标价调整（经评审的最低投标价法；评标委员会成员可见）', params: IdParams, response: { 200: s.Adjustments, ...ERRORS } } },
    async (request) => ({ items: (await adjustments.adjustmentsForMember(deps, actorOf(request), request.params.id)).map(s.mapAdjustment) }),
  );

  app.put(
    '/api/v1/trading/lots/:id/evaluation/adjustments',
    {
      config: SCORE,
      schema: { tags: TAG, summary: '记录评标委员会的评标价调整（整体替换；评标中、且尚无成员确认评分时）', params: IdParams, body: s.AdjustmentsBody, response: { 200: s.Adjustments, ...ERRORS } },
    },
    async (request) => ({ items: (await adjustments.recordAdjustments(deps, actorOf(request), request.params.id, request.body.adjustments)).map(s.mapAdjustment) }),
  );

  registerAwardRoutes(root, deps);
}
