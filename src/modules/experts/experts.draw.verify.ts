// Re-checking a recorded draw, as an auditor would: every round's selection is recomputed from
// its recorded seed and eligible lists with the algorithm it names, and held against the
// recorded result, the member rows and the digest in the hash-chained audit trail.

import { canonicalJson } from '../../platform/audit/canonical.ts';
import { digestOf } from '../../platform/audit/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import * as repo from './experts.draw.repository.ts';
import { eligibleDigest, requestDigest, roundRecordOf } from './experts.draw.round.ts';
import { DRAW_ALGORITHM, isSortedUnique, selectPanel } from './experts.draw.rules.ts';
import type { DrawNeed, EligibleList, ResultRecord } from './experts.draw.tables.ts';

export interface RoundCheck {
  round: number;
  algorithmKnown: boolean;
  seedWellFormed: boolean;
  /** Each eligible list sorted and free of duplicates, one per need in need order. */
  eligibleWellFormed: boolean;
  /** The eligible lists still digest to the recorded SM3 digest. */
  eligibleDigestMatches: boolean;
  /** Recomputing the selection gives the recorded result. */
  selectionMatches: boolean;
  /** The member rows are the recorded result (same experts, specialties, kinds, ranks). */
  membersMatch: boolean;
  /** The round as stored digests to what the audit trail recorded when it was drawn. */
  auditMatches: boolean;
  consistent: boolean;
}

export interface Verification {
  consistent: boolean;
  requestDigestMatches: boolean;
  rounds: RoundCheck[];
  recomputed: ResultRecord[][];
  recorded: ResultRecord[][];
  /** What an outside re-check needs, per round: the algorithm's inputs as recorded. */
  inputs: { round: number; algorithm: string; seed: string; needs: DrawNeed[]; reserves: number; eligible: EligibleList[]; eligibleDigest: string }[];
}

const SEED = /^[0-9a-f]{64}$/;

function membersOfRound(members: readonly repo.MemberRow[], round: number, specialtyCode: string, kind: 'member' | 'reserve'): string[] {
  return members
    .filter((m) => m.round_no === round && m.specialty_code === specialtyCode && m.kind === kind)
    .sort((a, b) => a.rank - b.rank)
    .map((m) => m.expert_id);
}

export async function verifyRecorded(db: Db, draw: repo.DrawRow): Promise<Verification> {
  const [rounds, members, audits] = await Promise.all([repo.roundsOf(db, draw.id), repo.membersOf(db, draw.id), repo.roundAuditRows(db, draw.id)]);
  const checks: RoundCheck[] = [];
  const recomputed: ResultRecord[][] = [];
  const recorded: ResultRecord[][] = [];
  for (const r of rounds) {
    const algorithmKnown = r.algorithm === DRAW_ALGORITHM;
    const seedWellFormed = SEED.test(r.seed);
    const eligibleWellFormed = r.eligible.length === r.needs.length && r.eligible.every((e, i) => e.specialtyCode === r.needs[i]!.specialtyCode && isSortedUnique(e.ids));
    const again =
      algorithmKnown && seedWellFormed && eligibleWellFormed
        ? selectPanel(
            r.seed,
            r.needs.map((n, i) => ({ specialtyCode: n.specialtyCode, count: n.count, eligible: r.eligible[i]!.ids })),
            r.reserves,
          )
        : [];
    const fromRows: ResultRecord[] = r.needs.map((n) => ({ specialtyCode: n.specialtyCode, members: membersOfRound(members, r.round_no, n.specialtyCode, 'member'), reserves: membersOfRound(members, r.round_no, n.specialtyCode, 'reserve') }));
    const audit = audits.find((a) => a.round === r.round_no);
    const check = {
      round: r.round_no,
      algorithmKnown,
      seedWellFormed,
      eligibleWellFormed,
      eligibleDigestMatches: eligibleDigest(r.eligible) === r.eligible_digest,
      selectionMatches: canonicalJson(again) === canonicalJson(r.result),
      membersMatch: canonicalJson(fromRows) === canonicalJson(r.result),
      auditMatches: audit !== undefined && audit.after_digest === digestOf(roundRecordOf(r, r)),
    };
    checks.push({ ...check, consistent: Object.values(check).every((v) => v !== false) });
    recomputed.push(again);
    recorded.push(r.result);
  }
  // Members that no round accounts for would be seats filled outside the draw.
  const accounted = new Set(rounds.flatMap((r) => r.result.flatMap((x) => [...x.members, ...x.reserves])));
  const strays = members.some((m) => !accounted.has(m.expert_id));
  const requestDigestMatches = requestDigest(draw.request) === draw.request_digest;
  const inputs = rounds.map((r) => ({ round: r.round_no, algorithm: r.algorithm, seed: r.seed, needs: r.needs, reserves: r.reserves, eligible: r.eligible, eligibleDigest: r.eligible_digest }));
  return { consistent: requestDigestMatches && !strays && rounds.length > 0 && checks.every((c) => c.consistent), requestDigestMatches, rounds: checks, recomputed, recorded, inputs };
}
