// The panel draw through its service functions, as the trading module calls them: tampering
// caught by verification, the hook inside the transaction, anonymity until reveal, the confirmed
// panel for the evaluation, the eligible lists against the pool's own eligibility query, and the
// randomness sanity check (every eligible expert gets drawn over many draws).

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../test/support/harness.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import { buildPool, seededRandom, usccFor } from './experts.fixtures.ts';
import * as repo from './experts.repository.ts';
import { confirmPanel, drawPanel, getDraw, panelOfLot, publicPanel, recordResponse, revealPanel, verifyDraw, type Actor, type DrawInput, type DrawView } from './experts.draw.ts';
import { addExperts, dealCode, serviceActor } from './experts.draw.test-support.ts';
import { findEligibleExperts } from './experts.service.ts';

let h: Harness;
let staff: Actor;
let deal = 0;
const DAY = '2026-03-20';

function input(overrides: Partial<DrawInput> = {}): DrawInput {
  deal++;
  return { dealCode: dealCode(deal), lotCode: `${dealCode(deal)}001`, dealRegionCode: '140100', evaluationDate: DAY, needs: [{ specialtyCode: 'A01', count: 5 }], reserves: 1, avoid: { usccs: [] }, ...overrides };
}

async function acceptAll(view: DrawView): Promise<void> {
  for (const m of view.members.filter((x) => x.state === 'pending')) await recordResponse(h.deps, staff, view.draw.id, m.expert_id, { answer: 'accepted' });
}

beforeAll(async () => {
  h = await createHarness();
  staff = serviceActor(h, { 'experts.panel.draw': 'province', 'experts.panel.read': 'province' });
  await addExperts(h, 12, { specialties: ['A01'] });
});
afterAll(async () => {
  await h?.close();
});

describe('verification', () => {
  it('is consistent as drawn; a changed seed or eligible list makes it inconsistent', async () => {
    const view = await drawPanel(h.deps, staff, input());
    const id = view.draw.id;
    expect((await verifyDraw(h.deps, staff, id)).consistent).toBe(true);

    const { seed, eligible } = view.rounds[0]!;
    const otherSeed = (seed[0] === '0' ? '1' : '0') + seed.slice(1);
    await h.deps.db.updateTable('experts.draw_rounds').set({ seed: otherSeed }).where('draw_id', '=', id).execute();
    const seedTampered = await verifyDraw(h.deps, staff, id);
    expect(seedTampered.consistent).toBe(false);
    expect(seedTampered.rounds[0]).toMatchObject({ eligibleDigestMatches: true, auditMatches: false });
    // With 12 eligible and 6 taken, another seed gives the same ordered result with negligible odds.
    expect(seedTampered.rounds[0]!.selectionMatches).toBe(false);
    expect(seedTampered.recomputed).not.toEqual(seedTampered.recorded);
    await h.deps.db.updateTable('experts.draw_rounds').set({ seed }).where('draw_id', '=', id).execute();
    expect((await verifyDraw(h.deps, staff, id)).consistent).toBe(true);

    // Dropping a non-selected id from the list may leave the selection alone: the digest still tells.
    const chosen = new Set(view.members.map((m) => m.expert_id));
    const dropped = [{ ...eligible[0]!, ids: eligible[0]!.ids.filter((x) => x !== eligible[0]!.ids.find((y) => !chosen.has(y))) }];
    await h.deps.db.updateTable('experts.draw_rounds').set({ eligible: JSON.stringify(dropped) }).where('draw_id', '=', id).execute();
    const listTampered = await verifyDraw(h.deps, staff, id);
    expect(listTampered.consistent).toBe(false);
    expect(listTampered.rounds[0]).toMatchObject({ eligibleDigestMatches: false, auditMatches: false });

    // Rewriting list and digest together is still caught by the audit trail's digest of the round.
    const { eligibleDigest } = await import('./experts.draw.round.ts');
    await h.deps.db.updateTable('experts.draw_rounds').set({ eligible_digest: eligibleDigest(dropped) }).where('draw_id', '=', id).execute();
    const both = await verifyDraw(h.deps, staff, id);
    expect(both.rounds[0]).toMatchObject({ eligibleDigestMatches: true, auditMatches: false, consistent: false });

    // A member swapped in the members table is caught too.
    await h.deps.db.updateTable('experts.draw_rounds').set({ eligible: JSON.stringify(eligible), eligible_digest: view.rounds[0]!.eligible_digest }).where('draw_id', '=', id).execute();
    expect((await verifyDraw(h.deps, staff, id)).consistent).toBe(true);
    const outsider = eligible[0]!.ids.find((y) => !chosen.has(y))!;
    const first = view.members.find((m) => m.kind === 'member')!;
    await h.deps.db.updateTable('experts.draw_members').set({ expert_id: outsider }).where('draw_id', '=', id).where('expert_id', '=', first.expert_id).execute();
    expect((await verifyDraw(h.deps, staff, id)).rounds[0]).toMatchObject({ membersMatch: false, consistent: false });
  });
});

