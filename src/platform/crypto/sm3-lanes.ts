// SM3 over many messages at once: the native multi-buffer addon (native/sm3mb, built at install
// by scripts/build-native.mjs) when it is there, OpenSSL's SM3 one message after another when it
// is not. Both give the same digests; the addon is about 5× faster per core with AVX-512 when a
// call carries 16 or more messages (bench/sm3-lanes.ts). Bid intake's writer threads use it
// (src/platform/files/blob-write.worker.ts): uploads arrive 50 at a time, so a thread's queue
// usually holds batches of many blobs.
//
// GGZY_SM3_LANES=off makes a process use OpenSSL even with the addon built (to compare the two in
// one bench run, or to rule the addon out).

import { createHash, type Hash } from 'node:crypto';
import { createRequire } from 'node:module';

/** One call's work: a message's state, then its next bytes in order. */
export type Sm3Job<S> = [state: S, ...parts: Uint8Array[]];

export interface Sm3Lanes<S> {
  /** 'native:avx512', 'native:sse2', …, or 'openssl'. */
  readonly name: string;
  init(): S;
  /** Takes in each job's parts; a state may appear in one job of a call only. */
  update(jobs: Sm3Job<S>[]): void;
  /** The digest of all bytes so far, as lowercase hex (the state must not be updated afterwards). */
  digestHex(state: S): string;
}

interface Addon {
  init(): Uint8Array;
  update(jobs: Sm3Job<Uint8Array>[], variant?: string): void;
  digest(state: Uint8Array): Buffer;
  variants(): string[];
  lanes: number;
}

export const openssl: Sm3Lanes<Hash> = {
  name: 'openssl',
  init: () => createHash('sm3'),
  update(jobs) {
    for (const [hash, ...parts] of jobs) for (const p of parts) hash.update(p);
  },
  digestHex: (hash) => hash.digest('hex'),
};

let addon: Addon | null | undefined;

/** The addon, or null when it was not built or cannot load here. */
export function loadAddon(): Addon | null {
  if (addon === undefined) {
    try {
      addon = createRequire(import.meta.url)('../../../native/sm3mb/build/sm3mb.node') as Addon;
    } catch {
      addon = null;
    }
  }
  return addon;
}

/** The native lanes with one variant ('avx512', 'avx2', 'sse2'; default: the best this CPU runs). */
export function nativeLanes(variant?: string): Sm3Lanes<Uint8Array> | undefined {
  const a = loadAddon();
  if (!a) return undefined;
  const v = variant ?? a.variants()[0]!;
  return {
    name: `native:${v}`,
    init: () => a.init(),
    update: (jobs) => a.update(jobs, v),
    digestHex: (state) => a.digest(state).toString('hex'),
  };
}

/** What this process digests with: the addon unless it is missing or GGZY_SM3_LANES=off. */
export function sm3Lanes(): Sm3Lanes<unknown> {
  const native = process.env.GGZY_SM3_LANES === 'off' ? undefined : nativeLanes();
  return (native ?? openssl) as Sm3Lanes<unknown>;
}
