// Shapes of the API answers (docs/api.md). Kept in one file so a contract change shows in one diff.

export type Stage = 'mfa' | 'mfa_enroll' | 'password_change' | 'active';
export type Scope = 'own' | 'organisation' | 'region' | 'province';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface MeRole {
  id: string;
  code: string;
  name: string;
  scope: Scope;
}

export interface Me {
  id: string;
  username: string;
  displayName: string;
  stage: Stage;
  organisation: { id: string; name: string; regionCode: string; regionName: string } | null;
  /** The market entity a registered entity's account acts for (staff: null). */
  entity: { id: string; name: string; regionCode: string; regionName: string } | null;
  roles: MeRole[];
  permissions: string[];
  mfaEnabled: boolean;
  passwordExpiresAt: string | null;
  /** The node that holds the account: "140000" for a province account signed in on a city node (its profile, password and credit are handled there); null otherwise. */
  homeNode: string | null;
}

export interface LoginAnswer {
  stage: Stage;
  csrfToken: string;
  token?: string;
  expiresAt: string;
}

export interface StageAnswer {
  stage: Stage;
}

export interface EnrollAnswer {
  secret: string;
  otpauthUri: string;
}

export interface Region {
  code: string;
  name: string;
  level: 1 | 2 | 3;
  parentCode: string | null;
}

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

export interface Organisation {
  id: string;
  parentId: string | null;
  name: string;
  shortName: string | null;
  kind: OrganisationKind;
  regionCode: string;
  regionName: string;
  industry: Industry | null;
  creditCode: string | null;
  status: 'active' | 'inactive';
  version: number;
}

export type PersonnelStatus = 'active' | 'suspended' | 'left';

export interface Personnel {
  id: string;
  name: string;
  idNumberMasked: string;
  gender: string | null;
  position: string | null;
  phoneMasked: string | null;
  organisationId: string;
  organisationName: string;
  accountId: string | null;
  status: PersonnelStatus;
  version: number;
}

export type AdminClass = 'system' | 'security' | 'audit';

export interface Permission {
  code: string;
  name: string;
  group: string;
  adminClass: AdminClass | null;
}

export interface Role {
  id: string;
  code: string;
  name: string;
  description: string | null;
  permissions: string[];
  mfaRequired: boolean;
  builtin: boolean;
  adminClass: AdminClass | null;
  version: number;
}

export interface AccountGrant {
  roleId: string;
  code: string;
  name: string;
  scope: Scope;
}

export interface Account {
  id: string;
  username: string;
  displayName: string;
  organisationId: string;
  organisationName: string;
  personnelId: string | null;
  status: 'active' | 'disabled';
  locked: boolean;
  lockedUntil: string | null;
  mfaEnabled: boolean;
  mustChangePassword: boolean;
  roles: AccountGrant[];
  lastLoginAt: string | null;
  version: number;
}

export interface AuditEvent {
  seq: number;
  occurredAt: string;
  actorId: string | null;
  actorUsername: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  result: string;
  clientIp: string | null;
  beforeDigest: string | null;
  afterDigest: string | null;
  detail: unknown;
  hash: string;
}

export interface AuditVerifyAnswer {
  ok: boolean;
  checked: number;
  firstBroken?: { seq: number; reason: string };
}

// --- evaluation experts (评标专家库) ----------------------------------------------------------

export type ExpertStatus = 'active' | 'suspended' | 'removed';
export type ExpertRelationKind = 'relative' | 'interest' | 'former_employer';

export interface Specialty {
  code: string;
  name: string;
  parentCode: string | null;
  level: number;
}

export interface SpecialtyTable {
  version: string;
  items: Specialty[];
}

export interface ExpertPeriod {
  id: string;
  from: string;
  to: string;
  reason: string;
}

export interface ExpertRelation {
  id: string;
  uscc: string;
  kind: ExpertRelationKind;
  note: string;
  declaredOn: string;
}

