// Kysely table types. Each module owns its PostgreSQL schema (`org`, `identity`, `audit`, …);
// its row types live beside its repository and are gathered here into the one DB type.

import type { AuditTables } from '../audit/audit.tables.ts';
import type { IdentityTables } from '../../modules/identity/identity.tables.ts';
import type { OrgTables } from '../../modules/org/org.tables.ts';
import type { ExpertsTables } from '../../modules/experts/experts.tables.ts';
import type { DrawTables } from '../../modules/experts/experts.draw.tables.ts';
import type { CreditTables } from '../../modules/credit/credit.tables.ts';
import type { RegistryTables } from '../../modules/registry/registry.tables.ts';
import type { TradingTables } from '../../modules/trading/trading.tables.ts';
import type { EvaluationTables } from '../../modules/trading/trading.evaluation.tables.ts';
import type { EventsTables } from '../events/events.tables.ts';
import type { CodingTables } from '../../modules/coding/coding.tables.ts';
import type { TradingBidTables } from '../../modules/trading/trading.bids.tables.ts';
import type { PortalTables } from '../../modules/portal/portal.tables.ts';
import type { FederationTables } from '../federation/federation.tables.ts';

export interface PlatformTables {
  'platform.schema_migrations': {
    version: number;
    module: string;
    name: string;
    checksum: string;
    applied_at: Date;
  };
  'platform.reference_data': {
    name: string;
    version: string;
    checksum: string;
    loaded_at: Date;
  };
}

export interface DB extends PlatformTables, AuditTables, OrgTables, IdentityTables, ExpertsTables, DrawTables, CreditTables, RegistryTables, EventsTables, CodingTables, TradingTables, TradingBidTables, EvaluationTables, PortalTables, FederationTables {}
