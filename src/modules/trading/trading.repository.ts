// All SQL of the trading module (Kysely), one function per query.

import type { Selectable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { TradingTables } from './trading.tables.ts';

export type ProjectRow = Selectable<TradingTables['trading.projects']>;
export type LotRow = Selectable<TradingTables['trading.lots']>;

/** What the bid box needs to know about a lot: its codes, parties, schedule and state. */
export interface LotWindow {
  lotId: string;
  lotCode: string;
  lotName: string;
  lotKind: LotRow['kind'];
  lotStatus: LotRow['status'];
  estimatedPriceFen: number;
  bidSecurityFen: number;
  projectId: string;
  projectName: string;
  projectStatus: ProjectRow['status'];
  dealCode: string;
  regionCode: string;
  tendererEntityId: string;
  agencyEntityId: string | null;
  documentsFrom: Date;
  documentsUntil: Date;
  bidDeadline: Date;
  decryptionMinutes: number;
  pausedSince: Date | null;
  /** Demo mode: the deal's clock runs this far ahead of the platform's (0 in production). */
  clockOffsetMs: number;
}

/** The window of a lot that has codes and a schedule (undefined before acceptance and publication). */
export async function lotWindow(db: Db, lotId: string): Promise<LotWindow | undefined> {
  const r = await db
    .selectFrom('trading.lots as l')
    .innerJoin('trading.projects as p', 'p.id', 'l.project_id')
    .select([
      'l.id as lot_id',
      'l.lot_code',
      'l.name as lot_name',
      'l.kind',
      'l.status as lot_status',
      'l.estimated_price_fen',
      'l.bid_security_fen',
      'p.id as project_id',
      'p.name as project_name',
      'p.status as project_status',
      'p.deal_code',
      'p.region_code',
      'p.tenderer_entity_id',
      'p.agency_entity_id',
      'p.documents_from',
      'p.documents_until',
      'p.bid_deadline',
      'p.decryption_minutes',
      'p.paused_since',
      'p.clock_offset_ms',
    ])
    .where('l.id', '=', lotId)
    .executeTakeFirst();
  if (!r || r.lot_code === null || r.deal_code === null || r.bid_deadline === null || r.documents_from === null || r.documents_until === null) return undefined;
  return {
    lotId: r.lot_id,
    lotCode: r.lot_code,
    lotName: r.lot_name,
    lotKind: r.kind,
    lotStatus: r.lot_status,
    estimatedPriceFen: r.estimated_price_fen,
    bidSecurityFen: r.bid_security_fen,
    projectId: r.project_id,
    projectName: r.project_name,
    projectStatus: r.project_status,
    dealCode: r.deal_code,
    regionCode: r.region_code,
    tendererEntityId: r.tenderer_entity_id,
    agencyEntityId: r.agency_entity_id,
    documentsFrom: r.documents_from,
    documentsUntil: r.documents_until,
    bidDeadline: r.bid_deadline,
    decryptionMinutes: r.decryption_minutes ?? 60,
    pausedSince: r.paused_since,
    clockOffsetMs: r.clock_offset_ms,
  };
}
