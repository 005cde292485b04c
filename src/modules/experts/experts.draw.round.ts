// One round of a panel draw (the first draw, or a top-up): the request checked and made
// canonical, the candidates classified (experts.draw.candidates.ts: avoidance, availability,
// then the credit library's participation check), the eligible lists, the seed, the selection. Runs inside the caller's
// transaction, so that what was eligible and what was drawn commit together.

import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditContext } from '../../platform/audit/audit.ts';
import { canonicalJson } from '../../platform/audit/canonical.ts';
import { sm3Hex } from '../../platform/crypto/sm3.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, conflict, invalid } from '../../platform/errors.ts';
import { loadCategories } from '../credit/credit.categories.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import { checkDay, checkedUscc, checkRegion, checkSpecialtyCode } from './experts.checks.ts';
import type * as repo from './experts.draw.repository.ts';
import { classifyHere, referencesForDraw } from './experts.province.ts';
import {
  DEFAULT_PANEL_RULES,
  DRAW_ALGORITHM,
  EXCLUSION_REASONS,
  panelShapeErrors,
  selectPanel,
  shortfalls,
  type NeedPool,
  type PanelRules,
} from './experts.draw.rules.ts';
import type { DrawNeed, DrawRequestRecord, EligibleList, ExclusionRecord, ResultRecord } from './experts.draw.tables.ts';
import { chinaDate } from './experts.rules.ts';
import { loadSpecialtyTable } from './experts.specialties.ts';

export interface DrawInput {
  /** Unified deal code (统一交易标识码), 33 characters without hyphens. */
  dealCode: string;
  /** Lot code (deal code + 3-digit serial), or null for a deal without lots. */
  lotCode?: string | null | undefined;
  /** The deal's region (GB/T 2260): the draw's data scope and the region of the ban check. */
  dealRegionCode: string;
  /** Trading category of the deal (credit catalogue); construction by default. */
  category?: string | undefined;
  /** Where the experts may come from, each with its subtree; default: the deal's region. */
  regionCodes?: string[] | undefined;
  evaluationDate: string;
  needs: DrawNeed[];
  reserves?: number | undefined;
  avoid: { usccs: string[]; supervisingDepartment?: { name: string; uscc?: string | undefined } | undefined };
  tendererRepresentatives?: number | undefined;
}

const DEAL_CODE = /^[0-9A-Z]{32}[0-9A-Z*]$/;
const LOT_CODE = /^[0-9A-Z]{32}[0-9A-Z*][0-9]{3}$/;

/** The request checked, normalised (upper case, sorted, defaults filled) and ready to be recorded. */
export function canonicalRequest(input: DrawInput, now: Date, rules: PanelRules = DEFAULT_PANEL_RULES): DrawRequestRecord {
  const dealCode = input.dealCode.trim().toUpperCase();
  if (!DEAL_CODE.test(dealCode)) throw invalid('dealCode', 'format', '统一交易标识码应为 33 位数字或大写字母（不含连字符）');
  const lotCode = input.lotCode ? input.lotCode.trim().toUpperCase() : null;
  if (lotCode !== null && !LOT_CODE.test(lotCode)) throw invalid('lotCode', 'format', '标段编号应为 36 位：统一交易标识码加 3 位序号');
  if (lotCode !== null && !lotCode.startsWith(dealCode)) throw invalid('lotCode', 'of_deal', '标段编号须以本项目的统一交易标识码开头');
  checkRegion(input.dealRegionCode, 'dealRegionCode');
  const category = input.category ?? 'construction';
  if (category === '*' || !loadCategories().get(category)) throw invalid('category', 'exists', `交易类别 ${category} 不存在`);
  const regionCodes = input.regionCodes ?? [input.dealRegionCode];
  if (regionCodes.length === 0) throw invalid('regionCodes', 'minItems', '请至少选择一个专家来源区域');
  regionCodes.forEach((c, i) => checkRegion(c, `regionCodes.${i}`));
  checkDay(input.evaluationDate, 'evaluationDate');
  if (input.evaluationDate < chinaDate(now)) throw invalid('evaluationDate', 'not_past', '评标日期不能早于今天');
  const seen = new Set<string>();
  input.needs.forEach((n, i) => {
    checkSpecialtyCode(n.specialtyCode, `needs.${i}.specialtyCode`);
    if (seen.has(n.specialtyCode)) throw invalid(`needs.${i}.specialtyCode`, 'unique', `专业 ${n.specialtyCode} 重复`);
    seen.add(n.specialtyCode);
  });
  const usccs = [...new Set(input.avoid.usccs.map((u, i) => checkedUscc(u, `avoid.usccs.${i}`)))].sort();
  const dept = input.avoid.supervisingDepartment;
  const supervisingDepartment = dept ? { name: dept.name.trim(), uscc: dept.uscc ? checkedUscc(dept.uscc, 'avoid.supervisingDepartment.uscc') : null } : null;
  const request: DrawRequestRecord = {
    dealCode,
    lotCode,
    dealRegionCode: input.dealRegionCode,
    category,
    regionCodes: [...new Set(regionCodes)].sort(),
    evaluationDate: input.evaluationDate,
    needs: input.needs.map((n) => ({ specialtyCode: n.specialtyCode, count: n.count })),
    reserves: input.reserves ?? rules.defaultReserves,
    avoid: { usccs, supervisingDepartment },
    tendererRepresentatives: input.tendererRepresentatives ?? 0,
  };
  const errors = panelShapeErrors({ experts: request.needs.reduce((s, n) => s + n.count, 0), tendererRepresentatives: request.tendererRepresentatives, reserves: request.reserves }, rules);
  if (errors.length > 0) throw new AppError('validation_failed', errors[0]!.message, { errors });
  return request;
}

