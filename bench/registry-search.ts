// Figure: search of the market-entity registry by any part of a name (or an exact USCC) over
// 100,000 entities. Goal: p95 < 50 ms on PGlite.
//
// The entities are seeded through the repository's bulk insert: realistic Shanxi company names
// (place + trade name + business + legal form, some branch offices). ANALYZE follows the load,
// as autovacuum would on a server. Each request is one call of the service function behind
// GET /api/v1/registry/entities (count capped at 200, first page of 20), with a fragment a
// person would type: a trade name (宏达), place + trade name (晋中宏达), a business (路桥工程),
// a long exact-ish name, or a USCC. The GIN index entities_name_grams (unigrams and bigrams) serves it.
//
// Then the same searches from a city node, which holds no registry and asks the province through
// the federation: the province serves this database on loopback HTTP, and each search is one
// sealed request (SM2 key seal + signature, SM4 body) and one sealed reply, opened and checked
// on both sides. Its p95 is printed beside the local one, so the federation's cost is a ratio
// measured in the same run.
//
//   tsx bench/registry-search.ts [--entities 100000] [--runs 500]

import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { makeDeps, prepareDatabase } from '../src/bootstrap.ts';
import { loadConfig } from '../src/platform/config.ts';
import { deriveKeys } from '../src/platform/crypto/keys.ts';
import type { Principal } from '../src/platform/auth/principal.ts';
import { createPglite, openDatabase, type Database } from '../src/platform/db/database.ts';
import type { Deps } from '../src/platform/deps.ts';
import { seededRandom } from '../src/modules/experts/experts.fixtures.ts';
import { loadRegionTree } from '../src/modules/org/org.regions.ts';
import { entityRows } from '../src/modules/registry/registry.fixtures.ts';
import * as repo from '../src/modules/registry/registry.repository.ts';
import { registryList } from '../src/modules/registry/registry.directory.ts';
import { listEntities } from '../src/modules/registry/registry.review.ts';
import type { Actor } from '../src/modules/registry/registry.service.ts';
import { figure, makeTempDir, median, removeTempDir, runMain } from './lib.ts';

