// Numbered SQL migrations, owned by the modules (`<module>/migrations/NNNN_name.sql`). Numbers
// are global across modules so that a migration may depend on any earlier one whatever module
// owns it; a duplicate number stops the run. Each migration runs in its own transaction
// together with the row that records it, so a failed migration leaves nothing behind and a
// second run skips what is recorded. A checksum catches a migration edited after it landed.
// A session-level advisory lock keeps two processes from migrating the same database at once.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { sm3Hex } from '../crypto/sm3.ts';
import type { Db } from './database.ts';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where migrations live, by owning module. */
export const MIGRATION_DIRS: ReadonlyArray<{ module: string; dir: string }> = [
  { module: 'audit', dir: path.join(SRC, 'platform/audit/migrations') },
  { module: 'org', dir: path.join(SRC, 'modules/org/migrations') },
  { module: 'identity', dir: path.join(SRC, 'modules/identity/migrations') },
  { module: 'experts', dir: path.join(SRC, 'modules/experts/migrations') },
  { module: 'credit', dir: path.join(SRC, 'modules/credit/migrations') },
  { module: 'registry', dir: path.join(SRC, 'modules/registry/migrations') },
  { module: 'events', dir: path.join(SRC, 'platform/events/migrations') },
  { module: 'coding', dir: path.join(SRC, 'modules/coding/migrations') },
  { module: 'trading', dir: path.join(SRC, 'modules/trading/migrations') },
  { module: 'evaluation', dir: path.join(SRC, 'modules/evaluation/migrations') },
  { module: 'portal', dir: path.join(SRC, 'modules/portal/migrations') },
  { module: 'federation', dir: path.join(SRC, 'platform/federation/migrations') },
];

export interface Migration {
  version: number;
  module: string;
  name: string;
  sql: string;
  checksum: string;
}

let cached: Migration[] | undefined;

export function loadMigrations(): Migration[] {
  if (cached) return cached;
  const all: Migration[] = [];
  for (const { module, dir } of MIGRATION_DIRS) {
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir).sort()) {
      const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
      if (!m) {
        if (file.endsWith('.sql')) throw new Error(`migration file name must be NNNN_name.sql: ${module}/${file}`);
        continue;
      }
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      all.push({ version: Number(m[1]), module, name: m[2]!, sql: text, checksum: sm3Hex(text) });
    }
  }
  all.sort((a, b) => a.version - b.version);
  for (let i = 1; i < all.length; i++) {
    if (all[i]!.version === all[i - 1]!.version) {
      throw new Error(`two migrations share number ${all[i]!.version}: ${all[i - 1]!.module}/${all[i - 1]!.name} and ${all[i]!.module}/${all[i]!.name}`);
    }
  }
  cached = all;
  return all;
}

const LOCK_KEY = 0x6767_7a79; // "ggzy"

async function ensureBookkeeping(db: Db): Promise<void> {
  await sql`CREATE SCHEMA IF NOT EXISTS platform`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS platform.schema_migrations (
    version    integer     PRIMARY KEY,
    module     text        NOT NULL,
    name       text        NOT NULL,
    checksum   text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS platform.reference_data (
    name      text        PRIMARY KEY,
    version   text        NOT NULL,
    checksum  text        NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
}

export interface MigrateResult {
  applied: string[];
  skipped: number;
}

/** Applies every pending migration. Safe to run any number of times. */
export async function migrate(db: Db): Promise<MigrateResult> {
  const migrations = loadMigrations();
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${LOCK_KEY})`.execute(conn);
    try {
      await ensureBookkeeping(conn);
      const done = new Map(
        (await conn.selectFrom('platform.schema_migrations').select(['version', 'checksum', 'name']).execute()).map((r) => [r.version, r]),
      );
      const applied: string[] = [];
      for (const m of migrations) {
        const prior = done.get(m.version);
        if (prior) {
          if (prior.checksum !== m.checksum) {
            throw new Error(`migration ${m.module}/${m.version}_${m.name} was edited after it was applied (checksum differs); add a new migration instead`);
          }
          continue;
        }
        await conn.transaction().execute(async (trx) => {
          await sql.raw(m.sql).execute(trx);
          await trx
            .insertInto('platform.schema_migrations')
            .values({ version: m.version, module: m.module, name: m.name, checksum: m.checksum, applied_at: new Date() })
            .execute();
        });
        applied.push(`${m.module}/${String(m.version).padStart(4, '0')}_${m.name}`);
      }
      return { applied, skipped: migrations.length - applied.length };
    } finally {
      await sql`SELECT pg_advisory_unlock(${LOCK_KEY})`.execute(conn);
    }
  });
}

/** Versions known to the code but not applied to the database (readiness check). */
export async function pendingMigrations(db: Db): Promise<number[]> {
  const migrations = loadMigrations();
  let applied: Set<number>;
  try {
    applied = new Set((await db.selectFrom('platform.schema_migrations').select('version').execute()).map((r) => r.version));
  } catch {
    return migrations.map((m) => m.version);
  }
  return migrations.filter((m) => !applied.has(m.version)).map((m) => m.version);
}
