// Node-to-node calls of the federation: a city asks the province (its registry, later its data
// services), the province answers. One request, one reply, both sealed envelopes
// (federation.envelope.ts) over HTTP POST to /api/v1/federation/messages.
//
// A module offers an action by adding a handler to the catalogue (`FederationHandlers`): its
// name, which kind of node may ask, the payload's schema and the function. Deny by default: an
// action nobody registered, or asked by the wrong kind of node, is refused inside the reply.
// The reply's payload is `{ ok: true, result }` or `{ ok: false, problem }`; the caller turns a
// problem back into the same AppError (status, code, field, Chinese detail) the peer raised, so a
// city's user reads the province's validation message unchanged. A peer that cannot be reached,
// answers late or answers with anything but a valid envelope is `unavailable` (503) to the
// caller's user, with nothing stored on either side.

import type { Static, TSchema } from '@sinclair/typebox';
import { Value, type ValueError } from '@sinclair/typebox/value';
import type { FederationPeer, NodeRole } from '../config.ts';
import type { Deps } from '../deps.ts';
import { AppError, ERROR_CODES, type ErrorCode, type FieldError } from '../errors.ts';
import { sm3Hex } from '../crypto/sm3.ts';
import { FederationRefusal, newSessionKey, openReply, sealEnvelope, type SessionKey } from './federation.envelope.ts';

export const MESSAGES_PATH = '/api/v1/federation/messages';
export const PROVINCE_REGION = '140000';

export interface FederationHandler {
  action: string;
  /** The kind of node that may ask. */
  from: NodeRole;
  payload: TSchema;
  handle(deps: Deps, peer: FederationPeer, payload: unknown, now: Date): Promise<unknown>;
}

/** The catalogue of actions this node answers. */
export class FederationHandlers {
  private readonly byAction = new Map<string, FederationHandler>();

  add(handler: FederationHandler): void {
    if (this.byAction.has(handler.action)) throw new Error(`federation action ${handler.action} registered twice`);
    this.byAction.set(handler.action, handler);
  }

  get(action: string): FederationHandler | undefined {
    return this.byAction.get(action);
  }
}

export type ReplyPayload = { ok: true; result: unknown } | { ok: false; problem: RelayedProblem };

interface RelayedProblem {
  code: ErrorCode;
  detail: string;
  errors?: FieldError[] | undefined;
  extra?: Record<string, unknown> | undefined;
}

// ---- session keys (see federation.envelope.ts) ----

/** The caller's side: per node (its keys object) and peer, the session key in use and since when. */
const sessionsInUse = new WeakMap<object, Map<string, { session: SessionKey; since: number }>>();

/** The session key to send to `peer` now: the one in use while younger than the reuse period, else a fresh one. */
function reusableSession(deps: Pick<Deps, 'config' | 'keys' | 'clock'>, peer: FederationPeer): SessionKey {
  const now = deps.clock.now().getTime();
  let byPeer = sessionsInUse.get(deps.keys);
  if (!byPeer) sessionsInUse.set(deps.keys, (byPeer = new Map()));
  const slot = `${peer.region}|${peer.publicKey}`;
  const held = byPeer.get(slot);
  const reuseMs = deps.config.federation.sessionSeconds * 1000;
  if (held && now - held.since < reuseMs && now >= held.since) return held.session;
  const session = newSessionKey(peer.publicKey);
  if (reuseMs > 0) byPeer.set(slot, { session, since: now });
  return session;
}

/**
 * The recipient's side: session keys it opened, by the SM3 of their sealed form, for as long as a
 * sender may reuse one (plus the skew). Bounded: a node has a dozen peers, each with one key in
 * use at a time; 1,000 entries is room for every peer's key changes and is never a memory risk.
 */
export class OpenedKeys {
  private readonly byDigest = new Map<string, { key: Buffer; at: number }>();
  private static readonly MAX = 1000;

  constructor(private readonly ttlMs: number) {}

  open(sealed: string, now: Date, decrypt: () => Buffer): Buffer {
    const digest = sm3Hex(sealed);
    const held = this.byDigest.get(digest);
    if (held && now.getTime() - held.at < this.ttlMs && now.getTime() >= held.at) return held.key;
    const key = decrypt();
    if (this.ttlMs > 0) {
      this.byDigest.delete(digest);
      if (this.byDigest.size >= OpenedKeys.MAX) this.byDigest.delete(this.byDigest.keys().next().value!);
      this.byDigest.set(digest, { key, at: now.getTime() });
    }
    return key;
  }
}

export function peerOf(deps: Pick<Deps, 'config'>, region: string): FederationPeer | undefined {
  return deps.config.federation.peers.find((p) => p.region === region);
}

export function roleOfRegion(region: string): NodeRole {
  return region === PROVINCE_REGION ? 'province' : 'city';
}

export function problemOf(err: unknown): RelayedProblem {
  if (err instanceof AppError) return { code: err.code, detail: err.detail, errors: err.errors, extra: err.extra };
  return { code: 'internal', detail: ERROR_CODES.internal.title };
}

