// Configuration is read from the environment once, at start-up, and validated here; nothing
// else in the code base reads process.env. A wrong value stops start-up with a message that
// names the variable and the rule it broke.

import path from 'node:path';
import { isValidSm2PublicKey } from './crypto/sm2.ts';
import { checkUscc } from './validation/ids.ts';

export type NodeRole = 'province' | 'city';

export interface SecurityConfig {
  /** Idle time after which a session ends (等保: 30 minutes). */
  sessionIdleMinutes: number;
  /** Absolute lifetime of a session, however active. */
  sessionMaxHours: number;
  /** A session's last-seen time is written at most this often; the idle timeout can thus end a
   * session up to this many seconds early, never late. */
  sessionTouchSeconds: number;
  /** How long a resolved session may be served from memory; bounds how late another node sees
   * a revocation (0 = always read the database). */
  sessionCacheSeconds: number;
  /** Consecutive failures (password or second factor) that lock an account. */
  lockoutThreshold: number;
  lockoutMinutes: number;
  /** Days after which a password expires and must be changed (0 = never). */
  passwordMaxAgeDays: number;
  passwordMinLength: number;
  /** Login attempts per client address per minute on the authentication routes. */
  authRateLimitPerMinute: number;
  /** Set the Secure attribute on cookies (turn on behind HTTPS). */
  cookieSecure: boolean;
}

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** PostgreSQL server URL; absent → embedded PGlite under dataDir. */
  databaseUrl: string | undefined;
  nodeRole: NodeRole;
  /** GB/T 2260 code of the region this node serves: 140000 for the province, a city code for a city. */
  regionCode: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimitBytes: number;
  /** Largest sealed bid envelope the bid box takes (bytes; the upload streams, so not bodyLimitBytes). */
  bidMaxBytes: number;
  trustProxy: boolean;
  /** Bearer token for GET /metrics from other hosts; without it only loopback may read metrics. */
  metricsToken: string | undefined;
  /** 16-byte SM4 master key (hex); absent → generated once and kept under dataDir. */
  masterKeyHex: string | undefined;
  /** Directory of the built workbench (web/dist). */
  webDir: string;
  /**
   * Demonstration installation (GGZY_DEMO_MODE, on with `serve --seed-demo`): centre staff may
   * move a deal's own clock forward so a whole tender can be walked through in minutes. Never on
   * in production — every rule still runs, but on a clock people can move.
   */
  demoMode: boolean;
  /** How often the platform looks for deadlines and decryption windows that have come (ms). */
  sweepIntervalMs: number;
  /** How often an embedded (PGlite) database is checked for tables due a vacuum or analyze (minutes; src/platform/db/maintenance.ts). */
  embeddedMaintenanceMinutes: number;
  /** USCC of the coding platform (赋码平台): the first 18 characters of every deal code issued here. */
  codingUscc: string;
  portal: PortalConfig;
  security: SecurityConfig;
  federation: FederationConfig;
}

/** Another node this one exchanges signed, encrypted envelopes with (src/platform/federation). */
export interface FederationPeer {
  /** The peer's region code, which is also its name in envelopes: 140000 or a city code. */
  region: string;
  /** The peer's federation SM2 public key (hex, 04‖x‖y), as `GET /api/v1/federation/node` shows it. */
  publicKey: string;
  /** Base URL this node calls the peer at; absent → the peer may call here, but is not called. */
  url: string | undefined;
}

export interface FederationConfig {
  /**
   * GGZY_FEDERATION_PEERS: `region=publicKey[@url]`, separated by `;`. A city node lists the
   * province (with its URL: the city reads the province's registry); the province lists the
   * cities it answers. Cities do not talk to each other.
   */
  peers: FederationPeer[];
  /** How long a call to another node may take before it counts as unreachable (ms). */
  timeoutMs: number;
  /** How far an envelope's sending time may be from this node's clock (s); older ones are refused as replays. */
  maxSkewSeconds: number;
  /**
   * How long this node reuses one session key (SM2-sealed to a peer) across its requests to that
   * peer (s); 0 = a fresh key per request. Every request is signed either way (federation.envelope.ts).
   */
  sessionSeconds: number;
  /** Envelopes one client address may post per minute (the route carries no session; refusals are audited). */
  rateLimitPerMinute: number;
  /** A city's reference copy of a province entity older than this (min) is refreshed from the province (registry.reference.ts). */
  referenceRefreshMinutes: number;
}

export interface PortalConfig {
  /** How often the portal reads new deal events (ms): a publication shows within this time. */
  pollIntervalMs: number;
  /** Notices of one list page (the reader may pick fewer). */
  pageSize: number;
  /** How deep a list may page (rows); beyond it a reader narrows the filters. */
  maxListDepth: number;
  /**
   * How many of the newest matches a search ranks (10 pages of 20). Each candidate's tsvector is
   * read to rank it: on 1,000,000 notices a common word costs ≈ 15 ms at 200 and ≈ 90 ms at 1,000
   * (PostgreSQL 15, warm cache, EXPLAIN ANALYZE); a reader wanting older matches narrows by date.
   */
  searchWindow: number;
  /** The portal's public origin for absolute links in feeds (GGZY_PUBLIC_ORIGIN); absent → the request's host. */
  origin: string | undefined;
}

