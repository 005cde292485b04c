// Figure 1: throughput of an authenticated GET /api/v1/auth/me against a bare Fastify route
// returning the same JSON, in the same run. Goal: ratio ≥ 0.50.
//
// The platform runs as `node bin/ggzy.js serve` (PGlite in a temp data dir, GGZY_LOG_LEVEL=warn)
// and the baseline as bench/bare-server.ts, each in its own process; autocannon drives them
// from this process, alternately, on 127.0.0.1. The platform's /healthz (every plugin and hook,
// no session, no database) is measured too, to split framework cost from session/query cost.
//
//   tsx bench/auth-me.ts [--rounds 3] [--duration 5] [--connections 10]

import { parseArgs } from 'node:util';
import autocannon, { type Result } from 'autocannon';
import { makeDeps, openConfiguredDatabase, prepareDatabase } from '../src/bootstrap.ts';
import { loadConfig } from '../src/platform/config.ts';
import { cliAuditContext, createAccountDirect } from '../src/modules/identity/identity.bootstrap.ts';
import { ensureOrganisation, rootOrganisationOf } from '../src/modules/org/org.bootstrap.ts';
import { cpuTimeMs, figure, freePort, makeTempDir, median, removeTempDir, ROOT, runMain, startChild, startGgzy, waitFor200, type Child } from './lib.ts';

const { values: opts } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, duration: { type: 'string', default: '5' }, connections: { type: 'string', default: '10' } },
  strict: true,
});
const ROUNDS = Number(opts.rounds);
const DURATION = Number(opts.duration);
const CONNECTIONS = Number(opts.connections);
const GOAL = 0.5;

const USERNAME = 'benchuser';
const PASSWORD = 'Bench@2026pass';

/** A migrated data dir holding the root organisation and one account without roles (no MFA). */
async function prepareDataDir(dataDir: string): Promise<void> {
  const config = loadConfig({ GGZY_DATA_DIR: dataDir, GGZY_LOG_LEVEL: 'warn' }, ROOT);
  const database = await openConfiguredDatabase(config);
  try {
    await prepareDatabase(database.db);
    const deps = makeDeps(config, database);
    const audit = cliAuditContext(deps.clock.now(), 'bench');
    const organisationId = await ensureOrganisation(deps, rootOrganisationOf(config.regionCode), audit);
    await createAccountDirect(deps, { username: USERNAME, displayName: '压测用户', password: PASSWORD, organisationId, roles: [], mustChangePassword: false }, audit);
  } finally {
    await database.close();
  }
}

async function login(base: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: USERNAME, password: PASSWORD, tokenType: 'bearer' }),
  });
  const body = (await res.json()) as { token?: string; stage?: string };
  if (res.status !== 200 || !body.token) throw new Error(`login failed: ${res.status} ${JSON.stringify(body)}`);
  if (body.stage !== 'active') throw new Error(`login ended at stage ${body.stage}, expected active`);
  return body.token;
}

interface Run {
  rps: number;
  p50: number;
  p99: number;
  /** Server CPU time per request (µs), when /proc is there. */
  cpuUs: number | undefined;
}

async function load(server: Child, url: string, headers: Record<string, string>): Promise<Run> {
  const cpu0 = cpuTimeMs(server.process.pid);
  const r: Result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  const cpu1 = cpuTimeMs(server.process.pid);
  if (r.errors > 0 || r.timeouts > 0 || r.non2xx > 0) {
    throw new Error(`load on ${url}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx (${JSON.stringify(r.statusCodeStats)})`);
  }
  const cpuUs = cpu0 !== undefined && cpu1 !== undefined && r['2xx'] > 0 ? ((cpu1 - cpu0) * 1000) / r['2xx'] : undefined;
  return { rps: r['2xx'] / r.duration, p50: r.latency.p50, p99: r.latency.p99, cpuUs };
}

const fmt = (r: Run): string =>
  `${Math.round(r.rps).toString().padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms${r.cpuUs !== undefined ? `  server CPU ${r.cpuUs.toFixed(0)} µs/req` : ''}`;

