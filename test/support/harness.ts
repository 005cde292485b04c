// One test file's world: a cloned database, a manual clock, the HTTP app, and factories that
// build whatever parent records a test does not supply.

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BlobStore } from '../../src/platform/files/blob-store.ts';
import { defaultLicenceReader } from '../../src/modules/registry/registry.licence.ts';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { generate as generateTotp } from 'otplib';
import { buildApp } from '../../src/app.ts';
import { AuthCache } from '../../src/platform/auth/auth-cache.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { loadConfig, type Config } from '../../src/platform/config.ts';
import { deriveKeys } from '../../src/platform/crypto/keys.ts';
import type { Database } from '../../src/platform/db/database.ts';
import type { Deps } from '../../src/platform/deps.ts';
import { cliAuditContext, createAccountDirect } from '../../src/modules/identity/identity.bootstrap.ts';
import { ensureOrganisation } from '../../src/modules/org/org.bootstrap.ts';
import type { DataScope, OrganisationKind } from '../../src/modules/org/org.tables.ts';
import { cloneTestDatabase } from './database.ts';

export const PASSWORD = 'Test@2026pass';
export const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export interface Harness {
  app: FastifyInstance;
  deps: Deps;
  clock: ManualClock;
  database: Database;
  close(): Promise<void>;
}

/** `masterKey`: the node's master key, when a test needs to know its keys beforehand (two federated nodes). */
export async function createHarness(env: Record<string, string> = {}, options: { logLines?: string[]; masterKey?: Buffer } = {}): Promise<Harness> {
  const database = await cloneTestDatabase();
  const clock = new ManualClock('2026-03-02T01:00:00Z');
  const config: Config = loadConfig({ GGZY_LOG_LEVEL: options.logLines ? 'trace' : 'silent', GGZY_WEB_DIR: '.tmp/no-web', GGZY_AUTH_RATE_LIMIT: '10000', ...env });
  const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ggzy-blobs-'));
  const deps: Deps = {
    config,
    db: database.db,
    clock,
    keys: deriveKeys(options.masterKey ?? crypto.randomBytes(16)),
    authCache: new AuthCache(config.security.sessionCacheSeconds * 1000),
    blobs: new BlobStore(blobDir),
    licenceReader: defaultLicenceReader(),
  };
  const lines = options.logLines;
  const logger = lines ? { level: 'trace', stream: { write: (line: string) => void lines.push(line) } } : false;
  const app = await buildApp(deps, { logger });
  await app.ready();
  return {
    app,
    deps,
    clock,
    database,
    close: async () => {
      await app.close();
      await deps.licenceReader.close();
      await database.close();
      fs.rmSync(blobDir, { recursive: true, force: true });
    },
  };
}

export async function makeOrganisation(h: Harness, input: { name?: string; regionCode?: string; kind?: OrganisationKind; parentId?: string | null } = {}): Promise<string> {
  return ensureOrganisation(
    h.deps,
    {
      name: input.name ?? `测试机构${crypto.randomBytes(3).toString('hex')}`,
      kind: input.kind ?? 'trading_centre',
      regionCode: input.regionCode ?? '140000',
      parentId: input.parentId ?? null,
    },
    cliAuditContext(h.clock.now(), 'test'),
  );
}

export interface AccountSpec {
  username?: string;
  organisationId?: string;
  regionCode?: string;
  roles?: { code: string; scope: DataScope }[];
  mustChangePassword?: boolean;
  totp?: boolean;
  password?: string;
}

export async function makeAccount(h: Harness, spec: AccountSpec = {}): Promise<{ id: string; username: string; organisationId: string }> {
  const username = spec.username ?? `u${crypto.randomBytes(4).toString('hex')}`;
  const organisationId = spec.organisationId ?? (await makeOrganisation(h, { regionCode: spec.regionCode ?? '140000' }));
  const id = await createAccountDirect(
    h.deps,
    {
      username,
      displayName: username,
      password: spec.password ?? PASSWORD,
      organisationId,
      roles: spec.roles ?? [],
      mustChangePassword: spec.mustChangePassword ?? false,
      totpSecret: spec.totp === false ? undefined : TOTP_SECRET,
    },
    cliAuditContext(h.clock.now(), 'test'),
  );
  return { id, username, organisationId };
}

export async function totpNow(h: Harness, offsetSteps = 0): Promise<string> {
  return generateTotp({ secret: TOTP_SECRET, epoch: Math.floor(h.clock.now().getTime() / 1000) + offsetSteps * 30 });
}

/** Signs in through the API (password, then TOTP when asked) and returns a bearer token. */
export async function signIn(h: Harness, username: string, password = PASSWORD): Promise<{ token: string; stage: string }> {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password, tokenType: 'bearer' } });
  if (res.statusCode !== 200) throw new Error(`login of ${username} failed: ${res.statusCode} ${res.body}`);
  const body = res.json<{ token: string; stage: string }>();
  if (body.stage === 'mfa') {
    // Each TOTP step is accepted once per account: move to a fresh step for every sign-in.
    h.clock.advance(30_000);
    const mfa = await h.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', headers: { authorization: `Bearer ${body.token}` }, payload: { code: await totpNow(h) } });
    if (mfa.statusCode !== 200) throw new Error(`mfa of ${username} failed: ${mfa.statusCode} ${mfa.body}`);
    return { token: body.token, stage: mfa.json<{ stage: string }>().stage };
  }
  return body;
}

export async function signedInAs(h: Harness, spec: AccountSpec): Promise<{ token: string; id: string; username: string; organisationId: string }> {
  const account = await makeAccount(h, spec);
  const { token, stage } = await signIn(h, account.username, spec.password);
  if (stage !== 'active') throw new Error(`account ${account.username} is at stage ${stage}`);
  return { ...account, token };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export function problem(res: LightMyRequestResponse): { code: string; detail: string; field?: string; rule?: string; errors?: { field: string; rule: string; message: string }[] } {
  return res.json();
}
