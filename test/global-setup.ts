// Migrates one template database per test run; every test file clones it (PGlite: load a dump
// of the migrated data directory; PostgreSQL server: CREATE DATABASE … TEMPLATE). Cloning costs
// a fraction of migrating from scratch.

import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createPglite, openDatabase } from '../src/platform/db/database.ts';
import { prepareDatabase } from '../src/bootstrap.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    testDb: { kind: 'pglite'; dumpPath: string } | { kind: 'postgres'; url: string; template: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const template = `ggzy_template_${process.pid}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
    const url = new URL(serverUrl);
    url.pathname = `/${template}`;
    const database = await openDatabase({ url: url.toString(), maxConnections: 2 });
    await prepareDatabase(database.db);
    await database.close();
    project.provide('testDb', { kind: 'postgres', url: serverUrl, template });
    return async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${template}`);
      await admin.end();
    };
  }

  const engine = await createPglite();
  const database = await openDatabase({ pglite: engine });
  await prepareDatabase(database.db);
  await database.close();
  const dump = await engine.dumpDataDir('none');
  await engine.close();
  const dir = path.resolve('.tmp');
  fs.mkdirSync(dir, { recursive: true });
  const dumpPath = path.join(dir, `pglite-template-${process.pid}.tar`);
  fs.writeFileSync(dumpPath, Buffer.from(await dump.arrayBuffer()));
  project.provide('testDb', { kind: 'pglite', dumpPath });
  return async () => {
    fs.rmSync(dumpPath, { force: true });
  };
}