async function main(): Promise<void> {
  const dataDir = makeTempDir('auth-me');
  let app: Child | undefined;
  let bare: Child | undefined;
  try {
    await prepareDataDir(dataDir);
    const appPort = await freePort();
    const appServer = startGgzy(['serve'], { GGZY_DATA_DIR: dataDir, GGZY_PORT: String(appPort), GGZY_HOST: '127.0.0.1', GGZY_LOG_LEVEL: 'warn' });
    app = appServer;
    const appBase = `http://127.0.0.1:${appPort}`;
    await waitFor200(`${appBase}/readyz`, appServer);
    const token = await login(appBase);
    const auth = { authorization: `Bearer ${token}` };

    const me = await fetch(`${appBase}/api/v1/auth/me`, { headers: auth });
    const meText = await me.text();
    if (me.status !== 200) throw new Error(`/auth/me answered ${me.status}: ${meText}`);
    const meBytes = Buffer.byteLength(meText);

    const barePort = await freePort();
    const bareServer = startChild(process.execPath, ['--import', 'tsx', 'bench/bare-server.ts'], { PORT: String(barePort), BARE_BODY: meText });
    bare = bareServer;
    const bareBase = `http://127.0.0.1:${barePort}`;
    await waitFor200(`${bareBase}/healthz`, bareServer);
    const bareRes = await fetch(`${bareBase}/api/v1/auth/me`);
    const bareBytes = Buffer.byteLength(await bareRes.text());
    process.stdout.write(`auth-me: /auth/me body ${meBytes} B, bare body ${bareBytes} B; ${ROUNDS} rounds × ${DURATION} s per target, ${CONNECTIONS} connections\n`);

    const targets = {
      me: () => load(appServer, `${appBase}/api/v1/auth/me`, auth),
      bare: () => load(bareServer, `${bareBase}/api/v1/auth/me`, {}),
      healthz: () => load(appServer, `${appBase}/healthz`, {}),
    } as const;
    const results: Record<keyof typeof targets, Run[]> = { me: [], bare: [], healthz: [] };

    // Warm-up (JIT, PGlite caches), not counted.
    await autocannon({ url: `${appBase}/api/v1/auth/me`, connections: CONNECTIONS, duration: 2, headers: auth });
    await autocannon({ url: `${bareBase}/api/v1/auth/me`, connections: CONNECTIONS, duration: 2 });

    for (let round = 1; round <= ROUNDS; round++) {
      // Alternate the order so neither target always runs on a machine warmed by the other.
      const order: (keyof typeof targets)[] = round % 2 ? ['me', 'bare', 'healthz'] : ['bare', 'me', 'healthz'];
      for (const name of order) {
        const r = await targets[name]();
        results[name].push(r);
        process.stdout.write(`  round ${round} ${name.padEnd(7)} ${fmt(r)}\n`);
      }
    }

    const meRps = median(results.me.map((r) => r.rps));
    const bareRps = median(results.bare.map((r) => r.rps));
    const healthRps = median(results.healthz.map((r) => r.rps));
    const roundRatios = results.me.map((r, i) => r.rps / results.bare[i]!.rps);
    const ratio = meRps / bareRps;
    process.stdout.write(
      `  per-round ratios ${roundRatios.map((r) => r.toFixed(2)).join(', ')}; platform /healthz ${Math.round(healthRps)} req/s (${(healthRps / bareRps).toFixed(2)} of bare)\n`,
    );
    const cpu = (runs: Run[]): number | undefined => (runs.every((r) => r.cpuUs !== undefined) ? median(runs.map((r) => r.cpuUs!)) : undefined);
    const [meCpu, bareCpu, healthCpu] = [cpu(results.me), cpu(results.bare), cpu(results.healthz)];
    if (meCpu !== undefined && bareCpu !== undefined && healthCpu !== undefined) {
      // Less disturbed by other load than req/s: bare/me is the throughput ratio a CPU-bound
      // server would reach on a quiet machine.
      process.stdout.write(
        `  server CPU per request (median): me ${meCpu.toFixed(0)} µs, /healthz ${healthCpu.toFixed(0)} µs, bare ${bareCpu.toFixed(0)} µs → CPU ratio bare/me ${(bareCpu / meCpu).toFixed(2)}, bare/healthz ${(bareCpu / healthCpu).toFixed(2)}\n`,
      );
    }
    const cpuText = meCpu !== undefined && bareCpu !== undefined ? `; server CPU ${meCpu.toFixed(0)} vs ${bareCpu.toFixed(0)} µs/req` : '';
    figure(
      'auth-me',
      `ratio ${ratio.toFixed(2)} (me ${Math.round(meRps)} req/s, bare ${Math.round(bareRps)} req/s; median of ${ROUNDS}${cpuText}) — goal ≥ ${GOAL.toFixed(2)}: ${ratio >= GOAL ? 'met' : 'NOT met'}`,
    );
  } finally {
    await bare?.stop();
    await app?.stop();
    removeTempDir(dataDir);
  }
}

runMain(main);
