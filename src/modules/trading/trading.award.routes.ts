// HTTP routes from the candidates to the contract: publicity and objections, the award with its
// signed notice, the contract (its PDF as the request body), and the public reads.

import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../platform/deps.ts';
import { actorOf } from '../../platform/http/context.ts';
import { IdParams, STANDARD_ERRORS, Uuid } from '../../platform/http/schemas.ts';
import * as award from './trading.award.ts';
import * as contract from './trading.contract.ts';
import * as read from './trading.evaluation.read.ts';
import * as s from './trading.evaluation.schemas.ts';
import * as release from './trading.release.ts';

const TAG = ['电子交易·定标与合同'];
const MANAGE = { auth: { permission: 'trading.tender.manage' } } as const;
const BID = { auth: { permission: 'trading.bid.submit' } } as const;
const READ = { auth: { anyPermission: ['trading.deal.read', 'trading.tender.manage', 'trading.bid.submit'] } } as const;
const ERRORS = { ...STANDARD_ERRORS, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' } } as const;
const ObjectionParams = Type.Object({ id: Uuid, objectionId: Uuid }, { additionalProperties: false });
const BidParams = Type.Object({ id: Uuid, bidId: Uuid }, { additionalProperties: false });

export function registerAwardRoutes(root: FastifyInstance, deps: Deps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const candidates = async (request: Parameters<typeof actorOf>[0], id: string) => s.mapCandidates(await read.candidatesView(deps, actorOf(request), id));

  app.post(
    '/api/v1/trading/lots/:id/candidates',
    { config: MANAGE, schema: { tags: TAG, summary: '公示中标候选人（收到评标报告之日起 3 日内，公示期不少于 3 日）', params: IdParams, body: s.CandidatesBody, response: { 201: s.Candidates, ...ERRORS } } },
    async (request, reply) => {
      await award.publishCandidates(deps, actorOf(request), request.params.id, request.body);
      return reply.status(201).send(await candidates(request, request.params.id));
    },
  );

  app.get(
    '/api/v1/trading/lots/:id/candidates',
    { config: READ, schema: { tags: TAG, summary: '中标候选人公示（投标人只看到本人的异议）', params: IdParams, response: { 200: s.Candidates, ...ERRORS } } },
    async (request) => candidates(request, request.params.id),
  );

  app.post(
    '/api/v1/trading/lots/:id/candidates/objections',
    { config: BID, schema: { tags: TAG, summary: '对评标结果提出异议（本标段投标人，公示期间）', params: IdParams, body: s.ObjectionBody, response: { 201: s.Objection, ...ERRORS } } },
    async (request, reply) => reply.status(201).send(s.mapObjection(await award.objectToCandidates(deps, actorOf(request), request.params.id, request.body.content))),
  );

  app.post(
    '/api/v1/trading/lots/:id/candidates/objections/:objectionId/reply',
    { config: MANAGE, schema: { tags: TAG, summary: '答复对评标结果的异议（收到之日起 3 日内；答复前暂停定标）', params: ObjectionParams, body: s.ReplyBody, response: { 200: s.Objection, ...ERRORS } } },
    async (request) => s.mapObjection(await award.answerCandidatesObjection(deps, actorOf(request), request.params.id, request.params.objectionId, request.body.reply)),
  );

  app.post(
    '/api/v1/trading/lots/:id/award',
    { config: MANAGE, schema: { tags: TAG, summary: '定标：发出中标通知书（平台签名）、发布中标结果公告、公开评标委员会名单', params: IdParams, body: s.AwardBody, response: { 201: s.Award, ...ERRORS } } },
    async (request, reply) => {
      const a = await award.issueAward(deps, actorOf(request), request.params.id, request.body);
      return reply.status(201).send(s.mapAward(a, true, deps.keys.platformSm2.publicKey));
    },
  );

  app.get(
    '/api/v1/trading/lots/:id/award',
    { config: READ, schema: { tags: TAG, summary: '定标结果（含中标通知书的 SM3 摘要、平台签名和平台公钥，可自行验签）', params: IdParams, response: { 200: s.Award, ...ERRORS } } },
    async (request) => {
      const v = await read.awardView(deps, actorOf(request), request.params.id);
      return s.mapAward(v.award, v.insider, deps.keys.platformSm2.publicKey);
    },
  );

  app.get(
    '/api/v1/trading/lots/:id/award/notice.pdf',
    { config: READ, schema: { tags: TAG, summary: '下载中标通知书 PDF（招标人、代理机构、中标人及工作人员）', params: IdParams, response: ERRORS } },
    async (request, reply) => {
      const f = await read.awardNoticePdf(deps, actorOf(request), request.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('中标通知书.pdf')}`)
        .header('cache-control', 'private, no-store')
        .header('x-document-sm3', f.signature.sm3)
        .header('x-document-signature', f.signature.signature)
        .send(f.data);
    },
  );

  void app.register(async (scoped) => {
    const limit = { bodyLimit: 50 * 1024 * 1024 };
    scoped.addContentTypeParser('application/pdf', { parseAs: 'buffer', ...limit }, (_request, body, done) => done(null, body));
    scoped.withTypeProvider<TypeBoxTypeProvider>().post(
      '/api/v1/trading/lots/:id/contract',
      {
        config: MANAGE,
        ...limit,
        schema: {
          tags: TAG,
          summary: '登记书面合同（中标通知书发出之日起 30 日内，价款须与中标价一致；请求体为合同 PDF）；随即退还全部投标保证金并结束标段',
          consumes: ['application/pdf'],
          params: IdParams,
          querystring: s.ContractQuery,
          response: { 201: s.Contract, ...ERRORS, 413: { $ref: 'Problem#' }, 415: { $ref: 'Problem#' } },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const r = await contract.recordContract(deps, actor, request.params.id, { price: request.query.price, signedOn: request.query.signedOn, fileName: request.query.name, data: request.body as Buffer });
        return reply.status(201).send(s.mapContract('closed', r.contract, r.releases));
      },
    );
  });

  app.get(
    '/api/v1/trading/lots/:id/contract',
    { config: READ, schema: { tags: TAG, summary: '合同登记信息及投标保证金退还情况', params: IdParams, response: { 200: s.Contract, ...ERRORS } } },
    async (request) => {
      const v = await read.contractView(deps, actorOf(request), request.params.id);
      return s.mapContract(v.lot.status, v.contract, v.releases);
    },
  );

  app.get(
    '/api/v1/trading/lots/:id/security-releases',
    { config: READ, schema: { tags: TAG, summary: '投标保证金退还情况：合同登记后或招标失败后退还（投标人只看到本主体的）', params: IdParams, response: { 200: s.SecurityReleases, ...ERRORS } } },
    async (request) => {
      const v = await read.releasesView(deps, actorOf(request), request.params.id);
      return { lotStatus: v.lot.status, items: v.releases.map(s.mapRelease), revoked: v.revoked.map(s.mapRevoked) };
    },
  );

  app.post(
    '/api/v1/trading/lots/:id/security-releases/:bidId/decision',
    {
      config: MANAGE,
      schema: {
        tags: TAG,
        summary: '撤销投标（开标时投标人未能解密）的投标保证金：招标人决定不予退还或退还，一经作出不能更改（实施条例第三十五条）',
        params: BidParams,
        body: s.SecurityDecisionBody,
        response: { 201: s.RevokedSecurity, ...ERRORS },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      await release.decideRevokedSecurity(deps, actor, request.params.id, request.params.bidId, request.body);
      const v = await read.releasesView(deps, actor, request.params.id);
      return reply.status(201).send(s.mapRevoked(v.revoked.find((r) => r.bid.bid_id === request.params.bidId)!));
    },
  );
}
