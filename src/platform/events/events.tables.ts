// Kysely table types of the deal event stream (migrations/0009_deal_events.sql).

import type { ColumnType, Generated } from 'kysely';

/** jsonb: read as the object, written as its JSON text. */
export type PayloadColumn = ColumnType<Record<string, unknown>, string, never>;

export interface EventsTables {
  'platform.deal_streams': {
    deal_code: string;
    last_seq: number;
  };
  'platform.deal_events': {
    /** bigint identity; int8 is parsed as a number (see database.ts). */
    id: Generated<number>;
    deal_code: string;
    seq: number;
    lot_code: string | null;
    type: string;
    payload: PayloadColumn;
    actor_account_id: string | null;
    actor_name: string | null;
    occurred_at: Date;
    /** xid8, as its decimal text. */
    txid: Generated<string>;
  };
  'platform.event_consumers': {
    name: string;
    position: Generated<number>;
    position_txid: Generated<string>;
    updated_at: Date | null;
  };
}
