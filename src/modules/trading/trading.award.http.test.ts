// From the report to the closed lot through HTTP: candidates' publicity (the 3-day publication
// rule and the 3-day publicity at their boundaries), objections blocking the award, the award's
// 15-day rule, the signed award notice, the contract's 30-day and exact-price rules, the release
// of the securities, and one walk from the opening to the closed lot with its timeline.
// The harness clock starts on Monday 2026-03-02 09:00 CST and only moves forward.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyDocument } from '../../platform/documents/signature.ts';
import { bearer, createHarness, problem, type Harness } from '../../../test/support/harness.ts';
import { evaluatingLot, openedLot, sheetFor, staffAccount, travel, type OpenedLot, type Panel, type Signed } from './trading.test-support.ts';

let h: Harness;
let staff: Signed;

beforeEach(async () => {
  h = await createHarness();
  staff = await staffAccount(h, '140100');
});
afterEach(async () => h.close());

const send = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: unknown, headers: Record<string, string> = {}) =>
  h.app.inject({ method, url, headers: { ...bearer(token), ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) });

async function ok<T = unknown>(res: { statusCode: number; body: string; json: <U>() => U }, status = 200): Promise<T> {
  if (res.statusCode !== status) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json<T>();
}

const PRICES = [980_000_000, 1_000_000_000, 1_020_000_000, 995_000_000];

/** An opened lot evaluated and reported: every member scores the bids alike (bid 0 best). */
async function reported(n: number, prices = PRICES): Promise<{ lot: OpenedLot; panel: Panel; owner: Signed }> {
  const lot = await openedLot(h, n, prices.map((priceFen) => ({ priceFen })));
  const panel = await evaluatingLot(h, lot.lotId, staff);
  const bidIds = lot.results.map((r) => r.bidId);
  for (const m of panel.members) {
    await ok(await send('PUT', `/api/v1/trading/lots/${lot.lotId}/scores/mine`, m.account.token, sheetFor(bidIds, (i) => 0.95 - i * 0.05)));
    await ok(await send('POST', `/api/v1/trading/lots/${lot.lotId}/scores/mine/confirm`, m.account.token));
  }
  await ok(await send('POST', `/api/v1/trading/lots/${lot.lotId}/evaluation/report`, staff.token));
  const owner = { username: lot.tenderer.username, token: lot.tenderer.token };
  return { lot, panel, owner };
}

describe('the walk from the opening to the closed lot', () => {
  it('draws, scores, reports, publishes, awards, contracts and closes, with the timeline in order', async () => {
    const { lot, panel, owner } = await reported(1);
    const evaluation = await ok<{ outcome: string; report: { candidates: { bidId: string; rank: number }[] } }>(await send('GET', `/api/v1/trading/lots/${lot.lotId}/evaluation`, staff.token));
    expect(evaluation.outcome).toBe('ok');
    const first = evaluation.report.candidates[0]!;
    await ok(await send('POST', `/api/v1/trading/lots/${lot.lotId}/candidates`, owner.token, { publicityUntil: '2026-03-05T09:00:00.000Z' }), 201);
    await travel(h, '2026-03-06T01:00:00.000Z', staff, owner);
    const award = await ok<{ priceFen: number; noticeSignature: { sm3: string; signature: string; publicKey: string; algorithm: 'SM2-SM3'; context: 'ggzy/document/v1' }; platformPublicKey: string }>(await send('POST', `/api/v1/trading/lots/${lot.lotId}/award`, owner.token, { bidId: first.bidId }), 201);
    const pdf = await send('GET', `/api/v1/trading/lots/${lot.lotId}/award/notice.pdf`, owner.token);
    expect(pdf.statusCode).toBe(200);
    expect(verifyDocument(pdf.rawPayload, award.noticeSignature, h.deps.keys.platformSm2.publicKey)).toBe(true);
    const contract = await send('POST', `/api/v1/trading/lots/${lot.lotId}/contract?price=${award.priceFen / 100}&signedOn=2026-03-06&name=${encodeURIComponent('施工合同.pdf')}`, owner.token, Buffer.from('%PDF-1.7\n合同\n%%EOF\n'), { 'content-type': 'application/pdf' });
    expect(contract.statusCode, contract.body).toBe(201);
    expect(contract.json()).toMatchObject({ lotStatus: 'closed', releases: [{}, {}, {}, {}] });
    const t = await ok<{ events: { type: string }[] }>(await send('GET', `/api/v1/trading/projects/${lot.projectId}/timeline`, staff.token));
    expect(t.events.map((e) => e.type)).toEqual([
      'panel_drawn',
      ...panel.members.map(() => 'expert_responded'),
      'panel_confirmed',
      'evaluation_started',
      ...panel.members.map(() => 'score_submitted'),
      'evaluation_reported',
      'candidates_published',
      'award_issued',
      'result_published',
      'contract_recorded',
      'security_released',
      'security_released',
      'security_released',
      'security_released',
    ]);
    const project = await h.deps.db.selectFrom('trading.projects').select('status').where('id', '=', lot.projectId).executeTakeFirstOrThrow();
    expect(project.status).toBe('finished');
  });
});

