// Request and response schemas of the expert routes, and the mappers from rows. Responses carry
// masked personal data only; the response schemas drop anything else a row might hold.

import { Type } from '@sinclair/typebox';
import { Nullable, StringEnum, Timestamp, Uuid } from '../../platform/http/schemas.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import type { EligibleCandidate, ExpertView } from './experts.service.ts';
import { loadSpecialtyTable } from './experts.specialties.ts';

const Status = StringEnum(['active', 'suspended', 'removed']);
const Kind = StringEnum(['relative', 'interest', 'former_employer']);
const RegionCode = Type.String({ pattern: '^[0-9]{6}$' });
const SpecialtyCode = Type.String({ pattern: '^[A-Z]([0-9]{2})?$' });
const Uscc = Type.String({ minLength: 18, maxLength: 18 });
const Day = Type.String({ format: 'date' });
// No leading or trailing blanks: what is stored is what was sent, and the database's length checks hold.
const Trimmed = '^\\S(.*\\S)?$';
const Name = Type.String({ minLength: 1, maxLength: 50, pattern: Trimmed });
const Phone = Type.String({ minLength: 7, maxLength: 20 });
const EmployerName = Type.String({ minLength: 2, maxLength: 100, pattern: Trimmed });
const Titles = Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 10 });
const Specialties = Type.Array(SpecialtyCode, { minItems: 1, maxItems: 10 });
const Reason = Type.String({ minLength: 1, maxLength: 200, pattern: Trimmed });

export const SpecialtyTableSchema = Type.Object({
  version: Type.String(),
  items: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), parentCode: Nullable(Type.String()), level: Type.Integer() })),
});

const Period = Type.Object({ id: Uuid, from: Type.String(), to: Type.String(), reason: Type.String() });
const Relation = Type.Object({ id: Uuid, uscc: Type.String(), kind: Kind, note: Type.String(), declaredOn: Type.String() });

export const Expert = Type.Object({
  id: Uuid,
  name: Type.String(),
  idNumberMasked: Type.String(),
  gender: StringEnum(['male', 'female']),
  birthYear: Type.Integer(),
  phoneMasked: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  employerName: Type.String(),
  employerUscc: Type.String(),
  titles: Type.Array(Type.String()),
  specialties: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  primarySpecialty: Type.String(),
  status: Status,
  statusReason: Nullable(Type.String()),
  unavailability: Type.Array(Period),
  relations: Type.Array(Relation),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const ExpertQuery = Type.Object(
  {
    specialty: Type.Optional(SpecialtyCode),
    regionCode: Type.Optional(RegionCode),
    status: Type.Optional(Status),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  },
  { additionalProperties: false },
);

export const ExpertCreate = Type.Object(
  {
    name: Name,
    idNumber: Type.String({ minLength: 18, maxLength: 18 }),
    phone: Phone,
    regionCode: RegionCode,
    employerName: EmployerName,
    employerUscc: Uscc,
    titles: Type.Optional(Titles),
    specialties: Specialties,
    primarySpecialty: Type.Optional(SpecialtyCode),
  },
  { additionalProperties: false },
);

export const ExpertPatch = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(Name),
    phone: Type.Optional(Phone),
    regionCode: Type.Optional(RegionCode),
    employerName: Type.Optional(EmployerName),
    employerUscc: Type.Optional(Uscc),
    titles: Type.Optional(Titles),
    specialties: Type.Optional(Specialties),
    primarySpecialty: Type.Optional(SpecialtyCode),
    status: Type.Optional(Status),
    statusReason: Type.Optional(Reason),
  },
  { additionalProperties: false },
);

export const PeriodCreate = Type.Object({ from: Day, to: Day, reason: Reason }, { additionalProperties: false });
export const PeriodParams = Type.Object({ id: Uuid, periodId: Uuid }, { additionalProperties: false });

export const RelationCreate = Type.Object(
  { uscc: Uscc, kind: Kind, note: Type.Optional(Type.String({ maxLength: 200 })), declaredOn: Type.Optional(Day) },
  { additionalProperties: false },
);
export const RelationParams = Type.Object({ id: Uuid, relationId: Uuid }, { additionalProperties: false });

export const EligibleRequest = Type.Object(
  {
    specialty: SpecialtyCode,
    regionCode: RegionCode,
    avoidUscc: Type.Array(Uscc, { maxItems: 1000 }),
    on: Day,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
  },
  { additionalProperties: false },
);

export const EligibleExpert = Type.Object({
  id: Uuid,
  name: Type.String(),
  idNumberMasked: Type.String(),
  gender: StringEnum(['male', 'female']),
  phoneMasked: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  employerName: Type.String(),
  employerUscc: Type.String(),
  titles: Type.Array(Type.String()),
  specialties: Type.Array(Type.String()),
  primarySpecialty: Type.String(),
});
export const EligibleResponse = Type.Object({ total: Type.Integer(), items: Type.Array(EligibleExpert) });

export function mapSpecialtyTable() {
  const table = loadSpecialtyTable();
  return { version: table.version, items: table.specialties.map((s) => ({ code: s.code, name: s.name, parentCode: s.parentCode, level: table.levelOf(s.code) })) };
}

export function mapExpert(v: ExpertView) {
  const r = v.row;
  const table = loadSpecialtyTable();
  return {
    id: r.id,
    name: r.name,
    idNumberMasked: r.id_number_masked,
    gender: r.gender,
    birthYear: Number(r.birth_date.slice(0, 4)),
    phoneMasked: r.phone_masked,
    regionCode: r.region_code,
    regionName: loadRegionTree().fullName(r.region_code),
    employerName: r.employer_name,
    employerUscc: r.employer_uscc,
    titles: r.titles,
    // A code dropped from a newer table still shows, under its code.
    specialties: v.specialties.map((s) => ({ code: s.code, name: table.get(s.code)?.name ?? s.code })),
    primarySpecialty: v.specialties.find((s) => s.is_primary)?.code ?? v.specialties[0]?.code ?? '',
    status: r.status,
    statusReason: r.status_reason,
    unavailability: v.periods.map((p) => ({ id: p.id, from: p.from_date, to: p.to_date, reason: p.reason })),
    relations: v.relations.map((x) => ({ id: x.id, uscc: x.uscc, kind: x.kind, note: x.note, declaredOn: x.declared_on })),
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export function mapCandidate(c: EligibleCandidate) {
  return { ...c, regionName: loadRegionTree().fullName(c.regionCode) };
}
