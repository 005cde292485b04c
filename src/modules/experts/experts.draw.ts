// Use cases of the evaluation panel draw (专家抽取): draw, record answers (a decline or no answer
// calls the next reserve), top up when reserves run out, confirm, verify, and reveal the panel
// when the trading module publishes the result. Check scope → lock → one transaction with its
// audit row → the caller's hook (the trading module appends its deal event there).
//
// Anonymity: a draw and its members are read only by staff holding experts.panel.read or
// experts.panel.draw whose data scope reaches the deal's region; the public sees names only
// after revealPanel.

import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { appendAudit, type AuditContext } from '../../platform/audit/audit.ts';
import { recordDenied } from '../../platform/audit/denied.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { auditContext, type RequestContext } from '../../platform/http/context.ts';
import { inRegionScope, regionPlaceable, regionScope, regionScopeClause } from '../org/org.region-scope.ts';
import * as repo from './experts.draw.repository.ts';
import { alreadyDrawn, canonicalRequest, requestDigest, runRound, type DrawInput } from './experts.draw.round.ts';
import { canAnswer, nextReserve, panelComplete, seatCounts, topUpNeeds, type Answer, type SeatCount } from './experts.draw.rules.ts';
import { verifyRecorded, type Verification } from './experts.draw.verify.ts';
import { loadSpecialtyTable } from './experts.specialties.ts';

export type { DrawInput };
export type Actor = RequestContext & { principal: Principal };
type PanelPermission = 'experts.panel.read' | 'experts.panel.draw';

/**
 * How a procedure runs a draw for one of its lots. `managedBy` marks the draw as the procedure's
 * (set when it is made; its later steps must then come through the same procedure, see
 * guardManager), `at` is the deal's clock for the times the draw records (its demo mode may run
 * ahead of the platform; the audit log keeps the platform's time), and `within` lets the caller
 * write in the draw's transaction after the draw's own writes (the deal's events).
 */
export interface DrawHooks<T> {
  within?: (trx: Kysely<DB>, result: T) => Promise<void>;
  managedBy?: 'trading';
  at?: Date;
}

/** A managed draw's steps go through its procedure only: the generic routes would leave them out of the deal's timeline. */
function guardManager(draw: repo.DrawRow, hooks: { managedBy?: 'trading' } | undefined): void {
  if (draw.managed_by !== (hooks?.managedBy ?? null)) {
    throw new AppError('conflict', '该抽取属于交易项目的标段，请在该标段的评标专家页面登记应答、补抽或确认', { rule: 'managed_draw', errors: [{ field: 'drawId', rule: 'managed_draw', message: '请通过标段的评标专家抽取办理' }] });
  }
}

export interface DrawMemberView extends repo.MemberRow {
  name: string;
  employerName: string;
  phoneMasked: string;
}

export interface DrawView {
  draw: repo.DrawRow;
  rounds: repo.RoundRow[];
  members: DrawMemberView[];
  seats: SeatCount[];
  /** Some seat is open and no reserve of its specialty is left: a top-up is needed. */
  topUpNeeded: boolean;
}

function seatMembers(rows: readonly repo.MemberRow[]) {
  return rows.map((m) => ({ expertId: m.expert_id, specialtyCode: m.specialty_code, round: m.round_no, kind: m.kind, rank: m.rank, state: m.state }));
}

async function viewOf(db: Kysely<DB>, draw: repo.DrawRow): Promise<DrawView> {
  const [rounds, members] = await Promise.all([repo.roundsOf(db, draw.id), repo.membersOf(db, draw.id)]);
  const experts = new Map((await repo.expertsByIds(db, members.map((m) => m.expert_id))).map((e) => [e.id, e]));
  const seats = seatCounts(draw.request.needs, seatMembers(members));
  return {
    draw,
    rounds,
    members: members.map((m) => {
      const e = experts.get(m.expert_id);
      return { ...m, name: e?.name ?? '', employerName: e?.employer_name ?? '', phoneMasked: e?.phone_masked ?? '' };
    }),
    seats,
    topUpNeeded: draw.status === 'open' && topUpNeeds(seats).length > 0,
  };
}

