import type { AbortSignalLike } from '../ports/clock';
import type { WorkNotifier } from '../ports/work-notifier';

/** In-process wake-ups: `notify` resolves the oldest `wait` of that task queue. */
export class InMemoryWorkNotifier implements WorkNotifier {
  private readonly waiters = new Map<string, Set<() => void>>();

  notify(taskQueueId: string): void {
    // One run became pending, so one claimer can take it: waking them all would only make
    // the rest race for it (and poll the store for nothing).
    const waiting = this.waiters.get(taskQueueId);
    const oldest = waiting?.values().next().value;
    if (!waiting || !oldest) return;
    waiting.delete(oldest);
    if (waiting.size === 0) this.waiters.delete(taskQueueId);
    oldest();
  }

  wait(taskQueueId: string, signal: AbortSignalLike): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        signal.removeEventListener('abort', onAbort);
        const waiting = this.waiters.get(taskQueueId);
        waiting?.delete(wake);
        if (waiting?.size === 0) this.waiters.delete(taskQueueId);
        resolve();
      };
      let waiting = this.waiters.get(taskQueueId);
      if (!waiting) this.waiters.set(taskQueueId, (waiting = new Set()));
      waiting.add(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** How many calls wait on `taskQueueId` (e.g. to know that a long poll has started waiting). */
  waiting(taskQueueId: string): number {
    return this.waiters.get(taskQueueId)?.size ?? 0;
  }
}
