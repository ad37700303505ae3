import type { AbortSignalLike } from '../ports/clock';
import { FAKE_CLOCK_START, FakeClock } from './fake-clock';

/** A minimal abort controller (core's typings have no DOM or Node `AbortController`). */
const abortable = () => {
  const listeners = new Set<() => void>();
  const signal: AbortSignalLike & { aborted: boolean } = {
    aborted: false,
    addEventListener: (_type, listener) => void listeners.add(listener),
    removeEventListener: (_type, listener) => void listeners.delete(listener),
  };
  return {
    signal,
    listeners,
    abort: () => {
      signal.aborted = true;
      for (const listener of [...listeners]) listener();
    },
  };
};

/** Whether `promise` has settled, after letting pending microtasks run. */
const settled = async (promise: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return done;
};

describe('FakeClock', () => {
  it('starts at a fixed time, or the one given', () => {
    expect(new FakeClock().now()).toBe(FAKE_CLOCK_START);
    expect(new FakeClock('2024-05-06T07:08:09.000Z').now()).toBe(Date.UTC(2024, 4, 6, 7, 8, 9));
    expect(new FakeClock(new Date(5)).now()).toBe(5);
    expect(() => new FakeClock('not a date')).toThrow(RangeError);
  });

  it('moves only when advanced', async () => {
    const clock = new FakeClock(1000);
    expect(clock.now()).toBe(1000);
    await clock.advance(500);
    expect(clock.now()).toBe(1500);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });

  it('resolves a sleep once time reaches its wake time', async () => {
    const clock = new FakeClock(0);
    const sleep = clock.sleep(1000);
    expect(clock.sleeping).toBe(1);
    expect(clock.nextWake()).toBe(1000);
    await clock.advance(999);
    expect(await settled(sleep)).toBe(false);
    await clock.advance(1);
    expect(await settled(sleep)).toBe(true);
    expect(clock.sleeping).toBe(0);
  });

  it('resolves a sleep of zero or less at once', async () => {
    const clock = new FakeClock(0);
    expect(await settled(clock.sleep(0))).toBe(true);
    expect(await settled(clock.sleep(-5))).toBe(true);
    expect(clock.sleeping).toBe(0);
  });

  it('wakes sleepers in wake-time order, each seeing its wake time, and runs their code before advance resolves', async () => {
    const clock = new FakeClock(0);
    const seen: string[] = [];
    const sleeper = async (name: string, ms: number) => {
      await clock.sleep(ms);
      seen.push(`${name}@${clock.now()}`);
      // A chain of awaits, as use cases have, still completes within the advance.
      for (let i = 0; i < 50; i++) await Promise.resolve();
      seen.push(`${name} done`);
    };
    void sleeper('c', 300);
    void sleeper('a', 100);
    void sleeper('b', 200);
    void sleeper('a2', 100);
    await clock.advance(1000);
    expect(seen).toEqual(['a@100', 'a2@100', 'a done', 'a2 done', 'b@200', 'b done', 'c@300', 'c done']);
    expect(clock.now()).toBe(1000);
  });

  it('wakes sleeps that woken code starts within the same advance', async () => {
    const clock = new FakeClock(0);
    const ticks: number[] = [];
    const loop = (async () => {
      for (let i = 0; i < 5; i++) {
        await clock.sleep(100);
        ticks.push(clock.now());
      }
    })();
    await clock.advance(450);
    expect(ticks).toEqual([100, 200, 300, 400]);
    await clock.advance(50);
    await loop;
    expect(ticks).toEqual([100, 200, 300, 400, 500]);
  });

  it('resolves a sleep early when its signal aborts, and forgets it', async () => {
    const clock = new FakeClock(0);
    const { signal, abort, listeners } = abortable();
    const sleep = clock.sleep(10_000, signal);
    expect(await settled(sleep)).toBe(false);
    abort();
    expect(await settled(sleep)).toBe(true);
    expect(clock.sleeping).toBe(0);
    expect(clock.now()).toBe(0);
    expect(listeners.size).toBe(0);
  });

  it('resolves at once when the signal is already aborted', async () => {
    const clock = new FakeClock(0);
    const { signal, abort } = abortable();
    abort();
    expect(await settled(clock.sleep(10_000, signal))).toBe(true);
    expect(clock.sleeping).toBe(0);
  });

  it('removes its abort listener when the sleep ends normally', async () => {
    const clock = new FakeClock(0);
    const { signal, listeners } = abortable();
    const sleep = clock.sleep(10, signal);
    expect(listeners.size).toBe(1);
    await clock.advance(10);
    await sleep;
    expect(listeners.size).toBe(0);
  });

  it('sets the time forward (waking due sleepers) or backward (waking none)', async () => {
    const clock = new FakeClock(0);
    const early = clock.sleep(100);
    const late = clock.sleep(5000);
    await clock.set(1000);
    expect(clock.now()).toBe(1000);
    expect(await settled(early)).toBe(true);
    expect(await settled(late)).toBe(false);
    await clock.set(0);
    expect(clock.now()).toBe(0);
    expect(await settled(late)).toBe(false);
    await clock.set('1970-01-01T00:00:05.000Z');
    expect(await settled(late)).toBe(true);
  });
});
