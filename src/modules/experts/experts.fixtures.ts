// Data builders for the expert pool's tests and benchmark: valid ID numbers and USCCs made from
// a counter (check digits computed), and a reproducible random pool of expert rows ready for
// repo.insertExpertsBulk. Not used by the application.

import crypto from 'node:crypto';
import { blindIndex, sealSm4 } from '../../platform/crypto/sm4.ts';
import { maskIdNumber, maskPhone } from '../../platform/validation/ids.ts';
import type { ExpertInsert, PeriodRow, RelationRow, SpecialtyLink } from './experts.repository.ts';
import type { ExpertStatus, RelationKind } from './experts.rules.ts';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** The n-th valid GB 11643 number: birth dates step from 1960-01-01 every 1,000 numbers. */
export function idNumberFor(n: number, regionCode = '140105'): string {
  const birth = new Date(Date.UTC(1960, 0, 1) + Math.floor(n / 1000) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const body = `${regionCode}${birth}${String(n % 1000).padStart(3, '0')}`;
  const sum = [...body].reduce((s, c, i) => s + Number(c) * ID_WEIGHTS[i]!, 0);
  return body + '10X98765432'[sum % 11]!;
}

/** The n-th valid USCC (a Shanxi-registered enterprise), both check characters computed. */
export function usccFor(n: number): string {
  const org8 = String(n).padStart(8, '0');
  const orgSum = [...org8].reduce((s, c, i) => s + parseInt(c, 36) * ORG_WEIGHTS[i]!, 0);
  const orgCheck = 11 - (orgSum % 11);
  const first17 = `91140100${org8}${orgCheck === 10 ? 'X' : orgCheck === 11 ? '0' : String(orgCheck)}`;
  const sum = [...first17].reduce((s, c, i) => s + USCC_ALPHABET.indexOf(c) * USCC_WEIGHTS[i]!, 0);
  return first17 + USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** A small seeded PRNG (mulberry32), so a failing random case can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PoolOptions {
  count: number;
  seed: number;
  /** Numbering offset of ID numbers, so two pools in one database do not collide. */
  firstNumber?: number;
  regions: readonly string[];
  leaves: readonly string[];
  /** How many distinct employer entities (usccFor(0 … n-1)). */
  employers: number;
  /** Evaluation days the periods are spread around. */
  days: readonly string[];
  createdBy: string | null;
  now: Date;
}

export interface Pool {
  experts: ExpertInsert[];
  specialties: SpecialtyLink[];
  relations: RelationRow[];
  periods: PeriodRow[];
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Rows of a random pool: ~90% active, 1–3 specialties, ~30% with relations, ~15% with a period. */
export function buildPool(masterKey: Uint8Array, o: PoolOptions): Pool {
  const rnd = seededRandom(o.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const pool: Pool = { experts: [], specialties: [], relations: [], periods: [] };
  const statuses: ExpertStatus[] = ['active', 'suspended', 'removed'];
  const kinds: RelationKind[] = ['relative', 'interest', 'former_employer'];
  for (let i = 0; i < o.count; i++) {
    const n = (o.firstNumber ?? 0) + i;
    const id = crypto.randomUUID();
    const idNumber = idNumberFor(n);
    const phone = `139${String(n).padStart(8, '0')}`;
    const r = rnd();
    const status = r < 0.9 ? statuses[0]! : r < 0.97 ? statuses[1]! : statuses[2]!;
    pool.experts.push({
      id,
      name: `专家${n}`,
      id_number_enc: sealSm4(masterKey, idNumber, `experts:${id}:id_number`),
      id_number_index: blindIndex(masterKey, idNumber, 'experts.expert.id_number'),
      id_number_masked: maskIdNumber(idNumber),
      gender: Number(idNumber[16]) % 2 === 1 ? 'male' : 'female',
      birth_date: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
      phone_enc: sealSm4(masterKey, phone, `experts:${id}:phone`),
      phone_masked: maskPhone(phone),
      region_code: pick(o.regions),
      employer_name: `山西某单位${n % o.employers}`,
      employer_uscc: usccFor(Math.floor(rnd() * o.employers)),
      titles: ['高级工程师'],
      status,
      status_reason: status === 'active' ? null : '测试',
      created_by: o.createdBy,
      created_at: o.now,
      updated_at: o.now,
    });
    const codes = new Set<string>();
    const howMany = 1 + Math.floor(rnd() * 3);
    while (codes.size < howMany) codes.add(pick(o.leaves));
    [...codes].forEach((code, k) => pool.specialties.push({ code, expert_id: id, is_primary: k === 0 }));
    if (rnd() < 0.3) {
      const related = new Set<string>();
      const links = 1 + Math.floor(rnd() * 2);
      while (related.size < links) related.add(usccFor(Math.floor(rnd() * o.employers)));
      for (const uscc of related) {
        pool.relations.push({ id: crypto.randomUUID(), expert_id: id, uscc, kind: pick(kinds), note: '', declared_on: '2025-12-01', created_by: o.createdBy, created_at: o.now });
      }
    }
    if (rnd() < 0.15) {
      const from = addDays(pick(o.days), Math.floor(rnd() * 7) - 4);
      pool.periods.push({ id: crypto.randomUUID(), expert_id: id, from_date: from, to_date: addDays(from, Math.floor(rnd() * 4)), reason: '出差', created_by: o.createdBy, created_at: o.now });
    }
  }
  return pool;
}
