// Sealing keys, decryption rehearsal and re-sealing: the measures that keep a bid from being
// stranded when a key is renewed or lost. The platform only ever sees public keys, seals and
// signatures made with the commitment key d; never K, never a private key.

import crypto from 'node:crypto';
import type { Deps } from '../../platform/deps.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { hmacSm3, timingSafeEqualHex } from '../../platform/crypto/sm3.ts';
import { isValidSm2PublicKey, sm2Verify } from '../../platform/crypto/sm2.ts';
import { fingerprintOf } from './bid-keyfile.ts';
import { isWellFormedSeal, rehearsalMessage, resealMessage, sealingKeyProofMessage, verifyCommitSignature } from './bid-envelope.ts';
import * as repo from './trading.bids.repository.ts';
import { DEFAULT_BID_INTAKE_RULES, type BidIntakeRules } from './trading.bids.rules.ts';
import { entityOf, type Actor, type Hooks } from './trading.bids.service.ts';

// ---- sealing keys ----

export async function registerSealingKey(deps: Deps, actor: Actor, input: { publicKey: string; label: string; proof: string }, hooks?: Hooks<repo.SealingKeyRow>): Promise<repo.SealingKeyRow> {
  const entityId = entityOf(actor);
  const publicKey = input.publicKey.toLowerCase();
  if (!/^04[0-9a-f]{128}$/.test(publicKey) || !isValidSm2PublicKey(publicKey)) throw invalid('body.publicKey', 'sm2_public_key', '公钥必须是有效的 SM2 公钥（04 开头的非压缩点，130 位十六进制）');
  // Proof of possession: whoever registers the key holds its private half right now, so a
  // mistyped or foreign key cannot become a key the entity's bids are sealed to.
  if (!sm2Verify(sealingKeyProofMessage(entityId, publicKey), input.proof, publicKey)) throw invalid('body.proof', 'proof_of_possession', '持有证明签名无效：须用该密钥的私钥签名');
  const fingerprint = fingerprintOf(publicKey);
  return deps.db.transaction().execute(async (trx) => {
    await repo.lockEntityKeys(trx, entityId);
    if ((await repo.sealingKeysOf(trx, entityId)).some((k) => k.fingerprint === fingerprint)) throw conflict('该公钥已登记过（已撤销的公钥不能重新登记）', 'body.publicKey');
    const id = crypto.randomUUID();
    await repo.insertSealingKey(trx, { id, entity_id: entityId, public_key: publicKey, label: input.label, fingerprint, created_by: actor.principal.accountId, created_at: actor.now, revoked_at: null, revoked_by: null });
    const row = (await repo.findSealingKey(trx, id))!;
    await hooks?.within?.(trx, row);
    return row;
  });
}

export async function listSealingKeys(deps: Deps, actor: Actor): Promise<repo.SealingKeyRow[]> {
  return repo.sealingKeysOf(deps.db, entityOf(actor));
}

/** Revokes a key, unless a pending bid could then be opened by no key at all. */
export async function revokeSealingKey(deps: Deps, actor: Actor, id: string, hooks?: Hooks<repo.SealingKeyRow>): Promise<repo.SealingKeyRow> {
  const entityId = entityOf(actor);
  return deps.db.transaction().execute(async (trx) => {
    await repo.lockEntityKeys(trx, entityId);
    const key = await repo.findSealingKey(trx, id);
    if (!key || key.entity_id !== entityId) throw notFound('密封公钥');
    if (key.revoked_at) throw conflict('该密封公钥已撤销');
    const stranded = await repo.bidsOnlySealedTo(trx, id);
    if (stranded.length) {
      throw conflict(`标段 ${stranded.map((b) => b.lot_code).join('、')} 的投标文件只能用这把密封公钥解密：请先为新密钥补充密钥封装，再撤销此密钥`, 'id', 'only_key_of_pending_bid');
    }
    await repo.revokeSealingKey(trx, id, actor.now, actor.principal.accountId);
    const row = (await repo.findSealingKey(trx, id))!;
    await hooks?.within?.(trx, row);
    return row;
  });
}

async function pendingBid(deps: Deps, actor: Actor, lotId: string): Promise<repo.BidRow> {
  const bid = await repo.standingBid(deps.db, lotId, entityOf(actor));
  if (!bid || bid.status !== 'received') throw notFound('本标段待开标的投标文件');
  return bid;
}

// ---- rehearsal ----

/**
 * Challenges are stateless: `expiresAtMs.nonce.mac` with an HMAC-SM3 under a key derived from
 * the master key, bound to the bid. Nothing to store or clean up; a challenge is good for any
 * number of tries until it expires (a rehearsal proves knowledge, so a replay proves nothing new).
 */
