// All SQL of the registry module.

import { sql, type Kysely, type Selectable, type Insertable, type SqlBool, type Updateable } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { EntityKind, EntityRole, EntityStatus, VersionStatus } from './registry.rules.ts';
import type { RegistryTables, StoredProfile } from './registry.tables.ts';

type Db = Kysely<DB>;
export type EntityRow = Selectable<RegistryTables['registry.entities']>;
export type EntityInsert = Insertable<RegistryTables['registry.entities']>;
export type VersionRow = Selectable<RegistryTables['registry.entity_versions']>;
export type VersionInsert = Insertable<RegistryTables['registry.entity_versions']>;
export type VersionUpdate = Omit<Updateable<RegistryTables['registry.entity_versions']>, 'id' | 'entity_id' | 'number'>;
export type QualificationRow = Selectable<RegistryTables['registry.qualifications']>;
export type KeyPersonRow = Selectable<RegistryTables['registry.key_personnel']>;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A unique index refused the row (SQLSTATE 23505), on `constraint`. */
export function isUniqueViolation(e: unknown, constraint: string): boolean {
  const err = e as { code?: unknown; constraint?: unknown };
  return err.code === '23505' && err.constraint === constraint;
}

// ---- entities ----

export async function insertEntity(db: Db, row: EntityInsert): Promise<void> {
  await db.insertInto('registry.entities').values(row).execute();
}

