import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_BID_MAX_BYTES, DEFAULT_CODING_USCC, loadConfig, MAX_BID_MAX_BYTES, MIN_BID_MAX_BYTES } from './config.ts';
import { checkUscc } from './validation/ids.ts';
import { generateSm2KeyPair } from './crypto/sm2.ts';

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env, '/srv/ggzy');
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('has safe defaults (province node, PGlite under ./data, 等保 session rules)', () => {
    const c = loadConfig({}, '/srv/ggzy');
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', dataDir: '/srv/ggzy/data', nodeRole: 'province', regionCode: '140000', databaseUrl: undefined });
    expect(c.security).toMatchObject({ sessionIdleMinutes: 30, lockoutThreshold: 5, lockoutMinutes: 15, passwordMinLength: 8 });
  });

  it('names the variable of a wrong value', () => {
    expect(errorOf({ GGZY_PORT: 'abc' }).variable).toBe('GGZY_PORT');
    expect(errorOf({ GGZY_PORT: '70000' }).message).toContain('0 到 65535');
    expect(errorOf({ GGZY_NODE_ROLE: 'county' }).variable).toBe('GGZY_NODE_ROLE');
    expect(errorOf({ DATABASE_URL: 'mysql://x' }).variable).toBe('DATABASE_URL');
    expect(errorOf({ GGZY_LOCKOUT_THRESHOLD: '0' }).variable).toBe('GGZY_LOCKOUT_THRESHOLD');
    expect(errorOf({ GGZY_COOKIE_SECURE: 'maybe' }).variable).toBe('GGZY_COOKIE_SECURE');
    expect(errorOf({ GGZY_MASTER_KEY: 'short' }).variable).toBe('GGZY_MASTER_KEY');
    expect(errorOf({ GGZY_PASSWORD_MIN_LENGTH: '6' }).variable).toBe('GGZY_PASSWORD_MIN_LENGTH');
  });

  it('checks the region against the node role', () => {
    expect(errorOf({ GGZY_NODE_ROLE: 'province', GGZY_REGION: '140100' }).variable).toBe('GGZY_REGION');
    expect(errorOf({ GGZY_NODE_ROLE: 'city', GGZY_REGION: '140000' }).variable).toBe('GGZY_REGION');
    expect(errorOf({ GGZY_NODE_ROLE: 'city', GGZY_REGION: '141200' }).variable).toBe('GGZY_REGION');
    expect(loadConfig({ GGZY_NODE_ROLE: 'city', GGZY_REGION: '141100' }).regionCode).toBe('141100');
  });

  it('reads the coding platform USCC and checks both check digits', () => {
    expect(checkUscc(DEFAULT_CODING_USCC).ok).toBe(true);
    expect(loadConfig({}).codingUscc).toBe(DEFAULT_CODING_USCC);
    expect(loadConfig({ GGZY_CODING_USCC: ' 91140100ma0k123488 ' }).codingUscc).toBe('91140100MA0K123488');
    expect(errorOf({ GGZY_CODING_USCC: '12140000405200000J' }).message).toContain('第 18 位');
    expect(errorOf({ GGZY_CODING_USCC: '12140000405200001L' }).message).toContain('第 17 位');
    expect(errorOf({ GGZY_CODING_USCC: '1214000040520000IH' }).variable).toBe('GGZY_CODING_USCC');
    expect(errorOf({ GGZY_CODING_USCC: '121400004052' }).variable).toBe('GGZY_CODING_USCC');
  });

  it('reads the largest bid envelope: 200 MB by default, 1 MB to 4 GB', () => {
    expect(loadConfig({}).bidMaxBytes).toBe(DEFAULT_BID_MAX_BYTES);
    expect(DEFAULT_BID_MAX_BYTES).toBe(200 * 1024 * 1024);
    expect(loadConfig({ GGZY_BID_MAX_BYTES: String(MIN_BID_MAX_BYTES) }).bidMaxBytes).toBe(1024 * 1024);
    expect(loadConfig({ GGZY_BID_MAX_BYTES: String(MAX_BID_MAX_BYTES) }).bidMaxBytes).toBe(4 * 1024 * 1024 * 1024);
    expect(errorOf({ GGZY_BID_MAX_BYTES: String(MIN_BID_MAX_BYTES - 1) }).variable).toBe('GGZY_BID_MAX_BYTES');
    expect(errorOf({ GGZY_BID_MAX_BYTES: String(MAX_BID_MAX_BYTES + 1) }).message).toContain('1048576 到 4294967296');
    expect(errorOf({ GGZY_BID_MAX_BYTES: '200MB' }).message).toContain('必须是整数');
  });

  it('reads the portal settings with their boundaries', () => {
    expect(loadConfig({}).portal).toEqual({ pollIntervalMs: 250, pageSize: 20, maxListDepth: 10_000, searchWindow: 200, origin: undefined });
    expect(loadConfig({ GGZY_PORTAL_POLL_MS: '50', GGZY_PORTAL_MAX_DEPTH: '100' }).portal).toMatchObject({ pollIntervalMs: 50, maxListDepth: 100 });
    expect(errorOf({ GGZY_PORTAL_POLL_MS: '49' }).variable).toBe('GGZY_PORTAL_POLL_MS');
    expect(errorOf({ GGZY_PORTAL_POLL_MS: '60001' }).variable).toBe('GGZY_PORTAL_POLL_MS');
    expect(errorOf({ GGZY_PORTAL_PAGE_SIZE: '101' }).variable).toBe('GGZY_PORTAL_PAGE_SIZE');
    expect(errorOf({ GGZY_PORTAL_SEARCH_WINDOW: '49' }).variable).toBe('GGZY_PORTAL_SEARCH_WINDOW');
    expect(loadConfig({ GGZY_PUBLIC_ORIGIN: 'https://ggzy.shanxi.gov.cn/' }).portal.origin).toBe('https://ggzy.shanxi.gov.cn');
    expect(errorOf({ GGZY_PUBLIC_ORIGIN: 'https://ggzy.shanxi.gov.cn/portal' }).variable).toBe('GGZY_PUBLIC_ORIGIN');
    expect(errorOf({ GGZY_PUBLIC_ORIGIN: 'ftp://x' }).variable).toBe('GGZY_PUBLIC_ORIGIN');
    expect(errorOf({ GGZY_PUBLIC_ORIGIN: 'not a url' }).variable).toBe('GGZY_PUBLIC_ORIGIN');
  });

  it('reads the federation peers against the node role, and their timing with its boundaries', () => {
    const a = generateSm2KeyPair().publicKey;
    const b = generateSm2KeyPair().publicKey;
    expect(loadConfig({}, '/srv/ggzy').federation).toEqual({ peers: [], timeoutMs: 5000, maxSkewSeconds: 300, sessionSeconds: 600, rateLimitPerMinute: 6000, referenceRefreshMinutes: 10 });
    const city = loadConfig({ GGZY_NODE_ROLE: 'city', GGZY_REGION: '140100', GGZY_FEDERATION_PEERS: `140000=${a.toUpperCase()}@https://ggzy.shanxi.gov.cn/` }, '/srv/ggzy');
    expect(city.federation.peers).toEqual([{ region: '140000', publicKey: a, url: 'https://ggzy.shanxi.gov.cn' }]);
    const province = loadConfig({ GGZY_FEDERATION_PEERS: ` 140100=${a} ; 140200=${b}@http://10.0.0.2:3000 ` }, '/srv/ggzy');
    expect(province.federation.peers).toEqual([
      { region: '140100', publicKey: a, url: undefined },
      { region: '140200', publicKey: b, url: 'http://10.0.0.2:3000' },
    ]);
    const wrong = (env: Record<string, string>) => errorOf(env);
    expect(wrong({ GGZY_FEDERATION_PEERS: '140100' }).message).toContain('区划代码=公钥[@地址]');
    expect(wrong({ GGZY_NODE_ROLE: 'city', GGZY_REGION: '140100', GGZY_FEDERATION_PEERS: `140200=${a}@http://x` }).message).toContain('只与省级节点');
    expect(wrong({ GGZY_FEDERATION_PEERS: `140000=${a}` }).message).toContain('设区市节点');
    expect(wrong({ GGZY_FEDERATION_PEERS: `140100=${a};140100=${b}` }).message).toContain('重复');
    expect(wrong({ GGZY_FEDERATION_PEERS: `140100=04${'1'.repeat(128)}` }).message).toContain('不是有效的 SM2 公钥');
    expect(wrong({ GGZY_FEDERATION_PEERS: `140100=${a}@ftp://x` }).message).toContain('http(s)');
    expect(wrong({ GGZY_NODE_ROLE: 'city', GGZY_REGION: '140100', GGZY_FEDERATION_PEERS: `140000=${a}` }).message).toContain('须配置省级节点的地址');
    for (const [name, min, max] of [['GGZY_FEDERATION_TIMEOUT_MS', 100, 60_000], ['GGZY_FEDERATION_MAX_SKEW_SECONDS', 5, 3600], ['GGZY_FEDERATION_SESSION_SECONDS', 0, 3600], ['GGZY_FEDERATION_RATE_LIMIT', 10, 1_000_000], ['GGZY_REFERENCE_REFRESH_MINUTES', 1, 1440]] as const) {
      expect(() => loadConfig({ [name]: String(min) }, '/srv/ggzy')).not.toThrow();
      expect(() => loadConfig({ [name]: String(max) }, '/srv/ggzy')).not.toThrow();
      expect(errorOf({ [name]: String(min - 1) }).variable).toBe(name);
      expect(errorOf({ [name]: String(max + 1) }).variable).toBe(name);
    }
  });

  it('checks the embedded database maintenance interval: 1 to 1440 minutes, 10 by default', () => {
    expect(loadConfig({}, '/srv/ggzy').embeddedMaintenanceMinutes).toBe(10);
    expect(loadConfig({ GGZY_PGLITE_MAINTENANCE_MINUTES: '1' }, '/srv/ggzy').embeddedMaintenanceMinutes).toBe(1);
    expect(loadConfig({ GGZY_PGLITE_MAINTENANCE_MINUTES: '1440' }, '/srv/ggzy').embeddedMaintenanceMinutes).toBe(1440);
    expect(errorOf({ GGZY_PGLITE_MAINTENANCE_MINUTES: '0' }).variable).toBe('GGZY_PGLITE_MAINTENANCE_MINUTES');
    expect(errorOf({ GGZY_PGLITE_MAINTENANCE_MINUTES: '1441' }).variable).toBe('GGZY_PGLITE_MAINTENANCE_MINUTES');
  });
});
