// Notice, schedule, publication, downloads, clarifications and objections through HTTP, with the
// law's timetable at its boundaries (the harness clock starts Monday 2026-03-02 09:00 CST).

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, createHarness, problem, type Harness } from '../../../test/support/harness.ts';
import { activeEntity, methodBody, projectBody, publishedProject, SCHEDULE, staffAccount, travel, type Signed } from './trading.test-support.ts';

let h: Harness;
let owner: Awaited<ReturnType<typeof activeEntity>>;
let bidder: Awaited<ReturnType<typeof activeEntity>>;
let staff: Signed;

// A world per test: each walks the calendar forward from the same Monday, and time never runs
// backwards inside one world (a second factor once used cannot be used again earlier).
beforeEach(async () => {
  h = await createHarness();
  owner = await activeEntity(h, 21, ['tenderer']);
  bidder = await activeEntity(h, 22, ['bidder']);
  staff = await staffAccount(h, '140100');
});
afterEach(async () => h.close());

const send = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: unknown) => h.app.inject({ method, url, headers: bearer(token), payload: payload as object });

async function accepted(n: number): Promise<{ id: string; lots: { id: string }[] }> {
  const p = (await send('POST', '/api/v1/trading/projects', owner.token, projectBody(n))).json<{ id: string }>();
  await send('POST', `/api/v1/trading/projects/${p.id}/submit`, owner.token);
  return (await send('POST', `/api/v1/trading/projects/${p.id}/accept`, staff.token)).json();
}

const noticeBody = (lots: { id: string }[], schedule: Partial<typeof SCHEDULE> = {}, security = '50000.00') => ({
  title: '招标公告',
  body: '本招标项目已由有关部门批准建设，现对该项目进行公开招标。',
  schedule: { ...SCHEDULE, ...schedule },
  lots: lots.map((l) => ({ lotId: l.id, bidSecurity: security, evaluationMethod: methodBody() })),
});

