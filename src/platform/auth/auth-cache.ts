import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';

// A short-lived, in-process cache of resolved sessions, so that an authenticated request does not
// pay several database round trips. Correctness rules:
// - an entry lives at most `ttlMs` (other nodes' revocations take effect within that time);
// - every change to sessions, accounts, grants or roles calls invalidate() after it commits,
//   which drops every entry on this node at once;
// - a load that started before an invalidation is not stored (generation check), so a reader
//   racing a writer cannot put the old state back.

export class AuthCache<T> {
  private readonly entries = new Map<string, { value: T; loadedAt: number; generation: number }>();
  private gen = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {}

  /** The generation a load starts at; pass it back to set(). */
  get generation(): number {
    return this.gen;
  }

  get(key: string, nowMs: number): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.generation !== this.gen || nowMs - e.loadedAt >= this.ttlMs || nowMs < e.loadedAt) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: T, nowMs: number, generation: number): void {
    if (this.ttlMs <= 0 || generation !== this.gen) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, loadedAt: nowMs, generation });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  invalidate(): void {
    this.gen++;
    this.entries.clear();
  }
}

/**
 * Runs a transaction that changes what a session may do (accounts, sessions, grants, roles) and
 * drops the cached sessions once it has committed.
 */
export async function writeAffectingSessions<T>(deps: { db: Kysely<DB>; authCache: { invalidate(): void } }, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  const result = await deps.db.transaction().execute(fn);
  deps.authCache.invalidate();
  return result;
}
