import { sm2 } from 'sm-crypto-v2';

// SM2 (GM/T 0003 / GB/T 32918) through sm-crypto-v2. Node's OpenSSL can hold SM2-curve keys, but
// signs with them as plain ECDSA (no Z value), which no GM/T 0003 verifier accepts — so every SM2
// operation goes through this file and never through node:crypto (ARCHITECTURE.md).
//
// Encodings, chosen for interoperability with CAs, signing devices, OpenSSL and BouncyCastle:
// - keys are hex: private key 64 hex digits; public key uncompressed `04‖x‖y` (130 hex digits);
// - signatures are DER hex, `SEQUENCE { r INTEGER, s INTEGER }` as in GM/T 0009 (SM2Signature),
//   which is also what PKCS#7/CMS and X.509 carry; `sm2SignatureToRaw`/`FromRaw` convert to the
//   fixed 64-byte r‖s form some devices use. Verification accepts only canonical DER, so a
//   signature has exactly one valid encoding;
// - ciphertexts are hex C1‖C3‖C2 (GM/T 0003.4 order) with C1 as an uncompressed point `04‖x‖y`.

/** GM/T 0009 default signer identity, used in Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ G ‖ P). */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

/** Order n of the base point of the SM2 recommended curve. */
export const SM2_CURVE_ORDER = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;

export interface Sm2KeyPair {
  /** 64 hex digits. */
  privateKey: string;
  /** Uncompressed point `04‖x‖y`, 130 hex digits. */
  publicKey: string;
}

export interface Sm2SignOptions {
  /** Signer identity that enters Z; both sides must use the same. */
  userId?: string;
}

const CIPHER_MODE_C1C3C2 = 1;
const HEX = /^(?:[0-9a-f]{2})*$/i;
const PRIVATE_KEY_HEX = /^[0-9a-f]{64}$/i;

function assertPrivateKey(privateKey: string): string {
  if (!PRIVATE_KEY_HEX.test(privateKey)) throw new Error('SM2 private key must be 64 hex digits');
  const d = BigInt('0x' + privateKey);
  // GM/T 0003.1 restricts d to [1, n−2]: signing inverts (1 + d), which is 0 for d = n − 1.
  if (d < 1n || d > SM2_CURVE_ORDER - 2n) throw new Error('SM2 private key is out of range');
  return privateKey.toLowerCase();
}

export function generateSm2KeyPair(): Sm2KeyPair {
  for (;;) {
    const pair = sm2.generateKeyPairHex();
    // The generator draws from [1, n−1]; d = n−1 is astronomically unlikely but not a valid SM2 key.
    if (BigInt('0x' + pair.privateKey) <= SM2_CURVE_ORDER - 2n) {
      return { privateKey: pair.privateKey, publicKey: pair.publicKey };
    }
  }
}

export function sm2PublicKeyFromPrivateKey(privateKey: string): string {
  return sm2.getPublicKeyFromPrivateKey(assertPrivateKey(privateKey));
}

/** True for a point on the curve, uncompressed (`04…`, 130 hex) or compressed (`02…`/`03…`, 66 hex). */
export function isValidSm2PublicKey(publicKey: string): boolean {
  if (!HEX.test(publicKey)) return false;
  if (!(publicKey.length === 130 && publicKey.startsWith('04')) && !(publicKey.length === 66 && /^0[23]/.test(publicKey))) {
    return false;
  }
  try {
    return sm2.verifyPublicKey(publicKey.toLowerCase());
  } catch {
    return false;
  }
}

/**
 * GM/T 0003.2 signature over SM3(Z ‖ message) — the library computes Z from the signer's public
 * key and `userId`. Returns DER hex. A string message is signed as its UTF-8 bytes.
 */
export function sm2Sign(message: Uint8Array | string, privateKey: string, options: Sm2SignOptions = {}): string {
  const d = assertPrivateKey(privateKey);
  return sm2.doSignature(message, d, {
    hash: true,
    der: true,
    publicKey: sm2.getPublicKeyFromPrivateKey(d),
    userId: options.userId ?? SM2_DEFAULT_USER_ID,
  });
}

/** False, never an exception, for a bad signature, a malformed signature or a malformed key. */
export function sm2Verify(
  message: Uint8Array | string,
  signatureDer: string,
  publicKey: string,
  options: Sm2SignOptions = {},
): boolean {
  const rs = decodeSignatureDer(signatureDer);
  if (!rs || !isValidSm2PublicKey(publicKey)) return false;
  try {
    return sm2.doVerifySignature(message, rawFromInts(rs.r, rs.s), publicKey.toLowerCase(), {
      hash: true,
      der: false,
      userId: options.userId ?? SM2_DEFAULT_USER_ID,
    });
  } catch {
    return false;
  }
}

