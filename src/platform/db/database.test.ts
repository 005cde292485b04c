import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneTestDatabase } from '../../../test/support/database.ts';
import type { Database } from './database.ts';
import { loadMigrations, migrate, pendingMigrations } from './migrate.ts';

let database: Database;
beforeAll(async () => {
  database = await cloneTestDatabase();
  await sql`CREATE TABLE public.probe (id serial PRIMARY KEY, tx text NOT NULL, seen integer NOT NULL)`.execute(database.db);
});
afterAll(async () => {
  await database?.close();
});

describe('database', () => {
  it('keeps concurrent transactions apart (PGlite queues them on its single connection)', async () => {
    const run = (tx: string, fail: boolean) =>
      database.db.transaction().execute(async (trx) => {
        const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM public.probe WHERE tx = ${tx}`.execute(trx);
        await sql`SELECT pg_sleep(0.02)`.execute(trx);
        await sql`INSERT INTO public.probe (tx, seen) VALUES (${tx}, ${before.rows[0]!.n})`.execute(trx);
        await sql`SELECT pg_sleep(0.02)`.execute(trx);
        await sql`INSERT INTO public.probe (tx, seen) VALUES (${tx}, ${before.rows[0]!.n})`.execute(trx);
        if (fail) throw new Error('rollback');
      });
    const results = await Promise.allSettled([run('a', false), run('b', true), run('c', false), run('d', true)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    const rows = await sql<{ tx: string; n: number }>`SELECT tx, count(*)::int AS n FROM public.probe GROUP BY tx ORDER BY tx`.execute(database.db);
    // Each committed transaction kept both its rows; each rolled-back one left none.
    expect(rows.rows).toEqual([
      { tx: 'a', n: 2 },
      { tx: 'c', n: 2 },
    ]);
  });

  it('reports no pending migrations on the template, and migrating again applies nothing', async () => {
    expect(await pendingMigrations(database.db)).toEqual([]);
    expect(await migrate(database.db)).toEqual({ applied: [], skipped: loadMigrations().length });
  });

  it('refuses to run when an applied migration was edited afterwards', async () => {
    const first = loadMigrations()[0]!;
    const original = (await database.db.selectFrom('platform.schema_migrations').select('checksum').where('version', '=', first.version).executeTakeFirstOrThrow()).checksum;
    await database.db.updateTable('platform.schema_migrations').set({ checksum: 'edited' }).where('version', '=', first.version).execute();
    try {
      await expect(migrate(database.db)).rejects.toThrow(/edited after it was applied/);
    } finally {
      await database.db.updateTable('platform.schema_migrations').set({ checksum: original }).where('version', '=', first.version).execute();
    }
  });

  it('numbers migrations uniquely across modules', () => {
    const versions = loadMigrations().map((m) => m.version);
    expect(new Set(versions).size).toBe(versions.length);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });
});
