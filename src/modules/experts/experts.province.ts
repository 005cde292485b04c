// The expert pool is the province's (ARCHITECTURE.md: cities read the province's shared
// registries — entities, credit, experts). This is a city node's side; experts.federation.ts is
// the province's. On a city:
//   - a panel draw asks the province to classify its candidates (experts.draw-candidates): the
//     province runs the same classification over its pool and its credit library and answers
//     with ids, codes and reasons only — no personal data of the experts not drawn. The city
//     draws from that answer with its own seed and records it as it records a local draw, so an
//     auditor re-checks a city's draw exactly as a province one;
//   - the experts drawn (members and reserves) are then fetched (experts.expert-references) and
//     kept as reference copies: the row the city's draw members, evaluation seats and scores
//     point at, personal values sealed under the city's own key. An expert drawn again or
//     signing in on the city (identity.province.ts) gets its copy rewritten;
//   - the pool's business (registering, editing, periods, relations, accounts, listing) is done at
//     the province, where the pool is: refused here with a message that says so.
// A province that cannot be reached is 503 to the user, and the draw stops with nothing stored.
//
// Both requests are made inside the draw's transaction, which holds the draw's row lock meanwhile:
// a draw is a rare, deliberate act of one staff member, and drawing and recording must commit
// together or not at all.

import { Type, type Static } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { appendAudit, type AuditContext } from '../../platform/audit/audit.ts';
import type { Keys } from '../../platform/crypto/keys.ts';
import { openSm4, sealSm4 } from '../../platform/crypto/sm4.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, conflict } from '../../platform/errors.ts';
import { callPeer, checkedResult, PROVINCE_REGION } from '../../platform/federation/federation.ts';
import { Instant, Nullable, Uuid, oneOf } from '../../platform/federation/federation.schemas.ts';
import { maskIdNumber, maskPhone } from '../../platform/validation/ids.ts';
import { classifyCandidates, type ClassifyQuery, type Classified } from './experts.draw.candidates.ts';
import { EXCLUSION_REASONS } from './experts.draw.rules.ts';
import * as repo from './experts.repository.ts';
import { EXPERT_STATUSES } from './experts.rules.ts';
import { expertIdIndex } from './experts.service.ts';

export const DRAW_CANDIDATES = 'experts.draw-candidates';
export const EXPERT_REFERENCES = 'experts.expert-references';

/** Experts per references request (a draw's members and reserves fit in one). */
export const REFERENCES_BATCH = 100;

