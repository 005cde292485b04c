// A bidder's sealing key file (Node side: the CLI; web/src/crypto/bid-envelope.ts writes and
// reads the same format in the browser). The private key never reaches the platform: it lives
// in this file, encrypted under the bidder's passphrase.
//
// Format (JSON):
//   { "format": "ggzy-sealing-key", "v": 1, "label": <text>, "publicKey": <04‖x‖y hex>,
//     "fingerprint": SM3(public key bytes) hex,
//     "kdf": { "alg": "PBKDF2-HMAC-SM3", "iterations": N, "salt": <16 bytes hex> },
//     "cipher": "SM4-CTR/HMAC-SM3", "iv": <16 bytes hex>, "privateKey": <32 bytes hex, encrypted>,
//     "tag": <32 bytes hex> }
//   dk = PBKDF2-HMAC-SM3(UTF-8 NFC passphrase, salt, N, 32); encKey = dk[0:16], macKey = dk[16:32]
//   privateKey = SM4-CTR(encKey, iv) of d; tag = HMAC-SM3(macKey, "ggzy/keyfile/v1\n" ‖ publicKey ‖ "\n" ‖ iv ‖ "\n" ‖ privateKey)
// N defaults to 100,000: ≈ 70 ms in Node and well under a second in a browser's JavaScript
// SM3 — slow enough to make guessing a passphrase from a stolen file costly, fast enough that
// nobody is tempted to keep the key unprotected. A file states its own N, so it can be raised
// later without breaking old files; fewer than 10,000 is refused on import.

import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { generateSm2KeyPair, isValidSm2PublicKey, sm2PublicKeyFromPrivateKey } from '../../platform/crypto/sm2.ts';
import { hmacSm3, sm3Hex } from '../../platform/crypto/sm3.ts';

export const KEYFILE_ITERATIONS = 100_000;
export const KEYFILE_MIN_ITERATIONS = 10_000;

export interface KeyFile {
  format: 'ggzy-sealing-key';
  v: 1;
  label: string;
  publicKey: string;
  fingerprint: string;
  kdf: { alg: 'PBKDF2-HMAC-SM3'; iterations: number; salt: string };
  cipher: 'SM4-CTR/HMAC-SM3';
  iv: string;
  privateKey: string;
  tag: string;
}

export interface SealingKeyPair {
  privateKey: string;
  publicKey: string;
  fingerprint: string;
  label: string;
}

export function fingerprintOf(publicKey: string): string {
  return sm3Hex(Buffer.from(publicKey.toLowerCase(), 'hex'));
}

function derive(passphrase: string, salt: Buffer, iterations: number): { enc: Buffer; mac: Buffer } {
  const dk = pbkdf2Sync(Buffer.from(passphrase.normalize('NFC'), 'utf8'), salt, iterations, 32, 'sm3');
  return { enc: dk.subarray(0, 16), mac: dk.subarray(16, 32) };
}

function tagOf(mac: Buffer, publicKey: string, iv: string, encrypted: string): string {
  return hmacSm3(mac, `ggzy/keyfile/v1\n${publicKey}\n${iv}\n${encrypted}`).toString('hex');
}

export function generateSealingKeyPair(label: string): SealingKeyPair {
  const pair = generateSm2KeyPair();
  return { ...pair, fingerprint: fingerprintOf(pair.publicKey), label };
}

export function exportKeyFile(key: SealingKeyPair, passphrase: string, iterations = KEYFILE_ITERATIONS): KeyFile {
  if (passphrase.length < 8) throw new Error('口令至少 8 个字符');
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const { enc, mac } = derive(passphrase, salt, iterations);
  const cipher = createCipheriv('sm4-ctr', enc, iv);
  const encrypted = Buffer.concat([cipher.update(Buffer.from(key.privateKey, 'hex')), cipher.final()]).toString('hex');
  const ivHex = iv.toString('hex');
  return {
    format: 'ggzy-sealing-key',
    v: 1,
    label: key.label,
    publicKey: key.publicKey,
    fingerprint: key.fingerprint,
    kdf: { alg: 'PBKDF2-HMAC-SM3', iterations, salt: salt.toString('hex') },
    cipher: 'SM4-CTR/HMAC-SM3',
    iv: ivHex,
    privateKey: encrypted,
    tag: tagOf(mac, key.publicKey, ivHex, encrypted),
  };
}

/** Opens a key file; throws with a Chinese message for a wrong passphrase or a damaged file. */
export function importKeyFile(file: unknown, passphrase: string): SealingKeyPair {
  const f = file as Partial<KeyFile>;
  if (f?.format !== 'ggzy-sealing-key' || f.v !== 1 || f.kdf?.alg !== 'PBKDF2-HMAC-SM3' || f.cipher !== 'SM4-CTR/HMAC-SM3') throw new Error('不是本平台的密封密钥文件');
  const hex = (v: unknown, bytes: number) => typeof v === 'string' && new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(v);
  if (!hex(f.kdf.salt, 16) || !hex(f.iv, 16) || !hex(f.privateKey, 32) || !hex(f.tag, 32) || typeof f.publicKey !== 'string' || !isValidSm2PublicKey(f.publicKey)) throw new Error('密封密钥文件已损坏');
  if (!Number.isSafeInteger(f.kdf.iterations) || f.kdf.iterations < KEYFILE_MIN_ITERATIONS) throw new Error('密封密钥文件的口令派生迭代次数过少');
  const { enc, mac } = derive(passphrase, Buffer.from(f.kdf.salt, 'hex'), f.kdf.iterations);
  const expected = Buffer.from(tagOf(mac, f.publicKey, f.iv!, f.privateKey!), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(f.tag!, 'hex'))) throw new Error('口令错误或密封密钥文件已损坏');
  const decipher = createDecipheriv('sm4-ctr', enc, Buffer.from(f.iv!, 'hex'));
  const privateKey = Buffer.concat([decipher.update(Buffer.from(f.privateKey!, 'hex')), decipher.final()]).toString('hex');
  if (sm2PublicKeyFromPrivateKey(privateKey) !== f.publicKey.toLowerCase()) throw new Error('密封密钥文件的私钥与公钥不符');
  return { privateKey, publicKey: f.publicKey.toLowerCase(), fingerprint: fingerprintOf(f.publicKey), label: typeof f.label === 'string' ? f.label : '' };
}
