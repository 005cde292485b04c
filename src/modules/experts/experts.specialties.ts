// The specialty code table ships as data with the code (data/specialties.json, with a version).
// Validation and parent→leaf expansion use the in-memory table; the database copy
// (experts.specialties, filled by syncSpecialties at migrate time) serves the foreign keys.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { sm3Hex } from '../../platform/crypto/sm3.ts';
import type { DB } from '../../platform/db/schema.ts';
import { SpecialtyTable, type Specialty } from './experts.rules.ts';

interface SpecialtyFile {
  name: string;
  version: string;
  specialties: Specialty[];
}

const DATA_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data', 'specialties.json');
const REFERENCE_NAME = 'expert_specialties';

let cached: { table: SpecialtyTable; checksum: string } | undefined;

export function loadSpecialtyTable(): SpecialtyTable {
  if (!cached) {
    const text = fs.readFileSync(DATA_FILE, 'utf8');
    const file = JSON.parse(text) as SpecialtyFile;
    cached = { table: new SpecialtyTable(file.specialties, file.version), checksum: sm3Hex(text) };
  }
  return cached.table;
}

/**
 * Brings experts.specialties in line with the shipped file when the file changed (upsert). A code
 * dropped from the file stays in the database, since experts may still hold it; the in-memory
 * table no longer offers it, so nobody can declare it again.
 */
export async function syncSpecialties(db: Kysely<DB>): Promise<boolean> {
  const table = loadSpecialtyTable();
  const checksum = cached!.checksum;
  const current = await db.selectFrom('platform.reference_data').select('checksum').where('name', '=', REFERENCE_NAME).executeTakeFirst();
  if (current?.checksum === checksum) return false;
  await db.transaction().execute(async (trx) => {
    // Categories before leaves, so the self-reference holds row by row.
    const rows = [...table.specialties]
      .sort((a, b) => table.levelOf(a.code) - table.levelOf(b.code))
      .map((s) => ({ code: s.code, name: s.name, parent_code: s.parentCode, level: table.levelOf(s.code) }));
    await trx
      .insertInto('experts.specialties')
      .values(rows)
      .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), parent_code: eb.ref('excluded.parent_code'), level: eb.ref('excluded.level') })))
      .execute();
    await trx
      .insertInto('platform.reference_data')
      .values({ name: REFERENCE_NAME, version: table.version, checksum, loaded_at: new Date() })
      .onConflict((oc) => oc.column('name').doUpdateSet({ version: table.version, checksum, loaded_at: new Date() }))
      .execute();
  });
  return true;
}
