// The envelope two nodes of the federation (the province and its cities) exchange: signed by the
// sender, readable only by the recipient, bound to one moment and one message id.
//
//   header    = [v, id, from, to, action, sentAt, inReplyTo]       (JSON array, as signed)
//   key       = SM2-encrypt(recipient's federation public key, 16 random bytes)   (hex C1‖C3‖C2)
//   body      = sealSm4(those 16 bytes, JSON payload, aad = header)            (SM4-CTR + HMAC-SM3)
//   signature = SM2-sign(sender's federation private key, header ‖ "\n" ‖ key ‖ "\n" ‖ body)
//
// The recipient checks, in this order: the version; that it is the recipient; that it knows the
// sender; the signature (so nothing below is read from a forged envelope); the sending time
// within the allowed skew; then opens the key and the body. The replay guard (a message id is
// taken once per sender while its time is inside the window) needs storage and is the
// receiving route's job; a reply is bound to its request by `inReplyTo`, which the caller checks.
// Every failure is a `FederationRefusal` with a reason code; what the other side learns of it is
// the code, never the key material or the payload.

import crypto from 'node:crypto';
import { sm2Decrypt, sm2Encrypt, sm2Sign, sm2Verify } from '../crypto/sm2.ts';
import { openSm4, sealSm4 } from '../crypto/sm4.ts';

export const ENVELOPE_VERSION = 1;
const SESSION_KEY_BYTES = 16;
const ACTION = /^[a-z][a-z0-9-]{0,40}(\.[a-z][a-z0-9-]{0,40}){1,3}$/;
const REGION = /^\d{6}$/;

export interface Envelope {
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
  /** The request this answers; null for a request. */
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
}

function headerOf(e: Pick<Envelope, 'v' | 'id' | 'from' | 'to' | 'action' | 'sentAt' | 'inReplyTo'>): string {
  return JSON.stringify([e.v, e.id, e.from, e.to, e.action, e.sentAt, e.inReplyTo]);
}

function signedText(header: string, key: string, body: string): string {
  return `${header}\n${key}\n${body}`;
}

export function sealEnvelope(input: SealInput): Envelope {
  if (!ACTION.test(input.action)) throw new Error(`not a federation action: ${input.action}`);
  const head = { v: ENVELOPE_VERSION, id: crypto.randomUUID(), from: input.from, to: input.to, action: input.action, sentAt: input.now.toISOString(), inReplyTo: input.inReplyTo ?? null };
  const header = headerOf(head);
  const sessionKey = crypto.randomBytes(SESSION_KEY_BYTES);
  try {
    const key = sm2Encrypt(sessionKey, input.recipientPublicKey);
    const body = sealSm4(sessionKey, JSON.stringify(input.payload ?? null), header);
    return { ...head, key, body, signature: sm2Sign(signedText(header, key, body), input.senderPrivateKey) };
  } finally {
    sessionKey.fill(0);
  }
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
}

/** Shape check of an untrusted value; the message names the first field out of shape. */
export function asEnvelope(value: unknown): Envelope {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FederationRefusal('malformed', 'envelope is not an object');
  const e = value as Record<string, unknown>;
  if (e.v !== ENVELOPE_VERSION) throw new FederationRefusal('malformed', 'unknown envelope version');
  const text = (name: string, rule: RegExp): void => {
    if (typeof e[name] !== 'string' || !rule.test(e[name] as string)) throw new FederationRefusal('malformed', `envelope field ${name} is out of shape`);
  };
  text('id', /^[0-9a-f-]{36}$/);
  text('from', REGION);
  text('to', REGION);
  text('action', ACTION);
  text('sentAt', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  if (e.inReplyTo !== null) text('inReplyTo', /^[0-9a-f-]{36}$/);
  text('key', /^[0-9a-f]{194,}$/);
  text('body', /^v1\.[A-Za-z0-9_-]+$/);
  text('signature', /^30[0-9a-f]{8,}$/);
  return e as unknown as Envelope;
}

/** Checks and opens an envelope; returns its payload. Throws `FederationRefusal`. */
export function openEnvelope(value: unknown, input: OpenInput): { envelope: Envelope; payload: unknown } {
  const e = asEnvelope(value);
  if (e.to !== input.self) throw new FederationRefusal('wrong_recipient', `envelope is addressed to ${e.to}`);
  const peerKey = input.peerKey(e.from);
  if (peerKey === undefined) throw new FederationRefusal('unknown_peer', `no key for node ${e.from}`);
  const header = headerOf(e);
  if (!sm2Verify(signedText(header, e.key, e.body), e.signature, peerKey)) throw new FederationRefusal('bad_signature', `signature of node ${e.from} does not verify`);
  const skew = Math.abs(input.now.getTime() - Date.parse(e.sentAt));
  if (!(skew <= input.maxSkewMs)) throw new FederationRefusal('stale', `envelope sent ${e.sentAt}, outside the allowed skew`);
  let sessionKey: Buffer;
  try {
    sessionKey = sm2Decrypt(e.key, input.privateKey);
  } catch {
    throw new FederationRefusal('undecryptable', 'session key is not sealed to this node');
  }
  try {
    if (sessionKey.length !== SESSION_KEY_BYTES) throw new FederationRefusal('undecryptable', 'session key has the wrong length');
    const payload: unknown = JSON.parse(openSm4(sessionKey, e.body, header).toString('utf8'));
    return { envelope: e, payload };
  } catch (err) {
    if (err instanceof FederationRefusal) throw err;
    throw new FederationRefusal('undecryptable', 'body does not open with the session key');
  } finally {
    sessionKey.fill(0);
  }
}
