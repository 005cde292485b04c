// The sealed bid envelope (电子招标投标办法 §26–31: a bid is encrypted before it leaves the bidder,
// and nobody can read it before the opening). This file is the Node implementation, streaming,
// shared by the server (intake, opening) and the CLI; web/src/crypto/bid-envelope.ts is the
// browser one (sm-crypto-v2 only) and test/bid-envelope.interop.test.ts proves they agree.
//
// ---- Format GGZYBID1 (all integers big-endian) ----------------------------------------------
//
//   magic      8 bytes   ASCII "GGZYBID1"
//   hlen       4 bytes   u32, length of the header JSON (1 … 4096)
//   header     hlen      UTF-8 JSON, exactly these members:
//                          { "v": 1, "alg": "SM4-CTR/HMAC-SM3", "iv": <32 hex>,
//                            "commitKey": <SM2 public key, 04‖x‖y, 130 hex>, "contentLength": <int ≥ 0> }
//                        nothing else: no file name, no media type, nothing about the content
//                        (its size is public anyway: it is the envelope's size minus the frame)
//   ciphertext contentLength bytes   SM4-CTR(encKey, iv) of the plaintext; the 16-byte counter
//                        block starts at iv and is incremented as a 128-bit big-endian integer
//   tag        32 bytes  HMAC-SM3(macKey, magic ‖ hlen ‖ header ‖ ciphertext)
//
// From a random 16-byte file key K (one per envelope, never reused):
//   encKey = HMAC-SM3(K, "ggzy/bid/v1/enc")[0:16]
//   macKey = HMAC-SM3(K, "ggzy/bid/v1/mac")
//   d      = 1 + (HMAC-SM3(K, "ggzy/bid/v1/commit") mod (n − 2))   (n: SM2 curve order; d ∈ [1, n−2])
//   commitKey = d·G
// The commitment key pair lets the holder of K prove it holds K — by an SM2 signature with d
// over a platform challenge (rehearsal) or over a new key seal (key renewal) — without showing
// K or anything about the content; at the opening the platform derives d from the K a bidder
// hands over and compares d·G with the header's commitKey before it decrypts anything.
//
// Key seals: SM2Encrypt(sealingPublicKey, K) (C1‖C3‖C2, hex) for every active sealing key of the
// bidder. They are stored beside the bid (trading.bid_key_seals), not inside the file: adding a
// seal for a renewed key never rewrites the file, whose SM3 digest is on the signed receipt.
//
// Signatures with d use the GM/T 0009 default user ID and sign the UTF-8 bytes of the messages
// built by rehearsalMessage / resealMessage below (line-separated, with a purpose label first so
// a signature for one purpose can never be replayed as another).

import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual, type Hmac } from 'node:crypto';
import { isValidSm2PublicKey, SM2_CURVE_ORDER, sm2Decrypt, sm2Encrypt, sm2PublicKeyFromPrivateKey, sm2Sign, sm2Verify } from '../../platform/crypto/sm2.ts';
import { hmacSm3, sm3Hex } from '../../platform/crypto/sm3.ts';

export const MAGIC = Buffer.from('GGZYBID1', 'ascii');
export const ALG = 'SM4-CTR/HMAC-SM3';
export const TAG_BYTES = 32;
export const FILE_KEY_BYTES = 16;
export const MAX_HEADER_BYTES = 4096;
/** magic + hlen */
export const FRAME_PREFIX_BYTES = MAGIC.length + 4;

export interface EnvelopeHeader {
  v: 1;
  alg: typeof ALG;
  iv: string;
  commitKey: string;
  contentLength: number;
}

/** A malformed envelope; `rule` names what is wrong (the API reports it as the rule). */
export class EnvelopeError extends Error {
  override name = 'EnvelopeError';
  constructor(
    readonly rule: 'envelope_magic' | 'envelope_header' | 'envelope_length' | 'envelope_tag',
    message: string,
  ) {
    super(message);
  }
}

// ---- keys derived from K ----

export interface FileKeys {
  encKey: Buffer;
  macKey: Buffer;
  /** d, 64 hex digits. */
  commitPrivateKey: string;
  /** d·G, 04‖x‖y hex. */
  commitKey: string;
}

function checkFileKey(fileKey: Uint8Array): void {
  if (fileKey.length !== FILE_KEY_BYTES) throw new Error(`file key must be ${FILE_KEY_BYTES} bytes`);
}