export interface Expert {
  id: string;
  name: string;
  idNumberMasked: string;
  gender: 'male' | 'female';
  birthYear: number;
  phoneMasked: string;
  regionCode: string;
  regionName: string;
  employerName: string;
  employerUscc: string;
  titles: string[];
  specialties: { code: string; name: string }[];
  primarySpecialty: string;
  status: ExpertStatus;
  statusReason: string | null;
  unavailability: ExpertPeriod[];
  relations: ExpertRelation[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface EligibleExpert {
  id: string;
  name: string;
  idNumberMasked: string;
  gender: 'male' | 'female';
  phoneMasked: string;
  regionCode: string;
  regionName: string;
  employerName: string;
  employerUscc: string;
  titles: string[];
  /** Leaf codes. */
  specialties: string[];
  primarySpecialty: string;
}

export interface EligibleAnswer {
  total: number;
  items: EligibleExpert[];
}

// --- credit library (信用) ---------------------------------------------------------------------

export type SubjectKind = 'organisation' | 'person';
export type CreditRecordType = 'violation' | 'blacklist' | 'blacklist_removal' | 'reward' | 'performance' | 'social';
export type Severity = 'minor' | 'ordinary' | 'serious';
export type CreditRecordStatus = 'effective' | 'under_objection' | 'revoked' | 'repaired';
export type ParticipantRole = 'tenderer' | 'bidder' | 'agency' | 'supplier' | 'purchaser' | 'auction_bidder' | 'expert' | 'staff';
export type NotRepairableReason = 'collusion' | 'qualification_lending';
export type ObjectionStatus = 'pending' | 'upheld' | 'dismissed';
export type RepairStatus = 'pending' | 'approved' | 'rejected';

/** A reference to an evidence document: there is no file store yet, only its name, SM3 digest and size. */
export interface EvidenceRef {
  name: string;
  sm3Digest: string;
  size: number;
}

export interface CreditBan {
  categories: string[];
  regionCode: string;
  regionName: string;
  from: string;
  to: string;
}

export interface CreditRecord {
  id: string;
  subjectKind: SubjectKind;
  subjectName: string;
  uscc: string | null;
  idNumberMasked: string | null;
  role: ParticipantRole;
  type: CreditRecordType;
  severity: Severity | null;
  title: string;
  facts: string;
  legalBasis: string;
  sourceDepartment: string;
  regionCode: string;
  regionName: string;
  decisionNumber: string;
  decisionDate: string;
  evidence: EvidenceRef[];
  effectiveFrom: string;
  effectiveTo: string | null;
  status: CreditRecordStatus;
  disclosureMonths: number | null;
  disclosureTo: string | null;
  objectionDeadline: string;
  ban: CreditBan | null;
  notRepairableReason: NotRepairableReason | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Objection {
  id: string;
  recordId: string;
  reason: string;
  evidence: EvidenceRef[];
  filedBy: string;
  onBehalfOf: string;
  filedAt: string;
  dueOn: string;
  overdue: boolean;
  status: ObjectionStatus;
  decisionReason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
}

export interface ObjectionListItem extends Objection {
  recordTitle: string;
  subjectName: string;
}

export interface Repair {
  id: string;
  recordId: string;
  obligations: string;
  evidence: EvidenceRef[];
  commitment: { accepted: boolean; text: string };
  requestedBy: string;
  requestedAt: string;
  status: RepairStatus;
  decisionReason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
}

export interface RepairListItem extends Repair {
  recordTitle: string;
  subjectName: string;
}

export interface RecordHistory {
  objections: (Objection & { filedByName: string | null; decidedByName: string | null })[];
  repairs: (Repair & { requestedByName: string | null; decidedByName: string | null })[];
}

export interface TradingCategoryTable {
  version: string;
  allCode: string;
  items: { code: string; name: string }[];
}

export interface DisclosureRule {
  publishedByDefault: boolean;
  minMonths: number;
  maxMonths: number;
  defaultMonths: number;
}

export interface CreditRules {
  disclosure: Record<Severity | 'unrated', DisclosureRule>;
  objectionDays: number;
  objectionDecisionDays: number;
  repairMinMonths: Record<Severity, number>;
  score: { base: number; grades: { grade: string; min: number }[]; fallbackGrade: string };
}

export interface CreditArchive {
  subject: { kind: SubjectKind; name: string | null; uscc: string | null; idNumberMasked: string | null };
  score: {
    score: number;
    grade: string;
    explanation: { recordId: string; title: string; weight: number; remaining: number; contribution: number }[];
  };
  records: CreditRecord[];
  objections: Objection[];
  repairs: Repair[];
}

/** A ban in force today on the caller's own entity, with the reason the server words. */
export interface OwnBan {
  recordId: string;
  title: string;
  from: string;
  to: string;
  /** 「2026-03-01 至 2027-02-28 禁止在山西省参与全部交易（依据）」 */
  reason: string;
}

/** GET /credit/me: the entity's own archive, every record about it, and its bans in force. */
export interface OwnCreditArchive extends CreditArchive {
  bans: OwnBan[];
}

export interface ParticipationAnswer {
  allowed: boolean;
  blocking: { recordId: string; title: string; severity: Severity | null; basis: string; until: string; reason: string }[];
}

export interface ImportLineProblem {
  line: number;
  field: string;
  rule: string;
  message: string;
}

export interface ImportAnswer {
  created: number;
  ids: string[];
}

// --- market entities (市场主体库) ---------------------------------------------------------------

export type EntityKind = 'organisation' | 'person';
export type EntityRole = 'tenderer' | 'agency' | 'bidder' | 'supplier' | 'purchaser' | 'auction_bidder' | 'transferor';
export type EntityStatus = 'registering' | 'active' | 'suspended';
export type VersionStatus = 'draft' | 'submitted' | 'approved' | 'rejected' | 'superseded';
export type VersionKind = 'registration' | 'change';
export type KeyPersonRole = 'project_manager' | 'technical_lead' | 'safety_officer' | 'other';
export type QualificationState = 'not_yet_valid' | 'valid' | 'expiring' | 'expired';
export type Verdict = 'match' | 'mismatch' | 'confusable' | 'unread';

export interface FileRef {
  digest: string;
  mediaType: string;
  size: number;
  name: string;
}

export interface Qualification {
  id: string;
  category: string;
  grade: string;
  number: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  state: QualificationState;
}

export interface Certificate {
  id: string;
  kind: string;
  number: string;
  issuer: string;
  validTo: string | null;
  file: FileRef | null;
}

export interface KeyPerson {
  id: string;
  name: string;
  role: KeyPersonRole;
  idNumber: string;
  certificateKind: string;
  certificateNumber: string;
  certificateValidTo: string | null;
}

export interface ProfileView {
  name: string;
  regionCode: string;
  regionName: string;
  roles: EntityRole[];
  entityType: string | null;
  registeredCapitalWanYuan: number | null;
  establishedOn: string | null;
  address: string;
  businessScope: string | null;
  legalRepresentative: { name: string; idNumber: string | null } | null;
  contacts: { name: string; phone: string; email: string | null }[];
  bankAccount: { bankName: string; accountName: string; number: string } | null;
  qualifications: Qualification[];
  certificates: Certificate[];
  keyPersonnel: KeyPerson[];
  masked: boolean;
}

export interface ComparisonField {
  field: string;
  label: string;
  formValue: string | null;
  ocrValue: string | null;
  verdict: Verdict;
  message: string;
}

export interface Comparison {
  fields: ComparisonField[];
  usccCheck: { formValid: boolean; ocrValid: boolean | null; message: string | null };
  mismatches: number;
}

export interface Change {
  field: string;
  label: string;
  before: string | null;
  after: string | null;
}

export interface VersionSummary {
  id: string;
  number: number;
  status: VersionStatus;
  kind: VersionKind;
  changes: Change[];
  createdBy: string;
  /** Display name of the account that started the version. */
  createdByName: string;
  createdAt: string;
  submittedAt: string | null;
  reviewedBy: string | null;
  reviewedByName: string | null;
  reviewedAt: string | null;
  reviewReason: string | null;
}

export interface EntityVersion extends VersionSummary {
  entityId: string;
  profile: ProfileView;
  licence: { digest: string; mediaType: string; size: number; uploadedAt: string } | null;
  ocr: { engine: string; durationMs: number; fields: Record<string, { text: string; confidence: number } | null> } | null;
  ocrError: string | null;
  comparison: Comparison | null;
  updatedAt: string;
}

export interface MarketEntity {
  id: string;
  kind: EntityKind;
  uscc: string | null;
  idNumberMasked: string | null;
  name: string;
  regionCode: string;
  regionName: string;
  status: EntityStatus;
  /** Why staff suspended the entity (null unless suspended). */
  statusReason: string | null;
  roles: EntityRole[];
  createdAt: string;
  approvedAt: string | null;
  qualificationWarnings: number;
}

export interface EntityDetail extends MarketEntity {
  profile: ProfileView | null;
  currentVersionId: string | null;
  openVersion: VersionSummary | null;
}

export interface MyEntity {
  entity: MarketEntity;
  current: ProfileView | null;
  open: EntityVersion | null;
  lastRejected: VersionSummary | null;
}

export interface ReviewItem {
  versionId: string;
  entityId: string;
  entityName: string;
  kind: EntityKind;
  uscc: string | null;
  regionCode: string;
  regionName: string;
  number: number;
  type: VersionKind;
  submittedAt: string;
  mismatches: number | null;
}

export interface ExpiringItem {
  qualificationId: string;
  entityId: string;
  entityName: string;
  uscc: string | null;
  category: string;
  grade: string;
  number: string;
  validTo: string;
  state: QualificationState;
  daysLeft: number;
}

// --- construction tendering (电子交易·工程建设) -------------------------------------------------

export type TenderProjectStatus = 'draft' | 'submitted' | 'returned' | 'accepted' | 'notice_review' | 'bidding' | 'after_deadline' | 'finished';
export type LotKind = 'construction' | 'goods' | 'services' | 'survey' | 'design' | 'supervision';
export type TenderCategory = 'construction_works' | 'survey' | 'design' | 'supervision' | 'goods' | 'services';
export type TenderMethod = 'open' | 'invited';

export interface ScoredCriterionConfig {
  id: string;
  name: string;
  maxPoints: number;
  description?: string;
  scoredBy?: 'expert' | 'automatic';
}

export type PassFailCategory = 'formal' | 'qualification' | 'responsiveness';

export interface PassFailCriterionConfig {
  id: string;
  name: string;
  category: PassFailCategory;
  description?: string;
}

export type PriceFormulaConfig =
  | { kind: 'benchmark_mean'; downwardCoefficientPercent: number; trimExtremes: boolean; trimMinValidBids?: number; deductPerPercentAbove: number; deductPerPercentBelow: number }
  | { kind: 'lowest_price_benchmark' };

/** A lot's 评标办法 as the notice stores it (src/modules/evaluation/evaluation.methods.ts). */
export type EvaluationMethodConfig =
  | {
      kind: 'comprehensive';
      passFail?: PassFailCriterionConfig[];
      technical: ScoredCriterionConfig[];
      commercial: ScoredCriterionConfig[];
      price: { id: string; name: string; maxPoints: number; description?: string; formula: PriceFormulaConfig };
    }
  | { kind: 'lowest_evaluated_price'; passFail: PassFailCriterionConfig[] };

export interface TenderLot {
  id: string;
  lotNo: number;
  lotCode: string | null;
  name: string;
  kind: LotKind;
  estimatedPrice: string;
  estimatedPriceFen: number;
  bidSecurity: string;
  bidSecurityFen: number;
  evaluationMethod: EvaluationMethodConfig | null;
  status: string;
  statusName: string;
  statusReason: string | null;
}

export interface TenderProject {
  id: string;
  /** Stored without hyphens (33 characters); shown with formatDealCode. */
  dealCode: string | null;
  name: string;
  investmentCode: string | null;
  category: TenderCategory;
  categoryName: string;
  tenderMethod: TenderMethod;
  tenderMethodName: string;
  regionCode: string;
  tendererEntityId: string;
  agencyEntityId: string | null;
  ownerEntityId: string;
  supervisingDepartment: string;
  fundingSource: string;
  description: string;
  status: TenderProjectStatus;
  statusName: string;
  statusReason: string | null;
  schedule: {
    documentsFrom: string | null;
    documentsUntil: string | null;
    bidDeadline: string | null;
    bidValidityDays: number | null;
    decryptionMinutes: number | null;
  };
  pausedSince: string | null;
  /** The deal's own clock (the platform's, moved by the demo offset). */
  dealNow: string;
  submittedAt: string | null;
  acceptedAt: string | null;
  publishedAt: string | null;
  createdAt: string;
  lots: TenderLot[];
}

export interface DealEventItem {
  id: string;
  seq: number;
  dealCode: string;
  lotCode: string | null;
  type: string;
  typeName: string;
  payload: Record<string, unknown>;
  actor: { accountId: string | null; name: string } | null;
  occurredAt: string;
}

export interface DealTimeline {
  dealCode: string | null;
  events: DealEventItem[];
}
