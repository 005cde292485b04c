// The bid deadline and the online opening (电子招标投标办法 §29–31). At the deadline (on the deal's
// clock) bidding closes: a lot with fewer than the minimum bids fails — recorded, with a signed
// failure notice — and every other lot opens for decryption by its bidders until the window
// ends. Decryption ends when every bid is decided or the window closes: a bid still sealed then
// counts as 撤销; the opening record (bidders, prices, other items) is published only now, signed.
// Both steps are driven by the sweep (trading.sweep.ts) and are safe to run on several nodes at
// once: each re-checks its state under the project's or lot's lock and does nothing if another
// got there first.

import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { appendDealEvent, type DealEventActor } from '../../platform/events/deal-events.ts';
import { failedTenderNoticeDocument } from '../../platform/documents/templates/failed-tender-notice.ts';
import { openingRecordDocument } from '../../platform/documents/templates/opening-record.ts';
import { entityParty } from '../registry/registry.facts.ts';
import { BidPackageError, parseBidPackage } from './bid-package.ts';
import { dealNow } from './trading.access.ts';
import { closeDecryption } from './trading.bids.opening.ts';
import * as bids from './trading.bids.repository.ts';
import { signedDocument } from './trading.documents.ts';
import { formatYuan } from './trading.money.ts';
import * as notices from './trading.notices.repository.ts';
import * as opening from './trading.opening.repository.ts';
import * as repo from './trading.projects.repository.ts';
import type { LotRow, ProjectRow } from './trading.repository.ts';
import { releaseSecurities } from './trading.release.ts';
import { projectStep } from './trading.rules.ts';
import { DEFAULT_TENDER_RULES } from './trading.schedule.ts';

/** The platform acting on its own schedule (the sweep), as it appears on the timeline. */
export const PLATFORM_ACTOR: DealEventActor = { accountId: null, name: '交易平台（自动）' };

async function partiesOf(deps: Deps, p: ProjectRow, lot: Pick<LotRow, 'lot_code' | 'name'>) {
  const tenderer = await entityParty(deps.db, p.tenderer_entity_id);
  const agency = p.agency_entity_id ? await entityParty(deps.db, p.agency_entity_id) : undefined;
  return { dealCode: p.deal_code!, lotCode: lot.lot_code!, projectName: p.name, lotName: lot.name, tendererName: tenderer?.name ?? '', ...(agency ? { agencyName: agency.name } : {}) };
}

async function insertPublishedNotice(trx: Kysely<DB>, p: ProjectRow, lot: { id: string; lotCode: string | null }, kind: 'failure' | 'opening_record', title: string, body: string, doc: { digest: string; signature: string }, at: Date, now: Date): Promise<notices.PublicNotice> {
  const row = {
    id: crypto.randomUUID(),
    project_id: p.id,
    deal_code: p.deal_code!,
    lot_id: lot.id,
    kind,
    title,
    body,
    status: 'published' as const,
    review_reason: null,
    corrects_id: null,
    document_digest: doc.digest,
    signature: doc.signature,
    publish_at: at,
    published_at: at,
    created_by: null,
    created_at: now,
    reviewed_by: null,
    reviewed_at: null,
  };
  await notices.insertNotice(trx, row);
  return notices.publicNotice(row, lot.lotCode);
}

/**
 * Closes bidding of a project whose deadline has come on its own clock. While an objection to the
 * documents awaits its reply the activity is paused and the opening waits (实施条例 §22).
 */