export function commitPrivateKeyOf(fileKey: Uint8Array): string {
  checkFileKey(fileKey);
  const h = BigInt('0x' + hmacSm3(fileKey, 'ggzy/bid/v1/commit').toString('hex'));
  return (1n + (h % (SM2_CURVE_ORDER - 2n))).toString(16).padStart(64, '0');
}

export function deriveFileKeys(fileKey: Uint8Array): FileKeys {
  checkFileKey(fileKey);
  const commitPrivateKey = commitPrivateKeyOf(fileKey);
  return {
    encKey: hmacSm3(fileKey, 'ggzy/bid/v1/enc').subarray(0, 16),
    macKey: hmacSm3(fileKey, 'ggzy/bid/v1/mac'),
    commitPrivateKey,
    commitKey: sm2PublicKeyFromPrivateKey(commitPrivateKey),
  };
}

/** Does K open an envelope whose header commits to `commitKey`? (Derives d, compares d·G.) */
export function fileKeyMatches(fileKey: Uint8Array, commitKey: string): boolean {
  if (fileKey.length !== FILE_KEY_BYTES) return false;
  return sm2PublicKeyFromPrivateKey(commitPrivateKeyOf(fileKey)) === commitKey.toLowerCase();
}

export function generateFileKey(): Buffer {
  return randomBytes(FILE_KEY_BYTES);
}

// ---- header and frame ----

/** The header's bytes, members in the specified order. */
export function encodeHeader(h: EnvelopeHeader): Buffer {
  return Buffer.from(JSON.stringify({ v: h.v, alg: h.alg, iv: h.iv, commitKey: h.commitKey, contentLength: h.contentLength }), 'utf8');
}

export function framePrefix(h: EnvelopeHeader): Buffer {
  const header = encodeHeader(h);
  const hlen = Buffer.alloc(4);
  hlen.writeUInt32BE(header.length);
  return Buffer.concat([MAGIC, hlen, header]);
}

export function envelopeLength(headerBytes: number, contentLength: number): number {
  return FRAME_PREFIX_BYTES + headerBytes + contentLength + TAG_BYTES;
}

const HEADER_KEYS = ['alg', 'commitKey', 'contentLength', 'iv', 'v'];

