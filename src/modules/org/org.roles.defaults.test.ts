import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneTestDatabase } from '../../../test/support/database.ts';
import type { Database } from '../../platform/db/database.ts';
import { syncDefaultRoles } from './org.roles.defaults.ts';

let database: Database;
beforeAll(async () => {
  database = await cloneTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function permissionsOf(code: string): Promise<string[]> {
  const rows = await database.db
    .selectFrom('org.role_permissions as rp')
    .innerJoin('org.roles as r', 'r.id', 'rp.role_id')
    .select('rp.permission')
    .where('r.code', '=', code)
    .execute();
  return rows.map((r) => r.permission).sort();
}

describe('default roles', () => {
  it('a fresh installation gives the business roles every permission of the latest defaults', async () => {
    expect(await permissionsOf('centre_staff')).toEqual(expect.arrayContaining(['experts.expert.read', 'experts.expert.write', 'org.personnel.read']));
    expect(await permissionsOf('supervisor')).toContain('experts.expert.read');
    expect(await permissionsOf('supervisor')).not.toContain('experts.expert.write');
  });

  it('an installation seeded before an addition receives it once, and keeps an administrator\'s removals otherwise', async () => {
    const staff = await database.db.selectFrom('org.roles').select('id').where('code', '=', 'centre_staff').executeTakeFirstOrThrow();
    await database.db.deleteFrom('org.role_permissions').where('role_id', '=', staff.id).where('permission', 'in', ['experts.expert.read', 'experts.expert.write', 'org.personnel.read']).execute();
    await database.db.updateTable('platform.reference_data').set({ version: '1' }).where('name', '=', 'default_roles').execute();
    await syncDefaultRoles(database.db, new Date());
    const after = await permissionsOf('centre_staff');
    expect(after).toEqual(expect.arrayContaining(['experts.expert.read', 'experts.expert.write']));
    expect(after).not.toContain('org.personnel.read');
    // Removing an added permission again sticks: the addition is not repeated.
    await database.db.deleteFrom('org.role_permissions').where('role_id', '=', staff.id).where('permission', '=', 'experts.expert.write').execute();
    await syncDefaultRoles(database.db, new Date());
    expect(await permissionsOf('centre_staff')).not.toContain('experts.expert.write');
  });
});
