// TypeBox schemas and mappers of the coding routes. The public answer says only whether and
// when a code was issued here: a code is issued at acceptance, before anything of the deal is
// public, so its title and subject stay with staff.

import { Type, type Static } from '@sinclair/typebox';
import { iso, Nullable, StringEnum, Timestamp, Uuid } from '../../platform/http/schemas.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import type { CodeDetails, CodeLookup } from './coding.service.ts';
import type { LotRow } from './coding.repository.ts';
import { CODE_KIND_CODES, CODE_KINDS, formatDealCode, type CodeKind } from './coding.rules.ts';

export const CodeParams = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 64, description: '统一交易标识码或标段编号，可带连字符，不区分大小写' }) },
  { additionalProperties: false },
);

const Kind = StringEnum(CODE_KIND_CODES);
const Day = Type.String({ format: 'date', description: '赋码日期（北京时间）' });

export const PublicCode = Type.Object(
  {
    code: Type.String({ description: '统一交易标识码（存储形式）' }),
    formatted: Type.String({ description: '显示形式 USCC-yyyyMMdd-NNNNNN-C' }),
    kind: Kind,
    kindName: Type.String(),
    issuedOn: Day,
    lot: Type.Optional(Type.Object({ lotCode: Type.String(), formatted: Type.String(), serial: Type.Integer() })),
  },
  { description: '本平台赋码的交易标识码' },
);

const LotOut = Type.Object({
  lotCode: Type.String(),
  formatted: Type.String(),
  serial: Type.Integer(),
  title: Type.String(),
  subjectId: Uuid,
  issuedAt: Timestamp,
});

export const CodeDetail = Type.Object({
  code: Type.String(),
  formatted: Type.String(),
  platformUscc: Type.String(),
  serial: Type.Integer(),
  kind: Kind,
  kindName: Type.String(),
  issuedOn: Day,
  issuedAt: Timestamp,
  issuedBy: Nullable(Type.Object({ accountId: Uuid, name: Nullable(Type.String()) })),
  title: Type.String(),
  subjectId: Uuid,
  category: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  lot: Type.Optional(LotOut),
  lots: Type.Array(LotOut),
});

function kindOf(kind: string): { kind: CodeKind; kindName: string } {
  // Kinds only grow; a stored kind is always in the catalogue.
  return { kind: kind as CodeKind, kindName: CODE_KINDS[kind as CodeKind] ?? kind };
}

export function mapPublicCode(f: CodeLookup): Static<typeof PublicCode> {
  return {
    code: f.deal.code,
    formatted: formatDealCode(f.deal.code),
    ...kindOf(f.deal.kind),
    issuedOn: f.deal.day,
    ...(f.lot ? { lot: { lotCode: f.lot.lot_code, formatted: formatDealCode(f.lot.lot_code), serial: f.lot.serial } } : {}),
  };
}

function mapLot(l: LotRow): Static<typeof LotOut> {
  return { lotCode: l.lot_code, formatted: formatDealCode(l.lot_code), serial: l.serial, title: l.title, subjectId: l.subject_id, issuedAt: iso(l.issued_at)! };
}

export function mapCodeDetail(d: CodeDetails): Static<typeof CodeDetail> {
  const deal = d.found.deal;
  return {
    code: deal.code,
    formatted: formatDealCode(deal.code),
    platformUscc: deal.platform_uscc,
    serial: deal.serial,
    ...kindOf(deal.kind),
    issuedOn: deal.day,
    issuedAt: iso(deal.issued_at)!,
    issuedBy: deal.issued_by ? { accountId: deal.issued_by, name: d.issuerName } : null,
    title: deal.title,
    subjectId: deal.subject_id,
    category: deal.category,
    regionCode: deal.region_code,
    regionName: loadRegionTree().fullName(deal.region_code),
    ...(d.found.lot ? { lot: mapLot(d.found.lot) } : {}),
    lots: d.lots.map(mapLot),
  };
}