const pdfBody = { 'content-type': 'application/pdf' };
const contractUrl = (lotId: string, price: string, signedOn: string) => `/api/v1/trading/lots/${lotId}/contract?price=${price}&signedOn=${signedOn}&name=${encodeURIComponent('施工合同.pdf')}`;
const PDF = Buffer.from('%PDF-1.7\n施工合同\n%%EOF\n');
const candidatesOf = async (lotId: string, token: string) => (await ok<{ candidates: { bidId: string; rank: number; bidderEntityId: string }[] }>(await send('GET', `/api/v1/trading/lots/${lotId}/candidates`, token))).candidates;

describe('the candidates’ publicity', () => {
  it('is published by the owner within 3 days of the report — day 3 yes, day 4 no — for at least 3 days', async () => {
    const a = await reported(10);
    const b = await reported(20);
    const url = (lotId: string) => `/api/v1/trading/lots/${lotId}/candidates`;
    expect((await send('POST', url(a.lot.lotId), a.lot.bidders[0]!.token, { publicityUntil: '2026-03-09T09:00:00.000Z' })).statusCode).toBe(403);
    expect((await send('POST', url(a.lot.lotId), staff.token, { publicityUntil: '2026-03-09T09:00:00.000Z' })).statusCode).toBe(403);
    expect((await send('POST', url(a.lot.lotId), b.owner.token, { publicityUntil: '2026-03-09T09:00:00.000Z' })).statusCode).toBe(403);
    expect(problem(await send('POST', contractUrl(a.lot.lotId, '1.00', '2026-03-02'), a.owner.token, PDF, pdfBody))).toMatchObject({ code: 'conflict', rule: 'state' });
    expect(problem(await send('POST', `/api/v1/trading/lots/${a.lot.lotId}/award`, a.owner.token, { bidId: a.lot.results[0]!.bidId }))).toMatchObject({ code: 'conflict', rule: 'state' });
    const short = await send('POST', url(a.lot.lotId), a.owner.token, { publicityUntil: '2026-03-04T09:00:00.000Z' });
    expect(short.statusCode).toBe(400);
    expect(problem(short)).toMatchObject({ field: 'publicityUntil', rule: 'publicity_min_days' });
    expect((await send('GET', url(a.lot.lotId), a.owner.token)).statusCode).toBe(404);

    await travel(h, '2026-03-05T01:00:00.000Z', staff, a.owner, b.owner);
    const published = await send('POST', url(a.lot.lotId), a.owner.token, { publicityUntil: '2026-03-09T09:00:00.000Z', objectionContact: '招标人办公室 0351-1234567' });
    expect(published.statusCode, published.body).toBe(201);
    expect(published.json()).toMatchObject({ candidates: [{ rank: 1 }, { rank: 2 }, { rank: 3 }], publicityFrom: '2026-03-05T01:00:00.000Z', publicityUntil: '2026-03-09T09:00:00.000Z' });
    const notice = await h.deps.db.selectFrom('trading.notices').select(['kind', 'status', 'signature', 'document_digest']).where('lot_id', '=', a.lot.lotId).executeTakeFirstOrThrow();
    expect(notice).toMatchObject({ kind: 'candidates', status: 'published' });
    expect(verifyDocument((await h.deps.blobs.get(notice.document_digest!))!, JSON.parse(notice.signature!), h.deps.keys.platformSm2.publicKey)).toBe(true);

    await travel(h, '2026-03-06T01:00:00.000Z', staff, a.owner, b.owner);
    const late = await send('POST', url(b.lot.lotId), b.owner.token, { publicityUntil: '2026-03-10T09:00:00.000Z' });
    expect(late.statusCode).toBe(409);
    expect(problem(late)).toMatchObject({ rule: 'candidates_publication_days' });
    expect(problem(late).detail).toContain('2026-03-05');
    expect(await h.deps.db.selectFrom('trading.candidate_publicities').select('lot_id').where('lot_id', '=', b.lot.lotId).execute()).toEqual([]);
  });
});

