import type { AbortSignalLike } from '../ports/clock';
import type { WorkNotifier } from '../ports/work-notifier';

/** In-process wake-ups: `notify` resolves every `wait` of that task queue made before it. */
export class InMemoryWorkNotifier implements WorkNotifier {
  private readonly waiters = new Map<string, Set<() => void>>();

  notify(taskQueueId: string): void {
    const waiting = this.waiters.get(taskQueueId);
    if (!waiting) return;
    this.waiters.delete(taskQueueId);
    for (const wake of waiting) wake();
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
