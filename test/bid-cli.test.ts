// `ggzy bid …` as a bidder runs it: two key files, a large file sealed to both, the file key
// recovered from either seal for the opening, a rehearsal signature — and the envelope opens
// with that key on the server's side.

import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openChunks, rehearsalMessage, verifyCommitSignature, sealingKeyProofMessage } from '../src/modules/trading/bid-envelope.ts';
import { sm2Verify } from '../src/platform/crypto/sm2.ts';

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ggzy-bid-cli-'));
const at = (f: string) => path.join(dir, f);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function ggzy(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, ['bin/ggzy.js', 'bid', ...args], { env: { ...process.env, ...env }, timeout: 60_000, maxBuffer: 1 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('ggzy bid', () => {
  it('keygen, seal, open-key and rehearse round trip', async () => {
    const entity = crypto.randomUUID();
    const env = { BID_PASS: 'correct horse 电池 staple' };
    const keys: { id: string; publicKey: string; fingerprint: string }[] = [];
    for (const name of ['work', 'backup']) {
      const r = await ggzy(['keygen', '--out', at(`${name}.json`), '--label', name, '--entity', entity, '--passphrase-env', 'BID_PASS'], env);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { publicKey: string; fingerprint: string; registration: { publicKey: string; proof: string } };
      expect(sm2Verify(sealingKeyProofMessage(entity, out.publicKey), out.registration.proof, out.publicKey)).toBe(true);
      expect((fs.statSync(at(`${name}.json`)).mode & 0o777).toString(8)).toBe('600');
      keys.push({ id: crypto.randomUUID(), publicKey: out.publicKey, fingerprint: out.fingerprint });
    }
    expect((await ggzy(['keygen', '--out', at('work.json'), '--passphrase-env', 'BID_PASS'], env)).code).not.toBe(0);

    const plaintext = crypto.randomBytes(3 * 1024 * 1024 + 7);
    fs.writeFileSync(at('bid.pdf'), plaintext);
    fs.writeFileSync(at('keys.json'), JSON.stringify({ items: [...keys.map((k) => ({ ...k, revokedAt: null })), { id: crypto.randomUUID(), publicKey: keys[0]!.publicKey, revokedAt: '2026-01-01T00:00:00Z' }] }));
    const sealed = await ggzy(['seal', '--in', at('bid.pdf'), '--keys', at('keys.json'), '--out', at('bid.ggzybid')]);
    expect(sealed.code, sealed.stderr).toBe(0);
    const s = JSON.parse(sealed.stdout) as { sm3: string; size: number; sealsHeader: string; seals: { sealingKeyId: string; sealedKey: string }[] };
    const envelope = fs.readFileSync(at('bid.ggzybid'));
    expect(s.size).toBe(envelope.length);
    expect(s.sm3).toBe(crypto.createHash('sm3').update(envelope).digest('hex'));
    expect(s.seals.map((x) => x.sealingKeyId)).toEqual(keys.map((k) => k.id));
    expect(JSON.parse(Buffer.from(s.sealsHeader, 'base64url').toString())).toEqual(s.seals);

    // What GET …/bids/mine returns, trimmed to what open-key reads.
    const bidId = crypto.randomUUID();
    fs.writeFileSync(at('mine.json'), JSON.stringify({ bid: { id: bidId }, seals: s.seals.map((x, i) => ({ ...x, fingerprint: keys[i]!.fingerprint })) }));
    const commitKey = (JSON.parse(envelope.subarray(12, 12 + envelope.readUInt32BE(8)).toString()) as { commitKey: string }).commitKey;
    for (const name of ['work', 'backup']) {
      const r = await ggzy(['open-key', '--key', at(`${name}.json`), '--bid', at('mine.json'), '--passphrase-env', 'BID_PASS'], env);
      expect(r.code, r.stderr).toBe(0);
      const fileKey = Buffer.from((JSON.parse(r.stdout) as { fileKey: string }).fileKey, 'hex');
      const parts: Buffer[] = [];
      for await (const c of openChunks(fileKey, fs.createReadStream(at('bid.ggzybid')))) parts.push(c);
      expect(Buffer.concat(parts).equals(plaintext)).toBe(true);
    }
    const reh = await ggzy(['rehearse', '--key', at('backup.json'), '--bid', at('mine.json'), '--challenge', 'abc', '--passphrase-env', 'BID_PASS'], env);
    const body = JSON.parse(reh.stdout) as { sealingKeyId: string; signature: string };
    expect(body.sealingKeyId).toBe(keys[1]!.id);
    expect(verifyCommitSignature(rehearsalMessage(bidId, 'abc'), body.signature, commitKey)).toBe(true);

    const wrong = await ggzy(['open-key', '--key', at('work.json'), '--bid', at('mine.json'), '--passphrase', 'not the passphrase']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('口令错误');
  }, 120_000);
});
