import { describe, expect, it } from 'vitest';
import {
  canChangeStatus,
  chinaDate,
  ineligibility,
  isAvoided,
  isCalendarDate,
  isEligible,
  isUnavailableOn,
  periodCovers,
  periodsOverlap,
  SpecialtyTable,
  statusNeedsReason,
  type EligibilityFacts,
  type EligibilityRequest,
} from './experts.rules.ts';
import { loadSpecialtyTable } from './experts.specialties.ts';

describe('unavailability periods (both ends inclusive)', () => {
  const p = { from: '2026-03-10', to: '2026-03-12' };

  it('covers the day it starts and the day it ends', () => {
    expect(periodCovers(p, '2026-03-10')).toBe(true);
    expect(periodCovers(p, '2026-03-12')).toBe(true);
  });
  it('does not cover the day before it starts or the day after it ends', () => {
    expect(periodCovers(p, '2026-03-09')).toBe(false);
    expect(periodCovers(p, '2026-03-13')).toBe(false);
  });
  it('an expert whose period ends on the evaluation day is unavailable that day', () => {
    expect(isUnavailableOn([{ from: '2026-03-01', to: '2026-03-20' }], '2026-03-20')).toBe(true);
  });
  it('an expert whose period starts the day after the evaluation is available', () => {
    expect(isUnavailableOn([{ from: '2026-03-21', to: '2026-03-31' }], '2026-03-20')).toBe(false);
  });
  it('a one-day period covers exactly that day; several periods are each checked', () => {
    expect(isUnavailableOn([{ from: '2026-03-20', to: '2026-03-20' }], '2026-03-20')).toBe(true);
    expect(isUnavailableOn([{ from: '2026-01-01', to: '2026-01-02' }, { from: '2026-03-19', to: '2026-03-21' }], '2026-03-20')).toBe(true);
    expect(isUnavailableOn([], '2026-03-20')).toBe(false);
  });
  it('compares across month and year ends as calendar dates', () => {
    expect(periodCovers({ from: '2025-12-31', to: '2026-01-01' }, '2026-01-01')).toBe(true);
    expect(periodCovers({ from: '2026-02-28', to: '2026-03-01' }, '2026-02-27')).toBe(false);
  });
  it('overlap: touching on one day overlaps, adjacent days do not', () => {
    expect(periodsOverlap({ from: '2026-03-01', to: '2026-03-10' }, { from: '2026-03-10', to: '2026-03-15' })).toBe(true);
    expect(periodsOverlap({ from: '2026-03-01', to: '2026-03-10' }, { from: '2026-03-11', to: '2026-03-15' })).toBe(false);
    expect(periodsOverlap({ from: '2026-03-05', to: '2026-03-06' }, { from: '2026-03-01', to: '2026-03-31' })).toBe(true);
  });
});

describe('calendar days in China Standard Time', () => {
  it('decides the day in UTC+8: 15:59:59Z is still the same day, 16:00Z is the next', () => {
    expect(chinaDate(new Date('2026-03-09T15:59:59.999Z'))).toBe('2026-03-09');
    expect(chinaDate(new Date('2026-03-09T16:00:00.000Z'))).toBe('2026-03-10');
  });
  it('accepts real days only', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2026-3-1')).toBe(false);
  });
});

