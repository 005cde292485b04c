// "Eligible experts for specialty S in region R on day D, avoiding entities E" through HTTP:
// each reason to leave an expert out, at its boundary; scope; then the one SQL statement held
// against the pure predicate (experts.rules.ts) on a random pool.

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, makeOrganisation, problem, type Harness } from '../../../test/support/harness.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import { buildPool, idNumberFor, seededRandom, usccFor } from './experts.fixtures.ts';
import * as repo from './experts.repository.ts';
import { isEligible, type EligibilityFacts } from './experts.rules.ts';
import { findEligibleExperts } from './experts.service.ts';
import { loadSpecialtyTable } from './experts.specialties.ts';
import { makeRole, tokenWithRole } from './experts.test-support.ts';

let h: Harness;
let provinceManager: string;
let taiyuanManager: string;
let seq = 5000;

const ON = '2026-03-20';
const BIDDER = usccFor(900001);
const AGENCY = usccFor(900002);
const ids: Record<string, string> = {};

const send = (method: 'POST' | 'PATCH', url: string, token: string, payload: unknown) => h.app.inject({ method, url, headers: bearer(token), payload: payload as Record<string, unknown> });

async function expert(key: string, token: string, overrides: Record<string, unknown> = {}): Promise<string> {
  seq++;
  const body = { name: key, idNumber: idNumberFor(seq), phone: `1370000${String(seq).padStart(4, '0')}`, regionCode: '140105', employerName: '山西某设计研究院', employerUscc: usccFor(seq), specialties: ['A01'], ...overrides };
  const res = await send('POST', '/api/v1/experts', token, body);
  if (res.statusCode !== 201) throw new Error(`create ${key}: ${res.body}`);
  ids[key] = res.json<{ id: string }>().id;
  return ids[key]!;
}

async function eligible(token: string, body: Record<string, unknown>) {
  const res = await send('POST', '/api/v1/experts/eligible', token, { specialty: 'A01', regionCode: '140100', avoidUscc: [BIDDER, AGENCY], on: ON, ...body });
  if (res.statusCode !== 200) throw new Error(`eligible: ${res.body}`);
  const answer = res.json<{ total: number; items: { id: string; name: string }[] }>();
  return { total: answer.total, names: answer.items.map((e) => e.name).sort() };
}

beforeAll(async () => {
  h = await createHarness();
  const province = await makeOrganisation(h, { name: '山西省公共资源交易中心', regionCode: '140000' });
  const taiyuan = await makeOrganisation(h, { name: '太原市公共资源交易中心', regionCode: '140100', parentId: province });
  await makeRole(h, 'expert_manager', ['experts.expert.read', 'experts.expert.write']);
  provinceManager = await tokenWithRole(h, province, 'expert_manager', 'province');
  taiyuanManager = await tokenWithRole(h, taiyuan, 'expert_manager', 'region');

  const m = provinceManager;
  await expert('eligible', m);
  await expert('employedByBidder', m, { employerUscc: BIDDER });
  await expert('relativeAtAgency', m);
  await expert('formerlyAtBidder', m);
  await expert('interestElsewhere', m);
  await expert('awayEndsOnDay', m);
  await expert('awayStartsOnDay', m);
  await expert('awayStartsDayAfter', m);
  await expert('awayEndedDayBefore', m);
  await expert('suspended', m);
  await expert('removed', m);
  await expert('inDatong', m, { regionCode: '140213' });
  await expert('inYingze', m, { regionCode: '140106' });
  await expert('procurementOnly', m, { specialties: ['B01'] });
  await expert('supervisionOnly', m, { specialties: ['A12', 'B01'], primarySpecialty: 'B01' });

  const add = (key: string, what: 'relations' | 'unavailability', body: Record<string, unknown>) => send('POST', `/api/v1/experts/${ids[key]}/${what}`, m, body);
  await add('relativeAtAgency', 'relations', { uscc: AGENCY, kind: 'relative', note: '子女任职' });
  await add('formerlyAtBidder', 'relations', { uscc: BIDDER, kind: 'former_employer' });
  await add('interestElsewhere', 'relations', { uscc: usccFor(900003), kind: 'interest' });
  await add('awayEndsOnDay', 'unavailability', { from: '2026-03-15', to: ON, reason: '出差' });
  await add('awayStartsOnDay', 'unavailability', { from: ON, to: '2026-03-22', reason: '会议' });
  await add('awayStartsDayAfter', 'unavailability', { from: '2026-03-21', to: '2026-03-25', reason: '休假' });
  await add('awayEndedDayBefore', 'unavailability', { from: '2026-03-01', to: '2026-03-19', reason: '培训' });
  await send('PATCH', `/api/v1/experts/${ids.suspended}`, m, { version: 1, status: 'suspended', statusReason: '暂停一年' });
  await send('PATCH', `/api/v1/experts/${ids.removed}`, m, { version: 1, status: 'removed', statusReason: '清退' });
});
afterAll(async () => {
  await h?.close();
});

