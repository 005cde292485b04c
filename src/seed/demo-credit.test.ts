// The demo credit records pass the same checks as the API, are written once however often the
// demo is seeded, and show what the demo is for: a live ban that blocks construction deals in
// 太原市 with its objection period open, and an ordinary record whose repair may be asked.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../test/support/harness.ts';
import { cliAuditContext } from '../modules/identity/identity.bootstrap.ts';
import { addMonths, chinaDate, objectionLastDay, repairEligibility } from '../modules/credit/credit.rules.ts';
import { checkParticipation } from '../modules/credit/credit.service.ts';
import { seedDemoCredit } from './demo-credit.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  h.clock.set('2026-12-01T02:00:00Z');
});
afterAll(async () => {
  await h?.close();
});

const records = () => h.deps.db.selectFrom('credit.records').selectAll().orderBy('decision_date', 'desc').execute();

describe('demo credit records', () => {
  it('are written once, audited as the demo seed', async () => {
    expect(await seedDemoCredit(h.deps, cliAuditContext(h.clock.now(), 'seed-demo'))).toBe(2);
    expect(await seedDemoCredit(h.deps, cliAuditContext(h.clock.now(), 'seed-demo'))).toBe(0);
    const rows = await records();
    expect(rows).toHaveLength(2);
    const audit = await h.deps.db.selectFrom('audit.audit_log').select(['action', 'actor_username']).where('target_type', '=', 'credit_record').execute();
    expect(audit).toEqual([
      { action: 'credit.record.create', actor_username: 'seed-demo' },
      { action: 'credit.record.create', actor_username: 'seed-demo' },
    ]);
  });

  it('hold a serious record whose ban blocks construction deals in 太原市 today, still open to objection', async () => {
    const today = chinaDate(h.clock.now());
    const [serious] = await records();
    expect(serious).toMatchObject({ severity: 'serious', subject_key: '91140100MA0K123488', status: 'effective', not_repairable_reason: 'collusion', ban_region_code: '140100' });
    expect(today <= objectionLastDay(serious!.decision_date)).toBe(true);
    const check = (category: string, regionCode: string) => checkParticipation(h.deps, { subject: { uscc: '91140100MA0K123488' }, category, regionCode, at: h.clock.now() });
    const blocked = await check('construction', '140105');
    expect(blocked.allowed).toBe(false);
    expect(blocked.blocking[0]?.reason).toMatch(/太原市.*工程建设、政府采购/);
    expect((await check('land', '140105')).allowed).toBe(true);
    expect((await check('construction', '140200')).allowed).toBe(true);
  });

  it('hold an ordinary record, without a ban, whose repair may be asked', async () => {
    const today = chinaDate(h.clock.now());
    const [, ordinary] = await records();
    expect(ordinary).toMatchObject({ severity: 'ordinary', subject_key: '91350100M000100Y43', ban_from: null, disclosure_months: 12 });
    expect(ordinary!.decision_date).toBe(addMonths(today, -4));
    const verdict = repairEligibility({ type: ordinary!.type, severity: ordinary!.severity, status: ordinary!.status, decisionDate: ordinary!.decision_date, notRepairableReason: ordinary!.not_repairable_reason }, today);
    expect(verdict).toEqual({ ok: true });
  });
});