/** DER hex → fixed-length r‖s (128 hex digits). Throws on a non-canonical or out-of-range signature. */
export function sm2SignatureToRaw(signatureDer: string): string {
  const rs = decodeSignatureDer(signatureDer);
  if (!rs) throw new Error('not a canonical DER SM2 signature');
  return rawFromInts(rs.r, rs.s);
}

/** Fixed-length r‖s (128 hex digits) → DER hex. */
export function sm2SignatureFromRaw(signatureRaw: string): string {
  if (!/^[0-9a-f]{128}$/i.test(signatureRaw)) throw new Error('raw SM2 signature must be 128 hex digits');
  const r = BigInt('0x' + signatureRaw.slice(0, 64));
  const s = BigInt('0x' + signatureRaw.slice(64));
  if (!inSignatureRange(r) || !inSignatureRange(s)) throw new Error('SM2 signature component out of range');
  const body = derInteger(r) + derInteger(s);
  return '30' + byteLength(body) + body;
}

/** SM2 public-key encryption; returns hex C1‖C3‖C2 with C1 = `04‖x‖y`. */
export function sm2Encrypt(plaintext: Uint8Array | string, publicKey: string): string {
  if (!isValidSm2PublicKey(publicKey)) throw new Error('invalid SM2 public key');
  // sm-crypto-v2 writes C1 without the 04 point-format byte; add it so that other GM/T 0003.4
  // implementations (GmSSL, BouncyCastle) read our ciphertext.
  return '04' + sm2.doEncrypt(plaintext, publicKey.toLowerCase(), CIPHER_MODE_C1C3C2);
}

/**
 * Inverse of `sm2Encrypt`. Also accepts C1 without its `04` byte, as sm-crypto in a browser
 * writes it; the two readings cannot both pass the C3 hash check, so trying both is safe.
 * Throws if the ciphertext is malformed, was tampered with, or belongs to another key.
 */
export function sm2Decrypt(ciphertext: string, privateKey: string): Buffer {
  const d = assertPrivateKey(privateKey);
  if (!HEX.test(ciphertext)) throw new Error('SM2 ciphertext must be hex');
  const hex = ciphertext.toLowerCase();
  const candidates = hex.startsWith('04') ? [hex.slice(2), hex] : [hex];
  for (const candidate of candidates) {
    if (candidate.length < 128 + 64) continue;
    try {
      const plain: unknown = sm2.doDecrypt(candidate, d, CIPHER_MODE_C1C3C2, { output: 'array' });
      // On a C3 mismatch the library returns a plain empty array rather than throwing.
      if (plain instanceof Uint8Array) return Buffer.from(plain);
    } catch {
      // C1 not on the curve under this reading; try the next.
    }
  }
  throw new Error('SM2 decryption failed (wrong key, or the ciphertext is malformed or tampered with)');
}

function inSignatureRange(v: bigint): boolean {
  return v >= 1n && v < SM2_CURVE_ORDER;
}

function rawFromInts(r: bigint, s: bigint): string {
  return r.toString(16).padStart(64, '0') + s.toString(16).padStart(64, '0');
}

function byteLength(hex: string): string {
  // An SM2 signature body is at most 70 bytes, so the DER short length form always suffices.
  return (hex.length / 2).toString(16).padStart(2, '0');
}

function derInteger(v: bigint): string {
  let hex = v.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = '00' + hex;
  return '02' + byteLength(hex) + hex;
}

/** Strict DER: exact lengths, minimal positive INTEGERs, nothing trailing, 1 ≤ r, s < n. */
function decodeSignatureDer(der: string): { r: bigint; s: bigint } | null {
  if (!HEX.test(der)) return null;
  const bytes = Buffer.from(der, 'hex');
  if (bytes.length < 8 || bytes[0] !== 0x30 || bytes[1] !== bytes.length - 2) return null;
  let offset = 2;
  const readInteger = (): bigint | null => {
    if (bytes[offset] !== 0x02) return null;
    const length = bytes[offset + 1];
    if (length === undefined || length < 1 || length > 33 || offset + 2 + length > bytes.length) return null;
    const value = bytes.subarray(offset + 2, offset + 2 + length);
    const first = value[0] ?? 0;
    const second = value[1] ?? 0;
    if (first >= 0x80) return null; // negative
    if (first === 0x00 && length > 1 && second < 0x80) return null; // non-minimal padding
    offset += 2 + length;
    return BigInt('0x' + value.toString('hex'));
  };
  const r = readInteger();
  const s = r === null ? null : readInteger();
  if (r === null || s === null || offset !== bytes.length) return null;
  if (!inSignatureRange(r) || !inSignatureRange(s)) return null;
  return { r, s };
}
