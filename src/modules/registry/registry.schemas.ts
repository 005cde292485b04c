// Request and response schemas of the registry routes. A profile travels in clear only to the
// entity's own users and to staff who reveal it (audited); everyone else reads masked values.

import { Type, type Static } from '@sinclair/typebox';
import { Nullable, StringEnum, Timestamp, Uuid } from '../../platform/http/schemas.ts';
import { ENTITY_KINDS, ENTITY_ROLES, ENTITY_STATUSES, KEY_PERSON_ROLES, REVIEW_OUTCOMES, VERSION_STATUSES } from './registry.rules.ts';

const Trimmed = '^\\S(.*\\S)?$';
const Line = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max, pattern: Trimmed });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });
const Day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
const RegionCode = Type.String({ pattern: '^[0-9]{6}$' });
const Uscc = Type.String({ minLength: 18, maxLength: 18 });
const IdNumber = Type.String({ minLength: 18, maxLength: 18 });
/** A mobile number, or a landline with its area code. */
const Phone = Type.String({ pattern: '^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$' });
const Digest = Type.String({ pattern: '^[0-9a-f]{64}$' });

export const FileRefSchema = Type.Object({ digest: Digest, mediaType: Type.String(), size: Type.Integer({ minimum: 0 }), name: Line(200) }, { additionalProperties: false });

export const ProfileInput = Type.Object(
  {
    name: Line(100, 2),
    regionCode: RegionCode,
    roles: Type.Array(StringEnum(ENTITY_ROLES), { minItems: 1, maxItems: ENTITY_ROLES.length, uniqueItems: true }),
    entityType: Type.Optional(Line(50)),
    registeredCapitalWanYuan: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000_000 })),
    establishedOn: Type.Optional(Day),
    address: Line(200),
    businessScope: Type.Optional(Text(2000)),
    legalRepresentative: Type.Optional(Type.Object({ name: Line(50), idNumber: Type.Optional(IdNumber) }, { additionalProperties: false })),
    contacts: Type.Array(Type.Object({ name: Line(50), phone: Phone, email: Type.Optional(Type.String({ format: 'email', maxLength: 100 })) }, { additionalProperties: false }), { minItems: 1, maxItems: 5 }),
    bankAccount: Type.Optional(Type.Object({ bankName: Line(100), accountName: Line(100), number: Type.String({ pattern: '^[0-9]{8,30}$' }) }, { additionalProperties: false })),
    qualifications: Type.Array(
      Type.Object(
        { id: Type.Optional(Uuid), category: Line(100), grade: Line(50), number: Line(100), issuer: Line(100), validFrom: Day, validTo: Day },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
    certificates: Type.Array(
      Type.Object(
        { id: Type.Optional(Uuid), kind: Line(100), number: Line(100), issuer: Line(100), validTo: Type.Optional(Day), file: Type.Optional(FileRefSchema) },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
    keyPersonnel: Type.Array(
      Type.Object(
        {
          id: Type.Optional(Uuid),
          name: Line(50),
          role: StringEnum(KEY_PERSON_ROLES),
          idNumber: IdNumber,
          certificateKind: Line(100),
          certificateNumber: Line(100),
          certificateValidTo: Type.Optional(Day),
        },
        { additionalProperties: false },
      ),
      { maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);
export type ProfileInputT = Static<typeof ProfileInput>;

export const Registration = Type.Object(
  {
    username: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.-]{2,31}$' }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
    displayName: Line(50),
    entity: Type.Object(
      { kind: StringEnum(ENTITY_KINDS), uscc: Type.Optional(Uscc), idNumber: Type.Optional(IdNumber), name: Line(100, 2), regionCode: Type.Optional(RegionCode) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const EntityQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    kind: Type.Optional(StringEnum(ENTITY_KINDS)),
    role: Type.Optional(StringEnum(ENTITY_ROLES)),
    status: Type.Optional(StringEnum(ENTITY_STATUSES)),
    regionCode: Type.Optional(RegionCode),
    page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);

export const PageOnly = Type.Object(
  { page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })), pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })) },
  { additionalProperties: false },
);

export const ExpiringQuery = Type.Object(
  { days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })), ...PageOnly.properties },
  { additionalProperties: false },
);

export const StatusChange = Type.Object({ status: StringEnum(['active', 'suspended']), reason: Text(1000) }, { additionalProperties: false });

export const Decision = Type.Object({ outcome: StringEnum(REVIEW_OUTCOMES), reason: Type.Optional(Text(1000)) }, { additionalProperties: false });
export const VersionParams = Type.Object({ id: Uuid, versionId: Uuid }, { additionalProperties: false });
export const QualificationCheck = Type.Object({ entityId: Uuid, qualificationId: Uuid, at: Timestamp }, { additionalProperties: false });

// ---- responses ----

const QualificationState = StringEnum(['not_yet_valid', 'valid', 'expiring', 'expired']);

