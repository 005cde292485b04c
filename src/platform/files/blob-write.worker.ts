// A blob-writing thread (see blob-write-pool.ts for why): owns the temporary files assigned to
// it, digests every batch with SM3 and writes that very batch, at its position, so the digest is
// over exactly the bytes stored and no byte is read twice. fsync happens here too; the rename
// into place stays with the caller (BlobWriter.commit), after it has decided to keep the file.

import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { WriteReply, WriteRequest } from './blob-write-pool.ts';

interface OpenFile {
  fd: number;
  hash: Hash;
  /** Bytes handed to write so far: the next batch's position. */
  size: number;
  /** Writes started and not yet done; finish waits for them. */
  inflight: Set<Promise<void>>;
}

const port = parentPort!;
const files = new Map<number, OpenFile>();

function writeAll(fd: number, buf: Buffer, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (b: Buffer, at: number): void => {
      fs.write(fd, b, 0, b.length, at, (err, n) => {
        if (err) reject(err);
        else if (n < b.length) step(b.subarray(n), at + n);
        else resolve();
      });
    };
    step(buf, position);
  });
}

function closeFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.close(fd, (e) => (e ? reject(e) : resolve())));
}

function fileOf(id: number): OpenFile {
  const f = files.get(id);
  if (!f) throw new Error(`blob ${id} is not open in this writer`);
  return f;
}

async function handle(m: WriteRequest): Promise<WriteReply> {
  switch (m.op) {
    case 'open': {
      const fd = await new Promise<number>((resolve, reject) => fs.open(m.path, 'wx', 0o600, (e, fd) => (e ? reject(e) : resolve(fd))));
      files.set(m.id, { fd, hash: createHash('sm3'), size: 0, inflight: new Set() });
      return { seq: m.seq, ok: true };
    }
    case 'write': {
      const f = fileOf(m.id);
      const buf = Buffer.from(m.buffer, 0, m.length);
      // Digest first, in message order (= file order); then the same bytes go to disk.
      f.hash.update(buf);
      const at = f.size;
      f.size += buf.length;
      const w = writeAll(f.fd, buf, at);
      f.inflight.add(w);
      try {
        await w;
      } finally {
        f.inflight.delete(w);
      }
      // The batch goes back to the main thread for its next chunks: no new 1 MB allocation per
      // batch, so far fewer GCs driven by external memory in either thread.
      return { seq: m.seq, ok: true, buffer: m.buffer };
    }
    case 'finish': {
      const f = fileOf(m.id);
      await Promise.all(f.inflight);
      await new Promise<void>((resolve, reject) => fs.fsync(f.fd, (e) => (e ? reject(e) : resolve())));
      files.delete(m.id);
      await closeFd(f.fd);
      return { seq: m.seq, ok: true, digest: f.hash.digest('hex'), size: f.size };
    }
    case 'close': {
      const f = files.get(m.id);
      if (f) {
        files.delete(m.id);
        await Promise.allSettled(f.inflight);
        await closeFd(f.fd).catch(() => undefined);
      }
      return { seq: m.seq, ok: true };
    }
  }
}

port.on('message', (m: WriteRequest) => {
  handle(m).then(
    (reply) => port.postMessage(reply, reply.ok && reply.buffer ? [reply.buffer] : []),
    (e: unknown) => {
      const err = e as NodeJS.ErrnoException;
      port.postMessage({ seq: m.seq, ok: false, message: err?.message ?? String(e), code: err?.code } satisfies WriteReply);
    },
  );
});
