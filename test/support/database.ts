// A fresh, migrated database for one test file, cloned from the run's template.

import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { createPglite, openDatabase, type Database } from '../../src/platform/db/database.ts';

export async function cloneTestDatabase(): Promise<Database> {
  const info = inject('testDb');
  if (info.kind === 'pglite') {
    const engine = await createPglite(undefined, { loadDataDir: new Blob([fs.readFileSync(info.dumpPath)]) });
    return openDatabase({ pglite: engine }).then((db) => ({
      ...db,
      close: async () => {
        await db.close();
        await engine.close();
      },
    }));
  }
  const name = `ggzy_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: info.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${info.template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(info.url);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), maxConnections: 5 });
  return {
    ...db,
    close: async () => {
      await db.close();
      const cleanup = new pg.Client({ connectionString: info.url });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS ${name}`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