export async function closeBidding(deps: Deps, projectId: string, now: Date): Promise<'closed' | 'not_due' | 'paused'> {
  const before = await repo.findProject(deps.db, projectId);
  if (!before || before.status !== 'bidding' || before.bid_deadline === null) return 'not_due';
  if (dealNow(before, now).getTime() < before.bid_deadline.getTime()) return 'not_due';
  if (before.paused_since !== null) return 'paused';
  const lots = (await repo.lotsOf(deps.db, [projectId])).filter((l) => l.status === 'bidding');
  // Failure notices are rendered before the transaction (a PDF takes a moment; the lock should not).
  const counts = new Map<string, number>();
  const failures = new Map<string, { digest: string; signature: string }>();
  for (const lot of lots) {
    const n = (await bids.bidsOfLot(deps.db, lot.id, ['received'])).length;
    counts.set(lot.id, n);
    if (n < DEFAULT_TENDER_RULES.minimumBids) {
      failures.set(lot.id, await signedDocument(deps, failedTenderNoticeDocument({ ...(await partiesOf(deps, before, lot)), reason: 'insufficient_bids', reasonText: `投标截止时仅收到 ${n} 份投标文件，不足 ${DEFAULT_TENDER_RULES.minimumBids} 个`, issuedAt: before.bid_deadline })));
    }
  }
  return deps.db.transaction().execute(async (trx) => {
    const p = (await repo.lockProject(trx, projectId))!;
    if (p.status !== 'bidding' || p.paused_since !== null || p.bid_deadline!.getTime() !== before.bid_deadline!.getTime()) return 'not_due';
    const deadline = p.bid_deadline!;
    const step = projectStep(p.status, 'close_bidding');
    if (!step.ok) return 'not_due';
    await repo.updateProject(trx, projectId, p.status, { status: step.to, updated_at: now });
    await appendDealEvent(trx, { dealCode: p.deal_code!, type: 'deadline_reached', payload: { bidDeadline: deadline.toISOString() }, actor: PLATFORM_ACTOR, at: deadline });
    let open = 0;
    for (const lot of lots) {
      // Bids are counted again under the lock: the deadline has passed, so no more can arrive.
      const standing = await bids.bidsOfLot(trx, lot.id, ['received']);
      const received = standing.length;
      if (received !== counts.get(lot.id)) throw new Error(`bids of lot ${lot.id} changed after the deadline`);
      if (failures.has(lot.id)) {
        await repo.updateLot(trx, lot.id, 'bidding', { status: 'failed', status_reason: `投标人少于 ${DEFAULT_TENDER_RULES.minimumBids} 个（${received} 个），招标失败`, updated_at: now });
        const notice = await insertPublishedNotice(trx, p, { id: lot.id, lotCode: lot.lot_code }, 'failure', `${p.name}${lot.name}招标失败公告`, `投标截止时仅收到 ${received} 份投标文件，不足 ${DEFAULT_TENDER_RULES.minimumBids} 个，依法不予开标，招标失败。`, failures.get(lot.id)!, deadline, now);
        await appendDealEvent(trx, { dealCode: p.deal_code!, lotCode: lot.lot_code, type: 'tender_failed', payload: { reason: 'insufficient_bids', bids: received, minimum: DEFAULT_TENDER_RULES.minimumBids, noticeId: notice.id, notice, documentSm3: failures.get(lot.id)!.digest }, actor: PLATFORM_ACTOR, at: deadline });
        // Nothing is opened: the bids' securities go back (trading.release.ts).
        await releaseSecurities(trx, PLATFORM_ACTOR, p, lot, standing.map((b) => ({ bid_id: b.id, bidder_entity_id: b.bidder_entity_id })), deadline);
      } else {
        const closesAt = new Date(deadline.getTime() + (p.decryption_minutes ?? DEFAULT_TENDER_RULES.decryption.defaultMinutes) * 60_000);
        await repo.updateLot(trx, lot.id, 'bidding', { status: 'decrypting', updated_at: now });
        await opening.insertOpening(trx, { lot_id: lot.id, deal_code: p.deal_code!, lot_code: lot.lot_code!, started_at: deadline, decryption_closes_at: closesAt, ended_at: null, bids_received: received, record: null, document_digest: null, signature: null });
        await appendDealEvent(trx, { dealCode: p.deal_code!, lotCode: lot.lot_code, type: 'opening_started', payload: { bids: received, decryptionClosesAt: closesAt.toISOString() }, actor: PLATFORM_ACTOR, at: deadline });
        open++;
      }
    }
    if (open === 0) await repo.updateProject(trx, projectId, 'after_deadline', { status: 'finished', updated_at: now });
    return 'closed';
  });
}

