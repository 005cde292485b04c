// TypeBox schemas and row mappers of the bid box API.

import { Type } from '@sinclair/typebox';
import { iso, Nullable, NullableTimestamp, PageQuery, StringEnum, Timestamp, Uuid } from '../../platform/http/schemas.ts';
import { invalid } from '../../platform/errors.ts';
import type * as repo from './trading.bids.repository.ts';
import type { SealInput } from './trading.bids.service.ts';
import type { LotWindow } from './trading.repository.ts';
import { LOT_STATUS_NAMES } from './trading.rules.ts';

const Hex = (bytes?: number) => Type.String({ pattern: bytes ? `^[0-9a-fA-F]{${bytes * 2}}$` : '^(?:[0-9a-fA-F]{2})+$' });
const Sm2PublicKey = Type.String({ pattern: '^04[0-9a-fA-F]{128}$', description: 'SM2 公钥，04‖x‖y 十六进制' });
const DerSignature = Type.String({ pattern: '^30[0-9a-fA-F]{10,150}$', description: 'SM2 签名，DER 十六进制' });

export const LotParams = Type.Object({ lotId: Uuid }, { additionalProperties: false });
export const LotKeyParams = Type.Object({ lotId: Uuid, keyId: Uuid }, { additionalProperties: false });

export const SealingKey = Type.Object({ id: Uuid, label: Type.String(), publicKey: Type.String(), fingerprint: Type.String(), createdAt: Timestamp, revokedAt: NullableTimestamp });
export const SealingKeyCreate = Type.Object(
  {
    publicKey: Sm2PublicKey,
    label: Type.String({ minLength: 1, maxLength: 50 }),
    /** Proof of possession: the private key's signature over "ggzy/sealing-key/v1\n{entityId}\n{publicKey}". */
    proof: DerSignature,
  },
  { additionalProperties: false },
);

export const Receipt = Type.Object({
  dealCode: Type.String(),
  lotCode: Type.String(),
  bidId: Uuid,
  bidder: Type.Object({ entityId: Uuid, name: Type.String() }),
  sm3: Type.String(),
  size: Type.Integer(),
  receivedAt: Type.String(),
  attempt: Type.Integer(),
});

const BidStatusEnum = StringEnum(['uploading', 'received', 'replaced', 'withdrawn', 'incomplete', 'decrypted', 'decrypt_failed_bidder', 'decrypt_failed_platform'] as const);

export const Bid = Type.Object({
  id: Uuid,
  lotId: Uuid,
  dealCode: Type.String(),
  lotCode: Type.String(),
  attempt: Type.Integer(),
  status: BidStatusEnum,
  failureReason: Nullable(Type.String()),
  startedAt: Timestamp,
  size: Nullable(Type.Integer()),
  sm3Digest: Nullable(Type.String()),
  commitKey: Nullable(Type.String()),
  receivedAt: NullableTimestamp,
  receipt: Nullable(Receipt),
  receiptSignature: Nullable(Type.String()),
  replacedAt: NullableTimestamp,
  withdrawnAt: NullableTimestamp,
  decryptAttempts: Type.Integer(),
  decryptedAt: NullableTimestamp,
  decryptFailure: Nullable(Type.String()),
  plaintextDigest: Nullable(Type.String()),
});

export const Seal = Type.Object({ sealingKeyId: Uuid, label: Type.String(), fingerprint: Type.String(), sealedKey: Type.String(), via: Type.String(), addedAt: Timestamp, keyRevoked: Type.Boolean() });
export const Rehearsal = Type.Object({ id: Uuid, sealingKeyId: Nullable(Uuid), ok: Type.Boolean(), at: Timestamp });

export const Security = Type.Object({
  id: Uuid,
  form: StringEnum(['cash', 'guarantee'] as const),
  amountFen: Type.Integer(),
  payingAccountMasked: Nullable(Type.String()),
  guaranteeNo: Nullable(Type.String()),
  issuerId: Nullable(Uuid),
  verified: Type.Boolean(),
  submittedAt: Timestamp,
});

