// Request and response schemas of the credit routes, and the mappers from rows. Staff responses
// carry masked ID numbers only; the public response carries neither identifiers of the platform
// (ids, creators, versions) nor evidence references.
// Input schemas use patterns rather than `format` for dates: import lines are checked against the
// same schema by credit.schema-check.ts, which implements only plain keywords.

import { Type } from '@sinclair/typebox';
import { Nullable, StringEnum, Timestamp, Uuid } from '../../platform/http/schemas.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import { NOT_REPAIRABLE_REASONS, PARTICIPANT_ROLES, RECORD_STATUSES, RECORD_TYPES, SEVERITIES, SUBJECT_KINDS } from './credit.rules.ts';
import type { ObjectionRow, RecordRow, RepairRow } from './credit.repository.ts';
import type { ArchiveView } from './credit.service.ts';
import type { RecordHistory as HistoryView } from './credit.steps.ts';
import { ALL_CATEGORIES, objectionLastDay, objectionOverdue, type CreditRules } from './credit.rules.ts';
import type { TradingCategory } from './credit.categories.ts';

const RegionCode = Type.String({ pattern: '^[0-9]{6}$' });
const Day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
const Trimmed = '^\\S(.*\\S)?$';
const Line = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: Trimmed });
/** Free text (may span lines): something besides blanks. */
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });
const Uscc = Type.String({ minLength: 18, maxLength: 18 });
const IdNumber = Type.String({ minLength: 18, maxLength: 18 });

export const Evidence = Type.Object(
  { name: Line(200), sm3Digest: Type.String({ pattern: '^[0-9a-f]{64}$' }), size: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);
const EvidenceList = Type.Array(Evidence, { maxItems: 20 });

export const BanCreate = Type.Object(
  { categories: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 1, maxItems: 10 }), regionCode: RegionCode, from: Day, to: Day },
  { additionalProperties: false },
);

export const RecordCreate = Type.Object(
  {
    subjectKind: StringEnum(SUBJECT_KINDS),
    uscc: Type.Optional(Uscc),
    idNumber: Type.Optional(IdNumber),
    subjectName: Line(100),
    role: StringEnum(PARTICIPANT_ROLES),
    type: StringEnum(RECORD_TYPES),
    severity: Type.Optional(StringEnum(SEVERITIES)),
    title: Line(200),
    facts: Text(4000),
    legalBasis: Text(1000),
    sourceDepartment: Line(100),
    regionCode: RegionCode,
    decisionNumber: Line(100),
    decisionDate: Day,
    evidence: Type.Optional(EvidenceList),
    effectiveFrom: Day,
    effectiveTo: Type.Optional(Day),
    publishable: Type.Optional(Type.Boolean()),
    disclosureMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 36 })),
    ban: Type.Optional(BanCreate),
    notRepairableReason: Type.Optional(StringEnum(NOT_REPAIRABLE_REASONS)),
  },
  { additionalProperties: false },
);

export const MAX_IMPORT_ROWS = 5000;
export const ImportRequest = Type.Object(
  {
    records: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }), { minItems: 1, maxItems: MAX_IMPORT_ROWS })),
    csv: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
export const ImportResult = Type.Object({ created: Type.Integer(), ids: Type.Array(Uuid) });

export const RecordQuery = Type.Object(
  {
    type: Type.Optional(StringEnum(RECORD_TYPES)),
    status: Type.Optional(StringEnum(RECORD_STATUSES)),
    regionCode: Type.Optional(RegionCode),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  },
  { additionalProperties: false },
);

const SubjectKey = Type.Object({ uscc: Type.Optional(Uscc), idNumber: Type.Optional(IdNumber) }, { additionalProperties: false });

export const ParticipationRequest = Type.Object(
  { subject: SubjectKey, category: Type.String({ minLength: 1, maxLength: 40 }), regionCode: RegionCode, at: Timestamp },
  { additionalProperties: false },
);
export const ParticipationResult = Type.Object({
  allowed: Type.Boolean(),
  blocking: Type.Array(
    Type.Object({ recordId: Uuid, title: Type.String(), severity: Nullable(StringEnum(SEVERITIES)), basis: Type.String(), until: Type.String(), reason: Type.String() }),
  ),
});

