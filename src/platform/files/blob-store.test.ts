// The streamed write path: batches go to pool threads that digest and write them; the digest
// must be over exactly the bytes stored, whatever the chunking, and an abandoned write must
// leave nothing behind.

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sm3Hex } from '../crypto/sm3.ts';
import { loadAddon, nativeLanes } from '../crypto/sm3-lanes.ts';
import { BlobStore } from './blob-store.ts';
import { BATCH_BYTES, BlobWritePool } from './blob-write-pool.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ggzy-blob-store-'));
const pool = new BlobWritePool(2);
const store = new BlobStore(root, pool);
afterAll(async () => {
  await pool.close();
  fs.rmSync(root, { recursive: true, force: true });
});

async function* chunked(data: Buffer, sizes: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const n = sizes[i % sizes.length]!;
    yield new Uint8Array(data.buffer, data.byteOffset + at, Math.min(n, data.length - at));
    at += n;
  }
}

const tmpFiles = () => fs.readdirSync(path.join(root, 'tmp'));

describe('BlobStore streamed writes', () => {
  it('digests exactly the bytes stored, across batch boundaries and odd chunk sizes', async () => {
    for (const size of [0, 1, BATCH_BYTES - 1, BATCH_BYTES, BATCH_BYTES + 1, 5 * BATCH_BYTES + 12_345]) {
      const data = crypto.randomBytes(size);
      const r = await store.putStream(chunked(data, [65_536, 7, 300_001, 1]));
      expect(r).toEqual({ digest: sm3Hex(data), size });
      expect(fs.readFileSync(store.fileOf(r.digest)).equals(data)).toBe(true);
    }
    expect(tmpFiles()).toEqual([]);
  });

  it('writes many blobs at once on the pool without mixing their bytes', async () => {
    const blobs = Array.from({ length: 12 }, (_, i) => crypto.randomBytes(BATCH_BYTES * 2 + i * 1000));
    const results = await Promise.all(blobs.map((b) => store.putStream(chunked(b, [64 * 1024]))));
    results.forEach((r, i) => expect(r.digest).toBe(sm3Hex(blobs[i]!)));
    for (const r of results) expect(await store.get(r.digest)).toBeDefined();
  });

  // More blobs than the 16 SM3 lanes on each thread, of unequal sizes, so a pass digests many
  // blobs' writes together and blobs finish while others are still being written.
  it.each([
    ['the multi-buffer SM3 (when built)', undefined],
    ["OpenSSL's SM3 (GGZY_SM3_LANES=off)", 'off'],
  ])('40 blobs at once, finishing at different times, each digest right: %s', async (_label, setting) => {
    const before = process.env.GGZY_SM3_LANES;
    const restore = () => (before === undefined ? delete process.env.GGZY_SM3_LANES : (process.env.GGZY_SM3_LANES = before));
    if (setting) process.env.GGZY_SM3_LANES = setting;
    const own = new BlobWritePool(2);
    try {
      // The first open starts the pool's threads, and a thread copies the environment as it starts.
      const first = await own.open(path.join(root, 'tmp', 'warm'));
      restore();
      await first.close();
      fs.rmSync(path.join(root, 'tmp', 'warm'));
      expect(first.digestWith).toBe(setting === 'off' || !loadAddon() ? 'openssl' : nativeLanes()!.name);
      const ownStore = new BlobStore(root, own);
      const blobs = Array.from({ length: 40 }, (_, i) => crypto.randomBytes((i % 7) * BATCH_BYTES + i * 4099));
      const results = await Promise.all(blobs.map((b, i) => ownStore.putStream(chunked(b, [64 * 1024, 1 + i]))));
      results.forEach((r, i) => {
        expect(r).toEqual({ digest: sm3Hex(blobs[i]!), size: blobs[i]!.length });
        expect(fs.readFileSync(ownStore.fileOf(r.digest)).equals(blobs[i]!)).toBe(true);
      });
    } finally {
      restore();
      await own.close();
    }
  });

  it('handed-over chunks go to the thread without a copy, in order with copied ones', async () => {
    const data = crypto.randomBytes(3 * BATCH_BYTES + 777);
    const w = await store.beginWrite();
    const handed: Uint8Array[] = [];
    // Mixed: whole-buffer chunks (transferred), small ones and views into a larger buffer (copied).
    const sizes = [65_536, 100, 300_001, 65_536, 5, BATCH_BYTES, 20_000];
    let at = 0;
    for (let i = 0; at < data.length; i++) {
      const n = Math.min(sizes[i % sizes.length]!, data.length - at);
      const chunk = i % 3 === 2 ? data.subarray(at, at + n) : Uint8Array.from(data.subarray(at, at + n));
      handed.push(chunk);
      await w.writeOwned(chunk);
      at += n;
    }
    const r = await w.finish();
    await w.commit();
    expect(r).toEqual({ digest: sm3Hex(data), size: data.length });
    expect(fs.readFileSync(store.fileOf(r.digest)).equals(data)).toBe(true);
    // A transferred chunk is detached here; a copied one is untouched.
    expect(handed.some((c) => c.byteLength === 0)).toBe(true);
    expect(handed.filter((c, i) => i % 3 === 2).every((c) => c.byteLength > 0)).toBe(true);
    expect(tmpFiles()).toEqual([]);
  });

  it('a write that fails midway, or is discarded after finish, leaves no file', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield crypto.randomBytes(3 * BATCH_BYTES);
      throw new Error('connection reset');
    }
    await expect(store.putStream(failing())).rejects.toThrow('connection reset');
    const w = await store.beginWrite();
    await w.write(crypto.randomBytes(BATCH_BYTES + 5));
    const { digest } = await w.finish();
    await w.discard();
    expect(tmpFiles()).toEqual([]);
    expect(await store.has(digest)).toBe(false);
  });
});
