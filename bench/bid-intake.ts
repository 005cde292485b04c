// Bid intake throughput and opening time. Goal: intake ≥ 50% of the raw disk write speed.
//
// 1. Raw disk speed, in the same run and on the same file system, written the way the server
//    writes bids: as many files as bids, each the size of an envelope, in writes of the server's
//    batch size (BATCH_BYTES, 1 MB), each file fsynced, CONCURRENCY files at a time. (Until
//    2026-12 it was one file the size of all bids with a single fsync at the end: a pattern the
//    server never has, and it varied more between runs. It is still printed, for comparison.)
// 2. 200 bids × 20 MB (10 lots × 20 bidders), 50 uploads at a time, over loopback HTTP to a real
//    `ggzy serve`; MB/s of envelope bytes from the first request to the last receipt, and the
//    ratio to the raw speed. Every receipt's SM2 signature is verified against the platform key.
//    The bench process holds 10 distinct 20 MB envelopes (each under its own file key) and
//    cycles them, so it does not need 4 GB of memory; every upload still streams, digests,
//    writes and fsyncs its full 20 MB on the server.
// 3. The opening, in-process with the server stopped, on the deal's clock just past the deadline:
//    closeBidding opens every lot for decryption; all 200 bids are decrypted with decryptBid
//    (commitment check, SM4-CTR, tag, plaintext stored under its SM3), two at a time; then
//    endDecryption publishes each lot's opening record (every package read and checked, the
//    record signed as a PDF, the notice and the deal events written). Each envelope holds a real
//    bid package (开标一览表 + a 20 MB file), so the record lists every bid with its price.
//
// Before the timed run, --warmup uploads of 1 MB (default 10, not counted; the timed bids replace
// them) bring the server to the state of one that has been running: PGlite's WebAssembly tiered
// up, the route's code optimised. Without it the first seconds are compile time, not intake.
// The server runs on PGlite (the default installation) unless --postgres URL names a PostgreSQL
// server (the production setting): a database is created there for the run and dropped after.
//
//   tsx bench/bid-intake.ts [--bids 200] [--mb 20] [--concurrency 50] [--warmup 10]
//                           [--postgres postgres://postgres@127.0.0.1:5432/test] [--skip-opening]
//                           [--compare-openssl]
//   (--compare-openssl: first the same intake on a server digesting with OpenSSL's SM3 instead of
//   the multi-buffer addon, GGZY_SM3_LANES=off, so the two ratios come from one run and one raw
//   measurement.)
//   (--skip-opening: intake only, while iterating; BID_INTAKE_SERVER_NODE_ARGS="--cpu-prof
//   --cpu-prof-dir=DIR" profiles the server's threads; BID_INTAKE_THREADS=1 prints the CPU time
//   of each of the server's threads.)

import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { makeDeps, prepareDatabase } from '../src/bootstrap.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openDatabase, type Database } from '../src/platform/db/database.ts';
import { generateFileKey, sealBuffer, sealFileKey } from '../src/modules/trading/bid-envelope.ts';
import { bidderWithKeys, sealsHeader, type TestBidder } from '../src/modules/trading/trading.bids.test-support.ts';
import { biddingLot, recordDownload, type LotFixture } from '../src/modules/trading/trading.test-support.ts';
import { verifyReceipt } from '../src/modules/trading/trading.bids.rules.ts';
import { sm3Lanes } from '../src/platform/crypto/sm3-lanes.ts';
import { BATCH_BYTES } from '../src/platform/files/blob-write-pool.ts';
import { decryptBid } from '../src/modules/trading/trading.bids.opening.ts';
import { closeBidding, endDecryption } from '../src/modules/trading/trading.opening.ts';
import { buildBidPackage } from '../web/src/crypto/bid-package.ts';
import type { Harness } from '../test/support/harness.ts';
import { figure, freePort, GGZY_BIN, makeTempDir, runMain, secs, startChild, startGgzy, waitFor200 } from './lib.ts';

