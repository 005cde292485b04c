// The sealed bid envelope in the browser: no plug-in, no particular OS, only sm-crypto-v2 (Web
// Crypto has no SM4 or SM2). The format is specified in src/modules/trading/bid-envelope.ts;
// test/bid-envelope.interop.test.ts seals here and opens with Node, and the other way round.
//
// sm-crypto-v2 has SM4 in ECB/CBC/GCM only, and a one-shot SM3/HMAC: so SM4-CTR is built from
// ECB encryptions of counter blocks (no padding), and SM3 is implemented here incrementally
// (the HMAC over a 20 MB ciphertext must not need the whole file in one call, and PBKDF2 needs
// the pad states reused). Work is done in chunks with a yield to the event loop between them, so
// a large file does not freeze the tab.
// No relative imports: the server's test suite imports this file.

import { sm2, sm4 } from 'sm-crypto-v2';

const MAGIC = new TextEncoder().encode('GGZYBID1');
const ALG = 'SM4-CTR/HMAC-SM3';
const TAG_BYTES = 32;
const USER_ID = '1234567812345678';
const CURVE_ORDER = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const KEYFILE_ITERATIONS = 100_000;
const KEYFILE_MIN_ITERATIONS = 10_000;
/** Bytes encrypted between two yields to the event loop. */
const CHUNK = 512 * 1024;

// ---- bytes ----

const enc = new TextEncoder();
function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}
function fromHex(h: string): Uint8Array {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(h)) throw new Error('not hex');
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}
function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
function randomBytes(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}
function equalConstantTime(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

// ---- SM3 (GB/T 32905), incremental and clonable ----

const IV = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];
const rotl = (x: number, n: number): number => ((x << n) | (x >>> (32 - n))) >>> 0;
const T = Array.from({ length: 64 }, (_, j) => rotl(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32));

export class Sm3 {
  private v = Int32Array.from(IV);
  private buf = new Uint8Array(64);
  private bufLen = 0;
  private total = 0;
  private readonly w = new Int32Array(68);
  private readonly w1 = new Int32Array(64);

  clone(): Sm3 {
    const c = new Sm3();
    c.v = Int32Array.from(this.v);
    c.buf = Uint8Array.from(this.buf);
    c.bufLen = this.bufLen;
    c.total = this.total;
    return c;
  }

  update(data: Uint8Array): this {
    let i = 0;
    this.total += data.length;
    if (this.bufLen > 0) {
      const take = Math.min(64 - this.bufLen, data.length);
      this.buf.set(data.subarray(0, take), this.bufLen);
      this.bufLen += take;
      i = take;
      if (this.bufLen < 64) return this;
      this.compress(this.buf, 0);
      this.bufLen = 0;
    }
    for (; i + 64 <= data.length; i += 64) this.compress(data, i);
    if (i < data.length) {
      this.buf.set(data.subarray(i), 0);
      this.bufLen = data.length - i;
    }
    return this;
  }

  digest(): Uint8Array {
    const bits = this.total * 8;
    const padLen = (this.bufLen < 56 ? 56 : 120) - this.bufLen;
    const pad = new Uint8Array(padLen + 8);
    pad[0] = 0x80;
    const view = new DataView(pad.buffer);
    view.setUint32(padLen, Math.floor(bits / 0x100000000));
    view.setUint32(padLen + 4, bits >>> 0);
    this.update(pad);
    const out = new Uint8Array(32);
    const ov = new DataView(out.buffer);
    for (let k = 0; k < 8; k++) ov.setUint32(4 * k, this.v[k]! >>> 0);
    return out;
  }