/** The field a payload error is about; a union's error names the first field of its first branch. */
function fieldOf(error: ValueError | undefined): string {
  if (error === undefined) return 'payload';
  const inner = error.errors[0]?.First();
  if (inner !== undefined) return fieldOf(inner);
  return error.path.replace(/^\//, '').replace(/\//g, '.') || 'payload';
}

/** Runs the handler for an opened request; every outcome is a reply payload, never a throw. */
export async function answer(deps: Deps, handlers: FederationHandlers, peer: FederationPeer, action: string, payload: unknown, now: Date): Promise<{ reply: ReplyPayload; error?: unknown }> {
  const handler = handlers.get(action);
  if (handler === undefined || handler.from !== roleOfRegion(peer.region)) {
    return { reply: { ok: false, problem: { code: 'forbidden', detail: `本节点不向该节点提供此项数据服务（${action}）` } } };
  }
  if (!Value.Check(handler.payload, payload)) {
    const field = fieldOf(Value.Errors(handler.payload, payload).First());
    const detail = `节点间请求的字段 ${field} 不符合约定`;
    return { reply: { ok: false, problem: { code: 'validation_failed', detail, errors: [{ field, rule: 'schema', message: detail }] } } };
  }
  try {
    return { reply: { ok: true, result: await handler.handle(deps, peer, payload, now) } };
  } catch (err) {
    return { reply: { ok: false, problem: problemOf(err) }, error: err instanceof AppError && err.status < 500 ? undefined : err };
  }
}

/**
 * A peer's result, checked against the shape the caller relies on: the peer is authenticated,
 * but a damaged or incompatible answer must be an outage to the user, not a broken page.
 */
export function checkedResult<T extends TSchema>(schema: T, value: unknown, action: string): Static<T> {
  if (!Value.Check(schema, value)) throw new AppError('unavailable', '对端节点的应答无法识别，请稍后再试', { logMessage: `federation result of ${action} is out of shape` });
  return value as Static<T>;
}

function unavailable(peer: string, logMessage: string, cause?: unknown): AppError {
  const name = peer === PROVINCE_REGION ? '省级平台' : `节点 ${peer}`;
  return new AppError('unavailable', `${name}暂时无法访问，请稍后再试；本次操作未保存任何数据`, { logMessage, cause });
}

/**
 * Asks `region` for `action` and returns its result, or throws the AppError the peer raised, or
 * `unavailable`. `fetchImpl` is there for tests that put something between the two nodes.
 */
export async function callPeer(deps: Pick<Deps, 'config' | 'keys' | 'clock'>, region: string, action: string, payload: unknown, fetchImpl: typeof fetch = fetch): Promise<unknown> {
  const peer = peerOf(deps, region);
  if (peer?.url === undefined) {
    throw new AppError('unavailable', region === PROVINCE_REGION ? '本节点尚未配置省级平台的地址和公钥，无法读取全省统一的数据；请联系系统管理员' : `本节点未配置节点 ${region}`, { logMessage: `federation peer ${region} is not configured` });
  }
  const { config, keys, clock } = deps;
  const { envelope: request, session } = sealEnvelope({ from: config.regionCode, to: region, action, payload, senderPrivateKey: keys.federationSm2.privateKey, recipientPublicKey: peer.publicKey, now: clock.now(), session: reusableSession(deps, peer) });
  let response: Response;
  let text: string;
  try {
    response = await fetchImpl(peer.url + MESSAGES_PATH, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(request), signal: AbortSignal.timeout(config.federation.timeoutMs) });
    text = await response.text();
  } catch (err) {
    throw unavailable(region, `federation call ${action} to ${region} failed: ${(err as Error).name}`, err);
  }
  if (response.status !== 200) throw unavailable(region, `federation call ${action} to ${region} answered ${response.status}: ${text.slice(0, 200)}`);
  let replyPayload: unknown;
  try {
    replyPayload = openReply(JSON.parse(text), request, session.key, clock.now(), config.federation.maxSkewSeconds * 1000);
  } catch (err) {
    const reason = err instanceof FederationRefusal ? err.reason : 'malformed';
    throw unavailable(region, `federation reply of ${region} to ${action} refused: ${reason}`, err);
  }
  const r = replyPayload as ReplyPayload;
  if (r?.ok === true) return r.result;
  if (r?.ok === false && typeof r.problem?.code === 'string' && r.problem.code in ERROR_CODES && typeof r.problem.detail === 'string') {
    const p = r.problem;
    if (ERROR_CODES[p.code].status >= 500) throw unavailable(region, `federation call ${action} to ${region} failed there: ${p.code}`);
    throw new AppError(p.code, p.detail, { errors: p.errors, extra: p.extra, logMessage: `${p.code} from node ${region} (${action})` });
  }
  throw unavailable(region, `federation reply of ${region} to ${action} is not a reply payload`);
}
