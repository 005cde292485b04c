// Kysely table types of the coding schema (migrations/0010_coding.sql).

export interface CodingTables {
  'coding.daily_counters': {
    platform_uscc: string;
    /** `YYYY-MM-DD` (date columns stay strings): the China-time day. */
    day: string;
    last_serial: number;
  };
  'coding.codes': {
    code: string;
    platform_uscc: string;
    day: string;
    serial: number;
    kind: string;
    subject_id: string;
    title: string;
    region_code: string;
    category: string;
    issued_at: Date;
    issued_by: string | null;
  };
  'coding.lot_codes': {
    lot_code: string;
    deal_code: string;
    serial: number;
    subject_id: string;
    title: string;
    issued_at: Date;
  };
}