  private compress(b: Uint8Array, o: number): void {
    const w = this.w;
    const w1 = this.w1;
    for (let j = 0; j < 16; j++) w[j] = (b[o + 4 * j]! << 24) | (b[o + 4 * j + 1]! << 16) | (b[o + 4 * j + 2]! << 8) | b[o + 4 * j + 3]!;
    for (let j = 16; j < 68; j++) {
      const x = w[j - 16]! ^ w[j - 9]! ^ rotl(w[j - 3]!, 15);
      w[j] = x ^ rotl(x, 15) ^ rotl(x, 23) ^ rotl(w[j - 13]!, 7) ^ w[j - 6]!;
    }
    for (let j = 0; j < 64; j++) w1[j] = w[j]! ^ w[j + 4]!;
    let [a, bb, c, d, e, f, g, h] = this.v as unknown as number[];
    for (let j = 0; j < 64; j++) {
      const a12 = rotl(a!, 12);
      const ss1 = rotl((a12 + e! + T[j]!) | 0, 7);
      const ss2 = ss1 ^ a12;
      const ff = j < 16 ? a! ^ bb! ^ c! : (a! & bb!) | (a! & c!) | (bb! & c!);
      const gg = j < 16 ? e! ^ f! ^ g! : (e! & f!) | (~e! & g!);
      const tt1 = (ff + d! + ss2 + w1[j]!) | 0;
      const tt2 = (gg + h! + ss1 + w[j]!) | 0;
      d = c;
      c = rotl(bb!, 9);
      bb = a;
      a = tt1;
      h = g;
      g = rotl(f!, 19);
      f = e;
      e = tt2 ^ rotl(tt2, 9) ^ rotl(tt2, 17);
    }
    const v = this.v;
    v[0]! ^= a!;
    v[1]! ^= bb!;
    v[2]! ^= c!;
    v[3]! ^= d!;
    v[4]! ^= e!;
    v[5]! ^= f!;
    v[6]! ^= g!;
    v[7]! ^= h!;
  }
}

export function sm3(data: Uint8Array): Uint8Array {
  return new Sm3().update(data).digest();
}

/** HMAC-SM3 (RFC 2104, block 64), incremental: `update` then `digest`. */
export class HmacSm3 {
  private inner: Sm3;
  private readonly outer: Sm3;
  constructor(key: Uint8Array, prepared?: { inner: Sm3; outer: Sm3 }) {
    if (prepared) {
      this.inner = prepared.inner.clone();
      this.outer = prepared.outer.clone();
      return;
    }
    const k = new Uint8Array(64);
    k.set(key.length > 64 ? sm3(key) : key);
    this.inner = new Sm3().update(k.map((x) => x ^ 0x36));
    this.outer = new Sm3().update(k.map((x) => x ^ 0x5c));
  }
  /** A copy in the keyed state, for PBKDF2 (saves hashing the pads on every iteration). */
  fresh(): HmacSm3 {
    return new HmacSm3(new Uint8Array(0), { inner: this.inner, outer: this.outer });
  }
  update(data: Uint8Array): this {
    this.inner.update(data);
    return this;
  }
  digest(): Uint8Array {
    return this.outer.update(this.inner.digest()).digest();
  }
}

export function hmacSm3(key: Uint8Array, data: Uint8Array | string): Uint8Array {
  return new HmacSm3(key).update(typeof data === 'string' ? enc.encode(data) : data).digest();
}

// PBKDF2's inner loop hashes a 32-byte value with the same key 100 000 times. Going through
// HmacSm3 costs two Sm3 objects and their buffers per round, which made opening a key file take
// seconds (tens of seconds on a busy machine). Every round is in fact two compressions of one
// fixed-layout block (the 32-byte value, then SM3 padding for 64 + 32 bytes) starting from the
// keyed pad states, so the loop below does exactly that in preallocated words: same result
// (test/bid-envelope.interop.test.ts checks it against OpenSSL), about ten times faster.

const CW = new Int32Array(68);
const CW1 = new Int32Array(64);

/** One SM3 compression of the 16-word block `b` from state `v` into `out` (may alias `v`). */
function compressWords(v: Int32Array, b: Int32Array, out: Int32Array): void {
  const w = CW;
  const w1 = CW1;
  for (let j = 0; j < 16; j++) w[j] = b[j]!;
  for (let j = 16; j < 68; j++) {
    const x = w[j - 16]! ^ w[j - 9]! ^ rotl(w[j - 3]!, 15);
    w[j] = x ^ rotl(x, 15) ^ rotl(x, 23) ^ rotl(w[j - 13]!, 7) ^ w[j - 6]!;
  }
  for (let j = 0; j < 64; j++) w1[j] = w[j]! ^ w[j + 4]!;
  let a = v[0]!, bb = v[1]!, c = v[2]!, d = v[3]!, e = v[4]!, f = v[5]!, g = v[6]!, h = v[7]!;
  for (let j = 0; j < 64; j++) {
    const a12 = rotl(a, 12);
    const ss1 = rotl((a12 + e + T[j]!) | 0, 7);
    const ss2 = ss1 ^ a12;
    const ff = j < 16 ? a ^ bb ^ c : (a & bb) | (a & c) | (bb & c);
    const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
    const tt1 = (ff + d + ss2 + w1[j]!) | 0;
    const tt2 = (gg + h + ss1 + w[j]!) | 0;
    d = c;
    c = rotl(bb, 9);
    bb = a;
    a = tt1;
    h = g;
    g = rotl(f, 19);
    f = e;
    e = tt2 ^ rotl(tt2, 9) ^ rotl(tt2, 17);
  }
  out[0] = v[0]! ^ a;
  out[1] = v[1]! ^ bb;
  out[2] = v[2]! ^ c;
  out[3] = v[3]! ^ d;
  out[4] = v[4]! ^ e;
  out[5] = v[5]! ^ f;
  out[6] = v[6]! ^ g;
  out[7] = v[7]! ^ h;
}

