// Figure: the participation check ("may subject S take part in category C in region R at instant
// T?") over a credit library of 100,000 records. Goal: p95 < 5 ms on PGlite.
//
// The records are seeded through the repository's bulk insert (not HTTP): 20,000 subjects (~10%
// persons, looked up by ID number through the blind index), every type, ~60% adverse records of
// which half carry a ban of 1–3 years over one category or all, in a county or the whole
// province, ~10% revoked or repaired. ANALYZE follows the load, as autovacuum would on a server.
// Each request is one call of the service function checkParticipation — what every procedure
// calls — for a random subject (90% with records), category, county and instant in 2023–2027.
// Then the same checks from a city node, whose library is the province's: the province serves
// this database on loopback HTTP and each check is one sealed request (credit.participation);
// every verdict must equal the local one. Its p95 is printed beside the local one.
//
//   tsx bench/credit-check.ts [--records 100000] [--runs 1000]

import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { deriveKeys } from '../src/platform/crypto/keys.ts';
import { createPglite, openDatabase } from '../src/platform/db/database.ts';
import { loadRegionTree } from '../src/modules/org/org.regions.ts';
import { loadCategories } from '../src/modules/credit/credit.categories.ts';
import { buildRecords, idNumberFor, seededRandom, usccFor } from '../src/modules/credit/credit.fixtures.ts';
import * as repo from '../src/modules/credit/credit.repository.ts';
import { checkParticipation, type ParticipationQuery } from '../src/modules/credit/credit.service.ts';
import { buildApp } from '../src/app.ts';
import { makeDeps, prepareDatabase } from '../src/bootstrap.ts';
import type { Keys } from '../src/platform/crypto/keys.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { Database } from '../src/platform/db/database.ts';
import { participationOf, type SubjectKey } from '../src/modules/credit/credit.province.ts';
import { figure, makeTempDir, removeTempDir, runMain } from './lib.ts';

const { values: opts } = parseArgs({ options: { records: { type: 'string', default: '100000' }, runs: { type: 'string', default: '1000' } }, strict: true });
const RECORDS = Number(opts.records);
const RUNS = Number(opts.runs);
const SUBJECTS = 20_000;
const GOAL_MS = 5;

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function main(): Promise<void> {
  const engine = await createPglite();
  const database = await openDatabase({ pglite: engine });
  try {
    await prepareDatabase(database.db);
    const keys = deriveKeys(crypto.randomBytes(16));
    const deps = { db: database.db, keys };
    const counties = loadRegionTree().regions.filter((r) => r.level === 3).map((r) => r.code);
    const t0 = performance.now();
    const rows = buildRecords(keys.master, { count: RECORDS, seed: 2026, subjects: SUBJECTS, regions: counties, createdBy: null, now: new Date() });
    const t1 = performance.now();
    await database.db.transaction().execute((trx) => repo.insertRecordsBulk(trx, rows));
    await sql`ANALYZE credit.records`.execute(database.db);
    const t2 = performance.now();
    const bans = rows.filter((r) => r.ban_from !== null).length;
    process.stdout.write(`credit-check: PGlite (in memory); ${RECORDS} records (${bans} bans) of ${SUBJECTS} subjects; rows built in ${Math.round(t1 - t0)} ms, inserted + analysed in ${Math.round(t2 - t1)} ms\n`);

    const rnd = seededRandom(7);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
    const categories = loadCategories().categories.map((c) => c.code);
    const list: ParticipationQuery[] = Array.from({ length: RUNS }, () => {
      const s = Math.floor(rnd() * SUBJECTS * 1.1);
      const subject = s % 10 === 9 ? { idNumber: idNumberFor(s) } : { uscc: usccFor(s) };
      return { subject, category: pick(categories), regionCode: pick(counties), at: new Date(Date.UTC(2023, 0, 1) + Math.floor(rnd() * 1800) * 86_400_000 + Math.floor(rnd() * 86_400_000)) };
    });
    const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT id FROM credit.records WHERE subject_key = ${usccFor(1)} AND ban_from IS NOT NULL AND status IN ('effective', 'under_objection') AND ban_to >= '2025-06-01' AND ban_from <= '2025-06-01'`.execute(database.db);
    process.stdout.write(`  plan: ${plan.rows.map((r) => r['QUERY PLAN'].trim()).join(' | ')}\n`);

    for (const q of list.slice(0, 50)) await checkParticipation(deps, q);
    const times: number[] = [];
    let blocked = 0;
    for (const q of list) {
      const t = performance.now();
      const r = await checkParticipation(deps, q);
      times.push(performance.now() - t);
      if (!r.allowed) blocked++;
    }
    const p95 = percentile(times, 95);
    process.stdout.write(`  p50 ${percentile(times, 50).toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms over ${RUNS} checks; ${blocked} blocked\n`);
    figure('credit-check', `p95 ${p95.toFixed(2)} ms over ${RUNS} participation checks on ${RECORDS} records, PGlite — goal < ${GOAL_MS} ms: ${p95 < GOAL_MS ? 'met' : 'NOT met'}`);
    await fromCityNode(database, keys, list, p95);
  } finally {
    await database.close();
    await engine.close();
  }
}

/** The same checks from a city node: each one a sealed request to the province over loopback. */
async function fromCityNode(database: Database, keys: Keys, list: ParticipationQuery[], localP95: number): Promise<void> {
  const dir = makeTempDir('credit-check');
  const cityMaster = crypto.randomBytes(16);
  const cityKeys = deriveKeys(cityMaster);
  const env = { GGZY_DATA_DIR: dir, GGZY_LOG_LEVEL: 'silent', GGZY_WEB_DIR: '.tmp/no-web' };
  const provinceDeps = { ...makeDeps(loadConfig({ ...env, GGZY_FEDERATION_PEERS: `140100=${cityKeys.federationSm2.publicKey}` }), database), keys };
  const app = await buildApp(provinceDeps, { logger: false });
  try {
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const cityConfig = loadConfig({ ...env, GGZY_NODE_ROLE: 'city', GGZY_REGION: '140100', GGZY_FEDERATION_PEERS: `140000=${keys.federationSm2.publicKey}@${url}` });
    const cityDeps = { ...provinceDeps, config: cityConfig, keys: cityKeys };
    const ask = (q: ParticipationQuery) => participationOf(cityDeps, cityDeps.db, q.subject as SubjectKey, { category: q.category, regionCode: q.regionCode, at: q.at });
    for (const q of list.slice(0, 50)) await ask(q);
    const times: number[] = [];
    let differing = 0;
    for (const q of list) {
      const t = performance.now();
      const r = await ask(q);
      times.push(performance.now() - t);
      if (JSON.stringify(r) !== JSON.stringify(await checkParticipation(provinceDeps, q))) differing++;
    }
    if (differing > 0) throw new Error(`${differing} verdicts from the city differ from the province's`);
    const p95 = percentile(times, 95);
    process.stdout.write(`  from a city node (federation over loopback): p50 ${percentile(times, 50).toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms; ${(p95 / localP95).toFixed(2)} × the local p95; every verdict equal to the local one\n`);
    figure('credit-check-city', `p95 ${p95.toFixed(2)} ms over ${list.length} participation checks from a city node through the federation (local ${localP95.toFixed(2)} ms)`);
  } finally {
    await app.close();
    await provinceDeps.licenceReader.close();
    removeTempDir(dir);
  }
}

runMain(main);