export const ProfileView = Type.Object({
  name: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  roles: Type.Array(StringEnum(ENTITY_ROLES)),
  entityType: Nullable(Type.String()),
  registeredCapitalWanYuan: Nullable(Type.Number()),
  establishedOn: Nullable(Type.String()),
  address: Type.String(),
  businessScope: Nullable(Type.String()),
  legalRepresentative: Nullable(Type.Object({ name: Type.String(), idNumber: Nullable(Type.String()) })),
  contacts: Type.Array(Type.Object({ name: Type.String(), phone: Type.String(), email: Nullable(Type.String()) })),
  bankAccount: Nullable(Type.Object({ bankName: Type.String(), accountName: Type.String(), number: Type.String() })),
  qualifications: Type.Array(
    Type.Object({ id: Uuid, category: Type.String(), grade: Type.String(), number: Type.String(), issuer: Type.String(), validFrom: Type.String(), validTo: Type.String(), state: QualificationState }),
  ),
  certificates: Type.Array(
    Type.Object({ id: Uuid, kind: Type.String(), number: Type.String(), issuer: Type.String(), validTo: Nullable(Type.String()), file: Nullable(Type.Object({ digest: Type.String(), mediaType: Type.String(), size: Type.Integer(), name: Type.String() })) }),
  ),
  keyPersonnel: Type.Array(
    Type.Object({
      id: Uuid,
      name: Type.String(),
      role: StringEnum(KEY_PERSON_ROLES),
      idNumber: Type.String(),
      certificateKind: Type.String(),
      certificateNumber: Type.String(),
      certificateValidTo: Nullable(Type.String()),
    }),
  ),
  /** Whether personal values (ID numbers, phones, bank account) are masked in this view. */
  masked: Type.Boolean(),
});

export const Comparison = Type.Object({
  fields: Type.Array(
    Type.Object({ field: Type.String(), label: Type.String(), formValue: Nullable(Type.String()), ocrValue: Nullable(Type.String()), verdict: StringEnum(['match', 'mismatch', 'confusable', 'unread']), message: Type.String() }),
  ),
  usccCheck: Type.Object({ formValid: Type.Boolean(), ocrValid: Nullable(Type.Boolean()), message: Nullable(Type.String()) }),
  mismatches: Type.Integer(),
});

export const Change = Type.Object({ field: Type.String(), label: Type.String(), before: Nullable(Type.String()), after: Nullable(Type.String()) });

export const Version = Type.Object({
  id: Uuid,
  entityId: Uuid,
  number: Type.Integer(),
  status: StringEnum(VERSION_STATUSES),
  kind: StringEnum(['registration', 'change']),
  profile: ProfileView,
  licence: Nullable(Type.Object({ digest: Type.String(), mediaType: Type.String(), size: Type.Integer(), uploadedAt: Type.String() })),
  ocr: Nullable(
    Type.Object({
      engine: Type.String(),
      durationMs: Type.Number(),
      fields: Type.Record(Type.String(), Nullable(Type.Object({ text: Type.String(), confidence: Type.Number() }))),
    }),
  ),
  ocrError: Nullable(Type.String()),
  comparison: Nullable(Comparison),
  changes: Type.Array(Change),
  createdBy: Uuid,
  /** Display name of the account that started the version. */
  createdByName: Type.String(),
  reviewedByName: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  submittedAt: Nullable(Timestamp),
  reviewedBy: Nullable(Uuid),
  reviewedAt: Nullable(Timestamp),
  reviewReason: Nullable(Type.String()),
});

export const VersionSummary = Type.Object({
  id: Uuid,
  number: Type.Integer(),
  status: StringEnum(VERSION_STATUSES),
  kind: StringEnum(['registration', 'change']),
  changes: Type.Array(Change),
  createdBy: Uuid,
  /** Display name of the account that started the version. */
  createdByName: Type.String(),
  reviewedByName: Nullable(Type.String()),
  createdAt: Timestamp,
  submittedAt: Nullable(Timestamp),
  reviewedBy: Nullable(Uuid),
  reviewedAt: Nullable(Timestamp),
  reviewReason: Nullable(Type.String()),
});

export const Entity = Type.Object({
  id: Uuid,
  kind: StringEnum(ENTITY_KINDS),
  uscc: Nullable(Type.String()),
  idNumberMasked: Nullable(Type.String()),
  name: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  status: StringEnum(ENTITY_STATUSES),
  /** Why staff suspended it (null unless suspended). */
  statusReason: Nullable(Type.String()),
  roles: Type.Array(StringEnum(ENTITY_ROLES)),
  createdAt: Timestamp,
  approvedAt: Nullable(Timestamp),
  /** Qualifications flagged as expiring or expired (approved profile). */
  qualificationWarnings: Type.Integer(),
});

export const EntityDetail = Type.Object({ ...Entity.properties, profile: Nullable(ProfileView), currentVersionId: Nullable(Uuid), openVersion: Nullable(VersionSummary) });

export const MyEntity = Type.Object({
  entity: Entity,
  /** The approved profile (null before the first approval). */
  current: Nullable(ProfileView),
  /** The version being drafted or awaiting review. */
  open: Nullable(Version),
  /** The last decided version, when it was rejected (its reason tells what to fix). */
  lastRejected: Nullable(VersionSummary),
});

export const RegistrationResult = Type.Object({ accountId: Uuid, entityId: Uuid, username: Type.String() });

export const ReviewItem = Type.Object({
  versionId: Uuid,
  entityId: Uuid,
  entityName: Type.String(),
  kind: StringEnum(ENTITY_KINDS),
  uscc: Nullable(Type.String()),
  regionCode: Type.String(),
  regionName: Type.String(),
  number: Type.Integer(),
  type: StringEnum(['registration', 'change']),
  submittedAt: Timestamp,
  mismatches: Nullable(Type.Integer()),
});

export const ExpiringItem = Type.Object({
  qualificationId: Uuid,
  entityId: Uuid,
  entityName: Type.String(),
  uscc: Nullable(Type.String()),
  category: Type.String(),
  grade: Type.String(),
  number: Type.String(),
  validTo: Type.String(),
  state: QualificationState,
  daysLeft: Type.Integer(),
});

export const QualificationCheckResult = Type.Object({ usable: Type.Boolean(), state: Nullable(QualificationState), reason: Nullable(Type.String()) });
export const UploadedFile = FileRefSchema;