const { values: opts } = parseArgs({ options: { entities: { type: 'string', default: '100000' }, runs: { type: 'string', default: '500' } }, strict: true });
const ENTITIES = Number(opts.entities);
const RUNS = Number(opts.runs);
const GOAL_MS = 50;

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function main(): Promise<void> {
  const engine = await createPglite();
  const database = await openDatabase({ pglite: engine });
  try {
    await prepareDatabase(database.db);
    const t0 = performance.now();
    const counties = loadRegionTree().regions.filter((r) => r.level === 3).map((r) => r.code);
    const rows = entityRows(ENTITIES, 2026, new Date(), counties);
    await database.db.transaction().execute((trx) => repo.insertEntitiesBulk(trx, rows));
    await sql`ANALYZE registry.entities`.execute(database.db);
    process.stdout.write(`registry-search: PGlite (in memory); ${ENTITIES} entities inserted + analysed in ${Math.round(performance.now() - t0)} ms\n`);

    const rnd = seededRandom(11);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
    const queries = Array.from({ length: RUNS }, (_, i) => {
      const name = pick(rows).name;
      switch (i % 5) {
        case 0:
          return name.slice(4, 6); // a trade name: 宏达
        case 1:
          return name.slice(2, 6); // place + trade name: 晋中宏达
        case 2:
          return name.slice(6, 10); // a business: 路桥工程
        case 3:
          return name.slice(0, 14); // most of a name
        default:
          return pick(rows).uscc!;
      }
    });
    const deps = { db: database.db } as Deps;
    const principal = { stage: 'active', grants: new Map([['registry.entity.read', 'province']]), regionCode: '140000', accountId: '00000000-0000-0000-0000-000000000000' } as unknown as Principal;
    const actor: Actor = { principal, clientIp: '127.0.0.1', requestId: 'bench', userAgent: null, now: new Date() };
    const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT id, name FROM registry.entities e WHERE e.name_grams @> registry.query_grams(${'宏达'}) AND e.name ILIKE ${'%宏达%'} LIMIT 1001`.execute(database.db);
    process.stdout.write(`  plan: ${plan.rows.map((r) => r['QUERY PLAN'].trim()).join(' | ')}\n`);

    for (const q of queries.slice(0, 30)) await listEntities(deps, actor, { q, page: 1, pageSize: 20 });
    const times: number[] = [];
    const byKind: number[][] = [[], [], [], [], []];
    let hits = 0;
    for (const [i, q] of queries.entries()) {
      const t = performance.now();
      const r = await listEntities(deps, actor, { q, page: 1, pageSize: 20 });
      const ms = performance.now() - t;
      times.push(ms);
      byKind[i % 5]!.push(ms);
      if (r.rows.length > 0) hits++;
    }
    const p95 = percentile(times, 95);
    const names = ['trade name (2 chars)', 'place + trade name (4)', 'business (4)', 'most of a name (14)', 'USCC'];
    for (const [i, list] of byKind.entries()) process.stdout.write(`  ${names[i]}: median ${median(list).toFixed(2)} ms, p95 ${percentile(list, 95).toFixed(2)} ms\n`);
    process.stdout.write(`  all: p50 ${percentile(times, 50).toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms over ${RUNS} searches; ${hits} found something\n`);
    figure('registry-search', `p95 ${p95.toFixed(2)} ms over ${RUNS} name/USCC searches on ${ENTITIES} entities, PGlite — goal < ${GOAL_MS} ms: ${p95 < GOAL_MS ? 'met' : 'NOT met'}`);
    await fromCityNode(database, queries, actor, p95);
  } finally {
    await database.close();
    await engine.close();
  }
}

/** The same searches from a city node: each one a sealed request to the province over loopback. */
async function fromCityNode(database: Database, queries: string[], actor: Actor, localP95: number): Promise<void> {
  const dir = makeTempDir('registry-search');
  const provinceMaster = crypto.randomBytes(16);
  const cityMaster = crypto.randomBytes(16);
  const cityKeys = deriveKeys(cityMaster);
  const env = { GGZY_DATA_DIR: dir, GGZY_LOG_LEVEL: 'silent', GGZY_WEB_DIR: '.tmp/no-web' };
  const provinceConfig = loadConfig({ ...env, GGZY_MASTER_KEY: provinceMaster.toString('hex'), GGZY_FEDERATION_PEERS: `140100=${cityKeys.federationSm2.publicKey}` });
  const provinceDeps = makeDeps(provinceConfig, database);
  const app = await buildApp(provinceDeps, { logger: false });
  try {
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const cityConfig = loadConfig({ ...env, GGZY_NODE_ROLE: 'city', GGZY_REGION: '140100', GGZY_MASTER_KEY: cityMaster.toString('hex'), GGZY_FEDERATION_PEERS: `140000=${provinceDeps.keys.federationSm2.publicKey}@${url}` });
    const cityDeps = { ...provinceDeps, config: cityConfig, keys: cityKeys };
    for (const q of queries.slice(0, 30)) await registryList(cityDeps, actor, { q, page: 1, pageSize: 20 });
    const times: number[] = [];
    for (const q of queries) {
      const t = performance.now();
      await registryList(cityDeps, actor, { q, page: 1, pageSize: 20 });
      times.push(performance.now() - t);
    }
    const p95 = percentile(times, 95);
    process.stdout.write(`  from a city node (federation over loopback): p50 ${percentile(times, 50).toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms; ${(p95 / localP95).toFixed(2)} × the local p95\n`);
    figure('registry-search-city', `p95 ${p95.toFixed(2)} ms over ${queries.length} searches from a city node through the federation (local ${localP95.toFixed(2)} ms) — goal < ${GOAL_MS} ms: ${p95 < GOAL_MS ? 'met' : 'NOT met'}`);
  } finally {
    await app.close();
    await provinceDeps.licenceReader.close();
    removeTempDir(dir);
  }
}

runMain(main);
