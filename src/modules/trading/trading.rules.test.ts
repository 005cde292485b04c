import { describe, expect, it } from 'vitest';
import { LOT_STATUS_NAMES, LOT_TRANSITIONS, lotStep, PROJECT_STATUS_NAMES, PROJECT_TRANSITIONS, projectStep, type LotAction, type ProjectAction } from './trading.rules.ts';
import type { LotStatus, ProjectStatus } from './trading.tables.ts';

const PROJECT_STATES = Object.keys(PROJECT_STATUS_NAMES) as ProjectStatus[];
const LOT_STATES = Object.keys(LOT_STATUS_NAMES) as LotStatus[];

describe('tender project state machine', () => {
  it('allows each action only from its states and refuses every other state with the reason', () => {
    for (const [action, t] of Object.entries(PROJECT_TRANSITIONS) as [ProjectAction, (typeof PROJECT_TRANSITIONS)[ProjectAction]][]) {
      for (const state of PROJECT_STATES) {
        const r = projectStep(state, action);
        if (t.from.includes(state)) {
          expect(r).toEqual({ ok: true, to: t.to ?? state });
        } else {
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.message).toContain(`当前为「${PROJECT_STATUS_NAMES[state]}」，不能${t.name}`);
        }
      }
    }
  });

  it('walks the legal path from registration to bidding', () => {
    let s: ProjectStatus = 'draft';
    for (const a of ['submit', 'return', 'submit', 'accept', 'submit_notice', 'reject_notice', 'submit_notice', 'publish', 'close_bidding', 'finish'] as ProjectAction[]) {
      const r = projectStep(s, a);
      if (!r.ok) throw new Error(r.message);
      s = r.to;
    }
    expect(s).toBe('finished');
    expect(projectStep('bidding', 'accept')).toEqual({ ok: false, message: '招标项目当前为「投标中」，不能受理项目；该操作仅在「待受理」时可以进行' });
  });
});

describe('lot state machine', () => {
  it('allows each action only from its states', () => {
    for (const [action, t] of Object.entries(LOT_TRANSITIONS) as [LotAction, (typeof LOT_TRANSITIONS)[LotAction]][]) {
      for (const state of LOT_STATES) expect(lotStep(state, action).ok).toBe(t.from.includes(state));
    }
  });

  it('has no way back from a failed or closed lot', () => {
    for (const action of Object.keys(LOT_TRANSITIONS) as LotAction[]) {
      expect(lotStep('failed', action).ok).toBe(false);
      expect(lotStep('closed', action).ok).toBe(false);
    }
  });
});
