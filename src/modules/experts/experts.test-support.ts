// Test helpers shared by the experts integration tests (not a test file itself).

import crypto from 'node:crypto';
import { appendAudit } from '../../platform/audit/audit.ts';
import { cliAuditContext } from '../identity/identity.bootstrap.ts';
import type { DataScope } from '../org/org.tables.ts';
import { signedInAs, type Harness } from '../../../test/support/harness.ts';

/**
 * A business role holding exactly these permissions (no administrator class). The shipped
 * default roles were seeded before the experts permissions existed, so tests make their own.
 */
export async function makeRole(h: Harness, code: string, permissions: string[]): Promise<void> {
  const now = h.clock.now();
  await h.deps.db.transaction().execute(async (trx) => {
    const id = crypto.randomUUID();
    await trx.insertInto('org.roles').values({ id, code, name: code, description: '', mfa_required: true, builtin: false, admin_class: null, created_at: now, updated_at: now }).execute();
    await trx.insertInto('org.role_permissions').values(permissions.map((permission) => ({ role_id: id, permission }))).execute();
    await appendAudit(trx, cliAuditContext(now, 'test'), { action: 'org.role.create', targetId: id });
  });
}

export async function tokenWithRole(h: Harness, organisationId: string, code: string, scope: DataScope): Promise<string> {
  return (await signedInAs(h, { organisationId, roles: [{ code, scope }] })).token;
}
