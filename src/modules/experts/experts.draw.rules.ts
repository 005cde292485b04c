// Pure rules of the evaluation panel draw (专家抽取): the committee's shape (DOMAIN.md §3
// "evaluation committee"), why a candidate is left out (§3 "expert avoidance"), the documented
// selection from a seed, and the seat bookkeeping of answers and replacements. No I/O: an auditor
// can re-run `selectPanel` on the recorded inputs with nothing but this file and SM3.

import { hmacSm3 } from '../../platform/crypto/sm3.ts';
import type { FieldError } from '../../platform/errors.ts';

// ---- committee shape ----

export interface PanelRules {
  /** Committee members (drawn experts + the tenderer's own representatives), at least. */
  minCommittee: number;
  /** The committee must have an odd number of members (no tied votes). */
  oddCommittee: boolean;
  /** Drawn experts ≥ numerator/denominator of the committee, compared in integers. */
  expertShare: { numerator: number; denominator: number };
  /** Reserves drawn per specialty, at least. */
  minReserves: number;
  /** Reserves per specialty when the request names none. */
  defaultReserves: number;
}

export const DEFAULT_PANEL_RULES: PanelRules = {
  minCommittee: 5,
  oddCommittee: true,
  expertShare: { numerator: 2, denominator: 3 },
  minReserves: 1,
  defaultReserves: 2,
};

export interface PanelShape {
  /** Experts to draw, summed over the needs. */
  experts: number;
  tendererRepresentatives: number;
  reserves: number;
}

/** Every way the requested shape breaks the rules (empty: it holds), each with field and rule. */
export function panelShapeErrors(shape: PanelShape, rules: PanelRules = DEFAULT_PANEL_RULES): FieldError[] {
  const committee = shape.experts + shape.tendererRepresentatives;
  const errors: FieldError[] = [];
  if (committee < rules.minCommittee) {
    errors.push({ field: 'needs', rule: 'min_committee', message: `评标委员会（抽取专家 ${shape.experts} 人 + 招标人代表 ${shape.tendererRepresentatives} 人）不得少于 ${rules.minCommittee} 人` });
  }
  if (rules.oddCommittee && committee % 2 === 0) {
    errors.push({ field: 'needs', rule: 'odd_committee', message: `评标委员会成员人数应为单数，当前为 ${committee} 人` });
  }
  const { numerator, denominator } = rules.expertShare;
  // Integers only: 6 of 9 is exactly 2/3 and must pass, which floating point could miss.
  if (shape.experts * denominator < committee * numerator) {
    errors.push({
      field: 'tendererRepresentatives',
      rule: 'expert_share',
      message: `抽取的技术、经济专家不得少于成员总数的 ${numerator}/${denominator}（当前 ${shape.experts}/${committee}）`,
    });
  }
  if (shape.reserves < rules.minReserves) {
    errors.push({ field: 'reserves', rule: 'min_reserves', message: `每个专业至少抽取 ${rules.minReserves} 名候补专家` });
  }
  return errors;
}

// ---- exclusions ----

/**
 * Why a candidate (an expert of a needed specialty in the regions asked) is left out, in the order
 * they are tested; a candidate is counted under its first reason only.
 */
export const EXCLUSION_REASONS = ['already_in_draw', 'inactive', 'employer_avoided', 'relation_avoided', 'supervising_department', 'unavailable', 'credit_banned'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export const EXCLUSION_LABELS: Record<ExclusionReason, string> = {
  already_in_draw: '已在本次抽取中（补抽时排除）',
  inactive: '专家状态非正常（暂停或除名）',
  employer_avoided: '任职单位为需回避的主体',
  relation_avoided: '与需回避的主体有亲属或利害关系',
  supervising_department: '项目行政监督部门工作人员',
  unavailable: '评标当日不可参评',
  credit_banned: '信用记录禁止参与',
};

export interface CandidateFacts {
  id: string;
  status: 'active' | 'suspended' | 'removed';
  employerUscc: string;
  employerName: string;
  /** USCCs of the expert's declared relations that are among the avoided entities. */
  relatedAvoided: readonly string[];
  unavailable: boolean;
}

export interface AvoidRequest {
  usccs: ReadonlySet<string>;
  supervisingDepartment: { name: string; uscc: string | null } | null;
  /** Everyone already placed in this draw (top-up rounds). */
  alreadyInDraw: ReadonlySet<string>;
}

/** Names compare without blanks: "某市 住建局" and "某市住建局" are one department. */
export function sameOrganisationName(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, '');
  return norm(a) !== '' && norm(a) === norm(b);
}

/** The first reason that leaves the candidate out, before the credit check; null: goes on to it. */
export function exclusionOf(c: CandidateFacts, avoid: AvoidRequest): Exclude<ExclusionReason, 'credit_banned'> | null {
  if (avoid.alreadyInDraw.has(c.id)) return 'already_in_draw';
  if (c.status !== 'active') return 'inactive';
  if (avoid.usccs.has(c.employerUscc)) return 'employer_avoided';
  if (c.relatedAvoided.some((u) => avoid.usccs.has(u))) return 'relation_avoided';
  const dept = avoid.supervisingDepartment;
  if (dept && ((dept.uscc !== null && dept.uscc === c.employerUscc) || sameOrganisationName(dept.name, c.employerName))) return 'supervising_department';
  if (c.unavailable) return 'unavailable';
  return null;
}

