import type { Generated } from 'kysely';

export type OrganisationKind = 'trading_centre' | 'supervision' | 'audit' | 'department' | 'other';
export type Industry =
  | 'development_reform'
  | 'housing_construction'
  | 'transport'
  | 'water'
  | 'finance'
  | 'natural_resources'
  | 'state_assets'
  | 'other';
export type PersonnelStatus = 'active' | 'suspended' | 'left';
export type AdminClass = 'system' | 'security' | 'audit';
export type DataScope = 'own' | 'organisation' | 'region' | 'province';

export interface OrgTables {
  'org.regions': {
    code: string;
    name: string;
    level: 1 | 2 | 3;
    parent_code: string | null;
  };
  'org.organisations': {
    id: string;
    parent_id: string | null;
    name: string;
    short_name: string | null;
    kind: OrganisationKind;
    region_code: string;
    industry: Industry | null;
    credit_code: string | null;
    status: 'active' | 'inactive';
    created_by: string | null;
    created_at: Date;
    updated_at: Date;
    version: Generated<number>;
  };
  'org.personnel': {
    id: string;
    organisation_id: string;
    name: string;
    id_number_enc: string;
    id_number_index: string;
    id_number_masked: string;
    gender: 'male' | 'female';
    birth_date: string;
    position: string;
    phone_enc: string | null;
    phone_masked: string | null;
    status: PersonnelStatus;
    created_by: string | null;
    created_at: Date;
    updated_at: Date;
    version: Generated<number>;
  };
  'org.roles': {
    id: string;
    code: string;
    name: string;
    description: string;
    mfa_required: boolean;
    builtin: Generated<boolean>;
    admin_class: AdminClass | null;
    created_at: Date;
    updated_at: Date;
    version: Generated<number>;
  };
  'org.role_permissions': {
    role_id: string;
    permission: string;
  };
  'org.account_roles': {
    account_id: string;
    role_id: string;
    scope: DataScope;
    granted_by: string | null;
    granted_at: Date;
  };
}