describe('eligibility: refusals', () => {
  it('refuses unknown codes, a malformed avoided USCC (by position) and an impossible day', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ specialty: 'Z99' }, 'specialty', 'exists'],
      [{ regionCode: '149999' }, 'regionCode', 'exists'],
      [{ avoidUscc: [BIDDER, '91350100M000100Y44'] }, 'avoidUscc.1', 'check_digit'],
      [{ on: '2026-02-30' }, 'on', 'format'],
      [{ limit: 0 }, 'limit', 'minimum'],
    ];
    for (const [body, field, rule] of cases) {
      const res = await send('POST', '/api/v1/experts/eligible', provinceManager, { specialty: 'A01', regionCode: '140100', avoidUscc: [], on: ON, ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(problem(res).errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
    }
  });
});

describe('eligibility: who is left out', () => {
  it('leaves out the employer and declared ties to avoided entities, the unavailable, the inactive, other regions and specialties', async () => {
    // 迎泽区 lies in 太原市: a city-wide request reaches its districts.
    expect(await eligible(provinceManager, {})).toEqual({ total: 5, names: ['awayEndedDayBefore', 'awayStartsDayAfter', 'eligible', 'inYingze', 'interestElsewhere'].sort() });
  });

  it('an unavailability ending on the day excludes; one starting the day after does not', async () => {
    const { names } = await eligible(provinceManager, {});
    expect(names).not.toContain('awayEndsOnDay');
    expect(names).not.toContain('awayStartsOnDay');
    expect(names).toContain('awayStartsDayAfter');
    expect(names).toContain('awayEndedDayBefore');
    expect((await eligible(provinceManager, { on: '2026-03-21' })).names).not.toContain('awayStartsDayAfter');
    expect((await eligible(provinceManager, { on: '2026-03-21' })).names).toContain('awayEndsOnDay');
  });

  it('without an avoid list, the tied experts come back', async () => {
    const { names } = await eligible(provinceManager, { avoidUscc: [] });
    expect(names).toEqual(expect.arrayContaining(['employedByBidder', 'relativeAtAgency', 'formerlyAtBidder']));
    expect((await eligible(provinceManager, { avoidUscc: [AGENCY.toLowerCase()] })).names).not.toContain('relativeAtAgency');
  });

  it('a category matches its leaves; a leaf only itself', async () => {
    expect((await eligible(provinceManager, { specialty: 'A' })).names).toContain('supervisionOnly');
    expect((await eligible(provinceManager, { specialty: 'A12' })).names).toEqual(['supervisionOnly']);
    expect((await eligible(provinceManager, { specialty: 'B' })).names).toEqual(['procurementOnly', 'supervisionOnly']);
  });

  it('a region matches its subtree: the province everyone, a district only its own', async () => {
    expect((await eligible(provinceManager, { regionCode: '140000' })).names).toEqual(expect.arrayContaining(['inDatong', 'inYingze', 'eligible']));
    expect((await eligible(provinceManager, { regionCode: '140106' })).names).toEqual(['inYingze']);
    expect((await eligible(provinceManager, { regionCode: '140200' })).names).toEqual(['inDatong']);
  });

  it("is cut to the caller's scope: a city asking province-wide sees its own city only", async () => {
    const city = await eligible(taiyuanManager, { regionCode: '140000' });
    expect(city.names).not.toContain('inDatong');
    expect(city.names).toContain('inYingze');
    expect((await eligible(taiyuanManager, { regionCode: '140200' })).total).toBe(0);
  });

  it('follows a change of specialties at once: the row’s copy of its codes is kept by the link table’s triggers', async () => {
    const id = await expert('changesSpecialty', provinceManager, { specialties: ['A02'] });
    expect((await eligible(provinceManager, { specialty: 'A02' })).names).toEqual(['changesSpecialty']);
    const res = await send('PATCH', `/api/v1/experts/${id}`, provinceManager, { version: 1, specialties: ['A03', 'B02'], primarySpecialty: 'B02' });
    expect(res.statusCode, res.body).toBe(200);
    expect((await eligible(provinceManager, { specialty: 'A02' })).names).toEqual([]);
    expect((await eligible(provinceManager, { specialty: 'A03' })).names).toEqual(['changesSpecialty']);
    expect((await eligible(provinceManager, { specialty: 'B' })).names).toContain('changesSpecialty');
    // An update of the link rows themselves (no code path does it today; the trigger covers it).
    await h.deps.db.updateTable('experts.expert_specialties').set({ code: 'A04' }).where('expert_id', '=', id).where('code', '=', 'A03').execute();
    expect((await eligible(provinceManager, { specialty: 'A03' })).names).toEqual([]);
    expect((await eligible(provinceManager, { specialty: 'A04' })).names).toEqual(['changesSpecialty']);
    const row = await h.deps.db.selectFrom('experts.experts').select(sql<string[]>`specialty_codes`.as('codes')).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.codes).toEqual(['A04', 'B02']);
  });

  it('counts every candidate while returning at most `limit`', async () => {
    const limited = await eligible(provinceManager, { limit: 2 });
    expect(limited.total).toBe(5);
    expect(limited.names).toHaveLength(2);
  });
});