const Code = Type.String({ minLength: 1, maxLength: 20 });
const Day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
const Region = Type.String({ pattern: '^[0-9]{6}$' });
const Uscc = Type.String({ pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$' });

/** What a city asks the province to classify (checked on arrival, experts.federation.ts). */
export const ClassifyPayload = Type.Object(
  {
    specialtyCodes: Type.Array(Code, { minItems: 1, maxItems: 500 }),
    regionCodes: Nullable(Type.Array(Region, { maxItems: 500 })),
    avoid: Type.Object(
      {
        usccs: Type.Array(Uscc, { maxItems: 500 }),
        supervisingDepartment: Nullable(Type.Object({ name: Type.String({ maxLength: 200 }), uscc: Nullable(Uscc) }, { additionalProperties: false })),
      },
      { additionalProperties: false },
    ),
    alreadyInDraw: Type.Array(Uuid, { maxItems: 500 }),
    on: Day,
    category: Type.String({ minLength: 1, maxLength: 40 }),
    dealRegionCode: Region,
  },
  { additionalProperties: false },
);

export const ClassifiedResult = Type.Array(Type.Object({ id: Uuid, codes: Type.Array(Code), reason: Nullable(oneOf(EXCLUSION_REASONS)) }));

/** An expert as a city keeps it; personal values opened (they travel inside the sealed envelope only). */
export const ExpertReference = Type.Object({
  id: Uuid,
  name: Type.String({ minLength: 1, maxLength: 50 }),
  idNumber: Type.String({ pattern: '^[0-9]{17}[0-9X]$' }),
  gender: oneOf(['male', 'female'] as const),
  birthDate: Day,
  phone: Type.String({ minLength: 5, maxLength: 20 }),
  regionCode: Region,
  employerName: Type.String({ minLength: 1, maxLength: 200 }),
  employerUscc: Uscc,
  titles: Type.Array(Type.String({ maxLength: 100 })),
  status: oneOf(EXPERT_STATUSES),
  statusReason: Nullable(Type.String({ maxLength: 2000 })),
  createdAt: Instant,
  specialties: Type.Array(Type.Object({ code: Code, isPrimary: Type.Boolean() })),
});
export type ExpertReferenceT = Static<typeof ExpertReference>;

/** One answer per asked id, in order; null for an id the province holds no expert of its own under. */
export const ExpertReferencesResult = Type.Array(Nullable(ExpertReference));

// ---- the province's side ----

/** The province's copy of its own expert `id` for a city, or null when it holds none under that id. */
export async function expertReference(db: Kysely<DB>, keys: Keys, id: string): Promise<ExpertReferenceT | null> {
  const e = await repo.findExpert(db, id);
  if (!e || e.home_node !== null) return null;
  const specialties = await repo.specialtiesOf(db, [id]);
  return {
    id: e.id,
    name: e.name,
    idNumber: openSm4(keys.master, e.id_number_enc, `experts:${e.id}:id_number`).toString('utf8'),
    gender: e.gender,
    birthDate: e.birth_date,
    phone: openSm4(keys.master, e.phone_enc, `experts:${e.id}:phone`).toString('utf8'),
    regionCode: e.region_code,
    employerName: e.employer_name,
    employerUscc: e.employer_uscc,
    titles: e.titles,
    status: e.status,
    statusReason: e.status_reason,
    createdAt: e.created_at.toISOString(),
    specialties: specialties.map((s) => ({ code: s.code, isPrimary: s.is_primary })).sort((a, b) => a.code.localeCompare(b.code)),
  };
}

// ---- the city's side ----

/** The classified candidates of a round from this node's pool: its own on the province, the province's on a city. */
export async function classifyHere(deps: Pick<Deps, 'keys' | 'config' | 'clock'>, db: Kysely<DB>, q: ClassifyQuery): Promise<Classified[]> {
  if (deps.config.nodeRole === 'province') return classifyCandidates(db, deps, q);
  return checkedResult(ClassifiedResult, await callPeer(deps, PROVINCE_REGION, DRAW_CANDIDATES, q), DRAW_CANDIDATES);
}

function sameReference(held: repo.ExpertRow, ref: ExpertReferenceT, keys: Keys, specialties: { code: string; is_primary: boolean }[]): boolean {
  return (
    held.name === ref.name &&
    held.id_number_index === expertIdIndex(keys, ref.idNumber) &&
    openSm4(keys.master, held.phone_enc, `experts:${held.id}:phone`).toString('utf8') === ref.phone &&
    held.region_code === ref.regionCode &&
    held.employer_name === ref.employerName &&
    held.employer_uscc === ref.employerUscc &&
    held.titles.join('\u0000') === ref.titles.join('\u0000') &&
    held.status === ref.status &&
    held.status_reason === ref.statusReason &&
    JSON.stringify(specialties.map((s) => [s.code, s.is_primary]).sort()) === JSON.stringify(ref.specialties.map((s) => [s.code, s.isPrimary]).sort())
  );
}

/**
 * Writes (or rewrites) the city's copy of a province expert inside the caller's transaction. A
 * local expert under the same id or ID number (a city registers none; only data from before the
 * pool was the province's could make one) is a conflict, never overwritten.
 */
export async function storeExpertReference(trx: Kysely<DB>, keys: Keys, ref: ExpertReferenceT, homeNode: string, audit: AuditContext): Promise<'created' | 'changed' | 'unchanged'> {
  const now = audit.at;
  const held = await repo.lockExpert(trx, ref.id);
  const localRecord = () => conflict(`本节点存在与省级专家库中专家「${ref.name}」相同标识的本地专家记录，无法同步；请联系系统管理员核对`, 'expert', 'local_record');
  if (held && held.home_node !== homeNode) throw localRecord();
  const specialties = ref.specialties.map((s) => ({ code: s.code, is_primary: s.isPrimary }));
  if (held && sameReference(held, ref, keys, await repo.specialtiesOf(trx, [ref.id]))) {
    await repo.rewriteReference(trx, ref.id, { refreshed_at: now });
    return 'unchanged';
  }
  const values = {
    name: ref.name,
    id_number_enc: sealSm4(keys.master, ref.idNumber, `experts:${ref.id}:id_number`),
    id_number_index: expertIdIndex(keys, ref.idNumber),
    id_number_masked: maskIdNumber(ref.idNumber),
    gender: ref.gender,
    birth_date: ref.birthDate,
    phone_enc: sealSm4(keys.master, ref.phone, `experts:${ref.id}:phone`),
    phone_masked: maskPhone(ref.phone),
    region_code: ref.regionCode,
    employer_name: ref.employerName,
    employer_uscc: ref.employerUscc,
    titles: ref.titles,
    status: ref.status,
    status_reason: ref.statusReason,
    updated_at: now,
    refreshed_at: now,
  };
  if (held) {
    await repo.rewriteReference(trx, ref.id, values);
    await repo.replaceSpecialties(trx, ref.id, specialties);
  } else {
    await repo.insertExpert(trx, { ...values, id: ref.id, created_by: null, created_at: new Date(ref.createdAt), home_node: homeNode }, specialties).catch((err: unknown) => {
      throw repo.isUniqueViolation(err, 'experts_id_number') ? localRecord() : err;
    });
  }
  // What changed is the province's record; the copy's audit row says that it was taken, not what it holds.
  await appendAudit(trx, audit, { action: 'experts.reference.refresh', targetType: 'expert', targetId: ref.id, detail: { node: homeNode, status: ref.status, first: held === undefined } });
  return held ? 'changed' : 'created';
}

/**
 * Fetches the province's current copies of `ids` and stores them (on a city; nothing to do on the
 * province). An id the province does not answer for is an outage: the draw must not record
 * members it cannot name.
 */
export async function referencesForDraw(trx: Kysely<DB>, deps: Pick<Deps, 'keys' | 'config' | 'clock'>, ids: string[], audit: AuditContext): Promise<void> {
  if (deps.config.nodeRole === 'province') return;
  for (let i = 0; i < ids.length; i += REFERENCES_BATCH) {
    const batch = ids.slice(i, i + REFERENCES_BATCH);
    const answers = checkedResult(ExpertReferencesResult, await callPeer(deps, PROVINCE_REGION, EXPERT_REFERENCES, { ids: batch }), EXPERT_REFERENCES);
    if (answers.length !== batch.length || answers.some((a, k) => a === null || a.id !== batch[k])) {
      throw new AppError('unavailable', '对端节点的应答无法识别，请稍后再试；本次操作未保存任何数据', { logMessage: `${EXPERT_REFERENCES} answered out of order or without an expert drawn` });
    }
    for (const ref of answers) await storeExpertReference(trx, deps.keys, ref!, PROVINCE_REGION, audit);
  }
}

/** Refuses, on a city, the pool's business that is done at the province. */
export function atProvinceExperts(deps: Pick<Deps, 'config'>): void {
  if (deps.config.nodeRole === 'city') {
    throw conflict('评标专家库由省级平台统一管理：专家的登记、修改、查询和账号开通请在省级平台办理；本市项目的评标专家从省级专家库中抽取', 'node', 'province_experts');
  }
}
