// The platform's own schedule: every few hundred milliseconds (GGZY_SWEEP_INTERVAL_MS) it closes
// bidding of projects whose deadline has come and ends the decryption of lots that are due. Each
// step re-checks its state under a lock, so several nodes may sweep at once; a failure is logged
// and retried on the next round, never lost.

import type { FastifyBaseLogger } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { startPeriodic } from '../../platform/periodic.ts';
import { closeBidding, endDecryption, RetryOpening } from './trading.opening.ts';
import { decryptingLots } from './trading.opening.repository.ts';
import { projectsPastDeadline } from './trading.projects.repository.ts';

export interface SweepResult {
  closed: number;
  opened: number;
}

export async function sweepDue(deps: Deps, now: Date, log?: FastifyBaseLogger): Promise<SweepResult> {
  const result: SweepResult = { closed: 0, opened: 0 };
  for (const id of await projectsPastDeadline(deps.db, now)) {
    try {
      if ((await closeBidding(deps, id, now)) === 'closed') result.closed++;
    } catch (e) {
      log?.error({ err: e, projectId: id }, 'closing bidding failed; retried on the next sweep');
    }
  }
  for (const lotId of await decryptingLots(deps.db)) {
    try {
      if ((await endDecryption(deps, lotId, now)) === 'ended') result.opened++;
    } catch (e) {
      if (!(e instanceof RetryOpening)) log?.error({ err: e, lotId }, 'ending decryption failed; retried on the next sweep');
    }
  }
  return result;
}

/** Starts the sweep; the returned function stops it (and waits for a round in progress). */
export function startSweep(deps: Deps, log: FastifyBaseLogger): () => Promise<void> {
  return startPeriodic(async () => {
    await sweepDue(deps, deps.clock.now(), log).catch((e: unknown) => log.error({ err: e }, 'sweep failed'));
  }, deps.config.sweepIntervalMs);
}
