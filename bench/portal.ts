// Figure: the public portal's list pages and search over 1,000,000 notices. Goals (issue 5):
// search p95 < 50 ms, list-page p95 < 30 ms, autocannon over loopback against a real server.
//
// 1. The corpus (bench/portal-data.ts): ≈ 207,000 deals and exactly --notices notices with
//    realistic Chinese titles and bodies (200–800 characters), 7 notice kinds in the proportions
//    a deal publishes them, 6 categories, every city and county of Shanxi, over 3 years. THIS IS A
//    BENCH, NOT THE PRODUCT: rows go straight into portal.deals / portal.notices (no deal events,
//    no projector, no lots or timeline), with the tsvector the projector would write
//    (searchVector of title and body + the deal's name and parties), segmented by jieba in
//    --workers worker threads. The secondary indexes are dropped for the load and rebuilt from
//    their own definitions afterwards; the notices are put in publication order (CLUSTER), the
//    order a portal's projector appends them in; then VACUUM ANALYZE (as autovacuum would). The
//    recent notices' index (portal.recent-index.ts) is built as a node builds it at start-up.
//    Building 1,000,000 takes ≈ 10–15 minutes on 2 cores, so the database is kept: PostgreSQL
//    database `ggzy_portal_bench` (`ggzy_portal_bench_N` for another size) on the server, or a
//    PGlite data dir .tmp/portal-bench-pglite-N with --pglite; --fresh rebuilds it. New
//    migrations (e.g. 0018's indexes) are applied to a kept database on the next run.
// 2. `ggzy serve` against that database on 127.0.0.1, driven by autocannon (--connections,
//    --duration seconds per mix and round, --rounds rounds; the figures are medians over rounds):
//    list pages (a mix of filters and pages up to 20) and search (common, medium and rare words,
//    two words, with and without a city), every request a real query (no If-None-Match), and then
//    the same URLs with their ETag (the 304 path). Latency per response is taken from autocannon's
//    response events; p50/p95/p99 per shape, per mix, and req/s.
// 3. EXPLAIN (ANALYZE, BUFFERS) of the SQL behind one request of each shape (captured through a
//    logging Kysely on the same database), and the indexes each plan uses.
//
//   tsx bench/portal.ts [--notices 1000000] [--pglite] [--fresh] [--postgres postgres://postgres@127.0.0.1:5432]
//                       [--connections 4] [--duration 10] [--rounds 3] [--workers 2] [--explain full|indexes|none]
//                       [--mixes list,search,304]
//   (--mixes: only these mixes, while iterating on one; PORTAL_SERVER_NODE_ARGS="--cpu-prof
//   --cpu-prof-dir=DIR" profiles the server only.)

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import autocannon, { type Options as AutocannonOptions, type Result as AutocannonResult } from 'autocannon';
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { prepareDatabase } from '../src/bootstrap.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openDatabase, type Database } from '../src/platform/db/database.ts';
import type { DB } from '../src/platform/db/schema.ts';
import type { Deps } from '../src/platform/deps.ts';
import * as portal from '../src/modules/portal/portal.service.ts';
import { ensureRecentIndex } from '../src/modules/portal/portal.recent-index.ts';
import { CITIES, COUNTIES, rng, SEARCH_WORDS } from './portal-data.ts';
import type { Chunk, Job } from './portal-worker.ts';
import { cpuTimeMs, figure, freePort, GGZY_BIN, makeTempDir, median, ROOT, runMain, sleep, startChild, startGgzy, waitFor200 } from './lib.ts';

