// The recent notices' index: which months it covers, that a node builds and replaces it when the
// month turns, and that searches find the same with it as without it.

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../test/support/harness.ts';
import { catchUpPortal } from './portal.projector.ts';
import { ensureRecentIndex, recentIndexDays, recentIndexFrom, recentIndexName, startRecentIndex } from './portal.recent-index.ts';
import * as portal from './portal.service.ts';
import { publishDeal } from './portal.test-support.ts';

const USCC = '12140000405200000H';
const DAY = 86_400_000;

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());

const recentIndexes = async () =>
  (await sql<{ indexname: string; indexdef: string }>`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'portal' AND indexname LIKE 'notices\_tsv\_recent\_%' ORDER BY indexname`.execute(h.deps.db)).rows;

describe('the recent notices index', () => {
  it('covers from the first of the month three months back, China time', () => {
    // 2026-12-07 14:00 in Beijing: from 2026-09-01 00:00 Beijing (2026-08-31 16:00 UTC).
    expect(recentIndexFrom(new Date('2026-12-07T06:00:00Z')).toISOString()).toBe('2026-08-31T16:00:00.000Z');
    expect(recentIndexName(recentIndexFrom(new Date('2026-12-07T06:00:00Z')))).toBe('notices_tsv_recent_202609');
    // The month turns at midnight in Beijing, not in UTC.
    expect(recentIndexName(recentIndexFrom(new Date('2026-11-30T15:59:59.999Z')))).toBe('notices_tsv_recent_202608');
    expect(recentIndexName(recentIndexFrom(new Date('2026-11-30T16:00:00.000Z')))).toBe('notices_tsv_recent_202609');
    // Across the year.
    expect(recentIndexName(recentIndexFrom(new Date('2027-02-10T00:00:00Z')))).toBe('notices_tsv_recent_202611');
    // 91 days on 1 December at midnight (89 on 1 May), up to 121 on 31 March (123 on 31 August).
    expect(recentIndexDays(new Date('2026-11-30T16:00:00.000Z'))).toBe(91);
    expect(recentIndexDays(new Date('2027-03-31T15:59:59.999Z'))).toBeCloseTo(121, 5);
  });

  it('is built once, kept, and replaced when the month turns', async () => {
    const now = new Date('2026-12-07T06:00:00Z');
    expect(await ensureRecentIndex(h.database, now)).toEqual({ created: 'notices_tsv_recent_202609', dropped: [], busy: false });
    const [index] = await recentIndexes();
    expect(index!.indexname).toBe('notices_tsv_recent_202609');
    expect(index!.indexdef).toMatch(/USING gin \(tsv\) WHERE \(published_at >= '2026-08-31 16:00:00\+00'::timestamp with time zone\)/);
    expect(await ensureRecentIndex(h.database, new Date('2026-12-31T15:59:59Z'))).toEqual({ created: null, dropped: [], busy: false });
    expect(await ensureRecentIndex(h.database, new Date('2026-12-31T16:00:00Z'))).toEqual({ created: 'notices_tsv_recent_202610', dropped: ['notices_tsv_recent_202609'], busy: false });
    expect((await recentIndexes()).map((x) => x.indexname)).toEqual(['notices_tsv_recent_202610']);
  });

  it('builds in the background when a node starts, and stops with it', async () => {
    await sql`DROP INDEX portal.notices_tsv_recent_202610`.execute(h.deps.db);
    const lines: string[] = [];
    const log = { info: (_o: object, msg: string) => void lines.push(msg), error: (_o: object, msg: string) => void lines.push(msg) };
    const stop = startRecentIndex(h.database, { now: () => new Date('2026-12-07T06:00:00Z') }, log, 3600_000);
    await expect.poll(async () => (await recentIndexes()).map((x) => x.indexname)).toEqual(['notices_tsv_recent_202609']);
    await stop();
    expect(lines).toEqual(['portal: recent notices index']);
  });

  it('changes how fast a search is, never what it finds', async () => {
    const now = h.clock.now();
    for (let i = 0; i < 30; i++) {
      const at = new Date(now.getTime() - (i * 9 + 1) * DAY);
      await publishDeal(h.deps.db, USCC, {
        name: `太原市小店区${i % 3 === 0 ? '排水管网' : '老旧小区'}改造工程${i}`,
        regionCode: '140105',
        acceptedAt: at,
        notices: [{ kind: 'tender', title: `第${i}号招标公告`, body: `本项目为${i % 2 === 0 ? '排水管网' : '道路'}改造。`, at }],
      });
    }
    expect((await catchUpPortal(h.deps)).caughtUp).toBe(true);
    for (const index of (await recentIndexes()).map((x) => x.indexname)) await sql`DROP INDEX ${sql.id('portal', index)}`.execute(h.deps.db);
    const queries = ['排水管网', '改造', '道路', '招标公告 改造'];
    const before = await Promise.all(queries.map((q) => portal.search(h.deps, q, { pageSize: 50 })));
    expect((await ensureRecentIndex(h.database, now)).created).toBe(recentIndexName(recentIndexFrom(now)));
    const after = await Promise.all(queries.map((q) => portal.search(h.deps, q, { pageSize: 50 })));
    expect(after).toEqual(before);
    expect(before.map((r) => (r.kind === 'results' ? r.matched : 0)).every((n) => n > 0)).toBe(true);
  });
});

describe.runIf(Boolean(process.env.TEST_DATABASE_URL))('on a PostgreSQL server', () => {
  it('is built by one process at a time: another finds the lock taken and leaves it', async () => {
    const other = await h.database.pool.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1::bigint)', [(0x67677a79_72636e74n).toString()]);
      expect(await ensureRecentIndex(h.database, new Date('2027-06-01T00:00:00Z'))).toEqual({ created: null, dropped: [], busy: true });
      await other.query('SELECT pg_advisory_unlock($1::bigint)', [(0x67677a79_72636e74n).toString()]);
      expect((await ensureRecentIndex(h.database, new Date('2027-06-01T00:00:00Z'))).created).toBe('notices_tsv_recent_202703');
    } finally {
      other.release();
    }
  });
});