const { values: opts } = parseArgs({ options: { bids: { type: 'string', default: '200' }, mb: { type: 'string', default: '20' }, concurrency: { type: 'string', default: '50' }, 'skip-opening': { type: 'boolean', default: false }, warmup: { type: 'string', default: '10' }, postgres: { type: 'string' }, 'compare-openssl': { type: 'boolean', default: false } }, strict: true });
const BIDS = Number(opts.bids);
const MB = Number(opts.mb);
const CONCURRENCY = Number(opts.concurrency);
const WARMUP = Number(opts.warmup);
const LOTS = 10;
const BIDDERS = Math.ceil(BIDS / LOTS);
const DISTINCT = 10;
const MiB = 1024 * 1024;
// The lots' deadline: a day ahead, so every upload is in time; the opening runs on its clock.
const DEADLINE = new Date(Math.ceil((Date.now() + 86_400_000) / 60_000) * 60_000);

/** MB/s of writing `files` files of `fileBytes` each (BATCH_BYTES writes, fsync per file), `concurrency` at a time. */
async function rawDiskSpeed(dir: string, files: number, fileBytes: number, concurrency: number): Promise<number> {
  const block = crypto.randomBytes(BATCH_BYTES);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, files) }, async () => {
      while (next < files) {
        const file = path.join(dir, `raw-disk-${next++}.bin`);
        const fh = await fs.promises.open(file, 'wx', 0o600);
        try {
          for (let at = 0; at < fileBytes; at += BATCH_BYTES) await fh.write(block, 0, Math.min(BATCH_BYTES, fileBytes - at), at);
          await fh.sync();
        } finally {
          await fh.close();
        }
      }
    }),
  );
  const s = (performance.now() - t0) / 1000;
  for (let i = 0; i < files; i++) fs.rmSync(path.join(dir, `raw-disk-${i}.bin`), { force: true });
  return (files * fileBytes) / MiB / s;
}

/** The former measurement: one file of `bytes`, 1 MB writes, one fsync at the end. */
function rawDiskSpeedOneFile(dir: string, bytes: number): number {
  const file = path.join(dir, 'raw-disk.bin');
  const block = crypto.randomBytes(MiB);
  const t0 = performance.now();
  const fd = fs.openSync(file, 'w');
  for (let written = 0; written < bytes; written += MiB) fs.writeSync(fd, block);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  const s = (performance.now() - t0) / 1000;
  fs.rmSync(file);
  return bytes / MiB / s;
}

/** User and system CPU time (ms) of a process so far, from /proc (Linux); undefined elsewhere. */
function procCpu(pid: number | undefined): { user: number; sys: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: (Number(fields[11]) * 1000) / 100, sys: (Number(fields[12]) * 1000) / 100 };
  } catch {
    return undefined;
  }
}

function put(port: number, token: string, lotId: string, body: Buffer, seals: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'PUT', path: `/api/v1/trading/lots/${lotId}/bids/mine`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': body.length, 'x-bid-seals': seals } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const dataDir = makeTempDir('bid-intake');
  const port = await freePort();
  const pgDb = opts.postgres ? await createServerDatabase(opts.postgres) : undefined;
  const env = { GGZY_DATA_DIR: dataDir, GGZY_PORT: String(port), GGZY_HOST: '127.0.0.1', GGZY_LOG_LEVEL: 'warn', GGZY_MASTER_KEY: crypto.randomBytes(16).toString('hex'), GGZY_WEB_DIR: '.tmp/no-web', GGZY_AUTH_RATE_LIMIT: '100000', DATABASE_URL: pgDb?.url ?? '' };
  const open = (): Promise<Database> => (pgDb ? openDatabase({ url: pgDb.url, maxConnections: 4 }) : openDatabase({ dataDir }));
  try {
    await run(dataDir, port, env, open, pgDb ? 'PostgreSQL server' : 'PGlite');
  } finally {
    await pgDb?.drop();
  }
}

