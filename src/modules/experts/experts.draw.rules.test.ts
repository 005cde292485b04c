// The panel draw's pure rules at their boundaries: committee size and parity, the 2/3 share with
// the tenderer's representatives, reserves; the exclusion order; the documented selection.

import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSm3 } from '../../platform/crypto/sm3.ts';
import {
  DEFAULT_PANEL_RULES,
  drawOrder,
  exclusionOf,
  nextReserve,
  panelComplete,
  panelShapeErrors,
  seatCounts,
  selectPanel,
  shortfalls,
  topUpNeeds,
  type CandidateFacts,
  type SeatMember,
} from './experts.draw.rules.ts';

const rulesOf = (experts: number, tendererRepresentatives = 0, reserves = 2) => panelShapeErrors({ experts, tendererRepresentatives, reserves }).map((e) => `${e.field}:${e.rule}`);

describe('committee shape', () => {
  it('needs at least 5 members and an odd number', () => {
    expect(rulesOf(4)).toEqual(['needs:min_committee', 'needs:odd_committee']);
    expect(rulesOf(5)).toEqual([]);
    expect(rulesOf(6)).toEqual(['needs:odd_committee']);
    expect(rulesOf(7)).toEqual([]);
    expect(rulesOf(3)).toEqual(['needs:min_committee']);
  });

  it('drawn experts at least 2/3 of the committee, representatives included: 6 of 9 passes, 5 of 8 and 4 of 7 do not', () => {
    expect(rulesOf(5, 2)).toEqual([]); // 5 of 7
    expect(rulesOf(4, 3)).toEqual(['tendererRepresentatives:expert_share']); // 4 of 7
    expect(rulesOf(6, 3)).toEqual([]); // exactly 2/3
    expect(rulesOf(5, 4)).toEqual(['tendererRepresentatives:expert_share']); // 5 of 9
    expect(rulesOf(4, 1)).toEqual([]); // 4 of 5 = 0.8
    expect(rulesOf(3, 2)).toEqual(['tendererRepresentatives:expert_share']); // 3 of 5
  });

  it('at least one reserve per specialty; the default is two', () => {
    expect(rulesOf(5, 0, 0)).toEqual(['reserves:min_reserves']);
    expect(rulesOf(5, 0, 1)).toEqual([]);
    expect(DEFAULT_PANEL_RULES.defaultReserves).toBe(2);
  });

  it('follows the configuration: a 3-member committee where the rules allow it', () => {
    const rules = { ...DEFAULT_PANEL_RULES, minCommittee: 3 };
    expect(panelShapeErrors({ experts: 3, tendererRepresentatives: 0, reserves: 1 }, rules)).toEqual([]);
    expect(panelShapeErrors({ experts: 2, tendererRepresentatives: 0, reserves: 1 }, rules).map((e) => e.rule)).toEqual(['min_committee', 'odd_committee']);
  });

  it('messages are Chinese', () => {
    for (const e of panelShapeErrors({ experts: 2, tendererRepresentatives: 2, reserves: 0 })) expect(e.message).toMatch(/[\u4e00-\u9fa5]/);
  });
});

describe('exclusion order', () => {
  const BIDDER = '91350100M000100Y43';
  const base: CandidateFacts = { id: 'e1', status: 'active', employerUscc: '91110000600037341L', employerName: '某设计院', relatedAvoided: [], unavailable: false };
  const avoid = { usccs: new Set([BIDDER]), supervisingDepartment: { name: '太原市 住房和城乡建设局', uscc: '11100000000013127D' }, alreadyInDraw: new Set<string>() };

  it('names each reason, the first that applies', () => {
    expect(exclusionOf(base, avoid)).toBeNull();
    expect(exclusionOf({ ...base, status: 'suspended' }, avoid)).toBe('inactive');
    expect(exclusionOf({ ...base, status: 'removed', employerUscc: BIDDER }, avoid)).toBe('inactive');
    expect(exclusionOf({ ...base, employerUscc: BIDDER, unavailable: true }, avoid)).toBe('employer_avoided');
    expect(exclusionOf({ ...base, relatedAvoided: [BIDDER] }, avoid)).toBe('relation_avoided');
    expect(exclusionOf({ ...base, employerUscc: '11100000000013127D' }, avoid)).toBe('supervising_department');
    expect(exclusionOf({ ...base, employerName: '太原市住房和城乡建设局' }, avoid)).toBe('supervising_department');
    expect(exclusionOf({ ...base, unavailable: true }, avoid)).toBe('unavailable');
    expect(exclusionOf(base, { ...avoid, alreadyInDraw: new Set(['e1']) })).toBe('already_in_draw');
  });

  it('a department named only by its name still matches; an unrelated name does not', () => {
    const byName = { ...avoid, supervisingDepartment: { name: '太原市水务局', uscc: null } };
    expect(exclusionOf({ ...base, employerName: '太原市水务局' }, byName)).toBe('supervising_department');
    expect(exclusionOf({ ...base, employerName: '太原市水务局设计院' }, byName)).toBeNull();
  });
});

