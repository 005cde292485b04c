// Keeping bids openable: sealing keys, rehearsal, key renewal and revocation; bid security; and
// decryption at the opening (right key, wrong key = 撤销, damaged file = 撤回, the rest at the
// end of the window) — through HTTP.

import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, problem, signedInAs, signIn, type Harness } from '../../../test/support/harness.ts';
import { canonicalJson } from '../../platform/audit/canonical.ts';
import { generateSm2KeyPair, sm2Sign } from '../../platform/crypto/sm2.ts';
import { sm3Hex } from '../../platform/crypto/sm3.ts';
import { generateFileKey, resealMessage, sealBuffer, sealFileKey, sealingKeyProofMessage, signWithFileKey, rehearsalMessage, unwrapFileKey } from './bid-envelope.ts';
import { addSealingKey, bidderWithKeys, sealedBid, upload, type SealedTestBid, type TestBidder } from './trading.bids.test-support.ts';
import { bidSecurityLimit as limitOf } from './trading.schedule.ts';

const bidSecurityLimit = (priceFen: number, kind: Parameters<typeof limitOf>[1]) => limitOf(priceFen, kind).limitFen;
import { closeDecryption, bidsOfLot } from './trading.bids.opening.ts';
import { biddingLot, type LotFixture } from './trading.test-support.ts';

let h: Harness;
let lot: LotFixture;
let a: TestBidder;
let aBid: SealedTestBid;
let aBidId: string;
const DEADLINE = new Date('2026-03-25T01:30:00.000Z');
const url = (path: string, lotId = lot.lotId) => `/api/v1/trading/lots/${lotId}/bids/mine${path}`;

beforeAll(async () => {
  h = await createHarness();
  lot = await biddingLot(h, 1, { bidDeadline: DEADLINE });
  a = await bidderWithKeys(h, 2);
  aBid = await sealedBid(a.keys);
  const res = await upload(h, a.token, lot.lotId, aBid.envelope, aBid.seals);
  if (res.statusCode !== 201) throw new Error(res.body);
  aBidId = res.json<{ bid: { id: string } }>().bid.id;
});
afterAll(async () => h.close());

describe('sealing keys', () => {
  it('refuses a key without proof of possession, an invalid point, and a key registered twice', async () => {
    const pair = generateSm2KeyPair();
    const post = (payload: Record<string, unknown>) => h.app.inject({ method: 'POST', url: '/api/v1/trading/sealing-keys', headers: bearer(a.token), payload });
    const other = generateSm2KeyPair();
    expect(problem(await post({ publicKey: pair.publicKey, label: '新密钥', proof: sm2Sign(sealingKeyProofMessage(a.entityId, pair.publicKey), other.privateKey) })).rule).toBe('proof_of_possession');
    expect(problem(await post({ publicKey: '04' + '11'.repeat(64), label: '新密钥', proof: sm2Sign('x', pair.privateKey) })).rule).toBe('sm2_public_key');
    const dup = await post({ publicKey: a.keys[0]!.publicKey, label: '重复', proof: sm2Sign(sealingKeyProofMessage(a.entityId, a.keys[0]!.publicKey), a.keys[0]!.privateKey) });
    expect(dup.statusCode).toBe(409);
    const list = (await h.app.inject({ method: 'GET', url: '/api/v1/trading/sealing-keys', headers: bearer(a.token) })).json<{ items: { fingerprint: string }[] }>();
    expect(list.items.map((k) => k.fingerprint).sort()).toEqual(a.keys.map((k) => sm3Hex(Buffer.from(k.publicKey, 'hex'))).sort());
  });
});

