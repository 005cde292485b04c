// Routes of sealing keys, rehearsal, re-sealing, bid security, guarantee issuers and the
// bidder's decryption at the opening (registered by registerBidRoutes).

import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../platform/deps.ts';
import { invalid } from '../../platform/errors.ts';
import { actorOf } from '../../platform/http/context.ts';
import { IdParams, STANDARD_ERRORS } from '../../platform/http/schemas.ts';
import * as s from './trading.bids.schemas.ts';
import * as keys from './trading.bids.keys.ts';
import * as opening from './trading.bids.opening.ts';
import * as security from './trading.bids.security.ts';
import type { BidIntakeRules } from './trading.bids.rules.ts';
import * as bids from './trading.bids.service.ts';
import { decryptionEvents, resealEvents, securityEvents } from './trading.bids.events.ts';

const TAG = ['投标'];
const BIDDER = { auth: { permission: 'trading.bid.submit' } } as const;
const ERRORS = { ...STANDARD_ERRORS, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' } } as const;

export function registerBidKeyRoutes(root: FastifyInstance, deps: Deps, rules: BidIntakeRules): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/trading/sealing-keys',
    { config: BIDDER, schema: { tags: TAG, summary: '本主体登记的密封公钥（含已撤销）', response: { 200: Type.Object({ items: Type.Array(s.SealingKey) }), ...ERRORS } } },
    async (request) => ({ items: (await keys.listSealingKeys(deps, actorOf(request))).map(s.mapSealingKey) }),
  );

  app.post(
    '/api/v1/trading/sealing-keys',
    { config: BIDDER, schema: { tags: TAG, summary: '登记密封公钥（私钥只在投标人手中；建议登记两把：工作密钥与离线备用密钥）', body: s.SealingKeyCreate, response: { 201: s.SealingKey, ...ERRORS } } },
    async (request, reply) => reply.status(201).send(s.mapSealingKey(await keys.registerSealingKey(deps, actorOf(request), request.body))),
  );

  app.delete(
    '/api/v1/trading/sealing-keys/:id',
    { config: BIDDER, schema: { tags: TAG, summary: '撤销密封公钥（若某份待开标投标文件只能用它解密，则拒绝）', params: IdParams, response: { 200: s.SealingKey, ...ERRORS } } },
    async (request) => s.mapSealingKey(await keys.revokeSealingKey(deps, actorOf(request), request.params.id)),
  );

  app.post(
    '/api/v1/trading/lots/:lotId/bids/mine/rehearsal/challenge',
    { config: BIDDER, schema: { tags: TAG, summary: '解密演练：获取挑战值', params: s.LotParams, response: { 200: s.Challenge, ...ERRORS } } },
    async (request) => {
      const c = await keys.rehearsalChallenge(deps, actorOf(request), request.params.lotId, rules);
      return { bidId: c.bidId, challenge: c.challenge, expiresAt: c.expiresAt.toISOString() };
    },
  );

  app.post(
    '/api/v1/trading/lots/:lotId/bids/mine/rehearsal',
    { config: BIDDER, schema: { tags: TAG, summary: '解密演练：提交以文件密钥派生的承诺私钥对挑战值的签名（平台不接触文件密钥与内容）', params: s.LotParams, body: s.RehearsalBody, response: { 200: s.Rehearsal, ...ERRORS } } },
    async (request) => {
      const r = await keys.rehearse(deps, actorOf(request), request.params.lotId, request.body);
      return { id: r.id, sealingKeyId: r.sealing_key_id, ok: r.ok, at: r.at.toISOString() };
    },
  );

  app.put(
    '/api/v1/trading/lots/:lotId/bids/mine/seals/:keyId',
    { config: BIDDER, schema: { tags: TAG, summary: '为新的密封公钥补充文件密钥封装（须附承诺私钥签名，证明持有文件密钥）', params: s.LotKeyParams, body: s.SealBody, response: { 200: Type.Object({ sealingKeyId: Type.String(), addedAt: Type.String() }), ...ERRORS } } },
    async (request) => {
      const actor = actorOf(request);
      const w = await bids.windowOf(deps.db, request.params.lotId);
      const r = await keys.addSeal(deps, actor, request.params.lotId, request.params.keyId, request.body, resealEvents(actor, { dealCode: w.dealCode, lotCode: w.lotCode, at: bids.dealTime(w, actor.now) }));
      return { sealingKeyId: r.sealing_key_id, addedAt: r.added_at.toISOString() };
    },
  );

  app.post(
    '/api/v1/trading/lots/:lotId/bids/mine/security',
    { config: BIDDER, schema: { tags: TAG, summary: '缴纳投标保证金：基本账户现金或电子保函', params: s.LotParams, body: s.SecurityBody, response: { 201: s.Security, ...ERRORS } } },
    async (request, reply) => {
      const b = request.body;
      let input: security.SecurityInput;
      if (b.form === 'cash') {
        if (b.amountFen === undefined) throw invalid('body.amountFen', 'required', '请填写保证金金额');
        if (b.payingAccount === undefined) throw invalid('body.payingAccount', 'required', '请填写缴款账号');
        input = { form: 'cash', amountFen: b.amountFen, payingAccount: b.payingAccount };
      } else {
        if (!b.guarantee) throw invalid('body.guarantee', 'required', '请附电子保函');
        if (!b.signature) throw invalid('body.signature', 'required', '请附电子保函的出具机构签名');
        input = { form: 'guarantee', guarantee: b.guarantee, signature: b.signature };
      }
      const actor = actorOf(request);
      const w = await bids.windowOf(deps.db, request.params.lotId);
      return reply.status(201).send(s.mapSecurity(await security.lodgeSecurity(deps, actor, request.params.lotId, input, undefined, securityEvents(actor, w))));
    },
  );

  app.post(
    '/api/v1/trading/lots/:lotId/bids/mine/decrypt',
    { config: BIDDER, schema: { tags: TAG, summary: '开标解密：提交文件密钥（先核对承诺公钥，再解密并校验完整性）', params: s.LotParams, body: s.DecryptBody, response: { 200: s.DecryptResult, ...ERRORS } } },
    async (request) => {
      const actor = actorOf(request);
      const r = await opening.decryptOwnBid(deps, actor, request.params.lotId, request.body.fileKey, rules, decryptionEvents(actor));
      return { outcome: r.outcome, bid: s.mapBid(r.bid) };
    },
  );

  const ACCEPT = { auth: { permission: 'trading.project.accept' } } as const;
  app.get(
    '/api/v1/trading/guarantee-issuers',
    { config: ACCEPT, schema: { tags: TAG, summary: '登记的保函出具机构', response: { 200: Type.Object({ items: Type.Array(s.Issuer) }), ...ERRORS } } },
    async () => ({ items: (await security.listIssuers(deps)).map(s.mapIssuer) }),
  );
  app.post(
    '/api/v1/trading/guarantee-issuers',
    { config: ACCEPT, schema: { tags: TAG, summary: '登记保函出具机构及其 SM2 签名公钥', body: s.IssuerCreate, response: { 201: s.Issuer, ...ERRORS } } },
    async (request, reply) => reply.status(201).send(s.mapIssuer(await security.registerIssuer(deps, actorOf(request), request.body))),
  );
}
