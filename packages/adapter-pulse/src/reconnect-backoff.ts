/** How long to wait before each reconnection attempt: exponential, capped, jittered. */
export interface ReconnectBackoff {
  /** Delay before the first attempt after a failure, in ms. Default 100. */
  readonly initialDelay: number;
  /** Upper bound of any delay, in ms. Default 5000. */
  readonly maxDelay: number;
  /** Growth per consecutive failed attempt. Default 2. */
  readonly factor: number;
  /** Fraction (0–1) of the delay taken off at random, so replicas do not reconnect in step. Default 0.5. */
  readonly jitter: number;
}

export const DEFAULT_RECONNECT_BACKOFF: ReconnectBackoff = { initialDelay: 100, maxDelay: 5000, factor: 2, jitter: 0.5 };

/** The delay before attempt `attempt` (1 = first retry): within [base·(1−jitter), base], base ≤ maxDelay. */
export const reconnectDelay = (attempt: number, backoff: ReconnectBackoff, random: () => number = Math.random): number => {
  const base = Math.min(backoff.maxDelay, backoff.initialDelay * backoff.factor ** Math.max(0, attempt - 1));
  return Math.round(base * (1 - backoff.jitter * random()));
};

export const checkReconnectBackoff = (backoff: ReconnectBackoff): ReconnectBackoff => {
  const { initialDelay, maxDelay, factor, jitter } = backoff;
  const ok =
    Number.isFinite(initialDelay) &&
    initialDelay >= 0 &&
    Number.isFinite(maxDelay) &&
    maxDelay >= initialDelay &&
    Number.isFinite(factor) &&
    factor >= 1 &&
    jitter >= 0 &&
    jitter <= 1;
  if (!ok) throw new RangeError(`invalid reconnect backoff ${JSON.stringify(backoff)}`);
  return backoff;
};
