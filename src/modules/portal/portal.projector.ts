// The portal's consumer of the deal event stream: turns the public events into the portal's read
// model (deals, lots, notices, the public timeline). It reads nothing of the procedures' tables:
// what a notice says arrives in the event that publishes it (`payload.notice`).
//
// Exactly once, in each deal's order: a batch is one transaction that applies its events and
// advances the consumer's position; a deal's events are applied in seq order (a later seq seen
// first pulls the earlier ones from the stream, and they are skipped when they arrive). A second
// node running the projector at the same moment finds the advisory lock taken and waits its turn.

import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { formatYuan } from '../../platform/documents/amount.ts';
import { chinaDateTimeText } from '../../platform/documents/format.ts';
import { advanceConsumer, consumerPosition, DEAL_EVENT_TYPES, isAtOrPast, readCommittedAfter, streamHead, timelineOf, type DealEventRecord } from '../../platform/events/deal-events.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import { categoryOf, cityCodeOf, isNoticeKind, type DealStage } from './portal.catalogue.ts';
import * as repo from './portal.repository.ts';
import { noticeFacets, searchVector, withFacets } from './portal.text.ts';

export const PORTAL_CONSUMER = 'portal';
// Any constant both nodes agree on; taken per batch transaction (pg_try_advisory_xact_lock).
const PROJECTOR_LOCK = 0x706f7274; // 'port'

type Payload = Record<string, unknown>;

