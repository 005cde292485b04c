// Crash test of the bid box: a real server (`ggzy serve`, its own data directory) takes 50
// uploads over real HTTP, is killed with SIGKILL in the middle, and restarts. Afterwards every
// bid that got a receipt is intact (file present, digest matching, row received), and so is one
// that committed just before the kill while its answer was lost with the connection; every other
// one is absent or marked incomplete, no file under a digest name is half-written, and the
// temporary files are gone.

import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { makeDeps, prepareDatabase } from '../src/bootstrap.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createPglite, openDatabase, type Database } from '../src/platform/db/database.ts';
import { bidderWithKeys, sealedBid, sealsHeader, type TestBidder } from '../src/modules/trading/trading.bids.test-support.ts';
import { biddingLot, recordDownload, type LotFixture } from '../src/modules/trading/trading.test-support.ts';
import { verifyReceipt } from '../src/modules/trading/trading.bids.rules.ts';
import type { Harness } from './support/harness.ts';

const info = inject('testDb');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ggzy-crash-'));
const masterKey = crypto.randomBytes(16).toString('hex');
let env: Record<string, string>;
let serverDb: string | undefined;
let port: number;
let lots: LotFixture[] = [];
let bidders: TestBidder[] = [];
let platformKey: string;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function openSame(): Promise<Database> {
  return env.DATABASE_URL ? openDatabase({ url: env.DATABASE_URL, maxConnections: 1 }) : openDatabase({ dataDir });
}

function startServer(): { child: ChildProcess; ready: Promise<void>; exited: Promise<void> } {
  const child = spawn(process.execPath, ['bin/ggzy.js', 'serve'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const ready = (async () => {
    const until = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited:\n${out}`);
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false);
      if (ok) return;
      if (Date.now() > until) throw new Error(`server not ready:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return { child, ready, exited };
}

/** PUT over a real socket, the body written in 64 KB pieces a few ms apart (so the kill lands mid-upload). */
function slowUpload(token: string, lotId: string, envelope: Buffer, seals: string): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'PUT', path: `/api/v1/trading/lots/${lotId}/bids/mine`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': envelope.length, 'x-bid-seals': seals } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', (e) => resolve({ error: e.message }));
    });
    req.on('error', (e) => resolve({ error: e.message }));
    let offset = 0;
    const step = (): void => {
      if (offset >= envelope.length) {
        req.end();
        return;
      }
      req.write(envelope.subarray(offset, offset + 65_536));
      offset += 65_536;
      setTimeout(step, 3);
    };
    step();
  });
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

beforeAll(async () => {
  port = await freePort();
  env = { GGZY_DATA_DIR: dataDir, GGZY_LOG_LEVEL: 'silent', GGZY_PORT: String(port), GGZY_MASTER_KEY: masterKey, GGZY_WEB_DIR: '.tmp/no-web', GGZY_AUTH_RATE_LIMIT: '10000', DATABASE_URL: '' };
  // The database starts as a copy of the run's migrated template, in the server's own place.
  let database: Database;
  if (info.kind === 'pglite') {
    const engine = await createPglite(path.join(dataDir, 'pglite'), { loadDataDir: new Blob([fs.readFileSync(info.dumpPath)]) });
    const opened = await openDatabase({ pglite: engine });
    database = { ...opened, close: async () => { await opened.close(); await engine.close(); } };
  } else {
    serverDb = `ggzy_crash_${crypto.randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: info.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${serverDb} TEMPLATE ${info.template}`);
    await admin.end();
    const url = new URL(info.url);
    url.pathname = `/${serverDb}`;
    env.DATABASE_URL = url.toString();
    database = await openDatabase({ url: env.DATABASE_URL, maxConnections: 2 });
  }
  await prepareDatabase(database.db);
  const clock = new ManualClock(Date.now());
  const config = loadConfig(env);
  const deps = { ...makeDeps(config, database, clock) };
  const app = await buildApp(deps, { logger: false });
  await app.ready();
  const h = { app, deps, clock, database, close: async () => undefined } as unknown as Harness;
  const deadline = new Date(Date.now() + 86_400_000);
  for (let i = 0; i < 5; i++) lots.push(await biddingLot(h, 100 + i, { bidDeadline: deadline }));
  for (let i = 0; i < 10; i++) bidders.push(await bidderWithKeys(h, 200 + i, 1));
  for (const lot of lots) for (const b of bidders) await recordDownload(h, lot, b.entityId);
  platformKey = deps.keys.platformSm2.publicKey;
  await app.close();
  await database.close();
}, 120_000);

