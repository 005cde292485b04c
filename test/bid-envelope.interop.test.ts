// The browser (web/src/crypto/bid-envelope.ts, sm-crypto-v2 + its own SM3) and Node
// (src/modules/trading/bid-envelope.ts, OpenSSL) must write and read the same envelopes, key
// seals, proofs and key files: a bid sealed in a browser is opened by the server at the opening.

import crypto from 'node:crypto';
import { sm4 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import * as web from '../web/src/crypto/bid-envelope.ts';
import * as node from '../src/modules/trading/bid-envelope.ts';
import { exportKeyFile, generateSealingKeyPair, importKeyFile } from '../src/modules/trading/bid-keyfile.ts';
import { generateSm2KeyPair, sm2Sign } from '../src/platform/crypto/sm2.ts';
import { hmacSm3 as nodeHmac } from '../src/platform/crypto/sm3.ts';
import { canonicalJson } from '../src/platform/audit/canonical.ts';

const nodeSm3 = (b: Uint8Array) => crypto.createHash('sm3').update(b).digest('hex');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const blobOf = (bytes: Uint8Array): web.BlobLike => ({
  size: bytes.length,
  slice: (a, b) => ({ arrayBuffer: async () => Uint8Array.prototype.slice.call(bytes, a, b).buffer as ArrayBuffer }),
});

describe('browser primitives against Node and the standards', () => {
  it('SM3: GB/T 32905 example and block boundaries, incremental', () => {
    expect(hex(web.sm3(new TextEncoder().encode('abc')))).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    for (const n of [0, 1, 55, 56, 63, 64, 65, 127, 128, 1000, 70_001]) {
      const bytes = crypto.randomBytes(n);
      const s = new web.Sm3();
      for (let o = 0; o < n; o += 37) s.update(bytes.subarray(o, o + 37));
      expect(hex(s.digest()), `${n} bytes`).toBe(nodeSm3(bytes));
    }
  });

  it('HMAC-SM3 and PBKDF2-HMAC-SM3 match Node', () => {
    for (const key of [Buffer.from('k'), crypto.randomBytes(64), crypto.randomBytes(100)]) {
      const data = crypto.randomBytes(300);
      expect(hex(web.hmacSm3(key, data))).toBe(nodeHmac(key, data).toString('hex'));
    }
    const salt = crypto.randomBytes(16);
    expect(hex(web.pbkdf2Sm3(new TextEncoder().encode('口令 passphrase'), salt, 1000, 48))).toBe(crypto.pbkdf2Sync(Buffer.from('口令 passphrase'), salt, 1000, 48, 'sm3').toString('hex'));
  });

  it('SM4 (GB/T 32907 example) in the browser library and in OpenSSL', () => {
    const key = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    const ecb = crypto.createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
    expect(ecb.update(key).toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
    expect(hex(sm4.encrypt(key, key, { mode: 'ecb', padding: 'none', output: 'array' }))).toBe('681edf34d206965e86b3e94f536e4246');
  });
});

describe('envelopes: browser ⇄ Node', () => {
  const sealing = generateSm2KeyPair();

  it('seals in the browser and opens with Node (seal, commitment, tag, digest)', async () => {
    for (const n of [0, 1, 15, 16, 17, 512 * 1024 + 5]) {
      const plaintext = crypto.randomBytes(n);
      const sealed = await web.sealBid(blobOf(plaintext), [{ id: 'key-1', publicKey: sealing.publicKey }]);
      const bytes = Buffer.from(await sealed.envelope.arrayBuffer());
      expect(sealed.size).toBe(bytes.length);
      expect(sealed.envelopeDigest).toBe(nodeSm3(bytes));
      const prefix = node.parsePrefix(bytes)!;
      expect(prefix.totalLength).toBe(bytes.length);
      expect(prefix.header.commitKey).toBe(sealed.commitKey);
      const k = node.unwrapFileKey(sealed.seals[0]!.sealedKey, sealing.privateKey);
      expect(node.fileKeyMatches(k, sealed.commitKey)).toBe(true);
      expect((await node.openBuffer(k, bytes)).equals(plaintext)).toBe(true);
    }
  });

  it('seals with Node and opens in the browser', async () => {
    const plaintext = crypto.randomBytes(700_001);
    const k = node.generateFileKey();
    const envelope = await node.sealBuffer(k, plaintext);
    const seal = node.sealFileKey(k, sealing.publicKey);
    const k2 = web.unwrapKey(seal, sealing.privateKey);
    expect(hex(k2)).toBe(k.toString('hex'));
    expect(web.commitKeyOf(k2)).toBe(node.deriveFileKeys(k).commitKey);
    expect(Buffer.from(await web.openEnvelope(k2, envelope)).equals(plaintext)).toBe(true);
  });

  it('OpenSSL SM4-CTR carries the counter across 128 bits as the browser does', async () => {
    // Force an iv whose low bytes are all ff by building the envelope by hand with Node, then
    // open it in the browser: a 64-bit counter would differ from the second block on.
    const k = node.generateFileKey();
    const keys = node.deriveFileKeys(k);
    const iv = Buffer.from('0000000000000000ffffffffffffffff', 'hex');
    const plaintext = crypto.randomBytes(64);
    const prefix = node.framePrefix({ v: 1, alg: node.ALG, iv: iv.toString('hex'), commitKey: keys.commitKey, contentLength: plaintext.length });
    const c = crypto.createCipheriv('sm4-ctr', keys.encKey, iv);
    const ct = Buffer.concat([c.update(plaintext), c.final()]);
    const tag = nodeHmac(keys.macKey, Buffer.concat([prefix, ct]));
    const envelope = Buffer.concat([prefix, ct, tag]);
    expect(Buffer.from(await web.openEnvelope(k, envelope)).equals(plaintext)).toBe(true);
    expect((await node.openBuffer(k, envelope)).equals(plaintext)).toBe(true);
  });

  it('Node refuses a flipped bit anywhere, and the wrong K', async () => {
    const k = node.generateFileKey();
    const envelope = await node.sealBuffer(k, Buffer.from('投标报价：12345678.00 元'));
    for (const i of [20, envelope.length - 40, envelope.length - 1]) {
      const bad = Buffer.from(envelope);
      bad[i] = bad[i]! ^ 1;
      await expect(node.openBuffer(k, bad)).rejects.toThrow(node.EnvelopeError);
    }
    await expect(node.openBuffer(node.generateFileKey(), envelope)).rejects.toThrow(/承诺公钥/);
    await expect(web.openEnvelope(node.generateFileKey(), envelope)).rejects.toThrow();
  });

  it('the header carries exactly the five members and nothing about the content', async () => {
    const sealed = await web.sealBid(blobOf(Buffer.from('x')), [{ id: 'a', publicKey: sealing.publicKey }]);
    const prefix = node.parsePrefix(Buffer.from(await sealed.envelope.arrayBuffer()))!;
    expect(Object.keys(prefix.header).sort()).toEqual(['alg', 'commitKey', 'contentLength', 'iv', 'v']);
  });
});

describe('proofs of K and key files: browser ⇄ Node', () => {
  it('rehearsal and reseal signatures made in the browser verify against the commitment in Node', () => {
    const k = node.generateFileKey();
    const commitKey = node.deriveFileKeys(k).commitKey;
    const challenge = 'c'.repeat(40);
    expect(node.verifyCommitSignature(node.rehearsalMessage('bid-1', challenge), web.rehearsalSignature(k, 'bid-1', challenge), commitKey)).toBe(true);
    expect(node.verifyCommitSignature(node.rehearsalMessage('bid-2', challenge), web.rehearsalSignature(k, 'bid-1', challenge), commitKey)).toBe(false);
    const newKey = generateSm2KeyPair();
    const { sealedKey, signature } = web.resealFor(k, 'bid-1', { id: 'key-2', publicKey: newKey.publicKey });
    expect(node.verifyCommitSignature(node.resealMessage('bid-1', 'key-2', sealedKey), signature, commitKey)).toBe(true);
    expect(node.unwrapFileKey(sealedKey, newKey.privateKey).equals(k)).toBe(true);
    expect(node.verifyCommitSignature(node.rehearsalMessage('bid-1', challenge), node.signWithFileKey(k, node.rehearsalMessage('bid-1', challenge)), commitKey)).toBe(true);
  });

  it('a key file written in the browser opens in Node and vice versa; a wrong passphrase fails', async () => {
    const key = web.generateSealingKey('工作密钥');
    const text = await web.exportKeyFile(key, 'correct horse 电池', 10_000);
    const opened = importKeyFile(JSON.parse(text), 'correct horse 电池');
    expect(opened).toMatchObject({ privateKey: key.privateKey, publicKey: key.publicKey, fingerprint: nodeSm3(Buffer.from(key.publicKey, 'hex')), label: '工作密钥' });
    expect(() => importKeyFile(JSON.parse(text), 'wrong passphrase')).toThrow(/口令错误/);

    const nodeKey = generateSealingKeyPair('备用密钥');
    const file = exportKeyFile(nodeKey, 'offline backup 2026', 10_000);
    expect(await web.importKeyFile(JSON.stringify(file), 'offline backup 2026')).toEqual(nodeKey);
    await expect(web.importKeyFile(JSON.stringify(file), 'offline backup 2027')).rejects.toThrow(/口令错误/);
    await expect(web.importKeyFile(JSON.stringify({ ...file, kdf: { ...file.kdf, iterations: 1000 } }), 'offline backup 2026')).rejects.toThrow(/迭代次数/);
  });

  it('the browser verifies a receipt the platform signed', () => {
    const platform = generateSm2KeyPair();
    const receipt = { dealCode: 'D', lotCode: 'L', bidId: 'b', bidder: { entityId: 'e', name: '山西某建设有限公司' }, sm3: 'ab', size: 10, receivedAt: '2026-03-02T01:00:00.000Z', attempt: 1 };
    const signature = sm2Sign(canonicalJson(receipt), platform.privateKey);
    expect(web.verifyReceipt(receipt, signature, platform.publicKey)).toBe(true);
    expect(web.verifyReceipt({ ...receipt, size: 11 }, signature, platform.publicKey)).toBe(false);
  });
});
