// Request and response schemas of the org routes, and the mappers from rows.

import { Type } from '@sinclair/typebox';
import { Nullable, StringEnum, Uuid } from '../../platform/http/schemas.ts';
import { loadRegionTree } from './org.regions.ts';
import type { OrganisationRow, PersonnelRow, RoleRow } from './org.repository.ts';

const Kind = StringEnum(['trading_centre', 'supervision', 'audit', 'department', 'other']);
const Industry = StringEnum(['development_reform', 'housing_construction', 'transport', 'water', 'finance', 'natural_resources', 'state_assets', 'other']);
const OrgStatus = StringEnum(['active', 'inactive']);
const PersonStatus = StringEnum(['active', 'suspended', 'left']);
const RegionCode = Type.String({ pattern: '^[0-9]{6}$' });
const CreditCode = Type.String({ minLength: 18, maxLength: 18 });
const Name = Type.String({ minLength: 2, maxLength: 100 });

export const Region = Type.Object({ code: Type.String(), name: Type.String(), level: Type.Integer(), parentCode: Nullable(Type.String()) });
export const RegionQuery = Type.Object({ parent: Type.Optional(RegionCode) }, { additionalProperties: false });

export const Organisation = Type.Object({
  id: Uuid,
  parentId: Nullable(Uuid),
  name: Type.String(),
  shortName: Nullable(Type.String()),
  kind: Kind,
  regionCode: Type.String(),
  regionName: Type.String(),
  industry: Nullable(Industry),
  creditCode: Nullable(Type.String()),
  status: OrgStatus,
  version: Type.Integer(),
});
export const OrganisationQuery = Type.Object(
  { kind: Type.Optional(Kind), regionCode: Type.Optional(RegionCode), q: Type.Optional(Type.String({ maxLength: 50 })), status: Type.Optional(OrgStatus) },
  { additionalProperties: false },
);
export const OrganisationCreate = Type.Object(
  {
    name: Name,
    shortName: Type.Optional(Type.String({ maxLength: 50 })),
    kind: Kind,
    parentId: Type.Optional(Uuid),
    regionCode: RegionCode,
    industry: Type.Optional(Industry),
    creditCode: Type.Optional(CreditCode),
  },
  { additionalProperties: false },
);
export const OrganisationPatch = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(Name),
    shortName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
    industry: Type.Optional(Nullable(Industry)),
    creditCode: Type.Optional(Nullable(CreditCode)),
    status: Type.Optional(OrgStatus),
  },
  { additionalProperties: false },
);

export const Personnel = Type.Object({
  id: Uuid,
  name: Type.String(),
  idNumberMasked: Type.String(),
  gender: Type.Union([Type.Literal('male'), Type.Literal('female')]),
  position: Type.String(),
  phoneMasked: Nullable(Type.String()),
  organisationId: Uuid,
  organisationName: Type.String(),
  status: PersonStatus,
  version: Type.Integer(),
});
export const PersonnelQuery = Type.Object(
  {
    organisationId: Type.Optional(Uuid),
    q: Type.Optional(Type.String({ maxLength: 50 })),
    status: Type.Optional(PersonStatus),
    page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  },
  { additionalProperties: false },
);
const Phone = Type.String({ minLength: 7, maxLength: 20 });
export const PersonnelCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 50 }),
    idNumber: Type.String({ minLength: 18, maxLength: 18 }),
    organisationId: Uuid,
    position: Type.Optional(Type.String({ maxLength: 50 })),
    phone: Type.Optional(Phone),
    status: Type.Optional(PersonStatus),
  },
  { additionalProperties: false },
);
export const PersonnelPatch = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    position: Type.Optional(Type.String({ maxLength: 50 })),
    phone: Type.Optional(Nullable(Phone)),
    organisationId: Type.Optional(Uuid),
    status: Type.Optional(PersonStatus),
  },
  { additionalProperties: false },
);
export const PersonnelSensitive = Type.Object({ idNumber: Type.String(), phone: Nullable(Type.String()) });

const AdminClass = Nullable(StringEnum(['system', 'security', 'audit']));
export const PermissionSchema = Type.Object({ code: Type.String(), name: Type.String(), group: Type.String(), adminClass: AdminClass });
export const Role = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  description: Type.String(),
  permissions: Type.Array(Type.String()),
  mfaRequired: Type.Boolean(),
  builtin: Type.Boolean(),
  adminClass: AdminClass,
  version: Type.Integer(),
});
export const RoleCreate = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }),
    name: Type.String({ minLength: 2, maxLength: 50 }),
    description: Type.Optional(Type.String({ maxLength: 200 })),
    permissions: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 200 }),
    mfaRequired: Type.Boolean(),
  },
  { additionalProperties: false },
);
export const RolePatch = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(Type.String({ minLength: 2, maxLength: 50 })),
    description: Type.Optional(Type.String({ maxLength: 200 })),
    permissions: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 200 })),
    mfaRequired: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export function mapOrganisation(r: OrganisationRow) {
  return {
    id: r.id,
    parentId: r.parent_id,
    name: r.name,
    shortName: r.short_name,
    kind: r.kind,
    regionCode: r.region_code,
    regionName: loadRegionTree().fullName(r.region_code),
    industry: r.industry,
    creditCode: r.credit_code,
    status: r.status,
    version: r.version,
  };
}

export function mapPersonnel(r: PersonnelRow & { organisation_name: string }) {
  return {
    id: r.id,
    name: r.name,
    idNumberMasked: r.id_number_masked,
    gender: r.gender,
    position: r.position,
    phoneMasked: r.phone_masked,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    status: r.status,
    version: r.version,
  };
}

export function mapRole(r: RoleRow & { permissions: string[] }) {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    description: r.description,
    permissions: r.permissions,
    mfaRequired: r.mfa_required,
    builtin: r.builtin,
    adminClass: r.admin_class,
    version: r.version,
  };
}
