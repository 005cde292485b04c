// All SQL of the org module.

import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { OrgTables } from './org.tables.ts';

type Db = Kysely<DB>;
export type OrganisationRow = Selectable<OrgTables['org.organisations']>;
export type PersonnelRow = Selectable<OrgTables['org.personnel']>;
export type RoleRow = Selectable<OrgTables['org.roles']>;

// ---- organisations ----

export async function organisationIdsInRegions(db: Db, regionCodes: string[]): Promise<string[]> {
  if (regionCodes.length === 0) return [];
  const rows = await db.selectFrom('org.organisations').select('id').where('region_code', 'in', regionCodes).execute();
  return rows.map((r) => r.id);
}

/** The organisation and all below it (recursive CTE, one query whatever the depth). */
export async function organisationSubtreeIds(db: Db, rootId: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    WITH RECURSIVE tree AS (
      SELECT id FROM org.organisations WHERE id = ${rootId}
      UNION
      SELECT o.id FROM org.organisations o JOIN tree t ON o.parent_id = t.id
    )
    SELECT id FROM tree`.execute(db);
  return result.rows.map((r) => r.id);
}

export async function organisationIdsCreatedBy(db: Db, accountId: string): Promise<string[]> {
  const rows = await db.selectFrom('org.organisations').select('id').where('created_by', '=', accountId).execute();
  return rows.map((r) => r.id);
}

export interface OrganisationQuery {
  ids: string[] | null;
  kind?: string | undefined;
  regionCode?: string | undefined;
  q?: string | undefined;
  status?: string | undefined;
}

export async function listOrganisations(db: Db, query: OrganisationQuery): Promise<OrganisationRow[]> {
  if (query.ids !== null && query.ids.length === 0) return [];
  let qb = db.selectFrom('org.organisations').selectAll();
  if (query.ids !== null) qb = qb.where('id', 'in', query.ids);
  if (query.kind) qb = qb.where('kind', '=', query.kind as OrganisationRow['kind']);
  if (query.regionCode) qb = qb.where('region_code', '=', query.regionCode);
  if (query.status) qb = qb.where('status', '=', query.status as OrganisationRow['status']);
  if (query.q) qb = qb.where((eb) => eb.or([eb('name', 'like', `%${escapeLike(query.q!)}%`), eb('short_name', 'like', `%${escapeLike(query.q!)}%`)]));
  // Within a region: the trading centre first, then supervision, audit and the rest.
  const kindOrder = sql<number>`CASE kind WHEN 'trading_centre' THEN 0 WHEN 'supervision' THEN 1 WHEN 'audit' THEN 2 WHEN 'department' THEN 3 ELSE 4 END`;
  return (await qb.orderBy('region_code').orderBy(kindOrder).orderBy('name').execute()) as OrganisationRow[];
}

export async function findOrganisation(db: Db, id: string): Promise<OrganisationRow | undefined> {
  return (await db.selectFrom('org.organisations').selectAll().where('id', '=', id).executeTakeFirst()) as OrganisationRow | undefined;
}

export async function findOrganisationsByIds(db: Db, ids: string[]): Promise<OrganisationRow[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('org.organisations').selectAll().where('id', 'in', ids).execute()) as OrganisationRow[];
}

export async function findOrganisationByName(db: Db, parentId: string | null, name: string): Promise<OrganisationRow | undefined> {
  let qb = db.selectFrom('org.organisations').selectAll().where('name', '=', name);
  qb = parentId === null ? qb.where('parent_id', 'is', null) : qb.where('parent_id', '=', parentId);
  return (await qb.executeTakeFirst()) as OrganisationRow | undefined;
}

export async function insertOrganisation(db: Db, row: Omit<OrganisationRow, 'version'>): Promise<void> {
  await db.insertInto('org.organisations').values(row).execute();
}

/** Optimistic update: returns the new row, or undefined when `version` is stale. */
export async function updateOrganisation(
  db: Db,
  id: string,
  version: number,
  changes: Partial<Pick<OrganisationRow, 'name' | 'short_name' | 'industry' | 'credit_code' | 'status' | 'parent_id'>>,
  now: Date,
): Promise<OrganisationRow | undefined> {
  return (await db
    .updateTable('org.organisations')
    .set({ ...changes, updated_at: now, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst()) as OrganisationRow | undefined;
}

// ---- personnel ----

export interface PersonnelQuery {
  /** Data scope as a condition on `p.organisation_id` / `p.created_by` (null: everything). */
  scope: RawBuilder<boolean> | null;
  organisationId?: string | undefined;
  q?: string | undefined;
  status?: string | undefined;
  limit: number;
  offset: number;
}

export async function listPersonnel(db: Db, query: PersonnelQuery): Promise<{ rows: (PersonnelRow & { organisation_name: string })[]; total: number }> {
  let qb = db.selectFrom('org.personnel as p').innerJoin('org.organisations as o', 'o.id', 'p.organisation_id');
  if (query.scope) qb = qb.where(query.scope);
  if (query.organisationId) qb = qb.where('p.organisation_id', '=', query.organisationId);
  if (query.status) qb = qb.where('p.status', '=', query.status as PersonnelRow['status']);
  if (query.q) qb = qb.where((eb) => eb.or([eb('p.name', 'like', `%${escapeLike(query.q!)}%`), eb('p.position', 'like', `%${escapeLike(query.q!)}%`)]));
  const total = await qb.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await qb
    .selectAll('p')
    .select('o.name as organisation_name')
    .orderBy('p.created_at', 'desc')
    .orderBy('p.id')
    .limit(query.limit)
    .offset(query.offset)
    .execute();
  return { rows: rows as (PersonnelRow & { organisation_name: string })[], total: Number(total.n) };
}

export async function findPersonnel(db: Db, id: string): Promise<(PersonnelRow & { organisation_name: string }) | undefined> {
  return (await db
    .selectFrom('org.personnel as p')
    .innerJoin('org.organisations as o', 'o.id', 'p.organisation_id')
    .selectAll('p')
    .select('o.name as organisation_name')
    .where('p.id', '=', id)
    .executeTakeFirst()) as (PersonnelRow & { organisation_name: string }) | undefined;
}

export async function findPersonnelByIdIndex(db: Db, index: string): Promise<PersonnelRow | undefined> {
  return (await db.selectFrom('org.personnel').selectAll().where('id_number_index', '=', index).executeTakeFirst()) as PersonnelRow | undefined;
}

export async function insertPersonnel(db: Db, row: Omit<PersonnelRow, 'version'>): Promise<void> {
  await db.insertInto('org.personnel').values(row).execute();
}

export async function updatePersonnel(
  db: Db,
  id: string,
  version: number,
  changes: Partial<Pick<PersonnelRow, 'name' | 'position' | 'phone_enc' | 'phone_masked' | 'organisation_id' | 'status'>>,
  now: Date,
): Promise<PersonnelRow | undefined> {
  return (await db
    .updateTable('org.personnel')
    .set({ ...changes, updated_at: now, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst()) as PersonnelRow | undefined;
}

// ---- roles and grants ----

export async function listRoles(db: Db): Promise<(RoleRow & { permissions: string[] })[]> {
  const roles = (await db.selectFrom('org.roles').selectAll().orderBy('builtin', 'desc').orderBy('code').execute()) as RoleRow[];
  const perms = await db.selectFrom('org.role_permissions').select(['role_id', 'permission']).execute();
  const byRole = new Map<string, string[]>();
  for (const p of perms) byRole.set(p.role_id, [...(byRole.get(p.role_id) ?? []), p.permission]);
  return roles.map((r) => ({ ...r, permissions: (byRole.get(r.id) ?? []).sort() }));
}

export async function findRole(db: Db, id: string): Promise<(RoleRow & { permissions: string[] }) | undefined> {
  const role = (await db.selectFrom('org.roles').selectAll().where('id', '=', id).executeTakeFirst()) as RoleRow | undefined;
  if (!role) return undefined;
  const perms = await db.selectFrom('org.role_permissions').select('permission').where('role_id', '=', id).execute();
  return { ...role, permissions: perms.map((p) => p.permission).sort() };
}

export async function findRoleByCode(db: Db, code: string): Promise<RoleRow | undefined> {
  return (await db.selectFrom('org.roles').selectAll().where('code', '=', code).executeTakeFirst()) as RoleRow | undefined;
}

export async function insertRole(db: Db, row: Omit<RoleRow, 'version' | 'builtin'>, permissions: string[]): Promise<void> {
  await db.insertInto('org.roles').values({ ...row, builtin: false }).execute();
  if (permissions.length > 0) await db.insertInto('org.role_permissions').values(permissions.map((permission) => ({ role_id: row.id, permission }))).execute();
}

export async function updateRole(
  db: Db,
  id: string,
  version: number,
  changes: Partial<Pick<RoleRow, 'name' | 'description' | 'mfa_required' | 'admin_class'>>,
  permissions: string[] | undefined,
  now: Date,
): Promise<boolean> {
  const updated = await db
    .updateTable('org.roles')
    .set({ ...changes, updated_at: now, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return false;
  if (permissions) {
    await db.deleteFrom('org.role_permissions').where('role_id', '=', id).execute();
    if (permissions.length > 0) await db.insertInto('org.role_permissions').values(permissions.map((permission) => ({ role_id: id, permission }))).execute();
  }
  return true;
}

export async function deleteRole(db: Db, id: string): Promise<void> {
  await db.deleteFrom('org.roles').where('id', '=', id).execute();
}

export async function countGrantsOfRole(db: Db, roleId: string): Promise<number> {
  const r = await db.selectFrom('org.account_roles').select((eb) => eb.fn.countAll<number>().as('n')).where('role_id', '=', roleId).executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface GrantRow {
  account_id: string;
  role_id: string;
  code: string;
  name: string;
  scope: OrgTables['org.account_roles']['scope'];
  admin_class: OrgTables['org.roles']['admin_class'];
  mfa_required: boolean;
}

export async function grantsOfAccounts(db: Db, accountIds: string[]): Promise<GrantRow[]> {
  if (accountIds.length === 0) return [];
  return db
    .selectFrom('org.account_roles as ar')
    .innerJoin('org.roles as r', 'r.id', 'ar.role_id')
    .select(['ar.account_id', 'ar.role_id', 'r.code', 'r.name', 'ar.scope', 'r.admin_class', 'r.mfa_required'])
    .where('ar.account_id', 'in', accountIds)
    .orderBy('r.code')
    .execute();
}

/** One query for the request path: every (permission, scope) the account holds. */
export async function permissionGrantsOf(db: Db, accountId: string): Promise<{ permission: string; scope: GrantRow['scope']; admin_class: GrantRow['admin_class']; mfa_required: boolean }[]> {
  return db
    .selectFrom('org.account_roles as ar')
    .innerJoin('org.roles as r', 'r.id', 'ar.role_id')
    .innerJoin('org.role_permissions as rp', 'rp.role_id', 'ar.role_id')
    .select(['rp.permission', 'ar.scope', 'r.admin_class', 'r.mfa_required'])
    .where('ar.account_id', '=', accountId)
    .execute();
}

export async function replaceGrants(db: Db, accountId: string, grants: { role_id: string; scope: GrantRow['scope'] }[], grantedBy: string | null, now: Date): Promise<void> {
  await db.deleteFrom('org.account_roles').where('account_id', '=', accountId).execute();
  if (grants.length > 0) {
    await db
      .insertInto('org.account_roles')
      .values(grants.map((g) => ({ account_id: accountId, role_id: g.role_id, scope: g.scope, granted_by: grantedBy, granted_at: now })))
      .execute();
  }
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
