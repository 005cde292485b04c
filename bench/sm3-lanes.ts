// SM3 throughput of one core: OpenSSL (one message at a time, what Node's crypto gives) against
// the multi-buffer addon (native/sm3mb) with each variant this CPU runs, for calls of 1, 4, 16
// and 32 messages of --mb MB each. Medians of --rounds rounds; all in this process, one thread.
// Supports bid intake's figure (bench/bid-intake.ts): its writer threads digest in such calls.
//
//   tsx bench/sm3-lanes.ts [--mb 1] [--rounds 7]

import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadAddon, nativeLanes, openssl, type Sm3Lanes } from '../src/platform/crypto/sm3-lanes.ts';
import { figure, runMain } from './lib.ts';

const { values: opts } = parseArgs({ options: { mb: { type: 'string', default: '1' }, rounds: { type: 'string', default: '7' } }, strict: true });
const MiB = 1024 * 1024;
const SIZE = Number(opts.mb) * MiB;
const ROUNDS = Number(opts.rounds);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** MB/s of digesting `messages` messages of SIZE bytes in one call, median of ROUNDS. */
function speed<S>(lanes: Sm3Lanes<S>, data: Buffer[], messages: number): number {
  const runs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    // At least 32 MB per round, so short calls are timed over many repetitions.
    const reps = Math.max(1, Math.ceil(32 / messages));
    for (let k = 0; k < reps; k++) {
      const states = data.slice(0, messages).map(() => lanes.init());
      lanes.update(states.map((s, i) => [s, data[i]!]));
      for (const s of states) lanes.digestHex(s);
    }
    runs.push((reps * messages * SIZE) / MiB / ((performance.now() - t0) / 1000));
  }
  return median(runs);
}

async function main(): Promise<void> {
  const data = Array.from({ length: 32 }, () => crypto.randomBytes(SIZE));
  const counts = [1, 4, 16, 32];
  const rows: [string, number[]][] = [['openssl', counts.map((n) => speed(openssl, data, n))]];
  const variants = loadAddon()?.variants() ?? [];
  for (const v of variants) rows.push([`native:${v}`, counts.map((n) => speed(nativeLanes(v)!, data, n))]);
  process.stdout.write(`sm3-lanes: MB/s on one core, messages of ${SIZE / MiB} MB, median of ${ROUNDS}\n`);
  process.stdout.write(`  ${'messages per call'.padEnd(18)}${counts.map((n) => String(n).padStart(8)).join('')}\n`);
  for (const [name, xs] of rows) process.stdout.write(`  ${name.padEnd(18)}${xs.map((x) => x.toFixed(0).padStart(8)).join('')}\n`);
  if (!variants.length) {
    figure('sm3-lanes', `OpenSSL ${rows[0]![1][3]!.toFixed(0)} MB/s; the addon is not built (node scripts/build-native.mjs)`);
    return;
  }
  const best = rows[1]!;
  figure('sm3-lanes', `${best[0]} ${best[1][3]!.toFixed(0)} MB/s with 32 messages per call = ${(best[1][3]! / rows[0]![1][3]!).toFixed(1)} × OpenSSL ${rows[0]![1][3]!.toFixed(0)} MB/s; one message ${best[1][0]!.toFixed(0)} MB/s`);
}

runMain(main);