describe('the notice and its schedule', () => {
  it('refuses a schedule that breaks the law, naming the rule, and changes nothing', async () => {
    const p = await accepted(1);
    // Documents from 3 March: the 20-day period ends on Monday 23 March; 20 March is short.
    const short = await send('PUT', `/api/v1/trading/projects/${p.id}/notice`, owner.token, noticeBody(p.lots, { bidDeadline: '2026-03-20T01:30:00.000Z' }));
    expect(short.statusCode).toBe(400);
    expect(problem(short)).toMatchObject({ field: 'schedule.bidDeadline', rule: 'bid_period_min_days' });
    expect(problem(short).detail).toContain('2026-03-23');
    const docs = await send('PUT', `/api/v1/trading/projects/${p.id}/notice`, owner.token, noticeBody(p.lots, { documentsUntil: '2026-03-05T09:00:00.000Z' }));
    expect(problem(docs)).toMatchObject({ field: 'schedule.documentsUntil', rule: 'documents_period_min_days' });
    const past = await send('PUT', `/api/v1/trading/projects/${p.id}/notice`, owner.token, noticeBody(p.lots, { documentsFrom: '2026-03-01T01:00:00.000Z' }));
    expect(problem(past)).toMatchObject({ field: 'schedule.documentsFrom', rule: 'not_in_past' });
    // Estimated price 12,000,000 yuan: 2% is 240,000, the construction cap is 800,000.
    const body = noticeBody(p.lots);
    body.lots[0]!.bidSecurity = '240000.01';
    const security = await send('PUT', `/api/v1/trading/projects/${p.id}/notice`, owner.token, body);
    expect(problem(security)).toMatchObject({ field: 'lots.0.bidSecurity', rule: 'bid_security_max' });
    body.lots[0]!.bidSecurity = '240000.00';
    // The method's points must add up to 100.
    const method = methodBody() as { price: { maxPoints: number } };
    method.price.maxPoints = 29;
    const badMethod = await send('PUT', `/api/v1/trading/projects/${p.id}/notice`, owner.token, { ...body, lots: [body.lots[0], { ...body.lots[1], evaluationMethod: method }] });
    expect(problem(badMethod)).toMatchObject({ field: 'lots.1.evaluationMethod.price.maxPoints', rule: 'points_total' });
    expect((await send('PUT', `/api/v1/trading/projects/${p.id}/notice`, owner.token, { ...body, schedule: { ...body.schedule, bidDeadline: '2026-03-20T01:30:00.000Z' } })).statusCode).toBe(400);
    const row = await h.deps.db.selectFrom('trading.projects').select(['bid_deadline', 'status']).where('id', '=', p.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ bid_deadline: null, status: 'accepted' });
  });

  it('needs documents and every lot before review, then publishes and opens bidding', async () => {
    const p = await accepted(2);
    const saved = await send('PUT', `/api/v1/trading/projects/${p.id}/notice`, owner.token, noticeBody(p.lots));
    expect(saved.statusCode).toBe(200);
    const noDocs = await send('POST', `/api/v1/trading/projects/${p.id}/notice/submit`, owner.token);
    expect(problem(noDocs)).toMatchObject({ field: 'documents', rule: 'required' });
    const up = await h.app.inject({ method: 'PUT', url: `/api/v1/trading/projects/${p.id}/documents?name=招标文件.pdf`, headers: { ...bearer(owner.token), 'content-type': 'application/pdf' }, payload: Buffer.from('%PDF-1.7\n…\n%%EOF\n') });
    expect(up.statusCode).toBe(201);
    expect((await send('POST', `/api/v1/trading/projects/${p.id}/notice/submit`, owner.token)).json()).toMatchObject({ status: 'notice_review' });
    const rejected = await send('POST', `/api/v1/trading/projects/${p.id}/notice/review`, staff.token, { outcome: 'rejected' });
    expect(problem(rejected)).toMatchObject({ field: 'reason', rule: 'required' });
    const published = await send('POST', `/api/v1/trading/projects/${p.id}/notice/review`, staff.token, { outcome: 'approved' });
    expect(published.json()).toMatchObject({ status: 'bidding', lots: [{ status: 'bidding' }, { status: 'bidding' }] });
    const t = (await send('GET', `/api/v1/trading/projects/${p.id}/timeline`, staff.token)).json<{ events: { type: string }[] }>();
    expect(t.events.map((e) => e.type).slice(-3)).toEqual(['notice_submitted', 'notice_published', 'documents_published']);
  });

  it('refuses publication when the review comes after the documents should have started', async () => {
    const q = await accepted(4);
    await send('PUT', `/api/v1/trading/projects/${q.id}/notice`, owner.token, noticeBody(q.lots));
    await h.app.inject({ method: 'PUT', url: `/api/v1/trading/projects/${q.id}/documents?name=a.pdf`, headers: { ...bearer(owner.token), 'content-type': 'application/pdf' }, payload: Buffer.from('%PDF-1.7\n%%EOF\n') });
    await send('POST', `/api/v1/trading/projects/${q.id}/notice/submit`, owner.token);
    await travel(h, '2026-03-03T01:00:00.001Z', owner, bidder, staff);
    const late = await send('POST', `/api/v1/trading/projects/${q.id}/notice/review`, staff.token, { outcome: 'approved' });
    expect(late.statusCode).toBe(409);
    expect(problem(late).rule).toBe('not_in_past');
  });
});