const { values: opts } = parseArgs({
  options: {
    notices: { type: 'string', default: '1000000' },
    pglite: { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432' },
    connections: { type: 'string', default: '4' },
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    workers: { type: 'string', default: String(Math.max(1, Math.min(2, os.availableParallelism()))) },
    explain: { type: 'string', default: 'indexes' },
    seed: { type: 'string', default: '2026' },
    mixes: { type: 'string', default: 'list,search,304' },
  },
  strict: true,
});
let NOTICES = Number(opts.notices);
const CONNECTIONS = Number(opts.connections);
const DURATION = Number(opts.duration);
const ROUNDS = Number(opts.rounds);
const WORKERS = Number(opts.workers);
const SEED = Number(opts.seed);
const LIST_GOAL_MS = 30;
const SEARCH_GOAL_MS = 50;
const DEALS_PER_JOB = 1000;
const MIXES = new Set(opts.mixes.split(',').map((m) => m.trim()));
for (const m of MIXES) if (!['list', 'search', '304'].includes(m)) throw new Error(`--mixes: unknown mix ${m} (list, search, 304)`);

// ---- the database: kept between runs ----

interface Target {
  kind: 'PostgreSQL' | 'PGlite';
  label: string;
  /** The server's DATABASE_URL, or '' for PGlite under dataDir. */
  url: string;
  dataDir: string;
  open(): Promise<Database>;
  /** Drops whatever the database holds. */
  reset(): Promise<void>;
}

async function pgTarget(): Promise<{ target: Target; exists: boolean }> {
  const name = NOTICES === 1_000_000 ? 'ggzy_portal_bench' : `ggzy_portal_bench_${NOTICES}`;
  const admin = new pg.Client({ connectionString: new URL('/postgres', opts.postgres).toString() });
  await admin.connect();
  try {
    if (opts.fresh) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(`/${name}`, opts.postgres).toString();
    const dataDir = makeTempDir('portal');
    const reset = async (): Promise<void> => {
      const c = new pg.Client({ connectionString: new URL('/postgres', opts.postgres).toString() });
      await c.connect();
      // Without FORCE: a pool closed a moment ago may still be saying goodbye; wait for it.
      for (let attempt = 0; ; attempt++) {
        try {
          await c.query(`DROP DATABASE IF EXISTS ${name}`);
          break;
        } catch (e) {
          if (attempt > 20) throw e;
          await sleep(500);
        }
      }
      await c.query(`CREATE DATABASE ${name}`);
      await c.end();
    };
    return { target: { kind: 'PostgreSQL', label: `PostgreSQL ${new URL(opts.postgres).host}/${name}`, url, dataDir, open: () => openDatabase({ url, maxConnections: 4 }), reset }, exists: found.rowCount !== 0 };
  } finally {
    await admin.end();
  }
}

function pgliteTarget(): { target: Target; exists: boolean } {
  const dataDir = path.join(ROOT, '.tmp', `portal-bench-pglite-${NOTICES}`);
  if (opts.fresh) fs.rmSync(dataDir, { recursive: true, force: true });
  const exists = fs.existsSync(dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  return { target: { kind: 'PGlite', label: `PGlite ${path.relative(ROOT, dataDir)}`, url: '', dataDir, open: () => openDatabase({ dataDir }), reset: async () => fs.rmSync(path.join(dataDir, 'pglite'), { recursive: true, force: true }) }, exists };
}

type Query = (text: string, params?: unknown[]) => Promise<pg.QueryResult>;
const querier = (database: Database): Query => (text, params) => database.pool.query(text, params as unknown[]);

/** The corpus marker: which size and seed the kept database holds, and that the load finished. */
async function corpusReady(q: Query): Promise<boolean> {
  await q('CREATE TABLE IF NOT EXISTS public.portal_bench_meta (notices integer NOT NULL, deals integer NOT NULL, seed integer NOT NULL, now timestamptz NOT NULL, build_seconds integer NOT NULL)');
  const r = await q('SELECT notices, seed FROM public.portal_bench_meta');
  return r.rows.length === 1 && r.rows[0].notices === NOTICES && r.rows[0].seed === SEED;
}

const DEAL_COLUMNS = ['deal_code', 'name', 'category', 'sub_category', 'region_code', 'city_code', 'tenderer_name', 'agency_name', 'tender_method', 'supervising_department', 'stage', 'bid_deadline', 'accepted_at', 'updated_at', 'last_seq', 'tsv'] as const;
const DEAL_TYPES = ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'timestamptz', 'timestamptz', 'timestamptz', 'integer', 'tsvector'];
const NOTICE_COLUMNS = ['id', 'deal_code', 'kind', 'title', 'body', 'category', 'sub_category', 'region_code', 'city_code', 'published_at', 'closes_at', 'corrects_id', 'corrected_at', 'event_id', 'tsv'] as const;
const NOTICE_TYPES = ['uuid', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'timestamptz', 'timestamptz', 'uuid', 'timestamptz', 'bigint', 'tsvector'];

/** One INSERT … SELECT FROM unnest($1::text[], …) per batch: 16 parameters whatever the rows. */
async function insertRows(q: Query, table: string, columns: readonly string[], types: readonly string[], rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const arrays = columns.map((c) => rows.map((r) => r[c] ?? null));
  const select = columns.map((c, i) => (types[i] === 'tsvector' ? `${c}::tsvector` : c)).join(', ');
  const unnest = columns.map((_, i) => `$${i + 1}::${types[i] === 'tsvector' ? 'text' : types[i]}[]`).join(', ');
  await q(`INSERT INTO ${table} (${columns.join(', ')}) SELECT ${select} FROM unnest(${unnest}) AS t(${columns.join(', ')})`, arrays);
}

/** A worker running portal-worker.ts through tsx's loader (a worker thread does not inherit --import). */
function startWorker(): Worker {
  const code = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(new URL('./portal-worker.ts', import.meta.url).href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`));
}

async function build(target: Target, now: Date): Promise<void> {
  const t0 = performance.now();
  const database = await target.open();
  const q = querier(database);
  try {
    await prepareDatabase(database.db, now);
    await q('TRUNCATE portal.timeline, portal.lots, portal.notices, portal.deals, portal.lexemes');
    // Drop the secondary indexes for the load; rebuild each from its own definition after it.
    const indexes = (await q(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'portal' AND tablename IN ('notices', 'deals') AND indexname NOT LIKE '%_pkey'`)).rows as { indexname: string; indexdef: string }[];
    for (const ix of indexes) await q(`DROP INDEX portal.${ix.indexname}`);

    const workers = Array.from({ length: WORKERS }, () => startWorker());
    let nextDeal = 0;
    let inserted = 0;
    let deals = 0;
    let done = false;
    const pending = new Map<number, Chunk>();
    let nextToInsert = 0;
    let insertChain = Promise.resolve();
    let lastReport = performance.now();
    let insertMs = 0;
    const insertInOrder = async (): Promise<void> => {
      while (!done && pending.has(nextToInsert)) {
        const chunk = pending.get(nextToInsert)!;
        pending.delete(nextToInsert);
        nextToInsert++;
        let notices = chunk.notices;
        let dealRows = chunk.deals;
        if (inserted + notices.length >= NOTICES) {
          // The last chunk: exactly NOTICES notices; deals after the last one kept are not inserted.
          notices = notices.slice(0, NOTICES - inserted);
          const kept = new Set(notices.map((n) => n.deal_code));
          dealRows = dealRows.filter((d) => kept.has(d.deal_code));
          done = true;
        }
        const ti = performance.now();
        await insertRows(q, 'portal.deals', DEAL_COLUMNS, DEAL_TYPES, dealRows as unknown as Record<string, unknown>[]);
        // Four statements at a time: the server's TOAST compression and tsvector parsing spread over its backends.
        // A deal's notices stay in one statement (an amendment references the tender it corrects).
        const slices: (typeof notices)[] = [[]];
        for (const [k, n] of notices.entries()) {
          if (slices.at(-1)!.length >= 1250 && n.deal_code !== notices[k - 1]!.deal_code) slices.push([]);
          slices.at(-1)!.push(n);
        }
        await Promise.all(slices.map((part) => insertRows(q, 'portal.notices', NOTICE_COLUMNS, NOTICE_TYPES, part as unknown as Record<string, unknown>[])));
        inserted += notices.length;
        deals += dealRows.length;
        insertMs += performance.now() - ti;
        if (performance.now() - lastReport > 15_000) {
          lastReport = performance.now();
          process.stdout.write(`  … ${inserted} notices, ${deals} deals, ${Math.round((performance.now() - t0) / 1000)} s (inserting ${Math.round(insertMs / 1000)} s of it)\n`);
        }
      }
    };
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      const dispatch = (w: Worker): void => {
        if (done) {
          if (running === 0) resolve();
          return;
        }
        const job: Job = { seed: SEED, from: nextDeal, to: nextDeal + DEALS_PER_JOB, now: now.getTime() };
        const index = nextDeal / DEALS_PER_JOB;
        nextDeal += DEALS_PER_JOB;
        running++;
        w.once('message', (chunk: Chunk) => {
          running--;
          pending.set(index, chunk);
          insertChain = insertChain.then(insertInOrder);
          // Back-pressure: do not run far ahead of the inserts.
          const wait = (): void => {
            if (pending.size > 2 * WORKERS && !done) setTimeout(wait, 50);
            else dispatch(w);
          };
          insertChain.then(wait, reject);
        });
        w.postMessage(job);
      };
      for (const w of workers) {
        w.once('error', reject);
        dispatch(w);
      }
    });
    await insertChain;
    await Promise.all(workers.map((w) => w.terminate()));
    const loaded = performance.now();
    process.stdout.write(`  loaded ${inserted} notices, ${deals} deals in ${Math.round((loaded - t0) / 1000)} s; rebuilding ${indexes.length} indexes\n`);
    if (target.kind === 'PostgreSQL') await q(`SET maintenance_work_mem = '1GB'`);
    // notices_recent first: the table is then put in publication order (CLUSTER), as a portal's
    // table is, whose projector appends each notice when it is published. The generator writes
    // them deal by deal, in no order of time, which no real portal's heap has.
    indexes.sort((a, b) => Number(b.indexname === 'notices_recent') - Number(a.indexname === 'notices_recent'));
    for (const ix of indexes) {
      const t = performance.now();
      await q(ix.indexdef);
      process.stdout.write(`    ${ix.indexname}: ${Math.round((performance.now() - t) / 1000)} s\n`);
      if (ix.indexname === 'notices_recent') {
        const tc = performance.now();
        await q('CLUSTER portal.notices USING notices_recent');
        process.stdout.write(`    notices in publication order (CLUSTER): ${Math.round((performance.now() - tc) / 1000)} s\n`);
      }
    }
    // The rows went in without the projector: count the lexemes' notices and deals as it would have.
    const tc = performance.now();
    await q('SELECT portal.recount_lexemes()');
    process.stdout.write(`    lexeme counts: ${Math.round((performance.now() - tc) / 1000)} s\n`);
    await q('VACUUM (ANALYZE) portal.notices');
    await q('VACUUM (ANALYZE) portal.deals');
    await q('VACUUM (ANALYZE) portal.lexemes');
    await q('UPDATE portal.meta SET version = version + 1, updated_at = $1', [now]);
    const seconds = Math.round((performance.now() - t0) / 1000);
    await q('DELETE FROM public.portal_bench_meta');
    await q('INSERT INTO public.portal_bench_meta (notices, deals, seed, now, build_seconds) VALUES ($1, $2, $3, $4, $5)', [inserted, deals, SEED, now, seconds]);
    process.stdout.write(`  corpus built in ${seconds} s\n`);
  } finally {
    await database.close();
  }
}

