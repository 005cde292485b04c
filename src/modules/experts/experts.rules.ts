// Pure rules of the expert pool: the specialty code table, unavailability periods, avoidance and
// the eligibility predicate. No I/O. The eligibility SQL in the repository must answer exactly
// what `isEligible` answers; a test holds the two together on random data.

export const EXPERT_STATUSES = ['active', 'suspended', 'removed'] as const;
export type ExpertStatus = (typeof EXPERT_STATUSES)[number];
export type RelationKind = 'relative' | 'interest' | 'former_employer';

// ---- specialties ----

export interface Specialty {
  code: string;
  name: string;
  parentCode: string | null;
}

/** The two-level classification: categories (`A`) hold the leaf specialties (`A01`) experts declare. */
export class SpecialtyTable {
  private readonly byCode = new Map<string, Specialty>();
  private readonly children = new Map<string, Specialty[]>();

  constructor(
    readonly specialties: readonly Specialty[],
    readonly version: string,
  ) {
    for (const s of specialties) this.byCode.set(s.code, s);
    for (const s of specialties) {
      if (s.parentCode === null) continue;
      if (!this.byCode.has(s.parentCode)) throw new Error(`specialty ${s.code} names an unknown parent ${s.parentCode}`);
      this.children.set(s.parentCode, [...(this.children.get(s.parentCode) ?? []), s]);
    }
  }

  get(code: string): Specialty | undefined {
    return this.byCode.get(code);
  }

  /** A leaf is what an expert may declare; a category only groups leaves. */
  isLeaf(code: string): boolean {
    return this.byCode.has(code) && !this.children.has(code);
  }

  /** The leaf codes a request for `code` matches: itself if a leaf, its leaves if a category. */
  leavesUnder(code: string): string[] {
    if (!this.byCode.has(code)) return [];
    const kids = this.children.get(code);
    if (!kids) return [code];
    return kids.flatMap((k) => this.leavesUnder(k.code));
  }

  /** Whether an expert holding `expertCodes` qualifies for a request of `requested`. */
  matches(expertCodes: readonly string[], requested: string): boolean {
    const wanted = new Set(this.leavesUnder(requested));
    return expertCodes.some((c) => wanted.has(c));
  }

  levelOf(code: string): 1 | 2 {
    return this.byCode.get(code)?.parentCode ? 2 : 1;
  }
}

// ---- dates and periods ----

export const CST_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The calendar date in China Standard Time: day boundaries are decided there (DOMAIN.md §0). */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** Whether `YYYY-MM-DD` names a real calendar day (ajv's `date` format also accepts it; this is for callers outside HTTP). */
export function isCalendarDate(day: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === day;
}

export interface Period {
  /** First day the expert is unavailable (inclusive). */
  from: string;
  /** Last day the expert is unavailable (inclusive). */
  to: string;
}

/** Both ends count: a period ending on the evaluation day still covers it. ISO dates compare as strings. */
export function periodCovers(period: Period, day: string): boolean {
  return period.from <= day && day <= period.to;
}

export function periodsOverlap(a: Period, b: Period): boolean {
  return a.from <= b.to && b.from <= a.to;
}

export function isUnavailableOn(periods: readonly Period[], day: string): boolean {
  return periods.some((p) => periodCovers(p, day));
}

export function isWellFormedPeriod(p: Period): boolean {
  return p.from <= p.to;
}

// ---- status ----

/** Removal (除名) is final: a removed expert never returns to the pool under the same record. */
export function canChangeStatus(from: ExpertStatus, to: ExpertStatus): boolean {
  if (from === to) return true;
  return from !== 'removed';
}

/** Suspension and removal must say why; an active expert carries no reason. */
export function statusNeedsReason(status: ExpertStatus): boolean {
  return status !== 'active';
}

// ---- avoidance and eligibility ----

export interface AvoidanceFacts {
  employerUscc: string;
  /** The USCCs of every declared relation (relatives' employers, interests, former employers). */
  relatedUscc: readonly string[];
}

/** Avoided when the employer or any declared related entity is one of the avoided entities. */
export function isAvoided(expert: AvoidanceFacts, avoid: ReadonlySet<string>): boolean {
  return avoid.has(expert.employerUscc) || expert.relatedUscc.some((u) => avoid.has(u));
}

export interface EligibilityFacts extends AvoidanceFacts {
  status: ExpertStatus;
  regionCode: string;
  specialties: readonly string[];
  periods: readonly Period[];
}

export interface EligibilityRequest {
  /** Leaf codes the requested specialty matches (SpecialtyTable.leavesUnder). */
  specialtyLeaves: ReadonlySet<string>;
  /** The requested region and every region below it. */
  regions: ReadonlySet<string>;
  avoid: ReadonlySet<string>;
  on: string;
}

/** Why an expert is not eligible, first reason first; null when eligible. */
export function ineligibility(expert: EligibilityFacts, request: EligibilityRequest): 'status' | 'region' | 'specialty' | 'avoided' | 'unavailable' | null {
  if (expert.status !== 'active') return 'status';
  if (!request.regions.has(expert.regionCode)) return 'region';
  if (!expert.specialties.some((c) => request.specialtyLeaves.has(c))) return 'specialty';
  if (isAvoided(expert, request.avoid)) return 'avoided';
  if (isUnavailableOn(expert.periods, request.on)) return 'unavailable';
  return null;
}

export function isEligible(expert: EligibilityFacts, request: EligibilityRequest): boolean {
  return ineligibility(expert, request) === null;
}
