// What other modules may know of an entity without going through a use case: the facts the
// session of an entity's account shows (identity), read by id. Only the repository behind it.

import type { Db } from '../../platform/db/database.ts';
import { findEntity } from './registry.repository.ts';

export async function entityFacts(db: Db, id: string): Promise<{ name: string; region_code: string; kind: 'organisation' | 'person'; status: string } | undefined> {
  const row = await findEntity(db, id);
  return row ? { name: row.name, region_code: row.region_code, kind: row.kind, status: row.status } : undefined;
}
