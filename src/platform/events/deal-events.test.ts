// The deal event stream on a real database: gapless per-deal seq (also under concurrency and
// rollback), append-only storage, timelines, and the consumers' commit-safe reading order.

import { sql, type ControlledTransaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createHarness, type Harness } from '../../../test/support/harness.ts';
import { buildDealCode, lotCode } from '../../modules/coding/coding.rules.ts';
import type { DB } from '../db/schema.ts';
import {
  advanceConsumer,
  appendDealEvent,
  consumerPosition,
  DEAL_EVENT_TYPES,
  isAtOrPast,
  mapDealEvent,
  readCommittedAfter,
  STREAM_START,
  streamHead,
  timelineOf,
  type DealEventType,
  type StreamPosition,
} from './deal-events.ts';

const onServer = inject('testDb').kind === 'postgres';
const USCC = '12140000405200000H';
let h: Harness;
let serial = 0;
const newDeal = () => buildDealCode(USCC, '2026-03-02', ++serial);
const at = () => h.clock.now();

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

async function append(dealCode: string, type: DealEventType = 'notice_drafted', extra: { lotCode?: string; payload?: Record<string, unknown> } = {}) {
  return h.deps.db.transaction().execute((trx) => appendDealEvent(trx, { dealCode, type, payload: extra.payload ?? {}, lotCode: extra.lotCode, at: at(), actor: { accountId: null, name: '系统' } }));
}

/**
 * Reads until `wanted` shows up: on a shared server, a transaction of another database (xids are
 * cluster-wide) can hold the snapshot's xmin back for a moment. Only delays, never loses.
 */
async function readUntil(position: StreamPosition, wanted: string[]): Promise<Awaited<ReturnType<typeof readCommittedAfter>>> {
  for (let i = 0; i < 100; i++) {
    const page = await readCommittedAfter(h.deps.db, position, 1000);
    if (wanted.every((id) => page.events.some((e) => e.id === id))) return page;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`events ${wanted.join(', ')} never became readable`);
}

const seqs = async (dealCode: string) => (await timelineOf(h.deps.db, dealCode)).map((e) => e.seq);

