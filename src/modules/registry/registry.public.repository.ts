// SQL of the public entity lookup (registry.public.ts): registered organisations with an approved
// profile, by exact USCC or by part of the name (the name_grams GIN index, then the substring
// check, as the staff search does). Only the columns the public may see are read; the sealed
// values of the profile (ID numbers, phones, bank account) never leave the database.

import { sql, type SqlBool } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { EntityRole, EntityStatus } from './registry.rules.ts';

export interface PublicEntityRow {
  id: string;
  name: string;
  uscc: string;
  region_code: string;
  status: EntityStatus;
  roles: EntityRole[];
  approved_at: Date | null;
  entity_type: string | null;
  legal_representative: string | null;
  established_on: string | null;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Up to `limit` + 1 matches from `offset` (the extra one says there are more): exact name
 * first, then names starting with the query, then shorter names, then by name.
 */
export async function findPublicEntities(db: Db, by: { uscc: string } | { name: string }, limit: number, offset: number): Promise<PublicEntityRow[]> {
  let qb = db
    .selectFrom('registry.entities as e')
    .innerJoin('registry.entity_versions as v', 'v.id', 'e.current_version_id')
    .where('e.kind', '=', 'organisation')
    .where('e.status', 'in', ['active', 'suspended']);
  if ('uscc' in by) qb = qb.where('e.uscc', '=', by.uscc);
  else qb = qb.where(sql<SqlBool>`e.name_grams @> registry.query_grams(${by.name})`).where('e.name', 'ilike', `%${escapeLike(by.name)}%`);
  const lower = 'name' in by ? by.name.toLowerCase() : '';
  const rows = await qb
    .select(['e.id', 'e.name', 'e.region_code', 'e.status', 'e.roles', 'e.approved_at'])
    .select(sql<string>`e.uscc`.as('uscc'))
    .select(sql<string | null>`v.data->>'entityType'`.as('entity_type'))
    .select(sql<string | null>`v.data->'legalRepresentative'->>'name'`.as('legal_representative'))
    .select(sql<string | null>`v.data->>'establishedOn'`.as('established_on'))
    .orderBy(sql`CASE WHEN lower(e.name) = ${lower} THEN 0 WHEN lower(e.name) LIKE ${escapeLike(lower) + '%'} THEN 1 ELSE 2 END`)
    .orderBy(sql`length(e.name)`)
    .orderBy('e.name')
    .orderBy('e.id')
    .limit(limit + 1)
    .offset(offset)
    .execute();
  return rows;
}
