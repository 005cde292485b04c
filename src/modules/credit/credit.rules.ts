// Pure rules of the credit library (DOMAIN.md §7): disclosure periods, ban periods, objection
// and repair deadlines, the score. No I/O, no clock: every "today" is passed in, a calendar day
// in China Standard Time (DOMAIN.md §0). Every number below is configuration with its default,
// and has a test at its boundary in credit.rules.test.ts.

export const RECORD_TYPES = ['violation', 'blacklist', 'blacklist_removal', 'reward', 'performance', 'social'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];
export const SEVERITIES = ['minor', 'ordinary', 'serious'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const RECORD_STATUSES = ['effective', 'under_objection', 'revoked', 'repaired'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];
export const SUBJECT_KINDS = ['organisation', 'person'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];
/** 招标人, 投标人, 招标代理, 供应商, 采购人, 竞买人, 评标专家, 从业人员. */
export const PARTICIPANT_ROLES = ['tenderer', 'bidder', 'agency', 'supplier', 'purchaser', 'auction_bidder', 'expert', 'staff'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];
/** 串通投标; 出借、借用资质被责令停业或吊销 — never repairable (信用修复管理办法). */
export const NOT_REPAIRABLE_REASONS = ['collusion', 'qualification_lending'] as const;
export type NotRepairableReason = (typeof NOT_REPAIRABLE_REASONS)[number];
export const OBJECTION_OUTCOMES = ['upheld', 'dismissed'] as const;
export type ObjectionOutcome = (typeof OBJECTION_OUTCOMES)[number];

/** Types that carry a severity (and may carry a ban, be objected to, be repaired). */
export function isAdverse(type: RecordType): boolean {
  return type === 'violation' || type === 'blacklist';
}

export function mayCarryBan(type: RecordType): boolean {
  return isAdverse(type);
}

// ---- configuration ----

export interface DisclosureRule {
  /** Published unless the record says otherwise (minor: only when marked publishable). */
  publishedByDefault: boolean;
  minMonths: number;
  maxMonths: number;
  defaultMonths: number;
}

export interface CreditRules {
  /** By severity; records without a severity (rewards, performance, social, removals) use `unrated`. */
  disclosure: Record<Severity | 'unrated', DisclosureRule>;
  /** Days after the decision date an objection may be filed (the period starts the day after). */
  objectionDays: number;
  /** Days after filing within which an objection must be decided; later ones are flagged overdue. */
  objectionDecisionDays: number;
  /** Months after the decision date before repair may be asked, by severity. */
  repairMinMonths: Record<Severity, number>;
  score: ScoreModel;
}

export interface ScoreModel {
  base: number;
  /** Points per record before decay: adverse records by severity, the others by type. */
  adverse: Record<RecordType & ('violation' | 'blacklist'), Record<Severity, number>>;
  other: Record<Exclude<RecordType, 'violation' | 'blacklist'>, number>;
  /** Lowest score of each grade, best first; below the last → the fallback grade. */
  grades: { grade: string; min: number }[];
  fallbackGrade: string;
}

export const DEFAULT_RULES: CreditRules = {
  disclosure: {
    minor: { publishedByDefault: false, minMonths: 1, maxMonths: 3, defaultMonths: 3 },
    ordinary: { publishedByDefault: true, minMonths: 3, maxMonths: 12, defaultMonths: 12 },
    serious: { publishedByDefault: true, minMonths: 12, maxMonths: 36, defaultMonths: 36 },
    unrated: { publishedByDefault: true, minMonths: 1, maxMonths: 36, defaultMonths: 12 },
  },
  objectionDays: 30,
  objectionDecisionDays: 15,
  repairMinMonths: { minor: 0, ordinary: 3, serious: 12 },
  score: {
    base: 100,
    adverse: {
      violation: { minor: -2, ordinary: -10, serious: -30 },
      blacklist: { minor: -10, ordinary: -20, serious: -40 },
    },
    other: { reward: 5, performance: 2, social: 0, blacklist_removal: 0 },
    grades: [
      { grade: 'A', min: 90 },
      { grade: 'B', min: 75 },
      { grade: 'C', min: 60 },
    ],
    fallbackGrade: 'D',
  },
};

// ---- calendar days (CST) ----

const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 86_400_000;

/** The calendar day in China Standard Time of an instant. */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

export function isCalendarDate(day: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return false;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) === day;
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Same day N months later; a day the month lacks falls on its last day (01-31 + 1 → 02-28). */
export function addMonths(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + n;
  const year = Math.floor(total / 12);
  const month = total % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d, last))).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

