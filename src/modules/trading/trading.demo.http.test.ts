// Demo mode's compressed calendar: refused outside demo mode, forward only, and every rule then
// reads the deal's own clock.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHarness, problem, type Harness } from '../../../test/support/harness.ts';
import { publishedProject, SCHEDULE, staffAccount, type Signed } from './trading.test-support.ts';

describe('outside demo mode', () => {
  it('refuses to move a deal clock', async () => {
    const h = await createHarness();
    try {
      const p = await publishedProject(h, 1);
      const res = await h.app.inject({ method: 'POST', url: `/api/v1/trading/projects/${p.id}/demo-clock`, headers: bearer(p.centre), payload: { to: SCHEDULE.bidDeadline } });
      expect(res.statusCode).toBe(403);
    } finally {
      await h.close();
    }
  });
});

describe('in demo mode', () => {
  let h: Harness;
  let staff: Signed;
  beforeAll(async () => {
    h = await createHarness({ GGZY_DEMO_MODE: 'true' });
    staff = await staffAccount(h, '140100');
  });
  afterAll(async () => h.close());

  it('moves only forward, and the deal then lives on its own clock', async () => {
    const p = await publishedProject(h, 2, { centre: staff });
    const url = `/api/v1/trading/projects/${p.id}/demo-clock`;
    const back = await h.app.inject({ method: 'POST', url, headers: bearer(staff.token), payload: { to: '2026-03-01T00:00:00.000Z' } });
    expect(problem(back)).toMatchObject({ field: 'to', rule: 'forward_only' });
    const moved = await h.app.inject({ method: 'POST', url, headers: bearer(staff.token), payload: { to: '2026-03-16T16:00:00.000Z' } });
    expect(moved.statusCode).toBe(200);
    const project = (await h.app.inject({ method: 'GET', url: `/api/v1/trading/projects/${p.id}`, headers: bearer(p.owner.token) })).json<{ dealNow: string }>();
    expect(new Date(project.dealNow).getTime()).toBeGreaterThanOrEqual(new Date('2026-03-16T16:00:00.000Z').getTime());
    // On the deal's clock the objection window (until 16 March 24:00) has closed, although the
    // platform's clock is still on 2 March.
    const clarification = await h.app.inject({ method: 'POST', url: `/api/v1/trading/projects/${p.id}/clarifications`, headers: bearer(p.owner.token), payload: { title: '第一号澄清', body: '工程量清单第 3 项单位更正为立方米。' } });
    expect(problem(clarification)).toMatchObject({ field: 'newDeadline', rule: 'clarification_min_days' });
    const t = (await h.app.inject({ method: 'GET', url: `/api/v1/trading/projects/${p.id}/timeline`, headers: bearer(staff.token) })).json<{ events: { type: string; payload: { to?: string } }[] }>();
    expect(t.events.at(-1)).toMatchObject({ type: 'clock_moved', payload: { to: '2026-03-16T16:00:00.000Z' } });
  });
});
