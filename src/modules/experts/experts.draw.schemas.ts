// Request and response schemas of the panel draw routes, and the mappers. Members show masked
// contact data only; excluded candidates show as counts per reason (their ids stay in the
// record, for the verification answer).

import { Type } from '@sinclair/typebox';
import { iso, Nullable, NullableTimestamp, StringEnum, Timestamp, Uuid } from '../../platform/http/schemas.ts';
import { loadRegionTree } from '../org/org.regions.ts';
import type { DrawView } from './experts.draw.ts';
import { EXCLUSION_REASONS, type ExclusionReason } from './experts.draw.rules.ts';
import { loadSpecialtyTable } from './experts.specialties.ts';

// Simple patterns only: the coding module owns the check character of deal codes.
const DealCode = Type.String({ minLength: 33, maxLength: 33, pattern: '^[0-9A-Za-z]{32}[0-9A-Za-z*]$' });
const LotCode = Type.String({ minLength: 36, maxLength: 36, pattern: '^[0-9A-Za-z]{32}[0-9A-Za-z*][0-9]{3}$' });
const RegionCode = Type.String({ pattern: '^[0-9]{6}$' });
const SpecialtyCode = Type.String({ pattern: '^[A-Z]([0-9]{2})?$' });
const Uscc = Type.String({ minLength: 18, maxLength: 18 });
const Answer = StringEnum(['accepted', 'declined', 'unreachable']);
const State = StringEnum(['standby', 'pending', 'accepted', 'declined', 'unreachable']);

const Need = Type.Object({ specialtyCode: SpecialtyCode, count: Type.Integer({ minimum: 1, maximum: 50 }) }, { additionalProperties: false });

export const DrawCreate = Type.Object(
  {
    dealCode: DealCode,
    lotCode: Type.Optional(Nullable(LotCode)),
    dealRegionCode: RegionCode,
    category: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    regionCodes: Type.Optional(Type.Array(RegionCode, { minItems: 1, maxItems: 200 })),
    evaluationDate: Type.String({ format: 'date' }),
    needs: Type.Array(Need, { minItems: 1, maxItems: 20 }),
    reserves: Type.Optional(Type.Integer({ minimum: 0, maximum: 20 })),
    avoid: Type.Object(
      {
        usccs: Type.Array(Uscc, { maxItems: 500 }),
        supervisingDepartment: Type.Optional(Type.Object({ name: Type.String({ minLength: 2, maxLength: 100, pattern: '^\\S(.*\\S)?$' }), uscc: Type.Optional(Uscc) }, { additionalProperties: false })),
      },
      { additionalProperties: false },
    ),
    tendererRepresentatives: Type.Optional(Type.Integer({ minimum: 0, maximum: 20 })),
  },
  { additionalProperties: false },
);

export const DrawListQuery = Type.Object({ dealCode: DealCode }, { additionalProperties: false });

export const ResponseCreate = Type.Object(
  { expertId: Uuid, answer: Answer, reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
);

const Result = Type.Object({ specialtyCode: Type.String(), members: Type.Array(Type.String()), reserves: Type.Array(Type.String()) });
const Counts = Type.Object(Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, Type.Integer()])) as Record<ExclusionReason, ReturnType<typeof Type.Integer>>);

export const Draw = Type.Object({
  id: Uuid,
  dealCode: Type.String(),
  lotCode: Nullable(Type.String()),
  dealRegionCode: Type.String(),
  dealRegionName: Type.String(),
  category: Type.String(),
  evaluationDate: Type.String(),
  status: StringEnum(['open', 'confirmed']),
  /** The procedure whose routes run this draw's answers, top-ups and confirmation (trading: the lot's panel routes); null for a draw of its own. */
  managedBy: Nullable(StringEnum(['trading'])),
  requestDigest: Type.String(),
  regionCodes: Type.Array(Type.String()),
  reserves: Type.Integer(),
  tendererRepresentatives: Type.Integer(),
  avoid: Type.Object({ usccs: Type.Array(Type.String()), supervisingDepartment: Nullable(Type.Object({ name: Type.String(), uscc: Nullable(Type.String()) })) }),
  seats: Type.Array(
    Type.Object({ specialtyCode: Type.String(), specialtyName: Type.String(), count: Type.Integer(), accepted: Type.Integer(), pending: Type.Integer(), standby: Type.Integer(), open: Type.Integer() }),
  ),
  topUpNeeded: Type.Boolean(),
  members: Type.Array(
    Type.Object({
      expertId: Uuid,
      name: Type.String(),
      employerName: Type.String(),
      phoneMasked: Type.String(),
      specialtyCode: Type.String(),
      round: Type.Integer(),
      kind: StringEnum(['member', 'reserve']),
      rank: Type.Integer(),
      state: State,
      calledAt: NullableTimestamp,
      replacesExpertId: Nullable(Type.String()),
      answerReason: Nullable(Type.String()),
      answeredAt: NullableTimestamp,
    }),
  ),
  rounds: Type.Array(
    Type.Object({
      round: Type.Integer(),
      algorithm: Type.String(),
      seed: Type.String(),
      eligibleDigest: Type.String(),
      needs: Type.Array(Type.Object({ specialtyCode: Type.String(), count: Type.Integer(), candidates: Type.Integer(), eligible: Type.Integer(), excluded: Counts })),
      drawnAt: Timestamp,
    }),
  ),
  drawnAt: Timestamp,
  confirmedAt: NullableTimestamp,
  revealedAt: NullableTimestamp,
});

