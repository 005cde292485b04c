import { defineConfig } from 'vitest/config';

// Server-side tests: unit tests of pure rules and integration tests through HTTP on a real
// database. The global setup migrates one template database; each test file clones it.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
