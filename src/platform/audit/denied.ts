// A refused action is itself an audit event (等保: audit covers failed and refused attempts).
// It is written in its own transaction, since the refused change never had one.

import type { Db } from '../db/database.ts';
import { auditContext, type RequestContext } from '../http/context.ts';
import { appendAudit } from './audit.ts';

export async function recordDenied(db: Db, ctx: RequestContext, detail: Record<string, unknown>): Promise<void> {
  await db.transaction().execute((trx) => appendAudit(trx, auditContext(ctx), { action: 'auth.denied', result: 'denied', detail }));
}
