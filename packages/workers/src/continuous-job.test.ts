import { FakeClock } from '@taskcluster-queue/core/testing';
import { runContinuously, type JobResult } from './continuous-job';

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

describe('runContinuously', () => {
  it('runs batches back to back while there is work, pauses when idle, and stops on abort', async () => {
    const controller = new AbortController();
    const results: JobResult[] = [{ handled: 3 }, { handled: 1 }, { handled: 0 }];
    let calls = 0;
    const loop = runContinuously({
      name: 'test',
      run: async () => {
        const result = results[calls++] ?? { handled: 0 };
        if (calls === 3) controller.abort();
        return result;
      },
      idleDelay: 60_000,
      errorDelay: 60_000,
      signal: controller.signal,
      sleep,
      onError: () => undefined,
    });
    await loop;
    expect(calls).toBe(3);
  });

  it('keeps going after a failed batch', async () => {
    const controller = new AbortController();
    const errors: unknown[] = [];
    let calls = 0;
    await runContinuously({
      name: 'flaky',
      run: async () => {
        calls++;
        if (calls === 1) throw new Error('backend down');
        controller.abort();
        return { handled: 1 };
      },
      idleDelay: 1,
      errorDelay: 1,
      signal: controller.signal,
      sleep,
      onError: (_name, error) => errors.push(error),
    });
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
  });
});

describe('runContinuously on a fake clock', () => {
  it('sleeps the idle delay between empty batches and stops at once when aborted while sleeping', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    let calls = 0;
    const loop = runContinuously({
      name: 'idle',
      run: async () => {
        calls++;
        return { handled: 0 };
      },
      idleDelay: 5_000,
      errorDelay: 5_000,
      signal: controller.signal,
      sleep: (ms, signal) => clock.sleep(ms, signal),
      onError: () => undefined,
    });
    await clock.advance(0);
    expect(calls).toBe(1);
    await clock.advance(4_999);
    expect(calls).toBe(1);
    await clock.advance(1);
    expect(calls).toBe(2);
    expect(clock.sleeping).toBe(1);
    controller.abort(); // SIGTERM: the service aborts the loops' signal
    await loop;
    expect(clock.sleeping).toBe(0);
  });

  it('goes on when the error reporter itself throws', async () => {
    const controller = new AbortController();
    let calls = 0;
    await runContinuously({
      name: 'flaky',
      run: async () => {
        if (++calls < 3) throw new Error('backend down');
        controller.abort();
        return { handled: 0 };
      },
      idleDelay: 1,
      errorDelay: 1,
      signal: controller.signal,
      sleep,
      onError: () => {
        throw new Error('sentry down');
      },
    });
    expect(calls).toBe(3);
  });
});
