// What other modules may know of an expert without going through a use case: the facts the
// session of an expert's account shows (identity), read by id.

import type { Db } from '../../platform/db/database.ts';
import { findExpert } from './experts.repository.ts';

export async function expertFacts(db: Db, id: string): Promise<{ name: string; regionCode: string; status: string } | undefined> {
  const row = await findExpert(db, id);
  return row ? { name: row.name, regionCode: row.region_code, status: row.status } : undefined;
}