// ---- selection ----

/**
 * Version of the selection below, stored with every round. A change to the procedure is a new
 * version; verification runs the version a round names.
 *
 * ggzy-panel-draw/hmac-sm3/v1:
 *   seed      32 random bytes (hex in the record)
 *   score(e)  HMAC-SM3(key = seed bytes, message = UTF-8 of the expert id, lower-case UUID), hex
 *   order     per need, its eligible ids sorted by score ascending (ties: by id)
 *   pass 1    for each need in request order: the first `count` ids of its order not yet taken
 *   pass 2    for each need in request order: the next `reserves` ids of its order not yet taken,
 *             in that order = the need's reserve list
 *   An id is taken at most once across needs and passes (an expert with several specialties
 *   sits once).
 */
export const DRAW_ALGORITHM = 'ggzy-panel-draw/hmac-sm3/v1';

export interface NeedPool {
  specialtyCode: string;
  count: number;
  /** Eligible expert ids, sorted ascending, no duplicates. */
  eligible: readonly string[];
}

export interface NeedResult {
  specialtyCode: string;
  members: string[];
  reserves: string[];
}

export function drawScore(seedHex: string, expertId: string): string {
  return hmacSm3(Buffer.from(seedHex, 'hex'), expertId).toString('hex');
}

/** The ids ordered by their score under the seed. */
export function drawOrder(seedHex: string, ids: readonly string[]): string[] {
  const scored = ids.map((id) => ({ id, score: drawScore(seedHex, id) }));
  scored.sort((a, b) => (a.score < b.score ? -1 : a.score > b.score ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return scored.map((s) => s.id);
}

export function selectPanel(seedHex: string, pools: readonly NeedPool[], reserves: number): NeedResult[] {
  const orders = pools.map((p) => drawOrder(seedHex, p.eligible));
  const taken = new Set<string>();
  const takeFrom = (order: readonly string[], n: number): string[] => {
    const out: string[] = [];
    for (const id of order) {
      if (out.length >= n) break;
      if (taken.has(id)) continue;
      taken.add(id);
      out.push(id);
    }
    return out;
  };
  const members = pools.map((p, i) => takeFrom(orders[i]!, p.count));
  const reserveLists = pools.map((_, i) => takeFrom(orders[i]!, reserves));
  return pools.map((p, i) => ({ specialtyCode: p.specialtyCode, members: members[i]!, reserves: reserveLists[i]! }));
}

/** The needs the pool could not fill: how many were wanted and how many eligible the need had. */
export function shortfalls(pools: readonly NeedPool[], result: readonly NeedResult[], reserves: number): { specialtyCode: string; wanted: number; eligible: number; got: number }[] {
  return result.flatMap((r, i) => {
    const wanted = pools[i]!.count + reserves;
    const got = r.members.length + r.reserves.length;
    return got < wanted ? [{ specialtyCode: r.specialtyCode, wanted, eligible: pools[i]!.eligible.length, got }] : [];
  });
}

export function isSortedUnique(ids: readonly string[]): boolean {
  for (let i = 1; i < ids.length; i++) if (!(ids[i - 1]! < ids[i]!)) return false;
  return true;
}

// ---- seats, answers, replacements ----

export type MemberState = 'standby' | 'pending' | 'accepted' | 'declined' | 'unreachable';
export type Answer = 'accepted' | 'declined' | 'unreachable';

export interface SeatMember {
  expertId: string;
  specialtyCode: string;
  round: number;
  kind: 'member' | 'reserve';
  rank: number;
  state: MemberState;
}

/** Which answers may follow which state: an acceptance may still be withdrawn before confirmation. */
export function canAnswer(state: MemberState, answer: Answer): boolean {
  if (state === 'pending') return true;
  if (state === 'accepted') return answer !== 'accepted';
  return false;
}

/** A decline or no answer frees the seat; the reserve called next is the earliest round's lowest rank. */
export function nextReserve(members: readonly SeatMember[], specialtyCode: string): SeatMember | undefined {
  return members
    .filter((m) => m.specialtyCode === specialtyCode && m.state === 'standby')
    .sort((a, b) => a.round - b.round || a.rank - b.rank)[0];
}

export interface SeatCount {
  specialtyCode: string;
  count: number;
  accepted: number;
  pending: number;
  standby: number;
  /** Seats neither accepted nor awaiting an answer. */
  open: number;
}

export function seatCounts(needs: readonly { specialtyCode: string; count: number }[], members: readonly SeatMember[]): SeatCount[] {
  return needs.map((n) => {
    const of = members.filter((m) => m.specialtyCode === n.specialtyCode);
    const accepted = of.filter((m) => m.state === 'accepted').length;
    const pending = of.filter((m) => m.state === 'pending').length;
    const standby = of.filter((m) => m.state === 'standby').length;
    return { specialtyCode: n.specialtyCode, count: n.count, accepted, pending, standby, open: Math.max(0, n.count - accepted - pending) };
  });
}

/** A top-up draws for needs whose open seats no reserve can fill any more. */
export function topUpNeeds(seats: readonly SeatCount[]): { specialtyCode: string; count: number }[] {
  return seats.filter((s) => s.open > 0 && s.standby === 0).map((s) => ({ specialtyCode: s.specialtyCode, count: s.open }));
}

export function panelComplete(seats: readonly SeatCount[]): boolean {
  return seats.every((s) => s.accepted === s.count);
}