describe('during bidding', () => {
  it('records each download by a bidder, only inside the documents period', async () => {
    const p = await publishedProject(h, 5, { owner, centre: staff });
    const url = `/api/v1/trading/projects/${p.id}/documents/${p.documentId}`;
    await travel(h, '2026-03-03T00:59:59.999Z', owner, bidder, staff);
    expect(problem(await send('GET', url, bidder.token)).rule).toBe('documents_period');
    await travel(h, '2026-03-03T01:00:00.000Z', owner, bidder, staff);
    const got = await send('GET', url, bidder.token);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('application/pdf');
    await travel(h, '2026-03-10T09:00:00.000Z', owner, bidder, staff);
    expect(problem(await send('GET', url, bidder.token)).rule).toBe('documents_period');
    const downloads = await h.deps.db.selectFrom('trading.downloads').select(['entity_id', 'at']).where('project_id', '=', p.id).execute();
    expect(downloads).toEqual([{ entity_id: bidder.entityId, at: new Date('2026-03-03T01:00:00.000Z') }]);
    // The tenderer sees that a download happened, not who downloaded.
    const t = (await send('GET', `/api/v1/trading/projects/${p.id}/timeline`, owner.token)).json<{ events: { type: string; payload: object; actor: { name: string } | null }[] }>();
    const d = t.events.find((e) => e.type === 'documents_downloaded')!;
    expect(d).toMatchObject({ payload: {}, actor: { name: '投标人' } });
  });

  it('moves the deadline for a clarification issued less than 15 days before it', async () => {
    const p = await publishedProject(h, 6, { owner, centre: staff });
    const url = `/api/v1/trading/projects/${p.id}/clarifications`;
    // Deadline Tuesday 24 March: a clarification on 9 March (24 − 15) keeps it.
    await travel(h, '2026-03-09T15:59:59.999Z', owner, bidder, staff);
    const kept = await send('POST', url, owner.token, { title: '第一号澄清', body: '工程量清单第 3 项单位更正为立方米。' });
    expect(kept.json()).toMatchObject({ number: 1, moved: false, deadlineAfter: SCHEDULE.bidDeadline });
    await travel(h, '2026-03-09T16:00:00.000Z', owner, bidder, staff);
    const refused = await send('POST', url, owner.token, { title: '第二号澄清', body: '图纸第 12 页更正。图纸第 12 页更正。' });
    expect(refused.statusCode).toBe(400);
    expect(problem(refused)).toMatchObject({ field: 'newDeadline', rule: 'clarification_min_days' });
    const tooEarly = await send('POST', url, owner.token, { title: '第二号澄清', body: '图纸第 12 页更正。图纸第 12 页更正。', newDeadline: '2026-03-24T09:30:00.000Z' });
    expect(problem(tooEarly)).toMatchObject({ field: 'newDeadline', rule: 'clarification_min_days' });
    const moved = await send('POST', url, owner.token, { title: '第二号澄清', body: '图纸第 12 页更正。图纸第 12 页更正。', newDeadline: '2026-03-25T01:30:00.000Z' });
    expect(moved.json()).toMatchObject({ number: 2, moved: true, deadlineAfter: '2026-03-25T01:30:00.000Z' });
    const project = (await send('GET', `/api/v1/trading/projects/${p.id}`, bidder.token)).json<{ schedule: { bidDeadline: string } }>();
    expect(project.schedule.bidDeadline).toBe('2026-03-25T01:30:00.000Z');
    const t = (await send('GET', `/api/v1/trading/projects/${p.id}/timeline`, bidder.token)).json<{ events: { type: string }[] }>();
    expect(t.events.map((e) => e.type).slice(-3)).toEqual(['clarification_issued', 'clarification_issued', 'deadline_moved']);
  });

  it('takes objections until 10 days before the deadline, pauses the activity, and resumes on the reply', async () => {
    const p = await publishedProject(h, 7, { owner, centre: staff });
    const url = `/api/v1/trading/projects/${p.id}/objections`;
    const content = '招标文件第三章资格条件设置了与项目无关的业绩要求，排斥潜在投标人。';
    await travel(h, '2026-03-04T01:00:00.000Z', owner, bidder, staff);
    expect((await send('POST', url, bidder.token, { content })).statusCode).toBe(403);
    await send('GET', `/api/v1/trading/projects/${p.id}/documents/${p.documentId}`, bidder.token);
    // Deadline 24 March: day − 10 is Saturday 14 March, which moves to Monday 16 March.
    await travel(h, '2026-03-16T15:59:59.999Z', owner, bidder, staff);
    const filed = await send('POST', url, bidder.token, { content });
    expect(filed.statusCode).toBe(201);
    await travel(h, '2026-03-16T16:00:00.000Z', owner, bidder, staff);
    const late = await send('POST', url, bidder.token, { content });
    expect(late.statusCode).toBe(409);
    const o = filed.json<{ id: string; replyDue: string }>();
    expect((await send('GET', `/api/v1/trading/projects/${p.id}`, owner.token)).json<{ pausedSince: string | null }>().pausedSince).toBe('2026-03-16T15:59:59.999Z');
    const reply = await send('POST', `${url}/${o.id}/reply`, owner.token, { reply: '经核查，该业绩要求与项目规模相适应，不予采纳。' });
    expect(reply.json()).toMatchObject({ reply: '经核查，该业绩要求与项目规模相适应，不予采纳。' });
    expect((await send('GET', `/api/v1/trading/projects/${p.id}`, owner.token)).json<{ pausedSince: string | null }>().pausedSince).toBeNull();
    expect((await send('POST', `${url}/${o.id}/reply`, owner.token, { reply: '再次答复再次答复再次答复。' })).statusCode).toBe(409);
    const types = (await send('GET', `/api/v1/trading/projects/${p.id}/timeline`, staff.token)).json<{ events: { type: string }[] }>().events.map((e) => e.type);
    expect(types.slice(-4)).toEqual(['objection_filed', 'activity_paused', 'objection_answered', 'activity_resumed']);
  });
});
