import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { hmacSm3 } from './sm3.ts';

// Authenticated encryption of small secrets at rest (TOTP secrets, personal data fields).
// SM4-CTR + HMAC-SM3, encrypt-then-MAC, because Node's OpenSSL has no SM4-GCM and
// ARCHITECTURE.md forbids unauthenticated ciphers for new data.
//
// Sealed form: `v1.` + base64url(iv[16] ‖ ciphertext ‖ tag[32]).
// tag = HMAC-SM3(macKey, 0x01 ‖ iv ‖ uint32be(len(aad)) ‖ aad ‖ ciphertext): the version byte
// stops a future format from being confused with this one, and the length prefix keeps the
// aad/ciphertext boundary unambiguous. An absent aad and an empty aad are the same thing.
//
// The encryption, MAC and blind-index keys are derived from the master key with HMAC-SM3 and
// distinct labels, so that one key is never used for two algorithms.

const VERSION_BYTE = 0x01;
const PREFIX = 'v1.';
const IV_BYTES = 16;
const TAG_BYTES = 32;
const MASTER_KEY_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

const LABEL_ENC = 'ggzy/sm4-seal/v1/enc';
const LABEL_MAC = 'ggzy/sm4-seal/v1/mac';
const LABEL_BLIND = 'ggzy/blind-index/v1';

export class Sm4SealError extends Error {
  override name = 'Sm4SealError';
}

function checkMasterKey(key16: Uint8Array): void {
  if (key16.length !== MASTER_KEY_BYTES) {
    throw new Sm4SealError(`SM4 master key must be ${MASTER_KEY_BYTES} bytes, got ${key16.length}`);
  }
}

function subkeys(key16: Uint8Array): { enc: Buffer; mac: Buffer } {
  checkMasterKey(key16);
  return {
    enc: hmacSm3(key16, LABEL_ENC).subarray(0, 16),
    mac: hmacSm3(key16, LABEL_MAC),
  };
}

function lengthPrefixed(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function computeTag(macKey: Buffer, iv: Buffer, aad: string, ciphertext: Buffer): Buffer {
  return hmacSm3(macKey, Buffer.concat([Buffer.of(VERSION_BYTE), iv, lengthPrefixed(aad), ciphertext]));
}

/**
 * Encrypts and authenticates `plaintext` (UTF-8 if a string). `aad` binds the ciphertext to its
 * context — e.g. `user:42:totp` — so a value copied into another row or column fails to open.
 */
export function sealSm4(key16: Uint8Array, plaintext: Uint8Array | string, aad = ''): string {
  const { enc, mac } = subkeys(key16);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('sm4-ctr', enc, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = computeTag(mac, iv, aad, ciphertext);
  return PREFIX + Buffer.concat([iv, ciphertext, tag]).toString('base64url');
}

/** Throws `Sm4SealError` if the value is malformed, was tampered with, or the key or aad differ. */
export function openSm4(key16: Uint8Array, sealed: string, aad = ''): Buffer {
  const { enc, mac } = subkeys(key16);
  if (!sealed.startsWith(PREFIX)) {
    throw new Sm4SealError('sealed value has an unknown format or version (expected "v1.")');
  }
  const body = sealed.slice(PREFIX.length);
  // Node's base64url decoder skips characters it does not know; refuse them instead so that
  // two different strings can never open to the same value.
  if (!BASE64URL.test(body)) throw new Sm4SealError('sealed value is not valid base64url');
  const raw = Buffer.from(body, 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new Sm4SealError('sealed value is truncated');

  const iv = raw.subarray(0, IV_BYTES);
  const ciphertext = raw.subarray(IV_BYTES, raw.length - TAG_BYTES);
  const tag = raw.subarray(raw.length - TAG_BYTES);
  if (!timingSafeEqual(tag, computeTag(mac, iv, aad, ciphertext))) {
    throw new Sm4SealError('sealed value failed authentication (wrong key, wrong aad or tampered data)');
  }
  const decipher = createDecipheriv('sm4-ctr', enc, iv);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

/**
 * Deterministic keyed digest (HMAC-SM3, hex) of a field that is stored encrypted, so a unique
 * index or an equality lookup works without decrypting every row. Normalise the value first
 * (e.g. upper-case the X of an ID number). `scope` (e.g. `person.id_number`) gives each column
 * its own index space, so equal values in different columns cannot be linked.
 */
export function blindIndex(key16: Uint8Array, value: string, scope = ''): string {
  checkMasterKey(key16);
  const blindKey = hmacSm3(key16, LABEL_BLIND);
  return hmacSm3(blindKey, Buffer.concat([lengthPrefixed(scope), Buffer.from(value, 'utf8')])).toString('hex');
}
