// The deal event stream: one row per state change of a deal, carrying its unified deal code,
// appended inside the transaction that makes the change (so it commits or rolls back with it).
// Consumers (ledger, portal, supervision, data exchange) read it in commit-safe order and keep
// their position in platform.event_consumers, advanced in their own transaction.

import { Type, type Static } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { Nullable, StringEnum, Timestamp } from '../http/schemas.ts';
import * as repo from './events.repository.ts';
import type { StreamPosition } from './events.repository.ts';

export type { StreamPosition } from './events.repository.ts';

/**
 * The closed catalogue of deal event types (construction tender procedure), code → label.
 * Adding a type is one line here; the stored `type` column is checked against this list on
 * append, not in SQL, so no migration is needed.
 */
export const DEAL_EVENT_TYPES = {
  // The tenderer or its agency registered a tender project with the centre.
  project_registered: '项目登记',
  // The centre accepted the project and issued its unified deal code.
  project_accepted: '项目受理并赋码',
  // A lot (标段) of the project received its lot code.
  lot_coded: '标段赋码',
  // A tender notice was drafted.
  notice_drafted: '招标公告起草',
  // The notice was submitted for review.
  notice_submitted: '招标公告提交审核',
  // The reviewer approved the notice.
  notice_approved: '招标公告审核通过',
  // The reviewer sent the notice back, with reasons.
  notice_rejected: '招标公告审核退回',
  // The notice went public on the portal.
  notice_published: '招标公告发布',
  // The tender documents became available for download.
  documents_published: '招标文件发布',
  // A prospective bidder downloaded the tender documents.
  documents_downloaded: '招标文件下载',
  // A clarification or amendment of the tender documents was issued.
  clarification_issued: '澄清或修改发布',
  // The bid deadline (and opening time) moved, e.g. a late clarification.
  deadline_moved: '投标截止时间变更',
  // An objection (异议) to the tender documents was filed.
  objection_filed: '异议提出',
  // The objection was answered.
  objection_answered: '异议答复',
  // The tender activity was paused (pending an objection, a complaint or an outage).
  activity_paused: '招标投标活动暂停',
  // The paused activity resumed.
  activity_resumed: '招标投标活动恢复',
  // An encrypted bid was completely received and a receipt issued.
  bid_submitted: '投标文件递交',
  // A bidder replaced its bid before the deadline.
  bid_replaced: '投标文件修改后重新递交',
  // A bidder withdrew its bid before the deadline.
  bid_withdrawn: '投标文件撤回',
  // A bid was not completely received by the deadline (counts as withdrawn).
  bid_incomplete: '投标文件未完整送达',
  // A bid security payment arrived from the bidder's basic account.
  bid_security_recorded: '投标保证金到账登记',
  // A bank or insurance guarantee in place of a cash security was verified.
  guarantee_verified: '投标保函核验',
  // A bidder resealed the key of its encrypted bid (e.g. a changed certificate).
  bid_key_resealed: '投标文件密钥重新封装',
  // The bid deadline passed; no bid is accepted any more.
  deadline_reached: '投标截止',
  // Fewer than the minimum number of bids at the deadline: the tender failed.
  tender_failed: '招标失败',
  // The opening started.
  opening_started: '开标开始',
  // A bidder decrypted its bid online.
  bid_decrypted: '投标文件解密成功',
  // A bid could not be decrypted (by the bidder's fault or the platform's).
  bid_decryption_failed: '投标文件解密失败',
  // The opening record (names, prices, other opening items) was published.
  opening_published: '开标结果公布',
  // Experts were drawn at random for the evaluation committee.
  panel_drawn: '评标专家抽取',
  // A drawn expert accepted or declined.
  expert_responded: '专家应答',
  // Reserves ran out and a further round was drawn for the empty seats.
  panel_topped_up: '评标专家补充抽取',
  // The evaluation committee was complete.
  panel_confirmed: '评标委员会组建完成',
  // The evaluation started.
  evaluation_started: '评标开始',
  // An expert submitted scores.
  score_submitted: '专家评分提交',
  // 经评审的最低投标价法: the committee's price adjustments recorded (by seat, never by name).
  price_adjusted: '评标价调整',
  // The committee submitted its evaluation report.
  evaluation_reported: '评标报告提交',
  // The ranked candidates were published.
  candidates_published: '中标候选人公示',
  // An objection to the candidates was filed.
  candidates_objection_filed: '对评标结果提出异议',
  // The objection to the candidates was answered.
  candidates_objection_answered: '评标结果异议答复',
  // The award notice was issued to the winning bidder.
  award_issued: '中标通知书发出',
  // The award result was published.
  result_published: '中标结果公告',
  // The signed contract was recorded.
  contract_recorded: '合同签订登记',
  // A bid security was released (refunded): after the contract, when the lot failed, at a
  // withdrawal before the deadline, or by the tenderer's decision on a 撤销 bid.
  security_released: '投标保证金退还',
  // The tenderer's side kept the security of a bid withdrawn after the deadline (撤销, 实施条例 §35).
  security_retained: '投标保证金不予退还',
  // Demo mode only: the deal's own clock was moved forward (never in production).
  clock_moved: '演示模式：交易时钟快进',
} as const satisfies Record<string, string>;

