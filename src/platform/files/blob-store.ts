// Content-addressed file store: a file is named by the SM3 digest of its bytes, so the same
// file is kept once, a name can never point to other content, and a reference in a record
// (digest, size) is also its integrity check. Local disk under the data directory; writes go
// to a temporary name first and are renamed into place, so a crash never leaves half a file
// under a digest. Temporary files live under `tmp/` so that start-up can sweep what a crash left.

import crypto from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { sm3Hex } from '../crypto/sm3.ts';
import { BATCH_BYTES, MAX_IN_FLIGHT, ownsWholeBuffer, sharedBlobWritePool, takeBatch, type BlobWritePool, type PooledFile, type WritePart } from './blob-write-pool.ts';

/** Smaller handed-over chunks are copied into a batch: a transfer has a fixed cost, a small copy hardly any. */
const MIN_OWNED_BYTES = 16 * 1024;

const DIGEST = /^[0-9a-f]{64}$/;

export class BlobStore {
  /** `pool`: the threads that digest and write streamed blobs (the process's shared pool by default). */
  constructor(
    readonly root: string,
    private readonly pool?: BlobWritePool,
  ) {}

  private get tmpDir(): string {
    return path.join(this.root, 'tmp');
  }

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
    await fs.mkdir(this.tmpDir, { recursive: true });
    const temp = path.join(this.tmpDir, `${crypto.randomBytes(8).toString('hex')}.tmp`);
    await fs.writeFile(temp, data, { flag: 'wx' });
    await fs.rename(temp, target);
    return { digest, size: data.length };
  }

  /**
   * Starts writing a file whose digest is known only at its end (an upload): bytes go to a
   * temporary file while SM3 digests them, both on a pool thread (blob-write-pool.ts); `finish` fsyncs, `commit` renames it into place.
   * The caller decides between finish and commit whether the file is kept (a late bid is not).
   */
  async beginWrite(): Promise<BlobWriter> {
    const temp = path.join(this.tmpDir, `${crypto.randomBytes(8).toString('hex')}.tmp`);
    const file = await (this.pool ?? sharedBlobWritePool()).open(temp);
    return new BlobWriter(temp, file, (digest) => this.pathOf(digest));
  }

  /** Streams a source into the store: digest in-stream, temp file, fsync, rename. */
  async putStream(source: AsyncIterable<Uint8Array>): Promise<{ digest: string; size: number }> {
    const writer = await this.beginWrite();
    try {
      for await (const chunk of source) await writer.write(chunk);
      const r = await writer.finish();
      await writer.commit();
      return r;
    } catch (e) {
      await writer.discard();
      throw e;
    }
  }

  /** Removes what interrupted writes left behind; run at start-up, before serving. */
  async removeTemporaryFiles(): Promise<number> {
    let names: string[];
    try {
      names = await fs.readdir(this.tmpDir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw e;
    }
    await Promise.all(names.map((n) => fs.rm(path.join(this.tmpDir, n), { force: true })));
    return names.length;
  }

  /** The stored bytes as a stream, unchecked (the reader digests them as it goes); undefined when absent. */
  async openRead(digest: string): Promise<ReadStream | undefined> {
    const file = this.pathOf(digest);
    try {
      await fs.access(file);
    } catch {
      return undefined;
    }
    return createReadStream(file, { highWaterMark: 1024 * 1024 });
  }

  /** Deletes a blob (only for one no record refers to, e.g. an upload refused after it was stored). */
  async remove(digest: string): Promise<void> {
    await fs.rm(this.pathOf(digest), { force: true });
  }

  /** Where a blob lives on disk (tests that damage a stored file on purpose). */
  fileOf(digest: string): string {
    return this.pathOf(digest);
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

/** A blob being written (BlobStore.beginWrite): its bytes go to a pool thread that digests and writes them. */
export class BlobWriter {
  /** The batch being filled by `write`. */
  private batch: Buffer | undefined;
  private fill = 0;
  /** What the next message to the thread carries, in order, and how many bytes. */
  private parts: WritePart[] = [];
  private partBytes = 0;
  private inflight = 0;
  private waiters: (() => void)[] = [];
  private failure: Error | undefined;
  private digest: string | undefined;
  private closed = false;
  size = 0;

  constructor(
    readonly tempPath: string,
    private readonly file: PooledFile,
    private readonly targetOf: (digest: string) => string,
  ) {}

  /** Takes a copy of the chunk (the caller may reuse it); waits only when MAX_IN_FLIGHT messages are on their way. */
  async write(chunk: Uint8Array): Promise<void> {
    this.check();
    const src = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let offset = 0;
    while (offset < src.length) {
      this.batch ??= takeBatch();
      const n = src.copy(this.batch, this.fill, offset);
      this.fill += n;
      offset += n;
      this.size += n;
      if (this.fill === BATCH_BYTES) await this.queue(this.closeBatch());
    }
  }

  /**
   * Like write, but the caller hands the chunk over and never touches it (or its ArrayBuffer)
   * again: a chunk that is its whole ArrayBuffer (an HTTP body chunk is) goes to the thread as
   * it is, without a copy; any other chunk is copied as by write.
   */
  async writeOwned(chunk: Uint8Array): Promise<void> {
    this.check();
    if (!ownsWholeBuffer(chunk) || chunk.byteLength < MIN_OWNED_BYTES) return this.write(chunk);
    this.size += chunk.byteLength;
    // Bytes copied before this chunk go first: a part per batch keeps the file order.
    const pending = this.fill > 0 ? this.closeBatch() : undefined;
    if (pending) this.addPart(pending);
    await this.queue({ buffer: chunk.buffer as ArrayBuffer, length: chunk.byteLength, batch: false });
  }

  private check(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new Error('write after finish');
  }

  private closeBatch(): WritePart {
    const part = { buffer: this.batch!.buffer as ArrayBuffer, length: this.fill, batch: true };
    this.batch = undefined;
    this.fill = 0;
    return part;
  }

  private addPart(part: WritePart): void {
    this.parts.push(part);
    this.partBytes += part.length;
  }

  /** Adds a part; sends the message once it holds BATCH_BYTES. */
  private async queue(part: WritePart): Promise<void> {
    this.addPart(part);
    if (this.partBytes >= BATCH_BYTES) await this.send();
  }

  private async send(): Promise<void> {
    const parts = this.parts;
    this.parts = [];
    this.partBytes = 0;
    this.inflight += 1;
    this.file.write(parts).then(
      () => this.settled(),
      (e: unknown) => {
        this.failure ??= e instanceof Error ? e : new Error(String(e));
        this.settled();
      },
    );
    while (this.inflight >= MAX_IN_FLIGHT && !this.failure) await new Promise<void>((r) => this.waiters.push(r));
    if (this.failure) throw this.failure;
  }

  private settled(): void {
    this.inflight -= 1;
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }

  /** Writes what is pending, fsyncs and closes the temp file; returns the digest and size. */
  async finish(): Promise<{ digest: string; size: number }> {
    if (this.fill > 0) this.addPart(this.closeBatch());
    if (this.parts.length > 0) await this.send();
    while (this.inflight > 0) await new Promise<void>((r) => this.waiters.push(r));
    if (this.failure) throw this.failure;
    const r = await this.file.finish();
    this.closed = true;
    if (r.size !== this.size) throw new Error(`blob writer stored ${r.size} bytes of ${this.size}`);
    this.digest = r.digest;
    return r;
  }

  /** Renames the finished file into place under its digest, and fsyncs the directory so the rename survives a crash. */
  async commit(): Promise<void> {
    if (!this.digest) throw new Error('commit before finish');
    await this.file.commit(this.targetOf(this.digest));
  }

  async discard(): Promise<void> {
    this.closed = true;
    while (this.inflight > 0) await new Promise<void>((r) => this.waiters.push(r));
    await this.file.close();
    await fs.rm(this.tempPath, { force: true });
  }
}
