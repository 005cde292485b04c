// The bid box: streamed intake with a signed receipt, replacement, withdrawal, and what the
// bidder and the staff may see. Sealing keys, rehearsal and re-sealing are in
// trading.bids.keys.ts; the opening's decryption in trading.bids.opening.ts.
//
// Intake, in order: refuse early what can be refused before a byte is stored (deadline at
// arrival, bidder, seals); record the attempt (`uploading`); stream the body to a temporary
// file while SM3 digests it and the envelope scanner checks its frame; fsync; take the
// completion instant from the clock — that instant, not the arrival, decides whether the bid
// is on time; rename the file under its digest; then ONE transaction re-checks everything at
// the completion instant, replaces the earlier bid, records the seals and signs the receipt.
// The file is in place before the row says `received`, so a crash can leave an unreferenced
// file (harmless) but never a receipt without its file.

import os from 'node:os';
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { regionScope } from '../org/org.region-scope.ts';
import { participationOf, type Verdict } from '../credit/credit.province.ts';
import { lotWindow, type LotWindow } from './trading.repository.ts';
import * as repo from './trading.bids.repository.ts';
import { releaseWithdrawnSecurity } from './trading.release.ts';
import { EnvelopeError, EnvelopeScanner, isWellFormedSeal, type ParsedPrefix } from './bid-envelope.ts';
import { biddersDisclosed, bidWindowRefusal, DEFAULT_BID_INTAKE_RULES, signReceipt, type BidIntakeRules, type Receipt } from './trading.bids.rules.ts';
import type { BidFailureReason } from './trading.bids.tables.ts';

export type Actor = RequestContext & { principal: Principal };
type Trx = Kysely<DB>;

/** Called inside the transaction of every state change, so the caller can append deal events atomically. */
export interface Hooks<R> {
  within?: (trx: Trx, result: R) => Promise<void>;
}

/** This node's name on the attempts it streams, so that after a crash it marks only its own uploads. */
export const INTAKE_NODE = os.hostname();

/** All tender projects are construction tendering so far: their credit category (credit.categories). */
const CREDIT_CATEGORY = 'construction';

export function entityOf(actor: Actor): string {
  if (!actor.principal.entityId) throw forbidden('只有市场主体账号可以投标');
  return actor.principal.entityId;
}

/**
 * The deal's own clock for an instant of the platform's (demo mode may run a deal ahead; the
 * offset is 0 in production). Every deadline check and every time recorded on a bid is deal time.
 */
export function dealTime(w: Pick<LotWindow, 'clockOffsetMs'>, at: Date): Date {
  return new Date(at.getTime() + Number(w.clockOffsetMs));
}

export async function windowOf(db: Trx, lotId: string): Promise<LotWindow> {
  const w = await lotWindow(db, lotId);
  if (!w) throw notFound('标段');
  return w;
}

function refuseOutsideWindow(w: LotWindow, at: Date): void {
  const r = bidWindowRefusal(w, at);
  if (r) throw new AppError('conflict', r.message, { errors: [{ field: 'lot', rule: r.rule, message: r.message }], extra: { bidDeadline: w.bidDeadline.toISOString() } });
}

/**
 * May this entity bid on this lot at `at`, with these seals? Throws naming the rule. Only a
 * bidder that obtained the tender documents on the platform may bid (every download is
 * recorded); every active sealing key must have a seal. Two round trips: the bidder, its
 * download and its keys in one query, its credit in another.
 */
/** The bidder's participation check for this lot at `at` (on a city node, the province's library). */
function bidderCredit(deps: Pick<Deps, 'keys' | 'config' | 'clock'>, db: Trx, uscc: string, w: LotWindow, at: Date): Promise<Verdict> {
  return participationOf(deps, db, { uscc }, { category: CREDIT_CATEGORY, regionCode: w.regionCode, at });
}

