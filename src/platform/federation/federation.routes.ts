// The federation's two routes. `POST /api/v1/federation/messages` takes a sealed envelope from a
// peer node and answers with one. It carries no user session: the envelope authenticates its
// sender (its SM2 signature with the key configured for that peer), so the route is declared
// public to the session guard and checks the envelope itself before reading anything else. A
// refused envelope (malformed, not for this node, unknown sender, bad signature, outside the
// allowed skew, replayed, not sealed to this node) gets a plain problem document naming only the
// reason, and an audit entry. `GET /api/v1/federation/node` publishes this node's region, role
// and federation public key, for the operators who configure its peers.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { appendAudit } from '../audit/audit.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { auditContext, contextOf } from '../http/context.ts';
import { ENVELOPE_VERSION, FederationRefusal, openEnvelope, sealReply } from './federation.envelope.ts';
import { purgeMessageIds, takeMessageId } from './federation.repository.ts';
import { answer, MESSAGES_PATH, OpenedKeys, peerOf, type FederationHandlers } from './federation.ts';

const TAG = ['节点互联'];

const NodeInfo = Type.Object(
  {
    region: Type.String({ description: '本节点的行政区划代码' }),
    role: Type.Union([Type.Literal('province'), Type.Literal('city')]),
    publicKey: Type.String({ description: '本节点的互联 SM2 公钥（十六进制，04‖x‖y）；对端节点按「区划代码=公钥@地址」配置它' }),
    envelopeVersion: Type.Integer(),
    peers: Type.Array(Type.String(), { description: '本节点已配置的对端节点（区划代码）' }),
  },
  { additionalProperties: false },
);

const REFUSAL_TEXT = {
  malformed: '节点间报文格式不正确',
  wrong_recipient: '节点间报文的收件节点不是本节点',
  unknown_peer: '未配置该节点，拒收其报文',
  bad_signature: '节点间报文签名验证失败',
  stale: '节点间报文已过期或时间不符（请检查两节点的时钟）',
  undecryptable: '节点间报文无法用本节点密钥解开',
  replayed: '节点间报文重复（疑似重放）',
  unexpected_reply: '节点间应答与请求不符',
} as const;

async function refuse(deps: Deps, request: FastifyRequest, err: FederationRefusal, claimed: { from?: unknown; action?: unknown }): Promise<AppError> {
  const from = typeof claimed.from === 'string' ? claimed.from.slice(0, 12) : null;
  const action = typeof claimed.action === 'string' ? claimed.action.slice(0, 60) : null;
  request.log.warn({ reason: err.reason, from, action }, 'federation message refused');
  await deps.db.transaction().execute((trx) => appendAudit(trx, auditContext(contextOf(request)), { action: 'federation.message.refused', result: 'denied', detail: { reason: err.reason, from, action } }));
  return new AppError(err.reason === 'malformed' ? 'validation_failed' : 'unauthenticated', REFUSAL_TEXT[err.reason], { extra: { reason: err.reason }, logMessage: `federation refused: ${err.reason}` });
}

export function registerFederationRoutes(root: FastifyInstance, deps: Deps, handlers: FederationHandlers): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { config, keys } = deps;
  const openedKeys = new OpenedKeys((config.federation.sessionSeconds + config.federation.maxSkewSeconds) * 1000);

  app.get(
    '/api/v1/federation/node',
    { config: { auth: { public: true } }, schema: { tags: TAG, summary: '本节点的互联信息（区划、角色、互联公钥）', security: [], response: { 200: NodeInfo } } },
    async () => ({ region: config.regionCode, role: config.nodeRole, publicKey: keys.federationSm2.publicKey, envelopeVersion: ENVELOPE_VERSION, peers: config.federation.peers.map((p) => p.region) }),
  );

  app.post(
    MESSAGES_PATH,
    {
      // Authenticated by the envelope's signature, not by a session (see the file's comment);
      // bounded per client address, so nobody can flood the audit trail with refusals.
      config: { auth: { public: true }, rateLimit: { max: config.federation.rateLimitPerMinute, timeWindow: 60_000 } },
      schema: {
        tags: TAG,
        summary: '接收对端节点的密封报文（SM2 签名、SM2 封装会话密钥、SM4 加密），以密封报文应答',
        security: [],
        body: Type.Object({}, { additionalProperties: true, description: '密封报文（见 docs/api.md「节点互联」）' }),
        response: { 200: Type.Object({}, { additionalProperties: true }), 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 429: { $ref: 'Problem#' } },
      },
    },
    async (request) => {
      const body = request.body as Record<string, unknown>;
      const now = request.now;
      const maxSkewMs = config.federation.maxSkewSeconds * 1000;
      let opened: ReturnType<typeof openEnvelope>;
      try {
        opened = openEnvelope(body, { self: config.regionCode, privateKey: keys.federationSm2.privateKey, peerKey: (r) => peerOf(deps, r)?.publicKey, now, maxSkewMs, openKey: (sealed, decrypt) => openedKeys.open(sealed, now, decrypt) });
        await purgeMessageIds(deps.db, new Date(now.getTime() - 2 * maxSkewMs));
        const fresh = await takeMessageId(deps.db, { peerRegion: opened.envelope.from, messageId: opened.envelope.id, action: opened.envelope.action, receivedAt: now });
        if (!fresh) throw new FederationRefusal('replayed', 'message id taken before');
      } catch (err) {
        if (err instanceof FederationRefusal) throw await refuse(deps, request, err, body);
        throw err;
      }
      const { envelope } = opened;
      const peer = peerOf(deps, envelope.from)!;
      const { reply, error } = await answer(deps, handlers, peer, envelope.action, opened.payload, now);
      if (error !== undefined) request.log.error({ err: error, from: envelope.from, action: envelope.action }, 'federation handler failed');
      else request.log.info({ from: envelope.from, action: envelope.action, ok: reply.ok }, 'federation message answered');
      return sealReply(envelope, opened.sessionKey, reply, deps.clock.now());
    },
  );
}
