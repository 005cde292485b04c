// The workbench computes evidence digests in the browser with sm-crypto-v2 (web/src/sm3.ts); the
// server and every other tool use Node's OpenSSL SM3. Both must give the same digest, or a
// reference entered on the workbench would never match the file it names.

import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { evidenceOf, sm3Hex } from '../web/src/sm3.ts';

const nodeSm3 = (bytes: Uint8Array) => crypto.createHash('sm3').update(bytes).digest('hex');

describe('browser SM3 of evidence files', () => {
  it('matches the GB/T 32905 example', () => {
    expect(sm3Hex(new TextEncoder().encode('abc'))).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('matches Node at block boundaries and on binary data', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 1000, 70_000]) {
      const bytes = crypto.randomBytes(n);
      expect(sm3Hex(bytes), `${n} bytes`).toBe(nodeSm3(bytes));
    }
  });

  it('makes an evidence reference of a file: name, digest and byte size', async () => {
    const bytes = new TextEncoder().encode('行政处罚决定书（扫描件）');
    const file = { name: ' 处罚决定书.pdf ', size: bytes.length, arrayBuffer: async () => bytes.buffer.slice(0) as ArrayBuffer };
    expect(await evidenceOf(file)).toEqual({ name: '处罚决定书.pdf', sm3Digest: nodeSm3(bytes), size: bytes.length });
    const long = { ...file, name: `${'长'.repeat(300)}.pdf` };
    const ref = await evidenceOf(long);
    expect(ref.name).toHaveLength(200);
    expect(ref.name.endsWith('.pdf')).toBe(true);
  });
});