export function requestDigest(request: DrawRequestRecord): string {
  return sm3Hex(canonicalJson(request));
}

export function eligibleDigest(eligible: readonly EligibleList[]): string {
  return sm3Hex(canonicalJson(eligible));
}

export interface RoundOutcome {
  round: repo.RoundInsert;
  members: repo.MemberRow[];
  /** What the audit row's after-digest covers (see verification). */
  record: Record<string, unknown>;
}

/** What a round's audit row digests: every recorded input and the result. */
export function roundRecordOf(r: { draw_id: string; round_no: number; seed: string; algorithm: string; reserves: number; eligible_digest: string; drawn_by: string; drawn_at: Date }, parts: { needs: DrawNeed[]; eligible: EligibleList[]; exclusions: ExclusionRecord[]; result: ResultRecord[] }): Record<string, unknown> {
  return {
    drawId: r.draw_id,
    round: r.round_no,
    seed: r.seed,
    algorithm: r.algorithm,
    needs: parts.needs,
    reserves: r.reserves,
    eligible: parts.eligible,
    eligibleDigest: r.eligible_digest,
    exclusions: parts.exclusions,
    result: parts.result,
    drawnBy: r.drawn_by,
    drawnAt: r.drawn_at,
  };
}

/**
 * Classifies every candidate of the needs (on a city node, the province classifies its pool),
 * draws, and on a city keeps a reference copy of everyone drawn. Refuses (409) when a need cannot
 * be filled with its members and reserves.
 */