describe('the award', () => {
  it('waits for the day after the publicity and for every objection’s answer; another candidate needs a reason', async () => {
    const { lot, owner } = await reported(30);
    await ok(await send('POST', `/api/v1/trading/lots/${lot.lotId}/candidates`, owner.token, { publicityUntil: '2026-03-05T09:00:00.000Z' }), 201);
    const [first, second] = await candidatesOf(lot.lotId, owner.token);
    const bidders = lot.bidders.map((b) => ({ username: b.username, token: b.token }));
    const loser = bidders[3]!;
    const objection = { content: '第一中标候选人的项目经理有在建工程，请予核查。' };
    const url = `/api/v1/trading/lots/${lot.lotId}/candidates/objections`;
    expect((await send('POST', url, owner.token, objection)).statusCode).toBe(403);
    expect((await send('POST', url, staff.token, objection)).statusCode).toBe(403);

    await travel(h, '2026-03-03T01:00:00.000Z', staff, owner, loser);
    const filed = await ok<{ id: string; replyDue: string }>(await send('POST', url, loser.token, objection), 201);
    // Filed on Tuesday 3 March: the reply is due within 3 days, by the end of Friday 6 March.
    expect(filed.replyDue).toBe('2026-03-06T16:00:00.000Z');

    // The last day of the publicity, after its stated end: still no award, no more objections.
    await travel(h, '2026-03-05T10:00:00.000Z', staff, owner, loser);
    const onLastDay = await send('POST', `/api/v1/trading/lots/${lot.lotId}/award`, owner.token, { bidId: first!.bidId });
    expect(problem(onLastDay)).toMatchObject({ code: 'conflict', rule: 'publicity_not_over' });
    expect(problem(onLastDay).detail).toContain('2026-03-06');
    expect(problem(await send('POST', url, loser.token, objection))).toMatchObject({ code: 'conflict', rule: 'publicity_period' });

    await travel(h, '2026-03-06T01:00:00.000Z', staff, owner, loser);
    expect(problem(await send('POST', `/api/v1/trading/lots/${lot.lotId}/award`, owner.token, { bidId: first!.bidId }))).toMatchObject({ code: 'conflict', rule: 'objection_open' });
    const reply = `/api/v1/trading/lots/${lot.lotId}/candidates/objections/${filed.id}/reply`;
    expect((await send('POST', reply, loser.token, { reply: '经核查，该项目经理无在建工程。' })).statusCode).toBe(403);
    expect((await send('POST', reply, owner.token, { reply: '经核查，该项目经理无在建工程。' })).statusCode).toBe(200);
    expect(problem(await send('POST', reply, owner.token, { reply: '经核查，该项目经理无在建工程。' }))).toMatchObject({ rule: 'answered' });
    expect((await candidatesOf(lot.lotId, loser.token)).length).toBe(3);
    expect((await ok<{ objections: { reply: string }[] }>(await send('GET', `/api/v1/trading/lots/${lot.lotId}/candidates`, loser.token))).objections).toMatchObject([{ reply: '经核查，该项目经理无在建工程。' }]);

    expect(problem(await send('POST', `/api/v1/trading/lots/${lot.lotId}/award`, owner.token, { bidId: lot.results[3]!.bidId }))).toMatchObject({ field: 'bidId', rule: 'candidate' });
    expect(problem(await send('POST', `/api/v1/trading/lots/${lot.lotId}/award`, owner.token, { bidId: second!.bidId }))).toMatchObject({ field: 'reason', rule: 'required' });
    const awarded = await send('POST', `/api/v1/trading/lots/${lot.lotId}/award`, owner.token, { bidId: second!.bidId, reason: '排名第一的中标候选人放弃中标' });
    expect(awarded.statusCode, awarded.body).toBe(201);
    expect(awarded.json()).toMatchObject({ candidateRank: 2, deviationReason: '排名第一的中标候选人放弃中标', priceInCapitals: expect.stringMatching(/^人民币.+元/) });

    // Public result; the notice for the winner and the tenderer; the panel named from now on.
    const winner = bidders.find((b) => lot.bidders.find((x) => x.entityId === second!.bidderEntityId)!.username === b.username)!;
    await travel(h, '2026-03-06T02:00:00.000Z', staff, owner, loser, winner);
    expect((await ok<{ deviationReason: string | null }>(await send('GET', `/api/v1/trading/lots/${lot.lotId}/award`, loser.token))).deviationReason).toBeNull();
    expect((await send('GET', `/api/v1/trading/lots/${lot.lotId}/award/notice.pdf`, loser.token)).statusCode).toBe(403);
    const pdf = await send('GET', `/api/v1/trading/lots/${lot.lotId}/award/notice.pdf`, winner.token);
    expect(pdf.statusCode).toBe(200);
    const sig = (await ok<{ noticeSignature: Parameters<typeof verifyDocument>[1] }>(await send('GET', `/api/v1/trading/lots/${lot.lotId}/award`, loser.token))).noticeSignature;
    expect(verifyDocument(pdf.rawPayload, sig, h.deps.keys.platformSm2.publicKey)).toBe(true);
    expect(verifyDocument(Buffer.concat([pdf.rawPayload, Buffer.from(' ')]), sig, h.deps.keys.platformSm2.publicKey)).toBe(false);
    const draw = await h.deps.db.selectFrom('experts.draws').select('revealed_at').executeTakeFirstOrThrow();
    expect(draw.revealed_at).not.toBeNull();
    const ownerView = await ok<{ members: { name: string }[] }>(await send('GET', `/api/v1/trading/lots/${lot.lotId}/evaluation`, owner.token));
    expect(ownerView.members[0]!.name).not.toBe('1号评委');
    expect((await send('GET', `/api/v1/trading/lots/${lot.lotId}/evaluation/report.pdf`, owner.token)).statusCode).toBe(200);
  });

  it('is made within 15 days of the report: day 15 yes, day 16 no', async () => {
    const a = await reported(40);
    const b = await reported(50);
    for (const x of [a, b]) await ok(await send('POST', `/api/v1/trading/lots/${x.lot.lotId}/candidates`, x.owner.token, { publicityUntil: '2026-03-05T09:00:00.000Z' }), 201);
    const firstA = (await candidatesOf(a.lot.lotId, a.owner.token))[0]!;
    const firstB = (await candidatesOf(b.lot.lotId, b.owner.token))[0]!;
    await travel(h, '2026-03-17T01:00:00.000Z', staff, a.owner, b.owner);
    expect((await send('POST', `/api/v1/trading/lots/${a.lot.lotId}/award`, a.owner.token, { bidId: firstA.bidId })).statusCode).toBe(201);
    await travel(h, '2026-03-18T01:00:00.000Z', staff, a.owner, b.owner);
    const late = await send('POST', `/api/v1/trading/lots/${b.lot.lotId}/award`, b.owner.token, { bidId: firstB.bidId });
    expect(problem(late)).toMatchObject({ code: 'conflict', rule: 'award_within_days' });
    expect(problem(late).detail).toContain('2026-03-17');
    expect((await h.deps.db.selectFrom('trading.lots').select('status').where('id', '=', b.lot.lotId).executeTakeFirstOrThrow()).status).toBe('publicity');
  });
});

