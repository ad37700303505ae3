import { checkReconnectBackoff, DEFAULT_RECONNECT_BACKOFF, reconnectDelay } from './reconnect-backoff';

describe('reconnectDelay', () => {
  const backoff = { initialDelay: 100, maxDelay: 1000, factor: 2, jitter: 0.5 };

  it('grows exponentially and stays under maxDelay', () => {
    const noJitter = () => 0;
    expect([1, 2, 3, 4, 5, 10, 100].map((attempt) => reconnectDelay(attempt, backoff, noJitter))).toEqual([
      100, 200, 400, 800, 1000, 1000, 1000,
    ]);
  });

  it('takes up to the jitter fraction off at random', () => {
    expect(reconnectDelay(3, backoff, () => 1)).toBe(200);
    expect(reconnectDelay(3, backoff, () => 0.5)).toBe(300);
  });

  it('rejects settings that make no sense', () => {
    expect(() => checkReconnectBackoff({ ...DEFAULT_RECONNECT_BACKOFF, jitter: 2 })).toThrow(RangeError);
    expect(() => checkReconnectBackoff({ ...DEFAULT_RECONNECT_BACKOFF, maxDelay: 1, initialDelay: 10 })).toThrow(RangeError);
    expect(checkReconnectBackoff(DEFAULT_RECONNECT_BACKOFF)).toBe(DEFAULT_RECONNECT_BACKOFF);
  });
});