/** The SM3 state after compressing the HMAC key block XOR `pad`. */
function padState(key: Uint8Array, pad: number): Int32Array {
  const k = new Uint8Array(64);
  k.set(key.length > 64 ? sm3(key) : key);
  const block = new Int32Array(16);
  for (let i = 0; i < 16; i++) block[i] = ((k[4 * i]! ^ pad) << 24) | ((k[4 * i + 1]! ^ pad) << 16) | ((k[4 * i + 2]! ^ pad) << 8) | (k[4 * i + 3]! ^ pad);
  const state = new Int32Array(8);
  compressWords(Int32Array.from(IV), block, state);
  return state;
}

/** PBKDF2 (RFC 8018) with HMAC-SM3. */
export function pbkdf2Sm3(password: Uint8Array, salt: Uint8Array, iterations: number, length: number): Uint8Array {
  const keyed = new HmacSm3(password);
  const inner = padState(password, 0x36);
  const outer = padState(password, 0x5c);
  // A 32-byte message after the 64-byte key block: 0x80, zeros, and the bit length 96 × 8.
  const block = new Int32Array(16);
  block[8] = 0x80000000 | 0;
  block[15] = 96 * 8;
  const u = new Int32Array(8);
  const t = new Int32Array(8);
  const mid = new Int32Array(8);
  const out = new Uint8Array(length);
  for (let index = 1, o = 0; o < length; index++, o += 32) {
    const first = keyed.fresh().update(concat([salt, Uint8Array.of(index >>> 24, (index >>> 16) & 255, (index >>> 8) & 255, index & 255)])).digest();
    const fv = new DataView(first.buffer, first.byteOffset, 32);
    for (let k = 0; k < 8; k++) t[k] = u[k] = fv.getInt32(4 * k);
    for (let i = 1; i < iterations; i++) {
      for (let k = 0; k < 8; k++) block[k] = u[k]!;
      compressWords(inner, block, mid);
      for (let k = 0; k < 8; k++) block[k] = mid[k]!;
      compressWords(outer, block, u);
      for (let k = 0; k < 8; k++) t[k]! ^= u[k]!;
    }
    const bytes = new Uint8Array(32);
    const bv = new DataView(bytes.buffer);
    for (let k = 0; k < 8; k++) bv.setInt32(4 * k, t[k]!);
    out.set(bytes.subarray(0, Math.min(32, length - o)), o);
  }
  return out;
}

// ---- SM4-CTR from ECB ----

/** SM4-CTR keystream state: a 128-bit big-endian counter starting at iv, as OpenSSL counts. */
class Sm4Ctr {
  private readonly counter: Uint8Array;
  private leftover: Uint8Array = new Uint8Array(0);
  constructor(
    private readonly key: Uint8Array,
    iv: Uint8Array,
  ) {
    this.counter = Uint8Array.from(iv);
  }
  private increment(): void {
    for (let i = 15; i >= 0; i--) {
      this.counter[i] = (this.counter[i]! + 1) & 255;
      if (this.counter[i] !== 0) break;
    }
  }
  /** XORs `data` with the next keystream bytes (encryption and decryption are the same). */
  process(data: Uint8Array): Uint8Array {
    const out = new Uint8Array(data.length);
    let i = 0;
    for (; i < data.length && this.leftover.length > 0; i++) {
      out[i] = data[i]! ^ this.leftover[0]!;
      this.leftover = this.leftover.subarray(1);
    }
    const rest = data.length - i;
    if (rest === 0) return out;
    const blocks = Math.ceil(rest / 16);
    const counters = new Uint8Array(blocks * 16);
    for (let b = 0; b < blocks; b++) {
      counters.set(this.counter, b * 16);
      this.increment();
    }
    const stream = sm4.encrypt(counters, this.key, { mode: 'ecb', padding: 'none', output: 'array' });
    for (let k = 0; k < rest; k++) out[i + k] = data[i + k]! ^ stream[k]!;
    this.leftover = stream.subarray(rest);
    return out;
  }
}

