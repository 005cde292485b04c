// The evaluation through HTTP: refusals first (401, 403, another city's staff, a bidder, steps
// out of order, a non-member expert), the panel's size at 4/5/6 and the avoid list taken from
// the deal, the experts' sheets (complete, in range, re-submittable until confirmed), the report
// once every member confirmed, the tenderer's anonymised view, and insufficient competition
// failing the lot. The harness clock starts on Monday 2026-03-02 09:00 CST.

import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, createHarness, problem, type Harness } from '../../../test/support/harness.ts';
import { addExperts } from '../experts/experts.draw.test-support.ts';
import { evaluatingLot, expertAccount, openedLot, sheetFor, staffAccount, type Signed } from './trading.test-support.ts';

let h: Harness;
let staff: Signed;

beforeEach(async () => {
  h = await createHarness();
  staff = await staffAccount(h, '140100');
});
afterEach(async () => h.close());

const send = (method: 'GET' | 'POST' | 'PUT', url: string, token: string | null, payload?: unknown) =>
  h.app.inject({ method, url, headers: token ? bearer(token) : {}, ...(payload !== undefined ? { payload: payload as object } : {}) });
const panelBody = (count: number) => ({ evaluationDate: '2026-03-02', needs: [{ specialtyCode: 'A01', count }], reserves: 2 });
const lotStatus = async (lotId: string) => (await h.deps.db.selectFrom('trading.lots').select('status').where('id', '=', lotId).executeTakeFirstOrThrow()).status;

describe('the panel', () => {
  it('refuses the anonymous, the bidder, another city and a lot not opened, and draws nothing', async () => {
    const lot = await openedLot(h, 1, [{ priceFen: 980_000_000 }, { priceFen: 990_000_000 }, { priceFen: 1_000_000_000 }]);
    await addExperts(h, 8, { regionCode: '140105' });
    const url = `/api/v1/trading/lots/${lot.lotId}/panel`;
    expect((await send('POST', url, null, panelBody(5))).statusCode).toBe(401);
    expect((await send('POST', url, lot.bidders[0]!.token, panelBody(5))).statusCode).toBe(403);
    expect((await send('POST', url, lot.tenderer.token, panelBody(5))).statusCode).toBe(403);
    const datong = await staffAccount(h, '140200');
    expect((await send('POST', url, datong.token, panelBody(5))).statusCode).toBe(404);
    expect((await send('POST', `/api/v1/trading/lots/${crypto.randomUUID()}/panel`, staff.token, panelBody(5))).statusCode).toBe(404);
    await h.deps.db.updateTable('trading.lots').set({ status: 'decrypting' }).where('id', '=', lot.lotId).execute();
    expect(problem(await send('POST', url, staff.token, panelBody(5)))).toMatchObject({ code: 'conflict', rule: 'state' });
    expect(await h.deps.db.selectFrom('experts.draws').select('id').execute()).toEqual([]);
  });

  it('needs 5 or more members, an odd number: 4 and 6 are refused, 5 is drawn avoiding the deal’s parties', async () => {
    const lot = await openedLot(h, 2, [{ priceFen: 980_000_000 }, { priceFen: 990_000_000 }, { priceFen: 1_000_000_000 }]);
    const bidderUscc = (await h.deps.db.selectFrom('registry.entities').select('uscc').where('id', '=', lot.bidders[0]!.entityId).executeTakeFirstOrThrow()).uscc!;
    await addExperts(h, 8, { regionCode: '140105' });
    const [tied] = await addExperts(h, 1, { regionCode: '140105', employerUscc: bidderUscc });
    const url = `/api/v1/trading/lots/${lot.lotId}/panel`;
    for (const count of [4, 6]) {
      const res = await send('POST', url, staff.token, panelBody(count));
      expect(res.statusCode).toBe(400);
      expect(problem(res)).toMatchObject({ field: 'needs', rule: 'panel_size' });
      expect(problem(res).detail).toContain(`当前为 ${count} 人`);
    }
    expect(problem(await send('POST', `/api/v1/trading/lots/${lot.lotId}/evaluation/start`, staff.token))).toMatchObject({ code: 'conflict', rule: 'panel_required' });
    const drawn = await send('POST', url, staff.token, panelBody(5));
    expect(drawn.statusCode, drawn.body).toBe(201);
    const d = drawn.json<{ members: { expertId: string; state: string }[]; rounds: { needs: { excluded: Record<string, number> }[] }[] }>();
    expect(d.members.map((m) => m.expertId)).not.toContain(tied!.id);
    expect(d.rounds[0]!.needs[0]!.excluded.employer_avoided).toBe(1);
    const request = await h.deps.db.selectFrom('experts.draws').select('request').executeTakeFirstOrThrow();
    expect(request.request.avoid.usccs).toContain(bidderUscc);
    expect(request.request.avoid.supervisingDepartment?.name).toBe('太原市住房和城乡建设局');
    expect(problem(await send('POST', url, staff.token, panelBody(5)))).toMatchObject({ code: 'conflict', rule: 'panel_drawn' });
    // Not confirmed yet: the evaluation cannot start.
    expect(problem(await send('POST', `/api/v1/trading/lots/${lot.lotId}/evaluation/start`, staff.token))).toMatchObject({ code: 'conflict', rule: 'panel_not_confirmed' });
    expect(await lotStatus(lot.lotId)).toBe('opened');
  });
});