describe('hooks', () => {
  it('runs inside the transaction after the writes; its failure leaves nothing', async () => {
    let seen: string | undefined;
    const ok = await drawPanel(h.deps, staff, input(), {
      within: async (trx, result) => {
        seen = (await trx.selectFrom('experts.draws').select('id').where('id', '=', result.draw.id).executeTakeFirst())?.id;
      },
    });
    expect(seen).toBe(ok.draw.id);

    const before = await h.deps.db.selectFrom('experts.draws').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const auditBefore = await h.deps.db.selectFrom('audit.audit_log').select((eb) => eb.fn.max('seq').as('n')).executeTakeFirstOrThrow();
    await expect(drawPanel(h.deps, staff, input(), { within: async () => Promise.reject(new Error('deal event refused')) })).rejects.toThrow('deal event refused');
    expect(await h.deps.db.selectFrom('experts.draws').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual(before);
    expect(await h.deps.db.selectFrom('audit.audit_log').select((eb) => eb.fn.max('seq').as('n')).executeTakeFirstOrThrow()).toEqual(auditBefore);
  });
});

describe('anonymity and the evaluation', () => {
  it('names are public only after reveal; the evaluation gets the confirmed panel', async () => {
    const req = input();
    const view = await drawPanel(h.deps, staff, req);
    expect(await panelOfLot(h.deps, req.lotCode!)).toBeNull();
    await expect(h.deps.db.transaction().execute((trx) => revealPanel(trx, view.draw.id, h.clock.now()))).rejects.toMatchObject({ code: 'conflict', rule: 'not_confirmed' });
    await acceptAll(view);
    const confirmed = await confirmPanel(h.deps, staff, view.draw.id);
    expect(await publicPanel(h.deps, req.dealCode)).toEqual([]);

    const panel = await panelOfLot(h.deps, req.lotCode!);
    expect(panel?.members.map((m) => m.expertId).sort()).toEqual(confirmed.members.filter((m) => m.state === 'accepted').map((m) => m.expert_id).sort());

    const at = h.clock.now();
    await h.deps.db.transaction().execute((trx) => revealPanel(trx, view.draw.id, at));
    const pub = await publicPanel(h.deps, req.dealCode);
    expect(pub).toHaveLength(1);
    expect(pub[0]!.members.map((m) => m.name).sort()).toEqual(panel!.members.map((m) => m.name).sort());
    expect(Object.keys(pub[0]!.members[0]!).sort()).toEqual(['name', 'specialtyCode', 'specialtyName']);
    expect((await getDraw(h.deps, staff, view.draw.id)).draw.revealed_at).toEqual(at);
  });

  it('a deal without lots is found by its deal code', async () => {
    const req = input({ lotCode: null });
    const view = await drawPanel(h.deps, staff, req);
    await acceptAll(view);
    await confirmPanel(h.deps, staff, view.draw.id);
    expect((await panelOfLot(h.deps, req.dealCode))?.drawId).toBe(view.draw.id);
  });
});

describe('eligible lists against the pool', () => {
  it('equal findEligibleExperts (status, region, employer and relations, unavailability) on a random pool', async () => {
    const tree = loadRegionTree();
    const regions = tree.regions.filter((r) => r.level === 3 && ['140100', '140200'].includes(tree.cityOf(r.code)?.code ?? '')).map((r) => r.code);
    const leaves = ['A02', 'A03', 'A04'];
    const days = ['2026-03-20', '2026-04-01'];
    const pool = buildPool(h.deps.keys.master, { count: 300, seed: 5, firstNumber: 80_000, regions, leaves, employers: 20, days, createdBy: null, now: h.clock.now() });
    await h.deps.db.transaction().execute((trx) => repo.insertExpertsBulk(trx, pool));
    const rnd = seededRandom(3);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
    for (let i = 0; i < 8; i++) {
      const regionCode = pick(['140100', '140200', '140000']);
      const specialty = pick(leaves);
      const avoid = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => usccFor(Math.floor(rnd() * 20)));
      const on = pick(days);
      const view = await drawPanel(h.deps, staff, input({ dealRegionCode: regionCode, evaluationDate: on, needs: [{ specialtyCode: specialty, count: 5 }], avoid: { usccs: avoid } }));
      const expected = (await findEligibleExperts(h.deps, { specialty, regionCode, avoidUscc: avoid, on })).candidates.map((c) => c.id).sort();
      expect(view.rounds[0]!.eligible[0]!.ids, JSON.stringify({ regionCode, specialty, avoid, on })).toEqual(expected);
    }
  });
});

describe('randomness sanity', () => {
  it('over 200 draws from a fixed pool every eligible expert is drawn sometimes, none far off its share', async () => {
    const pool = await addExperts(h, 12, { specialties: ['A07'] });
    const times = new Map(pool.map((e) => [e.id, 0]));
    const RUNS = 200;
    for (let i = 0; i < RUNS; i++) {
      const view = await drawPanel(h.deps, staff, input({ needs: [{ specialtyCode: 'A07', count: 5 }] }));
      for (const m of view.members.filter((x) => x.kind === 'member')) times.set(m.expert_id, times.get(m.expert_id)! + 1);
    }
    // Each is a member with probability 5/12: mean 83.3, standard deviation ≈ 7.0; 50–117 is ±4.8σ.
    for (const [, n] of times) {
      expect(n).toBeGreaterThanOrEqual(50);
      expect(n).toBeLessThanOrEqual(117);
    }
    expect([...times.values()].reduce((a, b) => a + b, 0)).toBe(RUNS * 5);
    const seeds = await sql<{ n: number }>`SELECT count(DISTINCT seed)::int AS n FROM experts.draw_rounds`.execute(h.deps.db);
    const rounds = await sql<{ n: number }>`SELECT count(*)::int AS n FROM experts.draw_rounds`.execute(h.deps.db);
    expect(seeds.rows[0]!.n).toBe(rounds.rows[0]!.n);
  }, 120_000);
});
