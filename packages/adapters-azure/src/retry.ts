/**
 * Retries of transient Azure Storage failures. The SDK's own retry policy is switched off (see
 * table-client.ts) so this is the only one, and every storage call goes through it.
 *
 * Retried: 408, 429 (throttled), 500 (internal / operation timed out), 502, 503 (server busy), 504
 * and connection-level failures. Not retried: everything else, in particular 404, 409 and 412,
 * which are answers the adapters act on.
 */
export interface RetryOptions {
  /** Attempts after the first (default 5). */
  readonly retries?: number;
  /** Cap of the first backoff (default 100 ms); each further attempt doubles it. */
  readonly baseDelayMs?: number;
  /** Upper bound of one backoff (default 5 s). */
  readonly maxDelayMs?: number;
  /** For tests: the random source of the jitter (default Math.random) and the sleep. */
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const RETRIED_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const RETRIED_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'REQUEST_SEND_ERROR',
]);

interface ErrorShape {
  statusCode?: number;
  code?: string;
  name?: string;
}

export const statusOf = (error: unknown): number | undefined =>
  typeof error === 'object' && error !== null ? (error as ErrorShape).statusCode : undefined;

/** Whether a failed storage call may succeed when tried again. */
export const isTransient = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { statusCode, code, name } = error as ErrorShape;
  if (statusCode !== undefined) return RETRIED_STATUSES.has(statusCode);
  if (name === 'AbortError') return false;
  return code !== undefined && RETRIED_CODES.has(code);
};

const defaultSleep = (ms: number) => new Promise<void>((resolve) => void setTimeout(resolve, ms));

/** Backoff before attempt `attempt` (1-based retry number): full jitter over an exponential cap. */
export const backoff = (attempt: number, options: RetryOptions = {}): number => {
  const base = options.baseDelayMs ?? 100;
  const max = options.maxDelayMs ?? 5000;
  const cap = Math.min(max, base * 2 ** (attempt - 1));
  return Math.floor((options.random ?? Math.random)() * cap);
};

/** Runs `operation`, retrying transient failures with jittered exponential backoff. */
export const withRetry = async <T>(operation: () => Promise<T>, options: RetryOptions = {}): Promise<T> => {
  const retries = options.retries ?? 5;
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= retries || !isTransient(error)) throw error;
      await (options.sleep ?? defaultSleep)(backoff(attempt + 1, options));
    }
  }
};