describe('specialty code table', () => {
  const table = new SpecialtyTable(
    [
      { code: 'A', name: '工程建设类', parentCode: null },
      { code: 'A01', name: '建筑工程施工', parentCode: 'A' },
      { code: 'A02', name: '市政公用工程', parentCode: 'A' },
      { code: 'B', name: '政府采购类', parentCode: null },
      { code: 'B01', name: '信息技术设备', parentCode: 'B' },
    ],
    'test',
  );

  it('a category matches each of its leaves, a leaf only itself', () => {
    expect(table.leavesUnder('A')).toEqual(['A01', 'A02']);
    expect(table.leavesUnder('A01')).toEqual(['A01']);
    expect(table.leavesUnder('Z')).toEqual([]);
    expect(table.matches(['B01', 'A02'], 'A')).toBe(true);
    expect(table.matches(['B01'], 'A')).toBe(false);
    expect(table.matches(['A01'], 'A02')).toBe(false);
  });
  it('knows leaves from categories', () => {
    expect(table.isLeaf('A01')).toBe(true);
    expect(table.isLeaf('A')).toBe(false);
    expect(table.isLeaf('Z99')).toBe(false);
  });
  it('refuses a table whose leaf names an unknown category', () => {
    expect(() => new SpecialtyTable([{ code: 'A01', name: 'x', parentCode: 'A' }], 't')).toThrow(/unknown parent/);
  });
  it('the shipped table: two levels, about 40 leaves, codes unique and well formed, a version', () => {
    const shipped = loadSpecialtyTable();
    const codes = shipped.specialties.map((s) => s.code);
    expect(new Set(codes).size).toBe(codes.length);
    const leaves = shipped.specialties.filter((s) => shipped.isLeaf(s.code));
    expect(leaves.length).toBeGreaterThanOrEqual(40);
    for (const s of shipped.specialties) {
      expect(s.code).toMatch(s.parentCode ? /^[A-Z][0-9]{2}$/ : /^[A-Z]$/);
      if (s.parentCode) expect(s.code.startsWith(s.parentCode)).toBe(true);
      expect(s.name).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(shipped.version).toMatch(/\d/);
    expect(shipped.get('A01')?.name).toBe('建筑工程施工');
  });
});

describe('status', () => {
  it('removal is final; suspension can be lifted', () => {
    expect(canChangeStatus('active', 'suspended')).toBe(true);
    expect(canChangeStatus('suspended', 'active')).toBe(true);
    expect(canChangeStatus('suspended', 'removed')).toBe(true);
    expect(canChangeStatus('removed', 'active')).toBe(false);
    expect(canChangeStatus('removed', 'suspended')).toBe(false);
    expect(canChangeStatus('removed', 'removed')).toBe(true);
  });
  it('suspension and removal need a reason', () => {
    expect(statusNeedsReason('active')).toBe(false);
    expect(statusNeedsReason('suspended')).toBe(true);
    expect(statusNeedsReason('removed')).toBe(true);
  });
});

describe('avoidance and eligibility', () => {
  const EMPLOYER = '91350100M000100Y43';
  const BIDDER = '91110000600037341L';
  const OTHER = '91140100MA0K123488';
  const expert: EligibilityFacts = { status: 'active', regionCode: '140105', specialties: ['A01'], employerUscc: EMPLOYER, relatedUscc: [], periods: [] };
  const request: EligibilityRequest = { specialtyLeaves: new Set(['A01', 'A02']), regions: new Set(['140100', '140105']), avoid: new Set([BIDDER]), on: '2026-03-20' };

  it('avoids by employer and by any declared relation', () => {
    expect(isAvoided({ employerUscc: BIDDER, relatedUscc: [] }, new Set([BIDDER]))).toBe(true);
    expect(isAvoided({ employerUscc: EMPLOYER, relatedUscc: [OTHER, BIDDER] }, new Set([BIDDER]))).toBe(true);
    expect(isAvoided({ employerUscc: EMPLOYER, relatedUscc: [OTHER] }, new Set([BIDDER]))).toBe(false);
    expect(isAvoided({ employerUscc: EMPLOYER, relatedUscc: [] }, new Set())).toBe(false);
  });
  it('an active expert of the specialty in the region, free and untied, is eligible', () => {
    expect(isEligible(expert, request)).toBe(true);
  });
  it('names the first reason an expert is not eligible', () => {
    expect(ineligibility({ ...expert, status: 'suspended' }, request)).toBe('status');
    expect(ineligibility({ ...expert, status: 'removed' }, request)).toBe('status');
    expect(ineligibility({ ...expert, regionCode: '140202' }, request)).toBe('region');
    expect(ineligibility({ ...expert, specialties: ['B01'] }, request)).toBe('specialty');
    expect(ineligibility({ ...expert, employerUscc: BIDDER }, request)).toBe('avoided');
    expect(ineligibility({ ...expert, relatedUscc: [BIDDER] }, request)).toBe('avoided');
    expect(ineligibility({ ...expert, periods: [{ from: '2026-03-18', to: '2026-03-20' }] }, request)).toBe('unavailable');
    expect(ineligibility({ ...expert, periods: [{ from: '2026-03-21', to: '2026-03-22' }] }, request)).toBeNull();
  });
});
