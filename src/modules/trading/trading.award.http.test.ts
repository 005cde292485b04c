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
