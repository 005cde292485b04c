import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPglite, openDatabase, type Database } from './database.ts';
import { AUTOVACUUM, dueFor, maintainTables, tablesDue } from './maintenance.ts';

describe('dueFor: PostgreSQL’s autovacuum rules', () => {
  const quiet = { reltuples: 1000, dead: 0, insertedSinceVacuum: 0, modifiedSinceAnalyze: 0 };
  it('vacuums above 50 + 20 % dead rows, not at it', () => {
    const at = AUTOVACUUM.vacuumThreshold + AUTOVACUUM.vacuumScaleFactor * 1000; // 250
    expect(dueFor({ ...quiet, dead: at }).vacuum).toBe(false);
    expect(dueFor({ ...quiet, dead: at + 1 }).vacuum).toBe(true);
  });
  it('vacuums above 1,000 + 20 % rows inserted since the last vacuum (the visibility map of insert-only tables)', () => {
    const at = AUTOVACUUM.insertThreshold + AUTOVACUUM.insertScaleFactor * 1000; // 1200
    expect(dueFor({ ...quiet, insertedSinceVacuum: at }).vacuum).toBe(false);
    expect(dueFor({ ...quiet, insertedSinceVacuum: at + 1 }).vacuum).toBe(true);
  });
  it('analyzes above 50 + 10 % changed rows, not at it', () => {
    const at = AUTOVACUUM.analyzeThreshold + AUTOVACUUM.analyzeScaleFactor * 1000; // 150
    expect(dueFor({ ...quiet, modifiedSinceAnalyze: at })).toEqual({ vacuum: false, analyze: false });
    expect(dueFor({ ...quiet, modifiedSinceAnalyze: at + 1 })).toEqual({ vacuum: false, analyze: true });
  });
  it('counts a never-analysed table (reltuples −1) as empty', () => {
    expect(dueFor({ reltuples: -1, dead: 0, insertedSinceVacuum: AUTOVACUUM.insertThreshold + 1, modifiedSinceAnalyze: 0 }).vacuum).toBe(true);
  });
});

describe('maintainTables on PGlite', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ pglite: await createPglite() });
    await sql`CREATE SCHEMA m`.execute(database.db);
    await sql`CREATE TABLE m.rows (id int PRIMARY KEY, v text)`.execute(database.db);
    await sql`CREATE TABLE m.small (id int PRIMARY KEY)`.execute(database.db);
  });
  afterAll(async () => {
    await database.close();
  });

  const stats = async (table: string) =>
    (
      await sql<{ dead: number; ins: number; mod: number; reltuples: number; vacuumed: boolean }>`
        SELECT n_dead_tup::int AS dead, n_ins_since_vacuum::int AS ins, n_mod_since_analyze::int AS mod,
               c.reltuples::float8 AS reltuples, last_vacuum IS NOT NULL AS vacuumed
          FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.schemaname = 'm' AND s.relname = ${table}`.execute(database.db)
    ).rows[0]!;
  // The cumulative statistics are flushed when a transaction ends, at most once a second.
  const flushed = async () => {
    await sql`SELECT pg_stat_force_next_flush()`.execute(database.db);
    await sql`SELECT 1`.execute(database.db);
  };

  it('vacuums a table with more new rows than the threshold, and leaves a small one alone', async () => {
    await sql`INSERT INTO m.rows SELECT g, 'v' || g FROM generate_series(1, 1001) g`.execute(database.db);
    await sql`INSERT INTO m.small SELECT g FROM generate_series(1, 10) g`.execute(database.db);
    await flushed();
    const due = await tablesDue(database.db);
    expect(due.filter((t) => t.schema === 'm')).toEqual([{ schema: 'm', table: 'rows', vacuum: true, analyze: true }]);
    const done = await maintainTables(database.db);
    expect(done.map((t) => `${t.schema}.${t.table}`)).toContain('m.rows');
    await flushed();
    expect(await stats('rows')).toMatchObject({ ins: 0, mod: 0, reltuples: 1001, vacuumed: true });
    expect((await tablesDue(database.db)).filter((t) => t.schema === 'm')).toEqual([]);
  });

  it('vacuums dead rows above 50 + 20 % of the table, not at the threshold', async () => {
    // 1001 rows: the threshold is 250.2 dead rows. 250 updates leave 250 dead rows (and 250 changed).
    await sql`UPDATE m.rows SET v = v || '!' WHERE id <= 250`.execute(database.db);
    await flushed();
    expect((await tablesDue(database.db)).filter((t) => t.schema === 'm')).toEqual([{ schema: 'm', table: 'rows', vacuum: false, analyze: true }]);
    await sql`UPDATE m.rows SET v = v || '!' WHERE id = 251`.execute(database.db);
    await flushed();
    expect((await tablesDue(database.db)).filter((t) => t.schema === 'm')).toEqual([{ schema: 'm', table: 'rows', vacuum: true, analyze: true }]);
    await maintainTables(database.db);
    await flushed();
    expect(await stats('rows')).toMatchObject({ dead: 0, mod: 0 });
  });
});