export type DealEventType = keyof typeof DEAL_EVENT_TYPES;
export const DEAL_EVENT_TYPE_CODES = Object.keys(DEAL_EVENT_TYPES) as DealEventType[];

export function isDealEventType(value: string): value is DealEventType {
  return Object.hasOwn(DEAL_EVENT_TYPES, value);
}

/** Who caused an event: an account (with its display name at the time), or a named system actor. */
export interface DealEventActor {
  accountId: string | null;
  name: string;
}

export interface NewDealEvent {
  /** 33 characters, stored form (no hyphens). */
  dealCode: string;
  /** The lot (标段) the event concerns: the deal code + 3 digits. */
  lotCode?: string | null | undefined;
  type: DealEventType;
  /** Small facts of the change (ids, digests, amounts); never secrets or personal data. */
  payload: Record<string, unknown>;
  actor?: DealEventActor | null | undefined;
  /** When it happened, from the injected clock. */
  at: Date;
}

/** An event as the rest of the code sees it (rows never leave unmapped). */
export interface DealEventRecord {
  id: string;
  seq: number;
  dealCode: string;
  lotCode: string | null;
  type: DealEventType;
  payload: Record<string, unknown>;
  actor: DealEventActor | null;
  occurredAt: Date;
}

/** An event read by a consumer, with the position to advance to once it is handled. */
export interface ConsumedDealEvent extends DealEventRecord {
  position: StreamPosition;
}

/** The position of a consumer that has read nothing yet. */
export const STREAM_START: StreamPosition = Object.freeze({ txid: '0', id: '0' });

const DEAL_CODE_SHAPE = /^[0-9A-Z]{32}[0-9A-Z*]$/;
const LOT_CODE_SHAPE = /^[0-9A-Z]{32}[0-9A-Z*][0-9]{3}$/;

function toRecord(row: repo.DealEventRow): DealEventRecord {
  // A stored type that left the catalogue is still shown as stored rather than hidden.
  const type = row.type as DealEventType;
  return {
    id: String(row.id),
    seq: row.seq,
    dealCode: row.deal_code,
    lotCode: row.lot_code,
    type,
    payload: row.payload,
    actor: row.actor_account_id === null && row.actor_name === null ? null : { accountId: row.actor_account_id, name: row.actor_name ?? '' },
    occurredAt: row.occurred_at,
  };
}

/**
 * Appends one event to the deal's stream and returns its id and its seq (1, 2, 3… per deal).
 *
 * `trx` MUST be the transaction that makes the change the event describes: the event then
 * commits or rolls back with it, and a rolled-back append gives its seq back. Called with a
 * plain connection it throws, because an event committed without its change (or a change
 * without its event) would break every consumer downstream. Appends to one deal wait for each
 * other (the deal's stream head is locked until the transaction ends): append late in the
 * transaction when it is long.
 */
export async function appendDealEvent(trx: Kysely<DB>, e: NewDealEvent): Promise<{ id: string; seq: number }> {
  if (!trx.isTransaction) throw new Error('appendDealEvent must be given the transaction that makes the change (got a plain connection)');
  if (!DEAL_CODE_SHAPE.test(e.dealCode)) throw new Error(`appendDealEvent: not a stored deal code: ${JSON.stringify(e.dealCode)}`);
  const lotCode = e.lotCode ?? null;
  if (lotCode !== null && !(LOT_CODE_SHAPE.test(lotCode) && lotCode.startsWith(e.dealCode))) {
    throw new Error(`appendDealEvent: lot code ${JSON.stringify(lotCode)} is not a lot of deal ${e.dealCode}`);
  }
  if (!isDealEventType(e.type)) throw new Error(`appendDealEvent: unknown event type ${JSON.stringify(e.type)}`);
  if (!(e.at instanceof Date) || Number.isNaN(e.at.getTime())) throw new Error('appendDealEvent: `at` must be a valid Date');
  if (e.payload === null || typeof e.payload !== 'object' || Array.isArray(e.payload)) throw new Error('appendDealEvent: payload must be an object');

  const seq = await repo.nextSeq(trx, e.dealCode);
  const id = await repo.insertEvent(trx, seq, {
    deal_code: e.dealCode,
    lot_code: lotCode,
    type: e.type,
    payload: JSON.stringify(e.payload),
    actor_account_id: e.actor?.accountId ?? null,
    actor_name: e.actor?.name ?? null,
    occurred_at: e.at,
  });
  return { id: String(id), seq };
}