// ---- disclosure ----

export function disclosureRule(severity: Severity | null, rules: CreditRules = DEFAULT_RULES): DisclosureRule {
  return rules.disclosure[severity ?? 'unrated'];
}

export type DisclosureDecision = { ok: true; months: number | null } | { ok: false; field: string; rule: string; message: string };

/**
 * The disclosure period of a new record in months, or null when it is not published. Minor
 * records are published only when marked publishable (then ≤ 3 months).
 */
export function decideDisclosure(severity: Severity | null, publishable: boolean | undefined, months: number | undefined, rules: CreditRules = DEFAULT_RULES): DisclosureDecision {
  const rule = disclosureRule(severity, rules);
  const published = publishable ?? rule.publishedByDefault;
  if (!published) {
    if (months !== undefined) return { ok: false, field: 'disclosureMonths', rule: 'not_published', message: '不公开的记录无需填写公开期限' };
    return { ok: true, months: null };
  }
  const m = months ?? rule.defaultMonths;
  if (m < rule.minMonths || m > rule.maxMonths) {
    return { ok: false, field: 'disclosureMonths', rule: 'range', message: `公开期限应为 ${rule.minMonths}–${rule.maxMonths} 个月` };
  }
  return { ok: true, months: m };
}

/** The last day (inclusive) of a disclosure period that starts on the decision date. */
export function disclosureLastDay(decisionDate: string, months: number): string {
  return addDays(addMonths(decisionDate, months), -1);
}

export interface DisclosureFacts {
  status: RecordStatus;
  decisionDate: string;
  /** Inclusive last day, or null when the record is not published. */
  disclosureTo: string | null;
}

/** Whether the public sees the record on `day`: published, inside its period, neither revoked nor repaired. */
export function isDisclosed(r: DisclosureFacts, day: string): boolean {
  if (r.disclosureTo === null) return false;
  if (r.status === 'revoked' || r.status === 'repaired') return false;
  return r.decisionDate <= day && day <= r.disclosureTo;
}

// ---- bans ----

export interface BanFacts {
  status: RecordStatus;
  categories: readonly string[];
  regionCode: string;
  from: string;
  to: string;
}

export const ALL_CATEGORIES = '*';

/**
 * Whether a ban blocks a deal of `category` in `dealRegion` on `day` (CST). Both ends of the ban
 * period count. A revoked or repaired record never blocks; one under objection still does (an
 * objection does not suspend a decision). `within(deal, banRegion)` answers the region tree.
 */
export function banBlocks(ban: BanFacts, category: string, dealRegion: string, day: string, within: (code: string, root: string) => boolean): boolean {
  if (ban.status === 'revoked' || ban.status === 'repaired') return false;
  if (day < ban.from || day > ban.to) return false;
  if (!ban.categories.includes(ALL_CATEGORIES) && !ban.categories.includes(category)) return false;
  return within(dealRegion, ban.regionCode);
}

// ---- objections ----

/** The last day an objection may be filed: N days counted from the day after the decision. */
export function objectionLastDay(decisionDate: string, rules: CreditRules = DEFAULT_RULES): string {
  return addDays(decisionDate, rules.objectionDays);
}

/** The last day an objection filed on `filedOn` should be decided. */
export function objectionDueDay(filedOn: string, rules: CreditRules = DEFAULT_RULES): string {
  return addDays(filedOn, rules.objectionDecisionDays);
}

