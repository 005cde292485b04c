// Test helpers of the panel draw tests (not a test file itself): experts inserted in bulk with
// exactly the facts a case needs, deal codes, a service-level actor, and a ban on an expert.

import crypto from 'node:crypto';
import type { Principal } from '../../platform/auth/principal.ts';
import { blindIndex, sealSm4 } from '../../platform/crypto/sm4.ts';
import { maskIdNumber, maskPhone } from '../../platform/validation/ids.ts';
import type { Permission } from '../org/org.permissions.ts';
import type { DataScope } from '../org/org.tables.ts';
import { cliAuditContext } from '../identity/identity.bootstrap.ts';
import { createRecordDirect } from '../credit/credit.service.ts';
import type { Harness } from '../../../test/support/harness.ts';
import type { Actor } from './experts.draw.ts';
import { idNumberFor, usccFor } from './experts.fixtures.ts';
import * as repo from './experts.repository.ts';
import type { ExpertStatus } from './experts.rules.ts';

export interface ExpertSpec {
  regionCode?: string;
  specialties?: string[];
  employerUscc?: string;
  employerName?: string;
  status?: ExpertStatus;
  /** USCCs of declared relations (kind `relative`). */
  relations?: string[];
  away?: { from: string; to: string };
}

let counter = 0;

/** Inserts `n` experts with `spec`; their ids and ID numbers, in insertion order. */
export async function addExperts(h: Harness, n: number, spec: ExpertSpec = {}): Promise<{ id: string; idNumber: string }[]> {
  const now = h.clock.now();
  const key = h.deps.keys.master;
  const out: { id: string; idNumber: string }[] = [];
  const pool: Parameters<typeof repo.insertExpertsBulk>[1] = { experts: [], specialties: [], relations: [], periods: [] };
  for (let i = 0; i < n; i++) {
    const k = 50_000 + counter++;
    const id = crypto.randomUUID();
    const idNumber = idNumberFor(k);
    const phone = `137${String(k).padStart(8, '0')}`;
    const status = spec.status ?? 'active';
    pool.experts.push({
      id,
      name: `专家${k}`,
      id_number_enc: sealSm4(key, idNumber, `experts:${id}:id_number`),
      id_number_index: blindIndex(key, idNumber, 'experts.expert.id_number'),
      id_number_masked: maskIdNumber(idNumber),
      gender: Number(idNumber[16]) % 2 === 1 ? 'male' : 'female',
      birth_date: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
      phone_enc: sealSm4(key, phone, `experts:${id}:phone`),
      phone_masked: maskPhone(phone),
      region_code: spec.regionCode ?? '140105',
      employer_name: spec.employerName ?? `山西某工程咨询有限公司${k}`,
      employer_uscc: spec.employerUscc ?? usccFor(k),
      titles: ['高级工程师'],
      status,
      status_reason: status === 'active' ? null : '测试',
      created_by: null,
      created_at: now,
      updated_at: now,
    });
    (spec.specialties ?? ['A01']).forEach((code, j) => pool.specialties.push({ code, expert_id: id, is_primary: j === 0 }));
    for (const uscc of spec.relations ?? []) pool.relations.push({ id: crypto.randomUUID(), expert_id: id, uscc, kind: 'relative', note: '', declared_on: '2026-01-01', created_by: null, created_at: now });
    if (spec.away) pool.periods.push({ id: crypto.randomUUID(), expert_id: id, from_date: spec.away.from, to_date: spec.away.to, reason: '出差', created_by: null, created_at: now });
    out.push({ id, idNumber });
  }
  await h.deps.db.transaction().execute((trx) => repo.insertExpertsBulk(trx, pool));
  return out;
}

/** A 33-character deal code (format only; the coding module owns the check character). */
export function dealCode(n: number): string {
  return `91140100MA0K123488202603${String(n).padStart(8, '0')}0`;
}

/** An actor for calling the service directly, holding `grants` (stage active). */
export function serviceActor(h: Harness, grants: Partial<Record<Permission, DataScope>>, regionCode = '140000'): Actor {
  const principal: Principal = {
    accountId: crypto.randomUUID(),
    username: 'draw-test',
    displayName: 'draw-test',
    organisationId: crypto.randomUUID(),
    entityId: null,
    expertId: null,
    regionCode,
    sessionId: crypto.randomUUID(),
    stage: 'active',
    grants: new Map(Object.entries(grants) as [Permission, DataScope][]),
    adminClass: null,
    via: 'bearer',
    organisationName: '测试交易中心',
    roles: [],
    mfaEnabled: true,
    passwordChangedAt: h.clock.now(),
    homeNode: null,
  };
  return { principal, clientIp: '127.0.0.1', requestId: crypto.randomUUID(), userAgent: null, now: h.clock.now() };
}

/** A construction ban on the person with this ID number, province-wide, both days inclusive. */
export async function banExpert(h: Harness, idNumber: string, from: string, to: string): Promise<void> {
  await createRecordDirect(
    h.deps,
    {
      subjectKind: 'person',
      idNumber,
      subjectName: '某专家',
      role: 'expert',
      type: 'violation',
      severity: 'ordinary',
      title: '评标中未按招标文件规定的标准评审',
      facts: '在某项目评标中违规打分。',
      legalBasis: '《中华人民共和国招标投标法实施条例》第七十一条',
      sourceDepartment: '山西省发展和改革委员会',
      regionCode: '140000',
      decisionNumber: `晋发改罚〔2026〕${crypto.randomInt(1, 1e9)}号`,
      decisionDate: '2026-03-01',
      effectiveFrom: '2026-03-01',
      ban: { categories: ['construction'], regionCode: '140000', from, to },
    },
    cliAuditContext(h.clock.now(), 'test'),
  );
}