/** Checks a decoded header member by member; throws EnvelopeError('envelope_header'). */
export function checkHeader(value: unknown): EnvelopeHeader {
  const bad = (what: string): never => {
    throw new EnvelopeError('envelope_header', `投标文件信封头不正确：${what}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('不是 JSON 对象');
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  if (keys.length !== HEADER_KEYS.length || keys.some((k, i) => k !== HEADER_KEYS[i])) return bad(`只能包含 ${HEADER_KEYS.join('、')}`);
  if (o.v !== 1) return bad('版本 v 必须为 1');
  if (o.alg !== ALG) return bad(`算法 alg 必须为 ${ALG}`);
  if (typeof o.iv !== 'string' || !/^[0-9a-f]{32}$/.test(o.iv)) return bad('iv 必须是 32 位小写十六进制');
  if (typeof o.commitKey !== 'string' || !/^04[0-9a-f]{128}$/.test(o.commitKey) || !isValidSm2PublicKey(o.commitKey)) return bad('commitKey 必须是有效的 SM2 公钥（04 开头的非压缩点）');
  if (typeof o.contentLength !== 'number' || !Number.isSafeInteger(o.contentLength) || o.contentLength < 0) return bad('contentLength 必须是非负整数');
  return { v: 1, alg: ALG, iv: o.iv, commitKey: o.commitKey, contentLength: o.contentLength };
}

export interface ParsedPrefix {
  header: EnvelopeHeader;
  headerBytes: number;
  /** magic + hlen + header. */
  prefixLength: number;
  /** The whole envelope: prefix + ciphertext + tag. */
  totalLength: number;
}

/**
 * Parses the frame prefix from the first bytes of an envelope. Returns undefined while more
 * bytes are needed; throws EnvelopeError as soon as the bytes cannot be an envelope (an
 * unencrypted file fails at its first 8 bytes).
 */
export function parsePrefix(first: Buffer): ParsedPrefix | undefined {
  const magicSeen = first.subarray(0, MAGIC.length);
  if (!MAGIC.subarray(0, magicSeen.length).equals(magicSeen)) {
    throw new EnvelopeError('envelope_magic', '不是加密的投标文件（缺少 GGZYBID1 信封标识）：未加密的投标文件一律拒收');
  }
  if (first.length < FRAME_PREFIX_BYTES) return undefined;
  const headerBytes = first.readUInt32BE(MAGIC.length);
  if (headerBytes < 2 || headerBytes > MAX_HEADER_BYTES) throw new EnvelopeError('envelope_header', `投标文件信封头长度不正确（应为 2–${MAX_HEADER_BYTES} 字节）`);
  if (first.length < FRAME_PREFIX_BYTES + headerBytes) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(first.subarray(FRAME_PREFIX_BYTES, FRAME_PREFIX_BYTES + headerBytes)));
  } catch {
    throw new EnvelopeError('envelope_header', '投标文件信封头不是有效的 UTF-8 JSON');
  }
  const header = checkHeader(decoded);
  return { header, headerBytes, prefixLength: FRAME_PREFIX_BYTES + headerBytes, totalLength: envelopeLength(headerBytes, header.contentLength) };
}

/**
 * Follows an envelope as it streams in (intake): feed every chunk to `push`, call `finish` at
 * the end. It refuses a non-envelope at the first bytes, a header that breaks the format, an
 * envelope longer than `maxBytes` as soon as the header says so, and any byte past the length
 * the header announces; `finish` refuses a short one.
 */
export class EnvelopeScanner {
  private head: Buffer[] = [];
  private headLength = 0;
  received = 0;
  prefix: ParsedPrefix | undefined;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): void {
    this.received += chunk.length;
    if (!this.prefix) {
      this.head.push(chunk);
      this.headLength += chunk.length;
      const first = Buffer.concat(this.head, Math.min(this.headLength, FRAME_PREFIX_BYTES + MAX_HEADER_BYTES));
      this.head = [first];
      this.prefix = parsePrefix(first);
      if (this.prefix) {
        this.head = [];
        if (this.prefix.totalLength > this.maxBytes) {
          throw new EnvelopeError('envelope_length', `投标文件超过允许的最大长度 ${Math.floor(this.maxBytes / 1024 / 1024)} MB`);
        }
      }
    }
    if (this.prefix && this.received > this.prefix.totalLength) {
      throw new EnvelopeError('envelope_length', `投标文件长度与信封头不符：信封头声明共 ${this.prefix.totalLength} 字节，实际收到更多`);
    }
  }

  finish(): ParsedPrefix {
    if (!this.prefix) throw new EnvelopeError(this.received < MAGIC.length ? 'envelope_magic' : 'envelope_header', '投标文件不完整：缺少信封头');
    if (this.received !== this.prefix.totalLength) {
      throw new EnvelopeError('envelope_length', `投标文件长度与信封头不符：信封头声明共 ${this.prefix.totalLength} 字节，实际收到 ${this.received} 字节`);
    }
    return this.prefix;
  }
}

// ---- sealing and opening (streams) ----

/**
 * Encrypts `source` (exactly `contentLength` bytes) into an envelope, chunk by chunk. The caller
 * keeps K only as long as it needs to write the key seals.
 */
export async function* sealChunks(fileKey: Uint8Array, source: AsyncIterable<Uint8Array>, contentLength: number): AsyncGenerator<Buffer> {
  const keys = deriveFileKeys(fileKey);
  const iv = randomBytes(16);
  const prefix = framePrefix({ v: 1, alg: ALG, iv: iv.toString('hex'), commitKey: keys.commitKey, contentLength });
  const mac = createHmac('sm3', keys.macKey).update(prefix);
  yield prefix;
  const cipher = createCipheriv('sm4-ctr', keys.encKey, iv);
  let seen = 0;
  for await (const chunk of source) {
    seen += chunk.length;
    if (seen > contentLength) throw new Error('source is longer than the announced content length');
    const ct = cipher.update(chunk);
    mac.update(ct);
    yield ct;
  }
  if (seen !== contentLength) throw new Error('source is shorter than the announced content length');
  const last = cipher.final();
  if (last.length) {
    mac.update(last);
    yield last;
  }
  yield mac.digest();
}

/**
 * Decrypts an envelope with K, chunk by chunk. Yields plaintext before the tag is known, so
 * the consumer must keep it provisional (a temp file) until the generator returns: it throws
 * EnvelopeError('envelope_tag') at the end when the tag does not verify, and
 * EnvelopeError('envelope_length'/'envelope_header') when the frame is wrong.
 */
export async function* openChunks(fileKey: Uint8Array, source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const keys = deriveFileKeys(fileKey);
  let pending = Buffer.alloc(0);
  let prefix: ParsedPrefix | undefined;
  let decipher: ReturnType<typeof createDecipheriv> | undefined;
  let mac: Hmac | undefined;
  let ciphertextLeft = 0;
  for await (const raw of source) {
    let chunk = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (!prefix) {
      pending = Buffer.concat([pending, chunk]);
      prefix = parsePrefix(pending);
      if (!prefix) continue;
      if (prefix.header.commitKey !== keys.commitKey) throw new EnvelopeError('envelope_tag', '文件密钥与投标文件的承诺公钥不符');
      mac = createHmac('sm3', keys.macKey).update(pending.subarray(0, prefix.prefixLength));
      decipher = createDecipheriv('sm4-ctr', keys.encKey, Buffer.from(prefix.header.iv, 'hex'));
      ciphertextLeft = prefix.header.contentLength;
      chunk = pending.subarray(prefix.prefixLength);
      pending = Buffer.alloc(0);
    }
    const take = Math.min(ciphertextLeft, chunk.length);
    if (take > 0) {
      const ct = chunk.subarray(0, take);
      mac!.update(ct);
      ciphertextLeft -= take;
      yield decipher!.update(ct);
    }
    if (take < chunk.length) {
      pending = Buffer.concat([pending, chunk.subarray(take)]);
      if (pending.length > TAG_BYTES) throw new EnvelopeError('envelope_length', '投标文件长度与信封头不符（尾部多余数据）');
    }
  }
  if (!prefix || ciphertextLeft > 0 || pending.length !== TAG_BYTES) throw new EnvelopeError('envelope_length', '投标文件不完整');
  const tail = decipher!.final();
  if (tail.length) yield tail;
  if (!timingSafeEqual(mac!.digest(), pending)) throw new EnvelopeError('envelope_tag', '投标文件完整性校验失败（HMAC-SM3 标签不符）');
}

async function* once(b: Uint8Array): AsyncGenerator<Uint8Array> {
  yield b;
}

/** Convenience for small envelopes (tests, the CLI's self-check). */
export async function sealBuffer(fileKey: Uint8Array, plaintext: Uint8Array): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of sealChunks(fileKey, once(plaintext), plaintext.length)) parts.push(c);
  return Buffer.concat(parts);
}

export async function openBuffer(fileKey: Uint8Array, envelope: Uint8Array): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of openChunks(fileKey, once(envelope))) parts.push(c);
  return Buffer.concat(parts);
}

// ---- key seals and proofs of K ----

/** SM2-encrypts K to a sealing key (hex C1‖C3‖C2). */
export function sealFileKey(fileKey: Uint8Array, sealingPublicKey: string): string {
  checkFileKey(fileKey);
  return sm2Encrypt(fileKey, sealingPublicKey);
}

/** Recovers K from a seal with the sealing private key; throws for the wrong key. */
export function unwrapFileKey(sealedKey: string, sealingPrivateKey: string): Buffer {
  const k = sm2Decrypt(sealedKey, sealingPrivateKey);
  if (k.length !== FILE_KEY_BYTES) throw new Error('sealed value is not a file key');
  return k;
}

/** An SM2-sealed 16-byte value is 04‖C1(64)‖C3(32)‖C2(16) = 113 bytes, or 112 without the 04 byte. */
export function isWellFormedSeal(sealedKey: string): boolean {
  return /^[0-9a-f]*$/i.test(sealedKey) && (sealedKey.length === 224 || (sealedKey.length === 226 && sealedKey.startsWith('04')));
}

export function rehearsalMessage(bidId: string, challenge: string): string {
  return `ggzy/bid/v1/rehearsal\n${bidId}\n${challenge}`;
}

/** What a new seal's proof signs: the bid, the sealing key, and the SM3 of the seal's bytes. */
export function resealMessage(bidId: string, sealingKeyId: string, sealedKey: string): string {
  return `ggzy/bid/v1/reseal\n${bidId}\n${sealingKeyId}\n${sm3Hex(Buffer.from(sealedKey.toLowerCase(), 'hex'))}`;
}

/** Signs with d (derived from K): proves possession of K without revealing it. */
export function signWithFileKey(fileKey: Uint8Array, message: string): string {
  return sm2Sign(message, commitPrivateKeyOf(fileKey));
}

export function verifyCommitSignature(message: string, signature: string, commitKey: string): boolean {
  return sm2Verify(message, signature, commitKey);
}

/** Proof of possession of a sealing key when it is registered (see trading.bids.keys.ts). */
export function sealingKeyProofMessage(entityId: string, publicKey: string): string {
  return `ggzy/sealing-key/v1\n${entityId}\n${publicKey.toLowerCase()}`;
}
