// Factories of the bid box tests (not a test file itself): bidders with registered sealing
// keys, sealed envelopes, and uploads through the API.

import type { LightMyRequestResponse } from 'fastify';
import { bearer, type Harness } from '../../../test/support/harness.ts';
import { generateSm2KeyPair, sm2Sign } from '../../platform/crypto/sm2.ts';
import { generateFileKey, sealBuffer, sealFileKey, sealingKeyProofMessage } from './bid-envelope.ts';
import { activeEntity, recordDownload } from './trading.test-support.ts';

export interface TestKey {
  id: string;
  privateKey: string;
  publicKey: string;
}

export type TestBidder = Awaited<ReturnType<typeof activeEntity>> & { keys: TestKey[] };

/** Registers a sealing key for the entity through the API. */
export async function addSealingKey(h: Harness, who: { token: string; entityId: string }, label: string): Promise<TestKey> {
  const pair = generateSm2KeyPair();
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/trading/sealing-keys',
    headers: bearer(who.token),
    payload: { publicKey: pair.publicKey, label, proof: sm2Sign(sealingKeyProofMessage(who.entityId, pair.publicKey), pair.privateKey) },
  });
  if (res.statusCode !== 201) throw new Error(`sealing key: ${res.statusCode} ${res.body}`);
  return { id: res.json<{ id: string }>().id, ...pair };
}

/** An active bidder (organisation n) with a working key and an offline backup key. */
export async function bidderWithKeys(h: Harness, n: number, keyCount = 2): Promise<TestBidder> {
  const who = await activeEntity(h, n, ['bidder']);
  const keys: TestKey[] = [];
  for (let i = 0; i < keyCount; i++) keys.push(await addSealingKey(h, who, i === 0 ? '工作密钥' : `备用密钥${i}`));
  return { ...who, keys };
}

export interface SealedTestBid {
  envelope: Buffer;
  fileKey: Buffer;
  seals: { sealingKeyId: string; sealedKey: string }[];
}

export async function sealedBid(keys: TestKey[], plaintext: Buffer = Buffer.from('投标函：投标报价 9,876,543.21 元')): Promise<SealedTestBid> {
  const fileKey = generateFileKey();
  const envelope = await sealBuffer(fileKey, plaintext);
  return { envelope, fileKey, seals: keys.map((k) => ({ sealingKeyId: k.id, sealedKey: sealFileKey(fileKey, k.publicKey) })) };
}

export function sealsHeader(seals: { sealingKeyId: string; sealedKey: string }[]): string {
  return Buffer.from(JSON.stringify(seals)).toString('base64url');
}

/** Uploads a sealed bid as the bidder of `token`, which first downloads the documents (recorded) if it has not. */
export async function upload(h: Harness, token: string, lotId: string, body: Buffer | NodeJS.ReadableStream, seals: { sealingKeyId: string; sealedKey: string }[], headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  const me = (await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).json<{ entity?: { id: string } | null }>();
  const lot = await h.deps.db.selectFrom('trading.lots').select('project_id').where('id', '=', lotId).executeTakeFirst();
  const entityId = me.entity?.id;
  if (entityId && lot) {
    const done = await h.deps.db.selectFrom('trading.downloads').select('id').where('project_id', '=', lot.project_id).where('entity_id', '=', entityId).executeTakeFirst();
    if (!done) await recordDownload(h, { projectId: lot.project_id }, entityId);
  }
  return h.app.inject({
    method: 'PUT',
    url: `/api/v1/trading/lots/${lotId}/bids/mine`,
    headers: { ...bearer(token), 'content-type': 'application/octet-stream', 'x-bid-seals': sealsHeader(seals), 'x-bid-client': 'ggzy-test/1', ...headers },
    payload: body as Buffer,
  });
}