describe('eligibility SQL against the rule', () => {
  it('answers exactly what isEligible answers, on a random pool and random requests', async () => {
    const tree = loadRegionTree();
    const table = loadSpecialtyTable();
    const leaves = table.specialties.filter((s) => table.isLeaf(s.code)).map((s) => s.code);
    const regions = tree.regions.filter((r) => r.level === 3 && ['140100', '140200', '140300'].includes(tree.cityOf(r.code)?.code ?? '')).map((r) => r.code);
    const days = ['2026-03-20', '2026-04-01', '2026-04-15'];
    const pool = buildPool(h.deps.keys.master, { count: 400, seed: 7, firstNumber: 10_000, regions, leaves: leaves.slice(0, 8), employers: 30, days, createdBy: null, now: h.clock.now() });
    await h.deps.db.transaction().execute((trx) => repo.insertExpertsBulk(trx, pool));

    // The whole pool as facts, straight from the tables.
    const rows = await h.deps.db.selectFrom('experts.experts').selectAll().execute();
    const parts = await repo.partsOf(h.deps.db, rows.map((r) => r.id));
    const facts = new Map<string, EligibilityFacts>(
      rows.map((r) => [
        r.id,
        {
          status: r.status,
          regionCode: r.region_code,
          employerUscc: r.employer_uscc,
          specialties: parts.specialties.filter((s) => s.expert_id === r.id).map((s) => s.code),
          relatedUscc: parts.relations.filter((x) => x.expert_id === r.id).map((x) => x.uscc),
          periods: parts.periods.filter((p) => p.expert_id === r.id).map((p) => ({ from: p.from_date, to: p.to_date })),
        },
      ]),
    );

    const rnd = seededRandom(11);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
    let answered = 0;
    for (let i = 0; i < 25; i++) {
      const specialty = rnd() < 0.3 ? 'A' : pick(leaves.slice(0, 8));
      const regionCode = pick(['140000', '140100', '140200', '140300', ...regions]);
      const avoid = Array.from({ length: Math.floor(rnd() * 6) }, () => usccFor(Math.floor(rnd() * 30)));
      const on = pick(days);
      const request = { specialtyLeaves: new Set(table.leavesUnder(specialty)), regions: new Set(tree.subtree(regionCode)), avoid: new Set(avoid), on };
      const expected = [...facts].filter(([, f]) => isEligible(f, request)).map(([id]) => id).sort();
      const got = await findEligibleExperts(h.deps, { specialty, regionCode, avoidUscc: avoid, on });
      expect(got.candidates.map((c) => c.id).sort(), JSON.stringify({ specialty, regionCode, avoid, on })).toEqual(expected);
      expect(got.total).toBe(expected.length);
      if (expected.length > 0) answered++;
    }
    // Most requests must find someone, or the comparison proves little.
    expect(answered).toBeGreaterThan(15);
  });
});