function readOrigin(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, '应为 http(s)://主机[:端口]');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search || url.hash) throw new ConfigError(name, '应为 http(s)://主机[:端口]，不带路径');
  return url.origin;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`配置错误 ${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `必须是整数，实际为 "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `必须在 ${min} 到 ${max} 之间，实际为 ${value}`);
  return value;
}

function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(name, `必须是 true 或 false，实际为 "${raw}"`);
}

function readEnum<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `必须是 ${allowed.join(' | ')} 之一，实际为 "${raw}"`);
  }
  return raw as T;
}

/**
 * A province-level public institution (事业单位, registered by the 机构编制 authority: 1 2) in
 * Shanxi (140000), with both check digits computed (organisation code 40520000-0, USCC check H).
 * Every deployment should set its own.
 */
export const DEFAULT_CODING_USCC = '12140000405200000H';

const USCC_RULE_MESSAGES = {
  format: '必须是 18 位统一社会信用代码（不含 I、O、S、V、Z）',
  check_digit: '统一社会信用代码校验位（第 18 位）不正确',
  org_code_check_digit: '统一社会信用代码中的组织机构代码校验位（第 17 位）不正确',
} as const;

function readUscc(env: Env, name: string, fallback: string): string {
  const raw = env[name]?.trim() || fallback;
  const checked = checkUscc(raw);
  if (!checked.ok) throw new ConfigError(name, `${USCC_RULE_MESSAGES[checked.rule]}，实际为 "${raw}"`);
  return checked.normalized;
}

/** 200 MB: a construction bid with drawings; the envelope streams to disk, so this bounds disk use, not memory. */
export const DEFAULT_BID_MAX_BYTES = 200 * 1024 * 1024;
/** 1 MB at least (a bid envelope carries a header, a tag and the bid itself), 4 GB at most. */
export const MIN_BID_MAX_BYTES = 1024 * 1024;
export const MAX_BID_MAX_BYTES = 4 * 1024 * 1024 * 1024;

const SHANXI_CITY = /^14(0[1-9]|1[01])00$/;

/** GGZY_FEDERATION_PEERS, checked against this node's role: a city knows the province, the province knows cities. */
function readPeers(env: Env, nodeRole: NodeRole, regionCode: string): FederationPeer[] {
  const name = 'GGZY_FEDERATION_PEERS';
  const raw = env[name]?.trim();
  if (!raw) return [];
  const peers: FederationPeer[] = [];
  for (const item of raw.split(';').map((x) => x.trim()).filter((x) => x !== '')) {
    const m = /^(\d{6})=([0-9a-fA-F]+)(?:@(\S+))?$/.exec(item);
    if (!m) throw new ConfigError(name, `每一项应为 区划代码=公钥[@地址]，实际为 "${item.slice(0, 40)}"`);
    const region = m[1]!;
    const publicKey = m[2]!;
    const rawUrl = m[3];
    if (nodeRole === 'city' && region !== '140000') throw new ConfigError(name, `市级节点只与省级节点（140000）交换数据，实际为 ${region}`);
    if (nodeRole === 'province' && !SHANXI_CITY.test(region)) throw new ConfigError(name, `省级节点的对端应为设区市节点（140100…141100），实际为 ${region}`);
    if (region === regionCode) throw new ConfigError(name, `对端不能是本节点（${region}）`);
    if (peers.some((p) => p.region === region)) throw new ConfigError(name, `区划 ${region} 重复配置`);
    if (!isValidSm2PublicKey(publicKey)) throw new ConfigError(name, `区划 ${region} 的公钥不是有效的 SM2 公钥`);
    let url: string | undefined;
    if (rawUrl !== undefined) {
      let parsed: URL;
      try {
        parsed = new URL(rawUrl);
      } catch {
        throw new ConfigError(name, `区划 ${region} 的地址应为 http(s)://主机[:端口]`);
      }
      if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.search || parsed.hash) throw new ConfigError(name, `区划 ${region} 的地址应为 http(s)://主机[:端口]`);
      url = parsed.href.replace(/\/$/, '');
    }
    peers.push({ region, publicKey: publicKey.toLowerCase(), url });
  }
  if (nodeRole === 'city' && peers.length > 0 && peers[0]!.url === undefined) throw new ConfigError(name, '市级节点须配置省级节点的地址（140000=公钥@http(s)://…）');
  return peers;
}

