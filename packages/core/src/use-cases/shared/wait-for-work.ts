import type { AbortSignalLike } from '../../ports/clock';
import type { UseCaseContext } from '../context';

/** A minimal abort signal, so core needs neither DOM nor Node typings for AbortController. */
class Abort implements AbortSignalLike {
  aborted = false;
  private readonly listeners = new Set<() => void>();
  addEventListener(_type: 'abort', listener: () => void): void {
    if (this.aborted) listener();
    else this.listeners.add(listener);
  }
  removeEventListener(_type: 'abort', listener: () => void): void {
    this.listeners.delete(listener);
  }
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    for (const listener of this.listeners) listener();
    this.listeners.clear();
  }
}

/**
 * Waits until work is announced for `taskQueueId` in this process, `ms` pass (time to look for
 * work made by other replicas), or `signal` aborts: whichever comes first.
 */
export const waitForWork = ({ ports }: UseCaseContext, taskQueueId: string, ms: number, signal?: AbortSignalLike) =>
  new Promise<void>((resolve) => {
    const stop = new Abort();
    const done = () => {
      signal?.removeEventListener('abort', done);
      stop.abort();
      resolve();
    };
    signal?.addEventListener('abort', done, { once: true });
    void ports.work.wait(taskQueueId, stop).then(done, done);
    void ports.clock.sleep(ms, stop).then(done, done);
  });
