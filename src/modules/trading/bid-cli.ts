// `ggzy bid …`: the bidder's side of the sealed envelope on the command line, for files too
// large for a browser tab and for scripted submission. Nothing here talks to the platform or
// its database; it shares bid-envelope.ts and bid-keyfile.ts with the server.
//
//   ggzy bid keygen --out key.json [--label 标签] [--entity <entityId>]   (passphrase: --passphrase-env VAR or --passphrase P)
//        writes a passphrase-protected key file; with --entity also prints the body of
//        POST /api/v1/trading/sealing-keys (public key, label, proof of possession)
//   ggzy bid seal --in bid.pdf --keys keys.json --out bid.ggzybid
//        keys.json: the answer of GET /api/v1/trading/sealing-keys (or an array of { id, publicKey });
//        seals to every active key, writes the envelope and prints { sm3, size, sealsHeader, seals }
//   ggzy bid open-key --key key.json --bid bid.json      (bid.json: the answer of GET …/bids/mine)
//        unwraps this key's seal and prints the body of POST …/bids/mine/decrypt
//   ggzy bid rehearse --key key.json --bid bid.json --challenge C
//        prints the body of POST …/bids/mine/rehearsal

import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { createSm3 } from '../../platform/crypto/sm3.ts';
import { sm2Sign } from '../../platform/crypto/sm2.ts';
import { generateFileKey, rehearsalMessage, sealChunks, sealFileKey, sealingKeyProofMessage, signWithFileKey, unwrapFileKey } from './bid-envelope.ts';
import { exportKeyFile, generateSealingKeyPair, importKeyFile } from './bid-keyfile.ts';

export const BID_USAGE = `  bid keygen --out key.json [--label 标签] [--entity 主体ID] (--passphrase-env 变量名 | --passphrase 口令)
  bid seal --in 投标文件 --keys keys.json --out 投标文件.ggzybid
  bid open-key --key key.json --bid bid.json (--passphrase-env 变量名 | --passphrase 口令)
  bid rehearse --key key.json --bid bid.json --challenge 挑战值 (--passphrase-env 变量名 | --passphrase 口令)`;

export class CliError extends Error {}

type Env = Record<string, string | undefined>;

function passphraseOf(values: { passphrase?: string | undefined; 'passphrase-env'?: string | undefined }, env: Env): string {
  const p = values['passphrase-env'] ? env[values['passphrase-env']] : values.passphrase;
  if (!p) throw new CliError('需要口令：--passphrase-env 变量名（推荐）或 --passphrase 口令');
  return p;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    throw new CliError(`无法读取 ${file}：${(e as Error).message}`);
  }
}

const OPTIONS = {
  out: { type: 'string' },
  in: { type: 'string' },
  keys: { type: 'string' },
  key: { type: 'string' },
  bid: { type: 'string' },
  label: { type: 'string' },
  entity: { type: 'string' },
  challenge: { type: 'string' },
  passphrase: { type: 'string' },
  'passphrase-env': { type: 'string' },
} as const;

/** Runs one `bid` subcommand; returns what to print on stdout. */
export async function bidCommand(sub: string | undefined, args: string[], env: Env): Promise<string> {
  const { values } = parseArgs({ args, options: OPTIONS, strict: true });
  switch (sub) {
    case 'keygen': {
      if (!values.out) throw new CliError('需要 --out key.json');
      const key = generateSealingKeyPair(values.label ?? '密封密钥');
      fs.writeFileSync(values.out, JSON.stringify(exportKeyFile(key, passphraseOf(values, env)), null, 2), { mode: 0o600, flag: 'wx' });
      const registration = values.entity ? { publicKey: key.publicKey, label: key.label, proof: sm2Sign(sealingKeyProofMessage(values.entity, key.publicKey), key.privateKey) } : undefined;
      return JSON.stringify({ publicKey: key.publicKey, fingerprint: key.fingerprint, registration }, null, 2);
    }
    case 'seal': {
      if (!values.in || !values.keys || !values.out) throw new CliError('需要 --in、--keys 与 --out');
      const raw = readJson(values.keys) as { items?: unknown } | unknown[];
      const list = (Array.isArray(raw) ? raw : ((raw as { items?: unknown[] }).items ?? [])) as { id?: string; publicKey?: string; revokedAt?: string | null }[];
      const keys = list.filter((k) => k.id && k.publicKey && !k.revokedAt) as { id: string; publicKey: string }[];
      if (keys.length === 0) throw new CliError(`${values.keys} 中没有有效的密封公钥`);
      const size = fs.statSync(values.in).size;
      const fileKey = generateFileKey();
      const digest = createSm3();
      let written = 0;
      const envelope = Readable.from(sealChunks(fileKey, fs.createReadStream(values.in, { highWaterMark: 1024 * 1024 }), size));
      envelope.on('data', (c: Buffer) => {
        digest.update(c);
        written += c.length;
      });
      await pipeline(envelope, fs.createWriteStream(values.out, { flags: 'wx' }));
      const seals = keys.map((k) => ({ sealingKeyId: k.id, sealedKey: sealFileKey(fileKey, k.publicKey) }));
      fileKey.fill(0);
      return JSON.stringify({ sm3: digest.digest('hex'), size: written, sealsHeader: Buffer.from(JSON.stringify(seals)).toString('base64url'), seals }, null, 2);
    }
    case 'open-key':
    case 'rehearse': {
      if (!values.key || !values.bid) throw new CliError('需要 --key 与 --bid');
      const key = importKeyFile(readJson(values.key), passphraseOf(values, env));
      const bid = readJson(values.bid) as { bid?: { id: string } | null; seals?: { sealingKeyId: string; fingerprint: string; sealedKey: string }[] };
      const seal = bid.seals?.find((s) => s.fingerprint === key.fingerprint);
      if (!bid.bid || !seal) throw new CliError('该投标文件没有这把密封密钥的密钥封装');
      const fileKey = unwrapFileKey(seal.sealedKey, key.privateKey);
      if (sub === 'open-key') return JSON.stringify({ fileKey: fileKey.toString('hex') });
      if (!values.challenge) throw new CliError('需要 --challenge');
      return JSON.stringify({ sealingKeyId: seal.sealingKeyId, challenge: values.challenge, signature: signWithFileKey(fileKey, rehearsalMessage(bid.bid.id, values.challenge)) });
    }
    default:
      throw new CliError(`用法:\n${BID_USAGE}`);
  }
}
