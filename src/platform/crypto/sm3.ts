import { createHash, createHmac, timingSafeEqual, type Hash } from 'node:crypto';

// SM3 runs on Node's OpenSSL engine rather than sm-crypto-v2: it is an order of magnitude
// faster on bid files and archives (ARCHITECTURE.md, Cryptography). Strings are hashed as UTF-8.

export type BytesOrText = Uint8Array | string;

export function sm3(data: BytesOrText): Buffer {
  return createHash('sm3').update(data).digest();
}

export function sm3Hex(data: BytesOrText): string {
  return createHash('sm3').update(data).digest('hex');
}

/** For data that arrives in chunks (uploads, blob streams); call `.digest()` once at the end. */
export function createSm3(): Hash {
  return createHash('sm3');
}

export function hmacSm3(key: BytesOrText, data: BytesOrText): Buffer {
  return createHmac('sm3', key).update(data).digest();
}

const HEX = /^(?:[0-9a-f]{2})*$/i;

/**
 * Compares two hex digests without leaking where they first differ. Only the length may leak,
 * which is public for digests and MACs. Malformed hex never equals anything, because
 * `Buffer.from(hex, 'hex')` silently stops at the first bad character and could make two
 * different strings compare equal.
 */
export function timingSafeEqualHex(a: string, b: string): boolean {
  if (a.length !== b.length || !HEX.test(a) || !HEX.test(b)) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}
