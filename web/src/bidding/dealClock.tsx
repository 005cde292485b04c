// The deal's clock in the browser: the project answer carries `dealNow` (the platform's time plus
// the deal's demo offset); the difference to the browser's clock at that moment is kept, so a
// countdown stays right when the browser's clock is off and when demo mode runs the deal ahead.
// Only the small countdown elements tick every second; a page learns that an instant has come
// through one timer (useReached), so whole screens do not re-render every second.
import { useEffect, useState } from 'react';
import { formatDateTime } from '../format';
import { countdownText } from './money';

/** Offset (ms) to add to Date.now() to read the deal's clock, measured when `dealNow` arrived. */
export function useDealOffset(dealNow: string | null | undefined): number {
  const [offset, setOffset] = useState(0);
  useEffect(() => {
    if (dealNow) setOffset(new Date(dealNow).getTime() - Date.now());
  }, [dealNow]);
  return offset;
}

/** The deal's current time in ms, re-rendering every `everyMs`. */
export function useDealNow(offset: number, everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now() + offset);
  useEffect(() => {
    setNow(Date.now() + offset);
    const t = setInterval(() => setNow(Date.now() + offset), everyMs);
    return () => clearInterval(t);
  }, [offset, everyMs]);
  return now;
}

/** Whether the deal's clock has reached `at` (ms); re-renders once, when it does. */
export function useReached(at: number | null, offset: number): boolean {
  const [reached, setReached] = useState(() => at !== null && Date.now() + offset >= at);
  useEffect(() => {
    if (at === null) {
      setReached(false);
      return;
    }
    const wait = at - (Date.now() + offset);
    setReached(wait <= 0);
    if (wait <= 0) return;
    // setTimeout holds at most 2^31-1 ms (24.8 days); a longer wait re-arms when it fires.
    const t = setTimeout(() => setReached(Date.now() + offset >= at), Math.min(wait + 5, 2_147_483_000));
    return () => clearTimeout(t);
  }, [at, offset]);
  return reached;
}

/** 「3 天 04:05:06」 until `to` on the deal's clock, ticking every second. */
export function Countdown({ to, offset }: { to: number; offset: number }) {
  const now = useDealNow(offset);
  return <>{countdownText(to - now)}</>;
}

/** The deal's time to the minute, as the rest of the workbench shows times. */
export function DealTime({ offset }: { offset: number }) {
  const now = useDealNow(offset, 10_000);
  return <>{formatDateTime(now)}</>;
}
