// A background job of a running node: `run` every `intervalMs`, never two passes at once (a pass
// still running when the next is due skips that turn), the timer not keeping the process alive.
// The returned function stops the timer and waits for a pass in progress, so shutdown never
// closes the database under a pass.

export interface PeriodicOptions {
  /** Also run a first pass at once (in the background), not only after the first interval. */
  immediately?: boolean;
}

export function startPeriodic(run: () => Promise<void>, intervalMs: number, options: PeriodicOptions = {}): () => Promise<void> {
  let running: Promise<void> | null = null;
  const pass = (): void => {
    if (running) return;
    running = run().finally(() => {
      running = null;
    });
  };
  const first = options.immediately ? setTimeout(pass, 0) : undefined;
  first?.unref();
  const timer = setInterval(pass, intervalMs);
  timer.unref();
  return async () => {
    if (first) clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}
