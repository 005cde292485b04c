// The `ggzy` command line as an operator runs it: migrate (twice), seed, create an
// administrator, verify the audit chain, and catch tampering.

import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../src/platform/db/database.ts';

const run = promisify(execFile);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ggzy-cli-'));
let env: Record<string, string>;
let serverDb: string | undefined;
const info = inject('testDb');

async function ggzy(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, ['bin/ggzy.js', ...args], { env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

async function openSame(): Promise<Database> {
  return env.DATABASE_URL ? openDatabase({ url: env.DATABASE_URL, maxConnections: 1 }) : openDatabase({ dataDir });
}

beforeAll(async () => {
  env = { GGZY_DATA_DIR: dataDir, GGZY_LOG_LEVEL: 'silent', DATABASE_URL: '' };
  if (info.kind === 'postgres') {
    serverDb = `ggzy_cli_${crypto.randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: info.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${serverDb}`);
    await admin.end();
    const url = new URL(info.url);
    url.pathname = `/${serverDb}`;
    env.DATABASE_URL = url.toString();
  }
});

afterAll(async () => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (serverDb && info.kind === 'postgres') {
    const admin = new pg.Client({ connectionString: info.url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${serverDb}`);
    await admin.end();
  }
});

describe('ggzy CLI', () => {
  it('stops on a wrong configuration value, naming the variable', async () => {
    const r = await run(process.execPath, ['bin/ggzy.js', 'migrate'], { env: { ...process.env, ...env, GGZY_NODE_ROLE: 'county' } }).catch((e: { code: number; stderr: string }) => e);
    expect(r).toMatchObject({ code: 78 });
    expect((r as { stderr: string }).stderr).toContain('GGZY_NODE_ROLE');
  });

  it('migrates, and a second run changes nothing', async () => {
    const first = await ggzy('migrate');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('已执行迁移');
    const second = await ggzy('migrate');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('数据库已是最新');
  });

  // Several CLI processes, each starting the platform (demo seeding writes credit records, fourteen
  // argon2 accounts and six tender deals run through the trading steps): over two minutes on a
  // loaded 2-core machine.
  it('creates an administrator, seeds demo data, and verifies the audit chain', async () => {
    const weak = await ggzy('user', 'create-admin', '--username', 'root1', '--password', 'weak');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('密码不符合安全策略');
    const admin = await ggzy('user', 'create-admin', '--username', 'root1', '--password', 'Root@2026pass', '--role', 'security');
    expect(admin.code).toBe(0);
    const seed = await ggzy('seed', '--demo');
    expect(seed.code).toBe(0);
    expect(seed.stdout).toContain('sysadmin');
    const ok = await ggzy('audit', 'verify');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('审计链完整');
  }, 300_000);

  it('reports the first broken link after tampering', async () => {
    const database = await openSame();
    let victim: number;
    try {
      victim = (await database.db.selectFrom('audit.audit_log').select('seq').where('action', '=', 'identity.account.create').orderBy('seq').executeTakeFirstOrThrow()).seq;
      await sql`ALTER TABLE audit.audit_log DISABLE TRIGGER audit_log_append_only`.execute(database.db);
      await sql`UPDATE audit.audit_log SET detail = '{"username":"forged"}'::jsonb WHERE seq = ${victim}`.execute(database.db);
      await sql`ALTER TABLE audit.audit_log ENABLE TRIGGER audit_log_append_only`.execute(database.db);
    } finally {
      await database.close();
    }
    const broken = await ggzy('audit', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`第 ${victim} 条`);
    expect(broken.stderr).toContain('哈希不符');
  });
});