/** The draw if the caller's scope for `permission` reaches the deal's region; 404 otherwise (existence is not disclosed). */
async function drawFor(deps: Deps, actor: Actor, id: string, permission: PanelPermission): Promise<repo.DrawRow> {
  const scope = regionScope(actor.principal, permission);
  const draw = await repo.findDraw(deps.db, id);
  if (!draw || !inRegionScope(scope, { region_code: draw.region_code, created_by: draw.drawn_by })) throw notFound('专家抽取记录');
  return draw;
}

async function lockOpen(trx: Kysely<DB>, id: string): Promise<repo.DrawRow> {
  const draw = await repo.lockDraw(trx, id);
  if (!draw) throw notFound('专家抽取记录');
  if (draw.status !== 'open') throw conflict('评标专家名单已确认，不能再变更', 'status', 'confirmed');
  return draw;
}

// ---- draw ----

export async function drawPanel(deps: Deps, actor: Actor, input: DrawInput, hooks?: DrawHooks<DrawView>): Promise<DrawView> {
  const scope = regionScope(actor.principal, 'experts.panel.draw');
  const at = hooks?.at ?? actor.now;
  const request = canonicalRequest(input, at);
  if (!regionPlaceable(scope, actor.principal, request.dealRegionCode)) {
    await recordDenied(deps.db, actor, { permission: 'experts.panel.draw', regionCode: request.dealRegionCode });
    throw new AppError('forbidden', '您只能为本区域的项目抽取评标专家', { errors: [{ field: 'dealRegionCode', rule: 'in_scope', message: '项目所在区划不在您的数据范围内' }] });
  }
  const id = crypto.randomUUID();
  return deps.db.transaction().execute(async (trx) => {
    const row: repo.DrawInsert = {
      id,
      deal_code: request.dealCode,
      lot_code: request.lotCode,
      region_code: request.dealRegionCode,
      category: request.category,
      evaluation_date: request.evaluationDate,
      request: JSON.stringify(request),
      request_digest: requestDigest(request),
      status: 'open',
      drawn_by: actor.principal.accountId,
      drawn_at: at,
      confirmed_by: null,
      confirmed_at: null,
      revealed_at: null,
      managed_by: hooks?.managedBy ?? null,
    };
    // The unique index answers the race; a savepoint is not needed since the error ends the transaction anyway.
    await repo.insertDraw(trx, row).catch((e: unknown) => {
      throw repo.isUniqueViolation(e, 'draws_one_per_lot') ? alreadyDrawn() : e;
    });
    const outcome = await runRound(trx, deps, { drawId: id, roundNo: 0, request, needs: request.needs, alreadyInDraw: new Set(), drawnBy: actor.principal.accountId, now: at, audit: auditContext(actor) });
    await repo.insertRound(trx, outcome.round);
    await repo.insertMembers(trx, outcome.members);
    await appendAudit(trx, auditContext(actor), {
      action: 'experts.panel.draw',
      targetType: 'expert_draw',
      targetId: id,
      after: outcome.record,
      detail: { round: 0, dealCode: request.dealCode, lotCode: request.lotCode, requestDigest: row.request_digest, eligibleDigest: outcome.round.eligible_digest, algorithm: outcome.round.algorithm },
    });
    const view = await viewOf(trx, (await repo.findDraw(trx, id))!);
    await hooks?.within?.(trx, view);
    return view;
  });
}

// ---- answers ----

export interface ResponseInput {
  answer: Answer;
  reason?: string | undefined;
}

export interface ResponseResult {
  view: DrawView;
  /** The reserve called in the freed seat, if any. */
  replacedBy: string | null;
}