// ---- the request mixes ----

interface Shape {
  mix: 'list' | 'search';
  name: string;
  paths: string[];
}

const qs = (params: Record<string, string | number | undefined>): string =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');

function chinaDay(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
}

function shapes(now: number): Shape[] {
  const r = rng(SEED + 7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  const page = (max: number): number => (r() < 0.6 ? 1 : 1 + Math.floor(r() * max));
  const KINDS = ['tender', 'tender', 'tender', 'result', 'result', 'candidates', 'amendment', 'opening_record', 'contract', 'failure'];
  const CATEGORIES = ['construction', 'construction', 'procurement', 'procurement', 'land', 'mineral', 'state_property', 'other'];
  const list = (name: string, make: () => Record<string, string | number | undefined>): Shape => ({ mix: 'list', name, paths: Array.from({ length: 200 }, () => `/api/v1/public/notices?${qs(make())}`) });
  const search = (name: string, make: () => Record<string, string | number | undefined>): Shape => ({ mix: 'search', name, paths: Array.from({ length: 200 }, () => `/api/v1/public/search?${qs(make())}`) });
  const city = (): string => pick(CITIES).code;
  const county = (): string => pick(COUNTIES).code;
  const range = (): { from: string; to: string } => {
    const days = pick([7, 30, 30, 90]);
    const end = now - Math.floor(r() * 900) * 86_400_000;
    return { from: chinaDay(end - days * 86_400_000), to: chinaDay(end) };
  };
  const allWords = [...SEARCH_WORDS.common, ...SEARCH_WORDS.medium];
  return [
    list('no filter', () => ({ page: page(5) })),
    list('kind', () => ({ kind: pick(KINDS), page: page(5) })),
    list('category + kind', () => ({ category: pick(CATEGORIES), kind: pick(KINDS), page: page(3) })),
    list('city', () => ({ region: city(), page: page(5) })),
    list('county', () => ({ region: county(), page: page(3) })),
    list('city + kind', () => ({ region: city(), kind: pick(KINDS), page: page(3) })),
    list('date range', () => ({ ...range(), ...(r() < 0.5 ? { kind: pick(KINDS) } : {}), page: page(3) })),
    list('status', () => ({ status: pick(['open', 'open', 'closed', 'corrected']), ...(r() < 0.5 ? { kind: 'tender' } : {}), page: page(2) })),
    list('deep pages 10–20', () => ({ ...(r() < 0.5 ? { kind: pick(KINDS) } : {}), page: 10 + Math.floor(r() * 11) })),
    search('common word', () => ({ q: pick(SEARCH_WORDS.common), page: page(3) })),
    search('medium word', () => ({ q: pick(SEARCH_WORDS.medium), page: page(2) })),
    search('rare name', () => ({ q: pick(SEARCH_WORDS.rare) })),
    search('two words', () => ({ q: pick(SEARCH_WORDS.twoWords) })),
    search('word + city', () => ({ q: pick(allWords), region: city() })),
    search('word + county', () => ({ q: pick(allWords), region: county() })),
  ];
}

// ---- autocannon ----

interface Sample {
  shape: number;
  path: string;
  ms: number;
  status: number;
}

/** One autocannon run over the shapes' paths, interleaved; latency of every response kept. */
async function drive(port: number, list: Shape[], seconds: number, etags?: Map<string, string>): Promise<{ samples: Sample[]; rps: number; errors: number; unfinished: number }> {
  const paths = list.flatMap((s, shape) => s.paths.map((p) => ({ p, shape })));
  // A fixed shuffle, so every run sends the same sequence.
  const r = rng(SEED + 11);
  for (let i = paths.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [paths[i], paths[j]] = [paths[j]!, paths[i]!];
  }
  let next = 0;
  const samples: Sample[] = [];
  // The request each connection has on the wire (autocannon keeps one context per connection).
  const inFlight = new Map<object, { shape: number; path: string; at: number }>();
  const options = {
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (req: Record<string, unknown>, context: { shape?: number; path?: string }) => {
          const x = paths[next++ % paths.length]!;
          context.shape = x.shape;
          context.path = x.p;
          inFlight.set(context, { shape: x.shape, path: x.p, at: performance.now() });
          const headers = etags ? { 'if-none-match': etags.get(x.p) ?? '' } : {};
          return { ...req, path: x.p, headers };
        },
      },
    ],
  };
  const instance = autocannon(options as unknown as AutocannonOptions) as unknown as Promise<AutocannonResult> & { on(ev: 'response', f: (client: { requestIterator: { context: { shape?: number; path?: string } } }, status: number, bytes: number, ms: number) => void): void };
  instance.on('response', (client, status, _bytes, time) => {
    inFlight.delete(client.requestIterator.context);
    samples.push({ shape: client.requestIterator.context.shape ?? -1, path: client.requestIterator.context.path ?? '', ms: time, status });
  });
  const result = await instance;
  const ended = performance.now();
  // A request still running when the run ends gets no response event: without this, a request
  // slower than the run would vanish from the figures instead of being their worst. Each one is
  // counted at the time it had run by then, a lower bound of its latency.
  let unfinished = 0;
  for (const x of inFlight.values()) {
    samples.push({ shape: x.shape, path: x.path, ms: ended - x.at, status: -1 });
    unfinished++;
  }
  return { samples, rps: result.requests.average, errors: result.errors + result.timeouts, unfinished };
}