export async function findEntity(db: Db, id: string): Promise<EntityRow | undefined> {
  return db.selectFrom('registry.entities').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function lockEntity(db: Db, id: string): Promise<EntityRow | undefined> {
  return db.selectFrom('registry.entities').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findEntityByKey(db: Db, key: { uscc: string } | { idNumberIndex: string }): Promise<EntityRow | undefined> {
  const qb = db.selectFrom('registry.entities').selectAll();
  return ('uscc' in key ? qb.where('uscc', '=', key.uscc) : qb.where('id_number_index', '=', key.idNumberIndex)).executeTakeFirst();
}

export async function updateEntity(db: Db, id: string, change: Partial<Omit<EntityRow, 'id' | 'version' | 'name_grams'>>): Promise<void> {
  await db
    .updateTable('registry.entities')
    .set((eb) => ({ ...change, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export interface EntitySearch {
  q?: string | undefined;
  kind?: EntityKind | undefined;
  role?: EntityRole | undefined;
  status?: EntityStatus | undefined;
  regionCodes?: string[] | undefined;
  limit: number;
  offset: number;
  /** Matches beyond this many are neither counted nor ranked (`more`: refine the search). */
  countCap: number;
}

const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/**
 * Entities by any part of the name (the name_grams GIN index, then the substring check), or
 * by an exact USCC. At most countCap + 1 matches are read (id and name only): their number is
 * the total, and they are ranked here — exact name first, then names starting with the query,
 * then shorter names, then by name — before the page is read in full. A common word thus costs
 * a bounded read instead of a sort of every match.
 */
export async function searchEntities(db: Db, s: EntitySearch): Promise<{ rows: EntityRow[]; total: number; more: boolean }> {
  let qb = db.selectFrom('registry.entities as e');
  const q = s.q?.trim();
  if (q) {
    const upper = q.toUpperCase();
    qb = USCC_SHAPE.test(upper)
      ? qb.where('e.uscc', '=', upper)
      : qb.where(sql<SqlBool>`e.name_grams @> registry.query_grams(${q})`).where('e.name', 'ilike', `%${escapeLike(q)}%`);
  }
  if (s.kind) qb = qb.where('e.kind', '=', s.kind);
  if (s.status) qb = qb.where('e.status', '=', s.status);
  if (s.role) qb = qb.where(sql<SqlBool>`${s.role} = ANY(e.roles)`);
  if (s.regionCodes) qb = qb.where(sql<SqlBool>`e.region_code = ANY(${s.regionCodes}::text[])`);
  const matches = await qb.select(['e.id', 'e.name']).limit(s.countCap + 1).execute();
  const more = matches.length > s.countCap;
  const lower = q?.toLowerCase();
  const rank = (name: string) => (lower === undefined ? 0 : name.toLowerCase() === lower ? 0 : name.toLowerCase().startsWith(lower) ? 1 : 2);
  const ranked = matches
    .slice(0, s.countCap)
    .map((m) => ({ ...m, rank: rank(m.name) }))
    .sort((a, b) => a.rank - b.rank || a.name.length - b.name.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
  const pageIds = ranked.slice(s.offset, s.offset + s.limit).map((m) => m.id);
  if (pageIds.length === 0) return { rows: [], total: ranked.length, more };
  const full = await db.selectFrom('registry.entities').selectAll().where(sql<SqlBool>`id = ANY(${pageIds}::uuid[])`).execute();
  const byId = new Map(full.map((r) => [r.id, r]));
  return { rows: pageIds.map((id) => byId.get(id)!), total: ranked.length, more };
}

// ---- versions ----

export async function insertVersion(db: Db, row: VersionInsert): Promise<void> {
  await db.insertInto('registry.entity_versions').values(row).execute();
}

export async function findVersion(db: Db, id: string): Promise<VersionRow | undefined> {
  return db.selectFrom('registry.entity_versions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The version being drafted or awaiting review, if any. */
export async function openVersion(db: Db, entityId: string): Promise<VersionRow | undefined> {
  return db.selectFrom('registry.entity_versions').selectAll().where('entity_id', '=', entityId).where('status', 'in', ['draft', 'submitted']).executeTakeFirst();
}

/** The newest version of an entity (whatever its status). */
export async function latestVersion(db: Db, entityId: string): Promise<VersionRow | undefined> {
  return db.selectFrom('registry.entity_versions').selectAll().where('entity_id', '=', entityId).orderBy('number', 'desc').limit(1).executeTakeFirst();
}

export async function versionsOf(db: Db, entityId: string): Promise<VersionRow[]> {
  return db.selectFrom('registry.entity_versions').selectAll().where('entity_id', '=', entityId).orderBy('number', 'desc').execute();
}

/** Moves a version from `from` to a new state (guarded); the new row, or undefined if it moved on. */
export async function moveVersion(db: Db, id: string, from: VersionStatus, change: VersionUpdate): Promise<VersionRow | undefined> {
  return db.updateTable('registry.entity_versions').set(change).where('id', '=', id).where('status', '=', from).returningAll().executeTakeFirst();
}

export interface ReviewQueueQuery {
  regionCodes: string[] | null;
  limit: number;
  offset: number;
}

export async function reviewQueue(db: Db, q: ReviewQueueQuery): Promise<{ rows: (VersionRow & { entity_name: string; entity_kind: EntityKind; uscc: string | null; region_code: string; entity_status: EntityStatus })[]; total: number }> {
  let qb = db.selectFrom('registry.entity_versions as v').innerJoin('registry.entities as e', 'e.id', 'v.entity_id').where('v.status', '=', 'submitted');
  if (q.regionCodes) qb = qb.where(sql<SqlBool>`e.region_code = ANY(${q.regionCodes}::text[])`);
  const total = await qb.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await qb
    .selectAll('v')
    .select(['e.name as entity_name', 'e.kind as entity_kind', 'e.uscc', 'e.region_code', 'e.status as entity_status'])
    .orderBy('v.submitted_at')
    .orderBy('v.id')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
  return { rows, total: Number(total.n) };
}

/** The media type of a file an entity's versions refer to (licence or certificate scan), if any. */
export async function fileReference(db: Db, entityId: string, digest: string): Promise<string | undefined> {
  const r = await sql<{ media_type: string }>`
    SELECT licence->>'mediaType' AS media_type FROM registry.entity_versions
     WHERE entity_id = ${entityId} AND licence->>'digest' = ${digest}
    UNION ALL
    SELECT c->'file'->>'mediaType' FROM registry.entity_versions v, jsonb_array_elements(v.data->'certificates') c
     WHERE v.entity_id = ${entityId} AND c->'file'->>'digest' = ${digest}
    LIMIT 1`.execute(db);
  return r.rows[0]?.media_type;
}

// ---- projections of the approved version ----

export async function replaceProjections(
  db: Db,
  entityId: string,
  qualifications: Omit<QualificationRow, 'entity_id'>[],
  personnel: Omit<KeyPersonRow, 'entity_id'>[],
): Promise<void> {
  await db.deleteFrom('registry.qualifications').where('entity_id', '=', entityId).execute();
  await db.deleteFrom('registry.key_personnel').where('entity_id', '=', entityId).execute();
  if (qualifications.length > 0) await db.insertInto('registry.qualifications').values(qualifications.map((q) => ({ ...q, entity_id: entityId }))).execute();
  if (personnel.length > 0) await db.insertInto('registry.key_personnel').values(personnel.map((p) => ({ ...p, entity_id: entityId }))).execute();
}

/** Projects an approved profile into the qualification and key-personnel tables. */
export async function projectProfile(db: Db, entityId: string, p: StoredProfile): Promise<void> {
  await replaceProjections(
    db,
    entityId,
    p.qualifications.map((q) => ({ id: q.id, category: q.category, grade: q.grade, number: q.number, issuer: q.issuer, valid_from: q.validFrom, valid_to: q.validTo })),
    p.keyPersonnel.map((k) => ({
      id: k.id,
      name: k.name,
      role: k.role,
      id_number_index: k.idNumber.digest,
      id_number_masked: k.idNumber.masked,
      certificate_kind: k.certificateKind,
      certificate_number: k.certificateNumber,
      certificate_valid_to: k.certificateValidTo,
    })),
  );
}

export async function qualificationsOf(db: Db, entityIds: string[]): Promise<QualificationRow[]> {
  return db.selectFrom('registry.qualifications').selectAll().where(sql<SqlBool>`entity_id = ANY(${entityIds}::uuid[])`).execute();
}

export async function findQualification(db: Db, id: string): Promise<QualificationRow | undefined> {
  return db.selectFrom('registry.qualifications').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Qualifications of active entities whose last day falls within [from, to], soonest first. */
export async function qualificationsEnding(db: Db, q: { from: string; to: string; regionCodes: string[] | null; limit: number; offset: number }) {
  let qb = db
    .selectFrom('registry.qualifications as q')
    .innerJoin('registry.entities as e', 'e.id', 'q.entity_id')
    .where('e.status', '=', 'active')
    .where('q.valid_to', '>=', q.from)
    .where('q.valid_to', '<=', q.to);
  if (q.regionCodes) qb = qb.where(sql<SqlBool>`e.region_code = ANY(${q.regionCodes}::text[])`);
  const total = await qb.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await qb.selectAll('q').select(['e.name as entity_name', 'e.uscc']).orderBy('q.valid_to').orderBy('q.id').limit(q.limit).offset(q.offset).execute();
  return { rows, total: Number(total.n) };
}

/** Many entities at once (the benchmark), in chunks well under 65,535 parameters. The caller provides the transaction. */
export async function insertEntitiesBulk(db: Db, rows: readonly EntityInsert[]): Promise<void> {
  const CHUNK = 2000;
  for (let i = 0; i < rows.length; i += CHUNK) await db.insertInto('registry.entities').values(rows.slice(i, i + CHUNK)).execute();
}