export const MyBid = Type.Object({
  lot: Type.Object({ lotId: Uuid, lotCode: Type.String(), dealCode: Type.String(), lotName: Type.String(), lotStatus: Type.String(), bidDeadline: Timestamp }),
  bid: Nullable(Bid),
  seals: Type.Array(Seal),
  rehearsals: Type.Array(Rehearsal),
  attempts: Type.Array(Type.Object({ id: Uuid, attempt: Type.Integer(), status: BidStatusEnum, failureReason: Nullable(Type.String()), startedAt: Timestamp, receivedAt: NullableTimestamp })),
  security: Nullable(Security),
});

export const IntakeResult = Type.Object({ bid: Bid, receipt: Receipt, signature: Type.String(), replacedBidId: Nullable(Uuid) });

export const StaffBids = Type.Object({
  disclosed: Type.Boolean(),
  count: Type.Integer(),
  receivedAt: Type.Optional(Type.Array(Timestamp)),
  bids: Type.Optional(Type.Array(Type.Object({ id: Uuid, bidder: Type.Object({ entityId: Uuid, name: Type.String() }), status: BidStatusEnum, receivedAt: NullableTimestamp, receipt: Nullable(Receipt), receiptSignature: Nullable(Type.String()), decryptFailure: Nullable(Type.String()) }))),
});

export const Challenge = Type.Object({ bidId: Uuid, challenge: Type.String(), expiresAt: Timestamp });
export const RehearsalBody = Type.Object({ sealingKeyId: Uuid, challenge: Type.String({ maxLength: 200 }), signature: DerSignature }, { additionalProperties: false });
export const SealBody = Type.Object({ sealedKey: Hex(), signature: DerSignature }, { additionalProperties: false });
export const DecryptBody = Type.Object({ fileKey: Type.String({ maxLength: 64, description: '16 字节文件密钥，32 位十六进制' }) }, { additionalProperties: false });
export const DecryptResult = Type.Object({ outcome: Type.String(), bid: Bid });

export const Guarantee = Type.Object(
  {
    guaranteeNo: Type.String({ minLength: 1, maxLength: 64 }),
    issuerUscc: Type.String({ minLength: 18, maxLength: 18 }),
    beneficiary: Type.String({ minLength: 18, maxLength: 18 }),
    applicant: Type.String({ minLength: 18, maxLength: 18 }),
    dealCode: Type.String({ maxLength: 40 }),
    lotCode: Type.String({ maxLength: 40 }),
    amountFen: Type.Integer({ minimum: 1 }),
    validFrom: Type.String({ format: 'date' }),
    validTo: Type.String({ format: 'date' }),
  },
  { additionalProperties: false },
);
export const SecurityBody = Type.Object(
  {
    form: StringEnum(['cash', 'guarantee'] as const),
    amountFen: Type.Optional(Type.Integer({ minimum: 1 })),
    payingAccount: Type.Optional(Type.String({ pattern: '^[0-9]{8,30}$' })),
    guarantee: Type.Optional(Guarantee),
    signature: Type.Optional(DerSignature),
  },
  { additionalProperties: false },
);

export const Issuer = Type.Object({ id: Uuid, name: Type.String(), uscc: Type.String(), publicKey: Type.String(), status: Type.String(), createdAt: Timestamp });
export const IssuerCreate = Type.Object({ name: Type.String({ minLength: 2, maxLength: 100 }), uscc: Type.String({ minLength: 18, maxLength: 18 }), publicKey: Sm2PublicKey }, { additionalProperties: false });

export const PlatformKey = Type.Object({ algorithm: Type.String(), publicKey: Type.String(), userId: Type.String(), signs: Type.String() });
export const VerifyBody = Type.Object({ receipt: Receipt, signature: Type.String({ maxLength: 200 }) }, { additionalProperties: false });

// ---- the x-bid-seals header ----