/** The events of one deal in seq order, optionally only some types or one lot. */
export async function timelineOf(db: Kysely<DB>, dealCode: string, options: { types?: readonly DealEventType[]; lotCode?: string } = {}): Promise<DealEventRecord[]> {
  const rows = await repo.eventsOfDeal(db, dealCode, { types: options.types, lotCode: options.lotCode });
  return rows.map(toRecord);
}

/**
 * Up to `limit` events after `position`, in the order consumers read: (txid, id). Only events
 * of transactions older than every transaction still running are returned, so an event whose
 * transaction took its id early but commits late is read later instead of being skipped.
 *
 * Across deals this order is not commit order, and within a deal it may differ from seq order
 * (a transaction that began writing earlier can append a later seq). A consumer that needs a
 * deal's events in seq order can rely on this: when it sees seq n, every seq below n has
 * committed (seq n is only handed out after seq n − 1 commits), so it may read them with
 * timelineOf at once and skip them when they arrive.
 */
export async function readCommittedAfter(db: Kysely<DB>, position: StreamPosition, limit: number): Promise<{ events: ConsumedDealEvent[]; position: StreamPosition }> {
  if (!Number.isInteger(limit) || limit < 1) throw new Error('readCommittedAfter: limit must be a positive integer');
  if (!/^\d+$/.test(position.txid) || !/^\d+$/.test(position.id)) throw new Error('readCommittedAfter: malformed position');
  const rows = await repo.eventsCommittedAfter(db, position, limit);
  const events = rows.map((r) => ({ ...toRecord(r), position: { txid: r.txid, id: String(r.id) } }));
  return { events, position: events.length > 0 ? events[events.length - 1]!.position : position };
}

/**
 * The position of the last event committed by now (STREAM_START for an empty stream). A
 * consumer whose position has reached it has handled everything committed before the call;
 * until the transactions older than those events end, readCommittedAfter does not return them.
 */
export async function streamHead(db: Kysely<DB>): Promise<StreamPosition> {
  return (await repo.lastCommittedEvent(db)) ?? STREAM_START;
}

/** Whether position `a` is at or past `b` in the consumers' (txid, id) order. */
export function isAtOrPast(a: StreamPosition, b: StreamPosition): boolean {
  const ta = BigInt(a.txid);
  const tb = BigInt(b.txid);
  return ta !== tb ? ta > tb : BigInt(a.id) >= BigInt(b.id);
}

/** Where a consumer has read up to (STREAM_START for a new one). */
export async function consumerPosition(db: Kysely<DB>, name: string): Promise<StreamPosition> {
  const row = await repo.findConsumer(db, name);
  return row ? { txid: row.position_txid, id: String(row.position) } : STREAM_START;
}

/**
 * Records that consumer `name` has handled everything up to `position`. Run it in the same
 * transaction as the consumer's own writes, so a crash between the two cannot lose or repeat
 * an event. Refuses to move backwards (a second worker replaying an old batch).
 */
export async function advanceConsumer(trx: Kysely<DB>, name: string, position: StreamPosition, at: Date): Promise<void> {
  if (!trx.isTransaction) throw new Error('advanceConsumer must run in the transaction of the consumer’s own writes');
  if (!/^\d+$/.test(position.txid) || !/^\d+$/.test(position.id)) throw new Error('advanceConsumer: malformed position');
  const moved = await repo.moveConsumer(trx, name, position, at);
  if (!moved) throw new Error(`advanceConsumer: consumer ${name} is already past ${position.txid}/${position.id}`);
}

// ---- HTTP schema and mapper, for the modules that show timelines ----

export const DealEvent = Type.Object(
  {
    id: Type.String({ description: '事件在全平台事件流中的编号' }),
    seq: Type.Integer({ minimum: 1, description: '本交易内的事件序号（1、2、3…，无间断）' }),
    dealCode: Type.String({ description: '统一交易标识码（存储形式，无连字符）' }),
    lotCode: Nullable(Type.String({ description: '标段编号' })),
    type: StringEnum(DEAL_EVENT_TYPE_CODES),
    typeName: Type.String(),
    payload: Type.Record(Type.String(), Type.Unknown()),
    actor: Nullable(Type.Object({ accountId: Nullable(Type.String({ format: 'uuid' })), name: Type.String() })),
    occurredAt: Timestamp,
  },
  { description: '交易事件' },
);
export type DealEventJson = Static<typeof DealEvent>;

export function mapDealEvent(e: DealEventRecord): DealEventJson {
  return {
    id: e.id,
    seq: e.seq,
    dealCode: e.dealCode,
    lotCode: e.lotCode,
    type: e.type,
    typeName: DEAL_EVENT_TYPES[e.type] ?? e.type,
    payload: e.payload,
    actor: e.actor,
    occurredAt: e.occurredAt.toISOString(),
  };
}
