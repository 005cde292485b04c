// Starting the platform: configuration → keys → database (migrated, reference data loaded).

import path from 'node:path';
import { AuthCache } from './platform/auth/auth-cache.ts';
import { BlobStore } from './platform/files/blob-store.ts';
import { defaultLicenceReader } from './modules/registry/registry.licence.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import type { Config } from './platform/config.ts';
import { deriveKeys, loadMasterKey } from './platform/crypto/keys.ts';
import { openDatabase, type Database } from './platform/db/database.ts';
import { migrate, type MigrateResult } from './platform/db/migrate.ts';
import type { Db } from './platform/db/database.ts';
import type { Deps } from './platform/deps.ts';
import { syncRegions } from './modules/org/org.regions.ts';
import { syncDefaultRoles } from './modules/org/org.roles.defaults.ts';
import { syncSpecialties } from './modules/experts/experts.specialties.ts';

/** Migrations, then the reference data that ships with the code (regions, built-in roles). */
export async function prepareDatabase(db: Db, now: Date = new Date()): Promise<MigrateResult> {
  const result = await migrate(db);
  await syncRegions(db);
  await syncSpecialties(db);
  await syncDefaultRoles(db, now);
  return result;
}

export async function openConfiguredDatabase(config: Config): Promise<Database> {
  return openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
}

export function makeDeps(config: Config, database: Database, clock: Clock = systemClock): Deps {
  return {
    config,
    db: database.db,
    clock,
    keys: deriveKeys(loadMasterKey(config.masterKeyHex, config.dataDir)),
    authCache: new AuthCache(config.security.sessionCacheSeconds * 1000),
    blobs: new BlobStore(path.join(config.dataDir, 'blobs')),
    licenceReader: defaultLicenceReader(),
  };
}
