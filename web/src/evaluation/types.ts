// Shapes of the API answers after the opening (src/modules/trading/trading.evaluation.schemas.ts,
// src/modules/experts/experts.draw.schemas.ts). Kept apart from ../types.ts so the screens of the
// steps before the opening and these can change without touching each other's lines.

export type LotStatus = 'pending' | 'bidding' | 'failed' | 'decrypting' | 'opened' | 'evaluating' | 'evaluated' | 'publicity' | 'awarded' | 'contracted' | 'closed';

/** The parts of a tender lot these screens read (GET /api/v1/trading/projects/:id). */
export interface LotSummary {
  id: string;
  lotNo: number;
  lotCode: string | null;
  name: string;
  estimatedPrice: string;
  estimatedPriceFen: number;
  bidSecurity: string;
  status: LotStatus;
  statusName: string;
  statusReason: string | null;
}

/** The parts of a tender project these screens read. */
export interface ProjectSummary {
  id: string;
  dealCode: string | null;
  name: string;
  regionCode: string;
  tendererEntityId: string;
  agencyEntityId: string | null;
  ownerEntityId: string;
  supervisingDepartment: string;
  status: string;
  statusName: string;
  schedule: { bidDeadline: string | null; bidValidityDays: number | null };
  /** The deal's own clock (demo mode moves it). */
  dealNow: string;
  lots: LotSummary[];
}

// ---- the panel draw ----

export type DrawMemberState = 'standby' | 'pending' | 'accepted' | 'declined' | 'unreachable';

export interface DrawMember {
  expertId: string;
  name: string;
  employerName: string;
  phoneMasked: string;
  specialtyCode: string;
  round: number;
  kind: 'member' | 'reserve';
  rank: number;
  state: DrawMemberState;
  calledAt: string | null;
  replacesExpertId: string | null;
  answerReason: string | null;
  answeredAt: string | null;
}

export interface DrawSeat {
  specialtyCode: string;
  specialtyName: string;
  count: number;
  accepted: number;
  pending: number;
  standby: number;
  open: number;
}

export interface Draw {
  id: string;
  dealCode: string;
  lotCode: string | null;
  dealRegionCode: string;
  dealRegionName: string;
  evaluationDate: string;
  status: 'open' | 'confirmed';
  reserves: number;
  avoid: { usccs: string[]; supervisingDepartment: { name: string; uscc: string | null } | null };
  seats: DrawSeat[];
  topUpNeeded: boolean;
  members: DrawMember[];
  rounds: { round: number; algorithm: string; seed: string; needs: { specialtyCode: string; count: number; candidates: number; eligible: number; excluded: Record<string, number> }[]; drawnAt: string }[];
  drawnAt: string;
  confirmedAt: string | null;
  revealedAt: string | null;
}

// ---- the evaluation ----

export interface ReportCandidate {
  rank: number;
  bidId: string;
  bidderName: string;
  priceFen: number;
  totalPoints: number | null;
  evaluatedPriceFen: number | null;
}

export interface EvaluationReport {
  dealCode: string;
  lotCode: string;
  generatedAt: string;
  method: { kind: 'comprehensive' | 'lowest_evaluated_price'; label: string; description: string[] };
  panel: { expertId: string; name: string }[];
  status: 'ok' | 'insufficient_competition';
  minValidBids: number;
  validBidCount: number;
  benchmark: { benchmarkFen?: number; [key: string]: unknown } | null;
  bids: { bidId: string; bidderName: string; priceFen: number; valid: boolean; rank: number | null; totalPoints: number | null; subtotals: Record<string, number> | null }[];
  rejected: { bidId: string; bidderName: string; reasons: string[]; votes: string[] }[];
  ranking: ReportCandidate[];
  candidates: ReportCandidate[];
}

export interface Evaluation {
  lotId: string;
  lotStatus: LotStatus;
  lotStatusName: string;
  drawId: string | null;
  drawnAt: string;
  startedAt: string | null;
  reportedAt: string | null;
  outcome: 'ok' | 'insufficient_competition' | null;
  members: { seat: number; name: string; submittedAt: string | null; confirmedAt: string | null }[];
  report: EvaluationReport | null;
  reportSm3: string | null;
}

// ---- the expert's side ----

export interface ExpertLot {
  lotId: string;
  lotName: string;
  lotCode: string;
  lotStatus: LotStatus;
  lotStatusName: string;
  projectId: string;
  projectName: string;
  dealCode: string;
  seat: number;
  submittedAt: string | null;
  confirmedAt: string | null;
}

export interface ScoredCriterion {
  id: string;
  name: string;
  maxPoints: number;
  description?: string;
  scoredBy?: 'expert' | 'automatic';
}

export interface PassFailCriterion {
  id: string;
  name: string;
  category: 'formal' | 'qualification' | 'responsiveness';
  description?: string;
}

/** The lot's method as the server resolved it (rules filled in). */
export type ResolvedMethod =
  | {
      kind: 'comprehensive';
      passFail: PassFailCriterion[];
      technical: ScoredCriterion[];
      commercial: ScoredCriterion[];
      price: { id: string; name: string; maxPoints: number; formula: { kind: string } };
      rules: { reasonBelowPercentOfMax: number; minValidBids: number; maxCandidates: number };
    }
  | { kind: 'lowest_evaluated_price'; passFail: PassFailCriterion[]; rules: { reasonBelowPercentOfMax: number; minValidBids: number; maxCandidates: number } };

export interface Mark {
  bidId: string;
  criterionId: string;
  points?: number;
  pass?: boolean;
  reason?: string;
}

export interface Rejection {
  bidId: string;
  reason: string;
}

export interface ScoreSheet {
  seat: number;
  marks: Mark[];
  rejections: Rejection[];
  submittedAt: string | null;
  confirmedAt: string | null;
}

export interface OpenedBid {
  bidId: string;
  bidderName: string;
  price: string;
  priceFen: number;
  items: { durationDays?: number; qualityStandard?: string; projectManager?: string; [key: string]: unknown } | null;
  packageSm3: string;
  receivedAt: string;
}

export interface BidsForExpert {
  lotId: string;
  lotName: string;
  method: ResolvedMethod;
  bids: OpenedBid[];
  mine: ScoreSheet;
}

// ---- candidates, award, contract ----

export interface Objection {
  id: string;
  entityId: string;
  content: string;
  filedAt: string;
  replyDue: string;
  reply: string | null;
  repliedAt: string | null;
}

export interface Candidates {
  lotId: string;
  noticeId: string;
  title: string;
  candidates: (ReportCandidate & { bidderEntityId: string; price: string })[];
  publicityFrom: string;
  publicityUntil: string;
  sm3: string | null;
  objections: Objection[];
}

export interface Award {
  lotId: string;
  bidId: string;
  winnerEntityId: string;
  winnerName: string;
  price: string;
  priceFen: number;
  priceInCapitals: string;
  candidateRank: number;
  deviationReason: string | null;
  awardedAt: string;
  resultNoticeId: string;
  noticeSm3: string;
  noticeSignature: { algorithm: string; sm3: string; signature: string; publicKey: string };
  platformPublicKey: string;
}

export interface Contract {
  lotId: string;
  price: string;
  priceFen: number;
  signedOn: string;
  fileName: string;
  fileSm3: string;
  noticeId: string;
  recordedAt: string;
  lotStatus: LotStatus;
  releases: { bidId: string; bidderEntityId: string; amount: string; amountFen: number; releasedAt: string; dueOn: string }[];
}

export interface OpenedAccount {
  accountId: string;
  username: string;
  initialPassword: string;
}
