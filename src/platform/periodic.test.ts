import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startPeriodic } from './periodic.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('a periodic background job', () => {
  it('runs every interval, skips a turn while a pass still runs, and stops after the pass in progress', async () => {
    const release: (() => void)[] = [];
    let passes = 0;
    const stop = startPeriodic(() => {
      passes++;
      return new Promise<void>((resolve) => release.push(resolve));
    }, 1000);
    await vi.advanceTimersByTimeAsync(999);
    expect(passes).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(passes).toBe(1);
    // Two more intervals while the first pass runs: no second pass.
    await vi.advanceTimersByTimeAsync(2000);
    expect(passes).toBe(1);
    release.shift()!();
    await vi.advanceTimersByTimeAsync(1000);
    expect(passes).toBe(2);
    let stopped = false;
    const stopping = stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    release.shift()!();
    await stopping;
    await vi.advanceTimersByTimeAsync(5000);
    expect(passes).toBe(2);
  });

  it('runs a first pass at once when asked', async () => {
    let passes = 0;
    const stop = startPeriodic(async () => void passes++, 60_000, { immediately: true });
    await vi.advanceTimersByTimeAsync(0);
    expect(passes).toBe(1);
    await stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(passes).toBe(1);
  });
});