export async function checkBidder(deps: Pick<Deps, 'db' | 'keys' | 'config' | 'clock'>, db: Trx, w: LotWindow, entityId: string, at: Date, seals: SealInput[], credit?: Verdict): Promise<repo.BidderFacts> {
  const found = await repo.intakeFacts(db, w.projectId, entityId);
  const facts = found?.bidder;
  const refuse = (rule: string, message: string): never => {
    throw new AppError('forbidden', message, { errors: [{ field: 'bidder', rule, message }] });
  };
  if (!found || !facts || facts.status !== 'active') return refuse('bidder_active', '本主体尚未通过登记审核或已被暂停，不能投标');
  if (facts.kind !== 'organisation' || !facts.uscc) return refuse('bidder_kind', '工程建设项目的投标人须为法人或其他组织');
  if (!facts.profile?.roles.includes('bidder')) return refuse('bidder_role', '本主体登记的角色不含投标人');
  if (entityId === w.tendererEntityId || entityId === w.agencyEntityId) return refuse('own_project', '招标人及其代理机构不得参加本项目投标');
  if (!found.downloaded) return refuse('documents_downloaded', '请先下载招标文件再递交投标文件');
  const verdict = credit ?? (await bidderCredit(deps, db, facts.uscc, w, at));
  if (!verdict.allowed) return refuse('credit_ban', `本主体被限制参与投标：${verdict.blocking.map((b) => b.reason).join('；')}`);
  checkSeals(found.activeKeys, seals);
  return facts;
}

export interface SealInput {
  sealingKeyId: string;
  sealedKey: string;
}

/** Every active sealing key of the bidder must have a seal, and only those. */
export function checkSeals(active: Pick<repo.SealingKeyRow, 'id' | 'label'>[], seals: SealInput[]): void {
  const field = 'headers.x-bid-seals';
  if (active.length === 0) throw invalid(field, 'sealing_key_required', '请先登记至少一把密封公钥（建议两把：工作密钥与离线备用密钥）');
  const ids = new Set(active.map((k) => k.id));
  const seen = new Set<string>();
  for (const s of seals) {
    if (!ids.has(s.sealingKeyId)) throw invalid(field, 'sealing_key_unknown', `密封公钥 ${s.sealingKeyId} 不是本主体当前有效的密封公钥`);
    if (seen.has(s.sealingKeyId)) throw invalid(field, 'seal_duplicate', '同一密封公钥只能有一份密钥封装');
    if (!isWellFormedSeal(s.sealedKey)) throw invalid(field, 'seal_format', '密钥封装必须是 SM2 加密的 16 字节文件密钥（C1C3C2 十六进制）');
    seen.add(s.sealingKeyId);
  }
  const missing = active.filter((k) => !seen.has(k.id));
  if (missing.length) throw invalid(field, 'seal_missing', `缺少密封公钥「${missing.map((k) => k.label).join('」「')}」的密钥封装：文件密钥须封装给本主体全部有效的密封公钥`);
}

export interface IntakeInput {
  body: AsyncIterable<Uint8Array>;
  /**
   * The body's chunks belong to this upload alone and are never read again by anyone else, so
   * they can be handed to the writer thread without a copy. True for a request from a socket:
   * Node's HTTP parser copies every body chunk into a buffer of its own. Not for an injected
   * request, whose chunks are the caller's buffers.
   */
  ownedChunks?: boolean;
  declaredLength: number | undefined;
  seals: SealInput[];
  client: string | null;
}

export interface IntakeResult {
  bid: repo.BidRow;
  receipt: Receipt;
  signature: string;
  replacedBidId: string | null;
}

async function closeAttempt(deps: Deps, bidId: string, reason: BidFailureReason): Promise<void> {
  await repo.moveBid(deps.db, bidId, ['uploading'], { status: 'incomplete', failure_reason: reason, updated_at: deps.clock.now() });
}