describe('appending', () => {
  it('numbers the events of each deal 1, 2, 3… without gaps, separately per deal', async () => {
    const a = newDeal();
    const b = newDeal();
    expect((await append(a, 'project_registered')).seq).toBe(1);
    expect((await append(a, 'project_accepted')).seq).toBe(2);
    expect((await append(b, 'project_registered')).seq).toBe(1);
    const third = await append(a, 'lot_coded', { lotCode: lotCode(a, 1), payload: { serial: 1 } });
    expect(third.seq).toBe(3);
    expect(third.id).toMatch(/^\d+$/);
    expect(await seqs(a)).toEqual([1, 2, 3]);
    const last = (await timelineOf(h.deps.db, a))[2]!;
    expect(last).toMatchObject({ id: third.id, dealCode: a, lotCode: lotCode(a, 1), type: 'lot_coded', payload: { serial: 1 }, actor: { accountId: null, name: '系统' } });
    expect(last.occurredAt.toISOString()).toBe(at().toISOString());
    expect(mapDealEvent(last)).toMatchObject({ typeName: DEAL_EVENT_TYPES.lot_coded, occurredAt: at().toISOString() });
  });

  it('gives back the seq of an append that rolls back', async () => {
    const a = newDeal();
    await append(a);
    await expect(
      h.deps.db.transaction().execute(async (trx) => {
        await appendDealEvent(trx, { dealCode: a, type: 'notice_submitted', payload: {}, at: at() });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await seqs(a)).toEqual([1]);
    expect((await append(a, 'notice_submitted')).seq).toBe(2);
    // A deal whose first append rolled back starts at 1 all the same.
    const b = newDeal();
    await expect(
      h.deps.db.transaction().execute(async (trx) => {
        await appendDealEvent(trx, { dealCode: b, type: 'project_registered', payload: {}, at: at() });
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect((await append(b)).seq).toBe(1);
  });

  it('refuses to append outside a transaction, and refuses malformed events', async () => {
    const a = newDeal();
    await expect(appendDealEvent(h.deps.db, { dealCode: a, type: 'notice_drafted', payload: {}, at: at() })).rejects.toThrow(/transaction/);
    const inTrx = (e: Parameters<typeof appendDealEvent>[1]) => h.deps.db.transaction().execute((trx) => appendDealEvent(trx, e));
    await expect(inTrx({ dealCode: `${a.slice(0, 18)}-${a.slice(18)}`, type: 'notice_drafted', payload: {}, at: at() })).rejects.toThrow(/deal code/);
    await expect(inTrx({ dealCode: a, type: 'notice_eaten' as DealEventType, payload: {}, at: at() })).rejects.toThrow(/unknown event type/);
    await expect(inTrx({ dealCode: a, lotCode: lotCode(newDeal(), 1), type: 'lot_coded', payload: {}, at: at() })).rejects.toThrow(/not a lot of deal/);
    await expect(inTrx({ dealCode: a, type: 'notice_drafted', payload: [] as unknown as Record<string, unknown>, at: at() })).rejects.toThrow(/payload/);
    expect(await seqs(a)).toEqual([]);
  });

  it('keeps events as written: UPDATE, DELETE and TRUNCATE are refused, and a stream head never moves back', async () => {
    const a = newDeal();
    await append(a);
    await append(a);
    await expect(sql`UPDATE platform.deal_events SET type = 'notice_published' WHERE deal_code = ${a}`.execute(h.deps.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM platform.deal_events WHERE deal_code = ${a}`.execute(h.deps.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE platform.deal_events CASCADE`.execute(h.deps.db)).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE platform.deal_streams SET last_seq = 1 WHERE deal_code = ${a}`.execute(h.deps.db)).rejects.toThrow(/forward/);
    await expect(sql`DELETE FROM platform.deal_streams WHERE deal_code = ${a}`.execute(h.deps.db)).rejects.toThrow(/forward/);
    expect(await seqs(a)).toEqual([1, 2]);
  });

  it('gives 20 concurrent appends to one deal exactly the seqs 1…20', async () => {
    const a = newDeal();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => append(a, 'bid_submitted', { payload: { n: i } })));
    expect(results.map((r) => r.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(results.map((r) => r.id)).size).toBe(20);
    expect(await seqs(a)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});

describe('timeline', () => {
  it('filters by type and by lot, always in seq order', async () => {
    const a = newDeal();
    const lot1 = lotCode(a, 1);
    const lot2 = lotCode(a, 2);
    await append(a, 'project_accepted');
    await append(a, 'lot_coded', { lotCode: lot1 });
    await append(a, 'lot_coded', { lotCode: lot2 });
    await append(a, 'bid_submitted', { lotCode: lot2 });
    await append(a, 'bid_submitted', { lotCode: lot1 });
    const types = (list: { type: string; seq: number }[]) => list.map((e) => `${e.seq}:${e.type}`);
    expect(types(await timelineOf(h.deps.db, a, { types: ['bid_submitted'] }))).toEqual(['4:bid_submitted', '5:bid_submitted']);
    expect(types(await timelineOf(h.deps.db, a, { lotCode: lot1 }))).toEqual(['2:lot_coded', '5:bid_submitted']);
    expect(types(await timelineOf(h.deps.db, a, { lotCode: lot2, types: ['lot_coded'] }))).toEqual(['3:lot_coded']);
    expect(await timelineOf(h.deps.db, newDeal())).toEqual([]);
  });
});

describe('consumers', () => {
  it('read every committed event once, in pages, and keep their position in their own transaction', async () => {
    const total = Number((await h.deps.db.selectFrom('platform.deal_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(total).toBeGreaterThan(30);
    const all: string[] = [];
    let position: StreamPosition = STREAM_START;
    for (let idle = 0; all.length < total && idle < 100; ) {
      const page = await readCommittedAfter(h.deps.db, position, 7);
      expect(page.events.length).toBeLessThanOrEqual(7);
      if (page.events.length === 0) {
        idle++;
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      all.push(...page.events.map((e) => e.id));
      position = page.position;
    }
    expect(all.length).toBe(total);
    expect(new Set(all).size).toBe(total);

    expect(await consumerPosition(h.deps.db, 'ledger')).toEqual(STREAM_START);
    await h.deps.db.transaction().execute((trx) => advanceConsumer(trx, 'ledger', position, at()));
    expect(await consumerPosition(h.deps.db, 'ledger')).toEqual(position);
    // Nothing new: an empty page that keeps the position.
    expect(await readCommittedAfter(h.deps.db, position, 10)).toEqual({ events: [], position });
    // A rolled-back consumer transaction does not move the position.
    const a = newDeal();
    await append(a, 'notice_published');
    const appended = (await timelineOf(h.deps.db, a))[0]!.id;
    const next = await readUntil(position, [appended]);
    expect(next.events.map((e) => `${e.dealCode}:${e.seq}`)).toEqual([`${a}:1`]);
    await expect(
      h.deps.db.transaction().execute(async (trx) => {
        await advanceConsumer(trx, 'ledger', next.position, at());
        throw new Error('consumer failed');
      }),
    ).rejects.toThrow('consumer failed');
    expect(await consumerPosition(h.deps.db, 'ledger')).toEqual(position);
    // Never backwards; and only inside a transaction.
    await h.deps.db.transaction().execute((trx) => advanceConsumer(trx, 'ledger', next.position, at()));
    await expect(h.deps.db.transaction().execute((trx) => advanceConsumer(trx, 'ledger', position, at()))).rejects.toThrow(/already past/);
    await expect(advanceConsumer(h.deps.db, 'ledger', next.position, at())).rejects.toThrow(/transaction/);
    expect(await consumerPosition(h.deps.db, 'ledger')).toEqual(next.position);
  });

  it('compare positions by transaction id first, then id, as numbers', () => {
    expect(isAtOrPast({ txid: '10', id: '5' }, { txid: '10', id: '5' })).toBe(true);
    expect(isAtOrPast({ txid: '10', id: '4' }, { txid: '10', id: '5' })).toBe(false);
    expect(isAtOrPast({ txid: '11', id: '1' }, { txid: '10', id: '900' })).toBe(true);
    expect(isAtOrPast({ txid: '9', id: '900' }, { txid: '10', id: '1' })).toBe(false);
    // xid8 runs past 2^53: compared exactly, not as floats.
    expect(isAtOrPast({ txid: '9007199254740993', id: '1' }, { txid: '9007199254740992', id: '2' })).toBe(true);
    expect(isAtOrPast(STREAM_START, STREAM_START)).toBe(true);
  });

  it('name the last committed event as the stream head', async () => {
    const e = await append(newDeal());
    const head = await streamHead(h.deps.db);
    expect(head.id).toBe(e.id);
    // Read to the end: the last position read is the head.
    let page = await readUntil(STREAM_START, [e.id]);
    for (let next = page; next.events.length > 0; ) [page, next] = [next, await readCommittedAfter(h.deps.db, next.position, 1000)];
    expect(page.position).toEqual(head);
  });

  // Two transactions open at once need two connections: PGlite has one.
  describe.runIf(onServer)('on a PostgreSQL server, with transactions that commit out of order', () => {
    const open = () => h.deps.db.startTransaction().execute();
    const idsAfter = async (position: StreamPosition) => (await readCommittedAfter(h.deps.db, position, 1000)).events.map((e) => e.id);
    const appendIn = (trx: ControlledTransaction<DB>, dealCode: string) => appendDealEvent(trx, { dealCode, type: 'bid_submitted', payload: {}, at: at() });

    async function caughtUp(): Promise<StreamPosition> {
      let position = STREAM_START;
      for (;;) {
        const page = await readCommittedAfter(h.deps.db, position, 1000);
        if (page.events.length === 0) return position;
        position = page.position;
      }
    }

    it('keeps a consumer short of the head while an older transaction runs, even one that writes no event', async () => {
      const start = await caughtUp();
      const older = await open();
      try {
        await sql`SELECT pg_current_xact_id()`.execute(older);
        const e = await append(newDeal());
        const head = await streamHead(h.deps.db);
        expect(head.id).toBe(e.id);
        expect(isAtOrPast((await readCommittedAfter(h.deps.db, start, 1000)).position, head)).toBe(false);
        await older.commit().execute();
        const page = await readUntil(start, [e.id]);
        expect(isAtOrPast(page.position, head)).toBe(true);
      } finally {
        if (!older.isCommitted && !older.isRolledBack) await older.rollback().execute();
      }
    });

    it('does not read past an event whose transaction took an earlier id but has not committed', async () => {
      const start = await caughtUp();
      const t1 = await open();
      const t2 = await open();
      try {
        const early = await appendIn(t1, newDeal());
        const late = await appendIn(t2, newDeal());
        expect(Number(late.id)).toBeGreaterThan(Number(early.id));
        await t2.commit().execute();
        // The later id is committed, but t1 (older) is still running: nothing may be read yet.
        expect(await idsAfter(start)).not.toContain(late.id);
        await t1.commit().execute();
        const page = await readUntil(start, [early.id, late.id]);
        const ids = page.events.map((e) => e.id);
        expect(ids.indexOf(early.id)).toBeLessThan(ids.indexOf(late.id));
      } finally {
        if (!t1.isCommitted && !t1.isRolledBack) await t1.rollback().execute();
        if (!t2.isCommitted && !t2.isRolledBack) await t2.rollback().execute();
      }
    });

    it('still reads an event with a lower id that commits after a higher one was read', async () => {
      const start = await caughtUp();
      const t1 = await open();
      const t2 = await open();
      try {
        // t2 starts writing first (takes the older transaction id) but appends after t1.
        await sql`SELECT pg_current_xact_id()`.execute(t2);
        const early = await appendIn(t1, newDeal());
        const late = await appendIn(t2, newDeal());
        expect(Number(late.id)).toBeGreaterThan(Number(early.id));
        await t2.commit().execute();
        const first = await readUntil(start, [late.id]);
        expect(first.events.map((e) => e.id)).not.toContain(early.id);
        // A consumer positioned by id alone would now be past `early` and never see it.
        expect(Number(first.position.id)).toBeGreaterThan(Number(early.id));
        await t1.commit().execute();
        const second = await readUntil(first.position, [early.id]);
        expect(second.events.map((e) => e.id)).toEqual([early.id]);
      } finally {
        if (!t1.isCommitted && !t1.isRolledBack) await t1.rollback().execute();
        if (!t2.isCommitted && !t2.isRolledBack) await t2.rollback().execute();
      }
    });
  });
});
