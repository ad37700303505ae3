import type { QueueConfig } from '../config';
import type { Clock } from '../ports/clock';
import { createQueue } from '../queue';
import { FakeClock } from './fake-clock';
import { createInMemoryPorts, type InMemoryPorts } from './in-memory-ports';

export interface InMemoryQueueOptions {
  /** Default: a FakeClock; pass your own to share it with the code under test. */
  readonly clock?: FakeClock;
  /** Core settings; `claimWorkWait` defaults to 0 here so an empty claimWork answers at once. */
  readonly config?: Partial<QueueConfig>;
}

/**
 * The real core over in-memory adapters, for another project's tests: `queue` is the library
 * API, `clock` drives every timer, `events` holds what was published, and `runJobs` runs every
 * background job until none has anything left to do (what the worker process does over time).
 */
export const createInMemoryQueue = (options: InMemoryQueueOptions = {}) => {
  const clock = options.clock ?? new FakeClock();
  const ports: InMemoryPorts<FakeClock> = createInMemoryPorts({ clock });
  const queue = createQueue(ports, { claimWorkWait: 0, ...options.config });
  const runJobs = async (): Promise<void> => {
    for (let round = 0; round < 1000; round++) {
      const { jobs } = queue;
      const results = [
        await jobs.expireClaims(),
        await jobs.resolveDeadlines(),
        await jobs.resolveDependencies(),
      ];
      if (results.every((result) => result.handled === 0)) return;
    }
    throw new Error('background jobs did not settle after 1000 rounds');
  };
  /** Moves the clock forward, then lets the background jobs catch up. */
  const advance = async (ms: number): Promise<void> => {
    await clock.advance(ms);
    await runJobs();
  };
  return { queue, ports, clock: clock as FakeClock & Clock, events: ports.events, runJobs, advance };
};

export type InMemoryQueue = ReturnType<typeof createInMemoryQueue>;
