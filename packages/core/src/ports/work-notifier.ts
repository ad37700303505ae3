import type { AbortSignalLike } from './clock';

/**
 * In-process wake-up for waiting claimWork calls: `notify` after a run became pending, `wait`
 * until the next notify for that task queue or until `signal` aborts. Work made by another
 * replica is found by polling, so a missed notification only costs latency.
 */
export interface WorkNotifier {
  notify(taskQueueId: string): void;
  wait(taskQueueId: string, signal: AbortSignalLike): Promise<void>;
}
