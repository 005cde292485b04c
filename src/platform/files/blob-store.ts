// Content-addressed file store: a file is named by the SM3 digest of its bytes, so the same
// file is kept once, a name can never point to other content, and a reference in a record
// (digest, size) is also its integrity check. Local disk under the data directory; writes go
// to a temporary name first and are renamed into place, so a crash never leaves half a file
// under a digest.

import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { sm3Hex } from '../crypto/sm3.ts';

const DIGEST = /^[0-9a-f]{64}$/;

export class BlobStore {
  constructor(readonly root: string) {}

  private pathOf(digest: string): string {
    if (!DIGEST.test(digest)) throw new Error('not an SM3 digest');
    return path.join(this.root, digest.slice(0, 2), digest.slice(2, 4), digest);
  }

  /** Stores the bytes (once) and returns their digest. */
  async put(data: Buffer): Promise<{ digest: string; size: number }> {
    const digest = sm3Hex(data);
    const target = this.pathOf(digest);
    try {
      await fs.access(target);
      return { digest, size: data.length };
    } catch {
      // not there yet
    }
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${crypto.randomBytes(6).toString('hex')}.tmp`;
    await fs.writeFile(temp, data, { flag: 'wx' });
    await fs.rename(temp, target);
    return { digest, size: data.length };
  }

  /** The bytes of a digest, checked against it; undefined when the store has no such file. */
  async get(digest: string): Promise<Buffer | undefined> {
    let data: Buffer;
    try {
      data = await fs.readFile(this.pathOf(digest));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    if (sm3Hex(data) !== digest) throw new Error(`blob ${digest} does not match its digest`);
    return data;
  }

  async has(digest: string): Promise<boolean> {
    try {
      await fs.access(this.pathOf(digest));
      return true;
    } catch {
      return false;
    }
  }
}
