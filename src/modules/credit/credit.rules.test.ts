// The numbered credit rules at their boundary days (the day before, the day, the day after), and
// the score at the grade boundaries.

import { describe, expect, it } from 'vitest';
import {
  addMonths,
  banBlocks,
  chinaDate,
  decideDisclosure,
  DEFAULT_RULES,
  disclosureLastDay,
  gradeOf,
  isDisclosed,
  objectionDueDay,
  objectionLastDay,
  objectionOverdue,
  repairEligibility,
  scoreOf,
  type RepairFacts,
  type ScoredRecord,
} from './credit.rules.ts';

const within = (code: string, root: string) => code === root || (root.endsWith('0000') ? code.startsWith(root.slice(0, 2)) : root.endsWith('00') ? code.startsWith(root.slice(0, 4)) : false);

describe('calendar', () => {
  it('decides the day in China Standard Time whatever the instant', () => {
    expect(chinaDate(new Date('2026-02-28T15:59:59.999Z'))).toBe('2026-02-28');
    expect(chinaDate(new Date('2026-02-28T16:00:00.000Z'))).toBe('2026-03-01');
  });

  it('adds months, falling on the last day of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-03-01', 12)).toBe('2027-03-01');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
  });
});

describe('disclosure', () => {
  it('defaults by severity: minor unpublished, ordinary 1 year, serious 3 years', () => {
    expect(decideDisclosure('minor', undefined, undefined)).toEqual({ ok: true, months: null });
    expect(decideDisclosure('minor', true, undefined)).toEqual({ ok: true, months: 3 });
    expect(decideDisclosure('ordinary', undefined, undefined)).toEqual({ ok: true, months: 12 });
    expect(decideDisclosure('serious', undefined, undefined)).toEqual({ ok: true, months: 36 });
  });

  it('keeps each severity inside its range (boundaries accepted, one beyond refused)', () => {
    const cases: [Parameters<typeof decideDisclosure>[0], number, boolean][] = [
      ['minor', 3, true],
      ['minor', 4, false],
      ['ordinary', 2, false],
      ['ordinary', 3, true],
      ['ordinary', 12, true],
      ['ordinary', 13, false],
      ['serious', 11, false],
      ['serious', 12, true],
      ['serious', 36, true],
      ['serious', 37, false],
    ];
    for (const [severity, months, ok] of cases) expect(decideDisclosure(severity, severity === 'minor' ? true : undefined, months).ok, `${severity} ${months}`).toBe(ok);
    expect(decideDisclosure('minor', false, 2)).toMatchObject({ ok: false, rule: 'not_published' });
  });

  it('starts on the decision date and ends the day before the same date N months later', () => {
    const last = disclosureLastDay('2026-03-01', 12);
    expect(last).toBe('2027-02-28');
    const r = { status: 'effective' as const, decisionDate: '2026-03-01', disclosureTo: last };
    expect(isDisclosed(r, '2026-02-28')).toBe(false);
    expect(isDisclosed(r, '2026-03-01')).toBe(true);
    expect(isDisclosed(r, '2027-02-28')).toBe(true);
    expect(isDisclosed(r, '2027-03-01')).toBe(false);
    expect(isDisclosed({ ...r, status: 'repaired' }, '2026-06-01')).toBe(false);
    expect(isDisclosed({ ...r, status: 'revoked' }, '2026-06-01')).toBe(false);
    expect(isDisclosed({ ...r, disclosureTo: null }, '2026-06-01')).toBe(false);
  });
});

describe('bans', () => {
  const ban = { status: 'effective' as const, categories: ['government_procurement'], regionCode: '140100', from: '2026-03-01', to: '2027-02-28' };

  it('blocks on the first and the last day, not the day before or after', () => {
    expect(banBlocks(ban, 'government_procurement', '140105', '2026-02-28', within)).toBe(false);
    expect(banBlocks(ban, 'government_procurement', '140105', '2026-03-01', within)).toBe(true);
    expect(banBlocks(ban, 'government_procurement', '140105', '2027-02-28', within)).toBe(true);
    expect(banBlocks(ban, 'government_procurement', '140105', '2027-03-01', within)).toBe(false);
  });

  it('covers its categories and its region subtree only; revoked and repaired never block', () => {
    expect(banBlocks(ban, 'construction', '140105', '2026-06-01', within)).toBe(false);
    expect(banBlocks(ban, 'government_procurement', '140213', '2026-06-01', within)).toBe(false);
    expect(banBlocks({ ...ban, categories: ['*'] }, 'land', '140100', '2026-06-01', within)).toBe(true);
    expect(banBlocks({ ...ban, regionCode: '140000' }, 'government_procurement', '140213', '2026-06-01', within)).toBe(true);
    expect(banBlocks({ ...ban, status: 'under_objection' }, 'government_procurement', '140105', '2026-06-01', within)).toBe(true);
    expect(banBlocks({ ...ban, status: 'revoked' }, 'government_procurement', '140105', '2026-06-01', within)).toBe(false);
    expect(banBlocks({ ...ban, status: 'repaired' }, 'government_procurement', '140105', '2026-06-01', within)).toBe(false);
  });
});

