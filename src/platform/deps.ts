// What services receive: explicit dependencies, no container.

import type { AuthCache } from './auth/auth-cache.ts';
import type { SessionSnapshot } from './auth/principal.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Keys } from './crypto/keys.ts';
import type { Db } from './db/database.ts';
import type { BlobStore } from './files/blob-store.ts';
import type { LicenceReader } from '../modules/registry/registry.licence.ts';

export interface Deps {
  config: Config;
  db: Db;
  clock: Clock;
  keys: Keys;
  /** Resolved sessions; every change to sessions, accounts, grants or roles invalidates it. */
  authCache: AuthCache<SessionSnapshot>;
  /** Uploaded files (licence images, attachments), by SM3 digest. */
  blobs: BlobStore;
  /** Reads business licence images (OCR); loads its models on first use. */
  licenceReader: LicenceReader;
}
