// The deal's clock in the browser: the project answer carries `dealNow` (the platform's time plus
// the deal's demo offset); the difference to the browser's clock at that moment is kept, so a
// countdown stays right when the browser's clock is off and when demo mode runs the deal ahead.
import { useEffect, useState } from 'react';

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