export const DrawList = Type.Object({ items: Type.Array(Draw) });

export const VerificationSchema = Type.Object({
  consistent: Type.Boolean(),
  requestDigestMatches: Type.Boolean(),
  rounds: Type.Array(
    Type.Object({
      round: Type.Integer(),
      algorithmKnown: Type.Boolean(),
      seedWellFormed: Type.Boolean(),
      eligibleWellFormed: Type.Boolean(),
      eligibleDigestMatches: Type.Boolean(),
      selectionMatches: Type.Boolean(),
      membersMatch: Type.Boolean(),
      auditMatches: Type.Boolean(),
      consistent: Type.Boolean(),
    }),
  ),
  recomputed: Type.Array(Type.Array(Result)),
  recorded: Type.Array(Type.Array(Result)),
  inputs: Type.Array(
    Type.Object({
      round: Type.Integer(),
      algorithm: Type.String(),
      seed: Type.String(),
      needs: Type.Array(Type.Object({ specialtyCode: Type.String(), count: Type.Integer() })),
      reserves: Type.Integer(),
      eligible: Type.Array(Type.Object({ specialtyCode: Type.String(), ids: Type.Array(Type.String()) })),
      eligibleDigest: Type.String(),
    }),
  ),
});

export function mapDraw(v: DrawView) {
  const d = v.draw;
  const table = loadSpecialtyTable();
  return {
    id: d.id,
    dealCode: d.deal_code,
    lotCode: d.lot_code,
    dealRegionCode: d.region_code,
    dealRegionName: loadRegionTree().fullName(d.region_code),
    category: d.category,
    evaluationDate: d.evaluation_date,
    status: d.status,
    managedBy: d.managed_by,
    requestDigest: d.request_digest,
    regionCodes: d.request.regionCodes,
    reserves: d.request.reserves,
    tendererRepresentatives: d.request.tendererRepresentatives,
    avoid: d.request.avoid,
    seats: v.seats.map((s) => ({ ...s, specialtyName: table.get(s.specialtyCode)?.name ?? s.specialtyCode })),
    topUpNeeded: v.topUpNeeded,
    members: v.members.map((m) => ({
      expertId: m.expert_id,
      name: m.name,
      employerName: m.employerName,
      phoneMasked: m.phoneMasked,
      specialtyCode: m.specialty_code,
      round: m.round_no,
      kind: m.kind,
      rank: m.rank,
      state: m.state,
      calledAt: iso(m.called_at),
      replacesExpertId: m.replaces_expert_id,
      answerReason: m.answer_reason,
      answeredAt: iso(m.answered_at),
    })),
    rounds: v.rounds.map((r) => ({
      round: r.round_no,
      algorithm: r.algorithm,
      seed: r.seed,
      eligibleDigest: r.eligible_digest,
      needs: r.needs.map((n, i) => {
        const ex = r.exclusions[i];
        return {
          specialtyCode: n.specialtyCode,
          count: n.count,
          candidates: ex?.candidates ?? 0,
          eligible: r.eligible[i]?.ids.length ?? 0,
          excluded: Object.fromEntries(EXCLUSION_REASONS.map((reason) => [reason, ex?.excluded[reason]?.length ?? 0])) as Record<ExclusionReason, number>,
        };
      }),
      drawnAt: r.drawn_at.toISOString(),
    })),
    drawnAt: d.drawn_at.toISOString(),
    confirmedAt: iso(d.confirmed_at),
    revealedAt: iso(d.revealed_at),
  };
}
