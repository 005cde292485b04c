// The candidates of one draw round, classified: every expert of the needed specialties in the
// regions asked, each with the reason it is left out (avoidance, availability, then the credit
// library's participation check) or none. This is the pool's answer; where the pool is depends on
// the node (experts.province.ts: on a city it is asked of the province, which runs this same code
// over its own pool and library).

import type { Kysely } from 'kysely';
import { openSm4 } from '../../platform/crypto/sm4.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { participationHere } from '../credit/credit.province.ts';
import * as repo from './experts.draw.repository.ts';
import { exclusionOf, type ExclusionReason } from './experts.draw.rules.ts';

export interface ClassifyQuery {
  /** Leaf specialty codes (the needs' subtrees). */
  specialtyCodes: string[];
  /** Regions the experts may come from, subtrees expanded; null: every region. */
  regionCodes: string[] | null;
  avoid: { usccs: string[]; supervisingDepartment: { name: string; uscc: string | null } | null };
  /** Experts already placed in this draw (a top-up leaves them out). */
  alreadyInDraw: string[];
  /** The evaluation day, `YYYY-MM-DD`: availability and the credit check are taken on it. */
  on: string;
  /** Trading category and region of the deal, for the participation check. */
  category: string;
  dealRegionCode: string;
}

export interface Classified {
  id: string;
  /** The expert's codes among those asked for. */
  codes: string[];
  reason: ExclusionReason | null;
}

/** The evaluation day as an instant (noon CST), for the credit check's calendar day. */
function dayInstant(day: string): Date {
  return new Date(`${day}T12:00:00+08:00`);
}

/** Classifies this node's own pool, ordered by id. `db` is the caller's transaction. */
export async function classifyCandidates(db: Kysely<DB>, deps: Pick<Deps, 'keys' | 'config' | 'clock'>, q: ClassifyQuery): Promise<Classified[]> {
  const rows = await repo.candidates(db, { specialtyCodes: q.specialtyCodes, regionCodes: q.regionCodes, avoidUscc: q.avoid.usccs, on: q.on });
  const avoid = { usccs: new Set(q.avoid.usccs), supervisingDepartment: q.avoid.supervisingDepartment, alreadyInDraw: new Set(q.alreadyInDraw) };
  const reason = new Map<string, ExclusionReason | null>();
  const toCheck: { id: string; idNumber: string }[] = [];
  for (const r of rows) {
    const first = exclusionOf({ id: r.id, status: r.status, employerUscc: r.employer_uscc, employerName: r.employer_name, relatedAvoided: r.related_avoided, unavailable: r.unavailable }, avoid);
    if (first !== null) {
      reason.set(r.id, first);
      continue;
    }
    // The experts' credit subject is the person, by ID number (as in expertCredit); the number is
    // opened here and stays in memory. Checked on the evaluation day, the day of taking part.
    toCheck.push({ id: r.id, idNumber: openSm4(deps.keys.master, r.id_number_enc, `experts:${r.id}:id_number`).toString('utf8') });
  }
  // One batch for all candidates left.
  const verdicts = await participationHere(deps, db, { subjects: toCheck.map((c) => ({ idNumber: c.idNumber })), category: q.category, regionCode: q.dealRegionCode, at: dayInstant(q.on) });
  toCheck.forEach((c, i) => reason.set(c.id, verdicts[i]!.allowed ? null : 'credit_banned'));
  return rows.map((r) => ({ id: r.id, codes: r.codes, reason: reason.get(r.id) ?? null }));
}
