// The multi-buffer SM3 must give OpenSSL's digests for every message, whatever the number of
// jobs per call (below and above the 16 lanes and each variant's scalar threshold), the parts'
// sizes (empty, under a block, across blocks and parts) and the calls a message is spread over.

import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadAddon, nativeLanes, openssl, type Sm3Lanes } from './sm3-lanes.ts';

const addon = loadAddon();
// The install builds the addon (scripts/build-native.mjs); CI fails if it did not. Elsewhere a
// machine without a C compiler runs OpenSSL only, and says so here.
if (!addon && process.env.CI) throw new Error('native/sm3mb was not built: run node scripts/build-native.mjs --required');
const variants = addon ? addon.variants() : [];

// GB/T 32905-2016, appendix A.
const VECTORS: [string, string][] = [
  ['abc', '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0'],
  ['abcd'.repeat(16), 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732'],
];

/** A deterministic generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

/** Messages spread over `calls` calls, `n` of them, with random parts; checked against OpenSSL. */
function checkAgainstOpenssl<S>(lanes: Sm3Lanes<S>, n: number, calls: number, seed: number, maxPart: number): void {
  const rand = rng(seed);
  const states = Array.from({ length: n }, () => lanes.init());
  const refs = Array.from({ length: n }, () => crypto.createHash('sm3'));
  for (let c = 0; c < calls; c++) {
    const jobs: [S, ...Uint8Array[]][] = [];
    for (let i = 0; i < n; i++) {
      if (rand() < 0.15) continue; // a message with nothing in this call
      const parts = Array.from({ length: Math.floor(rand() * 4) }, () => crypto.randomBytes(Math.floor(rand() * (rand() < 0.3 ? 130 : maxPart))));
      for (const p of parts) refs[i]!.update(p);
      jobs.push([states[i]!, ...parts]);
    }
    lanes.update(jobs);
  }
  states.forEach((s, i) => expect(lanes.digestHex(s), `message ${i}`).toBe(refs[i]!.digest('hex')));
}

describe.each(['openssl', ...variants])('SM3 lanes: %s', (variant) => {
  const lanes = (variant === 'openssl' ? openssl : nativeLanes(variant)!) as Sm3Lanes<unknown>;

  it('gives the standard test vectors, whole or byte by byte', () => {
    for (const [text, digest] of VECTORS) {
      const whole = lanes.init();
      lanes.update([[whole, Buffer.from(text)]]);
      expect(lanes.digestHex(whole)).toBe(digest);
      const bytes = lanes.init();
      lanes.update([[bytes, ...[...Buffer.from(text)].map((b) => Uint8Array.of(b))]]);
      expect(lanes.digestHex(bytes)).toBe(digest);
    }
    const empty = lanes.init();
    expect(lanes.digestHex(empty)).toBe(crypto.createHash('sm3').digest('hex'));
  });

  it('pads at the block boundaries (55, 56, 63, 64, 65 bytes)', () => {
    for (const size of [55, 56, 63, 64, 65, 119, 120, 128]) {
      const data = crypto.randomBytes(size);
      const s = lanes.init();
      lanes.update([[s, data]]);
      expect(lanes.digestHex(s), `${size} bytes`).toBe(crypto.createHash('sm3').update(data).digest('hex'));
    }
  });

  it.each([
    [1, 'one message (scalar)'],
    [2, 'below the lanes threshold'],
    [5, 'a few lanes busy'],
    [16, 'exactly the lanes'],
    [37, 'more messages than lanes: lanes move on to the next job'],
  ])('matches OpenSSL with %i message(s) per call: %s', (n) => {
    checkAgainstOpenssl(lanes, n, 3, n * 7919, 20_000);
  });

  it('matches OpenSSL on large messages of unequal lengths', () => {
    checkAgainstOpenssl(lanes, 20, 2, 42, 400_000);
  });
});

describe.skipIf(!addon)('SM3 lanes: the native addon', () => {
  it('reads the digest without ending the message', () => {
    const lanes = nativeLanes()!;
    const s = lanes.init();
    lanes.update([[s, Buffer.from('ab')]]);
    lanes.digestHex(s);
    lanes.update([[s, Buffer.from('c')]]);
    expect(lanes.digestHex(s)).toBe(VECTORS[0]![1]);
  });

  it('refuses a state twice in one call, and malformed jobs, with a clear error', () => {
    const s = addon!.init();
    expect(() => addon!.update([[s, Buffer.from('a')], [s, Buffer.from('b')]])).toThrow('one state in two jobs');
    expect(() => addon!.update([[new Uint8Array(5)]])).toThrow('state from init()');
    expect(() => addon!.update([[s, 'text' as unknown as Uint8Array]])).toThrow('parts must be Uint8Arrays');
    expect(() => addon!.update([[s]], 'no-such-variant')).toThrow('not available');
    expect(() => addon!.digest(new Uint8Array(112).subarray(1) as Uint8Array)).toThrow('state from init()');
    // The refused calls changed nothing.
    expect(addon!.digest(s).toString('hex')).toBe(crypto.createHash('sm3').digest('hex'));
  });

  it('names its lanes and the variants this CPU runs, best first, the baseline always among them', () => {
    expect(addon!.lanes).toBe(16);
    expect(variants.length).toBeGreaterThan(0);
    if (process.arch === 'x64') expect(variants.at(-1)).toBe('sse2');
  });
});