/** Streams one upload into the bid box; see the comment at the top for the order of things. */
export async function receiveBid(deps: Deps, actor: Actor, lotId: string, input: IntakeInput, rules: BidIntakeRules = DEFAULT_BID_INTAKE_RULES, hooks?: Hooks<IntakeResult>): Promise<IntakeResult> {
  const entityId = entityOf(actor);
  const w = await windowOf(deps.db, lotId);
  const arrival = dealTime(w, actor.now);
  refuseOutsideWindow(w, arrival);
  const checked = await checkBidder(deps, deps.db, w, entityId, arrival, input.seals);
  if (input.declaredLength !== undefined && input.declaredLength > rules.maxBidBytes) {
    throw new AppError('payload_too_large', `投标文件超过允许的最大长度 ${Math.floor(rules.maxBidBytes / 1024 / 1024)} MB`);
  }

  const bidId = crypto.randomUUID();
  const attempt = await deps.db.transaction().execute(async (trx) => {
    await repo.lockBidderSlot(trx, lotId, entityId);
    return repo.insertNextAttempt(trx, {
      id: bidId,
      lot_id: lotId,
      deal_code: w.dealCode,
      lot_code: w.lotCode,
      bidder_entity_id: entityId,
      status: 'uploading',
      failure_reason: null,
      submitted_by: actor.principal.accountId,
      started_at: arrival,
      intake_node: INTAKE_NODE,
      fingerprint: JSON.stringify({ clientIp: actor.clientIp, userAgent: actor.userAgent, client: input.client }),
      updated_at: arrival,
    });
  });

  // Stream: digest, scan, write; nothing is received until the last byte is fsynced.
  const writer = await deps.blobs.beginWrite();
  const scanner = new EnvelopeScanner(rules.maxBidBytes);
  let prefix: ParsedPrefix;
  let stored: { digest: string; size: number };
  try {
    for await (const chunk of input.body) {
      scanner.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      if (scanner.prefix && input.declaredLength !== undefined && scanner.prefix.totalLength !== input.declaredLength) {
        throw new EnvelopeError('envelope_length', `投标文件长度与信封头不符：信封头声明共 ${scanner.prefix.totalLength} 字节，请求声明 ${input.declaredLength} 字节`);
      }
      await (input.ownedChunks ? writer.writeOwned(chunk) : writer.write(chunk));
    }
    prefix = scanner.finish();
    stored = await writer.finish();
  } catch (e) {
    await writer.discard();
    await closeAttempt(deps, bidId, e instanceof EnvelopeError ? 'malformed' : 'interrupted');
    if (e instanceof EnvelopeError) throw invalid('body', e.rule, e.message);
    throw e;
  }
  const completedAt = dealTime(w, deps.clock.now());
  if (bidWindowRefusal(w, completedAt)) {
    await writer.discard();
    await closeAttempt(deps, bidId, 'late');
    refuseOutsideWindow(w, completedAt);
  }
  await writer.commit();

  try {
    // The credit verdict at completion is taken before the transaction: on a city node it is the
    // province's answer, and no transaction waits on the network.
    const credit = await bidderCredit(deps, deps.db, checked.uscc!, w, completedAt);
    return await deps.db.transaction().execute(async (trx) => {
      await repo.lockLot(trx, lotId);
      const now = await windowOf(trx, lotId);
      refuseOutsideWindow(now, completedAt);
      const bidder = await checkBidder(deps, trx, now, entityId, completedAt, input.seals, credit);
      await repo.lockBidderSlot(trx, lotId, entityId);
      const previous = await repo.standingBid(trx, lotId, entityId, true);
      if (previous && !(await repo.moveBid(trx, previous.id, ['received'], { status: 'replaced', replaced_at: completedAt, updated_at: completedAt }))) {
        throw conflict('已有的投标文件状态已变化，请刷新后重试');
      }
      const receipt: Receipt = {
        dealCode: now.dealCode,
        lotCode: now.lotCode,
        bidId,
        bidder: { entityId, name: bidder.name },
        sm3: stored.digest,
        size: stored.size,
        receivedAt: completedAt.toISOString(),
        attempt,
      };
      const signature = signReceipt(receipt, deps.keys.platformSm2.privateKey);
      const bid = await repo.moveBidReturning(trx, bidId, ['uploading'], {
        status: 'received',
        blob_digest: stored.digest,
        size: stored.size,
        header: JSON.stringify(prefix.header),
        commit_key: prefix.header.commitKey,
        received_at: completedAt,
        receipt: JSON.stringify(receipt),
        receipt_signature: signature,
        updated_at: completedAt,
      });
      if (!bid) throw conflict('本次上传已被标记为中断，请重新递交');
      await repo.insertSeals(
        trx,
        input.seals.map((s) => ({ bid_id: bidId, sealing_key_id: s.sealingKeyId, sealed_key: s.sealedKey.toLowerCase(), via: 'upload' as const, proof: null, added_by: actor.principal.accountId, added_at: completedAt })),
      );
      const result: IntakeResult = { bid, receipt, signature, replacedBidId: previous?.id ?? null };
      await hooks?.within?.(trx, result);
      return result;
    });
  } catch (e) {
    await closeAttempt(deps, bidId, e instanceof AppError && e.rule === 'deadline_passed' ? 'late' : 'refused');
    if (!(await repo.blobReferenced(deps.db, stored.digest))) await deps.blobs.remove(stored.digest);
    throw e;
  }
}