// ---- file key K and its commitment pair ----

function fileKeys(fileKey: Uint8Array): { encKey: Uint8Array; macKey: Uint8Array; d: string; commitKey: string } {
  if (fileKey.length !== 16) throw new Error('file key must be 16 bytes');
  const h = BigInt('0x' + toHex(hmacSm3(fileKey, 'ggzy/bid/v1/commit')));
  const d = (1n + (h % (CURVE_ORDER - 2n))).toString(16).padStart(64, '0');
  return { encKey: hmacSm3(fileKey, 'ggzy/bid/v1/enc').subarray(0, 16), macKey: hmacSm3(fileKey, 'ggzy/bid/v1/mac'), d, commitKey: sm2.getPublicKeyFromPrivateKey(d) };
}

export function commitKeyOf(fileKey: Uint8Array): string {
  return fileKeys(fileKey).commitKey;
}

function sign(message: string, privateKey: string): string {
  return sm2.doSignature(message, privateKey, { hash: true, der: true, publicKey: sm2.getPublicKeyFromPrivateKey(privateKey), userId: USER_ID });
}

// ---- sealing keys and key files ----

export interface SealingKey {
  privateKey: string;
  publicKey: string;
  fingerprint: string;
  label: string;
}

export function fingerprintOf(publicKey: string): string {
  return toHex(sm3(fromHex(publicKey.toLowerCase())));
}

export function generateSealingKey(label = ''): SealingKey {
  for (;;) {
    const pair = sm2.generateKeyPairHex();
    if (BigInt('0x' + pair.privateKey) <= CURVE_ORDER - 2n) return { privateKey: pair.privateKey, publicKey: pair.publicKey, fingerprint: fingerprintOf(pair.publicKey), label };
  }
}

/** The proof of possession sent with POST /api/v1/trading/sealing-keys. */
export function sealingKeyProof(key: { privateKey: string; publicKey: string }, entityId: string): string {
  return sign(`ggzy/sealing-key/v1\n${entityId}\n${key.publicKey.toLowerCase()}`, key.privateKey);
}

function keyFileTag(mac: Uint8Array, publicKey: string, iv: string, encrypted: string): string {
  return toHex(hmacSm3(mac, `ggzy/keyfile/v1\n${publicKey}\n${iv}\n${encrypted}`));
}

/** The key file's JSON text (format in src/modules/trading/bid-keyfile.ts); offer it as a download. */
export async function exportKeyFile(key: SealingKey, passphrase: string, iterations = KEYFILE_ITERATIONS): Promise<string> {
  if (passphrase.length < 8) throw new Error('口令至少 8 个字符');
  await tick();
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const dk = pbkdf2Sm3(enc.encode(passphrase.normalize('NFC')), salt, iterations, 32);
  const encrypted = toHex(new Sm4Ctr(dk.subarray(0, 16), iv).process(fromHex(key.privateKey)));
  const ivHex = toHex(iv);
  const file = {
    format: 'ggzy-sealing-key',
    v: 1,
    label: key.label,
    publicKey: key.publicKey,
    fingerprint: key.fingerprint,
    kdf: { alg: 'PBKDF2-HMAC-SM3', iterations, salt: toHex(salt) },
    cipher: 'SM4-CTR/HMAC-SM3',
    iv: ivHex,
    privateKey: encrypted,
    tag: keyFileTag(dk.subarray(16, 32), key.publicKey, ivHex, encrypted),
  };
  return JSON.stringify(file, null, 2);
}

