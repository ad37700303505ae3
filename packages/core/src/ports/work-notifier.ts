import type { AbortSignalLike } from './clock';

/**
 * In-process wake-up for waiting claimWork calls: `notify` after a run became pending wakes one
 * `wait` of that task queue (the one waiting longest); `wait` also ends when `signal` aborts. Work made by another
 * replica is found by polling, so a missed notification only costs latency.
 */
export interface WorkNotifier {
  notify(taskQueueId: string): void;
  wait(taskQueueId: string, signal: AbortSignalLike): Promise<void>;
}
