// Browser end-to-end tests: Debian's Chromium against the real server (PGlite, demo data) on a
// fresh data directory. `npm run test:e2e` builds the workbench first; never `playwright install`.
import { defineConfig, devices } from '@playwright/test';
import { CITY_MASTER_KEY, CITY_PORT, cityFederationKey, PROVINCE_MASTER_KEY, PROVINCE_PORT, provinceFederationKey } from './nodes.ts';

const port = PROVINCE_PORT;
const dataDir = '.tmp/e2e-server';
const cityDataDir = '.tmp/e2e-city';
/** One `ggzy serve` on a fresh data directory (removed first, so every run starts from its seed alone). */
function node(nodePort: number, dir: string, args: string, env: Record<string, string>) {
  return {
    command: `node -e "require('node:fs').rmSync('${dir}', { recursive: true, force: true })" && node bin/ggzy.js serve ${args}`.trim(),
    cwd: '..',
    url: `http://127.0.0.1:${nodePort}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe' as const,
    stderr: 'pipe' as const,
    // Pinned so a developer's own DATABASE_URL or node settings cannot leak into the run.
    env: { DATABASE_URL: '', GGZY_PORT: String(nodePort), GGZY_HOST: '127.0.0.1', GGZY_DATA_DIR: dir, GGZY_LOG_LEVEL: 'warn', ...env },
  };
}
const ci = !!process.env.CI;

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../.tmp/e2e-results',
  fullyParallel: false,
  workers: 1,
  forbidOnly: ci,
  // A retry re-runs the whole flow; the spec waits for a fresh TOTP step on a retry.
  retries: ci ? 1 : 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 10_000,
    navigationTimeout: 20_000,
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1440, height: 900 },
        headless: true,
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  // The province (demo data) and the Taiyuan city node (city-node.spec.ts), which reads the
  // province's registry and signs its entities in there, over the federation on loopback.
  webServer: [
    node(port, dataDir, '--seed-demo', {
      GGZY_NODE_ROLE: '',
      GGZY_REGION: '',
      // Demo mode (also implied by --seed-demo): staff may move a deal's clock to its deadline.
      GGZY_DEMO_MODE: 'true',
      GGZY_MASTER_KEY: PROVINCE_MASTER_KEY,
      GGZY_FEDERATION_PEERS: `140100=${cityFederationKey()}`,
    }),
    // Its demo seed is its own centre and staff only (ty_staff…); entities and experts are the province's.
    node(CITY_PORT, cityDataDir, '--seed-demo', {
      GGZY_NODE_ROLE: 'city',
      GGZY_REGION: '140100',
      GGZY_DEMO_MODE: '',
      GGZY_MASTER_KEY: CITY_MASTER_KEY,
      GGZY_FEDERATION_PEERS: `140000=${provinceFederationKey()}@http://127.0.0.1:${port}`,
    }),
  ],
});
