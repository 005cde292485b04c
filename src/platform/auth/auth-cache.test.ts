import { describe, expect, it } from 'vitest';
import { AuthCache } from './auth-cache.ts';

describe('session cache', () => {
  it('serves an entry for less than its time to live', () => {
    const c = new AuthCache<string>(5000);
    c.set('k', 'v', 1000, c.generation);
    expect(c.get('k', 1000)).toBe('v');
    expect(c.get('k', 5999)).toBe('v');
    expect(c.get('k', 6000)).toBeUndefined();
  });

  it('drops everything at invalidation', () => {
    const c = new AuthCache<string>(5000);
    c.set('a', '1', 0, c.generation);
    c.invalidate();
    expect(c.get('a', 1)).toBeUndefined();
  });

  it('does not store a load that started before an invalidation', () => {
    const c = new AuthCache<string>(5000);
    const started = c.generation;
    c.invalidate(); // a writer committed while the load was reading
    c.set('k', 'old state', 0, started);
    expect(c.get('k', 1)).toBeUndefined();
  });

  it('stores nothing when disabled and evicts the oldest entry when full', () => {
    const off = new AuthCache<string>(0);
    off.set('k', 'v', 0, off.generation);
    expect(off.get('k', 0)).toBeUndefined();
    const small = new AuthCache<string>(5000, 2);
    small.set('a', '1', 0, 0);
    small.set('b', '2', 0, 0);
    small.set('c', '3', 0, 0);
    expect(small.get('a', 0)).toBeUndefined();
    expect(small.get('c', 0)).toBe('3');
  });

  it('distrusts an entry from the future (a clock moved back)', () => {
    const c = new AuthCache<string>(5000);
    c.set('k', 'v', 10_000, c.generation);
    expect(c.get('k', 9_000)).toBeUndefined();
  });
});
