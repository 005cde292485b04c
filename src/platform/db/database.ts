// One code path for both storage back ends: Kysely over a `pg.Pool`. With DATABASE_URL the pool
// talks to a PostgreSQL server; without it, to an embedded PGlite (real PostgreSQL compiled to
// WASM) through PGlite's node-postgres adapter.
//
// PGlite is a single connection. The pool therefore holds exactly one client and never closes
// it: a transaction keeps that client for its whole life and concurrent requests queue in the
// pool instead of interleaving statements inside each other's transactions.

import fs from 'node:fs';
import path from 'node:path';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';

// int8 (bigint) columns hold audit sequence numbers and counters that fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// `date` columns stay strings (YYYY-MM-DD): a calendar date has no time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export type Db = Kysely<DB>;

export interface Database {
  db: Db;
  pool: pg.Pool;
  kind: 'pglite' | 'postgres';
  /** The embedded engine, when there is one (tests dump and clone it). */
  pglite: PGlite | undefined;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL server URL. */
  url?: string | undefined;
  /** Directory for the embedded database (ignored with `url`). */
  dataDir?: string | undefined;
  /** An existing PGlite instance (tests). */
  pglite?: PGlite | undefined;
  /** Pool size for a server (PGlite is always 1). */
  maxConnections?: number;
}

/**
 * Every embedded engine is made here — server, tests, scripts — so that the options an engine
 * needs (extensions, when a migration uses one) are given in one place.
 */
export async function createPglite(dataDir?: string, options: Omit<PGliteOptions, 'dataDir'> = {}): Promise<PGlite> {
  // pg_trgm: the portal's fuzzy matching of names and codes (migration 0017).
  return PGlite.create({ ...options, extensions: { pg_trgm, ...options.extensions }, ...(dataDir !== undefined ? { dataDir } : {}) });
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.url) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.maxConnections ?? 10,
      application_name: 'ggzy',
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      pool,
      kind: 'postgres',
      pglite: undefined,
      close: () => db.destroy(),
    };
  }

  let pglite = options.pglite;
  if (!pglite) {
    if (!options.dataDir) throw new Error('openDatabase needs url, dataDir or pglite');
    fs.mkdirSync(options.dataDir, { recursive: true });
    pglite = await createPglite(path.join(options.dataDir, 'pglite'));
  }
  await pglite.waitReady;
  const ownEngine = options.pglite === undefined;
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, idleTimeoutMillis: 0 });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const engine = pglite;
  return {
    db,
    pool,
    kind: 'pglite',
    pglite: engine,
    close: async () => {
      await db.destroy();
      if (ownEngine) await engine.close();
    },
  };
}