describe('the panel’s draw belongs to the deal', () => {
  it('refuses the generic draw routes for it, tops up through the lot with a deal event, and keeps the deal’s clock', async () => {
    const lot = await openedLot(h, 4, [{ priceFen: 980_000_000 }, { priceFen: 990_000_000 }, { priceFen: 1_000_000_000 }]);
    await addExperts(h, 8, { regionCode: '140105' });
    // Demo mode: the deal's clock runs two days ahead of the platform's.
    const offset = 2 * 86_400_000;
    await h.deps.db.updateTable('trading.projects').set({ clock_offset_ms: offset }).where('id', '=', lot.projectId).execute();
    const base = `/api/v1/trading/lots/${lot.lotId}/panel`;
    const drawn = await send('POST', base, staff.token, { evaluationDate: '2026-03-04', needs: [{ specialtyCode: 'A01', count: 5 }], reserves: 1 });
    expect(drawn.statusCode, drawn.body).toBe(201);
    const draw = drawn.json<{ id: string; managedBy: string | null; drawnAt: string; members: { expertId: string; kind: string; state: string; calledAt: string | null }[] }>();
    expect(draw.managedBy).toBe('trading');
    const dealNow = h.clock.now().getTime() + offset;
    expect(Date.parse(draw.drawnAt)).toBe(dealNow);
    const called = draw.members.filter((m) => m.kind === 'member');
    expect(called.length).toBe(5);
    expect(called.every((m) => m.calledAt === draw.drawnAt)).toBe(true);

    // The generic routes would leave these steps out of the deal's timeline.
    const generic = `/api/v1/experts/draws/${draw.id}`;
    const declined = { expertId: called[0]!.expertId, answer: 'declined', reason: '已有其他评标安排' };
    for (const [url, body] of [[`${generic}/responses`, declined], [`${generic}/top-up`, undefined], [`${generic}/confirm`, undefined]] as const) {
      expect(problem(await send('POST', url, staff.token, body))).toMatchObject({ status: 409, rule: 'managed_draw' });
    }
    expect((await h.deps.db.selectFrom('experts.draw_members').select('state').where('draw_id', '=', draw.id).where('kind', '=', 'member').execute()).every((m) => m.state === 'pending')).toBe(true);

    // The first decline calls the one reserve (at the deal's time); the second leaves a seat open.
    const first = await send('POST', `${base}/responses`, staff.token, declined);
    expect(first.statusCode, first.body).toBe(200);
    const reserve = first.json<{ replacedBy: string | null; draw: { members: { expertId: string; calledAt: string | null; answeredAt: string | null }[] } }>();
    expect(reserve.replacedBy).not.toBeNull();
    expect(reserve.draw.members.find((m) => m.expertId === reserve.replacedBy)!.calledAt).toBe(draw.drawnAt);
    expect(reserve.draw.members.find((m) => m.expertId === declined.expertId)!.answeredAt).toBe(draw.drawnAt);
    const answered = await send('POST', `${base}/responses`, staff.token, { ...declined, expertId: called[1]!.expertId });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json<{ replacedBy: string | null; draw: { topUpNeeded: boolean } }>()).toMatchObject({ replacedBy: null, draw: { topUpNeeded: true } });
    const topped = await send('POST', `${base}/top-up`, staff.token);
    expect(topped.statusCode, topped.body).toBe(200);
    const after = topped.json<{ topUpNeeded: boolean; rounds: { round: number; drawnAt: string }[]; members: { round: number; state: string }[] }>();
    expect(after.topUpNeeded).toBe(false);
    expect(after.rounds.map((r) => r.round)).toEqual([0, 1]);
    expect(Date.parse(after.rounds[1]!.drawnAt)).toBe(dealNow);
    expect(after.members.filter((m) => m.round === 1 && m.state === 'pending')).toHaveLength(1);
    expect(problem(await send('POST', `${base}/top-up`, staff.token))).toMatchObject({ status: 409, rule: 'nothing_to_top_up' });

    const events = await h.deps.db.selectFrom('platform.deal_events').select(['type', 'occurred_at', 'payload']).where('lot_code', '=', lot.lotCode).where('type', 'in', ['panel_drawn', 'expert_responded', 'panel_topped_up']).orderBy('seq').execute();
    expect(events.map((e) => e.type)).toEqual(['panel_drawn', 'expert_responded', 'expert_responded', 'panel_topped_up']);
    expect(events.every((e) => e.occurred_at.getTime() === dealNow)).toBe(true);
    expect(events[3]!.payload).toMatchObject({ drawId: draw.id, round: 1, called: 1 });
  });
});