export async function recordResponse(deps: Deps, actor: Actor, drawId: string, expertId: string, input: ResponseInput, hooks?: DrawHooks<ResponseResult>): Promise<ResponseResult> {
  await drawFor(deps, actor, drawId, 'experts.panel.draw');
  const reason = input.reason?.trim() || null;
  if (input.answer === 'declined' && reason === null) throw invalid('reason', 'required', '专家拒绝参加须登记原因');
  return deps.db.transaction().execute(async (trx) => {
    const draw = await lockOpen(trx, drawId);
    guardManager(draw, hooks);
    const at = hooks?.at ?? actor.now;
    const members = await repo.membersOf(trx, drawId);
    const member = members.find((m) => m.expert_id === expertId);
    if (!member) throw invalid('expertId', 'in_draw', '该专家不在本次抽取名单中');
    if (member.state === 'standby') throw conflict('该专家为候补专家，尚未通知，不能登记应答', 'expertId', 'not_called');
    if (!canAnswer(member.state, input.answer)) throw conflict('该专家的应答已登记，不能改为此结果', 'expertId', 'answered');
    await repo.updateMember(trx, drawId, expertId, { state: input.answer, answer_reason: reason, answered_at: at, answered_by: actor.principal.accountId });
    let replacedBy: string | null = null;
    if (input.answer !== 'accepted') {
      const next = nextReserve(seatMembers(members), member.specialty_code);
      if (next) {
        await repo.updateMember(trx, drawId, next.expertId, { state: 'pending', called_at: at, replaces_expert_id: expertId });
        replacedBy = next.expertId;
      }
    }
    // The reason stays in the member row: it may be personal ("家中有事") and the audit detail is not the place.
    await appendAudit(trx, auditContext(actor), {
      action: 'experts.panel.response',
      targetType: 'expert_draw',
      targetId: drawId,
      before: member,
      detail: { expertId, specialtyCode: member.specialty_code, answer: input.answer, from: member.state, replacedBy },
    });
    const result = { view: await viewOf(trx, draw), replacedBy };
    await hooks?.within?.(trx, result);
    return result;
  });
}

// ---- top-up ----

export async function topUpDraw(deps: Deps, actor: Actor, drawId: string, hooks?: DrawHooks<DrawView>): Promise<DrawView> {
  await drawFor(deps, actor, drawId, 'experts.panel.draw');
  return deps.db.transaction().execute(async (trx) => {
    const draw = await lockOpen(trx, drawId);
    guardManager(draw, hooks);
    const [members, rounds] = await Promise.all([repo.membersOf(trx, drawId), repo.roundsOf(trx, drawId)]);
    const needs = topUpNeeds(seatCounts(draw.request.needs, seatMembers(members)));
    if (needs.length === 0) throw conflict('没有需要补抽的空缺：仍有候补专家可通知，或各专业已满员', 'status', 'nothing_to_top_up');
    const roundNo = Math.max(...rounds.map((r) => r.round_no)) + 1;
    // Everyone already placed (asked, answered or still in reserve) is left out of the new round.
    const outcome = await runRound(trx, deps, { drawId, roundNo, request: draw.request, needs, alreadyInDraw: new Set(members.map((m) => m.expert_id)), drawnBy: actor.principal.accountId, now: hooks?.at ?? actor.now, audit: auditContext(actor) });
    await repo.insertRound(trx, outcome.round);
    await repo.insertMembers(trx, outcome.members);
    await appendAudit(trx, auditContext(actor), {
      action: 'experts.panel.top_up',
      targetType: 'expert_draw',
      targetId: drawId,
      after: outcome.record,
      detail: { round: roundNo, needs, eligibleDigest: outcome.round.eligible_digest, algorithm: outcome.round.algorithm },
    });
    const view = await viewOf(trx, draw);
    await hooks?.within?.(trx, view);
    return view;
  });
}

// ---- confirmation ----

export async function confirmPanel(deps: Deps, actor: Actor, drawId: string, hooks?: DrawHooks<DrawView>): Promise<DrawView> {
  await drawFor(deps, actor, drawId, 'experts.panel.draw');
  return deps.db.transaction().execute(async (trx) => {
    const draw = await lockOpen(trx, drawId);
    guardManager(draw, hooks);
    const members = await repo.membersOf(trx, drawId);
    const seats = seatCounts(draw.request.needs, seatMembers(members));
    if (!panelComplete(seats)) {
      const table = loadSpecialtyTable();
      const short = seats.filter((s) => s.accepted < s.count).map((s) => `${table.get(s.specialtyCode)?.name ?? s.specialtyCode}需 ${s.count} 人、已同意 ${s.accepted} 人`);
      throw conflict(`尚有专业未满员：${short.join('；')}`, 'status', 'incomplete');
    }
    const confirmed = await repo.confirmDraw(trx, drawId, actor.principal.accountId, hooks?.at ?? actor.now);
    const accepted = members.filter((m) => m.state === 'accepted').map((m) => ({ expertId: m.expert_id, specialtyCode: m.specialty_code }));
    await appendAudit(trx, auditContext(actor), { action: 'experts.panel.confirm', targetType: 'expert_draw', targetId: drawId, after: accepted, detail: { members: accepted.length } });
    const view = await viewOf(trx, confirmed);
    await hooks?.within?.(trx, view);
    return view;
  });
}

// ---- reading and verification ----