function challengeMac(deps: Deps, bidId: string, expires: string, nonce: string): string {
  return hmacSm3(hmacSm3(deps.keys.master, 'ggzy/bid/rehearsal/v1'), `${bidId}\n${expires}\n${nonce}`).toString('hex');
}

export async function rehearsalChallenge(deps: Deps, actor: Actor, lotId: string, rules: BidIntakeRules = DEFAULT_BID_INTAKE_RULES): Promise<{ bidId: string; challenge: string; expiresAt: Date }> {
  const bid = await pendingBid(deps, actor, lotId);
  const expiresAt = new Date(actor.now.getTime() + rules.rehearsalChallengeSeconds * 1000);
  const expires = String(expiresAt.getTime());
  const nonce = crypto.randomBytes(16).toString('hex');
  return { bidId: bid.id, challenge: `${expires}.${nonce}.${challengeMac(deps, bid.id, expires, nonce)}`, expiresAt };
}

export async function rehearse(deps: Deps, actor: Actor, lotId: string, input: { sealingKeyId: string; challenge: string; signature: string }, hooks?: Hooks<repo.RehearsalRow>): Promise<repo.RehearsalRow> {
  const bid = await pendingBid(deps, actor, lotId);
  const m = /^(\d{13})\.([0-9a-f]{32})\.([0-9a-f]{64})$/.exec(input.challenge);
  if (!m || !timingSafeEqualHex(m[3]!, challengeMac(deps, bid.id, m[1]!, m[2]!))) throw invalid('body.challenge', 'challenge', '演练挑战值无效，请重新获取');
  if (Number(m[1]) < actor.now.getTime()) throw invalid('body.challenge', 'challenge_expired', '演练挑战值已过期，请重新获取');
  const seals = await repo.sealsOf(deps.db, bid.id);
  if (!seals.some((s) => s.sealing_key_id === input.sealingKeyId)) throw invalid('body.sealingKeyId', 'seal_exists', '该密封公钥没有本投标文件的密钥封装');
  const ok = verifyCommitSignature(rehearsalMessage(bid.id, input.challenge), input.signature, bid.commit_key!);
  return deps.db.transaction().execute(async (trx) => {
    const id = crypto.randomUUID();
    await repo.insertRehearsal(trx, { id, bid_id: bid.id, sealing_key_id: input.sealingKeyId, ok, account_id: actor.principal.accountId, at: actor.now });
    const row: repo.RehearsalRow = { id, bid_id: bid.id, sealing_key_id: input.sealingKeyId, ok, account_id: actor.principal.accountId, at: actor.now };
    await hooks?.within?.(trx, row);
    return row;
  });
}

// ---- re-sealing for a renewed key ----

/**
 * Adds (or replaces) the seal of the pending bid for one of the entity's active keys. Only the
 * holder of K can sign the proof with d, so the platform — or someone who took over the account
 * without the key files — cannot slip in a seal of its own. Allowed until the bid is opened,
 * also after the deadline: the file does not change, only who can unwrap its key.
 */
export async function addSeal(deps: Deps, actor: Actor, lotId: string, keyId: string, input: { sealedKey: string; signature: string }, hooks?: Hooks<repo.SealRow>): Promise<repo.SealRow> {
  const entityId = entityOf(actor);
  const sealedKey = input.sealedKey.toLowerCase();
  if (!isWellFormedSeal(sealedKey)) throw invalid('body.sealedKey', 'seal_format', '密钥封装必须是 SM2 加密的 16 字节文件密钥（C1C3C2 十六进制）');
  return deps.db.transaction().execute(async (trx) => {
    await repo.lockEntityKeys(trx, entityId);
    const bid = await repo.standingBid(trx, lotId, entityId, true);
    if (!bid || bid.status !== 'received') throw notFound('本标段待开标的投标文件');
    const key = await repo.findSealingKey(trx, keyId);
    if (!key || key.entity_id !== entityId) throw notFound('密封公钥');
    if (key.revoked_at) throw invalid('keyId', 'sealing_key_active', '该密封公钥已撤销');
    if (!verifyCommitSignature(resealMessage(bid.id, keyId, sealedKey), input.signature, bid.commit_key!)) {
      throw invalid('body.signature', 'commit_signature', '补充密钥封装的证明签名无效：须由持有该投标文件密钥者签名');
    }
    const row = { bid_id: bid.id, sealing_key_id: keyId, sealed_key: sealedKey, via: 'reseal' as const, proof: input.signature, added_by: actor.principal.accountId, added_at: actor.now };
    await repo.upsertSeal(trx, row);
    await hooks?.within?.(trx, row);
    return row;
  });
}
