// Threads that digest and write uploaded blobs, so the main thread only moves bytes.
//
// Why: SM3 on Node's OpenSSL runs at ~280 MB/s on one core of the reference machine (2 cores),
// and on the main thread it was the largest cost of bid intake — a CPU profile of
// bench/bid-intake.ts (40 × 20 MB, 50 at a time) put 4.2 s of the main thread's 8.8 s in
// hash.update, 0.5 s more in issuing the writes, and the intake at 0.2 × the raw disk speed with
// the process at one core. With the digest in a pool of threads (one per core, at most 4), hashing
// runs beside the HTTP parsing, the database and the receipt signatures. Since 2026-12 a thread
// digests the writes it holds together, up to 16 blobs at once, with the multi-buffer SM3 addon
// (crypto/sm3-lanes.ts, native/sm3mb): bench/bid-intake.ts --compare-openssl measures the gain.
//
// Bytes reach the blob's thread as transferred ArrayBuffers, about 1 MB per message: either the
// chunks themselves, when the caller hands them over (BlobWriter.writeOwned: an HTTP body chunk
// is a fresh copy Node made for this request alone, so it need not be copied again), or 1 MB
// batches the main thread copies other chunks into (BlobWriter.write). No copy on the way, and
// the thread digests and writes the same bytes, so the digest is over exactly the bytes stored.
// A blob stays on one thread from open to finish, which keeps its bytes in order. At most
// MAX_IN_FLIGHT messages per blob are outstanding: a slow disk or a busy thread holds back the
// socket, not the memory. Written batches come back (transferred again) and are reused; handed-
// over chunks are freed on the thread, so they no longer add to the main thread's GC work.

import os from 'node:os';
import { Worker } from 'node:worker_threads';

export type WriteRequest =
  | { seq: number; op: 'open'; id: number; path: string }
  | { seq: number; op: 'write'; id: number; parts: WritePart[] }
  | { seq: number; op: 'finish'; id: number }
  | { seq: number; op: 'commit'; id: number; path: string }
  | { seq: number; op: 'close'; id: number };

/** Bytes 0..length of `buffer`, in file order; `batch`: a reusable batch to send back when written. */
export interface WritePart {
  buffer: ArrayBuffer;
  length: number;
  batch: boolean;
}

export type WriteReply = { seq: number; ok: true; digest?: string; size?: number; batches?: ArrayBuffer[]; sm3?: string } | { seq: number; ok: false; message: string; code: string | undefined };

type Request = WriteRequest extends infer R ? (R extends WriteRequest ? Omit<R, 'seq'> : never) : never;

/** Bytes handed to a thread in one message: large writes, few messages (~64 KB socket chunks otherwise). */
export const BATCH_BYTES = 1024 * 1024;
/** Messages (of about BATCH_BYTES) per blob on their way to disk before `write` waits. */
export const MAX_IN_FLIGHT = 4;
/** Batches kept for reuse once their thread has written them (at most this many MB held idle). */
const SPARE_BATCHES = 64;

const spare: Buffer[] = [];

/** A 1 MB batch that owns its ArrayBuffer (so it can be transferred): a returned one when there is one. */
export function takeBatch(): Buffer {
  // Not from Node's shared pool: a pooled Buffer's ArrayBuffer cannot be transferred.
  return spare.pop() ?? Buffer.allocUnsafeSlow(BATCH_BYTES);
}

function giveBack(buffer: ArrayBuffer): void {
  if (buffer.byteLength === BATCH_BYTES && spare.length < SPARE_BATCHES) spare.push(Buffer.from(buffer));
}

/** Can this view's ArrayBuffer be transferred without taking bytes from anyone else: is it the whole buffer? */
export function ownsWholeBuffer(chunk: Uint8Array): boolean {
  return chunk.byteOffset === 0 && chunk.buffer instanceof ArrayBuffer && chunk.buffer.byteLength === chunk.byteLength && chunk.byteLength > 0;
}

export function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

function startWorker(): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./blob-write.worker.js', self));
  // From TypeScript sources (tsx, Vitest) a worker does not inherit its parent's loader in
  // Node 20, so it registers tsx itself first (as the licence OCR worker does).
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./blob-write.worker.ts', self).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`, { eval: true });
}

class WriterThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: WriteReply & { ok: true }) => void; reject: (e: Error) => void }>();
  private seq = 0;
  openFiles = 0;
  dead: Error | undefined;

  constructor(private readonly onDeath: (t: WriterThread) => void) {
    this.worker = startWorker();
    this.worker.unref();
    this.worker.on('message', (r: WriteReply) => {
      const p = this.pending.get(r.seq);
      if (!p) return;
      this.pending.delete(r.seq);
      if (this.pending.size === 0) this.worker.unref();
      if (r.ok) p.resolve(r);
      else p.reject(Object.assign(new Error(r.message), { code: r.code }));
    });
    this.worker.on('error', (e) => this.die(e));
    this.worker.on('exit', (code) => this.die(new Error(`blob writer thread exited (${code})`)));
  }

  private die(e: Error): void {
    if (this.dead) return;
    this.dead = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    this.onDeath(this);
  }

  call(req: Request, transfer: ArrayBuffer[] = []): Promise<WriteReply & { ok: true }> {
    if (this.dead) return Promise.reject(this.dead);
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      // Referenced only while a call is outstanding: an idle pool never keeps the process alive.
      this.worker.ref();
      this.worker.postMessage({ ...req, seq }, transfer);
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

/** One temporary file on its thread. */
export class PooledFile {
  private static ids = 0;
  readonly id = ++PooledFile.ids;
  private finished = false;
  /** Committed or closed: the thread no longer knows the file. */
  private released = false;
  /** What the thread digests with (sm3-lanes.ts: 'native:avx512', 'openssl', …), from its answer to the open. */
  digestWith = '';

  constructor(private readonly thread: WriterThread) {}

  /** Hands the parts over, in order (their ArrayBuffers are transferred: unusable here afterwards). */
  async write(parts: WritePart[]): Promise<void> {
    const r = await this.thread.call(
      { op: 'write', id: this.id, parts },
      parts.map((p) => p.buffer),
    );
    for (const b of r.batches ?? []) giveBack(b);
  }

  /** Waits for the writes, fsyncs and closes; the SM3 digest and size of all bytes written. */
  async finish(): Promise<{ digest: string; size: number }> {
    const r = await this.thread.call({ op: 'finish', id: this.id });
    this.markFinished();
    return { digest: r.digest!, size: r.size! };
  }

  /**
   * After finish: renames the temporary file to `target` (creating its directory) and fsyncs
   * that directory, so the name survives a crash. On the blob's thread, like the writes: the
   * main thread's asynchronous fs calls go through libuv's pool, where they waited behind fsyncs.
   */
  async commit(target: string): Promise<void> {
    if (!this.finished || this.released) throw new Error('commit needs a finished, unreleased file');
    this.released = true;
    await this.thread.call({ op: 'commit', id: this.id, path: target });
  }

  /** Closes without keeping anything (the caller removes the file). */
  async close(): Promise<void> {
    this.markFinished();
    if (this.released) return;
    this.released = true;
    await this.thread.call({ op: 'close', id: this.id }).catch(() => undefined);
  }

  private markFinished(): void {
    if (this.finished) return;
    this.finished = true;
    this.thread.openFiles -= 1;
  }

  static async open(thread: WriterThread, path: string): Promise<PooledFile> {
    const f = new PooledFile(thread);
    thread.openFiles += 1;
    try {
      f.digestWith = (await thread.call({ op: 'open', id: f.id, path })).sm3 ?? '';
    } catch (e) {
      f.markFinished();
      f.released = true;
      throw e;
    }
    return f;
  }
}

export class BlobWritePool {
  private threads: WriterThread[] = [];

  constructor(readonly size: number = defaultPoolSize()) {}

  /** Creates `path` (exclusively, mode 0600, and its directory if need be) on the least busy thread. */
  open(path: string): Promise<PooledFile> {
    while (this.threads.length < this.size) this.threads.push(new WriterThread((t) => (this.threads = this.threads.filter((x) => x !== t))));
    const thread = this.threads.reduce((a, b) => (b.openFiles < a.openFiles ? b : a));
    return PooledFile.open(thread, path);
  }

  async close(): Promise<void> {
    const threads = this.threads;
    this.threads = [];
    await Promise.all(threads.map((t) => t.terminate()));
  }
}

let shared: BlobWritePool | undefined;

/** The process's pool (started on first use). */
export function sharedBlobWritePool(): BlobWritePool {
  shared ??= new BlobWritePool();
  return shared;
}
