// Figure: the eligibility query of the expert pool ("experts of specialty S in region R, free on
// day D, tied to none of the entities E") on a pool of 20,000 experts. Goal: p95 < 20 ms on PGlite.
//
// The pool is seeded through the repository's bulk insert (not HTTP): random regions (every
// county of Shanxi), 1–3 of the ~40 leaf specialties, 3,000 employers, ~30% with declared
// relations, ~15% with an unavailability period, ~90% active. On PGlite the node's own
// maintenance pass follows the load (src/platform/db/maintenance.ts: PGlite runs no autovacuum,
// so `serve` vacuums and analyzes what is due); on a server, VACUUM (ANALYZE) as its autovacuum
// would. Each request is one call of the service
// function findEligibleExperts (the eligibility statement plus the candidates' specialties),
// with a request mix of leaf and category specialties, province / city / county regions and
// 5–30 avoided entities. Measured twice: with the route's default limit of 200, and without a
// limit (every candidate, as the panel draw will ask).
//
//   tsx bench/experts-eligible.ts [--experts 20000] [--runs 300] [--url postgres://…/empty_scratch_db]

import os from 'node:os';
import { defaultLicenceReader } from '../src/modules/registry/registry.licence.ts';
import { BlobStore } from '../src/platform/files/blob-store.ts';
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { prepareDatabase } from '../src/bootstrap.ts';
import { AuthCache } from '../src/platform/auth/auth-cache.ts';
import { systemClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import { deriveKeys } from '../src/platform/crypto/keys.ts';
import type { PGlite } from '@electric-sql/pglite';
import { createPglite, openDatabase, type Database } from '../src/platform/db/database.ts';
import type { Deps } from '../src/platform/deps.ts';
import { loadRegionTree } from '../src/modules/org/org.regions.ts';
import { maintainTables } from '../src/platform/db/maintenance.ts';
import { buildPool, seededRandom, usccFor } from '../src/modules/experts/experts.fixtures.ts';
import * as repo from '../src/modules/experts/experts.repository.ts';
import { findEligibleExperts, type EligibilityQuery } from '../src/modules/experts/experts.service.ts';
import { loadSpecialtyTable } from '../src/modules/experts/experts.specialties.ts';
import { figure, runMain } from './lib.ts';

const { values: opts } = parseArgs({
  options: { experts: { type: 'string', default: '20000' }, runs: { type: 'string', default: '300' }, url: { type: 'string' } },
  strict: true,
});
const EXPERTS = Number(opts.experts);
const RUNS = Number(opts.runs);
const EMPLOYERS = 3000;
const GOAL_MS = 20;
const DAYS = ['2026-03-20', '2026-04-08', '2026-05-12', '2026-06-03'];

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function open(): Promise<{ database: Database; engine: PGlite | undefined; label: string }> {
  if (opts.url) {
    // An empty scratch database: the script migrates it and fills it, and never drops anything.
    const database = await openDatabase({ url: opts.url, maxConnections: 2 });
    const existing = await sql<{ n: number }>`SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = 'experts'`.execute(database.db);
    if (existing.rows[0]!.n > 0) throw new Error('--url must name an empty scratch database (it already has an experts schema)');
    return { database, engine: undefined, label: 'PostgreSQL server' };
  }
  const engine = await createPglite();
  return { database: await openDatabase({ pglite: engine }), engine, label: 'PGlite (in memory)' };
}

type Request = EligibilityQuery & { kind: string };

function requests(count: number, seed: number): Request[] {
  const tree = loadRegionTree();
  const table = loadSpecialtyTable();
  const leaves = table.specialties.filter((s) => table.isLeaf(s.code)).map((s) => s.code);
  const categories = table.specialties.filter((s) => !table.isLeaf(s.code)).map((s) => s.code);
  const cities = tree.childrenOf('140000').map((r) => r.code);
  const counties = tree.regions.filter((r) => r.level === 3).map((r) => r.code);
  const rnd = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  return Array.from({ length: count }, () => {
    const leaf = rnd() < 0.7;
    const r = rnd();
    const level = r < 0.2 ? 'province' : r < 0.7 ? 'city' : 'county';
    return {
      kind: `${leaf ? 'leaf' : 'category'} × ${level}`,
      specialty: leaf ? pick(leaves) : pick(categories),
      regionCode: level === 'province' ? '140000' : level === 'city' ? pick(cities) : pick(counties),
      avoidUscc: Array.from({ length: 5 + Math.floor(rnd() * 26) }, () => usccFor(Math.floor(rnd() * EMPLOYERS))),
      on: pick(DAYS),
    };
  });
}

interface Measured {
  times: number[];
  /** CPU time of this process per request: PGlite runs in-process, so this is the query's own work, little disturbed by other load on the machine. */
  cpu: number[];
  found: number[];
  byKind: Map<string, number[]>;
}

async function measure(deps: Deps, list: Request[], limit: number | undefined): Promise<Measured> {
  for (const q of list.slice(0, 20)) await findEligibleExperts(deps, { ...q, limit });
  const m: Measured = { times: [], cpu: [], found: [], byKind: new Map() };
  for (const q of list) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await findEligibleExperts(deps, { ...q, limit });
    const t = performance.now() - t0;
    const c = process.cpuUsage(c0);
    m.times.push(t);
    m.cpu.push((c.user + c.system) / 1000);
    m.found.push(r.total);
    m.byKind.set(q.kind, [...(m.byKind.get(q.kind) ?? []), t]);
  }
  return m;
}

