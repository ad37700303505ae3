/** Time is a port so a fake clock can drive every timer in tests. Milliseconds since the epoch. */
export interface Clock {
  now(): number;
  /** Resolves after `ms` of this clock's time, or early when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignalLike): Promise<void>;
}

/** The part of `AbortSignal` core relies on, so core does not depend on DOM or Node typings. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