/** Withdraws the standing bid before the deadline (投标截止前可撤回). */
export async function withdrawBid(deps: Deps, actor: Actor, lotId: string, hooks?: Hooks<repo.BidRow>): Promise<repo.BidRow> {
  const entityId = entityOf(actor);
  return deps.db.transaction().execute(async (trx) => {
    await repo.lockLot(trx, lotId);
    const w = await windowOf(trx, lotId);
    const at = dealTime(w, actor.now);
    refuseOutsideWindow(w, at);
    await repo.lockBidderSlot(trx, lotId, entityId);
    const bid = await repo.standingBid(trx, lotId, entityId, true);
    if (!bid || bid.status !== 'received') throw notFound('本标段已递交的投标文件');
    await repo.moveBid(trx, bid.id, ['received'], { status: 'withdrawn', withdrawn_at: at, updated_at: at });
    const row = (await repo.findBid(trx, bid.id))!;
    await hooks?.within?.(trx, row);
    // 实施条例 §35: the security of a bid withdrawn before the deadline goes back within 5 days
    // (after the withdrawal's own event, so the timeline reads in order).
    await releaseWithdrawnSecurity(trx, { accountId: actor.principal.accountId, name: actor.principal.displayName }, row, at);
    return row;
  });
}

export interface MyBidView {
  window: LotWindow;
  bid: repo.BidRow | null;
  seals: Awaited<ReturnType<typeof repo.sealsOf>>;
  rehearsals: repo.RehearsalRow[];
  attempts: repo.BidRow[];
  security: repo.SecurityRow | null;
}

/** The bidder's own bid on a lot, with its receipt, seals, rehearsals and every attempt. Never another bidder's. */
export async function myBid(deps: Deps, actor: Actor, lotId: string): Promise<MyBidView> {
  const entityId = entityOf(actor);
  const window = await windowOf(deps.db, lotId);
  const bid = (await repo.standingBid(deps.db, lotId, entityId)) ?? null;
  return {
    window,
    bid,
    seals: bid ? await repo.sealsOf(deps.db, bid.id) : [],
    rehearsals: bid ? await repo.rehearsalsOf(deps.db, bid.id) : [],
    attempts: await repo.attemptsOf(deps.db, lotId, entityId),
    security: (await repo.activeSecurity(deps.db, lotId, entityId)) ?? null,
  };
}

/** The bidder's own bids across all lots, paged: its "我的投标" list. Staff have none (403). */
export async function myBids(deps: Deps, actor: Actor, page: { page: number; pageSize: number }) {
  const entityId = entityOf(actor);
  return repo.bidsOfEntity(deps.db, entityId, { limit: page.pageSize, offset: (page.page - 1) * page.pageSize });
}

export type StaffBidView = { disclosed: false; count: number; receivedAt: Date[] } | { disclosed: true; count: number; bids: Awaited<ReturnType<typeof repo.bidsOfLot>> };

/**
 * What the centre's staff see: before the opening's decryption ends only how many bids are in
 * and when they arrived — not who bid (招标投标法 §22); afterwards the list.
 */
export async function staffBids(deps: Deps, actor: Actor, lotId: string): Promise<StaffBidView> {
  const w = await windowOf(deps.db, lotId);
  const scope = regionScope(actor.principal, 'trading.deal.read');
  if (!scope.all && !scope.regionCodes?.has(w.regionCode)) throw notFound('标段');
  if (!biddersDisclosed(w.lotStatus)) {
    const receivedAt = await repo.receivedTimes(deps.db, lotId);
    return { disclosed: false, count: receivedAt.length, receivedAt };
  }
  const bids = await repo.bidsOfLot(deps.db, lotId);
  return { disclosed: true, count: bids.length, bids };
}

/** Start-up: what a crash left (temp files, uploads this node was streaming) is cleared. */
export async function recoverIntake(deps: Deps): Promise<{ tempFiles: number; uploads: number }> {
  const tempFiles = await deps.blobs.removeTemporaryFiles();
  const uploads = await repo.markInterruptedUploads(deps.db, INTAKE_NODE, deps.clock.now());
  return { tempFiles, uploads };
}
