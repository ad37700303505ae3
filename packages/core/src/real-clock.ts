import type { AbortSignalLike, Clock } from './ports/clock';

// Timers overflow above 2^31-1 ms (they fire at once), so long sleeps are taken in steps.
const MAX_TIMER_MS = 2_147_483_647;

/** The wall clock: `Date.now()` and the host's `setTimeout`. */
export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleepUntil(Date.now() + Math.max(0, ms), signal),
};

const sleepUntil = (wake: number, signal?: AbortSignalLike): Promise<void> =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    let handle: unknown;
    const onAbort = () => {
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(handle);
      resolve();
    };
    const step = () => {
      const left = wake - Date.now();
      if (left <= 0) {
        signal?.removeEventListener('abort', onAbort);
        return resolve();
      }
      handle = setTimeout(step, Math.min(left, MAX_TIMER_MS));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    step();
  });
