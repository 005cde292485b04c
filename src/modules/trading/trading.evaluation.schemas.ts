// TypeBox schemas and mappers of the steps after the opening (rows never leave unmapped).

import { Type } from '@sinclair/typebox';
import { amountInCapitals } from '../../platform/documents/amount.ts';
import type { DocumentSignature } from '../../platform/documents/signature.ts';
import { iso, Nullable, StringEnum, Uuid } from '../../platform/http/schemas.ts';
import type { EvaluationMethod } from '../evaluation/evaluation.methods.ts';
import type { EvaluationView } from './trading.evaluation.read.ts';
import type * as repo from './trading.evaluation.repository.ts';
import { formatYuan } from './trading.money.ts';
import { LOT_STATUS_NAMES } from './trading.rules.ts';

const Instant = Type.String({ format: 'date-time' });
const NullableInstant = Nullable(Instant);
const Day = Type.String({ format: 'date' });

// ---- requests ----

export const PanelBody = Type.Object(
  {
    evaluationDate: Day,
    needs: Type.Array(Type.Object({ specialtyCode: Type.String({ pattern: '^[A-Z][0-9]{2}$' }), count: Type.Integer({ minimum: 1, maximum: 50 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 20 }),
    reserves: Type.Optional(Type.Integer({ minimum: 0, maximum: 20 })),
    regionCodes: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{6}$' }), { minItems: 1, maxItems: 200 })),
  },
  { additionalProperties: false },
);

export const ResponseBody = Type.Object(
  { expertId: Uuid, answer: StringEnum(['accepted', 'declined', 'unreachable'] as const), reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
);

export const ScoresBody = Type.Object(
  {
    marks: Type.Array(
      Type.Object(
        {
          bidId: Uuid,
          criterionId: Type.String({ minLength: 1, maxLength: 64 }),
          points: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
          pass: Type.Optional(Type.Boolean()),
          reason: Type.Optional(Type.String({ maxLength: 1000 })),
        },
        { additionalProperties: false },
      ),
      { maxItems: 10_000 },
    ),
    rejections: Type.Array(Type.Object({ bidId: Uuid, reason: Type.String({ minLength: 2, maxLength: 1000 }) }, { additionalProperties: false }), { maxItems: 1000 }),
  },
  { additionalProperties: false },
);

export const CandidatesBody = Type.Object(
  { publicityUntil: Instant, objectionContact: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })) },
  { additionalProperties: false },
);
export const ObjectionBody = Type.Object({ content: Type.String({ minLength: 10, maxLength: 5000 }) }, { additionalProperties: false });
export const ReplyBody = Type.Object({ reply: Type.String({ minLength: 10, maxLength: 5000 }) }, { additionalProperties: false });
export const AwardBody = Type.Object({ bidId: Uuid, reason: Type.Optional(Type.String({ minLength: 2, maxLength: 2000 })) }, { additionalProperties: false });
export const ContractQuery = Type.Object(
  {
    price: Type.String({ pattern: '^(0|[1-9][0-9]{0,11})(\\.[0-9]{1,2})?$', description: '合同价款（元），最多两位小数' }),
    signedOn: Day,
    name: Type.String({ minLength: 1, maxLength: 120 }),
  },
  { additionalProperties: false },
);

// ---- responses ----

const Signature = Type.Object({ algorithm: Type.String(), context: Type.String(), sm3: Type.String(), signature: Type.String(), publicKey: Type.String() });

export const Evaluation = Type.Object({
  lotId: Uuid,
  lotStatus: Type.String(),
  lotStatusName: Type.String(),
  drawId: Nullable(Uuid),
  drawnAt: Instant,
  startedAt: NullableInstant,
  reportedAt: NullableInstant,
  outcome: Nullable(Type.String()),
  members: Type.Array(Type.Object({ seat: Type.Integer(), name: Type.String(), submittedAt: NullableInstant, confirmedAt: NullableInstant })),
  report: Type.Unknown(),
  reportSm3: Nullable(Type.String()),
  reportSignature: Type.Unknown(),
});

export function mapEvaluation(v: EvaluationView, staff: boolean) {
  const e = v.evaluation;
  return {
    lotId: v.lot.id,
    lotStatus: v.lot.status,
    lotStatusName: LOT_STATUS_NAMES[v.lot.status],
    drawId: staff ? e.draw_id : null,
    drawnAt: e.drawn_at.toISOString(),
    startedAt: iso(e.started_at),
    reportedAt: iso(e.reported_at),
    outcome: e.outcome,
    members: v.members.map((m) => ({ seat: m.seat, name: m.name, submittedAt: iso(m.submittedAt), confirmedAt: iso(m.confirmedAt) })),
    report: v.report,
    reportSm3: e.report_digest,
    reportSignature: e.report_signature,
  };
}

export const ExpertLot = Type.Object({
  lotId: Uuid,
  lotName: Type.String(),
  lotCode: Type.String(),
  lotStatus: Type.String(),
  lotStatusName: Type.String(),
  projectId: Uuid,
  projectName: Type.String(),
  dealCode: Type.String(),
  seat: Type.Integer(),
  submittedAt: NullableInstant,
  confirmedAt: NullableInstant,
});

export function mapExpertLot(r: repo.ExpertLot) {
  return {
    lotId: r.lot_id,
    lotName: r.lot_name,
    lotCode: r.lot_code,
    lotStatus: r.lot_status,
    lotStatusName: LOT_STATUS_NAMES[r.lot_status],
    projectId: r.project_id,
    projectName: r.project_name,
    dealCode: r.deal_code,
    seat: r.seat,
    submittedAt: iso(r.submitted_at),
    confirmedAt: iso(r.confirmed_at),
  };
}

export const OpenedBid = Type.Object({ bidId: Uuid, bidderName: Type.String(), price: Type.String(), priceFen: Type.Integer(), items: Type.Unknown(), packageSm3: Type.String(), receivedAt: Instant });

export function mapOpenedBid(r: repo.OpeningResultRow) {
  return { bidId: r.bid_id, bidderName: r.bidder_name, price: formatYuan(r.price_fen!), priceFen: r.price_fen!, items: r.items ?? null, packageSm3: r.package_digest!, receivedAt: r.received_at.toISOString() };
}

export const ScoreSheet = Type.Object({ seat: Type.Integer(), marks: Type.Unknown(), rejections: Type.Unknown(), submittedAt: NullableInstant, confirmedAt: NullableInstant });

export function mapScoreSheet(s: repo.ScoreRow) {
  return { seat: s.seat, marks: s.marks, rejections: s.rejections, submittedAt: iso(s.submitted_at), confirmedAt: iso(s.confirmed_at) };
}

export const BidsForExpert = Type.Object({ lotId: Uuid, lotName: Type.String(), method: Type.Unknown(), bids: Type.Array(OpenedBid), mine: ScoreSheet });

export function mapBidsForExpert(lotId: string, lotName: string, method: EvaluationMethod, bids: repo.OpeningResultRow[], mine: repo.ScoreRow) {
  return { lotId, lotName, method, bids: bids.map(mapOpenedBid), mine: mapScoreSheet(mine) };
}

export const Objection = Type.Object({ id: Uuid, entityId: Uuid, content: Type.String(), filedAt: Instant, replyDue: Instant, reply: Nullable(Type.String()), repliedAt: NullableInstant });

export function mapObjection(o: repo.ObjectionRow) {
  return { id: o.id, entityId: o.entity_id, content: o.content, filedAt: o.filed_at.toISOString(), replyDue: o.reply_due.toISOString(), reply: o.reply, repliedAt: iso(o.replied_at) };
}

export const Candidates = Type.Object({
  lotId: Uuid,
  noticeId: Uuid,
  title: Type.String(),
  candidates: Type.Array(Type.Object({ rank: Type.Integer(), bidId: Uuid, bidderEntityId: Uuid, bidderName: Type.String(), price: Type.String(), priceFen: Type.Integer(), totalPoints: Nullable(Type.Number()), evaluatedPriceFen: Nullable(Type.Integer()) })),
  publicityFrom: Instant,
  publicityUntil: Instant,
  sm3: Nullable(Type.String()),
  objections: Type.Array(Objection),
});

export function mapCandidates(v: { lot: { id: string }; publicity: repo.PublicityRow; notice: { id: string; title: string; document_digest: string | null }; objections: repo.ObjectionRow[] }) {
  return {
    lotId: v.lot.id,
    noticeId: v.notice.id,
    title: v.notice.title,
    candidates: v.publicity.candidates.map((c) => ({ ...c, price: formatYuan(c.priceFen) })),
    publicityFrom: v.publicity.publicity_from.toISOString(),
    publicityUntil: v.publicity.publicity_until.toISOString(),
    sm3: v.notice.document_digest,
    objections: v.objections.map(mapObjection),
  };
}

export const Award = Type.Object({
  lotId: Uuid,
  bidId: Uuid,
  winnerEntityId: Uuid,
  winnerName: Type.String(),
  price: Type.String(),
  priceFen: Type.Integer(),
  priceInCapitals: Type.String(),
  candidateRank: Type.Integer(),
  deviationReason: Nullable(Type.String()),
  awardedAt: Instant,
  resultNoticeId: Uuid,
  noticeSm3: Type.String(),
  /** Anyone holding the award notice checks it against this signature and the platform's public key. */
  noticeSignature: Signature,
  platformPublicKey: Type.String(),
});

export function mapAward(a: repo.AwardRow, insider: boolean, platformPublicKey: string) {
  return {
    lotId: a.lot_id,
    bidId: a.bid_id,
    winnerEntityId: a.winner_entity_id,
    winnerName: a.winner_name,
    price: formatYuan(a.price_fen),
    priceFen: a.price_fen,
    priceInCapitals: `人民币${amountInCapitals(a.price_fen)}`,
    candidateRank: a.candidate_rank,
    deviationReason: insider ? a.deviation_reason : null,
    awardedAt: a.awarded_at.toISOString(),
    resultNoticeId: a.result_notice_id,
    noticeSm3: a.notice_digest,
    noticeSignature: a.notice_signature as DocumentSignature,
    platformPublicKey,
  };
}

/** A bid security released (refunded), due by the last day of the refund period. */
export const SecurityRelease = Type.Object({
  bidId: Uuid,
  bidderEntityId: Uuid,
  amount: Type.String(),
  amountFen: Type.Integer(),
  releasedAt: Instant,
  dueOn: Type.String(),
  reason: StringEnum(['lot_outcome', 'withdrawn', 'tenderer_refund'] as const, { description: 'lot_outcome：合同登记后或招标失败；withdrawn：投标截止前撤回；tenderer_refund：撤销投标后招标人决定退还' }),
});

/** A bid its bidder failed to decrypt (撤销): its security waits for the tenderer's decision (实施条例 §35). */
export const RevokedSecurity = Type.Object({
  bidId: Uuid,
  bidderEntityId: Uuid,
  bidderName: Type.String(),
  amount: Type.String(),
  amountFen: Type.Integer(),
  decision: Nullable(Type.Object({ decision: StringEnum(['keep', 'refund'] as const), reason: Type.String(), decidedAt: Instant })),
});

export const SecurityDecisionBody = Type.Object(
  { decision: StringEnum(['keep', 'refund'] as const, { description: 'keep：不予退还；refund：退还' }), reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);

export const Contract = Type.Object({
  lotId: Uuid,
  price: Type.String(),
  priceFen: Type.Integer(),
  signedOn: Type.String(),
  fileName: Type.String(),
  fileSm3: Type.String(),
  noticeId: Uuid,
  recordedAt: Instant,
  lotStatus: Type.String(),
  releases: Type.Array(SecurityRelease),
});

export const SecurityReleases = Type.Object({ lotStatus: Type.String(), items: Type.Array(SecurityRelease), revoked: Type.Array(RevokedSecurity) });

export function mapRelease(r: repo.ReleaseRow) {
  return { bidId: r.bid_id, bidderEntityId: r.bidder_entity_id, amount: formatYuan(r.amount_fen), amountFen: r.amount_fen, releasedAt: r.released_at.toISOString(), dueOn: r.due_on, reason: r.reason };
}

export function mapRevoked(r: { bid: repo.OpeningResultRow; amountFen: number; decision: repo.SecurityDecisionRow | null }) {
  return {
    bidId: r.bid.bid_id,
    bidderEntityId: r.bid.bidder_entity_id,
    bidderName: r.bid.bidder_name,
    amount: formatYuan(r.amountFen),
    amountFen: r.amountFen,
    decision: r.decision && { decision: r.decision.decision, reason: r.decision.reason, decidedAt: r.decision.decided_at.toISOString() },
  };
}

export function mapContract(lotStatus: string, c: repo.ContractRow, releases: repo.ReleaseRow[]) {
  return {
    lotId: c.lot_id,
    price: formatYuan(c.price_fen),
    priceFen: c.price_fen,
    signedOn: c.signed_on,
    fileName: c.file_name,
    fileSm3: c.file_digest,
    noticeId: c.notice_id,
    recordedAt: c.recorded_at.toISOString(),
    lotStatus,
    releases: releases.map(mapRelease),
  };
}

/** 评标价调整 (经评审的最低投标价法): signed yuan per bid, each with its reason. */
export const Adjustment = Type.Object({ seq: Type.Integer(), bidId: Uuid, amount: Type.String(), amountFen: Type.Integer(), reason: Type.String(), recordedAt: Instant });
export const Adjustments = Type.Object({ items: Type.Array(Adjustment) });
export const AdjustmentsBody = Type.Object(
  {
    adjustments: Type.Array(
      Type.Object({ bidId: Uuid, amount: Type.String({ maxLength: 20, description: '调整金额（元），可带正负号，最多两位小数' }), reason: Type.String({ maxLength: 500 }) }, { additionalProperties: false }),
      { maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);

export function mapAdjustment(a: repo.AdjustmentRow) {
  return { seq: a.seq, bidId: a.bid_id, amount: formatYuan(a.amount_fen), amountFen: a.amount_fen, reason: a.reason, recordedAt: a.recorded_at.toISOString() };
}
