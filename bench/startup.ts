// Figure 2: start-up of `ggzy serve` on an existing PGlite data directory, from spawn to the
// first 200 of /readyz. Goal: median < 3 s.
//
// The data directory is prepared once (`serve --seed-demo`, then stopped). Each run spawns
// `node bin/ggzy.js serve` on a free port, polls /readyz every 20 ms, and stops it (SIGTERM,
// waiting for the exit) before the next. The server's own "startupMs" (logged at info, measured
// from the start of serve() to listening) splits the total into process start + module loading
// and the work serve() does; `node bin/ggzy.js` with no command (prints usage, exits) gives the
// cost of starting node + tsx + loading the CLI's module graph on its own.
//
//   tsx bench/startup.ts [--runs 5]

import { parseArgs } from 'node:util';
import { cpuTimeMs, figure, freePort, makeTempDir, median, ms, removeTempDir, runMain, secs, startGgzy, waitFor200 } from './lib.ts';

const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '5' } }, strict: true });
const RUNS = Number(opts.runs);
const GOAL_MS = 3000;

/** The startupMs field of the server's "ggzy ready" log line (pino JSON). */
function startupMsOf(output: string): number | undefined {
  for (const line of output.split('\n')) {
    if (!line.includes('ggzy ready')) continue;
    try {
      const v = (JSON.parse(line) as { startupMs?: unknown }).startupMs;
      if (typeof v === 'number') return v;
    } catch {
      // not JSON
    }
  }
  return undefined;
}

async function main(): Promise<void> {
  const dataDir = makeTempDir('startup');
  const env = (port: number, level = 'info'): Record<string, string> => ({ GGZY_DATA_DIR: dataDir, GGZY_PORT: String(port), GGZY_HOST: '127.0.0.1', GGZY_LOG_LEVEL: level });
  try {
    // Prepare: first start migrates, loads reference data and the demo organisations/accounts.
    const prepPort = await freePort();
    const t0 = performance.now();
    const prep = startGgzy(['serve', '--seed-demo'], env(prepPort, 'warn'));
    await waitFor200(`http://127.0.0.1:${prepPort}/readyz`, prep, 20, 180_000);
    const firstStart = performance.now() - t0;
    const prepExit = await prep.stop();
    if (prepExit !== 0) throw new Error(`preparing serve exited with ${prepExit}:\n${prep.output()}`);
    process.stdout.write(`startup: data dir prepared (first start with migrations + demo seed took ${secs(firstStart)}); ${RUNS} runs\n`);

    // Baseline: node + tsx + the CLI's static imports, no database (usage, exit 0).
    const loadTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = performance.now();
      const child = startGgzy([], env(0));
      const code = await child.exited;
      if (code !== 0) throw new Error(`ggzy without a command exited with ${code}:\n${child.output()}`);
      loadTimes.push(performance.now() - s);
    }

    const totals: number[] = [];
    const inServe: number[] = [];
    const cpus: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const port = await freePort();
      const start = performance.now();
      const child = startGgzy(['serve'], env(port));
      const ready = await waitFor200(`http://127.0.0.1:${port}/readyz`, child, 20, 60_000);
      const total = ready - start;
      const cpuAtReady = cpuTimeMs(child.process.pid);
      const stopStart = performance.now();
      const code = await child.stop();
      const stopTime = performance.now() - stopStart;
      if (code !== 0) throw new Error(`serve exited with ${code} after SIGTERM:\n${child.output()}`);
      const serveMs = startupMsOf(child.output());
      totals.push(total);
      if (serveMs !== undefined) inServe.push(serveMs);
      if (cpuAtReady !== undefined) cpus.push(cpuAtReady);
      process.stdout.write(
        `  run ${run}: ready after ${ms(total)}` +
          (serveMs !== undefined ? ` (serve() ${ms(serveMs)}, before serve(): node + tsx + imports ≈ ${ms(total - serveMs)})` : '') +
          (cpuAtReady !== undefined ? `; server CPU used by then ${ms(cpuAtReady)}` : '') +
          `; stopped in ${ms(stopTime)}\n`,
      );
    }

    const med = median(totals);
    process.stdout.write(
      `  median: total ${ms(med)}` +
        (inServe.length === totals.length ? `, serve() ${ms(median(inServe))}` : '') +
        (cpus.length === totals.length ? `, server CPU to ready ${ms(median(cpus))} (less disturbed by other load than wall time)` : '') +
        `; node bin/ggzy.js without a command (node + tsx + module graph, exit): ${ms(median(loadTimes))} median of 3\n`,
    );
    const cpuText = cpus.length === totals.length ? `; server CPU to ready ${secs(median(cpus))}` : '';
    figure('startup', `median ${secs(med)} to ready /readyz (runs: ${totals.map((t) => secs(t)).join(', ')}${cpuText}) — goal < ${secs(GOAL_MS)}: ${med < GOAL_MS ? 'met' : 'NOT met'}`);
  } finally {
    removeTempDir(dataDir);
  }
}

runMain(main);