describe('objections', () => {
  it('may be filed until 30 days after the decision (counted from the next day)', () => {
    expect(objectionLastDay('2026-03-01')).toBe('2026-03-31');
    expect(DEFAULT_RULES.objectionDays).toBe(30);
  });

  it('are due 15 days after filing and flagged overdue from the day after', () => {
    expect(objectionDueDay('2026-03-10')).toBe('2026-03-25');
    expect(objectionOverdue(true, '2026-03-10', '2026-03-25')).toBe(false);
    expect(objectionOverdue(true, '2026-03-10', '2026-03-26')).toBe(true);
    expect(objectionOverdue(false, '2026-03-10', '2026-04-26')).toBe(false);
  });
});

describe('repair', () => {
  const base: RepairFacts = { type: 'violation', severity: 'ordinary', status: 'effective', decisionDate: '2026-03-01', notRepairableReason: null };

  it('waits the minimum period per severity: ordinary 3 months, serious 1 year', () => {
    expect(repairEligibility(base, '2026-05-31')).toMatchObject({ ok: false, rule: 'min_period' });
    expect(repairEligibility(base, '2026-06-01')).toEqual({ ok: true });
    expect(repairEligibility({ ...base, severity: 'serious' }, '2027-02-28')).toMatchObject({ ok: false, rule: 'min_period' });
    expect(repairEligibility({ ...base, severity: 'serious' }, '2027-03-01')).toEqual({ ok: true });
    expect(repairEligibility({ ...base, severity: 'minor' }, '2026-03-01')).toEqual({ ok: true });
  });

  it('never repairs collusion or lent qualifications, nor twice, nor non-adverse records', () => {
    expect(repairEligibility({ ...base, notRepairableReason: 'collusion' }, '2030-01-01')).toMatchObject({ ok: false, rule: 'not_repairable' });
    expect(repairEligibility({ ...base, notRepairableReason: 'qualification_lending' }, '2030-01-01')).toMatchObject({ ok: false, rule: 'not_repairable' });
    expect(repairEligibility({ ...base, status: 'repaired' }, '2030-01-01')).toMatchObject({ ok: false, rule: 'already_repaired' });
    expect(repairEligibility({ ...base, status: 'under_objection' }, '2030-01-01')).toMatchObject({ ok: false, rule: 'status' });
    expect(repairEligibility({ ...base, type: 'reward', severity: null }, '2030-01-01')).toMatchObject({ ok: false, rule: 'not_adverse' });
  });
});

describe('score', () => {
  const rec = (over: Partial<ScoredRecord>): ScoredRecord => ({ id: 'r', type: 'violation', severity: 'ordinary', status: 'effective', decisionDate: '2026-03-01', months: 12, ...over });

  it('grades at the boundaries: A ≥ 90, B ≥ 75, C ≥ 60, else D', () => {
    expect(gradeOf(90)).toBe('A');
    expect(gradeOf(89.9)).toBe('B');
    expect(gradeOf(75)).toBe('B');
    expect(gradeOf(74.9)).toBe('C');
    expect(gradeOf(60)).toBe('C');
    expect(gradeOf(59.9)).toBe('D');
  });

  it('counts a record fully on its decision day, decays it linearly, and drops it when its period ends', () => {
    expect(scoreOf([rec({})], '2026-03-01')).toMatchObject({ score: 90, grade: 'A' });
    const half = scoreOf([rec({ months: 12, decisionDate: '2026-01-01' })], '2026-07-02');
    expect(half.score).toBeCloseTo(95, 0);
    expect(scoreOf([rec({})], '2027-02-28').explanation).toHaveLength(1);
    expect(scoreOf([rec({})], '2027-03-01')).toMatchObject({ score: 100, explanation: [] });
    expect(scoreOf([rec({})], '2026-02-28').score).toBe(100);
  });

  it('explains each contribution, ignores revoked and repaired records, clamps to 0–100', () => {
    const s = scoreOf([rec({ id: 'a', severity: 'serious', months: 36 }), rec({ id: 'b', type: 'reward', severity: null }), rec({ id: 'c', status: 'revoked' })], '2026-03-01');
    expect(s).toMatchObject({ score: 75, grade: 'B' });
    expect(s.explanation.map((e) => [e.recordId, e.contribution])).toEqual([
      ['a', -30],
      ['b', 5],
    ]);
    const many = Array.from({ length: 5 }, (_, i) => rec({ id: String(i), type: 'blacklist', severity: 'serious' }));
    expect(scoreOf(many, '2026-03-01')).toMatchObject({ score: 0, grade: 'D' });
    expect(scoreOf([rec({ type: 'reward', severity: null })], '2026-03-01').score).toBe(100);
  });
});
