// Issuing deal and lot codes on a real database: unique and gapless under concurrency, nothing
// burnt by a rollback, the China-time day boundary, the serial limits, and codes that can never
// be edited or removed.

import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../test/support/harness.ts';
import { AppError } from '../../platform/errors.ts';
import { buildDealCode, isValidDealCode, MAX_LOT_SERIAL, mod37_2CheckChar, parseDealCode } from './coding.rules.ts';
import { issueDealCode, issueLotCode, lookupCode, type IssueDealCodeInput } from './coding.service.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

const input = (at: string, overrides: Partial<IssueDealCodeInput> = {}): IssueDealCodeInput => ({
  kind: 'tender_project',
  subjectId: crypto.randomUUID(),
  title: '太原市某道路改造工程施工',
  regionCode: '140105',
  category: '施工',
  issuedBy: null,
  at: new Date(at),
  ...overrides,
});
const issue = (i: IssueDealCodeInput) => h.deps.db.transaction().execute((trx) => issueDealCode(trx, h.deps, i));
const serialOf = (code: string) => {
  const p = parseDealCode(code);
  if (!p.ok) throw new Error(`invalid code ${code}: ${p.rule}`);
  return p.value.serial;
};
const counter = async (day: string) =>
  (await h.deps.db.selectFrom('coding.daily_counters').select('last_serial').where('platform_uscc', '=', h.deps.config.codingUscc).where('day', '=', day).executeTakeFirst())?.last_serial ?? 0;
const issueLotCodeVia = (dealCode: string): Promise<string> =>
  h.deps.db.transaction().execute((trx) => issueLotCode(trx, { dealCode, subjectId: crypto.randomUUID(), title: '标段', at: h.clock.now() }));
async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('issuing deal codes', () => {
  it('gives 50 concurrent issues the serials 1…50 exactly, each code valid', async () => {
    const codes = await Promise.all(Array.from({ length: 50 }, () => issue(input('2026-04-01T02:00:00Z'))));
    expect(new Set(codes).size).toBe(50);
    expect(codes.every(isValidDealCode)).toBe(true);
    expect(codes.every((c) => c.startsWith(`${h.deps.config.codingUscc}20260401`))).toBe(true);
    expect(codes.map(serialOf).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await counter('2026-04-01')).toBe(50);
  });

  it('burns no serial when the acceptance rolls back', async () => {
    const first = await issue(input('2026-04-02T02:00:00Z'));
    let rolledBack = '';
    await expect(
      h.deps.db.transaction().execute(async (trx) => {
        rolledBack = await issueDealCode(trx, h.deps, input('2026-04-02T03:00:00Z'));
        throw new Error('acceptance failed');
      }),
    ).rejects.toThrow('acceptance failed');
    expect(serialOf(rolledBack)).toBe(2);
    expect(await lookupCode(h.deps, rolledBack)).toBeNull();
    const second = await issue(input('2026-04-02T04:00:00Z'));
    expect([serialOf(first), serialOf(second)]).toEqual([1, 2]);
    expect(second).toBe(rolledBack);
  });

  it('takes the day in China time: 15:59:59.999Z is still that day, 16:00:00.000Z starts the next at 000001', async () => {
    const before = await issue(input('2026-03-01T15:59:59.999Z'));
    const after = await issue(input('2026-03-01T16:00:00.000Z'));
    expect(before.slice(18, 32)).toBe('20260301000001');
    expect(after.slice(18, 32)).toBe('20260302000001');
    const row = await h.deps.db.selectFrom('coding.codes').selectAll().where('code', '=', after).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ day: '2026-03-02', serial: 1, kind: 'tender_project', region_code: '140105', category: '施工' });
    expect(row.issued_at.toISOString()).toBe('2026-03-01T16:00:00.000Z');
  });

  it('issues serial 999999 and refuses the next of that day, changing nothing', async () => {
    await h.deps.db.insertInto('coding.daily_counters').values({ platform_uscc: h.deps.config.codingUscc, day: '2026-05-01', last_serial: 999_998 }).execute();
    const last = await issue(input('2026-05-01T01:00:00Z'));
    expect(last.slice(26, 32)).toBe('999999');
    const e = await rejection(issue(input('2026-05-01T02:00:00Z')));
    expect(e.code).toBe('conflict');
    expect(e.rule).toBe('daily_serial_exhausted');
    expect(e.detail).toContain('999999');
    expect(await counter('2026-05-01')).toBe(999_999);
    // The next day starts again at 1.
    expect(serialOf(await issue(input('2026-05-01T16:00:00Z')))).toBe(1);
  });

  it('must be given a transaction, and checks what it is issued for', async () => {
    await expect(issueDealCode(h.deps.db, h.deps, input('2026-04-03T02:00:00Z'))).rejects.toThrow(/transaction/);
    expect((await rejection(issue(input('2026-04-03T02:00:00Z', { regionCode: '149999' })))).rule).toBe('exists');
    expect((await rejection(issue(input('2026-04-03T02:00:00Z', { kind: 'fishing' as 'other' })))).rule).toBe('exists');
    expect((await rejection(issue(input('2026-04-03T02:00:00Z', { title: '  ' })))).errors?.[0]).toMatchObject({ field: 'title', rule: 'required' });
    expect((await rejection(issue(input('2026-04-03T02:00:00Z', { subjectId: 'x' })))).rule).toBe('format');
    expect(await counter('2026-04-03')).toBe(0);
  });
});