describe('rehearsal', () => {
  const challenge = async () => (await h.app.inject({ method: 'POST', url: url('/rehearsal/challenge'), headers: bearer(a.token) })).json<{ bidId: string; challenge: string }>();

  it('proves with either key that it opens the bid, without the platform seeing K', async () => {
    const seals = (await h.app.inject({ method: 'GET', url: url(''), headers: bearer(a.token) })).json<{ seals: { sealingKeyId: string; sealedKey: string }[] }>().seals;
    for (const key of a.keys) {
      const c = await challenge();
      expect(c.bidId).toBe(aBidId);
      const k = unwrapFileKey(seals.find((s) => s.sealingKeyId === key.id)!.sealedKey, key.privateKey);
      const res = await h.app.inject({ method: 'POST', url: url('/rehearsal'), headers: bearer(a.token), payload: { sealingKeyId: key.id, challenge: c.challenge, signature: signWithFileKey(k, rehearsalMessage(c.bidId, c.challenge)) } });
      expect(res.statusCode).toBe(200);
      expect(res.json<{ ok: boolean }>().ok).toBe(true);
    }
  });

  it('records a failed rehearsal (a K that is not this bid’s), refuses a forged or expired challenge', async () => {
    const c = await challenge();
    const wrong = await h.app.inject({ method: 'POST', url: url('/rehearsal'), headers: bearer(a.token), payload: { sealingKeyId: a.keys[0]!.id, challenge: c.challenge, signature: signWithFileKey(generateFileKey(), rehearsalMessage(c.bidId, c.challenge)) } });
    expect(wrong.json<{ ok: boolean }>().ok).toBe(false);
    const forged = c.challenge.slice(0, -1) + (c.challenge.endsWith('0') ? '1' : '0');
    const bad = await h.app.inject({ method: 'POST', url: url('/rehearsal'), headers: bearer(a.token), payload: { sealingKeyId: a.keys[0]!.id, challenge: forged, signature: signWithFileKey(aBid.fileKey, rehearsalMessage(c.bidId, forged)) } });
    expect(problem(bad).rule).toBe('challenge');
    h.clock.advance(301_000);
    a.token = (await signIn(h, a.username)).token;
    const late = await h.app.inject({ method: 'POST', url: url('/rehearsal'), headers: bearer(a.token), payload: { sealingKeyId: a.keys[0]!.id, challenge: c.challenge, signature: signWithFileKey(aBid.fileKey, rehearsalMessage(c.bidId, c.challenge)) } });
    expect(problem(late).rule).toBe('challenge_expired');
    const view = (await h.app.inject({ method: 'GET', url: url(''), headers: bearer(a.token) })).json<{ rehearsals: { ok: boolean }[] }>();
    expect(view.rehearsals.map((r) => r.ok).sort()).toEqual([false, true, true]);
  });
});

describe('key renewal and revocation', () => {
  let renewed: Awaited<ReturnType<typeof addSealingKey>>;
  const revoke = (id: string) => h.app.inject({ method: 'DELETE', url: `/api/v1/trading/sealing-keys/${id}`, headers: bearer(a.token) });
  const reseal = (keyId: string, payload: Record<string, unknown>) => h.app.inject({ method: 'PUT', url: url(`/seals/${keyId}`), headers: bearer(a.token), payload });

  it('a new key must be sealed to on the next upload', async () => {
    renewed = await addSealingKey(h, a, '更新后的密钥');
    const sealed = await sealedBid(a.keys);
    const res = await upload(h, a.token, lot.lotId, sealed.envelope, sealed.seals);
    expect(problem(res).rule).toBe('seal_missing');
  });

  it('revoking keys is refused while the pending bid would be left without any', async () => {
    expect((await revoke(a.keys[0]!.id)).statusCode).toBe(200);
    const refused = await revoke(a.keys[1]!.id);
    expect(refused.statusCode).toBe(409);
    expect(problem(refused).rule).toBe('only_key_of_pending_bid');
    expect(problem(refused).detail).toContain(lot.lotCode);
  });

  it('a seal for the renewed key is added only with a proof signed by d (holder of K)', async () => {
    const sealedKey = sealFileKey(aBid.fileKey, renewed.publicKey);
    const forged = await reseal(renewed.id, { sealedKey, signature: signWithFileKey(generateFileKey(), resealMessage(aBidId, renewed.id, sealedKey)) });
    expect(problem(forged).rule).toBe('commit_signature');
    // A proof for another seal does not carry over.
    const other = sealFileKey(aBid.fileKey, renewed.publicKey);
    expect(problem(await reseal(renewed.id, { sealedKey, signature: signWithFileKey(aBid.fileKey, resealMessage(aBidId, renewed.id, other)) })).rule).toBe('commit_signature');
    expect((await reseal(a.keys[0]!.id, { sealedKey, signature: signWithFileKey(aBid.fileKey, resealMessage(aBidId, a.keys[0]!.id, sealedKey)) })).statusCode).toBe(400);
    const ok = await reseal(renewed.id, { sealedKey, signature: signWithFileKey(aBid.fileKey, resealMessage(aBidId, renewed.id, sealedKey)) });
    expect(ok.statusCode).toBe(200);
    expect((await revoke(a.keys[1]!.id)).statusCode).toBe(200);
    const seals = (await h.app.inject({ method: 'GET', url: url(''), headers: bearer(a.token) })).json<{ seals: { sealingKeyId: string; sealedKey: string; keyRevoked: boolean }[] }>().seals;
    const fresh = seals.find((s) => s.sealingKeyId === renewed.id)!;
    expect(unwrapFileKey(fresh.sealedKey, renewed.privateKey).equals(aBid.fileKey)).toBe(true);
    expect(seals.filter((s) => s.keyRevoked)).toHaveLength(2);
    expect((await revoke(renewed.id)).statusCode).toBe(409);
    a.keys = [renewed];
  });
});