/** Opens a key file's text; throws a Chinese message for a wrong passphrase or a damaged file. */
export async function importKeyFile(text: string, passphrase: string): Promise<SealingKey> {
  let f: Record<string, unknown>;
  try {
    f = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error('不是本平台的密封密钥文件');
  }
  const kdf = f.kdf as { alg?: unknown; iterations?: unknown; salt?: unknown } | undefined;
  if (f.format !== 'ggzy-sealing-key' || f.v !== 1 || kdf?.alg !== 'PBKDF2-HMAC-SM3' || f.cipher !== 'SM4-CTR/HMAC-SM3') throw new Error('不是本平台的密封密钥文件');
  const hex = (v: unknown, bytes: number): v is string => typeof v === 'string' && new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(v);
  if (!hex(kdf.salt, 16) || !hex(f.iv, 16) || !hex(f.privateKey, 32) || !hex(f.tag, 32) || typeof f.publicKey !== 'string' || !sm2.verifyPublicKey(f.publicKey)) throw new Error('密封密钥文件已损坏');
  const iterations = kdf.iterations;
  if (typeof iterations !== 'number' || !Number.isSafeInteger(iterations) || iterations < KEYFILE_MIN_ITERATIONS) throw new Error('密封密钥文件的口令派生迭代次数过少');
  await tick();
  const dk = pbkdf2Sm3(enc.encode(passphrase.normalize('NFC')), fromHex(kdf.salt), iterations, 32);
  if (!equalConstantTime(fromHex(keyFileTag(dk.subarray(16, 32), f.publicKey, f.iv, f.privateKey)), fromHex(f.tag))) throw new Error('口令错误或密封密钥文件已损坏');
  const privateKey = toHex(new Sm4Ctr(dk.subarray(0, 16), fromHex(f.iv)).process(fromHex(f.privateKey)));
  const publicKey = f.publicKey.toLowerCase();
  if (sm2.getPublicKeyFromPrivateKey(privateKey) !== publicKey) throw new Error('密封密钥文件的私钥与公钥不符');
  return { privateKey, publicKey, fingerprint: fingerprintOf(publicKey), label: typeof f.label === 'string' ? f.label : '' };
}

// ---- sealing a bid ----