describe('issuing lot codes', () => {
  it('numbers the lots of a deal 001, 002, … without gaps, also concurrently and across a rollback', async () => {
    const deal = await issue(input('2026-04-10T02:00:00Z'));
    const lot = (title = '第一标段') => h.deps.db.transaction().execute((trx) => issueLotCode(trx, { dealCode: deal, subjectId: crypto.randomUUID(), title, at: new Date('2026-04-10T02:05:00Z') }));
    expect(await lot()).toBe(`${deal}001`);
    await expect(
      h.deps.db.transaction().execute(async (trx) => {
        await issueLotCode(trx, { dealCode: deal, subjectId: crypto.randomUUID(), title: '作废', at: new Date('2026-04-10T02:06:00Z') });
        throw new Error('lot creation failed');
      }),
    ).rejects.toThrow('lot creation failed');
    const more = await Promise.all(Array.from({ length: 10 }, (_, i) => lot(`标段${i + 2}`)));
    expect(more.map((c) => Number(c.slice(33))).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 2));
    const found = await lookupCode(h.deps, `${deal}005`);
    expect(found).toMatchObject({ kind: 'lot', deal: { code: deal }, lot: { serial: 5, deal_code: deal } });
    // Also given with hyphens and in lower case.
    const display = `${deal.slice(0, 18)}-${deal.slice(18, 26)}-${deal.slice(26, 32)}-${deal.slice(32)}`.toLowerCase();
    expect(await issueLotCodeVia(display)).toBe(`${deal}012`);
  });

  it('stops at lot 999 and refuses a deal never issued', async () => {
    const deal = await issue(input('2026-04-11T02:00:00Z'));
    const at = new Date('2026-04-11T02:00:00Z');
    const rows = Array.from({ length: MAX_LOT_SERIAL - 1 }, (_, i) => ({ lot_code: `${deal}${String(i + 1).padStart(3, '0')}`, deal_code: deal, serial: i + 1, subject_id: crypto.randomUUID(), title: '标段', issued_at: at }));
    for (let i = 0; i < rows.length; i += 200) await h.deps.db.insertInto('coding.lot_codes').values(rows.slice(i, i + 200)).execute();
    expect(await issueLotCodeVia(deal)).toBe(`${deal}999`);
    expect((await rejection(issueLotCodeVia(deal))).rule).toBe('lot_serial_exhausted');
    const unknown = `${deal.slice(0, 26)}999998`;
    expect((await rejection(issueLotCodeVia(unknown + mod37_2CheckChar(unknown)))).code).toBe('not_found');
    expect((await rejection(issueLotCodeVia(`${deal.slice(0, 32)}${deal[32] === 'A' ? 'B' : 'A'}`))).rule).toBe('check_char');
  });
});

describe('codes are never edited or removed', () => {
  it('refuses UPDATE, DELETE and TRUNCATE of codes and lot codes', async () => {
    const deal = await issue(input('2026-04-12T02:00:00Z'));
    await issueLotCodeVia(deal);
    await expect(sql`UPDATE coding.codes SET title = '改' WHERE code = ${deal}`.execute(h.deps.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM coding.codes WHERE code = ${deal}`.execute(h.deps.db)).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE coding.lot_codes SET title = '改' WHERE deal_code = ${deal}`.execute(h.deps.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM coding.lot_codes WHERE deal_code = ${deal}`.execute(h.deps.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE coding.codes CASCADE`.execute(h.deps.db)).rejects.toThrow(/append-only/);
    expect(await lookupCode(h.deps, deal)).toMatchObject({ kind: 'deal', deal: { title: '太原市某道路改造工程施工' } });
  });
});

describe('looking a code up', () => {
  it('names the rule of a malformed code and answers null for one never issued', async () => {
    expect((await rejection(lookupCode(h.deps, '123'))).errors?.[0]).toMatchObject({ field: 'code', rule: 'length' });
    const deal = await issue(input('2026-04-13T02:00:00Z'));
    const wrongCheck = `${deal.slice(0, 32)}${deal[32] === '0' ? '1' : '0'}`;
    expect((await rejection(lookupCode(h.deps, wrongCheck))).rule).toBe('check_char');
    expect(await lookupCode(h.deps, buildDealCode(h.deps.config.codingUscc, '2026-04-13', 777))).toBeNull();
    expect(await lookupCode(h.deps, buildDealCode('91350100M000100Y43', '2026-04-13', 1))).toBeNull();
    expect(await lookupCode(h.deps, `${deal}001`)).toBeNull();
  });
});
