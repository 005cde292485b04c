// The envelopes two nodes of the federation (the province and its cities) exchange: a request
// signed by its sender and readable only by its recipient, and a reply readable and writable
// only by the two of them; both bound to one moment and one message id.
//
// Request:
//   header    = [v, id, from, to, action, sentAt, inReplyTo = null]    (JSON array, as signed)
//   key       = SM2-encrypt(recipient's federation public key, K)      (hex C1‖C3‖C2), K = 16 bytes
//   body      = sealSm4(K, JSON payload, aad = header)                (SM4-CTR + HMAC-SM3)
//   signature = SM2-sign(sender's federation private key, header ‖ "\n" ‖ key ‖ "\n" ‖ body)
// Reply (no key, no signature):
//   header    = [v, id, from, to, action, sentAt, inReplyTo = the request's id]
//   body      = sealSm4(K of the request, JSON payload, aad = header)
// Only the requester (who drew K) and the recipient (who alone can open `key`) hold K, so a body
// that opens under K with its header as associated data was written by the other of the two,
// for this request. A reply therefore costs no SM2 operation; it proves the answer to the
// requester, not to a third party — an answer that must be provable later (a co-signature)
// carries its own signature in its payload.
//
// A sender may reuse K and its sealed form for a while (GGZY_FEDERATION_SESSION_SECONDS): every
// request is still signed, and K is still never sent in clear; the recipient remembers the keys
// it opened (by the SM3 of the sealed form, after the signature verified), so a reused key costs
// it no SM2 decryption either. A fresh K per request would cost four SM2 operations more per
// round trip (≈ 20 ms here, bench/registry-search.ts).
//
// The recipient of a request checks, in this order: the version; that it is the recipient; that
// it knows the sender; the signature (so nothing below is read from a forged envelope); the
// sending time within the allowed skew; then opens the key and the body. The replay guard (a
// message id is taken once per sender while its time is inside the window) needs storage and is
// the receiving route's job. Every failure is a `FederationRefusal` with a reason code; what the
// other side learns of it is the code, never the key material or the payload.

import crypto from 'node:crypto';
import { sm2Decrypt, sm2Encrypt, sm2Sign, sm2Verify } from '../crypto/sm2.ts';
import { openSm4, sealSm4 } from '../crypto/sm4.ts';

export const ENVELOPE_VERSION = 1;
const SESSION_KEY_BYTES = 16;
const ACTION = /^[a-z][a-z0-9-]{0,40}(\.[a-z][a-z0-9-]{0,40}){1,3}$/;
const REGION = /^\d{6}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What a request and a reply both carry in their header. */
interface Head {
  v: number;
  /** A fresh UUID per message: the replay guard's key. */
  id: string;
  /** Sender's region code. */
  from: string;
  /** Recipient's region code. */
  to: string;
  /** What is asked (`registry.public-entities`); a reply carries the request's action. */
  action: string;
  /** When the sender sealed it (ISO 8601, UTC). */
  sentAt: string;
}

export interface Envelope extends Head {
  /** Always null: a request answers nothing. */
  inReplyTo: string | null;
  key: string;
  body: string;
  signature: string;
}

export type RefusalReason =
  /** Not an envelope of this version, or a field out of shape. */
  | 'malformed'
  /** Addressed to another node. */
  | 'wrong_recipient'
  /** From a node this one has no key for. */
  | 'unknown_peer'
  /** The signature does not verify with the sender's key. */
  | 'bad_signature'
  /** Sent too long ago or in the future (beyond the allowed skew). */
  | 'stale'
  /** Signed by the sender but not sealed to this node's key (or damaged before signing). */
  | 'undecryptable'
  /** A message id already taken from this sender. */
  | 'replayed'
  /** The reply does not answer the request it came back for. */
  | 'unexpected_reply';

export class FederationRefusal extends Error {
  override name = 'FederationRefusal';
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
  }
}

export interface SealInput {
  from: string;
  to: string;
  action: string;
  payload: unknown;
  inReplyTo?: string | null;
  /** The sender's federation private key (hex). */
  senderPrivateKey: string;
  /** The recipient's federation public key (hex). */
  recipientPublicKey: string;
  now: Date;
  /** A session key to reuse (K and its sealed form to this recipient); absent → a fresh one. */
  session?: SessionKey | undefined;
}

export interface SessionKey {
  key: Buffer;
  /** K SM2-encrypted to the recipient (the request's `key`). */
  sealed: string;
}

/** A fresh session key sealed to `recipientPublicKey`. */
export function newSessionKey(recipientPublicKey: string): SessionKey {
  const key = crypto.randomBytes(SESSION_KEY_BYTES);
  return { key, sealed: sm2Encrypt(key, recipientPublicKey) };
}

function headerOf(e: Pick<Envelope, 'v' | 'id' | 'from' | 'to' | 'action' | 'sentAt' | 'inReplyTo'>): string {
  return JSON.stringify([e.v, e.id, e.from, e.to, e.action, e.sentAt, e.inReplyTo]);
}

function signedText(header: string, key: string, body: string): string {
  return `${header}\n${key}\n${body}`;
}

