// `npm run bench`: the three figures of the performance issue, one script after another (each
// in its own process, so none disturbs another), then a summary table of their FIGURE lines.
//
//   auth-me   authenticated GET /api/v1/auth/me vs a bare Fastify route   goal: ratio ≥ 0.50
//   startup   `ggzy serve` on an existing PGlite data dir to ready /readyz  goal: median < 3 s
//   test-db   a migrated, empty test database for one test file          goal: median < 1.5 s
//   experts-eligible  eligible experts over a pool of 20,000                goal: p95 < 20 ms (aim)
//   credit-check      participation check over 100,000 credit records       goal: p95 < 5 ms
//   registry-search   entity search by name or USCC over 100,000 entities, locally and from a city node   goal: p95 < 50 ms
//   licence-ocr       business-licence OCR over 72 generated images          goal: median < 3 s, clean fields right
//   deal-codes        1,000 deal codes from 50 concurrent clients (server, PGlite)  goal: unique and gapless
//   sm3-lanes         SM3 MB/s on one core, OpenSSL vs the multi-buffer addon (supports bid-intake)
//   bid-intake        200 sealed bids × 20 MB over HTTP vs raw disk writes    goal: ratio ≥ 0.50
//   lighthouse        portal home, list and notice pages, Lighthouse mobile        goal: each category ≥ 90
//   portal            list pages and search over 1,000,000 notices, autocannon  goal: list p95 < 30 ms, search p95 < 50 ms
//                     (PostgreSQL server; the first run builds the corpus, ≈ 30 min on a busy 2-core
//                     machine, and keeps it in the database ggzy_portal_bench; GGZY_BENCH_PORTAL_ARGS
//                     passes other flags, e.g. "--notices 100000" for a quicker, smaller run)
//
// Exits non-zero only when a script fails to run; a goal that is not met is reported, not fatal.

import { runMain, startChild } from './lib.ts';

const SCRIPTS = [
  { name: 'auth-me', file: 'bench/auth-me.ts', goal: 'ratio ≥ 0.50' },
  { name: 'startup', file: 'bench/startup.ts', goal: 'median < 3 s' },
  { name: 'test-db', file: 'bench/test-db.ts', goal: 'median < 1.5 s' },
  { name: 'experts-eligible', file: 'bench/experts-eligible.ts', goal: 'p95 < 20 ms' },
  { name: 'credit-check', file: 'bench/credit-check.ts', goal: 'p95 < 5 ms' },
  { name: 'registry-search', file: 'bench/registry-search.ts', goal: 'p95 < 50 ms' },
  { name: 'licence-ocr', file: 'bench/licence-ocr.ts', goal: 'median < 3 s, clean fields right' },
  { name: 'deal-codes', file: 'bench/deal-codes.ts', goal: 'unique and gapless (codes/s reported)' },
  { name: 'sm3-lanes', file: 'bench/sm3-lanes.ts', goal: 'supports bid-intake (MB/s reported)' },
  { name: 'bid-intake', file: 'bench/bid-intake.ts', goal: 'intake ≥ 0.50 × raw disk' },
  { name: 'lighthouse', file: 'bench/lighthouse.ts', goal: 'mobile performance, accessibility, SEO ≥ 90' },
  { name: 'portal', file: 'bench/portal.ts', goal: 'list p95 < 30 ms, search p95 < 50 ms', args: (process.env.GGZY_BENCH_PORTAL_ARGS ?? '').split(/\s+/).filter(Boolean) },
] as const;

interface Outcome {
  name: string;
  goal: string;
  exitCode: number | null;
  seconds: number;
  figure: string | undefined;
}

async function runScript(file: string, args: readonly string[] = []): Promise<{ exitCode: number | null; output: string; seconds: number }> {
  const start = performance.now();
  const child = startChild(process.execPath, ['--import', 'tsx', file, ...args], {});
  // Show the script's progress as it runs.
  child.process.stdout!.on('data', (d: Buffer) => process.stdout.write(d));
  child.process.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
  const exitCode = await child.exited;
  return { exitCode, output: child.output(), seconds: (performance.now() - start) / 1000 };
}

async function main(): Promise<void> {
  const outcomes: Outcome[] = [];
  for (const s of SCRIPTS) {
    process.stdout.write(`\n=== ${s.name} (${s.file}) ===\n`);
    const r = await runScript(s.file, 'args' in s ? s.args : []);
    const line = r.output.split('\n').find((l) => l.startsWith(`FIGURE ${s.name}:`));
    outcomes.push({ name: s.name, goal: s.goal, exitCode: r.exitCode, seconds: r.seconds, figure: line?.slice(`FIGURE ${s.name}:`.length).trim() });
  }

  const rows = outcomes.map((o) => {
    const status = o.exitCode !== 0 ? `FAILED (exit ${o.exitCode})` : !o.figure ? 'no figure' : /: met$/.test(o.figure) ? 'met' : 'NOT met';
    const result = (o.figure ?? '').replace(/ — goal .*$/, '');
    return [o.name, o.goal, status, `${o.seconds.toFixed(0)} s`, result];
  });
  const header = ['figure', 'goal', 'status', 'took', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join(' | ');
  process.stdout.write(`\n=== summary ===\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n${rows.map(line).join('\n')}\n`);

  const failed = outcomes.filter((o) => o.exitCode !== 0 || !o.figure);
  if (failed.length > 0) throw new Error(`bench scripts failed: ${failed.map((o) => o.name).join(', ')}`);
}

runMain(main);