export async function runRound(
  trx: Kysely<DB>,
  deps: Pick<Deps, 'keys' | 'config' | 'clock'>,
  input: { drawId: string; roundNo: number; request: DrawRequestRecord; needs: DrawNeed[]; alreadyInDraw: ReadonlySet<string>; drawnBy: string; now: Date; audit: AuditContext },
): Promise<RoundOutcome> {
  const { request, needs } = input;
  const table = loadSpecialtyTable();
  const tree = loadRegionTree();
  const leaves = needs.map((n) => new Set(table.leavesUnder(n.specialtyCode)));
  const regions = new Set(request.regionCodes.flatMap((c) => tree.subtree(c)));
  const specialtyCodes = [...new Set(leaves.flatMap((s) => [...s]))];
  const rows =
    specialtyCodes.length === 0 || regions.size === 0
      ? []
      : await classifyHere(deps, trx, {
          specialtyCodes,
          regionCodes: regions.size === tree.regions.length ? null : [...regions],
          avoid: request.avoid,
          alreadyInDraw: [...input.alreadyInDraw].sort(),
          on: request.evaluationDate,
          category: request.category,
          dealRegionCode: request.dealRegionCode,
        });
  const reason = new Map(rows.map((r) => [r.id, r.reason]));

  const eligible: EligibleList[] = [];
  const exclusions: ExclusionRecord[] = [];
  needs.forEach((n, i) => {
    const of = rows.filter((r) => r.codes.some((c) => leaves[i]!.has(c)));
    const excluded = Object.fromEntries(EXCLUSION_REASONS.map((x) => [x, [] as string[]]));
    for (const r of of) {
      const why = reason.get(r.id);
      if (why) excluded[why]!.push(r.id);
    }
    // Rows come ordered by id, so every list here is sorted already; sort anyway, it is the contract.
    for (const list of Object.values(excluded)) list.sort();
    eligible.push({ specialtyCode: n.specialtyCode, ids: of.filter((r) => reason.get(r.id) === null).map((r) => r.id).sort() });
    exclusions.push({ specialtyCode: n.specialtyCode, candidates: of.length, excluded });
  });

  const seed = crypto.randomBytes(32).toString('hex');
  const pools: NeedPool[] = needs.map((n, i) => ({ specialtyCode: n.specialtyCode, count: n.count, eligible: eligible[i]!.ids }));
  const result = selectPanel(seed, pools, request.reserves);
  const short = shortfalls(pools, result, request.reserves);
  if (short.length > 0) {
    const s = short[0]!;
    const name = table.get(s.specialtyCode)?.name ?? s.specialtyCode;
    const overlap = s.eligible >= s.wanted ? `，其中部分已被其他专业抽中，可用 ${s.got} 人` : '';
    const detail = `专业 ${s.specialtyCode}（${name}）需抽取 ${s.wanted - request.reserves} 人并候补 ${request.reserves} 人，符合条件的专家只有 ${s.eligible} 人${overlap}`;
    const index = needs.findIndex((n) => n.specialtyCode === s.specialtyCode);
    throw new AppError('conflict', detail, { errors: [{ field: `needs.${index}.specialtyCode`, rule: 'pool_insufficient', message: detail }], extra: { shortfalls: short } });
  }

  const round: repo.RoundInsert = {
    draw_id: input.drawId,
    round_no: input.roundNo,
    seed,
    algorithm: DRAW_ALGORITHM,
    needs: JSON.stringify(needs),
    reserves: request.reserves,
    eligible: JSON.stringify(eligible),
    eligible_digest: eligibleDigest(eligible),
    exclusions: JSON.stringify(exclusions),
    result: JSON.stringify(result),
    drawn_by: input.drawnBy,
    drawn_at: input.now,
  };
  // Everyone drawn must be nameable here before the members that point at them are written.
  await referencesForDraw(trx, deps, [...new Set(result.flatMap((r) => [...r.members, ...r.reserves]))], input.audit);
  const members: repo.MemberRow[] = result.flatMap((r) => [
    ...r.members.map((id, k) => memberRow(input, r.specialtyCode, id, 'member', k + 1)),
    ...r.reserves.map((id, k) => memberRow(input, r.specialtyCode, id, 'reserve', k + 1)),
  ]);
  return { round, members, record: roundRecordOf(round, { needs, eligible, exclusions, result }) };
}

function memberRow(input: { drawId: string; roundNo: number; now: Date }, specialtyCode: string, expertId: string, kind: 'member' | 'reserve', rank: number): repo.MemberRow {
  return {
    draw_id: input.drawId,
    expert_id: expertId,
    specialty_code: specialtyCode,
    round_no: input.roundNo,
    kind,
    rank,
    state: kind === 'member' ? 'pending' : 'standby',
    called_at: kind === 'member' ? input.now : null,
    replaces_expert_id: null,
    answer_reason: null,
    answered_at: null,
    answered_by: null,
  };
}

/** A second draw for the same lot is refused: drawing again would let someone pick a panel. */
export function alreadyDrawn(): AppError {
  return conflict('该项目（标段）已抽取过评标专家，不能重复抽取', 'lotCode', 'already_drawn');
}
