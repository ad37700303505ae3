import { RestError } from '@azure/data-tables';
import { backoff, isTransient, withRetry } from './retry';

const failing = (statuses: (number | string)[], result = 'ok') => {
  let calls = 0;
  const operation = async () => {
    const next = statuses[calls++];
    if (next === undefined) return result;
    if (typeof next === 'string') throw Object.assign(new Error(next), { code: next });
    throw new RestError(`status ${next}`, { statusCode: next });
  };
  return { operation, calls: () => calls };
};

describe('withRetry', () => {
  const sleeps: number[] = [];
  const options = { sleep: async (ms: number) => void sleeps.push(ms), random: () => 0.5, baseDelayMs: 100, maxDelayMs: 1000 };
  beforeEach(() => sleeps.splice(0));

  it('retries throttling, server errors and dropped connections, with growing jittered backoff', async () => {
    const { operation, calls } = failing([429, 500, 503, 'ECONNRESET']);
    await expect(withRetry(operation, options)).resolves.toBe('ok');
    expect(calls()).toBe(5);
    expect(sleeps).toEqual([50, 100, 200, 400]);
  });

  it('caps the backoff and gives up after `retries`', async () => {
    const { operation, calls } = failing([503, 503, 503, 503]);
    await expect(withRetry(operation, { ...options, retries: 3 })).rejects.toMatchObject({ statusCode: 503 });
    expect(calls()).toBe(4);
    expect(backoff(10, { ...options, random: () => 0.999 })).toBeLessThan(1000);
  });

  it('does not retry answers the adapters act on (404, 409, 412) or client errors', async () => {
    for (const status of [400, 403, 404, 409, 412]) {
      const { operation, calls } = failing([status]);
      await expect(withRetry(operation, options)).rejects.toMatchObject({ statusCode: status });
      expect(calls()).toBe(1);
    }
    expect(isTransient(new Error('plain'))).toBe(false);
    expect(isTransient(Object.assign(new Error('aborted'), { name: 'AbortError', code: 'ECONNRESET' }))).toBe(false);
  });

  it('spreads the backoff over [0, cap) (full jitter)', () => {
    expect(backoff(1, { random: () => 0 })).toBe(0);
    expect(backoff(3, { random: () => 0.999, baseDelayMs: 100 })).toBe(399);
  });
});
