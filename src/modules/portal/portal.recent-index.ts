// The recent notices' own full-text index: a partial GIN index over the notices published from
// the start of the month RECENT_INDEX_MONTHS before the current one (89 to 123 days), rebuilt
// when the month turns.
//
// Why: a search reads its matches in recency steps (portal.repository searchPlan), and a step
// read through the GIN index of every notice goes through the posting list of its words over
// all years, whatever the step: 监理 (98,968 of 1,000,000 notices) costs 70 ms for the bitmap
// of a 7-day step. Worse, when the planner misjudges a compound query as rare it skips the date
// range and fetches every match over three years (老旧 & 小区 & 中标: 8,791 rows, 294 ms for a
// 30-day step). A step inside the recent index reads only the recent postings: 7 ms and 1.9 ms
// for the same two steps (bench/portal.ts). The planner uses the index by itself for any query
// whose `published_at >=` bound it can prove is inside (its plans are made with the bound's
// value); no query names it.
//
// It is an index, not data: dropping it loses nothing, and a search without it returns the same
// rows, only slower. A node builds it in the background at start-up and checks hourly whether
// the month turned; on a PostgreSQL server CONCURRENTLY (writes go on), under an advisory lock
// so that two processes on one database do not build it twice.

import { sql } from 'kysely';
import type { Database, Db } from '../../platform/db/database.ts';
import type { Log } from '../../platform/db/maintenance.ts';
import { startPeriodic } from '../../platform/periodic.ts';

/** Whole months before the current one the index covers (with the current one: 89–123 days). */
export const RECENT_INDEX_MONTHS = 3;
/** How often a running node checks whether the month turned. */
export const RECENT_INDEX_CHECK_MS = 3600_000;

const CHINA_OFFSET_MS = 8 * 3600_000;
const PREFIX = 'notices_tsv_recent_';
// pg_try_advisory_lock key of the build ('ggzy' 'rcnt' as a bigint).
const LOCK_KEY = (0x67677a79_72636e74n).toString();

/** The first instant the index covers at `now`: 00:00 China time on the first of its first month. */
export function recentIndexFrom(now: Date): Date {
  const china = new Date(now.getTime() + CHINA_OFFSET_MS);
  return new Date(Date.UTC(china.getUTCFullYear(), china.getUTCMonth() - RECENT_INDEX_MONTHS, 1) - CHINA_OFFSET_MS);
}

/** Its name: the month it starts in (China time), so a turned month asks for a new one. */
export function recentIndexName(from: Date): string {
  return PREFIX + new Date(from.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 7).replace('-', '');
}

/** Days from `from` to `now`: how far back a search step can reach and still use the index. */
export function recentIndexDays(now: Date): number {
  return (now.getTime() - recentIndexFrom(now).getTime()) / 86_400_000;
}

interface IndexState {
  name: string;
  valid: boolean;
}

async function recentIndexes(db: Db): Promise<IndexState[]> {
  const rows = await sql<{ name: string; valid: boolean }>`
    SELECT c.relname AS name, i.indisvalid AS valid
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'portal' AND i.indrelid = 'portal.notices'::regclass AND c.relname LIKE ${PREFIX.replace(/_/g, '\\_') + '%'}
  `.execute(db);
  return rows.rows;
}

export interface RecentIndexOutcome {
  /** The index built by this call, if any. */
  created: string | null;
  /** Earlier ones dropped (an older month's, or a build that failed half-way). */
  dropped: string[];
  /** Another process holds the build lock: nothing was done. */
  busy: boolean;
}

/**
 * Makes the recent index of `now` exist and be valid, and drops the others (only after the new
 * one is there, so a search never goes without one). Idempotent; a failed CONCURRENTLY build
 * leaves an invalid index, which the next call drops and builds again.
 */
export async function ensureRecentIndex(database: Pick<Database, 'db' | 'kind'>, now: Date): Promise<RecentIndexOutcome> {
  const from = recentIndexFrom(now);
  const name = recentIndexName(from);
  const before = await recentIndexes(database.db);
  if (before.length === 1 && before[0]!.name === name && before[0]!.valid) return { created: null, dropped: [], busy: false };
  // CREATE INDEX CONCURRENTLY runs outside a transaction, on one session: the lock is that session's.
  return database.db.connection().execute(async (conn) => {
    const locked = (await sql<{ ok: boolean }>`SELECT pg_try_advisory_lock(${LOCK_KEY}::bigint) AS ok`.execute(conn)).rows[0]!.ok;
    if (!locked) return { created: null, dropped: [], busy: true };
    try {
      const concurrently = database.kind === 'postgres' ? sql.raw('CONCURRENTLY ') : sql.raw('');
      const current = await recentIndexes(conn);
      const dropped: string[] = [];
      const drop = async (index: string): Promise<void> => {
        await sql`DROP INDEX ${concurrently}IF EXISTS ${sql.id('portal', index)}`.execute(conn);
        dropped.push(index);
      };
      for (const x of current) if (x.name === name && !x.valid) await drop(x.name);
      let created: string | null = null;
      if (!current.some((x) => x.name === name && x.valid)) {
        // DDL takes no parameters: the bound is a literal made from a Date, never from input.
        await sql`CREATE INDEX ${concurrently}${sql.id(name)} ON portal.notices USING gin (tsv) WHERE published_at >= ${sql.lit(from.toISOString())}::timestamptz`.execute(conn);
        created = name;
      }
      // Until analyzed, a new GIN index counts its entries as its rows (13,455,255 for the 94,306
      // notices of 90 days at 1,000,000), and the planner thinks it costlier than the full one.
      if (created) await sql`ANALYZE portal.notices`.execute(conn);
      for (const x of current) if (x.name !== name) await drop(x.name);
      return { created, dropped, busy: false };
    } finally {
      await sql`SELECT pg_advisory_unlock(${LOCK_KEY}::bigint)`.execute(conn);
    }
  });
}

/**
 * Builds the index in the background now and checks hourly; the returned function stops the
 * checks and waits for a build in progress.
 */
export function startRecentIndex(database: Pick<Database, 'db' | 'kind'>, clock: { now(): Date }, log: Log, intervalMs = RECENT_INDEX_CHECK_MS): () => Promise<void> {
  return startPeriodic(
    async () => {
      const started = performance.now();
      await ensureRecentIndex(database, clock.now())
        .then((r) => {
          if (r.created || r.dropped.length > 0) log.info({ created: r.created, dropped: r.dropped, ms: Math.round(performance.now() - started) }, 'portal: recent notices index');
        })
        .catch((e: unknown) => log.error({ err: e }, 'portal: building the recent notices index failed; retried on the next check'));
    },
    intervalMs,
    { immediately: true },
  );
}