describe('the experts’ scores', () => {
  it('admits members only, checks each sheet, lets it change until confirmed, then reports', async () => {
    const lot = await openedLot(h, 3, [{ priceFen: 980_000_000 }, { priceFen: 1_000_000_000 }, { priceFen: 1_020_000_000 }, { priceFen: 995_000_000, outcome: 'bidder_failed' }]);
    const panel = await evaluatingLot(h, lot.lotId, staff);
    const bidIds = lot.results.filter((r) => r.outcome === 'decrypted').map((r) => r.bidId);
    const me = panel.members[0]!.account;
    const base = `/api/v1/trading/lots/${lot.lotId}`;

    // A pool expert who is not on this panel, staff, and the tenderer: nothing to see.
    const [outsider] = await addExperts(h, 1, { regionCode: '140105' });
    const other = await expertAccount(h, outsider!.id);
    expect((await send('GET', `${base}/evaluation/bids`, other.token)).statusCode).toBe(404);
    expect((await send('PUT', `${base}/scores/mine`, other.token, sheetFor(bidIds))).statusCode).toBe(404);
    expect((await send('GET', `${base}/evaluation/bids`, staff.token)).statusCode).toBe(403);
    expect((await send('PUT', `${base}/scores/mine`, lot.tenderer.token, sheetFor(bidIds))).statusCode).toBe(403);
    expect((await send('POST', `${base}/evaluation/report`, me.token)).statusCode).toBe(403);
    expect((await send('GET', `${base}/evaluation`, lot.tenderer.token)).statusCode).toBe(404);

    // The member reads the decrypted bids (the 撤销 bid is not evaluated) and a package.
    const bids = (await send('GET', `${base}/evaluation/bids`, me.token)).json<{ bids: { bidId: string; items: { projectManager: string } }[] }>();
    expect(bids.bids.map((b) => b.bidId)).toEqual(bidIds);
    expect((await send('GET', `${base}/evaluation/bids/${bidIds[0]}/package`, me.token)).statusCode).toBe(503);
    const pkg = await h.deps.blobs.put(Buffer.from('解密后的投标文件'));
    await h.deps.db.updateTable('trading.opening_results').set({ package_digest: pkg.digest }).where('bid_id', '=', bidIds[0]!).execute();
    const download = await send('GET', `${base}/evaluation/bids/${bidIds[0]}/package`, me.token);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.toString()).toBe('解密后的投标文件');

    // An incomplete sheet, a point above the maximum, a low score without a reason.
    const incomplete = sheetFor(bidIds);
    incomplete.marks.pop();
    const missing = await send('PUT', `${base}/scores/mine`, me.token, incomplete);
    expect(missing.statusCode).toBe(400);
    expect(problem(missing)).toMatchObject({ field: 'marks', rule: 'missing' });
    expect(missing.json<{ issues: unknown[] }>().issues[0]).toEqual({ field: 'marks', rule: 'missing', bidId: bidIds[2], criterionId: 'c1', expertId: panel.members[0]!.expertId });
    const over = sheetFor(bidIds);
    over.marks[0]!.points = 40.5;
    expect(problem(await send('PUT', `${base}/scores/mine`, me.token, over))).toMatchObject({ field: 'expertScores.0.points', rule: 'range' });
    const low = sheetFor(bidIds);
    low.marks[0] = { bidId: bidIds[0], criterionId: 't1', points: 10 };
    const noReason = await send('PUT', `${base}/scores/mine`, me.token, low);
    expect(problem(noReason).rule).toBe('reason_required');
    expect(problem(noReason).detail).toContain('1号');
    const unknownVote = await send('PUT', `${base}/scores/mine`, me.token, sheetFor(bidIds, () => 0.8, [{ bidId: lot.results[3]!.bidId, reason: '未解密' }]));
    expect(problem(unknownVote)).toMatchObject({ field: 'rejections.0.bidId', rule: 'unknown_bid' });
    expect((await send('GET', `${base}/scores/mine`, me.token)).json()).toMatchObject({ seat: 1, marks: [], submittedAt: null });

    // Saved, changed, confirmed; then locked.
    expect((await send('POST', `${base}/scores/mine/confirm`, me.token)).json()).toMatchObject({ rule: 'not_submitted' });
    expect((await send('PUT', `${base}/scores/mine`, me.token, sheetFor(bidIds, () => 0.7))).statusCode).toBe(200);
    expect((await send('PUT', `${base}/scores/mine`, me.token, sheetFor(bidIds, (i) => 0.9 - i * 0.1))).statusCode).toBe(200);
    expect((await send('POST', `${base}/scores/mine/confirm`, me.token)).json()).toMatchObject({ seat: 1, confirmedAt: expect.any(String) });
    expect(problem(await send('PUT', `${base}/scores/mine`, me.token, sheetFor(bidIds)))).toMatchObject({ code: 'conflict', rule: 'confirmed' });
    expect((await send('GET', '/api/v1/trading/evaluations/mine', me.token)).json()).toMatchObject({ items: [{ lotId: lot.lotId, seat: 1, lotStatus: 'evaluating' }], total: 1, page: 1, pageSize: 20 });
    expect((await send('GET', '/api/v1/trading/evaluations/mine?page=2&pageSize=1', me.token)).json()).toMatchObject({ items: [], total: 1, page: 2, pageSize: 1 });
    expect(problem(await send('GET', '/api/v1/trading/evaluations/mine?pageSize=0', me.token))).toMatchObject({ code: 'validation_failed', field: 'pageSize' });

    // The report waits for every member.
    const early = await send('POST', `${base}/evaluation/report`, staff.token);
    expect(problem(early)).toMatchObject({ code: 'conflict', rule: 'scores_unconfirmed' });
    expect(problem(early).detail).toContain('2 号、3 号、4 号、5 号');
    for (const m of panel.members.slice(1)) {
      expect((await send('PUT', `${base}/scores/mine`, m.account.token, sheetFor(bidIds, (i) => 0.9 - i * 0.1))).statusCode).toBe(200);
      expect((await send('POST', `${base}/scores/mine/confirm`, m.account.token)).statusCode).toBe(200);
    }
    const report = await send('POST', `${base}/evaluation/report`, staff.token);
    expect(report.statusCode, report.body).toBe(200);
    const r = report.json<{ outcome: string; reportSm3: string; report: { candidates: { bidId: string; rank: number }[]; panel: { name: string }[] } }>();
    expect(r.outcome).toBe('ok');
    expect(r.report.candidates.map((c) => c.bidId)).toEqual(bidIds);
    expect(await lotStatus(lot.lotId)).toBe('evaluated');
    expect(problem(await send('POST', `${base}/evaluation/report`, staff.token))).toMatchObject({ code: 'conflict', rule: 'state' });

    // The tenderer reads the report, without the members' names; a bidder does not read it.
    const names = r.report.panel.map((m) => m.name);
    const owner = await send('GET', `${base}/evaluation`, lot.tenderer.token);
    expect(owner.statusCode).toBe(200);
    for (const name of names) expect(owner.body).not.toContain(name);
    expect(owner.json()).toMatchObject({ drawId: null, members: [{ seat: 1, name: '1号评委' }, {}, {}, {}, {}] });
    expect((await send('GET', `${base}/evaluation/report.pdf`, lot.tenderer.token)).statusCode).toBe(403);
    expect((await send('GET', `${base}/evaluation`, lot.bidders[0]!.token)).statusCode).toBe(403);
    const pdf = await send('GET', `${base}/evaluation/report.pdf`, staff.token);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['x-document-sm3']).toBe(r.reportSm3);
  });

  it('fails the lot when the majority’s rejections leave fewer than 3 valid bids (a 撤销 bid does not count)', async () => {
    const lot = await openedLot(h, 4, [{ priceFen: 980_000_000 }, { priceFen: 1_000_000_000 }, { priceFen: 1_020_000_000 }, { priceFen: 995_000_000, outcome: 'bidder_failed' }]);
    const panel = await evaluatingLot(h, lot.lotId, staff);
    const bidIds = lot.results.filter((r) => r.outcome === 'decrypted').map((r) => r.bidId);
    for (const [i, m] of panel.members.entries()) {
      // Three of five vote to reject the third bid: a majority.
      const votes = i < 3 ? [{ bidId: bidIds[2]!, reason: '投标报价超过最高投标限价' }] : [];
      expect((await send('PUT', `/api/v1/trading/lots/${lot.lotId}/scores/mine`, m.account.token, sheetFor(bidIds, () => 0.8, votes))).statusCode).toBe(200);
      await send('POST', `/api/v1/trading/lots/${lot.lotId}/scores/mine/confirm`, m.account.token);
    }
    const report = await send('POST', `/api/v1/trading/lots/${lot.lotId}/evaluation/report`, staff.token);
    expect(report.json()).toMatchObject({ outcome: 'insufficient_competition', lotStatus: 'failed' });
    const notice = await h.deps.db.selectFrom('trading.notices').select(['kind', 'document_digest']).where('lot_id', '=', lot.lotId).executeTakeFirstOrThrow();
    expect(notice.kind).toBe('failure');
    expect(await h.deps.blobs.get(notice.document_digest!)).toBeDefined();
    const t = (await send('GET', `/api/v1/trading/projects/${lot.projectId}/timeline`, staff.token)).json<{ events: { type: string; payload: Record<string, unknown> }[] }>();
    // The decrypted bids' securities go back, each with its event; the 撤销 one's may be kept (§35).
    expect(t.events.slice(-5).map((e) => e.type)).toEqual(['evaluation_reported', 'tender_failed', 'security_released', 'security_released', 'security_released']);
    expect(t.events.at(-4)!.payload).toMatchObject({ reason: 'insufficient_competition', validBids: 2, minValidBids: 3 });
    const releases = (await send('GET', `/api/v1/trading/lots/${lot.lotId}/security-releases`, lot.tenderer.token)).json<{ lotStatus: string; items: { bidId: string }[] }>();
    expect(releases.lotStatus).toBe('failed');
    expect(releases.items.map((r) => r.bidId).sort()).toEqual(lot.results.slice(0, 3).map((r) => r.bidId).sort());
    const own = (await send('GET', `/api/v1/trading/lots/${lot.lotId}/security-releases`, lot.bidders[0]!.token)).json<{ items: { bidId: string }[] }>();
    expect(own.items.map((r) => r.bidId)).toEqual([lot.results[0]!.bidId]);
    expect((await send('GET', `/api/v1/trading/lots/${lot.lotId}/security-releases`, lot.bidders[3]!.token)).json<{ items: unknown[] }>().items).toEqual([]);
    expect((await h.deps.db.selectFrom('trading.projects').select('status').where('id', '=', lot.projectId).executeTakeFirstOrThrow()).status).toBe('finished');
    expect(problem(await send('POST', `/api/v1/trading/lots/${lot.lotId}/candidates`, lot.tenderer.token, { publicityUntil: '2026-03-06T09:00:00.000Z' }))).toMatchObject({ code: 'conflict', rule: 'state' });
  });
});