/** A database of its own on a PostgreSQL server, dropped after the run. */
async function createServerDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `ggzy_bid_intake_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function run(dataDir: string, port: number, env: Record<string, string>, open: () => Promise<Database>, dbLabel: string): Promise<void> {
  // Setup in-process on the server's database: lots and bidders with a sealing key each.
  const t0 = performance.now();
  let database = await open();
  await prepareDatabase(database.db);
  const clock = new ManualClock(Date.now());
  const deps = makeDeps(loadConfig(env), database, clock);
  const app = await buildApp(deps, { logger: false });
  await app.ready();
  const h = { app, deps, clock, database } as unknown as Harness;
  const lots: LotFixture[] = [];
  const bidders: TestBidder[] = [];
  for (let i = 0; i < LOTS; i++) lots.push(await biddingLot(h, 500 + i, { bidDeadline: DEADLINE, decryptionMinutes: 240 }));
  for (let i = 0; i < BIDDERS; i++) bidders.push(await bidderWithKeys(h, 600 + i, 1));
  for (const lot of lots) for (const b of bidders) await recordDownload(h, lot, b.entityId);
  await app.close();
  await database.close();
  process.stdout.write(`bid-intake: setup ${secs(performance.now() - t0)} (${LOTS} lots, ${BIDDERS} bidders; database: ${dbLabel})\n`);

  const keys = Array.from({ length: DISTINCT }, () => generateFileKey());
  // A bid package of MB in all: the opening form and one file filling the rest.
  const packageOf = (k: number) => buildBidPackage({ priceFen: 1_000_000_000 - k * 1_000_00, durationDays: 300, qualityStandard: '合格', projectManager: `项目经理${k + 1}` }, [{ name: '投标文件.pdf', mediaType: 'application/pdf', bytes: crypto.randomBytes(MB * MiB - 4096) }], { name: 'ggzy-bench', version: '1' }, new Date());
  const envelopes = await Promise.all(keys.map((k, i) => sealBuffer(k, packageOf(i))));

  const totalBytes = BIDS * MB * MiB;
  const raw = await rawDiskSpeed(dataDir, BIDS, envelopes[0]!.length, CONCURRENCY);
  const rawOneFile = rawDiskSpeedOneFile(dataDir, totalBytes);
  process.stdout.write(`bid-intake: raw disk write + fsync of ${BIDS} files of ${MB} MB, ${BATCH_BYTES / MiB} MB writes, ${CONCURRENCY} at a time (as the server writes bids): ${raw.toFixed(0)} MB/s; one ${(totalBytes / MiB).toFixed(0)} MB file, one fsync (the former measure): ${rawOneFile.toFixed(0)} MB/s\n`);
  const jobs = Array.from({ length: BIDS }, (_, i) => {
    const bidder = bidders[Math.floor(i / LOTS)]!;
    const k = i % DISTINCT;
    return { bidder, lot: lots[i % LOTS]!, k, envelope: envelopes[k]!, seals: sealsHeader([{ sealingKeyId: bidder.keys[0]!.id, sealedKey: sealFileKey(keys[k]!, bidder.keys[0]!.publicKey) }]) };
  });

  const warmupEnvelope = await sealBuffer(keys[0]!, crypto.randomBytes(MiB));
  // --compare-openssl: first the same intake with OpenSSL's SM3 (GGZY_SM3_LANES=off), for a paired ratio.
  const before = opts['compare-openssl'] ? await intakeOnce({ ...env, GGZY_SM3_LANES: 'off' }, port, jobs, warmupEnvelope) : undefined;
  if (before) process.stdout.write(`bid-intake: ratio ${(before.intake / raw).toFixed(2)} to the raw speed with OpenSSL's SM3\n`);
  const { intake, receipts } = await intakeOnce(env, port, jobs, warmupEnvelope);
  const envelopeBytes = jobs.reduce((n, j) => n + j.envelope.length, 0);
  const ratio = intake / raw;
  const paired = before ? `; with OpenSSL's SM3 in the same run ${(before.intake / raw).toFixed(2)}` : '';
  process.stdout.write(`bid-intake: ratio ${ratio.toFixed(2)} to the raw speed as the server writes, ${(intake / rawOneFile).toFixed(2)} to the former one-file measure\n`);
  if (opts['skip-opening']) {
    figure('bid-intake', `intake (${dbLabel}, SM3 ${sm3Lanes().name}) ${intake.toFixed(0)} MB/s = ${ratio.toFixed(2)} × raw disk ${raw.toFixed(0)} MB/s${paired}; opening skipped — goal ratio ≥ 0.50: ${ratio >= 0.5 ? 'met' : 'not met'}`);
    return;
  }

  // The opening, in-process on the same data directory, on the deal's clock past the deadline.
  database = await open();
  const openDeps = makeDeps(loadConfig(env), database);
  const at = (seconds: number) => new Date(DEADLINE.getTime() + seconds * 1000);
  const t2 = performance.now();
  for (const lot of lots) if ((await closeBidding(openDeps, lot.projectId, at(1))) !== 'closed') throw new Error(`lot ${lot.lotId} did not open`);
  const startSeconds = (performance.now() - t2) / 1000;
  const t3 = performance.now();
  let i = 0;
  const outcomes: string[] = [];
  await Promise.all(
    [0, 1].map(async () => {
      while (i < receipts.length) {
        const r = receipts[i++]!;
        outcomes.push((await decryptBid(openDeps, r.bidId, keys[r.k]!, at(60))).outcome);
      }
    }),
  );
  const decryptSeconds = (performance.now() - t3) / 1000;
  const decrypted = outcomes.filter((o) => o === 'decrypted').length;
  if (decrypted !== receipts.length) throw new Error(`only ${decrypted} of ${receipts.length} bids decrypted: ${[...new Set(outcomes)].join(', ')}`);
  const t4 = performance.now();
  for (const lot of lots) if ((await endDecryption(openDeps, lot.lotId, at(120))) !== 'ended') throw new Error(`the opening of lot ${lot.lotId} did not end`);
  const publishSeconds = (performance.now() - t4) / 1000;
  // Every lot published a signed record listing all its bids, decrypted, with a price.
  const openings = await database.db.selectFrom('trading.openings').select(['lot_id', 'record', 'signature']).execute();
  const listed = openings.flatMap((o) => (o.record as { bids: { outcome: string; priceFen: number | null }[] } | null)?.bids ?? []);
  if (openings.some((o) => o.signature === null) || listed.length !== receipts.length || listed.some((b) => b.outcome !== 'decrypted' || b.priceFen === null)) throw new Error(`opening records incomplete: ${listed.length} bids listed of ${receipts.length}`);
  await database.close();
  const openingSeconds = startSeconds + decryptSeconds + publishSeconds;
  process.stdout.write(
    `bid-intake: opening ${receipts.length} bids in ${LOTS} lots: start ${secs(startSeconds * 1000)}; decrypt (commitment, SM4-CTR, tag, plaintext stored) ${secs(decryptSeconds * 1000)}, ${(envelopeBytes / MiB / decryptSeconds).toFixed(0)} MB/s; publish (packages read and checked, signed records) ${secs(publishSeconds * 1000)}\n`,
  );

  figure('bid-intake', `intake (${dbLabel}, SM3 ${sm3Lanes().name}) ${intake.toFixed(0)} MB/s = ${ratio.toFixed(2)} × raw disk ${raw.toFixed(0)} MB/s${paired}; opening ${receipts.length} bids (decrypt + publish) ${secs(openingSeconds * 1000)} — goal ratio ≥ 0.50: ${ratio >= 0.5 ? 'met' : 'not met'}`);
}

