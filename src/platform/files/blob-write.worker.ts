// A blob-writing thread (see blob-write-pool.ts for why): owns the temporary files assigned to
// it, digests every batch with SM3 and writes that very batch, at its position, so the digest is
// over exactly the bytes stored and no byte is read twice. fsync happens here too, and so does
// the rename into place with its directory fsync, but only when the caller asks for it
// (BlobWriter.commit), after it has decided to keep the file.

import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { WriteReply, WriteRequest } from './blob-write-pool.ts';

interface OpenFile {
  fd: number;
  /** The temporary file's path. */
  path: string;
  hash: Hash;
  /** Bytes written so far: the next batch's position. */
  size: number;
  /** fsynced and closed: waiting for commit or close. */
  finished: boolean;
}

const port = parentPort!;
const files = new Map<number, OpenFile>();

/**
 * Writes the whole batch with this thread's own system calls, not through libuv's thread pool.
 * That pool (4 threads) is shared by the whole process, and every fsync occupies one of its
 * threads for as long as the disk takes (hundreds of ms with 50 uploads in flight): batches,
 * opens and renames queued behind fsyncs held back every upload's socket. A write into the page
 * cache is a memory copy, so doing it here costs this thread what it would cost a pool thread.
 */
function writeAll(fd: number, bufs: Buffer[], position: number): void {
  let at = position;
  let rest = bufs;
  while (rest.length) {
    let n = fs.writevSync(fd, rest, at);
    at += n;
    // A short write: drop what went out, go on from the first byte that did not.
    let i = 0;
    while (i < rest.length && n >= rest[i]!.length) n -= rest[i++]!.length;
    rest = rest.slice(i);
    if (n > 0) rest[0] = rest[0]!.subarray(n);
  }
}

/** Creates the file exclusively; its directory (the store's tmp/) is made on first use, not checked on every open. */
function openNew(file: string): number {
  try {
    return fs.openSync(file, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    return fs.openSync(file, 'wx', 0o600);
  }
}

/** A rename is durable once its directory is fsynced (the wait goes to libuv's pool, as the file's fsync does). */
async function fsyncDirectory(dir: string): Promise<void> {
  const fd = fs.openSync(dir, 'r');
  try {
    await new Promise<void>((resolve, reject) => fs.fsync(fd, (e) => (e ? reject(e) : resolve())));
  } finally {
    closeQuietly(fd);
  }
}

function fileOf(id: number): OpenFile {
  const f = files.get(id);
  if (!f) throw new Error(`blob ${id} is not open in this writer`);
  return f;
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // closing a file we are abandoning: nothing to do about a failure
  }
}

async function handle(m: WriteRequest): Promise<WriteReply> {
  switch (m.op) {
    case 'open': {
      files.set(m.id, { fd: openNew(m.path), path: m.path, hash: createHash('sm3'), size: 0, finished: false });
      return { seq: m.seq, ok: true };
    }
    case 'write': {
      const f = fileOf(m.id);
      const bufs = m.parts.map((p) => Buffer.from(p.buffer, 0, p.length));
      // Digest first, in message order (= file order); then the same bytes go to disk.
      for (const b of bufs) f.hash.update(b);
      writeAll(f.fd, bufs, f.size);
      for (const b of bufs) f.size += b.length;
      // Batches go back to the main thread for its next chunks: no new 1 MB allocation per
      // batch, so far fewer GCs driven by external memory in either thread.
      const batches = m.parts.filter((p) => p.batch).map((p) => p.buffer);
      return { seq: m.seq, ok: true, batches };
    }
    case 'finish': {
      const f = fileOf(m.id);
      if (f.finished) throw new Error(`blob ${m.id} is already finished`);
      f.finished = true;
      try {
        // fsync waits for the disk without using CPU: it goes to libuv's pool, so this thread
        // keeps digesting and writing the other blobs meanwhile.
        await new Promise<void>((resolve, reject) => fs.fsync(f.fd, (e) => (e ? reject(e) : resolve())));
      } catch (e) {
        closeQuietly(f.fd);
        throw e;
      }
      fs.closeSync(f.fd);
      return { seq: m.seq, ok: true, digest: f.hash.digest('hex'), size: f.size };
    }
    case 'commit': {
      const f = fileOf(m.id);
      if (!f.finished) throw new Error(`blob ${m.id} is not finished`);
      files.delete(m.id);
      const dir = path.dirname(m.path);
      fs.mkdirSync(dir, { recursive: true });
      fs.renameSync(f.path, m.path);
      await fsyncDirectory(dir);
      return { seq: m.seq, ok: true };
    }
    case 'close': {
      const f = files.get(m.id);
      if (f) {
        files.delete(m.id);
        if (!f.finished) closeQuietly(f.fd);
      }
      return { seq: m.seq, ok: true };
    }
  }
}

port.on('message', (m: WriteRequest) => {
  handle(m).then(
    (reply) => port.postMessage(reply, reply.ok && reply.batches ? reply.batches : []),
    (e: unknown) => {
      const err = e as NodeJS.ErrnoException;
      port.postMessage({ seq: m.seq, ok: false, message: err?.message ?? String(e), code: err?.code } satisfies WriteReply);
    },
  );
});