describe('selection', () => {
  const ids = Array.from({ length: 30 }, () => crypto.randomUUID()).sort();
  const seed = crypto.randomBytes(32).toString('hex');

  it('orders by HMAC-SM3(seed, id), as documented', () => {
    const expected = [...ids].sort((a, b) => Buffer.compare(hmacSm3(Buffer.from(seed, 'hex'), a), hmacSm3(Buffer.from(seed, 'hex'), b)));
    expect(drawOrder(seed, ids)).toEqual(expected);
  });

  it('is a function of the seed and the list: same inputs, same panel; another seed, another order', () => {
    const pools = [{ specialtyCode: 'A01', count: 5, eligible: ids }];
    expect(selectPanel(seed, pools, 2)).toEqual(selectPanel(seed, pools, 2));
    expect(drawOrder(crypto.randomBytes(32).toString('hex'), ids)).not.toEqual(drawOrder(seed, ids));
  });

  it('takes members then reserves in order, and an expert of two specialties once', () => {
    const shared = ids.slice(0, 10);
    const pools = [
      { specialtyCode: 'A01', count: 3, eligible: shared },
      { specialtyCode: 'A13', count: 2, eligible: shared },
    ];
    const [a, b] = selectPanel(seed, pools, 2);
    const order = drawOrder(seed, shared);
    expect(a!.members).toEqual(order.slice(0, 3));
    expect(b!.members).toEqual(order.slice(3, 5));
    expect(a!.reserves).toEqual(order.slice(5, 7));
    expect(b!.reserves).toEqual(order.slice(7, 9));
    const all = [...a!.members, ...a!.reserves, ...b!.members, ...b!.reserves];
    expect(new Set(all).size).toBe(all.length);
  });

  it('reports a need the pool cannot fill, with the number eligible', () => {
    const pools = [{ specialtyCode: 'A01', count: 5, eligible: ids.slice(0, 6) }];
    expect(shortfalls(pools, selectPanel(seed, pools, 2), 2)).toEqual([{ specialtyCode: 'A01', wanted: 7, eligible: 6, got: 6 }]);
    expect(shortfalls(pools, selectPanel(seed, pools, 1), 1)).toEqual([]);
  });
});

describe('seats', () => {
  const m = (expertId: string, kind: 'member' | 'reserve', rank: number, state: SeatMember['state'], round = 0): SeatMember => ({ expertId, specialtyCode: 'A01', round, kind, rank, state });

  it('calls the earliest round’s lowest-ranked reserve next', () => {
    const members = [m('r2', 'reserve', 2, 'standby'), m('t1', 'reserve', 1, 'standby', 1), m('r1', 'reserve', 1, 'declined'), m('r3', 'reserve', 3, 'standby')];
    expect(nextReserve(members, 'A01')?.expertId).toBe('r2');
    expect(nextReserve(members, 'A13')).toBeUndefined();
  });

  it('counts open seats, asks for a top-up only without reserves, completes when all accepted', () => {
    const needs = [{ specialtyCode: 'A01', count: 2 }];
    const declinedWithReserve = [m('a', 'member', 1, 'accepted'), m('b', 'member', 2, 'declined'), m('c', 'reserve', 1, 'standby')];
    expect(seatCounts(needs, declinedWithReserve)[0]).toMatchObject({ accepted: 1, pending: 0, standby: 1, open: 1 });
    expect(topUpNeeds(seatCounts(needs, declinedWithReserve))).toEqual([]);
    const exhausted = [m('a', 'member', 1, 'accepted'), m('b', 'member', 2, 'declined'), m('c', 'reserve', 1, 'unreachable')];
    expect(topUpNeeds(seatCounts(needs, exhausted))).toEqual([{ specialtyCode: 'A01', count: 1 }]);
    expect(panelComplete(seatCounts(needs, exhausted))).toBe(false);
    expect(panelComplete(seatCounts(needs, [m('a', 'member', 1, 'accepted'), m('c', 'reserve', 1, 'accepted')]))).toBe(true);
  });
});