interface Decided {
  bid: Awaited<ReturnType<typeof bids.bidsOfLot>>[number];
  outcome: 'decrypted' | 'bidder_failed' | 'platform_failed';
  form: { priceFen: number; items: Record<string, unknown> } | null;
  packageFailure: string | null;
}

/** What the opening found for a bid that is no longer sealed, its package read and checked. */
async function decide(deps: Deps, bid: Decided['bid']): Promise<Decided> {
  if (bid.status === 'decrypt_failed_platform') return { bid, outcome: 'platform_failed', form: null, packageFailure: null };
  if (bid.status !== 'decrypted') return { bid, outcome: 'bidder_failed', form: null, packageFailure: null };
  const data = await deps.blobs.get(bid.plaintext_digest!);
  if (!data) return { bid, outcome: 'platform_failed', form: null, packageFailure: 'plaintext_missing' };
  try {
    const { manifest } = parseBidPackage(data);
    const { priceFen, ...items } = manifest.form;
    return { bid, outcome: 'decrypted', form: { priceFen, items: { ...items, files: manifest.files.map((f) => ({ name: f.name, size: f.size, sm3: f.sm3 })), tool: manifest.tool, createdAt: manifest.createdAt } }, packageFailure: null };
  } catch (e) {
    if (!(e instanceof BidPackageError)) throw e;
    // The bidder sealed something that is not a bid package: its own failure (撤销).
    return { bid, outcome: 'bidder_failed', form: null, packageFailure: e.message };
  }
}

const ITEM_LABELS: [key: string, label: string][] = [
  ['durationDays', '工期（日历天）'],
  ['qualityStandard', '质量标准'],
  ['projectManager', '项目经理'],
];

/**
 * Ends the decryption of a lot once every bid is decided or the window has closed (on the deal's
 * clock): undecrypted bids count as 撤销, the results are recorded, the signed opening record is
 * published, and the lot is opened.
 */