describe('bid security', () => {
  const post = (payload: Record<string, unknown>, lotId = lot.lotId) => h.app.inject({ method: 'POST', url: url('/security', lotId), headers: bearer(a.token), payload });
  const ACCOUNT = '14050110000000000123';

  it('caps: 2% of the estimated price, 800,000 yuan, 100,000 yuan for survey and design', () => {
    expect(bidSecurityLimit(1_000_000_000, 'construction')).toBe(20_000_000);
    expect(bidSecurityLimit(5_000_000_000, 'construction')).toBe(80_000_000);
    expect(bidSecurityLimit(5_000_000_000, 'design')).toBe(10_000_000);
    expect(bidSecurityLimit(1_000_000_050, 'goods')).toBe(20_000_001);
  });

  it('cash: at least the required amount, at most exactly 2%, from the basic account only', async () => {
    expect(problem(await post({ form: 'cash', amountFen: 20_000_000, payingAccount: '62220000000000000000' })).rule).toBe('basic_account');
    expect(problem(await post({ form: 'cash', amountFen: 9_999_999, payingAccount: ACCOUNT })).rule).toBe('amount_required');
    expect(problem(await post({ form: 'cash', amountFen: 20_000_001, payingAccount: ACCOUNT })).rule).toBe('amount_cap');
    const ok = await post({ form: 'cash', amountFen: 20_000_000, payingAccount: ACCOUNT });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ form: 'cash', amountFen: 20_000_000, verified: false });
    expect(ok.body).not.toContain(ACCOUNT);
  });

  it('the 800,000-yuan cap on a large lot, to the fen', async () => {
    const big = await biddingLot(h, 12, { bidDeadline: DEADLINE, estimatedPriceFen: 5_000_000_000, bidSecurityFen: 10_000_000 });
    expect(problem(await post({ form: 'cash', amountFen: 80_000_001, payingAccount: ACCOUNT }, big.lotId)).rule).toBe('amount_cap');
    expect((await post({ form: 'cash', amountFen: 80_000_000, payingAccount: ACCOUNT }, big.lotId)).statusCode).toBe(201);
  });

  it('electronic guarantee: registered issuer, its signature, amount, validity, applicant, lot', async () => {
    const issuerKey = generateSm2KeyPair();
    const staff = await signedInAs(h, { roles: [{ code: 'centre_staff', scope: 'province' }] });
    const reg = (payload: Record<string, unknown>, token = staff.token) => h.app.inject({ method: 'POST', url: '/api/v1/trading/guarantee-issuers', headers: bearer(token), payload });
    expect((await reg({ name: '某银行山西省分行', uscc: '91110000600037341L', publicKey: issuerKey.publicKey }, a.token)).statusCode).toBe(403);
    expect((await reg({ name: '某银行山西省分行', uscc: '91110000600037341L', publicKey: issuerKey.publicKey })).statusCode).toBe(201);
    a.token = (await signIn(h, a.username)).token;
    const tenderer = await h.deps.db.selectFrom('registry.entities').select('uscc').where('id', '=', lot.tenderer.entityId).executeTakeFirstOrThrow();
    const doc = { guaranteeNo: 'BH2026030001', issuerUscc: '91110000600037341L', beneficiary: tenderer.uscc!, applicant: a.uscc, dealCode: lot.dealCode, lotCode: lot.lotCode, amountFen: 10_000_000, validFrom: '2026-03-25', validTo: '2026-06-23' };
    const send = (g: typeof doc, key = issuerKey.privateKey) => post({ form: 'guarantee', guarantee: g, signature: sm2Sign(canonicalJson(g), key) });
    expect(problem(await send(doc, generateSm2KeyPair().privateKey)).rule).toBe('guarantee_signature');
    expect(problem(await send({ ...doc, issuerUscc: '91350100M000100Y43' })).rule).toBe('issuer_registered');
    expect(problem(await send({ ...doc, amountFen: 9_999_999 })).rule).toBe('amount_required');
    // Bid validity 90 days from the deadline day (25 March) ends on 23 June: one day short fails.
    expect(problem(await send({ ...doc, validTo: '2026-06-22' })).rule).toBe('guarantee_validity');
    expect(problem(await send({ ...doc, validFrom: '2026-03-26' })).rule).toBe('guarantee_validity');
    expect(problem(await send({ ...doc, applicant: '91350100M000100Y43' })).rule).toBe('guarantee_applicant');
    expect(problem(await send({ ...doc, lotCode: `${lot.dealCode}002` })).rule).toBe('guarantee_lot');
    const ok = await send(doc);
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ form: 'guarantee', guaranteeNo: 'BH2026030001', verified: true });
    const rows = await h.deps.db.selectFrom('trading.bid_securities').select('status').where('lot_id', '=', lot.lotId).where('bidder_entity_id', '=', a.entityId).execute();
    expect(rows.map((r) => r.status).sort()).toEqual(['active', 'superseded']);
  });
});