async function main(): Promise<void> {
  const { database, engine, label } = await open();
  try {
    await prepareDatabase(database.db);
    const deps: Deps = { config: loadConfig({ GGZY_LOG_LEVEL: 'silent' }), db: database.db, clock: systemClock, keys: deriveKeys(crypto.randomBytes(16)), authCache: new AuthCache(0), blobs: new BlobStore(os.tmpdir()), licenceReader: defaultLicenceReader() };
    const table = loadSpecialtyTable();
    const t0 = performance.now();
    const pool = buildPool(deps.keys.master, {
      count: EXPERTS,
      seed: 2026,
      regions: loadRegionTree().regions.filter((r) => r.level === 3).map((r) => r.code),
      leaves: table.specialties.filter((s) => table.isLeaf(s.code)).map((s) => s.code),
      employers: EMPLOYERS,
      days: DAYS,
      createdBy: null,
      now: new Date(),
    });
    const t1 = performance.now();
    await database.db.transaction().execute((trx) => repo.insertExpertsBulk(trx, pool));
    let maintenance = '';
    if (engine) {
      // What the node's maintenance pass does within GGZY_PGLITE_MAINTENANCE_MINUTES of the load
      // (the statistics it reads are flushed at most once a second: forced here).
      await sql`SELECT pg_stat_force_next_flush()`.execute(database.db);
      await sql`SELECT 1`.execute(database.db);
      const done = await maintainTables(database.db);
      maintenance = `  maintenance pass after the load: ${done.map((t) => `${t.schema}.${t.table}${t.vacuum ? '' : ' (analyze)'}`).join(', ')}\n`;
    } else {
      // What the server's autovacuum does after a load of this size.
      await sql`VACUUM (ANALYZE) experts.experts, experts.expert_specialties, experts.relations, experts.unavailability`.execute(database.db);
    }
    const t2 = performance.now();
    process.stdout.write(
      `experts-eligible: ${label}; ${EXPERTS} experts, ${pool.specialties.length} specialty links, ${pool.relations.length} relations, ${pool.periods.length} periods; rows built in ${Math.round(t1 - t0)} ms, inserted + analysed in ${Math.round(t2 - t1)} ms\n${maintenance}`,
    );

    const list = requests(RUNS, 7);
    const sample = { ...list.find((q) => q.regionCode === '140000')!, specialty: 'A' };


    const limited = await measure(deps, list, 200);
    const unlimited = await measure(deps, list, undefined);
    for (const [name, r] of [['limit 200', limited], ['no limit', unlimited]] as const) {
      process.stdout.write(
        `  ${name}: p50 ${percentile(r.times, 50).toFixed(1)} ms, p95 ${percentile(r.times, 95).toFixed(1)} ms, max ${Math.max(...r.times).toFixed(1)} ms (CPU p95 ${percentile(r.cpu, 95).toFixed(1)} ms) over ${RUNS} requests; candidates per request median ${percentile(r.found, 50)}, max ${Math.max(...r.found)}\n`,
      );
      for (const [kind, times] of [...r.byKind].sort()) {
        process.stdout.write(`    ${kind.padEnd(20)} n=${String(times.length).padStart(3)}  p50 ${percentile(times, 50).toFixed(1).padStart(5)} ms  p95 ${percentile(times, 95).toFixed(1).padStart(5)} ms\n`);
      }
    }
    const worst = await findEligibleExperts(deps, sample);
    process.stdout.write(`  province-wide category request (specialty A, ${sample.avoidUscc.length} avoided): ${worst.total} candidates\n`);
    const p95 = percentile(limited.times, 95);
    const leafTimes = [...limited.byKind].filter(([k]) => k.startsWith('leaf')).flatMap(([, t]) => t);
    figure(
      'experts-eligible',
      `p95 ${p95.toFixed(1)} ms (CPU ${percentile(limited.cpu, 95).toFixed(1)} ms; leaf specialties ${percentile(leafTimes, 95).toFixed(1)} ms; limit 200; ${percentile(unlimited.times, 95).toFixed(1)} ms returning every candidate) over ${RUNS} requests on ${EXPERTS} experts, ${label} — goal < ${GOAL_MS} ms: ${p95 < GOAL_MS ? 'met' : 'NOT met'}`,
    );
  } finally {
    await database.close();
    await engine?.close();
  }
}

runMain(main);
