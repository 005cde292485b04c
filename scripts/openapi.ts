// Writes the OpenAPI document generated from the route schemas to docs/openapi.json, so that
// an API change shows in review. A test fails while the committed file is out of date.

import os from 'node:os';
import { defaultLicenceReader } from '../src/modules/registry/registry.licence.ts';
import { BlobStore } from '../src/platform/files/blob-store.ts';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { buildApp } from '../src/app.ts';
import { AuthCache } from '../src/platform/auth/auth-cache.ts';
import { systemClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import { deriveKeys } from '../src/platform/crypto/keys.ts';
import { createPglite, openDatabase } from '../src/platform/db/database.ts';

export const OPENAPI_FILE = new URL('../docs/openapi.json', import.meta.url);

export function renderOpenApi(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Building the app needs no tables; an empty in-memory database will do.
  const engine = await createPglite();
  const database = await openDatabase({ pglite: engine });
  const app = await buildApp({ config: loadConfig({ GGZY_LOG_LEVEL: 'silent' }), db: database.db, clock: systemClock, keys: deriveKeys(crypto.randomBytes(16)), authCache: new AuthCache(0), blobs: new BlobStore(os.tmpdir()), licenceReader: defaultLicenceReader() }, { logger: false });
  await app.ready();
  fs.writeFileSync(OPENAPI_FILE, renderOpenApi(app.swagger()));
  await app.close();
  await database.close();
  await engine.close();
  process.stdout.write(`wrote ${OPENAPI_FILE.pathname}\n`);
}