export async function endDecryption(deps: Deps, lotId: string, now: Date): Promise<'ended' | 'not_due'> {
  const o = await opening.findOpening(deps.db, lotId);
  const lot = await repo.findLot(deps.db, lotId);
  if (!o || o.ended_at !== null || !lot || lot.status !== 'decrypting') return 'not_due';
  const p = (await repo.findProject(deps.db, lot.project_id))!;
  const at = dealNow(p, now);
  const standing = await bids.bidsOfLot(deps.db, lotId);
  const windowClosed = at.getTime() >= o.decryption_closes_at.getTime();
  if (!windowClosed && standing.some((b) => b.status === 'received')) return 'not_due';
  const endedAt = windowClosed ? o.decryption_closes_at : at;
  // Every still-sealed bid becomes 撤销 at the end; read the others' packages before the lock.
  const decided = await Promise.all(standing.map((b) => (b.status === 'received' ? Promise.resolve<Decided>({ bid: b, outcome: 'bidder_failed', form: null, packageFailure: null }) : decide(deps, b))));
  const record = {
    dealCode: o.deal_code,
    lotCode: o.lot_code,
    openedAt: o.started_at.toISOString(),
    decryptionEndedAt: endedAt.toISOString(),
    bids: decided
      .sort((a, b) => a.bid.received_at!.getTime() - b.bid.received_at!.getTime() || a.bid.id.localeCompare(b.bid.id))
      .map((d) => ({ bidId: d.bid.id, bidder: d.bid.bidder_name, receivedAt: d.bid.received_at!.toISOString(), outcome: d.outcome, price: d.form ? formatYuan(d.form.priceFen) : null, priceFen: d.form?.priceFen ?? null, items: d.form ? Object.fromEntries(ITEM_LABELS.filter(([k]) => d.form!.items[k] !== undefined).map(([k, label]) => [label, String(d.form!.items[k])])) : {} })),
  };
  const doc = await signedDocument(
    deps,
    openingRecordDocument({
      ...(await partiesOf(deps, p, lot)),
      openedAt: o.started_at,
      place: '不见面开标（线上）',
      itemColumns: ITEM_LABELS.map(([, label]) => label),
      bids: record.bids.map((b) => ({ bidderName: b.bidder, receivedAt: new Date(b.receivedAt), decryption: b.outcome, priceFen: b.priceFen, items: b.items })),
      officials: [{ role: '开标人', name: '交易平台（自动）' }],
      issuedAt: endedAt,
    }),
  );
  return deps.db.transaction().execute(async (trx) => {
    const locked = (await repo.findLot(trx, lotId))!;
    await bids.lockLot(trx, lotId);
    const current = await opening.findOpening(trx, lotId);
    if (locked.status !== 'decrypting' || !current || current.ended_at !== null) return 'not_due';
    // A bidder may have decrypted between the reading above and the lock: then read again.
    const now2 = await bids.bidsOfLot(trx, lotId);
    const changed = now2.some((b) => standing.find((s) => s.id === b.id)?.status !== b.status) || now2.length !== standing.length;
    if (changed) throw new RetryOpening();
    const { failedBidIds } = await closeDecryption(trx, lotId, endedAt);
    for (const d of decided) {
      await opening.insertResult(trx, {
        id: crypto.randomUUID(),
        lot_id: lotId,
        deal_code: o.deal_code,
        lot_code: o.lot_code,
        bid_id: d.bid.id,
        bidder_entity_id: d.bid.bidder_entity_id,
        bidder_name: d.bid.bidder_name,
        outcome: d.outcome,
        received_at: d.bid.received_at!,
        price_fen: d.form?.priceFen ?? null,
        items: d.form ? JSON.stringify(d.form.items) : null,
        package_digest: d.outcome === 'decrypted' ? d.bid.plaintext_digest : null,
        decided_at: endedAt,
      });
      if (failedBidIds.includes(d.bid.id) || d.packageFailure) {
        await appendDealEvent(trx, { dealCode: o.deal_code, lotCode: o.lot_code, type: 'bid_decryption_failed', payload: { bidId: d.bid.id, entityId: d.bid.bidder_entity_id, reason: d.packageFailure ?? 'not_decrypted', counts: 'withdrawn_by_bidder' }, actor: PLATFORM_ACTOR, at: endedAt });
      }
    }
    await opening.endOpening(trx, lotId, { ended_at: endedAt, record: JSON.stringify(record), document_digest: doc.digest, signature: doc.signature });
    const notice = await insertPublishedNotice(trx, p, { id: lotId, lotCode: o.lot_code }, 'opening_record', `${p.name}${lot.name}开标记录`, `共收到 ${record.bids.length} 份投标文件，解密成功 ${record.bids.filter((b) => b.outcome === 'decrypted').length} 份。`, doc, endedAt, now);
    await repo.updateLot(trx, lotId, 'decrypting', { status: 'opened', updated_at: now });
    await appendDealEvent(trx, { dealCode: o.deal_code, lotCode: o.lot_code, type: 'opening_published', payload: { noticeId: notice.id, notice, bids: record.bids.map((b) => ({ bidder: b.bidder, outcome: b.outcome, price: b.price, priceFen: b.priceFen, items: b.items })), documentSm3: doc.digest }, actor: PLATFORM_ACTOR, at: endedAt });
    return 'ended';
  });
}

export class RetryOpening extends Error {
  override name = 'RetryOpening';
}
