// A blob-writing thread (see blob-write-pool.ts for why): owns the temporary files assigned to
// it, digests every batch with SM3 and writes that very batch, at its position, so the digest is
// over exactly the bytes stored and no byte is read twice. fsync happens here too, and so does
// the rename into place with its directory fsync, but only when the caller asks for it
// (BlobWriter.commit), after it has decided to keep the file.
//
// Messages are taken in passes: a pass drains the port, then handles the queue in order, and the
// writes that follow one another in it are digested in one call of the multi-buffer SM3
// (sm3-lanes.ts), up to WRITES_PER_PASS of them, so sixteen blobs are hashed at the cost of about
// three. A blob's writes in one pass are one job, in order; every other message is handled where
// it stands in the queue, so a blob's finish still comes after its writes.

import fs from 'node:fs';
import path from 'node:path';
import { parentPort, receiveMessageOnPort } from 'node:worker_threads';
import { sm3Lanes, type Sm3Job } from '../crypto/sm3-lanes.ts';
import type { WriteReply, WriteRequest } from './blob-write-pool.ts';

interface OpenFile {
  fd: number;
  /** The temporary file's path. */
  path: string;
  /** The SM3 state of the bytes so far. */
  hash: unknown;
  /** Bytes written so far: the next batch's position. */
  size: number;
  /** fsynced and closed: waiting for commit or close. */
  finished: boolean;
  /** A write failed: the file's bytes are not what was sent, so every later write fails too. */
  broken?: Error;
}

const port = parentPort!;
const files = new Map<number, OpenFile>();
const lanes = sm3Lanes();

/**
 * Writes digested together in one pass: enough for the 16 lanes when a thread holds about 25
 * uploads (50 at a time on 2 threads), few enough (≈ 32 MB) that replies go back every few tens of
 * milliseconds and the main thread's next batches are not held up.
 */
const WRITES_PER_PASS = 32;

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

type WriteMessage = Extract<WriteRequest, { op: 'write' }>;

/** Every message but a write (writes go through writeAllOf). */
async function handle(m: Exclude<WriteRequest, WriteMessage>): Promise<WriteReply> {
  switch (m.op) {
    case 'open': {
      files.set(m.id, { fd: openNew(m.path), path: m.path, hash: lanes.init(), size: 0, finished: false });
      return { seq: m.seq, ok: true, sm3: lanes.name };
    }
    case 'finish': {
      const f = fileOf(m.id);
      if (f.finished) throw new Error(`blob ${m.id} is already finished`);
      // A failed write left the file short of what was sent: it has no digest to give.
      if (f.broken) throw f.broken;
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
      return { seq: m.seq, ok: true, digest: lanes.digestHex(f.hash), size: f.size };
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

function reply(r: WriteReply): void {
  port.postMessage(r, r.ok && r.batches ? r.batches : []);
}

function fail(m: WriteRequest, e: unknown): void {
  const err = e as NodeJS.ErrnoException;
  reply({ seq: m.seq, ok: false, message: err?.message ?? String(e), code: err?.code });
}

/** Consecutive writes: digested in one multi-buffer call (digest first, in file order), then the same bytes go to disk, in message order. */
function writeAllOf(msgs: WriteMessage[]): void {
  const jobs = new Map<OpenFile, Sm3Job<unknown>>();
  const writes: { m: WriteMessage; f: OpenFile; bufs: Buffer[] }[] = [];
  for (const m of msgs) {
    try {
      const f = fileOf(m.id);
      if (f.finished) throw new Error(`blob ${m.id} is already finished`);
      if (f.broken) throw f.broken;
      const bufs = m.parts.map((p) => Buffer.from(p.buffer, 0, p.length));
      const job = jobs.get(f);
      if (job) job.push(...bufs);
      else jobs.set(f, [f.hash, ...bufs]);
      writes.push({ m, f, bufs });
    } catch (e) {
      fail(m, e);
    }
  }
  try {
    lanes.update([...jobs.values()]);
  } catch (e) {
    // Not seen to happen (the jobs are well-formed by construction); the files' digests are now unknown.
    for (const w of writes) w.f.broken = e as Error;
    for (const w of writes) fail(w.m, e);
    return;
  }
  for (const { m, f, bufs } of writes) {
    try {
      if (f.broken) throw f.broken;
      writeAll(f.fd, bufs, f.size);
      for (const b of bufs) f.size += b.length;
      // Batches go back to the main thread for its next chunks: no new 1 MB allocation per
      // batch, so far fewer GCs driven by external memory in either thread.
      reply({ seq: m.seq, ok: true, batches: m.parts.filter((p) => p.batch).map((p) => p.buffer) });
    } catch (e) {
      f.broken ??= e as Error;
      fail(m, e);
    }
  }
}

const queue: WriteRequest[] = [];
let scheduled = false;

/** One pass: takes what the port holds, then handles the queue in order (at most WRITES_PER_PASS writes; the rest waits for the next pass). */
function pass(): void {
  scheduled = false;
  for (let r = receiveMessageOnPort(port); r; r = receiveMessageOnPort(port)) queue.push(r.message as WriteRequest);
  let writes = 0;
  while (queue.length > 0 && writes < WRITES_PER_PASS) {
    const first = queue[0]!;
    if (first.op !== 'write') {
      queue.shift();
      const m = first;
      handle(m).then(reply, (e: unknown) => fail(m, e));
      continue;
    }
    let n = 1;
    while (n < queue.length && queue[n]!.op === 'write' && writes + n < WRITES_PER_PASS) n++;
    writeAllOf(queue.splice(0, n) as WriteMessage[]);
    writes += n;
  }
  if (queue.length > 0) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  // setImmediate, not a microtask: the port's other messages of this turn are queued by then.
  setImmediate(pass);
}

port.on('message', (m: WriteRequest) => {
  queue.push(m);
  schedule();
});