describe('the contract', () => {
  it('is recorded within 30 days of the award notice at the winning price to the fen, then the securities are released', async () => {
    const a = await reported(60);
    const b = await reported(70);
    for (const x of [a, b]) await ok(await send('POST', `/api/v1/trading/lots/${x.lot.lotId}/candidates`, x.owner.token, { publicityUntil: '2026-03-05T09:00:00.000Z' }), 201);
    await travel(h, '2026-03-10T02:00:00.000Z', staff, a.owner, b.owner);
    const prices: number[] = [];
    for (const x of [a, b]) {
      const first = (await candidatesOf(x.lot.lotId, x.owner.token))[0]!;
      prices.push((await ok<{ priceFen: number }>(await send('POST', `/api/v1/trading/lots/${x.lot.lotId}/award`, x.owner.token, { bidId: first.bidId }), 201)).priceFen);
    }
    // Awarded on Tuesday 10 March: day 30 is Thursday 9 April, a working day.
    await travel(h, '2026-04-09T02:00:00.000Z', staff, a.owner, b.owner);
    const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
    expect((await send('POST', contractUrl(a.lot.lotId, yuan(prices[0]!), '2026-04-08'), b.owner.token, PDF, pdfBody)).statusCode).toBe(403);
    const fenOff = await send('POST', contractUrl(a.lot.lotId, yuan(prices[0]! + 1), '2026-04-08'), a.owner.token, PDF, pdfBody);
    expect(problem(fenOff)).toMatchObject({ code: 'conflict', field: 'price', rule: 'contract_price' });
    expect(problem(fenOff).detail).toContain('高出 0.01 元');
    expect(problem(await send('POST', contractUrl(a.lot.lotId, yuan(prices[0]!), '2026-04-08'), a.owner.token, Buffer.from('not a pdf'), pdfBody))).toMatchObject({ rule: 'pdf' });
    expect(problem(await send('POST', contractUrl(a.lot.lotId, yuan(prices[0]!), '2026-04-10'), a.owner.token, PDF, pdfBody))).toMatchObject({ field: 'signedOn', rule: 'range' });
    const recorded = await send('POST', contractUrl(a.lot.lotId, yuan(prices[0]!), '2026-04-08'), a.owner.token, PDF, pdfBody);
    expect(recorded.statusCode, recorded.body).toBe(201);
    // Contract on 9 April: securities due within 5 days, by Tuesday 14 April.
    expect(recorded.json()).toMatchObject({ lotStatus: 'closed', priceFen: prices[0], releases: a.lot.results.map(() => ({ amountFen: 10_000_000, dueOn: '2026-04-14' })) });
    expect(await h.deps.blobs.get(recorded.json<{ fileSm3: string }>().fileSm3)).toEqual(PDF);
    expect(await ok(await send('GET', `/api/v1/trading/lots/${a.lot.lotId}/contract`, staff.token))).toMatchObject({ lotStatus: 'closed', releases: a.lot.results.map(() => ({ dueOn: '2026-04-14' })) });
    // A bidder sees its own release only; the others' amounts are not its business.
    const bidder = a.lot.bidders[1]!;
    await travel(h, h.clock.now(), bidder);
    expect((await ok<{ releases: { bidderEntityId: string }[] }>(await send('GET', `/api/v1/trading/lots/${a.lot.lotId}/contract`, bidder.token))).releases.map((r) => r.bidderEntityId)).toEqual([bidder.entityId]);

    await travel(h, '2026-04-10T02:00:00.000Z', staff, a.owner, b.owner);
    const late = await send('POST', contractUrl(b.lot.lotId, yuan(prices[1]!), '2026-04-09'), b.owner.token, PDF, pdfBody);
    expect(problem(late)).toMatchObject({ code: 'conflict', rule: 'contract_within_days' });
    expect(problem(late).detail).toContain('2026-04-09');
    expect((await h.deps.db.selectFrom('trading.lots').select('status').where('id', '=', b.lot.lotId).executeTakeFirstOrThrow()).status).toBe('awarded');
  });
});