export async function getDraw(deps: Deps, actor: Actor, drawId: string): Promise<DrawView> {
  return viewOf(deps.db, await drawFor(deps, actor, drawId, 'experts.panel.read'));
}

export async function listDraws(deps: Deps, actor: Actor, dealCode: string): Promise<DrawView[]> {
  const scope = regionScope(actor.principal, 'experts.panel.read');
  const draws = await repo.drawsOfDeal(deps.db, dealCode.trim().toUpperCase(), regionScopeClause(scope));
  return Promise.all(draws.map((d) => viewOf(deps.db, d)));
}

export async function verifyDraw(deps: Deps, actor: Actor, drawId: string): Promise<Verification> {
  return verifyRecorded(deps.db, await drawFor(deps, actor, drawId, 'experts.panel.read'));
}

// ---- for the trading and evaluation modules ----

const SYSTEM: Omit<AuditContext, 'at'> = { actorId: null, actorUsername: 'trading', clientIp: null, requestId: null };

/**
 * Makes a confirmed panel's names public (the result is published). Runs in the trading
 * module's transaction; a second call leaves the first reveal time.
 */
export async function revealPanel(trx: Kysely<DB>, drawId: string, at: Date): Promise<{ drawId: string; revealedAt: Date }> {
  const draw = await repo.lockDraw(trx, drawId);
  if (!draw) throw notFound('专家抽取记录');
  if (draw.status !== 'confirmed') throw conflict('评标专家名单尚未确认，不能公开', 'status', 'not_confirmed');
  if (draw.revealed_at) return { drawId, revealedAt: draw.revealed_at };
  const revealed = await repo.revealDraw(trx, drawId, at);
  await appendAudit(trx, { ...SYSTEM, at }, { action: 'experts.panel.reveal', targetType: 'expert_draw', targetId: drawId, detail: { dealCode: draw.deal_code, lotCode: draw.lot_code } });
  return { drawId, revealedAt: revealed.revealed_at! };
}

export interface PublicPanel {
  lotCode: string | null;
  revealedAt: Date;
  members: { name: string; specialtyCode: string; specialtyName: string }[];
}

/** The committee names of a deal's revealed panels; nothing of a panel before its reveal. */
export async function publicPanel(deps: Pick<Deps, 'db'>, dealCode: string): Promise<PublicPanel[]> {
  const table = loadSpecialtyTable();
  const draws = await repo.revealedDrawsOfDeal(deps.db, dealCode.trim().toUpperCase());
  return Promise.all(
    draws.map(async (d) => {
      const members = await acceptedMembers(deps.db, d.id);
      return { lotCode: d.lot_code, revealedAt: d.revealed_at!, members: members.map((m) => ({ name: m.name, specialtyCode: m.specialtyCode, specialtyName: table.get(m.specialtyCode)?.name ?? m.specialtyCode })) };
    }),
  );
}

async function acceptedMembers(db: Kysely<DB>, drawId: string) {
  const members = (await repo.membersOf(db, drawId)).filter((m) => m.state === 'accepted');
  const experts = new Map((await repo.expertsByIds(db, members.map((m) => m.expert_id))).map((e) => [e.id, e]));
  return members.map((m) => ({ expertId: m.expert_id, specialtyCode: m.specialty_code, name: experts.get(m.expert_id)?.name ?? '', employerName: experts.get(m.expert_id)?.employer_name ?? '' }));
}

export interface ConfirmedPanel {
  drawId: string;
  dealCode: string;
  lotCode: string | null;
  evaluationDate: string;
  members: { expertId: string; name: string; employerName: string; specialtyCode: string }[];
}

/**
 * The confirmed panel of a lot (36-character lot code), or of a deal without lots (its
 * 33-character deal code), for the evaluation; null when none is confirmed yet.
 */
export async function panelOfLot(deps: Pick<Deps, 'db'>, lotCode: string): Promise<ConfirmedPanel | null> {
  const code = lotCode.trim().toUpperCase();
  const draw = code.length === 36 ? await repo.confirmedDrawOf(deps.db, code.slice(0, 33), code) : await repo.confirmedDrawOf(deps.db, code, null);
  if (!draw) return null;
  return { drawId: draw.id, dealCode: draw.deal_code, lotCode: draw.lot_code, evaluationDate: draw.evaluation_date, members: await acceptedMembers(deps.db, draw.id) };
}
