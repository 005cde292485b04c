// Figure 3: a migrated, empty database for one test file, as the test harness makes it.
// Goal: median < 1.5 s.
//
// PGlite (what `npm test` uses without TEST_DATABASE_URL): the template is built once as
// test/global-setup.ts builds it (migrate in memory, dumpDataDir('none'), written to a file);
// each clone is what test/support/database.ts does per test file: read the dump,
// PGlite.create({ loadDataDir }), openDatabase, then a first query. Clones are timed
//   - in a fresh process each (the figure): vitest's `forks` pool runs every test file in its own
//     child process, so every file pays PGlite's WebAssembly compile and start again;
//   - one after another in this process (warm): what remains once the engine code is loaded.
// PostgreSQL server: when TEST_DATABASE_URL, or else postgres://postgres@127.0.0.1:5432/test,
// answers, CREATE DATABASE … TEMPLATE clones are timed there too (and dropped).
//
//   tsx bench/test-db.ts [--clones 7]

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { prepareDatabase } from '../src/bootstrap.ts';
import { createPglite, openDatabase, type Database } from '../src/platform/db/database.ts';
import { figure, makeTempDir, median, ms, removeTempDir, runMain, secs, startChild } from './lib.ts';

const { values: opts } = parseArgs({
  options: { clones: { type: 'string', default: '7' }, 'clone-child': { type: 'string' } },
  strict: true,
});
const CLONES = Number(opts.clones);
const GOAL_MS = 1500;
const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** The first query a test would make: proves the clone is migrated (and empty). */
async function firstQuery(database: Database): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM identity.accounts`.execute(database.db);
  return r.rows[0]!.n;
}

/** One clone as test/support/database.ts makes it; returns its time and closes it. */
async function pgliteClone(dumpPath: string): Promise<{ cloneMs: number; cpuMs: number; closeMs: number }> {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const engine = await createPglite(undefined, { loadDataDir: new Blob([fs.readFileSync(dumpPath)]) });
  const database = await openDatabase({ pglite: engine });
  const accounts = await firstQuery(database);
  const cloneMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  if (accounts !== 0) throw new Error(`clone is not empty: ${accounts} accounts`);
  const closeStart = performance.now();
  await database.close();
  await engine.close();
  return { cloneMs, cpuMs: (cpu.user + cpu.system) / 1000, closeMs: performance.now() - closeStart };
}

async function buildPgliteTemplate(dir: string): Promise<{ dumpPath: string; ms: number; bytes: number }> {
  const start = performance.now();
  const engine = await createPglite();
  const database = await openDatabase({ pglite: engine });
  await prepareDatabase(database.db);
  await database.close();
  const dump = await engine.dumpDataDir('none');
  await engine.close();
  const dumpPath = path.join(dir, 'pglite-template.tar');
  const bytes = Buffer.from(await dump.arrayBuffer());
  fs.writeFileSync(dumpPath, bytes);
  return { dumpPath, ms: performance.now() - start, bytes: bytes.length };
}

/** A clone in a fresh process, like a test file in its own vitest fork. */
async function freshProcessClone(dumpPath: string): Promise<{ cloneMs: number; cpuMs: number; processMs: number }> {
  const start = performance.now();
  const child = startChild(process.execPath, ['--import', 'tsx', 'bench/test-db.ts', '--clone-child', dumpPath], {});
  const code = await child.exited;
  const processMs = performance.now() - start;
  if (code !== 0) throw new Error(`clone child exited with ${code}:\n${child.output()}`);
  const m = /CLONE_MS (\d+(?:\.\d+)?) CPU_MS (\d+(?:\.\d+)?)/.exec(child.output());
  if (!m) throw new Error(`clone child printed no time:\n${child.output()}`);
  return { cloneMs: Number(m[1]), cpuMs: Number(m[2]), processMs };
}

// ---- PostgreSQL server ----

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function serverClones(serverUrl: string): Promise<{ templateMs: number; clones: number[]; dropMs: number[] }> {
  const template = `ggzy_bench_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const created: string[] = [];
  try {
    const t0 = performance.now();
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
    created.push(template);
    const tdb = await openDatabase({ url: withDatabase(serverUrl, template), maxConnections: 2 });
    await prepareDatabase(tdb.db);
    await tdb.close();
    const templateMs = performance.now() - t0;

    const clones: number[] = [];
    const dropMs: number[] = [];
    for (let i = 0; i < CLONES; i++) {
      const name = `ggzy_bench_${process.pid}_${i}`;
      // As test/support/database.ts: a fresh admin connection per clone.
      const start = performance.now();
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        created.push(name);
      } finally {
        await c.end();
      }
      const database = await openDatabase({ url: withDatabase(serverUrl, name), maxConnections: 5 });
      const accounts = await firstQuery(database);
      clones.push(performance.now() - start);
      if (accounts !== 0) throw new Error(`server clone is not empty: ${accounts} accounts`);
      await database.close();
      const d0 = performance.now();
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      created.splice(created.indexOf(name), 1);
      dropMs.push(performance.now() - d0);
    }
    return { templateMs, clones, dropMs };
  } finally {
    for (const name of created.reverse()) await admin.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
    await admin.end();
  }
}