/** Reads and validates the configuration. `cwd` anchors relative paths. */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const nodeRole = readEnum(env, 'GGZY_NODE_ROLE', ['province', 'city'] as const, 'province');
  const regionCode = env.GGZY_REGION?.trim() || '140000';
  if (!/^\d{6}$/.test(regionCode)) throw new ConfigError('GGZY_REGION', `必须是 6 位行政区划代码，实际为 "${regionCode}"`);
  if (nodeRole === 'province' && regionCode !== '140000') {
    throw new ConfigError('GGZY_REGION', '省级节点的区划代码必须为 140000');
  }
  if (nodeRole === 'city' && !SHANXI_CITY.test(regionCode)) {
    throw new ConfigError('GGZY_REGION', `市级节点的区划代码必须是山西省设区市代码（140100…141100），实际为 "${regionCode}"`);
  }

  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', '必须以 postgres:// 或 postgresql:// 开头');
  }

  const masterKeyHex = env.GGZY_MASTER_KEY?.trim() || undefined;
  if (masterKeyHex !== undefined && !/^[0-9a-fA-F]{32}$/.test(masterKeyHex)) {
    throw new ConfigError('GGZY_MASTER_KEY', '必须是 32 位十六进制字符（16 字节 SM4 密钥）');
  }

  const metricsToken = env.GGZY_METRICS_TOKEN?.trim() || undefined;
  if (metricsToken !== undefined && metricsToken.length < 16) {
    throw new ConfigError('GGZY_METRICS_TOKEN', '长度至少 16 个字符');
  }

  const host = env.GGZY_HOST?.trim() || '127.0.0.1';
  const dataDir = path.resolve(cwd, env.GGZY_DATA_DIR?.trim() || 'data');

  return {
    host,
    port: readInt(env, 'GGZY_PORT', 3000, 0, 65535),
    dataDir,
    databaseUrl,
    nodeRole,
    regionCode,
    logLevel: readEnum(env, 'GGZY_LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    bodyLimitBytes: readInt(env, 'GGZY_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
    bidMaxBytes: readInt(env, 'GGZY_BID_MAX_BYTES', DEFAULT_BID_MAX_BYTES, MIN_BID_MAX_BYTES, MAX_BID_MAX_BYTES),
    trustProxy: readBool(env, 'GGZY_TRUST_PROXY', false),
    metricsToken,
    masterKeyHex,
    webDir: path.resolve(cwd, env.GGZY_WEB_DIR?.trim() || 'web/dist'),
    demoMode: readBool(env, 'GGZY_DEMO_MODE', false),
    sweepIntervalMs: readInt(env, 'GGZY_SWEEP_INTERVAL_MS', 1000, 100, 60_000),
    embeddedMaintenanceMinutes: readInt(env, 'GGZY_PGLITE_MAINTENANCE_MINUTES', 10, 1, 1440),
    codingUscc: readUscc(env, 'GGZY_CODING_USCC', DEFAULT_CODING_USCC),
    portal: {
      pollIntervalMs: readInt(env, 'GGZY_PORTAL_POLL_MS', 250, 50, 60_000),
      pageSize: readInt(env, 'GGZY_PORTAL_PAGE_SIZE', 20, 5, 100),
      maxListDepth: readInt(env, 'GGZY_PORTAL_MAX_DEPTH', 10_000, 100, 1_000_000),
      searchWindow: readInt(env, 'GGZY_PORTAL_SEARCH_WINDOW', 200, 50, 100_000),
      origin: readOrigin(env, 'GGZY_PUBLIC_ORIGIN'),
    },
    security: {
      sessionIdleMinutes: readInt(env, 'GGZY_SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
      sessionMaxHours: readInt(env, 'GGZY_SESSION_MAX_HOURS', 12, 1, 24 * 7),
      sessionTouchSeconds: readInt(env, 'GGZY_SESSION_TOUCH_SECONDS', 15, 0, 300),
      sessionCacheSeconds: readInt(env, 'GGZY_SESSION_CACHE_SECONDS', 5, 0, 60),
      lockoutThreshold: readInt(env, 'GGZY_LOCKOUT_THRESHOLD', 5, 1, 100),
      lockoutMinutes: readInt(env, 'GGZY_LOCKOUT_MINUTES', 15, 1, 24 * 60),
      passwordMaxAgeDays: readInt(env, 'GGZY_PASSWORD_MAX_AGE_DAYS', 90, 0, 3650),
      passwordMinLength: readInt(env, 'GGZY_PASSWORD_MIN_LENGTH', 8, 8, 128),
      authRateLimitPerMinute: readInt(env, 'GGZY_AUTH_RATE_LIMIT', 30, 1, 100_000),
      cookieSecure: readBool(env, 'GGZY_COOKIE_SECURE', false),
    },
    federation: {
      peers: readPeers(env, nodeRole, regionCode),
      timeoutMs: readInt(env, 'GGZY_FEDERATION_TIMEOUT_MS', 5000, 100, 60_000),
      maxSkewSeconds: readInt(env, 'GGZY_FEDERATION_MAX_SKEW_SECONDS', 300, 5, 3600),
      sessionSeconds: readInt(env, 'GGZY_FEDERATION_SESSION_SECONDS', 600, 0, 3600),
      rateLimitPerMinute: readInt(env, 'GGZY_FEDERATION_RATE_LIMIT', 6000, 10, 1_000_000),
      referenceRefreshMinutes: readInt(env, 'GGZY_REFERENCE_REFRESH_MINUTES', 10, 1, 1440),
    },
  };
}