describe('decryption at the opening', () => {
  let b: TestBidder;
  let c: TestBidder;
  let d: TestBidder;
  let e: TestBidder;
  let bBid: SealedTestBid;
  let cBid: SealedTestBid;
  let dEnvelope: Buffer;
  const decrypt = (who: TestBidder, fileKey: Buffer | string) => h.app.inject({ method: 'POST', url: url('/decrypt'), headers: bearer(who.token), payload: { fileKey: typeof fileKey === 'string' ? fileKey : fileKey.toString('hex') } });

  beforeAll(async () => {
    [b, c, d, e] = [await bidderWithKeys(h, 4), await bidderWithKeys(h, 5), await bidderWithKeys(h, 6), await bidderWithKeys(h, 7)];
    bBid = await sealedBid(b.keys, crypto.randomBytes(300_000));
    cBid = await sealedBid(c.keys);
    // d uploads an envelope whose tag is broken by its own tool: the platform stores it as received.
    const dk = generateFileKey();
    dEnvelope = await sealBuffer(dk, Buffer.from('损坏的投标文件'));
    dEnvelope[dEnvelope.length - 1] = dEnvelope[dEnvelope.length - 1]! ^ 1;
    const dSeals = d.keys.map((k) => ({ sealingKeyId: k.id, sealedKey: sealFileKey(dk, k.publicKey) }));
    const eBid = await sealedBid(e.keys);
    for (const [who, env, seals] of [[b, bBid.envelope, bBid.seals], [c, cBid.envelope, cBid.seals], [d, dEnvelope, dSeals], [e, eBid.envelope, eBid.seals]] as const) {
      const res = await upload(h, who.token, lot.lotId, env, seals);
      if (res.statusCode !== 201) throw new Error(res.body);
    }
    (d as TestBidder & { fileKey?: Buffer }).fileKey = dk;
  });

  it('is refused before the decryption window opens', async () => {
    const res = await decrypt(b, bBid.fileKey);
    expect(res.statusCode).toBe(409);
    expect(problem(res).rule).toBe('decryption_window');
  });

  it('right key → decrypted, plaintext stored under its SM3 for the evaluation', async () => {
    await h.deps.db.updateTable('trading.lots').set({ status: 'decrypting' }).where('id', '=', lot.lotId).execute();
    h.clock.set(DEADLINE.getTime() + 60_000);
    for (const who of [a, b, c, d, e]) who.token = (await signIn(h, who.username)).token;
    expect(problem(await decrypt(b, 'zz')).rule).toBe('file_key_format');
    const res = await decrypt(b, bBid.fileKey);
    expect(res.statusCode).toBe(200);
    const bid = res.json<{ outcome: string; bid: { status: string; plaintextDigest: string } }>();
    expect(bid.outcome).toBe('decrypted');
    expect(bid.bid.status).toBe('decrypted');
    const plain = await h.deps.blobs.get(bid.bid.plaintextDigest);
    expect(plain).toBeDefined();
    expect(sm3Hex(plain!)).toBe(bid.bid.plaintextDigest);
    expect((await decrypt(b, bBid.fileKey)).statusCode).toBe(409);
  });

  it('the renewed key alone still opens a bid first sealed to the revoked keys', async () => {
    const view = (await h.app.inject({ method: 'GET', url: url(''), headers: bearer(a.token) })).json<{ seals: { sealingKeyId: string; sealedKey: string }[] }>();
    const k = unwrapFileKey(view.seals.find((s) => s.sealingKeyId === a.keys[0]!.id)!.sealedKey, a.keys[0]!.privateKey);
    expect((await decrypt(a, k)).json<{ outcome: string }>().outcome).toBe('decrypted');
  });

  it('a wrong key is refused with the tries left, and after the last try the bid counts as 撤销', async () => {
    const first = await decrypt(c, generateFileKey());
    expect(problem(first)).toMatchObject({ rule: 'file_key_commitment' });
    expect(problem(first).detail).toContain('还可尝试 2 次');
    await decrypt(c, generateFileKey());
    const last = await decrypt(c, generateFileKey());
    expect(problem(last).detail).toContain('视为撤销');
    const row = await h.deps.db.selectFrom('trading.bids').selectAll().where('lot_id', '=', lot.lotId).where('bidder_entity_id', '=', c.entityId).where('status', '=', 'decrypt_failed_bidder').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ decrypt_attempts: 3, decrypt_failure: 'wrong_key' });
    expect((await decrypt(c, cBid.fileKey)).statusCode).toBe(409);
  });

  it('a stored file damaged after its receipt → 撤回 (the platform’s failure); a broken envelope as received → 撤销', async () => {
    const eRow = await h.deps.db.selectFrom('trading.bids').selectAll().where('lot_id', '=', lot.lotId).where('bidder_entity_id', '=', e.entityId).where('status', '=', 'received').executeTakeFirstOrThrow();
    const file = h.deps.blobs.fileOf(eRow.blob_digest!);
    const bytes = await fs.readFile(file);
    bytes[bytes.length - 40] = bytes[bytes.length - 40]! ^ 1;
    await fs.writeFile(file, bytes);
    const eKey = unwrapFileKey((await h.deps.db.selectFrom('trading.bid_key_seals').select('sealed_key').where('bid_id', '=', eRow.id).where('sealing_key_id', '=', e.keys[0]!.id).executeTakeFirstOrThrow()).sealed_key, e.keys[0]!.privateKey);
    const damaged = await decrypt(e, eKey);
    expect(damaged.json()).toMatchObject({ outcome: 'failed_platform', bid: { status: 'decrypt_failed_platform', decryptFailure: 'blob_damaged' } });

    const broken = await decrypt(d, (d as TestBidder & { fileKey: Buffer }).fileKey);
    expect(broken.json()).toMatchObject({ outcome: 'failed_bidder', bid: { status: 'decrypt_failed_bidder', decryptFailure: 'envelope_invalid' } });
  });

  it('closeDecryption marks every bid still not decrypted as 撤销, inside the caller’s transaction', async () => {
    const f = await bidderWithKeys(h, 8);
    await h.deps.db.updateTable('trading.lots').set({ status: 'bidding' }).where('id', '=', lot.lotId).execute();
    h.clock.set(DEADLINE.getTime() - 1000);
    f.token = (await signIn(h, f.username)).token;
    const fBid = await sealedBid(f.keys);
    expect((await upload(h, f.token, lot.lotId, fBid.envelope, fBid.seals)).statusCode).toBe(201);
    const at = new Date(DEADLINE.getTime() + 3_600_000);
    const r = await h.deps.db.transaction().execute((trx) => closeDecryption(trx, lot.lotId, at));
    expect(r.failedBidIds).toHaveLength(1);
    const all = await bidsOfLot(h.deps.db, lot.lotId);
    expect(Object.fromEntries(all.map((x) => [x.bidder_name, x.status]))).toEqual({
      [a.name]: 'decrypted',
      [b.name]: 'decrypted',
      [c.name]: 'decrypt_failed_bidder',
      [d.name]: 'decrypt_failed_bidder',
      [e.name]: 'decrypt_failed_platform',
      [f.name]: 'decrypt_failed_bidder',
    });
  });
});
