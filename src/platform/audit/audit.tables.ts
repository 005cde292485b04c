import type { JSONColumnType } from 'kysely';

export interface AuditLogRow {
  seq: number;
  occurred_at: Date;
  actor_id: string | null;
  actor_username: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  result: 'success' | 'failure' | 'denied';
  client_ip: string | null;
  request_id: string | null;
  before_digest: string | null;
  after_digest: string | null;
  detail: JSONColumnType<Record<string, unknown>, string, string>;
  prev_hash: string;
  hash: string;
}

export interface AuditTables {
  'audit.audit_log': AuditLogRow;
}
