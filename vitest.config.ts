import { defineConfig } from 'vitest/config';

// Server-side tests: unit tests of pure rules and integration tests through HTTP on a real
// database. The global setup migrates one template database; each test file clones it.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    // A whole tender step by step (signed PDFs, argon2 sign-ins, the crash test's child server)
    // takes tens of seconds on a loaded 2-core machine; a hang still fails, just later.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
