// Routes of the bid box: the streamed upload and the bidder's own bid, the staff's view, the
// platform's public key and receipt verification. Keys, rehearsal, re-sealing, security and
// decryption are in trading.bids.keys.routes.ts.

import { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../platform/deps.ts';
import { SM2_DEFAULT_USER_ID } from '../../platform/crypto/sm2.ts';
import { actorOf } from '../../platform/http/context.ts';
import { Page, STANDARD_ERRORS } from '../../platform/http/schemas.ts';
import * as s from './trading.bids.schemas.ts';
import * as bids from './trading.bids.service.ts';
import { intakeEvents, withdrawalEvents } from './trading.bids.events.ts';
import { DEFAULT_BID_INTAKE_RULES, verifyReceipt, type BidIntakeRules } from './trading.bids.rules.ts';
import { registerBidKeyRoutes } from './trading.bids.keys.routes.ts';

const TAG = ['投标'];
const BIDDER = { auth: { permission: 'trading.bid.submit' } } as const;
const ERRORS = { ...STANDARD_ERRORS, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' } } as const;

/** The intake rules of this installation: the largest envelope is configuration (GGZY_BID_MAX_BYTES). */
export function intakeRulesOf(deps: Pick<Deps, 'config'>): BidIntakeRules {
  return { ...DEFAULT_BID_INTAKE_RULES, maxBidBytes: deps.config.bidMaxBytes };
}

export function registerBidRoutes(root: FastifyInstance, deps: Deps, rules: BidIntakeRules = intakeRulesOf(deps)): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/public/platform-key',
    { config: { auth: { public: true } }, schema: { tags: TAG, summary: '平台 SM2 签名公钥（用于校验投标回执等平台签名）', security: [], response: { 200: s.PlatformKey } } },
    async () => ({ algorithm: 'SM2 (GM/T 0003.2, SM3, DER)', publicKey: deps.keys.platformSm2.publicKey, userId: SM2_DEFAULT_USER_ID, signs: '回执 JSON 的规范化形式（键按字典序、无空白）' }),
  );

  app.post(
    '/api/v1/public/receipts/verify',
    { config: { auth: { public: true } }, schema: { tags: TAG, summary: '校验投标回执的平台签名', security: [], body: s.VerifyBody, response: { 200: Type.Object({ valid: Type.Boolean() }), 400: { $ref: 'Problem#' } } } },
    async (request) => ({ valid: verifyReceipt(request.body.receipt, request.body.signature, deps.keys.platformSm2.publicKey) }),
  );

  // The envelope is the body itself, streamed straight to disk: not buffered, not parsed by
  // Fastify. Fastify does not apply bodyLimit to a parser that hands the stream through, so
  // the envelope scanner enforces the size as the bytes arrive (and the declared length up front).
  void app.register(async (scoped) => {
    scoped.addContentTypeParser('application/octet-stream', { bodyLimit: rules.maxBidBytes }, (_request, payload, done) => done(null, payload));
    const typed = scoped.withTypeProvider<TypeBoxTypeProvider>();
    typed.put(
      '/api/v1/trading/lots/:lotId/bids/mine',
      {
        config: BIDDER,
        bodyLimit: rules.maxBidBytes,
        schema: {
          tags: TAG,
          summary: '递交（或替换）投标文件：请求体为 GGZYBID1 加密信封，x-bid-seals 为文件密钥给每把有效密封公钥的封装；完整接收并落盘后返回平台签名的回执',
          consumes: ['application/octet-stream'],
          params: s.LotParams,
          response: { 201: s.IntakeResult, ...ERRORS, 413: { $ref: 'Problem#' }, 415: { $ref: 'Problem#' } },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const seals = s.parseSealsHeader(request.headers['x-bid-seals']);
        const length = request.headers['content-length'];
        const client = request.headers['x-bid-client'];
        const r = await bids.receiveBid(
          deps,
          actor,
          request.params.lotId,
          { body: request.body as AsyncIterable<Uint8Array>, ownedChunks: request.raw.socket instanceof Socket, declaredLength: length === undefined ? undefined : Number(length), seals, client: typeof client === 'string' ? client.slice(0, 100) : null },
          rules,
          intakeEvents(actor),
        );
        return reply.status(201).send({ bid: s.mapBid(r.bid), receipt: r.receipt, signature: r.signature, replacedBidId: r.replacedBidId });
      },
    );
  });

  app.get(
    '/api/v1/trading/lots/:lotId/bids/mine',
    { config: BIDDER, schema: { tags: TAG, summary: '本主体在该标段的投标文件、回执、密钥封装、演练记录与每次递交', params: s.LotParams, response: { 200: s.MyBid, ...ERRORS } } },
    async (request) => {
      const v = await bids.myBid(deps, actorOf(request), request.params.lotId);
      return {
        lot: s.mapLot(v.window),
        bid: v.bid && s.mapBid(v.bid),
        seals: v.seals.map((x) => ({ sealingKeyId: x.sealing_key_id, label: x.label, fingerprint: x.fingerprint, sealedKey: x.sealed_key, via: x.via, addedAt: x.added_at.toISOString(), keyRevoked: x.revoked_at !== null })),
        rehearsals: v.rehearsals.map((r) => ({ id: r.id, sealingKeyId: r.sealing_key_id, ok: r.ok, at: r.at.toISOString() })),
        attempts: v.attempts.map((a) => ({ id: a.id, attempt: a.attempt, status: a.status, failureReason: a.failure_reason, startedAt: a.started_at.toISOString(), receivedAt: a.received_at?.toISOString() ?? null })),
        security: v.security && s.mapSecurity(v.security),
      };
    },
  );

  app.get(
    '/api/v1/trading/bids/mine',
    {
      config: BIDDER,
      schema: { tags: TAG, summary: '我的投标：本主体投过的每个标段的最近一次递交（状态、回执），按递交时间倒序分页', querystring: s.MyBidsQuery, response: { 200: Page(s.MyBidListItem), ...ERRORS } },
    },
    async (request) => {
      const page = request.query.page ?? 1;
      const pageSize = request.query.pageSize ?? 20;
      const r = await bids.myBids(deps, actorOf(request), { page, pageSize });
      return { items: r.rows.map(s.mapMyBidListItem), total: r.total, page, pageSize };
    },
  );

  app.delete(
    '/api/v1/trading/lots/:lotId/bids/mine',
    { config: BIDDER, schema: { tags: TAG, summary: '投标截止前撤回已递交的投标文件', params: s.LotParams, response: { 200: s.Bid, ...ERRORS } } },
    async (request) => {
      const actor = actorOf(request);
      return s.mapBid(await bids.withdrawBid(deps, actor, request.params.lotId, withdrawalEvents(actor)));
    },
  );

  app.get(
    '/api/v1/trading/lots/:lotId/bids',
    {
      config: { auth: { permission: 'trading.deal.read' } },
      schema: { tags: TAG, summary: '标段的投标情况：开标解密结束前只有数量与递交时间，不显示投标人', params: s.LotParams, response: { 200: s.StaffBids, ...ERRORS } },
    },
    async (request) => {
      const v = await bids.staffBids(deps, actorOf(request), request.params.lotId);
      if (!v.disclosed) return { disclosed: false, count: v.count, receivedAt: v.receivedAt.map((d) => d.toISOString()) };
      return {
        disclosed: true,
        count: v.count,
        bids: v.bids.map((b) => ({ id: b.id, bidder: { entityId: b.bidder_entity_id, name: b.bidder_name }, status: b.status, receivedAt: b.received_at?.toISOString() ?? null, receipt: b.receipt as never, receiptSignature: b.receipt_signature, decryptFailure: b.decrypt_failure })),
      };
    },
  );

  registerBidKeyRoutes(root, deps, rules);
}