export function objectionOverdue(pending: boolean, filedOn: string, today: string, rules: CreditRules = DEFAULT_RULES): boolean {
  return pending && today > objectionDueDay(filedOn, rules);
}

// ---- repair ----

export interface RepairFacts {
  type: RecordType;
  severity: Severity | null;
  status: RecordStatus;
  decisionDate: string;
  notRepairableReason: NotRepairableReason | null;
}

export type RepairVerdict = { ok: true } | { ok: false; rule: string; message: string };

export function repairEarliestDay(severity: Severity, decisionDate: string, rules: CreditRules = DEFAULT_RULES): string {
  return addMonths(decisionDate, rules.repairMinMonths[severity]);
}

export function repairEligibility(r: RepairFacts, today: string, rules: CreditRules = DEFAULT_RULES): RepairVerdict {
  if (!isAdverse(r.type) || r.severity === null) return { ok: false, rule: 'not_adverse', message: '只有违法违规、黑名单记录可以申请信用修复' };
  if (r.notRepairableReason !== null) {
    return { ok: false, rule: 'not_repairable', message: r.notRepairableReason === 'collusion' ? '串通投标的失信记录不可修复' : '出借、借用资质导致停业或吊销的失信记录不可修复' };
  }
  if (r.status === 'repaired') return { ok: false, rule: 'already_repaired', message: '该记录已修复' };
  if (r.status !== 'effective') return { ok: false, rule: 'status', message: '只有生效中的记录可以申请修复（异议处理中或已撤销的不可）' };
  const earliest = repairEarliestDay(r.severity, r.decisionDate, rules);
  if (today < earliest) return { ok: false, rule: 'min_period', message: `最短公示期未满，${earliest} 起方可申请修复` };
  return { ok: true };
}

// ---- score ----

export interface ScoredRecord {
  id: string;
  type: RecordType;
  severity: Severity | null;
  status: RecordStatus;
  decisionDate: string;
  /** Months the record counts for (its disclosure period; unpublished ones use the rule's default). */
  months: number;
}

export interface Score {
  score: number;
  grade: string;
  explanation: { recordId: string; weight: number; remaining: number; contribution: number }[];
}

function weightOf(r: ScoredRecord, model: ScoreModel): number {
  switch (r.type) {
    case 'violation':
    case 'blacklist':
      return model.adverse[r.type][r.severity ?? 'ordinary'];
    case 'performance':
    case 'reward':
    case 'social':
    case 'blacklist_removal':
      return model.other[r.type];
  }
}

export function gradeOf(score: number, model: ScoreModel = DEFAULT_RULES.score): string {
  return model.grades.find((g) => score >= g.min)?.grade ?? model.fallbackGrade;
}

/**
 * Base plus each live record's weight, decayed linearly to 0 over its period (full on the
 * decision day, 0 from the day after the period ends), clamped to 0–100; rounded to 0.1.
 * Revoked and repaired records count nothing.
 */
export function scoreOf(records: readonly ScoredRecord[], today: string, model: ScoreModel = DEFAULT_RULES.score): Score {
  let total = model.base;
  const explanation: Score['explanation'] = [];
  for (const r of records) {
    if (r.status === 'revoked' || r.status === 'repaired') continue;
    const end = addMonths(r.decisionDate, r.months);
    const span = daysBetween(r.decisionDate, end);
    const elapsed = daysBetween(r.decisionDate, today);
    if (elapsed < 0 || elapsed >= span) continue;
    const remaining = (span - elapsed) / span;
    const weight = weightOf(r, model);
    const contribution = Math.round(weight * remaining * 100) / 100;
    if (contribution === 0) continue;
    total += weight * remaining;
    explanation.push({ recordId: r.id, weight, remaining: Math.round(remaining * 1000) / 1000, contribution });
  }
  const score = Math.round(Math.min(100, Math.max(0, total)) * 10) / 10;
  return { score, grade: gradeOf(score, model), explanation };
}