export const ArchiveRequest = SubjectKey;

export const PublicQuery = Type.Object(
  { uscc: Type.Optional(Uscc), name: Type.Optional(Type.String({ minLength: 2, maxLength: 100, pattern: Trimmed })) },
  { additionalProperties: false },
);

export const ObjectionCreate = Type.Object({ reason: Text(2000), evidence: Type.Optional(EvidenceList), onBehalfOf: Line(100) }, { additionalProperties: false });
export const ObjectionDecision = Type.Object({ outcome: StringEnum(['upheld', 'dismissed']), reason: Text(2000) }, { additionalProperties: false });
export const ObjectionQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(['pending', 'upheld', 'dismissed'])),
    page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  },
  { additionalProperties: false },
);

export const RepairCreate = Type.Object(
  { obligations: Text(2000), evidence: Type.Array(Evidence, { minItems: 1, maxItems: 20 }), commitment: Type.Object({ accepted: Type.Literal(true), text: Text(2000) }, { additionalProperties: false }) },
  { additionalProperties: false },
);
export const RepairQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(['pending', 'approved', 'rejected'])),
    page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  },
  { additionalProperties: false },
);
export const RepairDecision = Type.Object({ outcome: StringEnum(['approved', 'rejected']), reason: Text(2000) }, { additionalProperties: false });

// ---- responses ----

const EvidenceOut = Type.Object({ name: Type.String(), sm3Digest: Type.String(), size: Type.Integer() });
const BanOut = Type.Object({ categories: Type.Array(Type.String()), regionCode: Type.String(), regionName: Type.String(), from: Type.String(), to: Type.String() });