/** What sealBid needs of the file: a File or Blob in the browser (tests pass a lookalike). */
export interface BlobLike {
  size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

export interface SealedBid {
  /** The envelope to upload (PUT …/bids/mine, application/octet-stream). */
  envelope: Blob;
  /** One seal per sealing key, for the x-bid-seals header. */
  seals: { sealingKeyId: string; sealedKey: string }[];
  commitKey: string;
  /** SM3 of the envelope: compare with the receipt's digest. */
  envelopeDigest: string;
  size: number;
}

/** SM2-encrypts K to a sealing key; C1 written with its 04 byte, as the server writes it. */
export function sealFileKey(fileKey: Uint8Array, publicKey: string): string {
  return '04' + sm2.doEncrypt(fileKey, publicKey, 1);
}

/**
 * Encrypts a bid file into an envelope, sealed to every given sealing key (seal to all the
 * entity's active keys — a working key and an offline backup — so losing one strands nothing).
 * K is drawn here and forgotten when this returns: the seals are the only way back to it.
 */
export async function sealBid(file: BlobLike, publicKeys: { id: string; publicKey: string }[], onProgress?: (done: number, total: number) => void): Promise<SealedBid> {
  if (publicKeys.length === 0) throw new Error('至少需要一把密封公钥');
  const fileKey = randomBytes(16);
  try {
    const keys = fileKeys(fileKey);
    const iv = randomBytes(16);
    const header = enc.encode(JSON.stringify({ v: 1, alg: ALG, iv: toHex(iv), commitKey: keys.commitKey, contentLength: file.size }));
    const hlen = new Uint8Array(4);
    new DataView(hlen.buffer).setUint32(0, header.length);
    const prefix = concat([MAGIC, hlen, header]);
    const mac = new HmacSm3(keys.macKey).update(prefix);
    const digest = new Sm3().update(prefix);
    const ctr = new Sm4Ctr(keys.encKey, iv);
    const parts: Uint8Array[] = [prefix];
    for (let o = 0; o < file.size; o += CHUNK) {
      const plain = new Uint8Array(await file.slice(o, Math.min(file.size, o + CHUNK)).arrayBuffer());
      const ct = ctr.process(plain);
      mac.update(ct);
      digest.update(ct);
      parts.push(ct);
      onProgress?.(Math.min(file.size, o + CHUNK), file.size);
      await tick();
    }
    const tag = mac.digest();
    digest.update(tag);
    parts.push(tag);
    const seals = publicKeys.map((k) => ({ sealingKeyId: k.id, sealedKey: sealFileKey(fileKey, k.publicKey) }));
    const size = parts.reduce((n, p) => n + p.length, 0);
    return { envelope: new Blob(parts as unknown as ConstructorParameters<typeof Blob>[0], { type: 'application/octet-stream' }), seals, commitKey: keys.commitKey, envelopeDigest: toHex(digest.digest()), size };
  } finally {
    fileKey.fill(0);
  }
}

/** Decrypts and checks an envelope with K (a local check of a sealed file; the opening decrypts on the server). */
export async function openEnvelope(fileKey: Uint8Array, envelope: Uint8Array): Promise<Uint8Array> {
  const keys = fileKeys(fileKey);
  if (envelope.length < 12 || !equalConstantTime(envelope.subarray(0, 8), MAGIC)) throw new Error('不是加密的投标文件');
  const hlen = new DataView(envelope.buffer, envelope.byteOffset + 8, 4).getUint32(0);
  const header = JSON.parse(new TextDecoder().decode(envelope.subarray(12, 12 + hlen))) as { iv: string; commitKey: string; contentLength: number };
  if (header.commitKey !== keys.commitKey) throw new Error('文件密钥与投标文件不符');
  const start = 12 + hlen;
  if (envelope.length !== start + header.contentLength + TAG_BYTES) throw new Error('投标文件长度与信封头不符');
  const ct = envelope.subarray(start, start + header.contentLength);
  const mac = new HmacSm3(keys.macKey).update(envelope.subarray(0, start));
  const ctr = new Sm4Ctr(keys.encKey, fromHex(header.iv));
  const out = new Uint8Array(ct.length);
  for (let o = 0; o < ct.length; o += CHUNK) {
    const part = ct.subarray(o, Math.min(ct.length, o + CHUNK));
    mac.update(part);
    out.set(ctr.process(part), o);
    await tick();
  }
  if (!equalConstantTime(mac.digest(), envelope.subarray(start + header.contentLength))) throw new Error('投标文件完整性校验失败');
  return out;
}

// ---- after sealing: unwrap, rehearse, re-seal, decrypt ----

/** K from one of the bid's seals with the matching sealing private key; throws for another key. */
export function unwrapKey(sealedKey: string, privateKey: string): Uint8Array {
  const hex = sealedKey.toLowerCase();
  for (const candidate of hex.startsWith('04') ? [hex.slice(2), hex] : [hex]) {
    try {
      const k = sm2.doDecrypt(candidate, privateKey, 1, { output: 'array' });
      if (k instanceof Uint8Array && k.length === 16) return k;
    } catch {
      // try the other reading of C1
    }
  }
  throw new Error('此密封密钥无法解开该投标文件的密钥');
}

/** The signature POST …/bids/mine/rehearsal wants: proves this key opens this bid, reveals nothing. */
export function rehearsalSignature(fileKey: Uint8Array, bidId: string, challenge: string): string {
  return sign(`ggzy/bid/v1/rehearsal\n${bidId}\n${challenge}`, fileKeys(fileKey).d);
}

export function resealSignature(fileKey: Uint8Array, bidId: string, sealingKeyId: string, sealedKey: string): string {
  return sign(`ggzy/bid/v1/reseal\n${bidId}\n${sealingKeyId}\n${toHex(sm3(fromHex(sealedKey.toLowerCase())))}`, fileKeys(fileKey).d);
}

/** A new seal of K for a renewed sealing key, with its proof (PUT …/bids/mine/seals/:keyId). */
export function resealFor(fileKey: Uint8Array, bidId: string, key: { id: string; publicKey: string }): { sealedKey: string; signature: string } {
  const sealedKey = sealFileKey(fileKey, key.publicKey);
  return { sealedKey, signature: resealSignature(fileKey, bidId, key.id, sealedKey) };
}

/** The body of POST …/bids/mine/decrypt at the opening. */
export function decryptRequest(fileKey: Uint8Array): { fileKey: string } {
  return { fileKey: toHex(fileKey) };
}

// ---- receipts ----

function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Checks a bid receipt's SM2 signature against the platform key (GET /api/v1/public/platform-key). */
export function verifyReceipt(receipt: Record<string, unknown>, signature: string, platformPublicKey: string): boolean {
  try {
    return sm2.doVerifySignature(canonicalJson(receipt), signature, platformPublicKey, { hash: true, der: true, userId: USER_ID });
  } catch {
    return false;
  }
}