/** Seals a request; returns it with the session key its reply will be sealed under. */
export function sealEnvelope(input: SealInput): { envelope: Envelope; session: SessionKey } {
  if (!ACTION.test(input.action)) throw new Error(`not a federation action: ${input.action}`);
  const head = { v: ENVELOPE_VERSION, id: crypto.randomUUID(), from: input.from, to: input.to, action: input.action, sentAt: input.now.toISOString(), inReplyTo: null };
  const header = headerOf(head);
  const session = input.session ?? newSessionKey(input.recipientPublicKey);
  const body = sealSm4(session.key, JSON.stringify(input.payload ?? null), header);
  return { envelope: { ...head, key: session.sealed, body, signature: sm2Sign(signedText(header, session.sealed, body), input.senderPrivateKey) }, session };
}

export interface Reply extends Head {
  /** The request this answers. */
  inReplyTo: string;
  body: string;
}

/** Seals the reply to an opened request under that request's session key. */
export function sealReply(request: Envelope, sessionKey: Buffer, payload: unknown, now: Date): Reply {
  const head = { v: ENVELOPE_VERSION, id: crypto.randomUUID(), from: request.to, to: request.from, action: request.action, sentAt: now.toISOString(), inReplyTo: request.id };
  return { ...head, body: sealSm4(sessionKey, JSON.stringify(payload ?? null), headerOf(head)) };
}

/** Opens the reply to `request`; throws `FederationRefusal` for anything but its genuine, timely reply. */
export function openReply(value: unknown, request: Envelope, sessionKey: Buffer, now: Date, maxSkewMs: number): unknown {
  const e = shaped(value, false);
  if (e.from !== request.to || e.to !== request.from || e.inReplyTo !== request.id || e.action !== request.action) throw new FederationRefusal('unexpected_reply', 'the reply answers another request');
  checkSkew(e.sentAt, now, maxSkewMs);
  try {
    return JSON.parse(openSm4(sessionKey, e.body, headerOf(e)).toString('utf8'));
  } catch {
    throw new FederationRefusal('bad_signature', 'the reply does not open under the request key');
  }
}

function checkSkew(sentAt: string, now: Date, maxSkewMs: number): void {
  const skew = Math.abs(now.getTime() - Date.parse(sentAt));
  if (!(skew <= maxSkewMs)) throw new FederationRefusal('stale', `envelope sent ${sentAt}, outside the allowed skew`);
}

export interface OpenInput {
  /** This node's region code. */
  self: string;
  /** This node's federation private key. */
  privateKey: string;
  /** The public key of a known peer, or undefined. */
  peerKey(region: string): string | undefined;
  now: Date;
  maxSkewMs: number;
  /** Opens a sealed session key (a cache in front of SM2 decryption); absent → decrypt it here. */
  openKey?: ((sealed: string, open: () => Buffer) => Buffer) | undefined;
}

/** Shape check of an untrusted request; the message names the first field out of shape. */
export function asEnvelope(value: unknown): Envelope {
  return shaped(value, true) as Envelope;
}

function shaped(value: unknown, request: boolean): Reply & Partial<Envelope> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FederationRefusal('malformed', 'envelope is not an object');
  const e = value as Record<string, unknown>;
  if (e.v !== ENVELOPE_VERSION) throw new FederationRefusal('malformed', 'unknown envelope version');
  const text = (name: string, rule: RegExp): void => {
    if (typeof e[name] !== 'string' || !rule.test(e[name] as string)) throw new FederationRefusal('malformed', `envelope field ${name} is out of shape`);
  };
  text('id', UUID);
  text('from', REGION);
  text('to', REGION);
  text('action', ACTION);
  text('sentAt', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  text('body', /^v1\.[A-Za-z0-9_-]+$/);
  if (request) {
    if (e.inReplyTo !== null) throw new FederationRefusal('malformed', 'a request must not answer another message');
    text('key', /^[0-9a-f]{194,}$/);
    text('signature', /^30[0-9a-f]{8,}$/);
  } else {
    text('inReplyTo', UUID);
  }
  return e as unknown as Reply & Partial<Envelope>;
}

/** Checks and opens a request; returns it, its payload and its session key (for the reply). Throws `FederationRefusal`. */
export function openEnvelope(value: unknown, input: OpenInput): { envelope: Envelope; payload: unknown; sessionKey: Buffer } {
  const e = asEnvelope(value);
  if (e.to !== input.self) throw new FederationRefusal('wrong_recipient', `envelope is addressed to ${e.to}`);
  const peerKey = input.peerKey(e.from);
  if (peerKey === undefined) throw new FederationRefusal('unknown_peer', `no key for node ${e.from}`);
  const header = headerOf(e);
  if (!sm2Verify(signedText(header, e.key, e.body), e.signature, peerKey)) throw new FederationRefusal('bad_signature', `signature of node ${e.from} does not verify`);
  checkSkew(e.sentAt, input.now, input.maxSkewMs);
  const decrypt = (): Buffer => {
    let key: Buffer;
    try {
      key = sm2Decrypt(e.key, input.privateKey);
    } catch {
      throw new FederationRefusal('undecryptable', 'session key is not sealed to this node');
    }
    if (key.length !== SESSION_KEY_BYTES) throw new FederationRefusal('undecryptable', 'session key has the wrong length');
    return key;
  };
  const sessionKey = input.openKey ? input.openKey(e.key, decrypt) : decrypt();
  try {
    return { envelope: e, payload: JSON.parse(openSm4(sessionKey, e.body, header).toString('utf8')), sessionKey };
  } catch {
    throw new FederationRefusal('undecryptable', 'body does not open with the session key');
  }
}
