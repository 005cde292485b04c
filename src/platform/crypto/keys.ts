// The node's master key (16-byte SM4 key) and the purpose keys derived from it. The master key
// comes from GGZY_MASTER_KEY or, failing that, from a file under the data directory that is
// created once with owner-only permissions. Losing it makes encrypted personal data and TOTP
// secrets unreadable: back it up with the database.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SM2_CURVE_ORDER, sm2PublicKeyFromPrivateKey, type Sm2KeyPair } from './sm2.ts';
import { hmacSm3 } from './sm3.ts';

export interface Keys {
  /** Master key for sealSm4 and blindIndex (each derives its own subkeys). */
  master: Buffer;
  /** MAC key of CSRF tokens. */
  csrf: Buffer;
  /**
   * The platform's SM2 signing key (bid receipts, opening records, award notices). Derived from
   * the master key, so backing up the master key backs it up too and every node of one
   * installation signs with the same key; its public key is published for verifiers.
   */
  platformSm2: Sm2KeyPair;
  /**
   * This node's SM2 key in the federation (src/platform/federation): it signs the envelopes this
   * node sends and opens the session keys sealed to it. A key of its own, not the platform key:
   * one key, one purpose, and a province and its cities are separate installations anyway.
   */
  federationSm2: Sm2KeyPair;
}

/** d = 1 + (HMAC-SM3(master, label) mod (n − 2)) lies in [1, n − 2], as GM/T 0003.1 requires. */
function deriveSm2(master: Buffer, label: string): Sm2KeyPair {
  const h = BigInt('0x' + hmacSm3(master, label).toString('hex'));
  const privateKey = (1n + (h % (SM2_CURVE_ORDER - 2n))).toString(16).padStart(64, '0');
  return { privateKey, publicKey: sm2PublicKeyFromPrivateKey(privateKey) };
}

export function deriveKeys(master: Buffer): Keys {
  if (master.length !== 16) throw new Error('master key must be 16 bytes');
  return {
    master,
    csrf: hmacSm3(master, 'ggzy/csrf/v1').subarray(0, 32),
    platformSm2: deriveSm2(master, 'ggzy/platform-sm2/v1'),
    federationSm2: deriveSm2(master, 'ggzy/federation-sm2/v1'),
  };
}

export function loadMasterKey(masterKeyHex: string | undefined, dataDir: string): Buffer {
  if (masterKeyHex) return Buffer.from(masterKeyHex, 'hex');
  const file = path.join(dataDir, 'secrets', 'master.key');
  if (fs.existsSync(file)) {
    const hex = fs.readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`master key file ${file} is damaged (expected 32 hex characters)`);
    return Buffer.from(hex, 'hex');
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = crypto.randomBytes(16);
  fs.writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}
