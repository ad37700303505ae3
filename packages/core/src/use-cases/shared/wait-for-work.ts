import { Abort } from '../../abort';
import type { AbortSignalLike } from '../../ports/clock';
import type { UseCaseContext } from '../context';

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
