// What other modules may know of an entity without going through a use case: the facts the
// session of an entity's account shows (identity), read by id. Only the repository behind it.

import { openSm4 } from '../../platform/crypto/sm4.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Deps } from '../../platform/deps.ts';
import type { Keys } from '../../platform/crypto/keys.ts';
import { findEntity, findEntityByKey, type EntityRow } from './registry.repository.ts';

export async function entityFacts(db: Db, id: string): Promise<{ name: string; region_code: string; kind: 'organisation' | 'person'; status: string } | undefined> {
  const row = await findEntity(db, id);
  return row ? { name: row.name, region_code: row.region_code, kind: row.kind, status: row.status } : undefined;
}

/**
 * The identifier an entity is known by in other registers (credit records): its USCC, or the
 * natural person's ID number, opened for the caller to key its own lookup with.
 */
export async function entitySubject(deps: Pick<Deps, 'db' | 'keys'>, id: string): Promise<({ kind: 'organisation'; uscc: string } | { kind: 'person'; idNumber: string }) & { name: string }> {
  const row = await findEntity(deps.db, id);
  if (!row) throw new Error(`entity ${id} does not exist`);
  if (row.kind === 'organisation') return { kind: 'organisation', uscc: row.uscc!, name: row.name };
  return { kind: 'person', idNumber: openEntityIdNumber(deps.keys, row), name: row.name };
}

/** A natural person's ID number, opened (the caller is entitled to it and must not log it). */
export function openEntityIdNumber(keys: Pick<Keys, 'master'>, row: Pick<EntityRow, 'id' | 'id_number_enc'>): string {
  return openSm4(keys.master, row.id_number_enc!, `registry:${row.id}:id_number`).toString('utf8');
}

export interface EntityParty {
  id: string;
  name: string;
  kind: 'organisation' | 'person';
  uscc: string | null;
  regionCode: string;
  status: 'registering' | 'active' | 'suspended';
  statusReason: string | null;
  roles: string[];
}

/** An entity as a party to a deal: who it is, whether it is active, and the roles it registered. */
export async function entityParty(db: Db, id: string): Promise<EntityParty | undefined> {
  const row = await findEntity(db, id);
  return row ? { id: row.id, name: row.name, kind: row.kind, uscc: row.uscc, regionCode: row.region_code, status: row.status, statusReason: row.status_reason, roles: row.roles } : undefined;
}

/** The names of entities by id (for showing parties of a deal). */
export async function entityNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('registry.entities').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** An active organisation by its USCC, as a possible party (an agency looks up the tenderer it acts for). */
export async function activePartyByUscc(db: Db, uscc: string): Promise<EntityParty | undefined> {
  const row = await findEntityByKey(db, { uscc });
  return row && row.status === 'active' ? { id: row.id, name: row.name, kind: row.kind, uscc: row.uscc, regionCode: row.region_code, status: row.status, statusReason: row.status_reason, roles: row.roles } : undefined;
}
