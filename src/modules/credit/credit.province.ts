// The credit library is the province's (ARCHITECTURE.md: cities read the province's shared
// registries — entities, credit, experts). This is a city node's side; credit.federation.ts is
// the province's. On a city:
//   - the participation check — the one check every procedure calls (bid intake, the expert
//     draw, the staff's check) — is asked of the province, for a batch of subjects at once, so
//     that a ban recorded anywhere in the province blocks in every city's deals;
//   - the public disclosure (API and portal page) shows the province's disclosed records;
//   - the library's business (recording, import, objections, repairs, archives) is done at the
//     province, where the records are: refused here with a message that says so.
// A province that cannot be reached is 503 to the user, and the procedure that asked stops with
// nothing stored: a check that could not be made is never taken as passed.

import { Type } from '@sinclair/typebox';
import { Nullable } from '../../platform/federation/federation.schemas.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, conflict } from '../../platform/errors.ts';
import { callPeer, checkedResult, PROVINCE_REGION } from '../../platform/federation/federation.ts';
import { mapPublicRecord } from './credit.schemas.ts';
import { checkParticipation, publicCredit, type Blocking } from './credit.service.ts';

export const PARTICIPATION = 'credit.participation';
export const PUBLIC_CREDIT = 'credit.public';

/** Subjects per federation request: an expert draw may check a whole pool. */
export const PARTICIPATION_BATCH = 500;

export type SubjectKey = { uscc: string } | { idNumber: string };

export interface ParticipationBatch {
  subjects: SubjectKey[];
  category: string;
  regionCode: string;
  at: Date;
}

export interface Verdict {
  allowed: boolean;
  blocking: Blocking[];
}


export const VerdictsResult = Type.Array(
  Type.Object({
    allowed: Type.Boolean(),
    blocking: Type.Array(
      Type.Object({
        recordId: Type.String(),
        title: Type.String(),
        severity: Nullable(Type.Union([Type.Literal('minor'), Type.Literal('ordinary'), Type.Literal('serious')])),
        basis: Type.String(),
        until: Type.String(),
        reason: Type.String(),
      }),
    ),
  }),
);

/**
 * The province's disclosed records as the public reads them (credit.schemas.ts: PublicRecord), checked on
 * arrival. Written again with plain strings: Value.Check cannot check the route schema's StringEnum (Unsafe).
 */
export const PublicRecordsResult = Type.Array(
  Type.Object({
    subjectKind: Type.String(),
    subjectName: Type.String(),
    uscc: Nullable(Type.String()),
    idNumberMasked: Nullable(Type.String()),
    type: Type.String(),
    severity: Nullable(Type.String()),
    title: Type.String(),
    facts: Type.String(),
    legalBasis: Type.String(),
    sourceDepartment: Type.String(),
    regionName: Type.String(),
    decisionNumber: Type.String(),
    decisionDate: Type.String(),
    disclosureTo: Type.String(),
    underObjection: Type.Boolean(),
    ban: Nullable(Type.Object({ categories: Type.Array(Type.String()), regionCode: Type.String(), regionName: Type.String(), from: Type.String(), to: Type.String() })),
  }),
);
export type PublicRecordView = ReturnType<typeof mapPublicRecord>;

/** The participation check against this node's own library, one verdict per subject, in order. */
export async function checkParticipationMany(deps: Pick<Deps, 'db' | 'keys'>, batch: ParticipationBatch): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  for (const subject of batch.subjects) verdicts.push(await checkParticipation(deps, { subject, category: batch.category, regionCode: batch.regionCode, at: batch.at }));
  return verdicts;
}

/**
 * The participation check of this node, one verdict per subject in order: its own library on the
 * province, the province's on a city (in batches of PARTICIPATION_BATCH). `db` is the caller's
 * transaction on the province; a city's check reads no local table.
 */
export async function participationHere(deps: Pick<Deps, 'keys' | 'config' | 'clock'>, db: Db, batch: ParticipationBatch): Promise<Verdict[]> {
  if (deps.config.nodeRole === 'province') return checkParticipationMany({ db, keys: deps.keys }, batch);
  const verdicts: Verdict[] = [];
  for (let i = 0; i < batch.subjects.length; i += PARTICIPATION_BATCH) {
    const subjects = batch.subjects.slice(i, i + PARTICIPATION_BATCH);
    const answer = checkedResult(VerdictsResult, await callPeer(deps, PROVINCE_REGION, PARTICIPATION, { subjects, category: batch.category, regionCode: batch.regionCode, at: batch.at.toISOString() }), PARTICIPATION);
    if (answer.length !== subjects.length) throw new AppError('unavailable', '对端节点的应答无法识别，请稍后再试', { logMessage: `${PARTICIPATION} answered ${answer.length} verdicts for ${subjects.length} subjects` });
    verdicts.push(...answer);
  }
  return verdicts;
}

/** One subject's participation check on this node (see participationHere). */
export async function participationOf(deps: Pick<Deps, 'keys' | 'config' | 'clock'>, db: Db, subject: SubjectKey, query: Omit<ParticipationBatch, 'subjects'>): Promise<Verdict> {
  return (await participationHere(deps, db, { ...query, subjects: [subject] }))[0]!;
}

/** The public disclosure of this node: its own library, or on a city the province's. */
export async function publicCreditHere(deps: Deps, query: { uscc?: string | undefined; name?: string | undefined }, now: Date): Promise<PublicRecordView[]> {
  if (deps.config.nodeRole === 'province') return (await publicCredit(deps, query, now)).map(mapPublicRecord);
  const payload = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
  return checkedResult(PublicRecordsResult, await callPeer(deps, PROVINCE_REGION, PUBLIC_CREDIT, payload), PUBLIC_CREDIT) as PublicRecordView[];
}

/** Refuses, on a city, the library's business that is done at the province. */
export function atProvinceCredit(deps: Pick<Deps, 'config'>): void {
  if (deps.config.nodeRole === 'city') throw conflict('信用信息库由省级平台统一管理，本市节点只提供信用公示查询和参与资格核验；此项业务请在省级平台办理', 'node', 'province_credit');
}

