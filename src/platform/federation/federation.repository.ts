// SQL of the federation's replay guard.

import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/** Takes the message id from this peer; false when it was taken before (a replay). */
export async function takeMessageId(db: Db, row: { peerRegion: string; messageId: string; action: string; receivedAt: Date }): Promise<boolean> {
  const inserted = await db
    .insertInto('federation.received_messages')
    .values({ peer_region: row.peerRegion, message_id: row.messageId, action: row.action, received_at: row.receivedAt })
    .onConflict((oc) => oc.doNothing())
    .returning(sql<number>`1`.as('one'))
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Forgets ids received before `before` (their envelopes are refused as stale anyway). */
export async function purgeMessageIds(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('federation.received_messages').where('received_at', '<', before).execute();
}