async function main(): Promise<void> {
  const dir = makeTempDir('test-db');
  try {
    const template = await buildPgliteTemplate(dir);
    process.stdout.write(`test-db: PGlite template built in ${ms(template.ms)} (dump ${(template.bytes / 1e6).toFixed(1)} MB); ${CLONES} clones each way\n`);

    const fresh: { cloneMs: number; cpuMs: number; processMs: number }[] = [];
    for (let i = 0; i < CLONES; i++) {
      const r = await freshProcessClone(template.dumpPath);
      fresh.push(r);
      process.stdout.write(`  fresh process clone ${i + 1}: ${ms(r.cloneMs)} (CPU ${ms(r.cpuMs)}; whole process incl. node + tsx + imports: ${ms(r.processMs)})\n`);
    }
    const warm: { cloneMs: number; cpuMs: number; closeMs: number }[] = [];
    for (let i = 0; i < CLONES; i++) {
      const r = await pgliteClone(template.dumpPath);
      warm.push(r);
      process.stdout.write(`  in-process clone ${i + 1}: ${ms(r.cloneMs)} (CPU ${ms(r.cpuMs)}; close ${ms(r.closeMs)})\n`);
    }
    const freshMed = median(fresh.map((r) => r.cloneMs));
    const warmMed = median(warm.map((r) => r.cloneMs));
    const freshCpu = median(fresh.map((r) => r.cpuMs));
    process.stdout.write(
      `  PGlite medians: fresh process ${ms(freshMed)} (CPU ${ms(freshCpu)}), in-process ${ms(warmMed)} (CPU ${ms(median(warm.map((r) => r.cpuMs)))}), whole fresh process ${ms(median(fresh.map((r) => r.processMs)))}\n`,
    );

    let serverText = '';
    const serverUrl = process.env.TEST_DATABASE_URL || DEFAULT_SERVER_URL;
    if (await reachable(serverUrl)) {
      const r = await serverClones(serverUrl);
      const shown = new URL(serverUrl);
      shown.password = '';
      process.stdout.write(
        `  PostgreSQL ${shown.host}: template migrated in ${ms(r.templateMs)}; clones ${r.clones.map((c) => ms(c)).join(', ')}; DROP DATABASE median ${ms(median(r.dropMs))}\n`,
      );
      serverText = `; PostgreSQL TEMPLATE clone ${secs(median(r.clones))}`;
    } else {
      process.stdout.write(`  PostgreSQL: ${serverUrl.replace(/\/\/[^@]*@/, '//…@')} not reachable, skipped\n`);
      serverText = '; PostgreSQL not reachable';
    }

    figure(
      'test-db',
      `median ${secs(freshMed)} per PGlite clone in a fresh process (CPU ${secs(freshCpu)}; ${secs(warmMed)} in-process warm; median of ${CLONES})${serverText} — goal < ${secs(GOAL_MS)}: ${freshMed < GOAL_MS ? 'met' : 'NOT met'}`,
    );
  } finally {
    removeTempDir(dir);
  }
}

if (opts['clone-child']) {
  const dumpPath = opts['clone-child'];
  runMain(async () => {
    const r = await pgliteClone(dumpPath);
    process.stdout.write(`CLONE_MS ${r.cloneMs.toFixed(1)} CPU_MS ${r.cpuMs.toFixed(1)}\n`);
  });
} else {
  runMain(main);
}