/** `x-bid-seals`: base64url of the JSON array `[{ sealingKeyId, sealedKey }]`, one per active sealing key. */
export function parseSealsHeader(value: string | string[] | undefined): SealInput[] {
  const field = 'headers.x-bid-seals';
  if (typeof value !== 'string' || value.length === 0) throw invalid(field, 'required', '缺少 x-bid-seals 请求头：须附上文件密钥给每把密封公钥的封装');
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw invalid(field, 'format', 'x-bid-seals 须为 JSON 数组的 base64url 编码');
  }
  if (!Array.isArray(parsed) || parsed.length > 20) throw invalid(field, 'format', 'x-bid-seals 须为至多 20 项的数组');
  return parsed.map((s: unknown) => {
    const o = s as Record<string, unknown> | null;
    if (typeof o?.sealingKeyId !== 'string' || !/^[0-9a-f-]{36}$/i.test(o.sealingKeyId) || typeof o.sealedKey !== 'string') throw invalid(field, 'format', 'x-bid-seals 每项须有 sealingKeyId 与 sealedKey');
    return { sealingKeyId: o.sealingKeyId.toLowerCase(), sealedKey: o.sealedKey };
  });
}

// ---- mappers ----

export function mapSealingKey(k: repo.SealingKeyRow) {
  return { id: k.id, label: k.label, publicKey: k.public_key, fingerprint: k.fingerprint, createdAt: k.created_at.toISOString(), revokedAt: iso(k.revoked_at) };
}

export function mapBid(b: repo.BidRow) {
  return {
    id: b.id,
    lotId: b.lot_id,
    dealCode: b.deal_code,
    lotCode: b.lot_code,
    attempt: b.attempt,
    status: b.status,
    failureReason: b.failure_reason,
    startedAt: b.started_at.toISOString(),
    size: b.size,
    sm3Digest: b.blob_digest,
    commitKey: b.commit_key,
    receivedAt: iso(b.received_at),
    receipt: b.receipt as never,
    receiptSignature: b.receipt_signature,
    replacedAt: iso(b.replaced_at),
    withdrawnAt: iso(b.withdrawn_at),
    decryptAttempts: b.decrypt_attempts,
    decryptedAt: iso(b.decrypted_at),
    decryptFailure: b.decrypt_failure,
    plaintextDigest: b.plaintext_digest,
  };
}

export function mapSecurity(s: repo.SecurityRow) {
  const g = s.guarantee as { guaranteeNo?: string } | null;
  return { id: s.id, form: s.form, amountFen: s.amount_fen, payingAccountMasked: s.paying_account_masked, guaranteeNo: g?.guaranteeNo ?? null, issuerId: s.issuer_id, verified: s.verified, submittedAt: s.submitted_at.toISOString() };
}

export function mapLot(w: LotWindow) {
  return { lotId: w.lotId, lotCode: w.lotCode, dealCode: w.dealCode, lotName: w.lotName, lotStatus: w.lotStatus, bidDeadline: w.bidDeadline.toISOString() };
}

export function mapIssuer(i: repo.IssuerRow) {
  return { id: i.id, name: i.name, uscc: i.uscc, publicKey: i.public_key, status: i.status, createdAt: i.created_at.toISOString() };
}

export const MyBidsQuery = Type.Object(PageQuery, { additionalProperties: false });
export const MyBidListItem = Type.Object({ projectId: Uuid, projectName: Type.String(), lotName: Type.String(), lotStatus: Type.String(), lotStatusName: Type.String(), bidDeadline: NullableTimestamp, bid: Bid });

export function mapMyBidListItem(r: repo.MyBidListRow) {
  return { projectId: r.project_id, projectName: r.project_name, lotName: r.lot_name, lotStatus: r.lot_status, lotStatusName: LOT_STATUS_NAMES[r.lot_status], bidDeadline: r.bid_deadline?.toISOString() ?? null, bid: mapBid(r) };
}