afterAll(async () => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (serverDb && info.kind === 'postgres') {
    const admin = new pg.Client({ connectionString: info.url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${serverDb} WITH (FORCE)`);
    await admin.end();
  }
  lots = [];
  bidders = [];
});

describe('bid intake survives a crash', () => {
  it('keeps every receipted bid intact and nothing half-written', async () => {
    const first = startServer();
    await first.ready;
    // 10 bidders × 5 lots, 1–4 MB each, each sealed with its own file key.
    const prepared = await Promise.all(
      bidders.flatMap((bidder) =>
        lots.map(async (lot) => {
          const s = await sealedBid(bidder.keys, crypto.randomBytes(1024 * 1024 + crypto.randomInt(3 * 1024 * 1024)));
          return { bidder, lot, envelope: s.envelope, seals: sealsHeader(s.seals) };
        }),
      ),
    );

    let receipts = 0;
    let killed = false;
    const results = await Promise.all(
      prepared.map(async (j) => {
        const r = await slowUpload(j.bidder.token, j.lot.lotId, j.envelope, j.seals);
        if ('status' in r && r.status === 201) {
          receipts += 1;
          if (receipts >= 10 && !killed) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        }
        return { ...j, result: r };
      }),
    );
    if (!killed) first.child.kill('SIGKILL');
    await first.exited;
    const got = results.filter((r) => 'status' in r.result && r.result.status === 201);
    const refusedOther = results.filter((r) => 'status' in r.result && r.result.status !== 201);
    expect(refusedOther.map((r) => (r.result as { body: string }).body)).toEqual([]);
    expect(got.length).toBeGreaterThanOrEqual(10);
    expect(got.length).toBeLessThan(50);

    // What the crash left: a planted stray temp file too, so the sweep is seen to work.
    const tmp = path.join(dataDir, 'blobs', 'tmp');
    fs.mkdirSync(tmp, { recursive: true });
    fs.writeFileSync(path.join(tmp, 'stray.tmp'), 'half');

    const second = startServer();
    await second.ready;
    expect(walk(tmp)).toEqual([]);
    // Every file under a digest name holds exactly those bytes.
    for (const file of walk(path.join(dataDir, 'blobs'))) {
      expect(crypto.createHash('sm3').update(fs.readFileSync(file)).digest('hex'), file).toBe(path.basename(file));
    }
    // The receipted bids are visible to their bidders after the restart.
    for (const r of got) {
      const body = JSON.parse((r.result as { body: string }).body) as { receipt: { bidId: string; sm3: string; size: number } & Record<string, unknown>; signature: string };
      expect(verifyReceipt(body.receipt, body.signature, platformKey)).toBe(true);
      const mine = await fetch(`http://127.0.0.1:${port}/api/v1/trading/lots/${r.lot.lotId}/bids/mine`, { headers: { authorization: `Bearer ${r.bidder.token}` } }).then((x) => x.json() as Promise<{ bid: { id: string; status: string } | null }>);
      expect(mine.bid).toMatchObject({ id: body.receipt.bidId, status: 'received' });
    }
    second.child.kill('SIGTERM');
    await second.exited;

    const database = await openSame();
    try {
      const rows = await database.db.selectFrom('trading.bids').selectAll().execute();
      const receipted = new Map(got.map((r) => [(JSON.parse((r.result as { body: string }).body) as { receipt: { bidId: string; sm3: string; size: number } }).receipt.bidId, r]));
      // Uploads whose connection the kill cut: one of them may have committed just before, its
      // receipt lost on the way. Such a bid is kept whole (the bidder sees it on 我的投标), never half.
      const cut = new Map(results.filter((r) => 'error' in r.result).map((r) => [`${r.bidder.entityId}|${r.lot.lotId}`, r]));
      for (const row of rows) {
        const committed = receipted.get(row.id) ?? (row.status === 'received' ? cut.get(`${row.bidder_entity_id}|${row.lot_id}`) : undefined);
        if (committed) {
          expect(row.status).toBe('received');
          expect(row.blob_digest).toBe(crypto.createHash('sm3').update(committed.envelope).digest('hex'));
          expect(fs.readFileSync(path.join(dataDir, 'blobs', row.blob_digest!.slice(0, 2), row.blob_digest!.slice(2, 4), row.blob_digest!)).equals(committed.envelope)).toBe(true);
        } else {
          expect(row.status, `bid ${row.id}`).toBe('incomplete');
          expect(['crashed', 'interrupted']).toContain(row.failure_reason);
        }
      }
      const received = rows.filter((r) => r.status === 'received').length;
      expect(received).toBeGreaterThanOrEqual(got.length);
      expect(received - got.length).toBeLessThanOrEqual(cut.size);
      // The uploads in flight at the kill were marked by the restarted node, not left 'uploading'.
      expect(rows.filter((r) => r.failure_reason === 'crashed').length).toBeGreaterThan(0);
      expect(rows.filter((r) => r.status === 'uploading')).toEqual([]);
    } finally {
      await database.close();
    }
  }, 300_000);
});
