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
