import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';

// Server-side tests: unit tests of pure rules and integration tests through HTTP on a real
// database. The global setup migrates one template database; each test file clones it.

const INCLUDE = ['src/**/*.test.ts', 'test/**/*.test.ts'];

/**
 * Test files that never open a database (no harness, no clone, no engine of their own). The
 * run on the PostgreSQL server (CI's second run, TEST_DATABASE_URL) leaves them out: they would
 * only repeat the PGlite run. Read from the files themselves, so a file that starts using a
 * database is run on both again without anyone remembering to change a list.
 */
function databaseFreeFiles(): string[] {
  const usesDatabase = /createHarness|cloneTestDatabase|openDatabase|createPglite|inject\('testDb'\)|TEST_DATABASE_URL/;
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.test.ts') && !usesDatabase.test(fs.readFileSync(p, 'utf8'))) out.push(p.split(path.sep).join('/'));
    }
  };
  walk('src');
  walk('test');
  return out;
}

export default defineConfig({
  test: {
    include: INCLUDE,
    exclude: process.env.TEST_DATABASE_URL ? [...configDefaults.exclude, ...databaseFreeFiles()] : configDefaults.exclude,
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    // Vitest's default leaves one core free (one worker on a 2-core machine). Most files wait on
    // a database engine or a child process part of the time, so two files at once finish the
    // suite sooner even there (measured on PostgreSQL: about 0.85 of the one-worker time on a
    // loaded machine).
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    // A whole tender step by step (signed PDFs, argon2 sign-ins, the crash test's child server)
    // takes tens of seconds on a loaded 2-core machine; a hang still fails, just later.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
