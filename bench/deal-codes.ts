// Figure: unified deal codes issued under concurrency. 1,000 issues from 50 concurrent clients,
// each issue its own transaction (as the acceptance of a project would be), all on one China-time
// day, so every issue queues on the same daily counter row — the worst case. Afterwards the codes
// must be unique, carry the serials 1…1000 exactly, and pass the MOD 37,2 check. Goal: that
// (correctness); codes/s is reported per engine.
//
// PostgreSQL server: TEST_DATABASE_URL, or else postgres://postgres@127.0.0.1:5432/test, with a
// pool of 50, in a scratch database created and dropped here (tests are not disturbed).
// PGlite: in memory; its pool holds one connection, so the 50 clients queue for it.
//
//   tsx bench/deal-codes.ts [--codes 1000] [--clients 50]

import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { prepareDatabase } from '../src/bootstrap.ts';
import { isValidDealCode, parseDealCode } from '../src/modules/coding/coding.rules.ts';
import { issueDealCode } from '../src/modules/coding/coding.service.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createPglite, openDatabase, type Database } from '../src/platform/db/database.ts';
import { figure, runMain } from './lib.ts';

const { values: opts } = parseArgs({ options: { codes: { type: 'string', default: '1000' }, clients: { type: 'string', default: '50' } }, strict: true });
const CODES = Number(opts.codes);
const CLIENTS = Number(opts.clients);
const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/test';
const AT = new Date('2026-03-02T02:00:00Z');
const config = loadConfig({ GGZY_LOG_LEVEL: 'silent' });

interface Outcome {
  codesPerSecond: number;
  ms: number;
  ok: boolean;
  problems: string[];
}

/** 50 clients, each issuing its share one transaction at a time, then the checks. */
async function run(database: Database): Promise<Outcome> {
  const issued: string[] = [];
  let next = 0;
  const client = async (): Promise<void> => {
    while (next < CODES) {
      next++;
      const code = await database.db.transaction().execute((trx) =>
        issueDealCode(trx, { config }, { kind: 'tender_project', subjectId: crypto.randomUUID(), title: '基准测试项目', regionCode: '140105', category: '施工', issuedBy: null, at: AT }),
      );
      issued.push(code);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const ms = performance.now() - start;

  const problems: string[] = [];
  if (issued.length !== CODES) problems.push(`${issued.length} codes issued, expected ${CODES}`);
  if (new Set(issued).size !== issued.length) problems.push('duplicate codes');
  const invalid = issued.filter((c) => !isValidDealCode(c));
  if (invalid.length > 0) problems.push(`${invalid.length} codes fail the check, e.g. ${invalid[0]}`);
  const serials = issued.map((c) => {
    const p = parseDealCode(c);
    return p.ok ? p.value.serial : -1;
  });
  serials.sort((a, b) => a - b);
  if (serials.some((s, i) => s !== i + 1)) problems.push(`serials are not 1…${CODES} (first ${serials[0]}, last ${serials[serials.length - 1]})`);
  const stored = await database.db
    .selectFrom('coding.codes')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('serial').as('lo'), eb.fn.max('serial').as('hi')])
    .executeTakeFirstOrThrow();
  if (Number(stored.n) !== CODES || stored.lo !== 1 || stored.hi !== CODES) problems.push(`stored: ${stored.n} rows, serials ${stored.lo}…${stored.hi}`);
  return { codesPerSecond: (CODES / ms) * 1000, ms, ok: problems.length === 0, problems };
}

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

async function onServer(serverUrl: string): Promise<Outcome> {
  const name = `ggzy_bench_codes_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const database = await openDatabase({ url: url.toString(), maxConnections: CLIENTS });
    try {
      await prepareDatabase(database.db);
      // Open the pool's connections before timing, as a running server would have them.
      await Promise.all(Array.from({ length: CLIENTS }, () => database.pool.query('SELECT 1')));
      return await run(database);
    } finally {
      await database.close();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
    await admin.end();
  }
}

async function onPglite(): Promise<Outcome> {
  const engine = await createPglite();
  const database = await openDatabase({ pglite: engine });
  try {
    await prepareDatabase(database.db);
    return await run(database);
  } finally {
    await database.close();
    await engine.close();
  }
}

function line(engine: string, o: Outcome): string {
  return `${engine}: ${CODES} codes in ${Math.round(o.ms)} ms = ${Math.round(o.codesPerSecond)} codes/s, ${o.ok ? 'unique and gapless' : `FAILED: ${o.problems.join('; ')}`}`;
}

async function main(): Promise<void> {
  process.stdout.write(`deal-codes: ${CODES} issues from ${CLIENTS} concurrent clients, one transaction each, one day's counter\n`);
  const results: { engine: string; o: Outcome }[] = [];
  const serverUrl = process.env.TEST_DATABASE_URL || DEFAULT_SERVER_URL;
  if (await reachable(serverUrl)) {
    const o = await onServer(serverUrl);
    results.push({ engine: `PostgreSQL (pool ${CLIENTS})`, o });
    process.stdout.write(`  ${line(`PostgreSQL ${new URL(serverUrl).host} (pool ${CLIENTS})`, o)}\n`);
  } else {
    process.stdout.write(`  PostgreSQL: ${serverUrl.replace(/\/\/[^@]*@/, '//…@')} not reachable, skipped\n`);
  }
  const p = await onPglite();
  results.push({ engine: 'PGlite', o: p });
  process.stdout.write(`  ${line('PGlite (in memory, 1 connection)', p)}\n`);

  const ok = results.every((r) => r.o.ok);
  figure(
    'deal-codes',
    `${results.map((r) => `${r.engine} ${Math.round(r.o.codesPerSecond)} codes/s`).join(', ')}; ${CODES} codes from ${CLIENTS} clients — goal unique and gapless: ${ok ? 'met' : 'NOT met'}`,
  );
  if (!ok) throw new Error(results.flatMap((r) => r.o.problems.map((x) => `${r.engine}: ${x}`)).join('\n'));
}

runMain(main);
