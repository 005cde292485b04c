// Data builders for the credit tests and benchmark: request bodies, and a reproducible random set
// of record rows ready for repo.insertRecordsBulk. Not used by the application. Valid USCCs and
// ID numbers come from the expert pool's builders (test data only, no module dependency at run time).

import crypto from 'node:crypto';
import { blindIndex, sealSm4 } from '../../platform/crypto/sm4.ts';
import { maskIdNumber } from '../../platform/validation/ids.ts';
import { idNumberFor, seededRandom, usccFor } from '../experts/experts.fixtures.ts';
import type { RecordInsert } from './credit.repository.ts';
import { addDays, addMonths, disclosureLastDay, type RecordStatus, type RecordType, type Severity } from './credit.rules.ts';

export { idNumberFor, seededRandom, usccFor };

const DIGEST = 'a'.repeat(64);

/** A valid organisation violation with a one-year procurement ban in 太原市; override anything. */
export function recordBody(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    subjectKind: 'organisation',
    uscc: usccFor(n),
    subjectName: `山西某建设有限公司${n}`,
    role: 'bidder',
    type: 'violation',
    severity: 'ordinary',
    title: '提供虚假材料谋取中标',
    facts: '在某项目投标中提供虚假业绩证明。',
    legalBasis: '《中华人民共和国招标投标法》第五十四条',
    sourceDepartment: '太原市住房和城乡建设局',
    regionCode: '140100',
    decisionNumber: `并建罚〔2026〕${n}号`,
    decisionDate: '2026-03-01',
    evidence: [{ name: '行政处罚决定书.pdf', sm3Digest: DIGEST, size: 102400 }],
    effectiveFrom: '2026-03-01',
    ...overrides,
  };
}

export const BAN_PROCUREMENT_TAIYUAN = { categories: ['government_procurement'], regionCode: '140100', from: '2026-03-01', to: '2027-02-28' };

export interface BulkOptions {
  count: number;
  seed: number;
  /** Distinct subjects (usccFor / idNumberFor 0 … n-1); ~10% are persons. */
  subjects: number;
  regions: readonly string[];
  createdBy: string | null;
  now: Date;
}

/** Random records: all types, ~60% adverse, half of those with a ban of 1–3 years, ~10% revoked or repaired. */
export function buildRecords(masterKey: Uint8Array, o: BulkOptions): RecordInsert[] {
  const rnd = seededRandom(o.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const types: RecordType[] = ['violation', 'violation', 'violation', 'blacklist', 'reward', 'performance', 'social'];
  const severities: Severity[] = ['minor', 'ordinary', 'serious'];
  const categories = ['construction', 'government_procurement', 'land', 'mineral', 'state_property', 'other', '*'];
  const out: RecordInsert[] = [];
  for (let i = 0; i < o.count; i++) {
    const s = Math.floor(rnd() * o.subjects);
    const person = s % 10 === 9;
    const idNumber = person ? idNumberFor(s) : null;
    const id = crypto.randomUUID();
    const type = pick(types);
    const adverse = type === 'violation' || type === 'blacklist';
    const severity = adverse ? pick(severities) : null;
    const decision = addDays('2023-01-01', Math.floor(rnd() * 1200));
    const banned = adverse && (type === 'blacklist' || rnd() < 0.5);
    const region = pick(o.regions);
    const months = severity === 'minor' ? null : severity === 'serious' ? 36 : 12;
    const r = rnd();
    const status: RecordStatus = r < 0.05 ? 'revoked' : r < 0.1 && adverse ? 'repaired' : 'effective';
    out.push({
      id,
      subject_kind: person ? 'person' : 'organisation',
      subject_key: idNumber ? blindIndex(masterKey, idNumber, 'credit.subject.id_number') : usccFor(s),
      subject_name: person ? `自然人${s}` : `企业${s}`,
      id_number_enc: idNumber ? sealSm4(masterKey, idNumber, `credit:${id}:id_number`) : null,
      id_number_masked: idNumber ? maskIdNumber(idNumber) : null,
      participant_role: person ? 'staff' : 'bidder',
      type,
      severity,
      title: `信用记录 ${i}`,
      facts: '测试数据',
      legal_basis: '测试依据',
      source_department: '测试部门',
      region_code: region,
      decision_number: `测试〔${i}〕号`,
      decision_date: decision,
      evidence: '[]',
      effective_from: decision,
      effective_to: null,
      status,
      disclosure_months: months,
      disclosure_to: months === null ? null : disclosureLastDay(decision, months),
      ban_categories: banned ? [pick(categories)] : null,
      ban_region_code: banned ? (rnd() < 0.3 ? '140000' : region) : null,
      ban_from: banned ? decision : null,
      ban_to: banned ? addDays(addMonths(decision, 12 * (1 + Math.floor(rnd() * 3))), -1) : null,
      not_repairable_reason: null,
      created_by: o.createdBy,
      created_at: o.now,
      updated_at: o.now,
    });
  }
  return out;
}