export const CreditRecord = Type.Object({
  id: Uuid,
  subjectKind: StringEnum(SUBJECT_KINDS),
  subjectName: Type.String(),
  uscc: Nullable(Type.String()),
  idNumberMasked: Nullable(Type.String()),
  role: StringEnum(PARTICIPANT_ROLES),
  type: StringEnum(RECORD_TYPES),
  severity: Nullable(StringEnum(SEVERITIES)),
  title: Type.String(),
  facts: Type.String(),
  legalBasis: Type.String(),
  sourceDepartment: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  decisionNumber: Type.String(),
  decisionDate: Type.String(),
  evidence: Type.Array(EvidenceOut),
  effectiveFrom: Type.String(),
  effectiveTo: Nullable(Type.String()),
  status: StringEnum(RECORD_STATUSES),
  disclosureMonths: Nullable(Type.Integer()),
  disclosureTo: Nullable(Type.String()),
  objectionDeadline: Type.String(),
  ban: Nullable(BanOut),
  notRepairableReason: Nullable(StringEnum(NOT_REPAIRABLE_REASONS)),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const PublicRecord = Type.Object({
  subjectKind: StringEnum(SUBJECT_KINDS),
  subjectName: Type.String(),
  uscc: Nullable(Type.String()),
  idNumberMasked: Nullable(Type.String()),
  type: StringEnum(RECORD_TYPES),
  severity: Nullable(StringEnum(SEVERITIES)),
  title: Type.String(),
  facts: Type.String(),
  legalBasis: Type.String(),
  sourceDepartment: Type.String(),
  regionName: Type.String(),
  decisionNumber: Type.String(),
  decisionDate: Type.String(),
  disclosureTo: Type.String(),
  underObjection: Type.Boolean(),
  ban: Nullable(BanOut),
});
export const PublicResult = Type.Object({ items: Type.Array(PublicRecord) });

export const Objection = Type.Object({
  id: Uuid,
  recordId: Uuid,
  reason: Type.String(),
  evidence: Type.Array(EvidenceOut),
  filedBy: Uuid,
  onBehalfOf: Type.String(),
  filedAt: Timestamp,
  dueOn: Type.String(),
  overdue: Type.Boolean(),
  status: StringEnum(['pending', 'upheld', 'dismissed']),
  decisionReason: Nullable(Type.String()),
  decidedBy: Nullable(Uuid),
  decidedAt: Nullable(Timestamp),
});
export const ObjectionListItem = Type.Object({ ...Objection.properties, recordTitle: Type.String(), subjectName: Type.String() });

export const Repair = Type.Object({
  id: Uuid,
  recordId: Uuid,
  obligations: Type.String(),
  evidence: Type.Array(EvidenceOut),
  commitment: Type.Object({ accepted: Type.Boolean(), text: Type.String() }),
  requestedBy: Uuid,
  requestedAt: Timestamp,
  status: StringEnum(['pending', 'approved', 'rejected']),
  decisionReason: Nullable(Type.String()),
  decidedBy: Nullable(Uuid),
  decidedAt: Nullable(Timestamp),
});

export const RepairListItem = Type.Object({ ...Repair.properties, recordTitle: Type.String(), subjectName: Type.String() });

/** Display name of an account, or null when it is unknown (or the step is not decided yet). */
const AccountName = Nullable(Type.String());
export const RecordHistory = Type.Object({
  objections: Type.Array(Type.Object({ ...Objection.properties, filedByName: AccountName, decidedByName: AccountName })),
  repairs: Type.Array(Type.Object({ ...Repair.properties, requestedByName: AccountName, decidedByName: AccountName })),
});

export const CategoryTable = Type.Object({
  version: Type.String(),
  /** The code a ban uses for every category. */
  allCode: Type.Literal(ALL_CATEGORIES),
  items: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
});

const DisclosureRuleOut = Type.Object({ publishedByDefault: Type.Boolean(), minMonths: Type.Integer(), maxMonths: Type.Integer(), defaultMonths: Type.Integer() });
export const RulesOut = Type.Object({
  disclosure: Type.Object({ minor: DisclosureRuleOut, ordinary: DisclosureRuleOut, serious: DisclosureRuleOut, unrated: DisclosureRuleOut }),
  objectionDays: Type.Integer(),
  objectionDecisionDays: Type.Integer(),
  repairMinMonths: Type.Object({ minor: Type.Integer(), ordinary: Type.Integer(), serious: Type.Integer() }),
  score: Type.Object({ base: Type.Number(), grades: Type.Array(Type.Object({ grade: Type.String(), min: Type.Number() })), fallbackGrade: Type.String() }),
});

export const Archive = Type.Object({
  subject: Type.Object({ kind: StringEnum(SUBJECT_KINDS), name: Nullable(Type.String()), uscc: Nullable(Type.String()), idNumberMasked: Nullable(Type.String()) }),
  score: Type.Object({
    score: Type.Number(),
    grade: Type.String(),
    explanation: Type.Array(Type.Object({ recordId: Uuid, title: Type.String(), weight: Type.Number(), remaining: Type.Number(), contribution: Type.Number() })),
  }),
  records: Type.Array(CreditRecord),
  objections: Type.Array(Objection),
  repairs: Type.Array(Repair),
});

// ---- mappers ----

function banOf(r: RecordRow) {
  if (r.ban_from === null || r.ban_to === null || r.ban_categories === null || r.ban_region_code === null) return null;
  return { categories: r.ban_categories, regionCode: r.ban_region_code, regionName: loadRegionTree().fullName(r.ban_region_code) || r.ban_region_code, from: r.ban_from, to: r.ban_to };
}

export function mapRecord(r: RecordRow) {
  return {
    id: r.id,
    subjectKind: r.subject_kind,
    subjectName: r.subject_name,
    uscc: r.subject_kind === 'organisation' ? r.subject_key : null,
    idNumberMasked: r.id_number_masked,
    role: r.participant_role,
    type: r.type,
    severity: r.severity,
    title: r.title,
    facts: r.facts,
    legalBasis: r.legal_basis,
    sourceDepartment: r.source_department,
    regionCode: r.region_code,
    regionName: loadRegionTree().fullName(r.region_code) || r.region_code,
    decisionNumber: r.decision_number,
    decisionDate: r.decision_date,
    evidence: r.evidence,
    effectiveFrom: r.effective_from,
    effectiveTo: r.effective_to,
    status: r.status,
    disclosureMonths: r.disclosure_months,
    disclosureTo: r.disclosure_to,
    objectionDeadline: objectionLastDay(r.decision_date),
    ban: banOf(r),
    notRepairableReason: r.not_repairable_reason,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export function mapPublicRecord(r: RecordRow) {
  return {
    subjectKind: r.subject_kind,
    subjectName: r.subject_name,
    uscc: r.subject_kind === 'organisation' ? r.subject_key : null,
    idNumberMasked: r.id_number_masked,
    type: r.type,
    severity: r.severity,
    title: r.title,
    facts: r.facts,
    legalBasis: r.legal_basis,
    sourceDepartment: r.source_department,
    regionName: loadRegionTree().fullName(r.region_code) || r.region_code,
    decisionNumber: r.decision_number,
    decisionDate: r.decision_date,
    disclosureTo: r.disclosure_to ?? '',
    underObjection: r.status === 'under_objection',
    ban: banOf(r),
  };
}

export function mapObjection(o: ObjectionRow, today: string) {
  return {
    id: o.id,
    recordId: o.record_id,
    reason: o.reason,
    evidence: o.evidence,
    filedBy: o.filed_by,
    onBehalfOf: o.filed_on_behalf,
    filedAt: o.filed_at.toISOString(),
    dueOn: o.due_on,
    overdue: objectionOverdue(o.status === 'pending', o.filed_on, today),
    status: o.status,
    decisionReason: o.decision_reason,
    decidedBy: o.decided_by,
    decidedAt: o.decided_at?.toISOString() ?? null,
  };
}

export function mapRepair(r: RepairRow) {
  return {
    id: r.id,
    recordId: r.record_id,
    obligations: r.obligations,
    evidence: r.evidence,
    commitment: { accepted: true, text: r.commitment_text },
    requestedBy: r.requested_by,
    requestedAt: r.requested_at.toISOString(),
    status: r.status,
    decisionReason: r.decision_reason,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at?.toISOString() ?? null,
  };
}

export function mapHistory(h: HistoryView, today: string) {
  const name = (id: string | null) => (id === null ? null : (h.names.get(id) ?? null));
  return {
    objections: h.objections.map((o) => ({ ...mapObjection(o, today), filedByName: name(o.filed_by), decidedByName: name(o.decided_by) })),
    repairs: h.repairs.map((r) => ({ ...mapRepair(r), requestedByName: name(r.requested_by), decidedByName: name(r.decided_by) })),
  };
}

export function mapCategoryTable(t: { version: string; categories: TradingCategory[] }) {
  return { version: t.version, allCode: ALL_CATEGORIES, items: t.categories.map((c) => ({ code: c.code, name: c.name })) };
}

export function mapRules(r: CreditRules) {
  return {
    disclosure: r.disclosure,
    objectionDays: r.objectionDays,
    objectionDecisionDays: r.objectionDecisionDays,
    repairMinMonths: r.repairMinMonths,
    score: { base: r.score.base, grades: r.score.grades, fallbackGrade: r.score.fallbackGrade },
  };
}

/** A subject's archive as the API shows it (staff's view, the subject's own, an expert's). */
export function mapArchive(a: Pick<ArchiveView, 'records' | 'objections' | 'repairs' | 'score'>, subject: { kind: 'organisation' | 'person'; name: string | null; uscc: string | null; idNumberMasked: string | null }, today: string) {
  return {
    subject,
    score: { score: a.score.score, grade: a.score.grade, explanation: a.score.explanation.map((e) => ({ ...e, title: a.score.titles.get(e.recordId) ?? '' })) },
    records: a.records.map(mapRecord),
    objections: a.objections.map((o) => mapObjection(o, today)),
    repairs: a.repairs.map(mapRepair),
  };
}