function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

interface Stats {
  p50: number;
  p95: number;
  p99: number;
  n: number;
}
const stats = (values: number[]): Stats => ({ p50: pct(values, 50), p95: pct(values, 95), p99: pct(values, 99), n: values.length });
const fmt = (s: Stats): string => `p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms`;

// ---- EXPLAIN of the SQL behind one request of each shape ----

async function explainShapes(target: Target, list: Shape[], now: Date): Promise<Map<string, string>> {
  const database = await target.open();
  const served = new Map<string, string>();
  try {
    const captured: { query: CompiledQuery; ms: number }[] = [];
    const db = new Kysely<DB>({
      dialect: new PostgresDialect({ pool: database.pool }),
      log: (e) => {
        if (e.level === 'query') captured.push({ query: e.query, ms: e.queryDurationMillis });
      },
    });
    const config = loadConfig({ GGZY_LOG_LEVEL: 'silent' });
    const deps = { db, clock: new ManualClock(now), config } as unknown as Deps;
    for (const s of list) {
      const seen = new Map<string, number>();
      // A few requests of the shape; explain the slowest statement of each kind it ran.
      for (const [k, p] of s.paths.slice(0, 8).entries()) {
        const u = new URL(p, 'http://x');
        const params = Object.fromEntries(u.searchParams) as Record<string, string>;
        const query = { ...params, page: params.page ? Number(params.page) : undefined, pageSize: params.pageSize ? Number(params.pageSize) : undefined };
        captured.length = 0;
        if (s.mix === 'list') await portal.listNotices(deps, query);
        else await portal.search(deps, params.q!, query);
        for (const c of captured) {
          const key = c.query.sql.replace(/\$\d+/g, '?').slice(0, 60);
          if ((seen.get(key) ?? -1) < c.ms) seen.set(key, c.ms);
        }
        if (k === 0) {
          // Explain every statement of the first request of the shape.
          const lines: string[] = [];
          // One session, replaying the request's transactions: a search tells the planner its
          // reading with set_config(…, true) inside one, and the plan explained must be the one it ran.
          const client = await database.pool.connect();
          try {
          await client.query('BEGIN');
          for (const c of [...captured]) {
            const verb = c.query.sql.trim().split(/\s+/)[0]!.toLowerCase();
            if (verb === 'begin') continue;
            if (verb === 'commit' || verb === 'rollback') {
              await client.query('ROLLBACK');
              await client.query('BEGIN');
              continue;
            }
            // Planner settings (SET LOCAL, or set_config(…, true) in one SELECT): applied, not explained.
            if (verb === 'set' || /^select set_config\(/i.test(c.query.sql.trim())) {
              await client.query(c.query.sql, c.query.parameters as unknown[]);
              continue;
            }
            const plan = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) ${c.query.sql}`, c.query.parameters as unknown[]);
            const text = plan.rows.map((row: Record<string, string>) => row['QUERY PLAN']!);
            const used = [...new Set(text.flatMap((l) => [...l.matchAll(/(?:Index (?:Only )?Scan(?: Backward)? using|Bitmap Index Scan on) (\w+)/g)].map((m) => m[1]!)))];
            const seq = text.some((l) => /Seq Scan on (notices|deals)/.test(l)) ? ['Seq Scan'] : [];
            const exec = text.find((l) => l.startsWith('Execution Time'))?.trim() ?? '';
            const what = /portal\.deals|"portal"\."deals"/.test(c.query.sql) && !/portal\.notices|"portal"\."notices"/.test(c.query.sql) ? 'deals' : /count\(\*\)|"n"/.test(c.query.sql) && !/ts_rank/.test(c.query.sql) ? 'count' : /ts_rank/.test(c.query.sql) ? 'rank' : /portal.meta|"portal"\."meta"/.test(c.query.sql) ? 'version' : 'rows';
            if (what === 'version') continue;
            lines.push(`${what}: ${[...used, ...seq].join(' + ') || '—'} (${exec.replace('Execution Time: ', '')})`);
            if (opts.explain === 'full') process.stdout.write(`\n  [${s.name}] ${c.query.sql}\n  params ${JSON.stringify(c.query.parameters).slice(0, 200)}\n${text.map((l) => `    ${l}`).join('\n')}\n`);
          }
          } finally {
            await client.query('ROLLBACK').catch(() => undefined);
            client.release();
          }
          served.set(s.name, lines.join('; '));
          process.stdout.write(`  ${s.mix} / ${s.name}  ${decodeURIComponent(p)}\n    ${lines.join('\n    ')}\n`);
        }
      }
    }
  } finally {
    await database.close();
  }
  return served;
}

// ---- main ----

async function reachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: new URL('/postgres', url).toString(), connectionTimeoutMillis: 1500 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  if (!opts.pglite && !(await reachable(opts.postgres))) {
    process.stdout.write(`portal: PostgreSQL ${new URL(opts.postgres).host} not reachable; PGlite instead${NOTICES === 1_000_000 ? ' with 100,000 notices (pass --notices for more)' : ''}\n`);
    opts.pglite = true;
    if (NOTICES === 1_000_000) NOTICES = 100_000;
  }
  const { target, exists } = opts.pglite ? pgliteTarget() : await pgTarget();
  const now = new Date();
  process.stdout.write(`portal: ${NOTICES} notices on ${target.label}\n`);
  let ready = false;
  if (exists) {
    const database = await target.open();
    try {
      ready = await corpusReady(querier(database));
      // New migrations (indexes) reach a kept database here.
      if (ready) await prepareDatabase(database.db, now);
    } finally {
      await database.close();
    }
  }
  if (!ready) {
    process.stdout.write(`  building the corpus (${WORKERS} worker threads segmenting with jieba)…\n`);
    // From an empty database: a build that stopped half-way may have left indexes dropped.
    await target.reset();
    const database = await target.open();
    try {
      await corpusReady(querier(database));
    } finally {
      await database.close();
    }
    await build(target, now);
  }
  const database = await target.open();
  let facts: { deals: number; notices: number; built: Date; size: string };
  try {
    // The recent notices' index, as a running node builds it in the background at start-up.
    const started = performance.now();
    const recent = await ensureRecentIndex(database, now);
    if (recent.created) process.stdout.write(`  built ${recent.created} in ${((performance.now() - started) / 1000).toFixed(1)} s${recent.dropped.length ? ` (dropped ${recent.dropped.join(', ')})` : ''}\n`);
    const q = querier(database);
    const m = (await q('SELECT notices, deals, now, build_seconds FROM public.portal_bench_meta')).rows[0];
    const size = target.kind === 'PostgreSQL' ? (await q(`SELECT pg_size_pretty(pg_total_relation_size('portal.notices')) AS s`)).rows[0].s : '';
    facts = { deals: m.deals, notices: m.notices, built: m.now, size };
    const kinds = (await q('SELECT kind, count(*)::int AS n FROM portal.notices GROUP BY kind ORDER BY 2 DESC')).rows.map((x: { kind: string; n: number }) => `${x.kind} ${x.n}`);
    process.stdout.write(`  corpus: ${m.notices} notices (${kinds.join(', ')}), ${m.deals} deals, generated ${m.now.toISOString()} in ${m.build_seconds} s${size ? `; portal.notices ${size} with indexes` : ''}\n`);
  } finally {
    await database.close();
  }
  // Dates in the corpus are relative to when it was generated; the mix follows them.
  const list = shapes(facts.built.getTime());

  process.stdout.write('\nplans (EXPLAIN ANALYZE, BUFFERS of the first request of each shape):\n');
  const served = opts.explain === 'none' ? new Map<string, string>() : await explainShapes(target, list, new Date());

  const port = await freePort();
  const env = {
    GGZY_DATA_DIR: target.url ? target.dataDir : target.dataDir,
    DATABASE_URL: target.url,
    GGZY_PORT: String(port),
    GGZY_HOST: '127.0.0.1',
    GGZY_LOG_LEVEL: 'warn',
    GGZY_MASTER_KEY: crypto.randomBytes(16).toString('hex'),
    GGZY_WEB_DIR: '.tmp/no-web',
  };
  const nodeArgs = process.env.PORTAL_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const server = nodeArgs.length ? startChild(process.execPath, [...nodeArgs, GGZY_BIN, 'serve'], env) : startGgzy(['serve'], env);
  // The CPU of the server's PostgreSQL backends, when the database is on this machine (/proc).
  let backends: Awaited<ReturnType<typeof backendCpu>> | undefined;
  try {
    if (target.url && ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(target.url).hostname)) backends = await backendCpu(target.url);
    await waitFor200(`http://127.0.0.1:${port}/readyz`, server, 50, 180_000);
    const lists = list.filter((s) => s.mix === 'list');
    const searches = list.filter((s) => s.mix === 'search');
    process.stdout.write(`\nserver on 127.0.0.1:${port} (${target.kind}); autocannon ${CONNECTIONS} connections, ${DURATION} s per mix, ${ROUNDS} rounds\n`);
    // Warm-up: the server's code optimised and the pages in cache, as a running portal has them.
    if (MIXES.has('list') || MIXES.has('304')) await drive(port, lists, Math.max(3, DURATION / 2));
    if (MIXES.has('search') || MIXES.has('304')) await drive(port, searches, Math.max(3, DURATION / 2));
    // The 304 path: the current ETag of every URL.
    const etags = new Map<string, string>();
    if (MIXES.has('304')) for (const s of list) for (const p of s.paths.slice(0, 50)) etags.set(p, (await fetch(`http://127.0.0.1:${port}${p}`).then(async (r) => (await r.arrayBuffer(), r.headers.get('etag'))))!);
    const cached = list.map((s) => ({ ...s, paths: s.paths.slice(0, 50) }));

    // Every search URL's latencies over the rounds: the slowest are printed, they are the tail.
    const byPath = new Map<string, number[]>();
    const perRound: { mix: string; shape: Stats[]; all: Stats; rps: number; errors: number; non2xx: number; cpu: number; dbCpu: number }[] = [];

    for (let round = 1; round <= ROUNDS; round++) {
      for (const [mix, shapesOf, tags] of [['list', lists, undefined], ['search', searches, undefined], ['304', cached, etags]] as const) {
        if (!MIXES.has(mix)) continue;
        const cpu0 = cpuTimeMs(server.process.pid);
        const db0 = await backends?.cpu();
        const run = await drive(port, shapesOf, mix === '304' ? Math.max(3, DURATION / 2) : DURATION, tags);
        const cpu1 = cpuTimeMs(server.process.pid);
        const db1 = await backends?.cpu();
        const cpuPerRequest = cpu0 !== undefined && cpu1 !== undefined && run.samples.length > 0 ? (cpu1 - cpu0) / run.samples.length : NaN;
        const dbPerRequest = db0 && db1 && run.samples.length > 0 ? [...db1].reduce((sum, [pid, ms]) => sum + ms - (db0.get(pid) ?? 0), 0) / run.samples.length : NaN;
        const expected = mix === '304' ? 304 : 200;
        const shape = shapesOf.map((_, i) => stats(run.samples.filter((x) => x.shape === i).map((x) => x.ms)));
        if (mix === 'search') for (const x of run.samples) (byPath.get(x.path) ?? byPath.set(x.path, []).get(x.path)!).push(x.ms);
        perRound.push({ mix, shape, all: stats(run.samples.map((x) => x.ms)), rps: run.rps, errors: run.errors, non2xx: run.samples.filter((x) => x.status !== expected).length, cpu: cpuPerRequest, dbCpu: dbPerRequest });
        process.stdout.write(`  round ${round} ${mix}: ${fmt(perRound.at(-1)!.all)}, ${Math.round(run.rps)} req/s, server CPU ${cpuPerRequest.toFixed(2)} ms/request${Number.isNaN(dbPerRequest) ? '' : ` + PostgreSQL ${dbPerRequest.toFixed(2)}`}, ${run.samples.length - run.unfinished} responses${run.unfinished ? `, ${run.unfinished} unfinished at the end (counted at their time so far)` : ''}${perRound.at(-1)!.non2xx - run.unfinished ? `, ${perRound.at(-1)!.non2xx - run.unfinished} not ${expected}` : ''}${run.errors ? `, ${run.errors} errors` : ''}\n`);
      }
    }
    const med = (mix: string, f: (x: (typeof perRound)[number]) => number): number => median(perRound.filter((x) => x.mix === mix).map(f));
    const summary = (mix: string): Stats & { rps: number } => ({ p50: med(mix, (x) => x.all.p50), p95: med(mix, (x) => x.all.p95), p99: med(mix, (x) => x.all.p99), n: med(mix, (x) => x.all.n), rps: med(mix, (x) => x.rps) });

    // The machine may be shared: its load says how far the latencies are the portal's own.
    const load = os.loadavg().map((x) => x.toFixed(1)).join(' ');
    process.stdout.write(`\nmedians over ${ROUNDS} rounds (${facts.notices} notices, ${facts.deals} deals, ${target.kind}, ${CONNECTIONS} connections; load average ${load} on ${os.availableParallelism()} cores):\n`);
    for (const [mix, shapesOf] of [['list', lists], ['search', searches], ['304', cached]] as const) {
      if (!MIXES.has(mix)) continue;
      const s = summary(mix);
      const dbCpu = med(mix, (x) => x.dbCpu);
      process.stdout.write(`  ${mix} mix: ${fmt(s)}, ${Math.round(s.rps)} req/s, server CPU ${med(mix, (x) => x.cpu).toFixed(2)} ms/request${Number.isNaN(dbCpu) ? '' : ` + PostgreSQL ${dbCpu.toFixed(2)}`}\n`);
      shapesOf.forEach((shape, i) => {
        const st: Stats = { p50: med(mix, (x) => x.shape[i]!.p50), p95: med(mix, (x) => x.shape[i]!.p95), p99: med(mix, (x) => x.shape[i]!.p99), n: med(mix, (x) => x.shape[i]!.n) };
        process.stdout.write(`    ${shape.name.padEnd(18)} ${fmt(st)}${mix !== '304' && served.get(shape.name) ? `  — ${served.get(shape.name)}` : ''}\n`);
      });
    }
    if (byPath.size > 0) {
      const slowest = [...byPath].filter(([, v]) => v.length >= 3).map(([p, v]) => ({ p, n: v.length, p50: pct(v, 50) })).sort((a, b) => b.p50 - a.p50).slice(0, 8);
      process.stdout.write(`  slowest search URLs (p50 over the rounds, at least 3 responses):\n${slowest.map((x) => `    ${x.p50.toFixed(1).padStart(6)} ms ×${x.n}  ${decodeURIComponent(x.p)}`).join('\n')}\n`);
    }
    if (MIXES.size < 3) return; // a partial run prints no figure
    const l = summary('list');
    const s = summary('search');
    const n304 = summary('304');
    const listOk = l.p95 < LIST_GOAL_MS;
    const searchOk = s.p95 < SEARCH_GOAL_MS;
    process.stdout.write(`\n  list p95 ${l.p95.toFixed(1)} ms — goal < ${LIST_GOAL_MS} ms: ${listOk ? 'met' : 'NOT met'}\n  search p95 ${s.p95.toFixed(1)} ms — goal < ${SEARCH_GOAL_MS} ms: ${searchOk ? 'met' : 'NOT met'}\n`);
    figure(
      'portal',
      `list p95 ${l.p95.toFixed(1)} ms (${Math.round(l.rps)} req/s), search p95 ${s.p95.toFixed(1)} ms (${Math.round(s.rps)} req/s), 304 p95 ${n304.p95.toFixed(1)} ms; ${facts.notices} notices, ${facts.deals} deals, ${target.kind}, ${CONNECTIONS} connections, load ${load} — goal list < ${LIST_GOAL_MS} ms, search < ${SEARCH_GOAL_MS} ms: ${listOk && searchOk ? 'met' : 'NOT met'}`,
    );
  } finally {
    await backends?.end();
    await server.stop();
  }
}

/** CPU time (ms) of each backend of the server's database but this one, read from /proc. */
async function backendCpu(url: string): Promise<{ cpu(): Promise<Map<number, number>>; end(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    async cpu() {
      const pids = (await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).rows;
      return new Map(pids.flatMap(({ pid }) => {
        const ms = cpuTimeMs(pid);
        return ms === undefined ? [] : [[pid, ms] as [number, number]];
      }));
    },
    end: () => client.end(),
  };
}

runMain(main);