interface Job {
  bidder: TestBidder;
  lot: LotFixture;
  /** Which of the DISTINCT envelopes. */
  k: number;
  envelope: Buffer;
  seals: string;
}

interface Receipt {
  bidId: string;
  k: number;
  receipt: Record<string, unknown>;
  signature: string;
}

/** One timed intake of every job on a fresh `ggzy serve` (`env` may set GGZY_SM3_LANES); the server is stopped after. */
async function intakeOnce(env: Record<string, string>, port: number, jobs: Job[], warmupEnvelope: Buffer): Promise<{ intake: number; receipts: Receipt[] }> {
  // BID_INTAKE_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server only.
  const nodeArgs = process.env.BID_INTAKE_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const server = nodeArgs.length ? startChild(process.execPath, [...nodeArgs, GGZY_BIN, 'serve'], env) : startGgzy(['serve'], env);
  await waitFor200(`http://127.0.0.1:${port}/readyz`, server, 50, 120_000);
  const platformKey = ((await (await fetch(`http://127.0.0.1:${port}/api/v1/public/platform-key`)).json()) as { publicKey: string }).publicKey;
  if (WARMUP > 0) {
    const small = warmupEnvelope;
    await Promise.all(
      jobs.slice(0, WARMUP).map(async (j) => {
        const r = await put(port, j.bidder.token, j.lot.lotId, small, j.seals);
        if (r.status !== 201) throw new Error(`warm-up upload refused: ${r.status} ${r.body}`);
      }),
    );
  }
  const receipts: Receipt[] = [];
  let next = 0;
  const threads = (pid: number): Map<string, { user: number; sys: number }> => {
    if (!process.env.BID_INTAKE_THREADS) return new Map();
    const m = new Map<string, { user: number; sys: number }>();
    for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        const st = fs.readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
        const comm = `${st.slice(st.indexOf('(') + 1, st.lastIndexOf(')'))}:${t}`;
        const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
        m.set(comm, { user: Number(f[11]) * 10, sys: Number(f[12]) * 10 });
      } catch {
        // the thread ended
      }
    }
    return m;
  };
  const th0 = threads(server.process.pid!);
  const cpu0 = procCpu(server.process.pid);
  const client0 = process.cpuUsage();
  const t1 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < jobs.length) {
        const j = jobs[next++]!;
        const r = await put(port, j.bidder.token, j.lot.lotId, j.envelope, j.seals);
        if (r.status !== 201) throw new Error(`upload refused: ${r.status} ${r.body}`);
        const body = JSON.parse(r.body) as { receipt: Record<string, unknown> & { bidId: string }; signature: string };
        receipts.push({ bidId: body.receipt.bidId, k: j.k, receipt: body.receipt, signature: body.signature });
      }
    }),
  );
  const intakeSeconds = (performance.now() - t1) / 1000;
  const cpu1 = procCpu(server.process.pid);
  const th1 = threads(server.process.pid!);
  for (const [k, v] of th1) {
    const user = v.user - (th0.get(k)?.user ?? 0);
    const sys = v.sys - (th0.get(k)?.sys ?? 0);
    if (user + sys > 0) process.stdout.write(`  server thread ${k}${k.endsWith(`:${server.process.pid}`) ? ' (main)' : ''}: ${user} ms user + ${sys} ms system CPU\n`);
  }
  const client1 = process.cpuUsage(client0);
  // CPU the server used per second of intake: near 1.0 means one core was saturated (SM3 in-stream, HTTP parsing).
  const envelopeBytes = jobs.reduce((n, j) => n + j.envelope.length, 0);
  // CPU per MB hardly depends on what else the (shared) machine is doing; MB/s does.
  const perMb = (ms: number): string => (ms / (envelopeBytes / MiB)).toFixed(2);
  const cpuShare =
    cpu0 && cpu1
      ? `${((cpu1.user + cpu1.sys - cpu0.user - cpu0.sys) / 1000 / intakeSeconds).toFixed(2)} core(s) busy, ${perMb(cpu1.user - cpu0.user)} ms user + ${perMb(cpu1.sys - cpu0.sys)} ms system per MB`
      : 'n/a';
  const clientCpu = `${perMb(client1.user / 1000)} ms user + ${perMb(client1.system / 1000)} ms system per MB`;
  const intake = envelopeBytes / MiB / intakeSeconds;
  const bad = receipts.filter((r) => !verifyReceipt(r.receipt, r.signature, platformKey)).length;
  await server.stop();
  if (bad > 0) throw new Error(`${bad} receipts fail their signature`);
  const sm3 = withEnv(env, () => sm3Lanes().name);
  process.stdout.write(`bid-intake: ${BIDS} bids × ${MB} MB, ${CONCURRENCY} at a time, SM3 ${sm3}: ${secs(intakeSeconds * 1000)}, ${intake.toFixed(0)} MB/s; ${receipts.length} receipts, all signatures valid${WARMUP > 0 ? ` (after ${WARMUP} warm-up uploads of 1 MB, not counted)` : ''}; server CPU ${cpuShare}; bench client ${clientCpu}\n`);

  return { intake, receipts };
}

/** Runs `f` with `env` merged into process.env, then restores it. */
function withEnv<T>(env: Record<string, string>, f: () => T): T {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return f();
  } finally {
    for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

runMain(main);