function str(p: Payload, key: string): string | null {
  const v = p[key];
  return typeof v === 'string' ? v : null;
}
function num(p: Payload, key: string): number | null {
  const v = p[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
function yuan(fen: number | null): string {
  return fen === null ? '—' : `${formatYuan(fen)} 元`;
}
function when(iso: string | null): string {
  return iso ? chinaDateTimeText(new Date(iso)) : '—';
}

/** A notice carried by a publishing event (trading.notices.repository PublicNotice). */
interface CarriedNotice {
  id: string;
  kind: string;
  title: string;
  body: string;
  lotCode: string | null;
  correctsId: string | null;
  documentSm3: string | null;
  publishedAt: string;
}

function carriedNotice(p: Payload): CarriedNotice | null {
  const n = p.notice;
  if (!n || typeof n !== 'object') return null;
  const o = n as Payload;
  const id = str(o, 'id');
  const kind = str(o, 'kind');
  const title = str(o, 'title');
  const body = str(o, 'body');
  const publishedAt = str(o, 'publishedAt');
  if (!id || !isNoticeKind(kind) || title === null || body === null || !publishedAt) return null;
  return { id, kind, title, body, lotCode: str(o, 'lotCode'), correctsId: str(o, 'correctsId'), documentSm3: str(o, 'documentSm3'), publishedAt };
}

/** What one event does to the portal: a timeline line, and possibly a notice and stage moves. */
interface Effect {
  summary: string;
  notice?: { n: CarriedNotice; closesAt?: string | null; details?: unknown };
  /** The stage of the lot of the event, or of every open lot when the event is the deal's. */
  stage?: DealStage;
}

const OUTCOME_NAMES: Record<string, string> = { decrypted: '解密成功', not_decrypted: '未解密（视为撤销）', damaged: '文件损坏（视为撤回）' };

/**
 * The public reading of each event type; a type missing here is not public (registration and
 * review steps, downloads, bids and their securities before the opening, expert draws and
 * scores, the award notice sent to the winner, demo clock moves).
 */
const PUBLIC: Partial<Record<keyof typeof DEAL_EVENT_TYPES, (e: DealEventRecord) => Effect>> = {
  project_accepted: (e) => ({ summary: `交易中心受理项目“${str(e.payload, 'name') ?? ''}”，赋统一交易标识码 ${e.dealCode}`, stage: 'accepted' }),
  lot_coded: (e) => ({ summary: `标段 ${num(e.payload, 'lotNo') ?? ''}：${str(e.payload, 'name') ?? ''}（标段编号 ${e.lotCode ?? ''}，估算价 ${yuan(num(e.payload, 'estimatedPriceFen'))}）` }),
  notice_published: (e) => {
    const n = carriedNotice(e.payload);
    const effect: Effect = { summary: `发布招标公告；文件获取 ${when(str(e.payload, 'documentsFrom'))} 至 ${when(str(e.payload, 'documentsUntil'))}，投标截止 ${when(str(e.payload, 'bidDeadline'))}`, stage: 'bidding' };
    if (n) effect.notice = { n, closesAt: str(e.payload, 'bidDeadline') };
    return effect;
  },
  documents_published: (e) => {
    const docs = Array.isArray(e.payload.documents) ? (e.payload.documents as Payload[]) : [];
    return { summary: `发布招标文件 ${docs.length} 个：${docs.map((d) => str(d, 'fileName') ?? '').join('、')}（已注册的投标人登录后下载）` };
  },
  clarification_issued: (e) => {
    const n = carriedNotice(e.payload);
    const moved = str(e.payload, 'deadlineBefore') !== str(e.payload, 'deadlineAfter');
    const effect: Effect = { summary: `发布第 ${num(e.payload, 'number') ?? ''} 号澄清或修改：${str(e.payload, 'title') ?? ''}${moved ? `；投标截止时间顺延至 ${when(str(e.payload, 'deadlineAfter'))}` : ''}` };
    if (n) effect.notice = { n, closesAt: str(e.payload, 'deadlineAfter') };
    return effect;
  },
  deadline_moved: (e) => ({ summary: `投标截止时间由 ${when(str(e.payload, 'from'))} 变更为 ${when(str(e.payload, 'to'))}（${str(e.payload, 'reason') ?? ''}）` }),
  activity_paused: (e) => ({ summary: `招标投标活动暂停：${str(e.payload, 'reason') ?? ''}`, stage: 'paused' }),
  activity_resumed: () => ({ summary: '招标投标活动恢复', stage: 'bidding' }),
  deadline_reached: (e) => ({ summary: `投标截止（${when(str(e.payload, 'bidDeadline'))}）`, stage: 'opening' }),
  tender_failed: (e) => {
    const n = carriedNotice(e.payload);
    const bids = num(e.payload, 'bids');
    const reason = str(e.payload, 'reasonText') ?? (bids !== null ? `投标截止时仅收到 ${bids} 份投标文件` : '');
    const effect: Effect = { summary: `招标失败：${reason}`, stage: 'failed' };
    if (n) effect.notice = { n };
    return effect;
  },
  opening_started: (e) => ({ summary: `开标：共收到 ${num(e.payload, 'bids') ?? 0} 份投标文件，投标人在线解密至 ${when(str(e.payload, 'decryptionClosesAt'))}`, stage: 'opening' }),
  opening_published: (e) => {
    const n = carriedNotice(e.payload);
    const bids = (Array.isArray(e.payload.bids) ? (e.payload.bids as Payload[]) : []).map((b) => ({
      bidder: str(b, 'bidder') ?? '',
      outcome: OUTCOME_NAMES[str(b, 'outcome') ?? ''] ?? str(b, 'outcome') ?? '',
      price: str(b, 'price'),
      items: b.items && typeof b.items === 'object' ? b.items : {},
    }));
    const effect: Effect = { summary: `公布开标记录：${bids.length} 份投标文件`, stage: 'evaluating' };
    if (n) effect.notice = { n, details: { bids } };
    return effect;
  },
  panel_confirmed: () => ({ summary: '评标委员会依法组建完成（成员名单在中标结果公告时公开）', stage: 'evaluating' }),
  evaluation_started: () => ({ summary: '评标开始', stage: 'evaluating' }),
  evaluation_reported: () => ({ summary: '评标委员会提交评标报告' }),
  candidates_published: (e) => {
    const n = carriedNotice(e.payload);
    const candidates = (Array.isArray(e.payload.candidates) ? (e.payload.candidates as Payload[]) : []).map((c) => ({ rank: num(c, 'rank'), bidderName: str(c, 'bidderName') ?? '', price: yuan(num(c, 'priceFen')) }));
    const effect: Effect = { summary: `中标候选人公示，公示期至 ${when(str(e.payload, 'publicityUntil'))}`, stage: 'publicity' };
    if (n) effect.notice = { n, closesAt: str(e.payload, 'publicityUntil'), details: { candidates } };
    return effect;
  },
  candidates_objection_filed: () => ({ summary: '收到对评标结果的异议，招标人依法答复前暂停后续活动' }),
  candidates_objection_answered: () => ({ summary: '对评标结果的异议已答复' }),
  result_published: (e) => {
    const n = carriedNotice(e.payload);
    const effect: Effect = { summary: `中标结果公告：中标人 ${str(e.payload, 'winnerName') ?? ''}，中标价 ${yuan(num(e.payload, 'priceFen'))}`, stage: 'awarded' };
    if (n) effect.notice = { n, details: { winnerName: str(e.payload, 'winnerName'), price: yuan(num(e.payload, 'priceFen')) } };
    return effect;
  },
  contract_recorded: (e) => {
    const n = carriedNotice(e.payload);
    const effect: Effect = { summary: `合同签订：签订日期 ${str(e.payload, 'signedOn') ?? ''}，合同价款 ${yuan(num(e.payload, 'priceFen'))}`, stage: 'contracted' };
    if (n) effect.notice = { n };
    return effect;
  },
};

export function isPublicEventType(type: string): boolean {
  return Object.hasOwn(PUBLIC, type);
}

// Lots move through these in order; a deal shows the least advanced stage of its open lots.
const STAGE_ORDER: DealStage[] = ['accepted', 'bidding', 'opening', 'evaluating', 'publicity', 'awarded', 'contracted'];

async function applyEvent(trx: Kysely<DB>, e: DealEventRecord): Promise<void> {
  const deal = await repo.lockDeal(trx, e.dealCode);
  if (!deal && e.type !== 'project_accepted') return; // nothing is public before acceptance
  const read = PUBLIC[e.type];
  if (e.type === 'project_accepted') {
    if (deal) return;
    const p = e.payload;
    const name = str(p, 'name') ?? '';
    const regionCode = str(p, 'regionCode') ?? '';
    const subCategory = str(p, 'category') ?? '';
    const tenderer = str(p, 'tendererName') ?? '';
    const agency = str(p, 'agencyName');
    await repo.insertDeal(trx, {
      deal_code: e.dealCode,
      name,
      category: categoryOf(subCategory),
      sub_category: subCategory,
      region_code: regionCode,
      city_code: cityCodeOf(loadRegionTree(), regionCode),
      tenderer_name: tenderer,
      agency_name: agency,
      tender_method: str(p, 'tenderMethod'),
      supervising_department: str(p, 'supervisingDepartment'),
      stage: 'accepted',
      bid_deadline: null,
      accepted_at: e.occurredAt,
      updated_at: e.occurredAt,
      last_seq: e.seq,
      tsv: searchVector(name, [tenderer, agency ?? ''].join(' ')),
    });
  } else {
    await repo.setLastSeq(trx, e.dealCode, e.seq, e.occurredAt);
  }
  if (!read) return;
  const effect = read(e);
  const current = (await repo.lockDeal(trx, e.dealCode))!;

  switch (e.type) {
    case 'lot_coded':
      if (e.lotCode) await repo.insertLot(trx, { lot_code: e.lotCode, deal_code: e.dealCode, lot_no: num(e.payload, 'lotNo') ?? 0, name: str(e.payload, 'name') ?? '', estimated_price_fen: num(e.payload, 'estimatedPriceFen'), stage: 'accepted', winner_name: null, award_price_fen: null, contract_price_fen: null, updated_at: e.occurredAt });
      break;
    case 'notice_published':
      await repo.updateDeal(trx, e.dealCode, { bid_deadline: new Date(str(e.payload, 'bidDeadline') ?? e.occurredAt.toISOString()) });
      break;
    case 'deadline_moved': {
      const to = str(e.payload, 'to');
      if (to) {
        await repo.updateDeal(trx, e.dealCode, { bid_deadline: new Date(to) });
        await repo.moveBiddingCloses(trx, e.dealCode, new Date(to));
      }
      break;
    }
    case 'result_published':
      if (e.lotCode) await repo.updateLot(trx, e.lotCode, { winner_name: str(e.payload, 'winnerName'), award_price_fen: num(e.payload, 'priceFen') });
      break;
    case 'contract_recorded':
      if (e.lotCode) await repo.updateLot(trx, e.lotCode, { contract_price_fen: num(e.payload, 'priceFen') });
      break;
    default:
      break;
  }

  if (effect.notice) {
    const { n, closesAt, details } = effect.notice;
    await repo.insertNotice(trx, {
      id: n.id,
      deal_code: e.dealCode,
      lot_code: n.lotCode ?? e.lotCode,
      kind: n.kind,
      title: n.title,
      body: n.body,
      category: current.category,
      sub_category: current.sub_category,
      region_code: current.region_code,
      city_code: current.city_code,
      published_at: new Date(n.publishedAt),
      closes_at: closesAt ? new Date(closesAt) : null,
      corrects_id: n.correctsId,
      corrected_at: null,
      document_sm3: n.documentSm3,
      details: details === undefined ? null : JSON.stringify(details),
      event_id: e.id,
      tsv: withFacets(searchVector(n.title, [n.body, current.name, current.tenderer_name, current.agency_name ?? ''].join('\n')), noticeFacets({ kind: n.kind, category: current.category, region_code: current.region_code, city_code: current.city_code })),
    });
    if (n.correctsId) await repo.markCorrected(trx, n.correctsId, new Date(n.publishedAt));
  }

  if (effect.stage) await moveStage(trx, e, effect.stage, current.stage);
  await repo.insertTimeline(trx, { deal_code: e.dealCode, seq: e.seq, lot_code: e.lotCode, type: e.type, label: DEAL_EVENT_TYPES[e.type], summary: effect.summary, notice_id: effect.notice?.n.id ?? null, occurred_at: e.occurredAt });
}

/**
 * A lot event moves its lot; a deal event moves every lot still open. The deal then shows its
 * least advanced open lot ('failed' once every lot failed; 'paused' while paused).
 */
async function moveStage(trx: Kysely<DB>, e: DealEventRecord, stage: DealStage, dealStage: string): Promise<void> {
  if (stage === 'paused') {
    await repo.updateDeal(trx, e.dealCode, { stage: 'paused' });
    return;
  }
  if (e.lotCode) await repo.setLotStage(trx, e.lotCode, stage, e.occurredAt);
  else if (stage !== 'accepted' && stage !== 'failed') await repo.advanceOpenLots(trx, e.dealCode, STAGE_ORDER.slice(0, STAGE_ORDER.indexOf(stage)), stage, e.occurredAt);
  const lots = await repo.lotStages(trx, e.dealCode);
  const open = lots.filter((s) => s !== 'failed');
  let next: string;
  if (lots.length > 0 && open.length === 0) next = 'failed';
  else if (open.length === 0) next = stage;
  else next = STAGE_ORDER[Math.min(...open.map((s) => Math.max(0, STAGE_ORDER.indexOf(s as DealStage))))]!;
  if (dealStage === 'paused' && stage !== 'bidding' && e.type !== 'deadline_reached') next = 'paused';
  await repo.updateDeal(trx, e.dealCode, { stage: next });
}

export interface ProjectionResult {
  /** Events read from the stream in this run (public or not). */
  read: number;
  /** Whether another node held the projector and this run did nothing. */
  busy: boolean;
}

/**
 * Applies every committed event the portal has not seen yet, in batches of `batchSize`, each
 * batch one transaction with the consumer's position. Returns when the stream is drained.
 */
export async function projectPortal(deps: Pick<Deps, 'db' | 'clock'>, options: { batchSize?: number } = {}): Promise<ProjectionResult> {
  const batchSize = options.batchSize ?? 200;
  let read = 0;
  for (;;) {
    const step = await deps.db.transaction().execute(async (trx) => {
      const locked = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${PROJECTOR_LOCK}) AS ok`.execute(trx);
      if (!locked.rows[0]?.ok) return { n: 0, busy: true };
      const from = await consumerPosition(trx, PORTAL_CONSUMER);
      const batch = await readCommittedAfter(trx, from, batchSize);
      if (batch.events.length === 0) return { n: 0, busy: false };
      for (const e of batch.events) {
        const deal = await repo.lockDeal(trx, e.dealCode);
        const applied = deal?.last_seq ?? 0;
        if (e.seq <= applied) continue;
        // Earlier events of this deal not applied yet have committed (seq n is handed out only
        // after n − 1 commits): apply them first, in order.
        const pending = e.seq === applied + 1 ? [e] : (await timelineOf(trx, e.dealCode)).filter((x) => x.seq > applied && x.seq <= e.seq);
        for (const x of pending) await applyEvent(trx, x);
      }
      await repo.bumpVersion(trx, deps.clock.now());
      await advanceConsumer(trx, PORTAL_CONSUMER, batch.position, deps.clock.now());
      return { n: batch.events.length, busy: false };
    });
    if (step.busy) return { read, busy: read === 0 };
    read += step.n;
    if (step.n < batchSize) return { read, busy: false };
  }
}

/**
 * Projects until the portal has handled every event committed before the call. projectPortal
 * alone can stop short: it reads only events of transactions older than every transaction
 * still running anywhere in the cluster (another node's long write holds them back), so this
 * runs it again every `pollMs` until the consumer reaches the stream's head as it was at the
 * call, or `timeoutMs` passes. Returns whether it got there. Used before serving (the portal
 * starts with everything published so far) and by tests that must see what they wrote.
 */
export async function catchUpPortal(
  deps: Pick<Deps, 'db' | 'clock'>,
  options: { timeoutMs?: number; pollMs?: number } = {},
): Promise<{ read: number; caughtUp: boolean }> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pollMs = options.pollMs ?? 20;
  const head = await streamHead(deps.db);
  // Real time, not the injected clock: this waits for other transactions to end, no rule's period.
  const deadline = performance.now() + timeoutMs;
  let read = 0;
  for (;;) {
    read += (await projectPortal(deps)).read;
    if (isAtOrPast(await consumerPosition(deps.db, PORTAL_CONSUMER), head)) return { read, caughtUp: true };
    if (performance.now() >= deadline) return { read, caughtUp: false };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

export interface Projector {
  stop(): Promise<void>;
}

/**
 * Runs the projector every `intervalMs` (the portal shows a publication within that time). An
 * error is logged and retried on the next tick; nothing is lost, the position did not move.
 */
export function startPortalProjector(deps: Pick<Deps, 'db' | 'clock'>, intervalMs: number, onError: (err: unknown) => void): Projector {
  let running: Promise<void> | null = null;
  let stopped = false;
  const timer = setInterval(() => {
    // A tick that finds the previous run still going skips; the run drains the stream anyway.
    if (stopped || running) return;
    running = projectPortal(deps)
      .then(() => undefined, onError)
      .finally(() => {
        running = null;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
