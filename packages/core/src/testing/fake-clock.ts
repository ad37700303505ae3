import type { AbortSignalLike, Clock } from '../ports/clock';

interface Sleeper {
  readonly wake: number;
  readonly seq: number;
  readonly resolve: () => void;
}

/** 2030-01-01T00:00:00.000Z: a fixed, readable default start. */
export const FAKE_CLOCK_START = Date.UTC(2030, 0, 1);

/**
 * A clock that moves only when told to. `sleep` resolves once `advance` or `set` carries time to
 * (or past) the wake time, or as soon as its signal aborts.
 *
 * `advance` and `set` wake sleepers in wake-time order, with time set to each wake time while
 * that sleeper's code runs, and let the woken code run (a macrotask turn, so every chained
 * microtask settles) before going on. Because of that turn they need real timers: do not
 * combine this clock with jest's fake timers.
 */
export class FakeClock implements Clock {
  private current: number;
  private sleepers: Sleeper[] = [];
  private seq = 0;

  constructor(start: number | string | Date = FAKE_CLOCK_START) {
    this.current = toMs(start);
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignalLike): Promise<void> {
    if (signal?.aborted || !(ms > 0)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const sleeper: Sleeper = {
        wake: this.current + ms,
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        signal?.removeEventListener('abort', onAbort);
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
    });
  }

  /** Moves time forward by `ms`, waking due sleepers in order; resolves once woken code has run. */
  advance(ms: number): Promise<void> {
    if (ms < 0) throw new RangeError(`FakeClock.advance: negative duration ${ms}`);
    return this.moveTo(this.current + ms);
  }

  /**
   * Sets the time. Forward, it behaves like `advance`; backward, it only moves the time
   * (sleepers keep their wake times).
   */
  set(time: number | string | Date): Promise<void> {
    const target = toMs(time);
    if (target <= this.current) {
      this.current = target;
      return flush();
    }
    return this.moveTo(target);
  }

  /** How many sleeps are waiting (e.g. to know that a long poll has started waiting). */
  get sleeping(): number {
    return this.sleepers.length;
  }

  /** The earliest wake time of a waiting sleep. */
  nextWake(): number | undefined {
    return this.sleepers.reduce<number | undefined>((min, s) => (min === undefined || s.wake < min ? s.wake : min), undefined);
  }

  private async moveTo(target: number): Promise<void> {
    for (;;) {
      const due = this.sleepers.filter((s) => s.wake <= target);
      if (due.length === 0) break;
      const wake = Math.min(...due.map((s) => s.wake));
      const batch = due.filter((s) => s.wake === wake).sort((a, b) => a.seq - b.seq);
      this.sleepers = this.sleepers.filter((s) => !batch.includes(s));
      this.current = Math.max(this.current, wake);
      for (const sleeper of batch) sleeper.resolve();
      await flush();
    }
    this.current = target;
    await flush();
  }
}

const toMs = (time: number | string | Date): number => {
  const ms = typeof time === 'number' ? time : typeof time === 'string' ? Date.parse(time) : time.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`FakeClock: invalid time ${String(time)}`);
  return ms;
};

/** One macrotask turn: every microtask queued so far (and those they queue) runs first. */
const flush = (): Promise<void> => new Promise<void>((resolve) => void setTimeout(resolve, 0));
