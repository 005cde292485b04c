// Vacuum and analyze for the embedded database. A PostgreSQL server runs autovacuum; PGlite has
// no background workers, so without this an embedded node never reclaims dead rows (every
// update leaves one), never sets the visibility map (index-only scans fetch every heap row) and
// keeps the planner's statistics of the day each table was created.
//
// Every GGZY_PGLITE_MAINTENANCE_MINUTES the node asks the cumulative statistics which tables are
// due, by PostgreSQL's own autovacuum rules and default settings (vacuum: dead rows above
// 50 + 20 % of the table, or rows inserted since the last vacuum above 1,000 + 20 %; analyze:
// rows changed since the last analyze above 50 + 10 %), and treats those one at a time. PGlite
// is one connection: a table's vacuum holds requests back for its duration only, never a whole
// database pass, and after a table's first vacuum the visibility map lets the next ones skip
// every page unchanged since (the first pass on the demo data: 29 ms). Bid intake takes a bid's
// completion time when its stream ends, before any statement, so a request held back behind a
// vacuum never turns a bid late.

import { sql } from 'kysely';
import type { Database, Db } from './database.ts';
import { startPeriodic } from '../periodic.ts';

/** PostgreSQL's defaults (autovacuum_* settings), which a server applies to the same tables. */
export const AUTOVACUUM = {
  vacuumThreshold: 50,
  vacuumScaleFactor: 0.2,
  insertThreshold: 1000,
  insertScaleFactor: 0.2,
  analyzeThreshold: 50,
  analyzeScaleFactor: 0.1,
} as const;

export interface TableDue {
  schema: string;
  table: string;
  vacuum: boolean;
  analyze: boolean;
}

interface TableStats {
  schema: string;
  table: string;
  /** The planner's row estimate; -1 before the first vacuum or analyze. */
  reltuples: number;
  dead: number;
  insertedSinceVacuum: number;
  modifiedSinceAnalyze: number;
}

/** Whether a table with these counts is due, by the autovacuum rules. */
export function dueFor(s: Omit<TableStats, 'schema' | 'table'>): { vacuum: boolean; analyze: boolean } {
  const rows = Math.max(0, s.reltuples);
  return {
    vacuum: s.dead > AUTOVACUUM.vacuumThreshold + AUTOVACUUM.vacuumScaleFactor * rows || s.insertedSinceVacuum > AUTOVACUUM.insertThreshold + AUTOVACUUM.insertScaleFactor * rows,
    analyze: s.modifiedSinceAnalyze > AUTOVACUUM.analyzeThreshold + AUTOVACUUM.analyzeScaleFactor * rows,
  };
}

/** The tables due now, the most dead rows first. */
export async function tablesDue(db: Db): Promise<TableDue[]> {
  const { rows } = await sql<TableStats>`
    SELECT s.schemaname AS schema, s.relname AS "table", c.reltuples::float8 AS reltuples,
           s.n_dead_tup::float8 AS dead, s.n_ins_since_vacuum::float8 AS "insertedSinceVacuum",
           s.n_mod_since_analyze::float8 AS "modifiedSinceAnalyze"
      FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
     ORDER BY s.n_dead_tup DESC, s.schemaname, s.relname`.execute(db);
  return rows.flatMap((r) => {
    const due = dueFor(r);
    return due.vacuum || due.analyze ? [{ schema: r.schema, table: r.table, ...due }] : [];
  });
}

/** Vacuums (and analyzes) or only analyzes each table due; returns what was done. */
export async function maintainTables(db: Db): Promise<TableDue[]> {
  const due = await tablesDue(db);
  for (const t of due) {
    // Identifiers come from the catalogue and are quoted; VACUUM cannot run in a transaction.
    if (t.vacuum) await sql`VACUUM (ANALYZE) ${sql.table(`${t.schema}.${t.table}`)}`.execute(db);
    else await sql`ANALYZE ${sql.table(`${t.schema}.${t.table}`)}`.execute(db);
  }
  return due;
}

/** What a background job logs through (the server's logger). */
export interface Log {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Starts the periodic pass on an embedded database (nothing on a server, whose autovacuum does
 * this); the returned function stops it and waits for a pass in progress.
 */
export function startEmbeddedMaintenance(database: Pick<Database, 'db' | 'kind'>, intervalMinutes: number, log: Log): () => Promise<void> {
  if (database.kind !== 'pglite') return async () => {};
  return startPeriodic(async () => {
    const started = performance.now();
    await maintainTables(database.db)
      .then((done) => {
        if (done.length > 0) log.info({ tables: done.map((t) => `${t.schema}.${t.table}${t.vacuum ? '' : ' (analyze)'}`), ms: Math.round(performance.now() - started) }, 'embedded database maintenance');
      })
      .catch((e: unknown) => log.error({ err: e }, 'embedded database maintenance failed; retried on the next pass'));
  }, intervalMinutes * 60_000);
}
