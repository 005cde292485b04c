// TypeBox request/response schemas of the tender procedure and their mappers.

import { Type, type Static } from '@sinclair/typebox';
import { iso, StringEnum, Uuid } from '../../platform/http/schemas.ts';
import { formatYuan } from './trading.money.ts';
import type { LotRow, ProjectRow } from './trading.repository.ts';
import { LOT_STATUS_NAMES, PROJECT_STATUS_NAMES, TENDER_CATEGORIES, TENDER_METHOD_NAMES } from './trading.rules.ts';

const LOT_KINDS = ['construction', 'goods', 'services', 'survey', 'design', 'supervision'] as const;
const Yuan = Type.String({ pattern: '^(0|[1-9][0-9]{0,11})(\\.[0-9]{1,2})?$', description: '金额（元），最多两位小数' });
const Instant = Type.String({ format: 'date-time' });
const NullableInstant = Type.Union([Instant, Type.Null()]);

export const LotInput = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 200 }),
    kind: StringEnum(LOT_KINDS),
    estimatedPrice: Yuan,
  },
  { additionalProperties: false },
);

export const ProjectInput = Type.Object(
  {
    name: Type.String({ minLength: 4, maxLength: 200 }),
    investmentCode: Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{6}-[0-9]{2}-[0-9]{2}-[0-9]{6}$', description: '投资项目统一代码' })),
    category: StringEnum(Object.keys(TENDER_CATEGORIES) as (keyof typeof TENDER_CATEGORIES)[]),
    tenderMethod: StringEnum(['open', 'invited'] as const),
    regionCode: Type.String({ pattern: '^14[0-9]{4}$' }),
    tendererEntityId: Type.Optional(Uuid),
    supervisingDepartment: Type.String({ minLength: 2, maxLength: 100 }),
    fundingSource: Type.String({ minLength: 2, maxLength: 100 }),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    lots: Type.Array(LotInput, { minItems: 1, maxItems: 50 }),
  },
  { additionalProperties: false },
);
export type ProjectInputT = Static<typeof ProjectInput>;

export const Lot = Type.Object({
  id: Uuid,
  lotNo: Type.Integer(),
  lotCode: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  kind: Type.String(),
  estimatedPrice: Type.String(),
  estimatedPriceFen: Type.Integer(),
  bidSecurity: Type.String(),
  bidSecurityFen: Type.Integer(),
  evaluationMethod: Type.Unknown(),
  status: Type.String(),
  statusName: Type.String(),
  statusReason: Type.Union([Type.String(), Type.Null()]),
});

export const Project = Type.Object({
  id: Uuid,
  dealCode: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  investmentCode: Type.Union([Type.String(), Type.Null()]),
  category: Type.String(),
  categoryName: Type.String(),
  tenderMethod: Type.String(),
  tenderMethodName: Type.String(),
  regionCode: Type.String(),
  tendererEntityId: Uuid,
  tendererName: Type.Union([Type.String(), Type.Null()]),
  agencyEntityId: Type.Union([Uuid, Type.Null()]),
  agencyName: Type.Union([Type.String(), Type.Null()]),
  ownerEntityId: Uuid,
  supervisingDepartment: Type.String(),
  fundingSource: Type.String(),
  description: Type.String(),
  status: Type.String(),
  statusName: Type.String(),
  statusReason: Type.Union([Type.String(), Type.Null()]),
  schedule: Type.Object({
    documentsFrom: NullableInstant,
    documentsUntil: NullableInstant,
    bidDeadline: NullableInstant,
    bidValidityDays: Type.Union([Type.Integer(), Type.Null()]),
    decryptionMinutes: Type.Union([Type.Integer(), Type.Null()]),
  }),
  pausedSince: NullableInstant,
  /** The deal's own clock (demo mode can move it ahead of the platform's). */
  dealNow: Instant,
  submittedAt: NullableInstant,
  acceptedAt: NullableInstant,
  publishedAt: NullableInstant,
  createdAt: Instant,
  lots: Type.Array(Lot),
});

export function mapLot(l: LotRow) {
  return {
    id: l.id,
    lotNo: l.lot_no,
    lotCode: l.lot_code,
    name: l.name,
    kind: l.kind,
    estimatedPrice: formatYuan(l.estimated_price_fen),
    estimatedPriceFen: l.estimated_price_fen,
    bidSecurity: formatYuan(l.bid_security_fen),
    bidSecurityFen: l.bid_security_fen,
    evaluationMethod: l.evaluation_method ?? null,
    status: l.status,
    statusName: LOT_STATUS_NAMES[l.status],
    statusReason: l.status_reason,
  };
}

/** `names`: entity names by id (the parties), when the caller resolved them. */
export function mapProject(p: ProjectRow, lots: LotRow[], now: Date, names: ReadonlyMap<string, string> = new Map()) {
  return {
    id: p.id,
    dealCode: p.deal_code,
    name: p.name,
    investmentCode: p.investment_code,
    category: p.category,
    categoryName: TENDER_CATEGORIES[p.category as keyof typeof TENDER_CATEGORIES] ?? p.category,
    tenderMethod: p.tender_method,
    tenderMethodName: TENDER_METHOD_NAMES[p.tender_method],
    regionCode: p.region_code,
    tendererEntityId: p.tenderer_entity_id,
    tendererName: names.get(p.tenderer_entity_id) ?? null,
    agencyEntityId: p.agency_entity_id,
    agencyName: p.agency_entity_id ? (names.get(p.agency_entity_id) ?? null) : null,
    ownerEntityId: p.owner_entity_id,
    supervisingDepartment: p.supervising_department,
    fundingSource: p.funding_source,
    description: p.description,
    status: p.status,
    statusName: PROJECT_STATUS_NAMES[p.status],
    statusReason: p.status_reason,
    schedule: { documentsFrom: iso(p.documents_from), documentsUntil: iso(p.documents_until), bidDeadline: iso(p.bid_deadline), bidValidityDays: p.bid_validity_days, decryptionMinutes: p.decryption_minutes },
    pausedSince: iso(p.paused_since),
    dealNow: new Date(now.getTime() + Number(p.clock_offset_ms)).toISOString(),
    submittedAt: iso(p.submitted_at),
    acceptedAt: iso(p.accepted_at),
    publishedAt: iso(p.published_at),
    createdAt: p.created_at.toISOString(),
    lots: lots.filter((l) => l.project_id === p.id).map(mapLot),
  };
}

export const ReturnBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 1000 }) }, { additionalProperties: false });
