// Lighthouse (npm `lighthouse`, Debian chromium) mobile scores of the portal's home, notice list
// and notice pages. Goal (issue 5): performance, accessibility and SEO each ≥ 90 on every page.
//
// A real `ggzy serve --seed-demo` on a fresh PGlite data directory (the portal's demo deals are
// published through the procedures and reach the portal through the event stream), then
// Lighthouse's default mobile run (Moto G Power emulation, simulated slow-4G throttling) of each
// page, --runs times (default 3); the median score of each category is the figure, since a
// 2-core machine shared with other work moves the performance score from run to run.
//
//   tsx bench/lighthouse.ts [--runs 3] [--chromium /usr/bin/chromium]

import fs from 'node:fs';
import { parseArgs } from 'node:util';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { figure, freePort, makeTempDir, median, runMain, startGgzy, waitFor200 } from './lib.ts';

const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '3' }, chromium: { type: 'string', default: '/usr/bin/chromium' } }, strict: true });
const RUNS = Number(opts.runs);
const CATEGORIES = ['performance', 'accessibility', 'seo'] as const;
const GOAL = 90;

async function main(): Promise<void> {
  if (!fs.existsSync(opts.chromium)) throw new Error(`no Chromium at ${opts.chromium} (apt-get install chromium)`);
  const dataDir = makeTempDir('lighthouse');
  const port = await freePort();
  const server = startGgzy(['serve', '--seed-demo'], { GGZY_DATA_DIR: dataDir, GGZY_PORT: String(port), GGZY_LOG_LEVEL: 'warn', DATABASE_URL: '' });
  const origin = `http://127.0.0.1:${port}`;
  await waitFor200(`${origin}/readyz`, server, 100, 120_000);
  // The projector catches up at start; wait until a published notice is listed.
  let noticeUrl: string | undefined;
  for (let i = 0; i < 100 && !noticeUrl; i++) {
    const list = (await (await fetch(`${origin}/api/v1/public/notices?pageSize=1`)).json()) as { items: { url: string }[] };
    noticeUrl = list.items[0]?.url;
    if (!noticeUrl) await new Promise((r) => setTimeout(r, 200));
  }
  if (!noticeUrl) throw new Error('the demo portal lists no notice');
  const pages = [
    { name: 'home', url: `${origin}/` },
    { name: 'list', url: `${origin}/notices` },
    { name: 'notice', url: `${origin}${noticeUrl}` },
  ];

  const chrome = await chromeLauncher.launch({
    chromePath: opts.chromium,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const failures: string[] = [];
  try {
    for (const page of pages) {
      const scores: Record<string, number[]> = { performance: [], accessibility: [], seo: [] };
      for (let run = 0; run < RUNS; run++) {
        const result = await lighthouse(page.url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] });
        if (!result) throw new Error(`lighthouse gave no result for ${page.url}`);
        for (const c of CATEGORIES) scores[c]!.push(Math.round((result.lhr.categories[c]?.score ?? 0) * 100));
        if (run === 0) {
          const failed = Object.values(result.lhr.audits).filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode === 'binary');
          if (failed.length > 0) console.log(`  ${page.name}: audits not passed: ${failed.map((a) => a.id).join(', ')}`);
          const lcp = result.lhr.audits['largest-contentful-paint']?.displayValue;
          const tbt = result.lhr.audits['total-blocking-time']?.displayValue;
          console.log(`  ${page.name}: LCP ${lcp ?? '?'}, TBT ${tbt ?? '?'}`);
        }
      }
      const med = Object.fromEntries(CATEGORIES.map((c) => [c, median(scores[c]!)])) as Record<(typeof CATEGORIES)[number], number>;
      for (const c of CATEGORIES) if (med[c] < GOAL) failures.push(`${page.name} ${c} ${med[c]}`);
      console.log(`${page.name.padEnd(7)} ${page.url.replace(origin, '')}  performance ${med.performance}  accessibility ${med.accessibility}  SEO ${med.seo}  (runs: ${CATEGORIES.map((c) => scores[c]!.join('/')).join(' · ')})`);
    }
  } finally {
    await chrome.kill();
    await server.stop();
  }
  figure('lighthouse', failures.length === 0 ? `mobile scores ≥ ${GOAL} on home, list and notice pages (median of ${RUNS})` : `below ${GOAL}: ${failures.join('; ')}`);
}

runMain(main);
