// Demo mode (GGZY_DEMO_MODE): a compressed calendar for one deal. Centre staff move the deal's own
// clock forward — to the bid deadline, say — so that a whole tender can be walked through in
// minutes. Every rule still runs on the deal's clock with the real calendar; only the distance
// between the deal's time and the platform's grows. Refused outside demo mode, and never backwards.

import { appendAudit } from '../../platform/audit/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, invalid } from '../../platform/errors.ts';
import { appendDealEvent } from '../../platform/events/deal-events.ts';
import { auditContext } from '../../platform/http/context.ts';
import { dealNow, projectFor, type Actor } from './trading.access.ts';
import { eventActor } from './trading.projects.ts';
import * as repo from './trading.projects.repository.ts';

/** The longest single jump: a deal's whole calendar (documents, bidding, publicity, contract) fits. */
export const MAX_DEMO_JUMP_MS = 120 * 86_400_000;

export async function moveDealClock(deps: Deps, actor: Actor, projectId: string, to: Date): Promise<{ offsetMs: number; dealNow: Date }> {
  if (!deps.config.demoMode) throw forbidden('仅演示环境可以快进交易时钟');
  const project = await projectFor(deps.db, actor, projectId, 'accept');
  if (project.deal_code === null) throw new AppError('conflict', '项目受理并赋码后才能快进交易时钟', { rule: 'state' });
  const current = dealNow(project, actor.now);
  if (to.getTime() <= current.getTime()) throw invalid('to', 'forward_only', `交易时钟只能向后快进；当前交易时间为 ${current.toISOString()}`);
  if (to.getTime() - current.getTime() > MAX_DEMO_JUMP_MS) throw invalid('to', 'maximum', '一次最多快进 120 日');
  return deps.db.transaction().execute(async (trx) => {
    const p = (await repo.lockProject(trx, projectId))!;
    const from = dealNow(p, actor.now);
    const offsetMs = to.getTime() - actor.now.getTime();
    await repo.updateProject(trx, projectId, p.status, { clock_offset_ms: offsetMs, updated_at: actor.now });
    await appendDealEvent(trx, { dealCode: p.deal_code!, type: 'clock_moved', payload: { from: from.toISOString(), to: to.toISOString() }, actor: eventActor(actor), at: to });
    await appendAudit(trx, auditContext(actor), { action: 'trading.demo.clock', targetType: 'tender_project', targetId: projectId, detail: { from: from.toISOString(), to: to.toISOString() } });
    return { offsetMs, dealNow: to };
  });
}
