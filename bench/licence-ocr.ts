// Figure: offline OCR of business licences — time per image and field accuracy per degradation
// class. Goals: median < 3 s an image on this machine; every field of every clean licence right.
//
// The images are the generated ones of src/modules/registry/ocr/licence-images.ts: the sample
// entities, each clean and under every degradation class (rotation, blur, JPEG q30/q10,
// downscale, combined). They are read one by one through the public recognizer (worker thread,
// models loaded once); the first image, read before the timed ones, gives the cold start.
// "Right" is compareLicence's verdict against the entity's form: `match`, or `confusable` (the
// form's character is among the recogniser's own alternatives — flagged for the reviewer);
// both are counted separately. Memory is the process's peak RSS (worker threads included).
// CPU time per image (all threads of the process) is given too: on a shared machine it moves
// far less than wall time does.
//
//   tsx bench/licence-ocr.ts [--entities 8] [--classes clean,jpeg] [--threads N (default: the recognizer's)]

import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { compareLicence, type LicenceVerdict } from '../src/modules/registry/licence-compare.ts';
import { DEGRADATION_CLASSES, SAMPLE_ENTITIES, degrade, renderLicence } from '../src/modules/registry/ocr/licence-images.ts';
import { createLicenceRecognizer } from '../src/modules/registry/ocr/licence-ocr.ts';
import { figure, median, ms, runMain, secs } from './lib.ts';

const { values: opts } = parseArgs({
  options: { entities: { type: 'string', default: String(SAMPLE_ENTITIES.length) }, classes: { type: 'string' }, threads: { type: 'string' } },
  strict: true,
});
const ENTITIES = SAMPLE_ENTITIES.slice(0, Number(opts.entities));
const CLASSES = opts.classes ? DEGRADATION_CLASSES.filter((c) => opts.classes!.split(',').some((n) => c.name.includes(n))) : DEGRADATION_CLASSES;
const GOAL_MS = 3000;

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/** Peak resident set size of this process, MB (Linux); the current RSS elsewhere. */
function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Math.round(Number(m[1]) / 1024);
  } catch {
    // not Linux
  }
  return Math.round(process.memoryUsage().rss / 1e6);
}

interface ClassStats {
  images: number;
  times: number[];
  cpu: number[];
  verdicts: Record<LicenceVerdict, number>;
  allExact: number;
  usccRight: number;
  misses: string[];
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const clean = await Promise.all(ENTITIES.map((e) => renderLicence(e.licence)));
  const rssBefore = peakRssMb();
  process.stdout.write(`licence-ocr: ${ENTITIES.length} entities × ${CLASSES.length} classes, rendered in ${ms(performance.now() - t0)}; peak RSS before OCR ${rssBefore} MB\n`);

  const recognizer = createLicenceRecognizer(opts.threads ? { threads: Number(opts.threads) } : {});
  try {
    const tc = performance.now();
    const first = await recognizer.recognize(clean[0]!);
    const cold = performance.now() - tc;
    process.stdout.write(`  ${first.engine}\n  cold start (worker, models, first image): ${secs(cold)}; peak RSS ${peakRssMb()} MB\n`);

    const all: number[] = [];
    const allCpu: number[] = [];
    const stats = new Map<string, ClassStats>();
    for (const cls of CLASSES) {
      const s: ClassStats = { images: 0, times: [], cpu: [], verdicts: { match: 0, confusable: 0, mismatch: 0, unread: 0 }, allExact: 0, usccRight: 0, misses: [] };
      stats.set(cls.name, s);
      for (const [i, entity] of ENTITIES.entries()) {
        const image = await degrade(clean[i]!, cls.steps);
        const t = performance.now();
        const c = process.cpuUsage();
        const ocr = await recognizer.recognize(image);
        const wall = performance.now() - t;
        const used = process.cpuUsage(c);
        s.times.push(wall);
        s.cpu.push((used.user + used.system) / 1000);
        allCpu.push((used.user + used.system) / 1000);
        all.push(wall);
        s.images++;
        const cmp = compareLicence(entity.expected, ocr);
        for (const f of cmp.fields) {
          s.verdicts[f.verdict]++;
          if (f.verdict !== 'match') s.misses.push(`${entity.id}.${f.field}: ${f.verdict} “${String(f.ocrValue)}”`);
        }
        if (cmp.fields.every((f) => f.verdict === 'match')) s.allExact++;
        if (ocr.normalized.uscc === entity.expected.uscc) s.usccRight++;
      }
    }

    const header = ['class', 'images', 'median', 'p95', 'CPU', 'exact', 'confusable', 'wrong', 'unread', 'all 7 exact', 'USCC right'];
    const rows = [...stats.entries()].map(([name, s]) => {
      const fields = s.images * 7;
      return [
        name,
        String(s.images),
        ms(median(s.times)),
        ms(percentile(s.times, 95)),
        ms(median(s.cpu)),
        `${s.verdicts.match}/${fields}`,
        String(s.verdicts.confusable),
        String(s.verdicts.mismatch),
        String(s.verdicts.unread),
        `${s.allExact}/${s.images}`,
        `${s.usccRight}/${s.images}`,
      ];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
    process.stdout.write(`\n  ${line(header)}\n  ${rows.map(line).join('\n  ')}\n\n`);
    for (const [name, s] of stats) if (s.misses.length > 0) process.stdout.write(`  ${name}: ${s.misses.join('; ')}\n`);

    const med = median(all);
    const p95 = percentile(all, 95);
    const peak = peakRssMb();
    const cleanStats = stats.get('clean');
    const cleanRight = cleanStats ? cleanStats.verdicts.match + cleanStats.verdicts.confusable : 0;
    const cleanFields = cleanStats ? cleanStats.images * 7 : 0;
    const met = med < GOAL_MS && cleanStats !== undefined && cleanRight === cleanFields;
    process.stdout.write(`\n  all ${all.length} images: median ${ms(med)}, p95 ${ms(p95)}, max ${ms(Math.max(...all))}; CPU median ${ms(median(allCpu))} an image; peak RSS ${peak} MB\n`);
    figure(
      'licence-ocr',
      `median ${secs(med)}, p95 ${secs(p95)} per image over ${all.length} images (CPU ${secs(median(allCpu))}); clean fields right ${cleanRight}/${cleanFields} ` +
        `(${cleanStats?.verdicts.match ?? 0} exact, ${cleanStats?.verdicts.confusable ?? 0} confusable); cold start ${secs(cold)}; peak RSS ${peak} MB ` +
        `— goal median < ${secs(GOAL_MS)} and all clean fields right: ${met ? 'met' : 'NOT met'}`,
    );
  } finally {
    await recognizer.close();
  }
}

runMain(main);
